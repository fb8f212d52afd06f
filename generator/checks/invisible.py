"""No text hides characters from its reader: bidi controls, zero-width characters, soft
hyphens and control characters are warnings at their own line and column.

Why a warning, not an error: they come in with text copied from PDFs, Word and web pages, and
most are harmless there; but a right-to-left override can make «ring 12345678» show digits in
another order than the ones a reader dials, and a zero-width space breaks search and copying.
Each distinct character is reported once per text, at its first place.

A no-break space (or another space that is not a plain one) where none is meant, between two
words or at an end, is a warning too; next to a digit («5 mg», a phone number) it is deliberate
and left alone (`text_rules.odd_space`). `handbook fmt` fixes both kinds
(`text_rules.hygiene_fixes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook
from generator.core.text_rules import (
    INVISIBLE,
    MARKED,
    ODD_SPACE,
    invisible_name,
    odd_space,
    space_name,
)


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, where, text in handbook.texts():
        if not MARKED.search(text):
            continue
        pos = loaded.position(where)
        at = {index: (line, col) for index, line, col in pos.hidden}
        found: dict[str, list[int]] = {}  # each character: its places in the text
        for match in INVISIBLE.finditer(text):
            found.setdefault(match.group(), []).append(match.start())
        for match in ODD_SPACE.finditer(text):
            if odd_space(text, match.start()):
                found.setdefault(match.group(), []).append(match.start())
        for char, places in found.items():
            line, col = at.get(places[0], (pos.line, pos.col))
            times = f" ({len(places)} ganger; det første står her)" if len(places) > 1 else ""
            if ODD_SPACE.match(char):
                code = "odd-space-in-text"
                message = f"{space_name(char)} der et vanlig mellomrom hører hjemme{times}"
                hint = (
                    "bytt det ut med et vanlig mellomrom, eller kjør «handbook fmt», som gjør "
                    "det (et hardt mellomrom inntil et tall, som i «5 mg» eller et "
                    "telefonnummer, får stå)"
                )
            else:
                code = "invisible-char"
                message = f"usynlig tegn {invisible_name(char)} i teksten{times}"
                hint = (
                    "slett tegnet (det vises ikke i de fleste editorer; det kommer ofte med "
                    "tekst kopiert fra PDF, Word eller nettsider)"
                )
            yield Diagnostic(
                pos.file or loaded.display, line, col, Level.WARNING, code, message, hint
            )
