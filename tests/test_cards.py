"""The print cards, read as a print shop and a GP would: one page of the right size, every
selected item's key text present, fonts embedded, a QR code that opens the right page."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import typst
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from generator import cli
from generator.cards.data import card_data
from generator.cards.render import render_cards
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
