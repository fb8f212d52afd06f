"""Layout: no sideways scrolling on a phone or a desktop, and a clean printout.

The full-page screenshots in tests/browser/screenshots/ (git-ignored) are for people to look at.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser

SCREENSHOT_PAGES = {
    "start": "/",
    "henvisning": "/emner/henvisning/",
    "hvem-gjor-hva": "/hvem-gjor-hva/",
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

_OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > doc.clientWidth + 1) {
      const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
      wide.push(`${name}.${e.className} right=${r.right}`);
    }
  }
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide: wide.slice(0, 8)};
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(SCREENSHOT_PAGES))
def test_no_horizontal_overflow(open_page, name: str, viewport: str) -> None:
    size = VIEWPORTS[viewport]
    page = open_page(SCREENSHOT_PAGES[name], viewport=size).page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{size['width']}.png", full_page=True)
    box = page.evaluate(_OVERFLOW)
    assert box["scrollWidth"] <= box["clientWidth"], (
        f"{SCREENSHOT_PAGES[name]} at {size['width']} px scrolls sideways: scrollWidth "
        f"{box['scrollWidth']} > clientWidth {box['clientWidth']}; too wide: {box['wide']}"
    )


_HIDDEN = """(selector) => {
  const e = document.querySelector(selector);
  if (e === null) return null;
  const r = e.getBoundingClientRect();
  return {display: getComputedStyle(e).display, width: r.width, height: r.height};
}"""


def test_print_shows_only_the_article(open_page) -> None:
    page = open_page("/emner/henvisning/").page
    link = page.locator('.md-typeset a[href^="https://www.praksisnytt.no/"]').first
    assert link.count() == 1, "the topic page has no link to https://www.praksisnytt.no/"
    href = link.get_attribute("href")
    after = "el => getComputedStyle(el, '::after').content"
    assert href not in link.evaluate(after), "the URL is already spelled out on screen"

    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".hb-header-search"):
        state = page.evaluate(_HIDDEN, selector)
        assert state is not None, f"{selector} is not on the page"
        hidden = state["display"] == "none" or state["width"] * state["height"] == 0
        assert hidden, f"{selector} is printed: {state}"
    assert page.locator("article h1").is_visible(), "the article itself is not printed"
    assert href in link.evaluate(after), f"{href} is not printed after its link"
