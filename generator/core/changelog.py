"""«Hva er nytt»: what changed since the last release, for readers.

A release is a snapshot: the public export (`handbook.json`) saved as `releases/<date>.json` by
`handbook release`. Snapshots live in the repository, so a fresh clone without git history still
knows what the last release said. Statements, phone routes and message types are compared by id:
added, removed, and changed (old and new wording side by side).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RELEASE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")
KINDS = {"statement": "Utsagn", "route": "Telefonvei", "message_type": "Meldingstype"}


@dataclass(frozen=True)
class Change:
    kind: str  # statement | route | message_type
    id: str
    title: str
    old: str | None  # the wording in the last release (None: added)
    new: str | None  # the wording now (None: removed)


@dataclass
class Changelog:
    since: dt.date | None
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _lines(*parts: Any) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, list):
            out += [f"• {p}" for p in part if p]
        elif part:
            out.append(str(part))
    return "\n".join(out)


def _items(document: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """id -> (kind, title, comparable wording) for everything the changelog tracks."""
    names = {
        e["id"]: e["name"] for key in ("actors", "organisations") for e in document.get(key, [])
    }
    items: dict[str, tuple[str, str, str]] = {}
    for topic in document.get("topics", []):
        for s in topic.get("statements", []):
            wording = _lines(
                f"{s['when']}: {s['text']}" if s.get("when") else s["text"],
                s.get("details", []),
                [f"Unntak: {x}" for x in s.get("exceptions", [])],
                "Ansvar: " + ", ".join(names.get(who, who) for who in s["responsible"]),
            )
            items[s["id"]] = ("statement", topic["title"], wording)
    for r in document.get("routes", []):
        keys = [f"{k['site']}: {k['keys']}" for k in r.get("keys", [])]
        hours = r["hours"]
        number, internal = r.get("number"), r.get("internal") or {}
        if number and internal.get("example") and internal.get("number") == number:
            number = f"EKSEMPEL: {number} (ikke et ekte nummer)"  # a placeholder, as on the pages
        wording = _lines(
            r["purpose"],
            f"Nummer: {number}" if number else "",
            f"Be om: {r['ask_for']}" if r.get("ask_for") else "",
            keys,
            "Betjent: " + ("hele døgnet" if hours.get("always_open") else hours.get("open", "")),
            f"Utenom åpningstid: {hours['outside_hours']}" if hours.get("outside_hours") else "",
            r.get("steps", []),
            [f"Hvis ingen svarer: {f['text']}" for f in r.get("fallbacks", [])],
        )
        items[r["id"]] = ("route", r["title"], wording)
    for m in document.get("message_types", []):
        sections = []
        for key, label in (
            ("use", "Bruk"),
            ("never_use", "Ikke bruk"),
            ("addressing", "Adressering"),
            ("content_rules", "Innhold"),
        ):
            sections += [f"{label}: {rule['text']}" for rule in m.get(key, [])]
        reply = m.get("reply_time", {}).get("text", "")
        items[m["id"]] = ("message_type", m["name"], _lines(m["description"], sections, reply))
    return items


def compare(old: dict[str, Any], new: dict[str, Any], since: dt.date | None) -> Changelog:
    before, after = _items(old), _items(new)
    log = Changelog(since)
    for item_id, (kind, title, wording) in after.items():
        if item_id not in before:
            log.added.append(Change(kind, item_id, title, None, wording))
        elif before[item_id][2] != wording:
            log.changed.append(Change(kind, item_id, title, before[item_id][2], wording))
    for item_id, (kind, title, wording) in before.items():
        if item_id not in after:
            log.removed.append(Change(kind, item_id, title, wording, None))
    return log


def latest_release(folder: Path) -> tuple[dt.date, dict[str, Any]] | None:
    releases = (
        sorted(
            (dt.date.fromisoformat(m.group(1)), p)
            for p in folder.glob("*.json")
            if (m := RELEASE_NAME.match(p.name))
        )
        if folder.is_dir()
        else []
    )
    if not releases:
        return None
    date, path = releases[-1]
    return date, json.loads(path.read_text(encoding="utf-8"))


def changelog(current: dict[str, Any], releases: Path) -> Changelog:
    release = latest_release(releases)
    if release is None:
        return Changelog(since=None)
    date, snapshot = release
    return compare(snapshot, current, date)
