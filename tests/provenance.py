"""What a statement cites, read from the YAML where it is written, and what a page shows for it.

An independent reading of the provenance rule (generator/core/regions.py has the one the generator
applies): a statement cites its own `source:`; otherwise, written inside a topic, that topic's
`source:` in the same file; added by a change, the `source:` the same change gives its target.
Nothing here imports the generator.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml


def _cited(item: dict[str, Any], default: Any) -> tuple[str, str] | None:
    source = item.get("source") or default
    if not isinstance(source, dict):
        return None
    return str(source["document"]), str(source["section"])


def _statements(data: Any) -> Iterator[tuple[str, tuple[str, str] | None]]:
    for topic in (data or {}).get("topics") or []:
        for statement in topic.get("statements") or []:
            yield statement["id"], _cited(statement, topic.get("source"))
    for change in (data or {}).get("changes") or []:
        default = (change.get("override") or {}).get("source")  # `source:` cites `why:`
        for part in ("extend", "override"):
            for statement in (change.get(part) or {}).get("statements") or []:
                yield statement["id"], _cited(statement, default)


def written_citations(content: Path) -> dict[str, list[tuple[str, str] | None]]:
    """Statement id -> the (document, section) it cites, in each place it is written (an id
    written twice: removed by one region and written again by another)."""
    found: dict[str, list[tuple[str, str] | None]] = {}
    for path in sorted(content.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for statement_id, citation in _statements(data):
            found.setdefault(statement_id, []).append(citation)
    return found


class ShownCitations(HTMLParser):
    """Statement id -> the citation line shown in it: (href of the source link, the text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: dict[str, tuple[str, str]] = {}
        self._stack: list[tuple[str, str | None]] = []  # (tag, statement id)
        self._cite: list[str] | None = None
        self._href = ""

    def _statement(self) -> str | None:
        return next((sid for _, sid in reversed(self._stack) if sid), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        statement = values.get("id") if "hb-statement" in classes else None
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._stack.append((tag, statement))
        if "hb-cite" in classes and self._statement():
            self._cite, self._href = [], ""
        if tag == "a" and self._cite is not None and not self._href:
            self._href = values.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == "p" and self._cite is not None:
                statement = self._statement()
                if statement:
                    self.shown[statement] = (self._href, " ".join("".join(self._cite).split()))
                self._cite = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._cite is not None:
            self._cite.append(data)


def shown_citations(html: str) -> dict[str, tuple[str, str]]:
    parser = ShownCitations()
    parser.feed(html)
    return parser.shown


def section_words(content: Path) -> dict[tuple[str, str], str]:
    """(document, section id) -> the section's title, as the sources list them."""
    titles: dict[tuple[str, str], str] = {}
    for path in sorted(content.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        for source in data.get("sources") or []:
            for section in source.get("sections") or []:
                titles[(source["id"], str(section["id"]))] = str(section["title"])
    return titles
