"""The live preview (`mkdocs serve` with the handbook plugin) never hangs on a mistake.

A real `mkdocs serve` on a free 127.0.0.1 port over a copy of tests/fixtures/regions (region
«sor»), of the page templates and of the theme: a content mistake saved while it runs gives,
within seconds, the last good page with a banner naming file:line:col (the message quotes
content, escaped); fixing it brings the page back without the banner (MkDocs' livereload
reloads the tab); a page template mistake is shown the same way, a theme template's on an
error page; started with broken content, the server runs and serves a page with the error.
Every wait is bounded; the server is stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DESKTOP, ROOT

pytestmark = pytest.mark.browser

REGION_FILE = Path("content/regions/sor/region.yaml")
GOOD_TITLE = "title: Pasientreiser i Sør"
BAD_TITLE = "title: Pasientreiser <b>i</b> Sør"
TOPIC = "/emner/sor-pasientreiser/"
WAIT = 30_000  # ms: a rebuild of the fixture takes about a second or two
BANNER = ".hb-preview-errors"


def _config(root: Path) -> str:
    return f"""site_name: Forhåndsvisning
site_url: https://handbok.example/
docs_dir: {ROOT / "overrides/docs"}
theme:
  name: material
  custom_dir: theme
  language: nb
  font: false
extra_css: [assets/handbook.css]
markdown_extensions: [abbr, attr_list, md_in_html, tables, admonition, toc]
plugins:
  - handbook:
      content: content
      templates: templates
      cards: {ROOT / "overrides/cards"}
      error_examples: {ROOT / "tests/fixtures/bad"}
      releases: releases
      region: sor
      search: false
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project: the fixture content, the page templates and a mkdocs.yml for them."""
    shutil.copytree(ROOT / "tests/fixtures/regions", tmp_path / "content")
    shutil.copytree(ROOT / "overrides/handbook", tmp_path / "templates")
    shutil.copytree(ROOT / "overrides/theme", tmp_path / "theme")
    (tmp_path / "mkdocs.yml").write_text(_config(tmp_path), encoding="utf-8")
    return tmp_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


@contextlib.contextmanager
def mkdocs_serve(project: Path) -> Iterator[str]:
    """`mkdocs serve` in the project; yields its address once it answers (bounded), and stops it."""
    port = _free_port()
    log = (project / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"mkdocs serve exited:\n{(project / 'serve.log').read_text()}")
            try:
                _get(url + "/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"mkdocs serve did not answer:\n{(project / 'serve.log').read_text()}"
                    )
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def _edit(project: Path, path: Path, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_col(project: Path, path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate((project / path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def test_a_mistake_while_serving_shows_on_the_page_and_fixing_it_recovers(
    browser, project: Path
) -> None:
    with mkdocs_serve(project) as url:
        context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
        context.set_default_timeout(WAIT)
        page = context.new_page()
        page.goto(url + TOPIC)
        assert page.locator(BANNER).count() == 0
        heading = page.locator("h1").first.inner_text()

        _edit(project, REGION_FILE, GOOD_TITLE, BAD_TITLE)
        line, _ = _line_col(project, REGION_FILE, BAD_TITLE)
        page.wait_for_selector(BANNER)  # livereload reloaded the open tab by itself
        banner = page.locator(BANNER)
        where = banner.locator(".hb-preview-errors__where").first.inner_text()
        assert where.startswith(f"{REGION_FILE.as_posix()}:{line}:"), where
        text = banner.inner_text()
        assert "Innholdet har 1 feil" in text and "ikke tillatt" in text and "Hint:" in text
        assert "«<b" in text, text  # the quoted content, as text
        assert banner.locator("b").count() == 0  # ... never as markup
        assert page.locator("h1").first.inner_text() == heading  # the last good page stays
        assert banner.locator("a[href$='redigering/']").count() == 1
        started = time.monotonic()
        html = _get(url + "/", timeout=5)  # a fresh request answers at once, banner and all
        answered = time.monotonic() - started
        assert "hb-preview-errors__where" in html and "«&lt;b" in html
        assert answered < 5, answered

        _edit(project, REGION_FILE, BAD_TITLE, GOOD_TITLE)
        page.wait_for_selector(BANNER, state="detached")
        assert page.locator("h1").first.inner_text() == heading

        template = next((project / "templates").glob("topic*.j2"))
        _edit(
            project,
            template.relative_to(project),
            "{{",
            "{{ (",
        )
        page.wait_for_selector(BANNER)
        where = page.locator(".hb-preview-errors__where").first.inner_text()
        assert template.name in where, where

        # A theme template that fails (not the content's): an error page, not a stuck server.
        _edit(project, template.relative_to(project), "{{ (", "{{")
        _edit(project, Path("theme/main.html"), "{% block hero -%}", "{% block hero -%}{% if %}")
        _edit(project, REGION_FILE, GOOD_TITLE, GOOD_TITLE + " ")  # a save MkDocs watches
        deadline = time.monotonic() + WAIT / 1000
        while "kunne ikke lage sidene" not in (html := _get(url + "/", timeout=5)):
            assert time.monotonic() < deadline, html[:500]
            time.sleep(0.3)
        assert "TemplateSyntaxError" in html
        context.close()


def test_started_with_broken_content_it_runs_and_shows_the_error(browser, project: Path) -> None:
    _edit(project, REGION_FILE, GOOD_TITLE, BAD_TITLE)
    line, _ = _line_col(project, REGION_FILE, BAD_TITLE)
    with mkdocs_serve(project) as url:
        context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
        context.set_default_timeout(WAIT)
        page = context.new_page()
        page.goto(url + "/")
        assert page.locator("h1").first.inner_text() == "Innholdet har feil"
        where = page.locator(".hb-preview-errors__where").first.inner_text()
        assert where.startswith(f"{REGION_FILE.as_posix()}:{line}:"), where

        _edit(project, REGION_FILE, BAD_TITLE, GOOD_TITLE)
        page.wait_for_selector(BANNER, state="detached")
        assert page.locator("h1").first.inner_text() != "Innholdet har feil"
        assert _get(url + TOPIC).count("Pasientreiser i Sør") >= 1
        context.close()
