"""At the point of care: on a phone, «Hvem ringer jeg?» shows a number to tap on its first
screen. The screenshot (tests/browser/screenshots/, git-ignored) is for people to look at."""

from __future__ import annotations

import pytest

from .conftest import PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser

FIRST_SCREEN = 900  # px from the top of the page, on a 390 px wide phone

_TEL_LINKS = """() => [...document.querySelectorAll('a[href^="tel:"]')].map(a => {
  const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), href: a.getAttribute('href'),
          top: r.top + window.scrollY, height: r.height, width: r.width};
})"""


def test_a_number_to_tap_on_the_first_screen_of_a_phone(open_page) -> None:
    page = open_page("/telefonvei/", viewport=PHONE).page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "telefonvei-390-first-screen.png")
    links = page.evaluate(_TEL_LINKS)
    assert links, "no tel: link on the routes page"
    first = min(links, key=lambda link: link["top"])
    assert first["top"] + first["height"] <= FIRST_SCREEN, first
    assert first["text"].startswith("Ring "), first
    # a button big enough for a thumb (WCAG 2.5.5's 44 px)
    assert first["height"] >= 44 and first["width"] >= 44, first


def test_the_compact_list_comes_before_the_details(open_page) -> None:
    page = open_page("/telefonvei/", viewport=PHONE).page
    quick = page.locator(".hb-quick__item")
    routes = page.locator(".hb-route")
    assert quick.count() == routes.count() > 0
    last_line = quick.last.bounding_box()
    first_detail = routes.first.bounding_box()
    assert last_line is not None and first_detail is not None
    assert last_line["y"] < first_detail["y"]
    # every line says what to do, and links to its details
    for i in range(quick.count()):
        line = quick.nth(i)
        assert line.locator(".hb-quick__do").inner_text().strip()
        href = line.locator("a.hb-quick__title").get_attribute("href")
        assert href and href.startswith("#") and page.locator(href).count() == 1


def test_the_routes_page_is_axe_clean_on_a_phone(open_page) -> None:
    from .test_accessibility import BLOCKING, _describe, _scan

    violations = _scan(open_page, "/telefonvei/", PHONE)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, _describe("/telefonvei/", violations)


def test_a_page_requests_nothing_that_is_missing(browser, site_url: str) -> None:
    """The theme fetches the sitemap.xml beside every rel="alternate" link (the feed's): it
    must exist, so no page load asks for a file that is not there."""
    context = browser.new_context(viewport=PHONE, locale="nb-NO")
    try:
        page = context.new_page()
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        for path in ("/", "/telefonvei/", "/hva-er-nytt/"):
            page.goto(site_url + path, wait_until="networkidle")
        assert not missing, missing
    finally:
        context.close()
