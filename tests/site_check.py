"""Read a built site's HTML: every link, anchor and resource, for link and offline checks."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(values[key])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and values.get("src"):
            self.resources.append((tag, values["src"]))
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and values.get("href") and not rel & {"canonical", "alternate"}:
            # canonical/alternate name the page's public address; the browser fetches nothing
            self.resources.append((tag, values["href"]))


def read(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def target_file(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative or root-relative URL on `page` points to."""
    path = unquote(urlsplit(url).path)
    if not path:
        return page
    base = "/" + page.parent.relative_to(site).as_posix() + "/"
    joined = posixpath.normpath(posixpath.join(base, path)) + ("/" if path.endswith("/") else "")
    candidate = site / joined.lstrip("/")
    if joined.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.exists() else None


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)
