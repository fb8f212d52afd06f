"""Every character on a card is in the card font: what the font lacks is an error at the item,
the real content has none, and the check reads the same texts the cards print."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cards.data import card_data, plain
from generator.checks.card_glyphs import card_texts
from generator.core.card_font import SURE, missing, printable
from generator.core.pipeline import load_handbook

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 1)
REGIONS = sorted(p.name for p in (ROOT / "content" / "regions").iterdir() if p.is_dir())
# Words the card template's data adds itself (cards/data.py), not from content.
OWN_WORDS = {"hele", "døgnet", "felles", "ansvar", "og", "bruk", "ikke", "når", "adressering"}
OWN_WORDS |= {"innhold", "godt", "å", "vite"}
# Set by data.py from the structure, or printed by other means than the text font (the QR code).
NOT_TEXT = {"id", "type", "kind", "format", "qr", "url", "short_url", "responsible", "internal"}
NOT_CONTENT = {"printed", "reviewed", "next_review", "revision", "cite", "mark", "sources"}


def test_the_characters_read_without_the_font_are_in_the_font() -> None:
    sure = {code for first, last in SURE for code in range(first, last + 1)}
    assert len(sure) > 200
    assert sure <= printable()


def test_what_the_font_lacks() -> None:
    assert missing("Ring legen 🚑 nå, 🚑") == ["🚑"]
    assert missing("Sørlandet «SSK» – 5\u00a0mg … §\u00a03 → • ✓") == [
        c for c in "→✓" if ord(c) not in printable()
    ]
    assert missing("👨\u200d⚕\ufe0f") == [c for c in "👨⚕" if ord(c) not in printable()]
    assert "👨" in missing("👨\u200d⚕\ufe0f")  # the joiner and the style selector are not glyphs


def _printed(data: Any, key: str = "") -> list[str]:
    """Every string the card data holds that comes from content."""
    if key in NOT_TEXT | NOT_CONTENT:
        return []
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _printed(v, k)]
    if isinstance(data, list):
        if key == "keys" and all(isinstance(k, str) for k in data):
            return ["".join(data)]  # the key sequence, one key a box
        return [s for item in data for s in _printed(item, key)]
    return [data] if isinstance(data, str) and data else []


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize("region", REGIONS)
def test_real_cards_pass_and_the_check_reads_what_they_print(region: str) -> None:
    result = load_handbook(ROOT / "content", TODAY, region=region)
    assert result.handbook is not None
    assert not [d.format() for d in result.diagnostics if d.code == "card-glyph"]
    handbook = result.handbook
    assert handbook.cards or region != "agder"
    for card in handbook.cards:
        read = set(OWN_WORDS)
        for _, text in card_texts(handbook, card):
            read |= _words(plain(text)) | _words((text or "").replace(" ", ""))
        for text in _printed(card_data(handbook, card, "https://handbok.example/", TODAY)):
            assert _words(text) <= read, (card.id, text, _words(text) - read)


def test_an_item_on_a_card_is_named_where_it_is_written(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    topic = content / "topic.yaml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("Fastlegen gjør *noe*.", "Fastlegen gjør *noe* 🚑🚑 😷."))
    (content / "card.yaml").write_text(
        "cards:\n  - id: kort\n    title: Kort\n    format: a6-pocket\n    link: emne\n"
        "    items: [emne, rute]\n",
        encoding="utf-8",
    )
    result = load_handbook(content, TODAY)
    found = [d.format().split("\n")[0] for d in result.diagnostics if d.code == "card-glyph"]
    line = text.split("\n").index("      - id: emne.utsagn") + 1
    assert found == [
        f"{topic}:{line}:9: error: tegnene «🚑» (U+1F691), «😷» (U+1F637) i «emne.utsagn» kan "
        "ikke skrives ut: skriften på kortene (Inter) har dem ikke, så de ville blitt borte fra "
        "kortet «Kort» [card-glyph]"
    ]
