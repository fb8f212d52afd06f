"""Pages whose Markdown did not change since an earlier build are not converted again.

Why: converting the Markdown of the 28 pages to HTML is about half of MkDocs' build (Python-
Markdown, ~700 ms here), and after an editor saves a file only the few pages that show what
changed have new Markdown. What `Page.render` makes (the HTML, the table of contents, the
title, the anchors, the links to anchors) depends only on the page's Markdown, where it and
every other file of the site land, the Markdown settings, the link checks, the log level and
the MkDocs and Python-Markdown versions: the key is the sha256 of all of those, and of this
module. A page whose conversion logged anything is never kept (its warnings must come again).

The entries are JSON (no code runs when one is read), in `<user cache>/pages/`; past
MAX_ENTRIES the older half goes. `HANDBOOK_CACHE=0` turns it off, like the other caches of
results (`generator.core.user_cache`). Used by the plugin's `on_pre_page`; tested by building
with and without it (tests/test_page_cache.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.core import user_cache

MAX_ENTRIES = 2000
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # decides `links_to_anchors`


def folder() -> Path | None:
    base = user_cache.cache_folder()
    return None if base is None or not user_cache.results_enabled() else base / "pages"


def kept_render(page: Page) -> None:
    """Make `page.render` answer from the cache when it can (called before MkDocs renders it)."""
    where = folder()
    if where is None:
        return
    convert = page.render

    def render(config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        entry = where / f"{_key(page, config, files)}.json"
        if _restore(page, files, user_cache.read(entry)):
            return
        with _logged() as records:
            convert(config, files)
        if not records:
            user_cache.write(entry, _saved(page))
            user_cache.prune(where, ".json", MAX_ENTRIES)

    page.render = render  # type: ignore[method-assign]


def _key(page: Page, config: MkDocsConfig, files: Files) -> str:
    assert page.markdown is not None
    digest = _setting(config, files).copy()
    digest.update(b"\0" + page.file.src_uri.encode("utf-8", "surrogateescape"))
    digest.update(b"\0" + page.markdown.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


_LAST: tuple[MkDocsConfig, Files, Any] | None = None  # the build's setting, made once


def _setting(config: MkDocsConfig, files: Files) -> Any:
    """The sha256 of what every page's conversion depends on besides its own Markdown, made
    once per build (the config and the files object are the build's)."""
    global _LAST
    if _LAST is not None and _LAST[0] is config and _LAST[1] is files:
        return _LAST[2]
    every_file = sorted((f.src_uri, f.url, f.inclusion.name) for f in files)
    setting = json.dumps(
        [
            _own_source(),
            sys.version,
            mkdocs.__version__,
            markdown.__version__,
            config["markdown_extensions"],
            repr(config["mdx_configs"]),
            sorted(dict(config.validation.links).items()),
            config.use_directory_urls,
            _PAGES_LOG.getEffectiveLevel(),
            every_file,
        ],
        default=repr,
    )
    _LAST = (config, files, hashlib.sha256(setting.encode()))
    return _LAST[2]


@functools.cache
def _own_source() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _saved(page: Page) -> bytes:
    links = page.links_to_anchors
    return json.dumps(
        {
            "content": page.content,
            "toc": _toc_tokens(page),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: v for f, v in links.items()},
        },
        ensure_ascii=False,
    ).encode()


def _restore(page: Page, files: Files, data: bytes | None) -> bool:
    """Set what `Page.render` sets from a kept entry; False (a miss) when there is none or it
    cannot be read."""
    if data is None:
        return False
    try:
        kept = json.loads(data)
        links = kept["links"]
        if links is not None:
            targets = {uri: files.get_file_from_path(uri) for uri in links}
            if None in targets.values():
                return False
            links = {targets[uri]: anchors for uri, anchors in links.items()}
        page.content = kept["content"]
        page.toc = get_toc(kept["toc"])
        page._title_from_render = kept["title"]
        page.present_anchor_ids = set(kept["anchors"])
        page.links_to_anchors = links
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _toc_tokens(page: Page) -> list[dict[str, Any]]:
    """The table of contents as the tokens `get_toc` makes it from (what it reads of them)."""

    def tokens(items: Any) -> list[dict[str, Any]]:
        return [
            {
                "level": item.level,
                "id": item.id,
                "name": item.title,
                "children": tokens(item.children),
            }
            for item in items
        ]

    return tokens(page.toc)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _logged() -> Iterator[list[logging.LogRecord]]:
    """What was logged meanwhile, by MkDocs (its loggers do not propagate) or anyone else."""
    handler = _Records()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
