"""The real content in content/ is valid and faithful in coverage to the source guideline.

The guideline is Agder's (SSHF), so its chapters are checked in the agder region's view: the
national base (the chapters the OUS list and the guideline share) with Agder's changes applied."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core.diagnostics import Level
from generator.core.handbook import Handbook, walk_models
from generator.core.pipeline import load_handbook

from . import source_text
from .conftest import ROOT

SOURCES = ROOT.parent / "shared" / "sources"
GUIDELINE = SOURCES / "agder-anbefalinger-samarbeid-fastleger-sykehus-2024.txt"
HOME_THRESHOLD = 0.8  # share of a bullet's words that its home must contain
REGION = "agder"  # the region whose handbook the guideline is


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    result = load_handbook(ROOT / "content", today=dt.date.today(), region=REGION)
    errors = [d.format() for d in result.diagnostics if d.level is Level.ERROR]
    assert not errors, "\n".join(errors)
    assert result.handbook is not None
    return result.handbook


@pytest.fixture(scope="module")
def chapters() -> list[source_text.Chapter]:
    assert GUIDELINE.exists(), f"the source documents belong beside the repository: {GUIDELINE}"
    return source_text.parse(GUIDELINE)


def test_real_content_has_no_errors_and_no_warnings() -> None:
    result = load_handbook(ROOT / "content", today=dt.date.today(), region=REGION)
    assert [d.format() for d in result.diagnostics] == []


def test_every_chapter_is_a_topic(handbook: Handbook, chapters: list) -> None:
    assert [c.number for c in chapters] == list(range(1, 17))
    by_number = {t.number: t for t in handbook.topics}
    for chapter in chapters:
        topic = by_number.get(chapter.number)
        assert topic is not None, f"chapter {chapter.number} {chapter.title} has no topic"
        assert topic.source.section == str(chapter.number)
    source = next(s for s in handbook.sources if s.file == GUIDELINE.name)
    titles = {s.id: s.title for s in source.sections}
    for chapter in chapters:
        assert (
            source_text.words(titles[str(chapter.number)])[:3]
            == source_text.words(chapter.title)[:3]
        )


def _words_of(entity: object) -> set[str]:
    texts: list[str] = []
    for _, model in walk_models(entity, ()):
        for name in type(model).model_fields:
            value = getattr(model, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    texts.append(item)
    return set(source_text.words(" ".join(texts)))


def _homes(handbook: Handbook) -> list[tuple[str, set[str]]]:
    """Every statement, route and message rule as (id, its words).

    A bullet with two subjects may be split into two adjacent statements of its topic (the
    hospital informs; the patient books), so adjacent pairs are homes too.
    """
    homes = [
        (entry.id, _words_of(entry.entity))
        for entry in handbook.entries.values()
        if entry.kind in ("statement", "route", "rule")
    ]
    for topic in handbook.topics:
        for first, second in zip(topic.statements, topic.statements[1:], strict=False):
            homes.append((f"{first.id} + {second.id}", _words_of(first) | _words_of(second)))
    return homes


def test_every_bullet_and_sentence_has_a_home(
    handbook: Handbook, chapters: list, capsys: pytest.CaptureFixture[str]
) -> None:
    homes = _homes(handbook)
    rows, homeless = [], []
    for chapter in chapters:
        items = chapter.bullets + (
            source_text.sentences(chapter.prose) if chapter.number == 1 else []
        )
        scores = []
        for item in items:
            wanted = source_text.words(item)
            best_id, best = max(
                (
                    (home_id, sum(w in words for w in wanted) / len(wanted))
                    for home_id, words in homes
                ),
                key=lambda pair: pair[1],
            )
            scores.append(best)
            if best < HOME_THRESHOLD:
                homeless.append(f"kap. {chapter.number}: {best:.2f} ({best_id}) «{item[:90]}»")
        rows.append((chapter.number, chapter.title[:44], len(items), min(scores, default=1.0)))
    with capsys.disabled():
        print("\n\nDekning av kildens punkter (kapittel, punkter, laveste treff):")
        for number, title, count, lowest in rows:
            print(f"  {number:>2} {title:<45} {count:>3} punkter  laveste {lowest:.2f}")
        total = sum(r[2] for r in rows)
        print(f"  {total} punkter i alt, {total - len(homeless)} har et hjem i innholdet\n")
    assert not homeless, "\n".join(homeless)


def test_every_statement_cites_the_guideline_or_another_source(handbook: Handbook) -> None:
    for topic in handbook.topics:
        for statement in topic.statements:
            citation = statement.source or topic.source
            assert citation.document in {s.id for s in handbook.sources}


def test_shared_chapters_are_in_the_base_and_the_rest_only_in_agder() -> None:
    """Every chapter the OUS list shares with the guideline is a base topic (citing the OUS
    list, and the guideline's chapter in also_in); chapters 1 and 7 are Agder's own."""
    from ruamel.yaml import YAML

    from generator.core.regions import REGIONS_FOLDER, region_folder

    content = ROOT / "content"
    base_topics = {}
    for path in sorted((content / "base").rglob("*.yaml")):
        assert region_folder(path, content) is None
        for topic in (YAML(typ="safe").load(path) or {}).get("topics") or []:
            base_topics[topic["id"]] = topic
    assert (content / REGIONS_FOLDER / REGION / "region.yaml").exists()
    shared = {2, 3, 4, 5, 6} | set(range(8, 17))
    chapters = sorted(int(t["also_in"][0]["section"]) for t in base_topics.values())
    assert chapters == sorted(shared)
    for topic in base_topics.values():
        assert topic["source"] == {
            "document": "ous-samhandling-presentasjon",
            "section": "anbefalinger-innhold",
        }
        assert not topic.get("statements") and "number" not in topic and "review" not in topic
