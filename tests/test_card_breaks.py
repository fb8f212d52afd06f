"""Where a long token on a card may break (cards/data.py `breakable`): the rule card.typ once
applied itself with a `show regex` rule, now made in Python; Typst's own regex engine, running
that rule, is the reference."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import typst

from generator.cards.data import ZWSP, breakable, card_data
from generator.core.pipeline import load_handbook

from .conftest import ROOT

# The rule as card.typ had it, on a string instead of on the text it showed.
TYPST_RULE = r"""
#let rule(s) = s.replace(regex("\S*[^\s/.\-\p{L}\p{Ps}\p{Pi}][\p{L}\p{N}]\S*"), it => {
  if it.text.len() < 16 or it.text.starts-with(regex("https?://")) { return it.text }
  it.text.replace(regex("[^\s/.\-]{16,}"), run => run.text.replace(
    regex("([^\p{L}\p{Ps}\p{Pi}])([\p{L}\p{N}])"),
    c => c.captures.at(0) + sym.zws + c.captures.at(1),
  ))
})
#metadata(json(bytes(sys.inputs.texts)).map(rule)) <broken>
"""
# Letters (one of two bytes), digits, a superscript, the break characters, brackets, quotes,
# spaces of several kinds and pieces of addresses.
PIECES = [*"aZæØé019²_:;/.-(«)»\u2019 \n\u00a0\t", "http://", "https://", "x" * 12]


def _typst_rule(texts: list[str], tmp_path: Path) -> list[str]:
    source = tmp_path / "rule.typ"
    source.write_text(TYPST_RULE, encoding="utf-8")
    found = typst.query(
        source,
        "<broken>",
        field="value",
        one=True,
        ignore_system_fonts=True,
        sys_inputs={"texts": json.dumps(texts)},
    )
    return json.loads(found)


def test_breakable_makes_the_break_points_typsts_rule_made(tmp_path: Path) -> None:
    rng = random.Random(13)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randrange(40))) for _ in range(600)]
    texts += [
        "henvisning_og_epikrise_veileder_for_fastleger_og_sykehus_2024",
        "1234567890" * 6,
        "helsenorge.no/henvisning_til_spesialisthelsetjenesten_2024_versjon3",
        "https://handbok.example/" + "1234567890" * 4,
        "Spesialisthelsetjenesteoppfølgingskoordinatorordningsevaluering",
        "«sak_2024_0001_abcdefgh»",
    ]
    expected = _typst_rule(texts, tmp_path)
    assert sum(ZWSP in t for t in expected) > 40  # the random texts reach the rule
    assert [breakable(t) for t in texts] == expected


def test_card_data_breaks_what_it_prints_and_nothing_else() -> None:
    """Every printed text goes through `breakable`; the address (the QR code's alt text) and
    the ids do not. The real cards need no break point."""
    handbook = load_handbook(ROOT / "content", dt.date(2026, 12, 1), region="agder").handbook
    assert handbook is not None
    for card in handbook.cards:
        data = card_data(handbook, card, "https://handbok.example/", dt.date(2026, 12, 1))
        assert ZWSP not in json.dumps(data, ensure_ascii=False), card.id
    card = handbook.cards[0]
    long = "sak_2024_0001_abcdefgh"
    stuck = card.model_copy(update={"title": long, "id": long, "subtitle": long})
    data = card_data(handbook, stuck, "https://handbok.example/", dt.date(2026, 12, 1))
    assert data["title"] == data["subtitle"] == breakable(long) != long
    assert data["id"] == long
