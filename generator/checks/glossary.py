"""Every glossary entry explains itself, and every abbreviation the text uses is in the glossary."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook
from generator.core.yaml_loader import LoadedFile

# Two or more capitals, possibly with small letters between (LIB, LiB, DIPS, ø-hjelp is not one).
ABBREVIATION = re.compile(r"(?<![\w/.-])([A-ZÆØÅ][a-zæøå]?[A-ZÆØÅ]{1,5})(?![\w])")
_NOT_TEXT = frozenset(
    {"id", "url", "file", "visibility", "kind", "situation", "category", "section"}
)


def known_abbreviations(handbook: Handbook) -> set[str]:
    known: set[str] = set()
    for term in handbook.glossary:
        known.add(term.term)
        known.update(term.variants)
    return known


def _glossary_file(handbook: Handbook, loaded: LoadedFile) -> str:
    """The file that holds the glossary, as the editor sees it: the one nearest to the text (a
    region's own glossary before the base's), or the text's own file when there is none."""
    files = {e.file.display for e in handbook.entries.values() if e.kind == "term"}
    here = PurePosixPath(loaded.display).parent
    near = [f for f in files if here.is_relative_to(PurePosixPath(f).parent)]
    return max(near or sorted(files) or [loaded.display], key=lambda f: len(PurePosixPath(f).parts))


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for entry in handbook.entries.values():
        if entry.kind == "term" and not (entry.entity.expansion or entry.entity.explanation):
            yield entry.file.diagnostic(
                entry.loc,
                "term-unexplained",
                f"ordlisteordet «{entry.entity.term}» er ikke forklart",
                "legg til expansion: (hva forkortelsen står for) og/eller explanation:",
            )
    known = known_abbreviations(handbook)
    reported: set[str] = set()
    for loaded, where, text in handbook.texts(skip=_NOT_TEXT):
        for word in ABBREVIATION.findall(text):
            if word in known or word in reported:
                continue
            reported.add(word)
            yield loaded.diagnostic(
                where,
                "abbreviation-not-in-glossary",
                f"forkortelsen «{word}» står ikke i ordlisten",
                f"legg den til i {_glossary_file(handbook, loaded)} (glossary:) med expansion:, "
                "så forklares den for leserne",
                level=Level.WARNING,
            )
