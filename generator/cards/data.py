"""A card definition + the Handbook -> the plain data a Typst template lays out.

The template gets strings, never markup: Typst inserts JSON strings as text, so content needs no
escaping. Markdown emphasis and links are reduced to their text here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import segno

from generator.core.handbook import Handbook
from generator.core.model import Card, Citation, MessageType, Review, Route, Statement, Topic
from generator.core.provenance import item_status, status_label
from generator.site.pages import location, norwegian_date, oldest, page_url

# Linear in the text: a link's label stops at the next bracket, its target at a second `(`
# (one level of parentheses, as in a Wikipedia address), an autolink at the next `<`, and an
# emphasis at the next marker of its kind, so no start rescans what another one scanned.
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_AUTOLINK = re.compile(r"<((?:https|mailto|tel):[^<>]+)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")


# A long token must not run off the card. Typst breaks words by hyphenation (compounds), URLs
# (http:// and https:// anywhere, without a hyphen) and after «/», «.» and «-». A run of 16
# characters without any of these that holds a digit, «_» or another non-letter (a file name,
# a reference number) has no break point: it may break after such a character that a letter or
# digit follows (not after an opening bracket or quote): a zero-width space goes there. Other
# text is left as it is. Done here, not by a `show regex` rule in card.typ: that rule cost
# Typst 5-10 % of a card's time. «Whitespace» is Unicode's White_Space, as in Typst.
ZWSP = "\u200b"
_SPACE = "\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LONG_TOKEN = re.compile(f"[^{_SPACE}]{{16,}}")
_STUCK_RUN = re.compile(f"[^{_SPACE}/.\\-]{{16,}}")
_AFTER = ("L", "N")  # a break point may come before a letter or a digit
_NOT_BEFORE = ("Lu", "Ll", "Lt", "Lm", "Lo", "Ps", "Pi")  # ... but not after these


def _break_run(run: re.Match[str]) -> str:
    text, out, i = run[0], [], 0
    if text.isalpha():  # letters only (a compound): hyphenation breaks it
        return text
    while i < len(text):
        if (
            i + 1 < len(text)
            and unicodedata.category(text[i]) not in _NOT_BEFORE
            and unicodedata.category(text[i + 1])[0] in _AFTER
        ):
            out += (text[i], ZWSP, text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _break_token(token: re.Match[str]) -> str:
    if token[0].startswith(("http://", "https://")):
        return token[0]
    return _STUCK_RUN.sub(_break_run, token[0])


def breakable(text: str) -> str:
    """`text` with a zero-width space where a long token with no break point may break."""
    return _LONG_TOKEN.sub(_break_token, text) if len(text) >= 16 else text


# Card data that is not printed as text: the rest gets `breakable`.
_NOT_TEXT = frozenset({"id", "type", "kind", "format", "url", "qr", "responsible"})


def _breakable_strings(value: Any) -> Any:
    if isinstance(value, str):
        return breakable(value)
    if isinstance(value, list):
        return [_breakable_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _NOT_TEXT else _breakable_strings(v) for k, v in value.items()}
    return value


def plain(text: str | None) -> str:
    """Markdown subset -> text: emphasis markers dropped, links reduced to their text.

    Not `site.safe_text.plain_of_markdown`: the cards need list items as «• » lines, and this
    stays linear on any text (tests/test_bounds.py), which Python-Markdown does not."""
    if not text:
        return ""
    text = _AUTOLINK.sub(r"\1", _LINK.sub(r"\1", text))
    text = _EMPHASIS.sub(r"\2", text)
    lines = [ln.strip() for ln in text.splitlines()]
    lines = ["• " + ln[2:] if ln.startswith(("- ", "* ")) else ln for ln in lines]
    return (
        "\n".join(ln for ln in lines if ln)
        if any(ln.startswith("• ") for ln in lines)
        else " ".join(" ".join(lines).split())
    )


def card_url(handbook: Handbook, card: Card, site_url: str) -> str:
    path, anchor = location(handbook, card.link)
    url = site_url.rstrip("/") + "/" + page_url(path)
    return f"{url}#{anchor}" if anchor else url


def short_url(url: str) -> str:
    """What fits under a QR code: host and path, no scheme, no anchor."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def qr_svg(url: str) -> str:
    """The QR code as SVG. A fixed mask: every mask gives a valid code, and scoring all eight
    (segno's default) was the slowest part of making a card, in pure Python."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m", mask=0)
    qr.save(buffer, kind="svg", border=0, xmldecl=False, dark="#000")
    return buffer.getvalue().decode("utf-8")


class _Collector:
    """Walks a card's items, collecting their blocks, reviews and citations."""

    def __init__(self, handbook: Handbook) -> None:
        self.handbook = handbook
        self.reviews: list[Review] = []
        self.citations: list[Citation] = []

    def heading_of(self, responsible: tuple[str, ...]) -> str:
        if len(responsible) > 1:
            names = [self.name_of(who).lower() for who in responsible]
            return "Felles ansvar: " + ", ".join(names[:-1]) + " og " + names[-1]
        entity = self.handbook.entries[responsible[0]].entity
        return getattr(entity, "responsibility_heading", None) or entity.name

    def statement(self, statement: Statement, topic: Topic) -> dict[str, Any]:
        citation = None if statement.editorial else statement.source or topic.source
        self.reviews.append(topic.review)
        return {
            "type": "statement",
            "id": statement.id,
            "kind": statement.kind,
            "when": plain(statement.when),
            "text": plain(statement.text),
            "details": [plain(d) for d in statement.details],
            "exceptions": [plain(x) for x in statement.exceptions],
            "cite": self.cite(citation),
            "mark": self.mark(statement, citation),
            "heading": citation.heading or "" if citation else "",
            "responsible": list(statement.responsible),
        }

    def statements(self, pairs: list[tuple[Statement, Topic]]) -> list[dict[str, Any]]:
        """Statements grouped by who is responsible, groups in order of first appearance."""
        groups: dict[tuple[str, ...], dict[str, Any]] = {}
        for statement, topic in pairs:
            key = tuple(statement.responsible)
            if key not in groups:
                groups[key] = {"type": "group", "heading": self.heading_of(key), "items": []}
            groups[key]["items"].append(self.statement(statement, topic))
        for group in groups.values():  # a sub-heading is printed where it changes
            previous = ""
            for item in group["items"]:
                item["heading"], previous = (
                    ("" if item["heading"] == previous else item["heading"]),
                    item["heading"],
                )
        return list(groups.values())

    def cite(self, citation: Citation | None) -> str:
        """The citation as the card prints it; collected for the footer's list of sources."""
        if citation is None:
            return ""
        self.citations.append(citation)
        source = self.handbook.entries[citation.document].entity
        section = f"kap. {citation.section}" if citation.section.isdigit() else citation.section
        return f"{source.short_title or source.title}, {section}"

    def mark(self, item: Any, citation: Citation | None) -> str:
        """What a card always prints beside an item: «Redaksjonell tilføyelse (dato)», or that
        what it says is a proposal («Forslag fra ..., ikke vedtatt i ...»)."""
        if getattr(item, "editorial", None) is not None:
            return f"Redaksjonell tilføyelse ({norwegian_date(item.editorial.when)})"
        status = item_status(self.handbook, item, citation)
        return status_label(self.handbook, status) if status else ""

    def route(self, route: Route) -> dict[str, Any]:
        self.reviews.append(route.review)
        name = self.name_of
        extra = route.internal  # the internal edition: a placeholder number is never dialable
        return {
            "type": "route",
            "id": route.id,
            "title": route.title,
            "purpose": plain(route.purpose),
            "number": route.number,
            "example": bool(extra and extra.example and extra.number == route.number),
            "via": name(route.via) if route.via else "",
            "via_phone": self.handbook.entries[route.via].entity.phone if route.via else None,
            "ask_for": route.ask_for or "",
            "reaches": [name(who) for who in route.reaches],
            "keys": [
                {
                    "site": self.handbook.entries[k.site].entity.short_name or name(k.site),
                    "keys": [
                        key
                        for token in k.keys.split()
                        for key in ([token] if token == "R" else token)
                    ],
                }
                for k in route.keys
            ],
            "keys_pressed_by": name(route.keys_pressed_by) if route.keys_pressed_by else "",
            "hours": "Hele døgnet" if route.hours.always_open else plain(route.hours.open),
            "outside_hours": plain(route.hours.outside_hours),
            "steps": [plain(step) for step in route.steps],
            "fallbacks": [plain(f.text) for f in route.fallbacks],
            "cite": self.cite(None if route.editorial else route.source),
            "mark": self.mark(route, route.source),
        }

    def message_type(self, message: MessageType, only: set[str] | None = None) -> dict[str, Any]:
        """A message type's rules by section; `only` limits it to the rules a card selected."""
        self.reviews.append(message.review)
        sections = []
        for heading, all_rules in (
            ("Bruk når", message.use),
            ("Bruk ikke når", message.never_use),
            ("Adressering", message.addressing),
            ("Innhold", message.content_rules),
            ("Godt å vite", message.facts if only else []),
        ):
            rules = [r for r in all_rules if only is None or r.id in only]
            if rules:
                sections.append({"heading": heading, "items": [self.rule(r) for r in rules]})
        reply = None
        if message.reply_time:
            reply_time = message.reply_time
            self.cite(None if reply_time.editorial else reply_time.source)
            reply = plain(reply_time.text)
            if mark := self.mark(reply_time, reply_time.source):
                reply += f" ({mark})"
        return {
            "type": "message_type",
            "id": message.id,
            "name": message.name,
            "description": plain(message.description),
            "reply_time": reply,
            "sections": sections,
        }

    def rule(self, rule: Any) -> dict[str, Any]:
        return {
            "type": "rule",
            "id": rule.id,
            "text": plain(rule.text),
            "instead": plain(rule.instead),
            "cite": self.cite(None if rule.editorial else rule.source),
            "mark": self.mark(rule, rule.source),
        }

    def name_of(self, target_id: str) -> str:
        entity = self.handbook.entries[target_id].entity
        return getattr(entity, "name", None) or getattr(entity, "title", target_id)


