"""The plugin never waits for the pages' search words while MkDocs writes the pages: a page
written before the worker has made them is filled in after the build, before Pagefind reads it,
and ends up the same as a page filled at once."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.build.mkdocs_plugin import HandbookPlugin
from generator.site.search_slot import PLACEHOLDER

PAGE = f"<html><body><p>Tekst</p>\n{PLACEHOLDER}\n</body></html>\n"
WORDS = {"a.md": "henvisning henvisninger", "b.md": ""}


def _page(site: Path, src_uri: str) -> SimpleNamespace:
    dest = site / src_uri.replace(".md", "") / "index.html"
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_dest_path=str(dest)))


def _written(plugin: HandbookPlugin, site: Path, src_uri: str) -> Path:
    """What MkDocs does with a page: on_post_page, then write it (as bytes)."""
    page = _page(site, src_uri)
    output = plugin.on_post_page(PAGE, page=page, config=None)  # type: ignore[arg-type]
    path = Path(page.file.abs_dest_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(output.encode("utf-8"))
    return path


def _plugin(words: Future[dict[str, str]]) -> HandbookPlugin:
    plugin = HandbookPlugin()
    plugin.search = words
    return plugin


def test_pages_written_before_their_words_are_filled_after_the_build(tmp_path: Path) -> None:
    at_once: Future[dict[str, str]] = Future()
    at_once.set_result(WORDS)
    now = {uri: _written(_plugin(at_once), tmp_path / "now", uri).read_bytes() for uri in WORDS}
    assert b"henvisninger" in now["a.md"] and PLACEHOLDER.encode() not in now["b.md"]

    later: Future[dict[str, str]] = Future()
    plugin = _plugin(later)
    written = {uri: _written(plugin, tmp_path / "later", uri) for uri in WORDS}
    assert all(PLACEHOLDER.encode() in path.read_bytes() for path in written.values())
    later.set_result(WORDS)  # the worker is done
    plugin._fill_later()  # first in on_post_build
    assert {uri: path.read_bytes() for uri, path in written.items()} == now
    assert plugin.unfilled == []


def test_a_page_that_lost_its_placeholder_fails_the_build_either_way(tmp_path: Path) -> None:
    later: Future[dict[str, str]] = Future()
    plugin = _plugin(later)
    path = _written(plugin, tmp_path, "a.md")
    path.write_bytes(b"<p>Tekst</p>")
    later.set_result(WORDS)
    with pytest.raises(ValueError, match="placeholder"):
        plugin._fill_later()
