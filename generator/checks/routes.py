"""A phone route must be dialable and say when it is answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook
from generator.core.model import Route


def is_dialable(route: Route, handbook: Handbook) -> bool:
    """A number, or a unit to call with keys to press or someone to ask for, or a directory."""
    if route.number:
        return True
    via = handbook.entries.get(route.via) if route.via else None
    if via is None or via.kind != "organisation":
        return False
    return bool(route.keys or route.ask_for or via.entity.phone or via.entity.kind == "directory")


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for entry in handbook.entries.values():
        if entry.kind != "route":
            continue
        route: Route = entry.entity
        if not is_dialable(route, handbook) and not route.no_number_reason:
            yield entry.file.diagnostic(
                entry.loc,
                "not-dialable",
                f"telefonveien «{route.id}» kan ikke ringes: den har verken nummer, "
                "tastesekvens, «ask_for» eller en katalog",
                'legg til number: "...", eller via: + keys:/ask_for:; '
                "oppgir ikke kilden nummer, skriv no_number_reason:",
            )
        # Without a number to call or someone who presses them, keys need the source's own
        # words on how they are used (when it does not say who presses them: no_number_reason).
        if route.keys and not (route.via or route.keys_pressed_by or route.no_number_reason):
            yield entry.file.diagnostic(
                (*entry.loc, "keys"),
                "keys-without-via",
                "tastesekvenser trenger «via:» (sentralbordet du ringer) eller "
                "«keys_pressed_by:» (den som setter deg over)",
                "sier ikke kilden hvem som trykker, skriv med kildens ord i no_number_reason: "
                "hvordan tastene brukes",
            )
        hours = route.hours
        if not hours.always_open and not hours.open:
            yield entry.file.diagnostic(
                (*entry.loc, "hours"),
                "no-hours",
                f"telefonveien «{route.id}» sier ikke når den er betjent",
                "skriv hours: {open: ...} eller hours: {always_open: true}",
            )
