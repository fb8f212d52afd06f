"""Every character on a card can be printed: a character the card font lacks (an emoji in a
card's title, say) is an error at the item it is written in, naming the card.

Why an error: the cards are set with the shipped font only (`generator.core.card_font`), and
Typst leaves out a glyph the font does not have, without a word, so the printed card would say
less than the handbook. The texts are those `generator.cards.data` puts on a card: the card's
title, each item's own texts, and the names and source titles printed beside them (reported
where they are written); a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from generator.core.card_font import FONT_NAME, missing
from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Entry, Handbook
from generator.core.model import Card
from generator.core.yaml_loader import LoadedFile, Loc

Texts = list[tuple[str, str | None]]  # (id of the entry it is written in, text)
HANDBOOK = "handbook:"  # not an id: the handbook's own title


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    reported: set[str] = set()
    for card in handbook.cards:
        found: dict[str, dict[str, None]] = {}  # entry id -> its missing characters
        for entry_id, text in card_texts(handbook, card):
            for char in missing(text or ""):
                found.setdefault(entry_id, {}).setdefault(char)
        for entry_id, chars in found.items():
            if entry_id in reported:
                continue
            reported.add(entry_id)
            shown = ", ".join(f"«{c}» (U+{ord(c):04X})" for c in chars)
            what = {card.id: "tittelen på kortet", HANDBOOK: "håndbokas tittel"}.get(
                entry_id, f"«{entry_id}»"
            )
            one = len(chars) == 1
            where, loc = _place(handbook, entry_id)
            yield where.diagnostic(
                loc,
                "card-glyph",
                f"{'tegnet' if one else 'tegnene'} {shown} i {what} kan ikke skrives ut: "
                f"skriften på kortene ({FONT_NAME}) har {'det' if one else 'dem'} ikke, så "
                f"{'det' if one else 'de'} ville blitt borte fra kortet «{card.title}»",
                f"fjern {'tegnet' if one else 'tegnene'}, eller bytt ut med ord (for eksempel "
                "«Viktig:» for «⚠») eller et tegn som står på tastaturet",
            )


def card_texts(handbook: Handbook, card: Card) -> Texts:
    """(where it is written, text) for every text `generator.cards.data` prints on `card`."""
    texts: Texts = [(card.id, card.title), (card.id, card.subtitle)]
    if handbook.info is not None:  # printed at the top of every card
        texts.append((HANDBOOK, handbook.info.title))
    entries = handbook.entries
    for item_id in card.items:
        entry = entries.get(item_id)
        if entry is None:  # the reference check reports it
            continue
        if entry.kind == "topic":
            for statement in entry.entity.statements:
                texts += _statement(handbook, entries[statement.id], entry.entity)
        elif entry.kind == "statement":
            assert entry.parent is not None
            texts += _statement(handbook, entry, entry.parent.entity)
        elif entry.kind == "rule":
            assert entry.parent is not None
            texts += _message_type(handbook, entry.parent.entity, only={item_id})
        elif entry.kind == "message_type":
            texts += _message_type(handbook, entry.entity, only=None)
        elif entry.kind == "route":
            texts += _route(handbook, entry.entity)
        elif entry.kind == "decision":
            step = entry.entity
            texts += [(step.id, step.question), (step.id, step.answer)]
            texts += _source(handbook, None if step.editorial else step.source)
    return texts


def _place(handbook: Handbook, entry_id: str) -> tuple[LoadedFile, Loc]:
    """The file and place of an entry, or of the handbook's title for HANDBOOK."""
    if entry_id == HANDBOOK:
        loaded = next(loaded for loaded, data in handbook.files if data.handbook is not None)
        return loaded, ("handbook", "title")
    entry = handbook.entries[entry_id]
    return entry.file, entry.loc


def _statement(handbook: Handbook, entry: Entry, topic: Any) -> Texts:
    statement = entry.entity
    own = [statement.when, statement.text, *statement.details, *statement.exceptions]
    citation = None if statement.editorial else statement.source or topic.source
    texts: Texts = [(statement.id, text) for text in own]
    if citation is not None and citation.heading:
        texts.append((statement.id, citation.heading))
    responsible = [who for who in statement.responsible if who in handbook.entries]
    if len(responsible) == 1:  # an unknown id is left to the reference check
        who = handbook.entries[responsible[0]].entity
        texts.append((who.id, getattr(who, "responsibility_heading", None) or who.name))
    else:
        texts += _names(handbook, responsible)
    return texts + _source(handbook, citation)


def _message_type(handbook: Handbook, message: Any, only: set[str] | None) -> Texts:
    texts: Texts = [(message.id, message.name), (message.id, message.description)]
    groups = [message.use, message.never_use, message.addressing, message.content_rules]
    if only:
        groups.append(message.facts)
    for rule in (r for group in groups for r in group if only is None or r.id in only):
        texts += [(rule.id, rule.text), (rule.id, getattr(rule, "instead", None))]
        texts += _source(handbook, None if rule.editorial else rule.source)
    if message.reply_time:
        reply = message.reply_time
        texts.append((message.id, reply.text))
        texts += _source(handbook, None if reply.editorial else reply.source)
    return texts


def _route(handbook: Handbook, route: Any) -> Texts:
    own = [route.title, route.purpose, route.number, route.ask_for, route.hours.open]
    own += [route.hours.outside_hours, *route.steps, *(f.text for f in route.fallbacks)]
    texts: Texts = [(route.id, text) for text in own]
    named = [route.via, *route.reaches, route.keys_pressed_by]
    texts += _names(handbook, [who for who in named if who])
    for keys in route.keys:
        texts.append((route.id, keys.keys))
        if keys.site in handbook.entries:
            site = handbook.entries[keys.site].entity
            texts.append((site.id, site.short_name or site.name))
    if route.via in handbook.entries:
        via = handbook.entries[route.via].entity
        texts.append((via.id, getattr(via, "phone", None)))
    return texts + _source(handbook, None if route.editorial else route.source)


def _names(handbook: Handbook, ids: Iterable[str]) -> Texts:
    found: Texts = []
    for target in (known for known in ids if known in handbook.entries):
        entity = handbook.entries[target].entity
        found.append((target, getattr(entity, "name", None) or getattr(entity, "title", "")))
    return found


def _source(handbook: Handbook, citation: Any) -> Texts:
    """The source's title as the card's footer and citations print it."""
    if citation is None or citation.document not in handbook.entries:
        return []
    source = handbook.entries[citation.document].entity
    return [(source.id, source.short_title or source.title)]
