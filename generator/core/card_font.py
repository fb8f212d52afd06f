"""The font the print cards are set in, and which characters it can print.

Why in the core: the cards' renderer (`generator.cards.render`) gives Typst this folder and no
other font, so a character the font lacks vanishes from the PDF without a word; the check that
every character on a card can be printed (`generator.checks.card_glyphs`) needs the same
knowledge, and checks import only the core. The font files themselves live with the card
template in `overrides/cards/fonts/`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

FONT_FOLDER = Path(__file__).resolve().parents[2] / "overrides" / "cards" / "fonts"
FONT_NAME = "Inter"
# Spacing, line breaks and invisible format characters are not glyphs a reader misses
# (the invisible-character check reports the format characters on their own).
_NOT_GLYPHS = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)  # «text or emoji style» after a character
# Characters every Latin text font has (ASCII, Latin-1, dashes, quotes, «…»): a text of only
# these needs no look at the font, so `handbook validate` does not read it for usual content.
# A test checks that the card font has every one of them.
SURE = ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027))
_OUTSIDE_SURE = re.compile("[^\t\n\r" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in SURE) + "]")


@functools.cache
def printable(folder: Path = FONT_FOLDER) -> frozenset[int]:
    """The code points every style of the card font (regular, bold, italic…) has a glyph for:
    read from the fonts' cmap tables once."""
    from fontTools.ttLib import TTFont  # only when cards are checked

    cmaps = []
    for path in sorted(folder.glob("*.otf")) + sorted(folder.glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            cmaps.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*cmaps) if cmaps else frozenset()


def missing(text: str, folder: Path = FONT_FOLDER) -> list[str]:
    """The distinct characters of `text` the card font cannot print, in order of appearance."""
    if not _OUTSIDE_SURE.search(text):
        return []
    glyphs = printable(folder)
    found: dict[str, None] = {}
    for char in text:
        code = ord(char)
        if code in glyphs or code in _VARIATION_SELECTORS:
            continue
        if unicodedata.category(char) not in _NOT_GLYPHS:
            found.setdefault(char)
    return list(found)
