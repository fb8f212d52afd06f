"""Chromium through the production nginx set-up (deploy/serve): every page of both editions
loads with zero CSP violations and zero script errors, search included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy_support import REGION, built_editions, serve

from .conftest import require_chromium

pytestmark = pytest.mark.browser

# Reports every violation to the page; CSP errors also reach the console, counted there too.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  `${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""


def _pages(site: Path, prefix: str) -> list[str]:
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site)
        if rel.parts[-1] == "404.html" or rel.parts[1:2] in (("assets",), ("pagefind",)):
            continue
        folder = rel.parent.as_posix()
        paths.append(prefix + ("" if folder == "." else folder + "/"))
    return paths


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    site, internal = built_editions(tmp_path_factory.getbasetemp())
    log = tmp_path_factory.mktemp("serve-browser") / "serve.log"
    with serve(log, "--site", str(site), "--internal", str(internal)) as running:
        yield running, site, internal


def test_every_page_loads_through_nginx_without_csp_violations_or_errors(deployed, browser) -> None:
    server, site, internal = deployed

    public, intern = _pages(site, "/"), _pages(internal, "/intern/")
    visits = [(p, None) for p in public] + [(p, ("intern", server.password)) for p in intern]
    visits += [(f"/{REGION}/emner/finnes-ikke/", None), ("/finnes-ikke/", None)]
    visits += [(f"/intern/{REGION}/finnes-ikke/", ("intern", server.password))]
    problems: list[str] = []
    violations = 0
    # The session's one browser (two Playwright instances cannot run in one process).
    tabs, errors = {}, []  # one tab per edition, reused: a new tab per page costs time
    for login in (None, ("intern", server.password)):
        credentials = {"username": login[0], "password": login[1]} if login else None
        tab = browser.new_context(locale="nb-NO", http_credentials=credentials).new_page()
        tab.add_init_script(LISTEN)
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.on("pageerror", lambda x: errors.append(f"pageerror: {x}"))
        # ERR_ABORTED: the next page.goto cancelled it (card previews the service worker was
        # still keeping), not a failure of the server.
        tab.on(
            "requestfailed",
            lambda r: r.failure != "net::ERR_ABORTED" and errors.append(f"failed: {r.url}"),
        )
        tabs[login] = tab
    for path, login in visits:
        page = tabs[login]
        errors.clear()
        response = page.goto(server.url + path, wait_until="domcontentloaded")
        page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        wanted = 404 if "finnes-ikke" in path else 200
        if response is None or response.status != wanted:
            problems.append(f"{path}: status {response and response.status}")
        if path.endswith("/sok/"):
            page.fill("#hb-search input", "epikrise")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        found = page.evaluate("window.__violations")
        violations += len(found)
        # 404 pages log their own status as a console error: that one is expected
        problems += [f"{path}: {x}" for x in found]
        problems += [f"{path}: {x}" for x in errors if "status of 404" not in x]
    for tab in tabs.values():
        tab.context.close()
    print(f"\nnginx + Chromium: {len(visits)} pages, {violations} CSP violations")
    assert len(public) > 20 and len(intern) > 20
    assert not problems, "\n".join(problems[:20])
