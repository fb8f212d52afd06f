"""Browser tests: build the site once, serve it locally, drive Debian's Chromium with Playwright.

Browsers cannot be downloaded here, so Playwright always launches /usr/bin/chromium. Without
it the browser tests are skipped, except on CI (CI=true), where they fail: CI must never pass
by silently skipping them. That rule lives in `require_chromium` and nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).parent / "screenshots"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> None:
    """Skip when there is no browser to test with; on CI, fail instead of skipping."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed"
    if problem is None:
        return
    if on_ci():
        pytest.fail(f"browser tests cannot run on CI: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


# --- the site ---------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run_build(*args: str) -> None:
    """Run a build command in the project (`mkdocs build ...`, `generator.cli build ...`), or
    fail the test session with its output."""
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 on a free port; yields e.g. http://127.0.0.1:41234"""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook (its default region), built once per session with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("browser") / "site"
    run_build("mkdocs", "build", "--strict", "-d", str(out))
    if not (out / "pagefind" / "pagefind-ui.js").exists():
        pytest.fail("the build made no Pagefind index (pagefind/pagefind-ui.js)", pytrace=False)
    return out


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site, served on 127.0.0.1 on a free port; e.g. http://127.0.0.1:41234"""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """URL path of every HTML page in the built site ('/', '/emner/epikrise/', '/404.html')."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir)
        if rel.parts[0] in ("assets", "pagefind"):
            continue
        if rel.name == "index.html":
            parent = rel.parent.as_posix()
            paths.append("/" if parent == "." else f"/{parent}/")
        else:
            paths.append(f"/{rel.as_posix()}")
    return sorted(paths, key=lambda p: (p != "/", p))


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


def to_path(url: str) -> str:
    """A URL as a site path: no origin, no #fragment, no query, no trailing index.html."""
    path = urlsplit(url).path or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def is_local(url: str, site_url: str) -> bool:
    """Requests that stay on the machine: the local server, data: URLs, blobs made by it."""
    if url.startswith("data:") or url == "about:blank":
        return True
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == site_url


@dataclass
class Visit:
    page: object  # playwright.sync_api.Page
    response: object  # playwright.sync_api.Response | None
    foreign_requests: list[str] = field(default_factory=list)

    @property
    def status(self) -> int | None:
        return self.response.status if self.response is not None else None


@pytest.fixture
def open_page(browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    """open_page('/telefonvei/', viewport=PHONE) -> Visit, with every request that left the
    local server recorded in visit.foreign_requests. Each call gets a fresh browser context."""
    contexts = []

    def _open(
        path: str,
        *,
        viewport: dict[str, int] = DESKTOP,
        wait_until: str = "networkidle",
    ) -> Visit:
        context = browser.new_context(viewport=viewport, locale="nb-NO")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page=page, response=None)

        def record(request) -> None:
            if not is_local(request.url, site_url):
                visit.foreign_requests.append(f"{request.method} {request.url}")

        page.on("request", record)
        visit.response = page.goto(site_url + path, wait_until=wait_until)
        return visit

    yield _open
    for context in contexts:
        context.close()