def card_data(
    handbook: Handbook, card: Card, site_url: str, today: dt.date, qr: bool = True
) -> dict[str, Any]:
    """Everything the Typst template needs for one card, as JSON-ready data; without `qr`, the
    QR code (made from `url` by `qr_svg`) is None: a kept card does not need it."""
    collector = _Collector(handbook)
    blocks: list[dict[str, Any]] = []
    pending: list[tuple[Statement, Topic]] = []  # consecutive statements are grouped together
    rules: dict[str, set[str]] = {}  # consecutive rules, by message type: shown as one block

    def flush() -> None:
        if pending:
            blocks.extend(collector.statements(pending))
            pending.clear()
        for message_id, selected in rules.items():
            message = handbook.entries[message_id].entity
            blocks.append(collector.message_type(message, only=selected))
        rules.clear()

    for item_id in card.items:
        entry = handbook.entries[item_id]
        if entry.kind == "rule":
            assert entry.parent is not None
            if pending:
                blocks.extend(collector.statements(pending))
                pending.clear()
            rules.setdefault(entry.parent.id, set()).add(item_id)
            continue
        if entry.kind == "topic":
            pending.extend((s, entry.entity) for s in entry.entity.statements)
        elif entry.kind == "statement":
            assert entry.parent is not None
            pending.append((entry.entity, entry.parent.entity))
        else:
            flush()
            if entry.kind == "route":
                blocks.append(collector.route(entry.entity))
            elif entry.kind == "message_type":
                blocks.append(collector.message_type(entry.entity))
            elif entry.kind == "decision":
                step = entry.entity
                blocks.append(
                    {
                        "type": "decision",
                        "id": step.id,
                        "question": plain(step.question),
                        "answer": plain(step.answer),
                        "cite": collector.cite(None if step.editorial else step.source),
                        "mark": collector.mark(step, step.source),
                    }
                )
    flush()

    url = card_url(handbook, card, site_url)
    review = oldest(collector.reviews)
    sources: dict[str, list[str]] = {}
    for citation in collector.citations:
        source = handbook.entries[citation.document].entity
        label = source.short_title or source.title
        sections = sources.setdefault(label, [])
        if citation.section not in sections:
            sections.append(citation.section)
    info = handbook.info
    data = {
        "id": card.id,
        "title": card.title,
        "subtitle": card.subtitle or "",
        "format": card.format,
        "handbook": info.title if info else "",
        "revision": info.revision if info else "",
        "printed": norwegian_date(today),
        "reviewed": norwegian_date(review.last_reviewed) if review else "",
        "next_review": norwegian_date(review.next_review) if review else "",
        "url": url,
        "short_url": short_url(url),
        "qr": qr_svg(url) if qr else None,
        "sources": [
            label
            + ": "
            + ", ".join(
                f"kap. {s}" if s.isdigit() else s
                for s in sorted(
                    sections, key=lambda x: (not x.isdigit(), int(x) if x.isdigit() else 0, x)
                )
            )
            for label, sections in sources.items()
        ],
        "blocks": blocks,
        # A card drawn from one section cites it in the footer; per-item citations would repeat it.
        "item_cites": len({(c.document, c.section) for c in collector.citations}) > 1,
    }
    return _breakable_strings(data)
