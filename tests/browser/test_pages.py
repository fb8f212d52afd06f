"""Pages render, stay offline, and work with a phone and a keyboard."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import to_path

pytestmark = pytest.mark.browser

MIN_PAGES = 23  # start, 6 other pages, 16 topics
TOPICS = 16


def _h1_text(page) -> str:
    """The h1 as read, without the permalink sign (¶) Material appends to headings."""
    return page.locator("h1").evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink')"
        ".forEach(a => a.remove()); return c.textContent.trim(); }"
    )


def test_start_page_renders(open_page, site_dir) -> None:
    page = open_page("/").page
    assert _h1_text(page) == "Samhandlingshåndboka Agder"

    links = page.locator("article h2#emner + ol a")
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    paths = [to_path(href) for href in hrefs]
    assert len(paths) == TOPICS, paths
    assert len(set(paths)) == TOPICS, f"duplicate topic links: {paths}"
    built_topics = {f"/emner/{d.name}/" for d in (site_dir / "emner").iterdir() if d.is_dir()}
    assert set(paths) == built_topics
    for i in range(TOPICS):
        assert links.nth(i).is_visible(), paths[i]
        assert links.nth(i).inner_text().strip(), f"topic link {paths[i]} has no text"


def test_every_page_loads_offline(open_page, site_pages, subtests) -> None:
    assert len(site_pages) >= MIN_PAGES, site_pages
    batch = 8  # pages load side by side: network idle is 500 ms of quiet, per page
    for start in range(0, len(site_pages), batch):
        visits = {
            path: open_page(path, wait_until="commit") for path in site_pages[start : start + batch]
        }
        for path, visit in visits.items():
            with subtests.test(page=path):
                visit.page.wait_for_load_state("networkidle")
                assert visit.status == 200, f"{path}: HTTP {visit.status}"
                h1s = visit.page.locator("h1").count()
                assert h1s == 1, f"{path}: {h1s} <h1> elements, expected exactly one"
                assert visit.page.evaluate("document.documentElement.lang") == "nb"
                foreign = "\n".join(visit.foreign_requests)
                assert not foreign, f"{path} requested other origins:\n{foreign}"
        for visit in visits.values():
            visit.page.context.close()


def test_phone_number_is_a_tel_link(open_page) -> None:
    page = open_page("/telefonvei/").page
    link = page.get_by_role("link", name="Ring 03739", exact=True).first
    assert link.is_visible()
    assert link.get_attribute("href") == "tel:03739"


_FOCUSED = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return {tag: e.tagName, id: e.id, href: e.href || null, width: r.width, height: r.height};
}"""


def test_keyboard_reaches_search_and_phone_routes(open_page, site_url) -> None:
    page = open_page("/").page
    max_presses = 60
    seen = {}
    trail = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        trail.append(focused)
        if focused["id"] == "hb-q":
            seen.setdefault("search", focused)
        if focused["href"] and to_path(focused["href"]) == "/telefonvei/":
            seen.setdefault("telefonvei", focused)
        if len(seen) == 2:
            break
    summary = "\n".join(f"{f['tag']} #{f['id']} {f['href']}" for f in trail)
    assert "search" in seen, f"#hb-q not reached in {max_presses} Tab presses:\n{summary}"
    assert "telefonvei" in seen, f"no link to /telefonvei/ in {max_presses} presses:\n{summary}"
    for name, focused in seen.items():
        assert focused["width"] > 0 and focused["height"] > 0, f"{name} focused but invisible"

    page.focus("#hb-q")
    page.keyboard.type("epikrise")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/sok/?q=epikrise")
    url = urlsplit(page.url)
    assert url.path == "/sok/"
    assert parse_qs(url.query) == {"q": ["epikrise"]}
