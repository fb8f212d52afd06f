"""The cards kept between runs (`generator.cards.kept`) never change a card.

On a copy of agder's content with three cards (the A4 sheets left out, so each test is fast):
with nothing kept, with an empty cache and from a filled one, every card is the same PDF and
thumbnail; a change to one card's data, to the edition, to the day or to any file in the
templates folder compiles again what it changes, and only that; a broken entry is a miss and is
written again; a card that does not fit is never kept. What was compiled is seen at Typst's
door: every `compile` call of `typst.Compiler` is counted (Typst's class, wrapped; none of our
own code is replaced).
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typst

from generator.cards import kept
from generator.cards.render import THUMBNAIL_PPI, render_cards
from generator.core import user_cache
from generator.core.handbook import Handbook
from generator.core.pipeline import load_handbook

from .conftest import ROOT
from .test_cards import OVERFLOW  # a pocket card with too much on it

TODAY = dt.date(2026, 6, 1)
SITE_URL = "https://handbok.example/agder/"
TEMPLATES = ROOT / "overrides" / "cards"
POCKET = "kort-dialogmelding"
CARDS = ["kort-hvem-ringer-jeg", POCKET, "samhandlingsplakat"]


def _content(folder: Path, title: str = "Dialogmelding – når og hvordan") -> Path:
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    cards = content / "regions" / "agder" / "cards"
    (cards / "emneark.yaml").unlink()
    pocket = cards / "lommekort.yaml"
    text = pocket.read_text(encoding="utf-8")
    assert "title: Dialogmelding – når og hvordan\n" in text
    pocket.write_text(text.replace("Dialogmelding – når og hvordan", title), encoding="utf-8")
    return content


def _load(content: Path) -> Handbook:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_CACHE", "0")  # nothing of this module in the user's cache
        handbook = load_handbook(content, today=TODAY, region="agder").handbook
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    handbook = _load(_content(tmp_path_factory.mktemp("same")))
    assert [card.id for card in handbook.cards] == CARDS
    return handbook


@pytest.fixture(scope="module")
def retitled(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    return _load(_content(tmp_path_factory.mktemp("retitled"), "Dialogmelding i dag"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("HANDBOOK_CACHE", raising=False)
    user_cache._FOLDERS.clear()
    user_cache._PRUNED.clear()
    yield home
    user_cache._FOLDERS.clear()


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of every card Typst is asked to compile to PDF, in the order asked."""
    seen: list[str] = []
    real = typst.Compiler

    class Counted:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._compiler = real(*args, **kwargs)

        def compile(self, **kwargs: Any) -> Any:
            if kwargs.get("format") == "pdf":
                seen.append(json.loads(kwargs["sys_inputs"]["data"])["id"])
            return self._compiler.compile(**kwargs)

    monkeypatch.setattr(typst, "Compiler", Counted)
    return seen


def _made(handbook: Handbook, templates: Path = TEMPLATES, **options: Any) -> dict[str, tuple]:
    rendered, problems = render_cards(
        handbook, templates, SITE_URL, options.pop("today", TODAY), **options
    )
    assert problems == []
    return {card.card.id: (card.pdf, card.thumbnail, card.pages) for card in rendered}


def _entries(home: Path) -> list[Path]:
    return sorted(home.glob("samhandlingshandboka/results-*/*.card"))


