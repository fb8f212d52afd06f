"""Search as you type in the header's box (overrides/docs/assets/typeahead.js): results under the
box without leaving the page, the WAI-ARIA combobox keyboard, axe clean, «Vis alle treff», and
the time from the last key to the results (printed; compared with Pagefind's own search time
measured in the same page)."""

from __future__ import annotations

import statistics
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import PHONE, SCREENSHOTS, to_path
from .test_accessibility import BLOCKING, _axe, _describe

pytestmark = pytest.mark.browser

BOX = "#hb-header-q"
LIST = "#hb-header-results"
# The list shows the answer to `q` (not to an earlier prefix): «Vis alle treff» carries it.
_SHOWS = """(q) => {
  const all = document.querySelector('#hb-header-result-all');
  return Boolean(all) && new URL(all.dataset.href).searchParams.get('q') === q;
}"""


def _type(page, query: str) -> None:
    page.focus(BOX)
    page.keyboard.type(query)
    page.wait_for_selector(f"{LIST} [role=option]", state="visible")
    page.wait_for_function(_SHOWS, arg=query)


def test_results_appear_under_the_box_as_you_type(open_page, site_url: str) -> None:
    visit = open_page("/emner/henvisning/")
    page = visit.page
    _type(page, "epikriser")
    assert to_path(page.url) == "/emner/henvisning/"  # no navigation
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == "hb-header-results"
    options = page.locator(f"{LIST} [role=option]")
    assert options.count() >= 2
    first = options.first
    assert "Epikrise" in first.locator(".hb-typeahead__title").inner_text()
    assert first.locator("mark").count() >= 1  # the matched words, marked
    assert page.locator(f"{LIST} [role=option] >> text=Vis alle treff").count() == 1
    assert page.locator("[role=status]").inner_text().startswith(f"{options.count() - 1} treff")
    assert not visit.foreign_requests


def test_arrows_enter_and_escape(open_page, site_url: str) -> None:
    page = open_page("/emner/henvisning/").page
    _type(page, "epikrise")
    box = page.locator(BOX)
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "hb-header-result-0"
    assert page.locator("#hb-header-result-0").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")  # wraps to the last: «Vis alle treff»
    assert box.get_attribute("aria-activedescendant") == "hb-header-result-all"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(LIST).is_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "epikrise"  # the first Esc only closes
    page.keyboard.press("ArrowDown")  # opens again, on the first
    target = page.locator("#hb-header-result-0").get_attribute("data-href")
    assert target
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert to_path(page.url) == to_path(site_url + target)


def test_show_all_goes_to_the_search_page(open_page, site_url: str) -> None:
    page = open_page("/telefonvei/").page
    _type(page, "akutt & <b>")  # a query with markup is text, in the box and in the link
    with page.expect_navigation():
        page.locator("#hb-header-result-all").dispatch_event("mousedown")
    parts = urlsplit(page.url)
    assert parts.path == "/sok/"
    assert parse_qs(parts.query)["q"] == ["akutt & <b>"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_open_list_is_axe_clean(open_page, viewport: str) -> None:
    size = PHONE if viewport == "phone" else {"width": 1280, "height": 800}
    page = open_page("/emner/epikrise/", viewport=size).page
    _type(page, "sykmelding")
    page.keyboard.press("ArrowDown")
    if viewport == "phone":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "typeahead-390.png")
    result = _axe(page)
    assert result["passes"]
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, _describe("/emner/epikrise/ (søk åpent)", result["violations"])


_LATENCY = """async (query) => {
  const input = document.querySelector('#hb-header-q');
  const list = document.querySelector('#hb-header-results');
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const all = document.querySelector('#hb-header-result-all');
      if (all && new URL(all.dataset.href).searchParams.get('q') === query) {
        observer.disconnect();
        resolve(performance.now());
      }
    });
    observer.observe(list, {childList: true, subtree: true});
  });
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const shown = (await done) - start;
  // The baseline: Pagefind's own search and the data of the results shown, in the same page.
  const pagefind = await import(new URL('../pagefind/pagefind.js',
    document.querySelector('script[src$="typeahead.js"]').src).href);
  const t0 = performance.now();
  const answer = await pagefind.search(query + ' ');
  await Promise.all(answer.results.slice(0, 6).map((r) => r.data()));
  return {shown, search: performance.now() - t0};
}"""

QUERIES = ["epikrise", "henvisning", "sykmelding", "dialogmelding", "akutt", "resept", "PLO"]


def test_results_follow_the_last_key_without_a_debounce(open_page, capsys) -> None:
    page = open_page("/").page
    page.focus(BOX)  # loads the index
    _type(page, "fastlege")  # warm: the first search loads the WebAssembly and index chunks
    timings = [page.evaluate(_LATENCY, query) for query in QUERIES * 3]
    shown = statistics.median(t["shown"] for t in timings)
    search = statistics.median(t["search"] for t in timings)
    with capsys.disabled():
        print(
            f"\n\ntype-ahead: median {shown:.0f} ms from the last key to the results shown, "
            f"Pagefind's search alone {search:.0f} ms ({len(timings)} queries)\n"
        )
    # No debounce: what the box adds to Pagefind's own work is far less than /sok/'s 300 ms.
    assert shown < search + 300, (shown, search)
