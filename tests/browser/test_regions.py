"""Every region's site and the portal, as `make site` builds them: axe-core finds nothing serious
or critical on any page of the regions other than Agder (which the other browser tests cover)
or of the portal, nothing is fetched from another origin, and each region searches on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import DESKTOP, is_local, run_build, serve
from .test_accessibility import BLOCKING, _axe, _count, _describe, _table

pytestmark = pytest.mark.browser

OTHER_REGIONS = ("oslo", "troms-ofoten")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every region and the portal, as `make site` builds them."""
    out = tmp_path_factory.mktemp("regions") / "site"
    run_build("generator.cli", "build", "--out", str(out))
    return out


@pytest.fixture(scope="module")
def url(built: Path) -> Iterator[str]:
    with serve(built) as address:
        yield address


def _paths(built: Path) -> list[str]:
    paths = []
    for html in sorted(built.rglob("index.html")):
        rel = html.relative_to(built)
        first = rel.parts[0] if len(rel.parts) > 1 else ""
        if first in OTHER_REGIONS or first in ("", "sammenlign"):
            if "pagefind" in rel.parts or "assets" in rel.parts:
                continue
            parent = rel.parent.as_posix()
            paths.append("/" if parent == "." else f"/{parent}/")
    return paths


def test_axe_and_no_foreign_request_on_other_regions_and_the_portal(
    browser, built: Path, url: str, capsys
) -> None:
    paths = _paths(built)
    assert "/" in paths and "/oslo/" in paths and "/troms-ofoten/" in paths
    assert any(p.startswith("/sammenlign/") and p != "/sammenlign/" for p in paths), paths
    rows, failures, foreign = [], [], []
    for path in paths:
        context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
        page = context.new_page()
        page.on(
            "request",
            lambda r, path=path: (
                foreign.append(f"{path}: {r.url}") if not is_local(r.url, url) else None
            ),
        )
        response = page.goto(url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        result = _axe(page)
        assert result["passes"], path
        violations = result["violations"]
        rows.append((path, str(DESKTOP["width"]), _count(violations)))
        if any(v["impact"] in BLOCKING for v in violations):
            failures.append(_describe(path, violations))
        context.close()
    with capsys.disabled():
        print(f"\n\naxe-core, other regions and the portal\n{_table(rows)}\n")
    assert not failures, "serious or critical axe violations:\n" + "\n".join(failures)
    assert not foreign, "requests to other origins:\n" + "\n".join(foreign)


@pytest.mark.parametrize("region", OTHER_REGIONS)
def test_each_region_searches_its_own_pages(browser, url: str, region: str) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{url}/{region}/sok/?q={quote('dialogmelding')}", wait_until="commit")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    context.close()
    assert links, "no results"
    assert all(f"/{region}/" in link for link in links), links
