"""Norwegian search: Pagefind on /sok/ finds the right page first, also for inflected forms."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import to_path

pytestmark = pytest.mark.browser

ANY = None  # any non-empty result list will do

# query -> the acceptable first results (ANY: just some result)
EXPECTED: dict[str, tuple[str, ...] | None] = {
    "epikrise": ("/emner/epikrise/",),
    "epikriser": ("/emner/epikrise/",),
    "dialogmelding": ("/emner/dialogmelding/",),
    "sykmelding": ("/emner/sykmelding/",),
    "sykmeldingen": ("/emner/sykmelding/",),
    "blodprøve": ("/emner/rekvirering-prover/",),
    "blodprøvene": ("/emner/rekvirering-prover/",),
    "akuttinnleggelse": ("/telefonvei/", "/emner/radgiving-innleggelse/"),
    "henvisninger": ("/emner/henvisning/",),
    "fastlegens": ANY,
    "LIB": ("/emner/resepter-og-lib/",),
    "AAT": ("/telefonvei/", "/emner/radgiving-innleggelse/"),
}

# Settled: at least one result, and no result still showing Pagefind's loading placeholder.
_SETTLED = """() => {
  const root = document.querySelector('#hb-search');
  return root.querySelector('.pagefind-ui__result-link') !== null
      && root.querySelector('.pagefind-ui__results .pagefind-ui__loading') === null;
}"""


def _open_search(browser, site_url: str, query: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{site_url}/sok/?q={quote(query)}", wait_until="commit")
    return page


def _results(page) -> list[str]:
    """The result pages on a /sok/ page, best first, as site paths without repeats."""
    try:
        page.wait_for_selector(".pagefind-ui__result-link", timeout=8_000)
    except Exception:  # no result appeared: an empty ranking, reported by the test
        return []
    page.wait_for_function(_SETTLED, timeout=8_000)
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    paths: list[str] = []
    for href in hrefs:
        path = to_path(href)
        if path not in paths:
            paths.append(path)
    return paths


@pytest.fixture(scope="module")
def rankings(browser, site_url: str) -> dict[str, list[str]]:
    """Every query in EXPECTED, searched once, side by side in separate browser contexts."""
    pages = {query: _open_search(browser, site_url, query) for query in EXPECTED}
    try:
        return {query: _results(page) for query, page in pages.items()}
    finally:
        for page in pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def print_table_once() -> dict[str, bool]:
    return {"done": False}


def _table(rankings: dict[str, list[str]]) -> str:
    width = max(len(q) for q in rankings)
    lines = [f"{'query':<{width}}  first 3 results", "-" * (width + 60)]
    for query, paths in rankings.items():
        lines.append(f"{query:<{width}}  {', '.join(paths[:3]) or '(no results)'}")
    return "\n".join(lines)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_search_ranks_the_right_page_first(
    query: str, rankings, print_table_once, site_pages, capsys
) -> None:
    if not print_table_once["done"]:
        print_table_once["done"] = True
        with capsys.disabled():
            print(f"\n\nPagefind rankings on /sok/\n{_table(rankings)}\n")

    results = rankings[query]
    assert results, f"{query!r}: no results"
    unknown = [path for path in results if path not in site_pages]
    assert not unknown, f"{query!r}: results link to pages that were not built: {unknown}"
    expected = EXPECTED[query]
    if expected is not ANY:
        assert results[0] in expected, (
            f"{query!r}: first result {results[0]}, expected {' or '.join(expected)}; "
            f"ranking: {results}"
        )
