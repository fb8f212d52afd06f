"""Offline after the first visit, in Chromium through the production nginx set-up (deploy/serve):
load one page, wait for the region's service worker to control it, go offline, and other pages
and the search still work, with «Frakoblet – viser utgaven fra <dato>»; after a rebuild with
changed content the waiting worker offers «Ny utgave – last inn på nytt», which loads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.deploy_support import REGION, built_editions, handbook, serve

from .conftest import PHONE, ROOT, SCREENSHOTS, is_local, require_chromium
from .test_accessibility import BLOCKING, _axe, _describe

pytestmark = pytest.mark.browser

START = f"/{REGION}/"
CHANGED = "Revisjon for frakoblet-testen"
# page.evaluate, not wait_for_function: that one evaluates a string, which the CSP forbids.
CONTROLLED = """() => navigator.serviceWorker.controller ? true : new Promise(done =>
  navigator.serviceWorker.addEventListener("controllerchange", () => done(true)))"""
NOTICE = ".hb-offline"


def _replace(folder: Path, new: Path) -> None:
    """Put another build in `folder` (which nginx serves), nothing of the old one left."""
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(new, folder, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    """A copy of the region's build, served by nginx; the test swaps a new build into it."""
    require_chromium()
    built, _ = built_editions(tmp_path_factory.getbasetemp())
    work = tmp_path_factory.mktemp("offline")
    folder = work / "site"
    shutil.copytree(built, folder)
    with serve(work / "serve.log", "--site", str(folder)) as running:
        yield running, folder, work


def _problems(page, site_url: str) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("request", lambda r: is_local(r.url, site_url) or problems.append(f"foreign {r.url}"))
    return problems


def test_offline_after_the_first_visit_and_a_new_edition(live, browser) -> None:
    server, folder, work = live
    context = browser.new_context(viewport=PHONE, locale="nb-NO", service_workers="allow")
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = _problems(page, server.url)
    try:
        page.goto(server.url + START, wait_until="load")
        assert page.evaluate(CONTROLLED)  # installed: every page and the index are kept
        assert page.locator(NOTICE).is_hidden()

        context.set_offline(True)
        assert page.evaluate("navigator.onLine") is False
        for path in ("telefonvei/", "emner/epikrise/", "hvem-gjor-hva/", "finnes-ikke/"):
            response = page.goto(server.url + START + path, wait_until="load")
            wanted = 404 if path == "finnes-ikke/" else 200
            assert response is not None and response.status == wanted, path
            notice = page.locator(NOTICE)
            notice.wait_for(state="visible")
            assert notice.inner_text().startswith("Frakoblet – viser utgaven fra ")
        assert "404" in page.locator("h1").first.inner_text()  # the kept 404 page
        page.goto(server.url + START + "telefonvei/", wait_until="load")
        page.locator(NOTICE).wait_for(state="visible")
        page.screenshot(path=SCREENSHOTS / "offline-telefonvei-390.png")
        violations = [v for v in _axe(page)["violations"] if v["impact"] in BLOCKING]
        assert not violations, _describe("offline telefonvei/", violations)

        # Search offline: the header's box over the kept index, and the search page.
        page.focus("#hb-header-q")
        page.keyboard.type("epikrise")
        page.wait_for_selector("#hb-header-results [role=option]", state="visible")
        page.goto(server.url + START + "sok/?q=epikrise", wait_until="load")
        page.wait_for_selector(".pagefind-ui__result-link")
        assert "Epikrise" in page.locator(".pagefind-ui__result-link").first.inner_text()
        assert page.locator(NOTICE).is_visible()

        # A new edition: built with changed content into the folder nginx serves.
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        region = content / "regions" / REGION / "region.yaml"
        text = region.read_text(encoding="utf-8")
        old = "revision: Førstegangsrevisjon 2024"
        assert old in text
        region.write_text(text.replace(old, f"revision: {CHANGED}"), encoding="utf-8")
        handbook("build", "--content", str(content), "--region", REGION, "--out", str(work / "v2"))
        _replace(folder, work / "v2")

        context.set_offline(False)  # back online: the page asks for the worker again
        page.goto(server.url + START + "om-handboka/", wait_until="load")
        assert CHANGED not in page.content()  # still the kept edition, until the reader asks
        reload = page.get_by_role("button", name="Ny utgave – last inn på nytt")
        reload.wait_for(state="visible")
        assert page.locator(NOTICE).inner_text() == "Ny utgave – last inn på nytt"
        page.screenshot(path=SCREENSHOTS / "offline-new-edition-390.png")
        violations = [v for v in _axe(page)["violations"] if v["impact"] in BLOCKING]
        assert not violations, _describe("new edition om-handboka/", violations)
        with page.expect_navigation():
            reload.click()
        page.wait_for_load_state("load")
        assert CHANGED in page.content()
        assert page.locator(NOTICE).is_hidden()
    finally:
        context.close()
    # The 404 page logs its own status; nothing else may go wrong, nothing leave the origin.
    assert not [p for p in problems if "status of 404" not in p], problems
