"""The print cards, read as a print shop and a GP would: one page of the right size, every
selected item's key text present, every word inside its text area (a long token too), fonts
embedded, a QR code that opens the right page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import typst
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from generator import cli
from generator.cards.data import breakable, card_data
from generator.cards.render import render_card, render_cards
from generator.core.handbook import Handbook
from generator.core.pipeline import load_handbook

from .conftest import ROOT

TODAY = dt.date(2026, 11, 22)
SITE_URL = "https://handbok.example/"
TEMPLATES = ROOT / "overrides" / "cards"
SIZES_PT = {
    "a3-poster": (841.89, 1190.55),
    "a4-sheet": (595.28, 841.89),
    "a6-pocket": (297.64, 419.53),
}


@pytest.fixture(scope="module", autouse=True)
def _every_card_compiled() -> Iterator[None]:
    """These tests read what Typst makes: no card of theirs comes from the cache between runs
    (tests/test_card_cache.py shows that a kept card is the same)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_CACHE", "0")
        yield


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    result = load_handbook(ROOT / "content", today=TODAY, region="agder")
    assert result.handbook is not None
    return result.handbook


@pytest.fixture(scope="module")
def cards(handbook: Handbook, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    rendered, problems = render_cards(handbook, TEMPLATES, SITE_URL, TODAY)
    assert problems == []
    folder = tmp_path_factory.mktemp("cards")
    out = {}
    for card in rendered:
        path = folder / card.filename
        path.write_bytes(card.pdf)
        out[card.card.id] = (card, path, card_data(handbook, card.card, SITE_URL, TODAY))
    return out


def _normal(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and key caps do not matter."""
    return re.sub(r"[^0-9a-zæøå]", "", text.lower())


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _key_texts(data: dict) -> list[str]:
    """What must be on the printed card for each selected item."""
    wanted = [data["title"], data["short_url"], "Sist gjennomgått", data["revision"]]
    for block in data["blocks"]:
        if block["type"] == "group":
            wanted += [s["text"][:60] for s in block["items"]]
        elif block["type"] == "route":
            wanted.append(block["title"])
            if block["number"]:
                wanted.append(block["number"])
            wanted += ["".join(k["keys"]) for k in block["keys"]]
        elif block["type"] == "message_type":
            wanted += [r["text"][:60] for section in block["sections"] for r in section["items"]]
            if block["reply_time"]:
                wanted.append(block["reply_time"])
        elif block["type"] == "decision":
            wanted.append(block["question"][:60])
    return wanted


def test_every_card_definition_is_rendered(handbook: Handbook, cards: dict) -> None:
    assert sorted(cards) == sorted(c.id for c in handbook.cards)
    formats = {c.format for c in handbook.cards}
    assert formats == {"a3-poster", "a4-sheet", "a6-pocket"}
    assert len([c for c in handbook.cards if c.format == "a4-sheet"]) == len(handbook.topics)


def test_every_card_is_exactly_one_page_of_its_declared_size(cards: dict) -> None:
    for card, path, _ in cards.values():
        reader = PdfReader(path)
        assert len(reader.pages) == 1, card.card.id
        box = reader.pages[0].mediabox
        width, height = SIZES_PT[card.card.format]
        assert abs(float(box.width) - width) < 0.5 and abs(float(box.height) - height) < 0.5


def test_every_selected_item_is_on_its_card(cards: dict) -> None:
    missing = []
    for card, path, data in cards.values():
        text = _normal(_pdf_text(path))
        for wanted in _key_texts(data):
            if _normal(wanted) not in text:
                missing.append(f"{card.card.id}: «{wanted}»")
    assert not missing, "\n".join(missing)


def test_the_phone_card_carries_numbers_and_key_sequences(cards: dict) -> None:
    _, path, _ = cards["kort-hvem-ringer-jeg"]
    text = _normal(_pdf_text(path))
    for needle in ("ring03739", "r3421", "4564", "7181", "bakvaktpsa"):
        assert needle in text, needle


def test_fonts_are_embedded_and_only_the_shipped_font_is_used(cards: dict) -> None:
    for card, path, _ in cards.values():
        listing = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing, card.card.id
        for line in listing:
            assert "Inter" in line, line
            assert re.search(r"\byes\s+yes\s+yes\b", line), f"{card.card.id}: {line}"


def test_the_qr_code_opens_the_matching_page(cards: dict, tmp_path: Path) -> None:
    for card, path, data in cards.values():
        png = tmp_path / card.card.id
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-singlefile", str(path), str(png)], check=True
        )
        codes = zxingcpp.read_barcodes(Image.open(png.with_suffix(".png")))
        assert [c.text for c in codes] == [data["url"]], card.card.id
        assert data["url"].startswith(SITE_URL)


def test_the_same_content_gives_byte_identical_cards(handbook: Handbook, cards: dict) -> None:
    again, _ = render_cards(handbook, TEMPLATES, SITE_URL, TODAY)
    for card in again:
        assert card.pdf == cards[card.card.id][0].pdf, card.card.id


# The text area of each format, as overrides/cards/card.typ sets it: side margin, bottom margin,
# columns, the gap between them and the QR code's width (mm), and the text size (pt); the title
# and the QR code are 5 mm apart.
TEXT_AREAS = {
    "a3-poster": (16, 30, 2, 12, 34, 14.5),
    "a4-sheet": (18, 26, 1, 0, 24, 11),
    "a6-pocket": (7, 15, 1, 0, 16, 7.6),
}
PT_PER_MM = 72 / 25.4
# Tokens with no space in them: a file name, a reference number, an address without scheme, a
# link and a compound (the last two Typst breaks by itself).
LONG_TOKENS = (
    "henvisning_og_epikrise_veileder_for_fastleger_og_sykehus_2024",
    "123456789012345678901234567890123456789012345678901234567890",
    "helsenorge.no/henvisning_til_spesialisthelsetjenesten_2024_versjon3",
    "https://handbok.example/" + "1234567890" * 4,
    "Spesialisthelsetjenesteoppfølgingskoordinatorordningsevaluering",
)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def _outside_text_area(pdf: Path, data: dict) -> list[str]:
    """Every word (pdftotext -bbox) that reaches past the right edge of its text area: the
    title's column beside the QR code, the body's column, or the page's margin."""
    side_mm, bottom_mm, columns, gap_mm, qr_mm, base = TEXT_AREAS[data["format"]]
    side, bottom, gap, qr = (mm * PT_PER_MM for mm in (side_mm, bottom_mm, gap_mm, qr_mm))
    width, height = SIZES_PT[data["format"]]
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [(*map(float, m.groups()[:4]), html.unescape(m[5])) for m in WORD.finditer(bbox)]
    # The body starts with its first block's first word (a column may start a little higher,
    # but not by a line); the header's right column starts at the QR code or at the short
    # address under it, whichever reaches further left.
    first = data["blocks"][0]
    first_word = (first.get("heading") or first.get("title") or first.get("name")).split()[0]
    body_top = next(y0 for _, y0, _, _, text in words if text == first_word) - base
    url_left = next(x0 for x0, _, _, _, text in words if text == data["short_url"])
    title_right = min(url_left, width - side - qr) - 5 * PT_PER_MM
    column = (width - 2 * side - (columns - 1) * gap) / columns
    outside = []
    for x0, y0, x1, _, text in words:
        if y0 < body_top and x0 < title_right:  # the title and the subtitle
            right = title_right
        elif body_top <= y0 < height - bottom:  # the body, in its column
            index = min(max(int((x0 + 1 - side) // (column + gap)), 0), columns - 1)
            right = side + index * (column + gap) + column
        else:  # the short address, the footer
            right = width - side
        if x1 > right + 0.5:
            outside.append(f"{text!r} ends at {x1:.1f} pt, the text area at {right:.1f} pt")
    return outside


def test_a_compiler_shared_by_cards_makes_the_bytes_of_one_made_for_each(
    handbook: Handbook, cards: dict
) -> None:
    """render_cards gives each thread one Typst compiler for all its cards; a card made on a
    compiler of its own is the same PDF and the same thumbnail."""
    for card, _, _ in cards.values():
        alone, problem = render_card(handbook, card.card, TEMPLATES, SITE_URL, TODAY)
        assert problem is None and alone is not None
        assert (alone.pdf, alone.thumbnail) == (card.pdf, card.thumbnail), card.card.id


def test_every_word_of_every_card_is_inside_its_text_area(cards: dict) -> None:
    for card, path, data in cards.values():
        assert _outside_text_area(path, data) == [], card.card.id


@pytest.mark.parametrize("card_id", ["kort-hvem-ringer-jeg", "samhandlingsplakat"])
def test_a_long_token_breaks_inside_the_text_area(
    handbook: Handbook, card_id: str, tmp_path: Path
) -> None:
    """The page count catches a card that is too long, not a line that is too wide: a token with
    no space in it must still break before the edge of its column (or of the title's)."""
    card = next(c for c in handbook.cards if c.id == card_id)
    data = card_data(handbook, card, SITE_URL, TODAY) | {"internal": False}
    first = data["blocks"][0]
    data["blocks"] = [first]
    data["title"] = f"{data['title']} {breakable(LONG_TOKENS[0])}"
    tokens = breakable(" ".join(LONG_TOKENS))  # as card_data makes every text it prints
    if first["type"] == "route":
        first["hours"] = f"{first['hours']} {tokens}"
    else:
        first["items"][0]["text"] = f"{first['items'][0]['text']} {tokens}"
    pdf = tmp_path / "kort.pdf"
    pdf.write_bytes(
        typst.compile(
            TEMPLATES / "card.typ",
            root=TEMPLATES,
            font_paths=[TEMPLATES / "fonts"],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        )
    )
    text = _pdf_text(pdf).replace("\u200b", "")
    assert all(_normal(token) in _normal(text) for token in LONG_TOKENS)
    assert _outside_text_area(pdf, data) == []


def _content_with(tmp_path: Path, extra: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "regions" / "agder" / "cards" / "ekstra.yaml").write_text(extra, encoding="utf-8")
    return content


OVERFLOW = """cards:
  - id: for-mye
    title: Alt på ett lommekort
    format: a6-pocket
    link: henvisning
    items: [henvisning, epikrise, resepter-og-lib, sammensatte-lidelser]
"""


def test_an_overflowing_card_fails_naming_the_card_the_item_and_how_much(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _content_with(tmp_path, OVERFLOW)
    out = tmp_path / "kort"
    assert (
        cli.main(
            [
                "cards",
                "--content",
                str(content),
                "--out",
                str(out),
                "--templates",
                str(TEMPLATES),
                "--region",
                "agder",
            ]
        )
        == 1
    )
    printed = capsys.readouterr().out
    match = re.search(
        r"ekstra\.yaml:2:5: error: kortet «Alt på ett lommekort» får ikke plass: (\d+) sider, "
        r"maks 1; «([a-z0-9.-]+)» er det første som ikke får plass \[card-overflow\]",
        printed,
    )
    assert match, printed
    assert int(match.group(1)) >= 2
    assert not out.exists()  # nothing half-written


def test_items_tag_their_page_only_when_asked(handbook: Handbook) -> None:
    """The tags that name an overflowing item cost Typst a second layout pass, so a card that
    is only being made carries none; asked (`locate`), every item reports its page."""
    card = next(c for c in handbook.cards if c.format == "a6-pocket")
    data = card_data(handbook, card, SITE_URL, TODAY) | {"internal": False}

    def tags(extra: dict) -> list[dict]:
        found = typst.query(
            TEMPLATES / "card.typ",
            "<hb-item>",
            field="value",
            root=TEMPLATES,
            font_paths=[TEMPLATES / "fonts"],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data | extra, ensure_ascii=False)},
        )
        return json.loads(found)

    assert tags({}) == []
    located = tags({"locate": True})
    assert located and {tag["page"] for tag in located} == {1}
    assert {tag["id"] for tag in located} <= set(handbook.entries)


def test_handbook_cards_writes_one_pdf_per_card(
    handbook: Handbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kort"
    assert (
        cli.main(
            [
                "cards",
                "--out",
                str(out),
                "--content",
                str(ROOT / "content"),
                "--templates",
                str(TEMPLATES),
                "--config",
                str(ROOT / "mkdocs.yml"),
                "--region",
                "agder",
            ]
        )
        == 0
    )
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(c.id for c in handbook.cards)
    assert "plassholder" in capsys.readouterr().err


def test_the_site_offers_every_card_for_download(
    handbook: Handbook, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from generator.build.swap import build_site

    root = tmp_path_factory.mktemp("cards-site") / "site"
    site = build_site(ROOT / "mkdocs.yml", root, regions=["agder"]) / "agder"
    page = (site / "kort" / "index.html").read_text(encoding="utf-8")
    for pdf in (site / "kort").glob("*.pdf"):
        assert f'href="{pdf.name}"' in page
        assert (site / "kort" / f"{pdf.stem}.png").exists()
    assert sorted(p.stem for p in (site / "kort").glob("*.pdf")) == sorted(
        c.id for c in handbook.cards
    )
