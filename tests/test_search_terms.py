"""Hidden index words (generator/site/search_terms.py): compounds split with the bokmål word
list, words written apart joined, the glossary's names tied to their chapter, and the block
that carries them, on the real content. The ranking itself: tests/browser/test_search_queries.py."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from generator.core.editions import edition_view
from generator.core.pipeline import load_handbook
from generator.site.pages import render_pages
from generator.site.search_terms import (
    SUMMARY_WEIGHT,
    TYPO_WEIGHT,
    Splitter,
    hidden_block,
    search_words,
    spellings,
    summary_body,
    tied_terms,
    typos,
    without_excluded,
)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "overrides" / "handbook"
BLOCK = re.compile(r'<div class="hb-search-terms" hidden aria-hidden="true">(.*?)</div>')


@pytest.fixture(scope="module")
def agder():
    result = load_handbook(ROOT / "content", today=dt.date(2026, 12, 1), region="agder")
    assert result.handbook is not None
    return edition_view(result.handbook, "public")


@pytest.fixture(scope="module")
def pages(agder) -> dict[str, str]:
    rendered, problems = render_pages(agder, TEMPLATES, today=dt.date(2026, 12, 1))
    assert not problems
    return {page.path: page.markdown for page in rendered}


@pytest.fixture(scope="module")
def splitter() -> Splitter:
    return Splitter([])


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("legemiddellisten", ("legemiddel", "listen")),
        ("pasienttransport", ("pasient", "transport")),
        ("fraværsattest", ("fravær", "attest")),  # the joining s
        ("røntgenrekvisisjon", ("røntgen", "rekvisisjon")),
        ("timebestilling", ("time", "bestilling")),
        ("epikrise", ()),  # no compound: nothing to add
        ("innleggelse", ()),
        ("sykmelding", ()),  # «syk» is shorter than a part may be
    ],
)
def test_compounds_split_into_the_fewest_known_parts(
    splitter: Splitter, word: str, parts: tuple[str, ...]
) -> None:
    assert splitter.split(word) == parts


def test_the_handbooks_own_words_count_as_parts() -> None:
    assert Splitter([]).split("xyzqordkort") == ()
    assert Splitter(["xyzqord"]).split("xyzqordkort") == ("xyzqord", "kort")


def test_words_written_apart_are_joined_and_known_words_are_not_repeated() -> None:
    splitter = Splitter(["legemiddelliste"])  # a word the handbook writes elsewhere
    heavy, light = search_words(
        "Resepter", "Send en legemiddel liste og en pasienttransport.", splitter
    )
    assert heavy == []
    assert "legemiddelliste" in light  # «legemiddel liste» typed apart finds it, and back
    assert {"pasient", "transport"} <= set(light)
    assert "legemiddel" not in light  # already a word of the page


def test_the_glossary_ties_names_to_their_chapter(agder) -> None:
    topics = {t.id: t for t in agder.topics}
    lib = {t.id for t in tied_terms(topics["resepter-og-lib"], agder.glossary)}
    assert {"term-lib", "term-rf"} <= lib  # LIB in the title; RF cites chapter 10
    tasks = {t.id for t in tied_terms(topics["oppgavedeling"], agder.glossary)}
    assert "term-oppgavedeling" in tasks
    assert "term-lib" not in {t.id for t in tied_terms(topics["epikrise"], agder.glossary)}


def test_chapters_carry_the_hidden_words_with_a_titles_weight(pages: dict[str, str]) -> None:
    block = BLOCK.search(pages["emner/oppgavedeling.md"])
    assert block is not None
    assert re.search(r'data-pagefind-weight="7">[^<]*\boppgaveoverføring\b', block.group(1))
    lib = BLOCK.search(pages["emner/resepter-og-lib.md"])
    assert lib is not None and "legemiddelliste" in lib.group(1)
    assert BLOCK.search(pages["sok.md"]) is None  # not indexed: nothing to add


def test_the_glossary_shows_synonyms_but_explains_only_abbreviations(
    pages: dict[str, str],
) -> None:
    glossary = pages["forkortelser.md"]
    assert "Også: Oppgaveoverføring." in glossary
    assert "*[LIB]:" in glossary
    assert "*[Oppgavedeling]:" not in glossary  # a word, not a tooltip on every chapter title


def test_without_search_terms_no_block_is_added(agder) -> None:
    rendered, _ = render_pages(agder, TEMPLATES, today=dt.date(2026, 12, 1), search_terms=False)
    assert not any(BLOCK.search(page.markdown) for page in rendered)


def test_the_block_is_escaped_and_empty_without_words() -> None:
    assert hidden_block([], []) == ""
    html = hidden_block(["<b>"], ["a&b"])
    assert "<b>" not in html and "&lt;b&gt;" in html and "a&amp;b" in html


def test_title_misspellings_are_swaps_and_single_letters_never_known_words(
    splitter: Splitter,
) -> None:
    assert {"epikrsie", "epikirse"} <= set(typos(["epikrise"], splitter))
    assert "tverfaglig" in typos(["tverrfaglig"], splitter)  # a double letter written once
    assert typos(["lege"], splitter) == []  # short words: the prefix match forgives enough
    found = set(typos(["henvisninger"], splitter))
    assert "henvisninegr" in found
    assert "henvisningre" not in found  # «henvisning» would find it: it starts with that word
    assert not any(splitter.is_word(word) for word in typos(["parallelle", "samarbeid"], splitter))


def test_a_joining_e_is_added_only_where_the_dictionary_writes_one(splitter: Splitter) -> None:
    assert spellings(["sykmelding"], splitter) == ["sykemelding"]  # the list: «sykemeldingsattest»
    assert spellings(["henvisning", "pasienttransport", "samhandling"], splitter) == []


def test_a_word_written_only_in_see_also_is_added_once(splitter: Splitter) -> None:
    body = (
        "Lag rekvisisjon.\n\nSe også: [Pasientreiser](x.md)\n{: .hb-see-also }\n\n"
        "Kilde: [Kap](y.md)\n{: .hb-cite }\n"
    )
    _, light = search_words("Pasienttransport", body, splitter)
    assert light.count("pasientreiser") == 1  # Pagefind leaves «Se også» out of the index
    assert "rekvisisjon" not in light and "kap" in light


# How the left-out paragraphs were found before `without_excluded` (slow: from every line start).
_EXCLUDED_BEFORE = re.compile(r"(?m)^[^\n]*(?:\n[^\n]+)*\n\{: \.hb-(?:see-also|cite|jump) \}")


def test_the_left_out_paragraphs_are_the_ones_the_pattern_found(pages: dict[str, str]) -> None:
    pieces = ["\n", "\n", "\n", "ord", "to ord", "{: .hb-see-also }", "{: .hb-cite }x"]
    pieces += ["{: .hb-jump }", "{: .hb-other }", " "]
    rng = random.Random(5)
    texts = ["".join(rng.choices(pieces, k=rng.randrange(16))) for _ in range(20_000)]
    texts += list(pages.values())
    for text in texts:
        assert without_excluded(text) == _EXCLUDED_BEFORE.sub("", text), repr(text)
    assert without_excluded("A\n\nB\nC\n{: .hb-cite }\n{: .hb-jump }\n\nD") == "A\n\n\nD"


def test_summary_pages_weigh_their_text_down_but_not_their_title(pages: dict[str, str]) -> None:
    for path in (
        "hva-er-nytt.md",
        "regionale-tilpasninger.md",
        "forkortelser.md",
        "om-handboka.md",
    ):
        markdown = pages[path]
        rest = markdown.partition("\n# ")[2].partition("\n")[2]
        assert rest.lstrip().startswith(
            f'<div class="hb-summary" data-pagefind-weight="{SUMMARY_WEIGHT}" markdown>'
        ), path
        block = BLOCK.search(markdown)
        assert block is None or 'data-pagefind-weight="1"' not in block.group(1), path
    for path in ("emner/pasienttransport.md", "telefonvei.md", "meldingsveileder.md"):
        assert "hb-summary" not in pages[path], path  # where the rules are: full weight
    chapter = BLOCK.search(pages["emner/epikrise.md"])
    assert chapter is not None
    assert re.search(rf'data-pagefind-weight="{TYPO_WEIGHT}">[^<]*\bepikrsie\b', chapter.group(1))


def test_summary_body_keeps_a_page_without_a_title_as_it_is() -> None:
    assert summary_body("Bare tekst.\n") == "Bare tekst.\n"
    wrapped = summary_body("# Tittel\n\nTekst.\n")
    assert wrapped.startswith('# Tittel\n\n<div class="hb-summary"')
    assert wrapped.rstrip().endswith("</div>") and "Tekst." in wrapped
