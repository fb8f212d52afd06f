"""No text hides characters from its reader: bidi controls, zero-width characters, soft
hyphens and control characters are warnings at their own line and column.

Why a warning, not an error: they come in with text copied from PDFs, Word and web pages, and
most are harmless there; but a right-to-left override can make «ring 12345678» show digits in
another order than the ones a reader dials, and a zero-width space breaks search and copying.
Each distinct character is reported once per text, at its first place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook
from generator.core.text_rules import INVISIBLE, invisible_name


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, where, text in handbook.texts():
        if not INVISIBLE.search(text):
            continue
        pos = loaded.position(where)
        at = {index: (line, col) for index, line, col in pos.hidden}
        first: dict[str, int] = {}
        for match in INVISIBLE.finditer(text):
            first.setdefault(match.group(), match.start())
        for char, index in first.items():
            line, col = at.get(index, (pos.line, pos.col))
            times = text.count(char)
            yield Diagnostic(
                pos.file or loaded.display,
                line,
                col,
                Level.WARNING,
                "invisible-char",
                f"usynlig tegn {invisible_name(char)} i teksten"
                + (f" ({times} ganger; det første står her)" if times > 1 else ""),
                "slett tegnet (det vises ikke i de fleste editorer; det kommer ofte med tekst "
                "kopiert fra PDF, Word eller nettsider)",
            )
