"""The query set (tests/search_queries.yaml): what clinicians type, run through Pagefind's JS API
in Chromium over the built site. Prints the share of queries whose expected page comes first
and in the top 3, and fails when either drops below the floor recorded in the data file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from .conftest import to_path

pytestmark = pytest.mark.browser

QUERIES = Path(__file__).resolve().parents[1] / "search_queries.yaml"

# Every query at once, in one page: the paths of the first results, best first.
_RANK = """async (queries) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const out = {};
  for (const q of queries) {
    const search = await pagefind.search(q);
    const top = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
    out[q] = top.map((d) => d.url);
  }
  return out;
}"""


def load_queries() -> dict[str, Any]:
    return YAML(typ="safe").load(QUERIES.read_text(encoding="utf-8"))


def rank_all(browser: Any, site_url: str, queries: list[str]) -> dict[str, list[str]]:
    """query -> the site paths of its first results, from Pagefind in a fresh browser page."""
    context = browser.new_context(locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(site_url + "/", wait_until="domcontentloaded")
        raw = page.evaluate(_RANK, queries)
    finally:
        context.close()
    return {q: [to_path(url) for url in urls] for q, urls in raw.items()}


def shares(data: dict[str, Any], rankings: dict[str, list[str]]) -> tuple[float, float, str]:
    """(share first, share in the top 3, a table of every query that missed first place)."""
    first = top3 = 0
    misses = []
    for item in data["queries"]:
        got, expect = rankings[item["q"]], item["expect"]
        if got[:1] and got[0] in expect:
            first += 1
        else:
            misses.append(f"  {item['q']!r:28} [{item['kind']}] -> {', '.join(got[:3]) or '—'}")
        if any(path in expect for path in got[:3]):
            top3 += 1
    total = len(data["queries"])
    return first / total, top3 / total, "\n".join(misses)


def test_the_query_set_finds_the_expected_pages(browser, site_url: str, capsys) -> None:
    data = load_queries()
    queries = [item["q"] for item in data["queries"]]
    assert len(queries) >= 40 and len(set(queries)) == len(queries)
    rankings = rank_all(browser, site_url, queries)
    first, top3, misses = shares(data, rankings)
    with capsys.disabled():
        print(
            f"\n\nquery set: {len(queries)} queries, first {first:.0%}, top 3 {top3:.0%}"
            f"\nnot first:\n{misses or '  (none)'}\n"
        )
    floor = data["floor"]
    assert first >= floor["first"], f"share first {first:.2f} < floor {floor['first']}\n{misses}"
    assert top3 >= floor["top3"], f"share in top 3 {top3:.2f} < floor {floor['top3']}\n{misses}"


def test_the_hidden_words_never_show_in_an_excerpt(open_page) -> None:
    """The added words are marked ⁂ in the index; /sok/ and the header's list drop them."""
    page = open_page("/sok/?q=oppgaveoverf%C3%B8ring").page
    page.wait_for_selector(".pagefind-ui__result-link")
    first = page.locator(".pagefind-ui__result-link").first.get_attribute("href") or ""
    assert to_path(first).startswith("/emner/oppgavedeling/")
    assert "⁂" not in page.locator("#hb-search").inner_text()
    page = open_page("/emner/henvisning/").page
    page.focus("#hb-header-q")
    page.keyboard.type("transport")
    page.wait_for_selector("#hb-header-results [role=option] mark")
    listed = page.locator("#hb-header-results").inner_text()
    assert "Pasienttransport" in listed and "⁂" not in listed
