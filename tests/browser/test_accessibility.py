"""axe-core on every page: nothing serious or critical, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")
PHONE_PAGES = ["/", "/emner/henvisning/", "/hvem-gjor-hva/"]


def _axe(page) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response


def _count(violations: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += 1
    return counts


def _describe(path: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        lines.append(f"{path}: {v['id']} ({v['impact']}) {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def _table(rows: list[tuple[str, str, dict[str, int]]]) -> str:
    width = max(len(path) for path, _, _ in rows)
    head = f"{'page':<{width}}  {'width':>5}  " + "  ".join(f"{i:>8}" for i in IMPACTS)
    lines = [head, "-" * len(head)]
    for path, size, counts in rows:
        cells = "  ".join(f"{counts[i]:>8}" for i in IMPACTS)
        lines.append(f"{path:<{width}}  {size:>5}  {cells}")
    return "\n".join(lines)


def _scan(open_page, path: str, viewport: dict[str, int]) -> list[dict]:
    visit = open_page(path, viewport=viewport, wait_until="load")
    assert visit.status == 200, f"{path}: HTTP {visit.status}"
    result = _axe(visit.page)
    # axe really looked at this page: it names it and ran its rules on it.
    assert result["url"].endswith(path), result["url"]
    assert result["passes"], f"{path}: axe ran no rule that passed; is the page empty?"
    visit.page.context.close()
    return result["violations"]


def _scan_all(open_page, paths: list[str], viewport: dict[str, int], capsys) -> None:
    rows = []
    failures = []
    for path in paths:
        violations = _scan(open_page, path, viewport)
        rows.append((path, str(viewport["width"]), _count(violations)))
        if any(v["impact"] in BLOCKING for v in violations):
            failures.append(_describe(path, violations))
    with capsys.disabled():
        print(f"\n\naxe-core violations by impact, {viewport['width']} px wide\n{_table(rows)}\n")
    assert not failures, "serious or critical axe violations:\n" + "\n".join(failures)


def test_axe_every_page_desktop(open_page, site_pages, capsys) -> None:
    assert len(site_pages) >= 23, site_pages
    _scan_all(open_page, site_pages, DESKTOP, capsys)


def test_axe_phone(open_page, capsys) -> None:
    _scan_all(open_page, PHONE_PAGES, PHONE, capsys)
