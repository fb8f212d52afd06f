"""«Hva er nytt» as an Atom feed (RFC 4287): one entry per statement, phone route or message
type that is new, changed or removed since the last release, so readers can follow changes in
a feed reader or an intranet widget.

The XML is built with ElementTree, which escapes every text and attribute it writes: a content
string with `<`, `&` or `]]>` stays text. The dates come from the content (the release's date,
the items' review dates), never from the clock, so the same content gives the same feed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.core.changelog import KINDS, Change, Changelog
from generator.core.handbook import Handbook
from generator.site.navigation import WHATS_NEW
from generator.site.pages import FEED_PATH, location, page_url

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATES = {"added": "Nytt", "changed": "Endret", "removed": "Fjernet"}


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = value
    return element


def _reviewed(handbook: Handbook, item_id: str) -> dt.date | None:
    entry = handbook.entries.get(item_id)
    review = getattr(entry.entity, "review", None) if entry is not None else None
    if review is None and entry is not None and entry.parent is not None:  # a statement
        review = getattr(entry.parent.entity, "review", None)
    return review.last_reviewed if review is not None else None


def _content(state: str, change: Change) -> str:
    if state == "added":
        return change.new or ""
    if state == "removed":
        return f"Fjernet. Teksten var:\n{change.old or ''}"
    return f"Før:\n{change.old or ''}\n\nNå:\n{change.new or ''}"


def atom_feed(handbook: Handbook, changes: Changelog, site_url: str) -> str:
    """The region's feed as XML text. `site_url`: the region site's address (its folder)."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    page = base + page_url(WHATS_NEW)
    assert handbook.info is not None
    since = changes.since
    entries = [
        (state, change)
        for state, items in (
            ("added", changes.added),
            ("changed", changes.changed),
            ("removed", changes.removed),
        )
        for change in items
    ]
    dates = {
        change.id: _reviewed(handbook, change.id) if state != "removed" else None
        for state, change in entries
    }
    newest = max(
        [d for d in dates.values() if d is not None] + ([since] if since else []),
        default=dt.date(1970, 1, 1),
    )
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "nb"})
    _text(feed, "title", f"{handbook.info.title}: Hva er nytt")
    _text(feed, "subtitle", "Nye, endrede og fjernede utsagn, telefonveier og meldingstyper.")
    _text(feed, "id", page)
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + FEED_PATH})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    maintainer = handbook.entries.get(handbook.info.maintainer)
    name = getattr(maintainer.entity, "name", "") if maintainer is not None else ""
    _text(author, "name", name or handbook.info.health_community)
    for state, change in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", f"{STATES[state]} – {KINDS[change.kind]}: {change.title}")
        # Stable across builds, and new when the same item changes again after a release.
        release = since.isoformat() if since else "start"
        _text(entry, "id", f"{page}#{release}/{state}/{change.id}")
        _text(entry, "updated", _stamp(dates[change.id] or newest))
        if state != "removed" and change.id in handbook.entries:
            path, anchor = location(handbook, change.id)
            href = base + page_url(str(path)) + (f"#{anchor}" if anchor else "")
        else:
            href = page
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": href})
        _text(entry, "content", _content(state, change), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