def test_nothing_kept_an_empty_cache_and_a_filled_one_give_the_same_cards(
    handbook: Handbook, cache_home: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    nothing_kept = _made(handbook)
    assert sorted(compiled) == sorted(CARDS) and _entries(cache_home) == []
    monkeypatch.delenv("HANDBOOK_CACHE")
    empty = _made(handbook)
    assert sorted(compiled) == sorted(CARDS * 2) and len(_entries(cache_home)) == len(CARDS)
    filled = _made(handbook)
    assert len(compiled) == 2 * len(CARDS), "a filled cache compiled a card"
    assert list(nothing_kept) == list(empty) == list(filled) == CARDS
    assert nothing_kept == empty == filled


def test_a_changed_title_compiles_that_card_and_only_it(
    handbook: Handbook,
    retitled: Handbook,
    cache_home: Path,
    compiled: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _made(handbook)
    compiled.clear()
    after = _made(retitled)
    assert compiled == [POCKET]
    assert after[POCKET] != before[POCKET]
    assert {k: v for k, v in after.items() if k != POCKET} == {
        k: v for k, v in before.items() if k != POCKET
    }
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    assert after == _made(retitled)


def test_another_edition_or_day_compiles_every_card_again(
    handbook: Handbook, cache_home: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    public = _made(handbook)
    compiled.clear()
    internal = _made(handbook, edition="internal")
    assert sorted(compiled) == sorted(CARDS)
    compiled.clear()
    tomorrow = _made(handbook, today=TODAY + dt.timedelta(days=1))
    assert sorted(compiled) == sorted(CARDS)
    compiled.clear()
    assert (_made(handbook), _made(handbook, edition="internal")) == (public, internal)
    assert compiled == []
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    assert _made(handbook, edition="internal") == internal
    assert _made(handbook, today=TODAY + dt.timedelta(days=1)) == tomorrow


def test_the_day_is_in_the_key_even_where_the_data_is_the_same() -> None:
    """The card's data holds its print date, so no card shows this, but the PDF's timestamp
    comes from the day, not from the data: the key must not count on the template to print it."""
    data = {"id": POCKET, "printed": "1. juni 2026", "qr": None}
    keys = {
        kept.key(kept.setting(TEMPLATES, day.isoformat(), THUMBNAIL_PPI), data)
        for day in (TODAY, TODAY + dt.timedelta(days=1))
    }
    assert len(keys) == 2


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("card.typ", lambda b: b.replace(b"Skrevet ut", b"Skrevet ut den")),
        ("card.typ", lambda b: b + b"\n// a comment: the same cards, but Typst must say so\n"),
        ("fonts/LICENSE.txt", lambda b: b + b"\n"),  # Typst could read it: it is in its root
        ("fonts/Inter-Regular.otf", lambda b: b + b"\0" * 4),  # hashed once per process
    ],
    ids=["template-text", "template-comment", "other-file", "font"],
)
def test_a_changed_file_in_the_templates_folder_compiles_every_card_again(
    handbook: Handbook,
    cache_home: Path,
    compiled: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    change: Any,
) -> None:
    templates = tmp_path / "cards"
    shutil.copytree(TEMPLATES, templates)
    before = _made(handbook, templates)
    compiled.clear()
    changed = templates / name
    new = change(changed.read_bytes())
    assert new != changed.read_bytes()
    changed.write_bytes(new)  # in place: the same path, in the same process
    after = _made(handbook, templates)
    assert sorted(compiled) == sorted(CARDS)
    if name == "card.typ" and b"Skrevet ut den" in new:
        assert after[POCKET] != before[POCKET]
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    assert after == _made(handbook, templates)


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "flipped-byte", "another-cards", "another-kind"],
)
def test_a_broken_entry_is_a_miss_and_is_written_again(
    handbook: Handbook, cache_home: Path, compiled: list[str], damage: str
) -> None:
    first = _made(handbook)
    entries = {pickle.loads(p.read_bytes())[1]: p for p in _entries(cache_home)}
    target = entries[first[POCKET][0]]
    other = entries[first[CARDS[0]][0]]
    good = target.read_bytes()
    if damage == "truncated":
        target.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        target.write_bytes(b"not a pickle")
    elif damage == "flipped-byte":  # still a pickle, with a PDF byte changed
        name, pdf, png, pages, crc = pickle.loads(good)
        middle = len(pdf) // 2
        pdf = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]
        target.write_bytes(pickle.dumps((name, pdf, png, pages, crc)))
    elif damage == "another-cards":  # a well-formed entry under the wrong name
        target.write_bytes(other.read_bytes())
    else:  # what the files' cache keeps, under this name
        target.write_bytes(pickle.dumps((None, None, [])))
    compiled.clear()
    assert _made(handbook) == first
    assert compiled == [POCKET]
    assert target.read_bytes() == good  # written again
    compiled.clear()
    assert _made(handbook) == first and compiled == []


def test_a_card_that_does_not_fit_is_never_kept(
    tmp_path: Path, cache_home: Path, compiled: list[str]
) -> None:
    content = _content(tmp_path)
    (content / "regions" / "agder" / "cards" / "ekstra.yaml").write_text(OVERFLOW, "utf-8")
    handbook = _load(content)
    seen = []
    for _ in range(2):
        rendered, problems = render_cards(handbook, TEMPLATES, SITE_URL, TODAY)
        seen.append([p.format() for p in problems])
        assert [card.card.id for card in rendered] == CARDS
    assert len(seen[0]) == 1 and "får ikke plass" in seen[0][0]
    assert seen[0] == seen[1]
    assert compiled.count("for-mye") == 2  # compiled both times, so its message is made
    assert len(_entries(cache_home)) == len(CARDS)


def test_a_cache_that_cannot_be_written_is_only_slower(
    handbook: Handbook, tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("HANDBOOK_CACHE", raising=False)
    user_cache._FOLDERS.clear()
    try:
        first = _made(handbook)
        assert _made(handbook) == first
    finally:
        user_cache._FOLDERS.clear()
    assert sorted(compiled) == sorted(CARDS * 2)
