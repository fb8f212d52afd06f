"""The Hunspell bokmål word list that compound splitting asks, read fast and kept between builds.

Why this is not a set: the list has 320 000 words, and reading its 5 MB and hashing every word
into a set took the build's worker 0.35-0.5 s before MkDocs could get its pages, while a build
asks only about 12 000 words. So the words are kept sorted and looked up by bisection, and the
sorted lists are cached in the user's cache folder (`core.user_cache`: `$XDG_CACHE_HOME` or
`~/.cache`, then `samhandlingshandboka/`): reading the cache takes about 0.05 s. The cache file
is named by the sha256 of the dictionary file and of this reader (`VERSION`, the patterns), so a
new list or a changed reader is read afresh; it is written atomically, and a cache that cannot
be read or written is left out without a word. The words are the same either way, so is the site.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.core import user_cache

VERSION = 1  # raise it when what `parse` returns changes in a way the patterns do not show
LETTERS = "a-zæøåéü"  # the letters of a word in a page and in the list (search_terms._WORD)
# A line is `word/FLAGS` or `word`; names, abbreviations and hyphenated words are left out.
_ENTRY = re.compile(rf"^([{LETTERS}]+)(?=/|\r?$)", re.MULTILINE)
_COMPOUND_START = re.compile(rf"^([{LETTERS}]+)/[^\n\r]*z", re.MULTILINE)  # COMPOUNDFLAG z
_SEPARATOR = "\n\n"  # between the words and the compound starts in the cache file


class WordList:
    """`word in words` for a sorted list (by bisection) and a set of further words. The answers
    are kept: a build asks about 13 000 times for 7 000 words (the same words on many pages)."""

    __slots__ = ("_extra", "_known", "_sorted")

    def __init__(self, sorted_words: list[str], extra: frozenset[str] = frozenset()) -> None:
        self._sorted = sorted_words
        self._extra = extra
        self._known: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = word in self._extra or self._listed(word)
        return known

    def _listed(self, word: str) -> bool:
        at = bisect.bisect_left(self._sorted, word)
        return at < len(self._sorted) and self._sorted[at] == word

    def begins(self, prefix: str) -> bool:
        """Whether a word of the list begins with `prefix`."""
        at = bisect.bisect_left(self._sorted, prefix)
        if at < len(self._sorted) and self._sorted[at].startswith(prefix):
            return True
        return any(word.startswith(prefix) for word in self._extra)

    def __iter__(self) -> Iterator[str]:
        """The sorted words, then the further ones."""
        return itertools.chain(self._sorted, sorted(self._extra))

    def __or__(self, words: Iterable[str]) -> WordList:
        """These words and the given ones (the sorted list is shared, not copied)."""
        return WordList(self._sorted, self._extra | frozenset(words))


def parse(text: str) -> tuple[list[str], list[str]]:
    """(every word, the words Hunspell lets start a compound) of a .dic file, sorted."""
    body = text.partition("\n")[2]  # line 1: the count
    # The file is almost sorted already, so sorting the lists (duplicates kept) is cheap.
    return sorted(_ENTRY.findall(body)), sorted(_COMPOUND_START.findall(body))


def read(dic: bytes) -> tuple[WordList, WordList]:
    """The words of a .dic file's bytes, from the cache when it has them."""
    key = hashlib.sha256(dic)
    key.update(f"{VERSION} {_ENTRY.pattern} {_COMPOUND_START.pattern}".encode())
    cached = _cache_file(key.hexdigest())
    words = starts = None
    if cached is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = cached.read_text(encoding="utf-8")
            if _SEPARATOR in text:
                head, _, tail = text.partition(_SEPARATOR)
                words, starts = head.split("\n"), tail.split("\n")
    if words is None or starts is None:
        words, starts = parse(dic.decode("utf-8"))
        if cached is not None:
            text = "\n".join(words) + _SEPARATOR + "\n".join(starts)
            user_cache.write(cached, text.encode("utf-8"))
    return WordList(words), WordList(starts)


def _cache_file(key: str) -> Path | None:
    folder = user_cache.cache_folder()
    return None if folder is None else folder / f"nb_NO-{key[:32]}.words"
