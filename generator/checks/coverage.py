"""Every section of a cited source is covered by some content, or out of scope with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook
from generator.core.model import Citation


def citations(handbook: Handbook) -> set[tuple[str, str]]:
    """Every (document, section) that some content cites."""
    return {
        (model.document, model.section)
        for _, _, model in handbook.models
        if isinstance(model, Citation)
    }


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    yield from _uncovered(facts(handbook).values(), citations(handbook))


def check_all(handbooks: list[Handbook]) -> list[Diagnostic]:
    """Coverage over every region: a section is covered when any region cites it."""
    return check_facts([facts(h) for h in handbooks], [citations(h) for h in handbooks])


# What coverage needs of one handbook, kept without the handbook (`handbook validate` keeps it
# for a region whose files did not change): per source, by (file, id), its document id and per
# section (its id, out of scope, the diagnostic if uncovered, the one if covered yet out of scope).
SectionFact = tuple[str, bool, Diagnostic, Diagnostic]
SourceFacts = dict[tuple[str, str], tuple[str, list[SectionFact]]]


def facts(handbook: Handbook) -> SourceFacts:
    found: SourceFacts = {}
    for entry in handbook.entries.values():
        if entry.kind != "source":
            continue
        sections: list[SectionFact] = []
        for index, section in enumerate(entry.entity.sections):
            loc = (*entry.loc, "sections", index)
            uncovered = entry.file.diagnostic(
                loc,
                "uncovered-section",
                f"avsnitt «{section.id} {section.title}» i «{entry.id}» er ikke dekket "
                "av noe innhold",
                "skriv innhold som siterer det, eller sett out_of_scope: med en begrunnelse",
            )
            out_of_scope = entry.file.diagnostic(
                (*loc, "out_of_scope"),
                "covered-out-of-scope",
                f"avsnitt «{section.id} {section.title}» er merket out_of_scope, "
                "men innhold siterer det",
                "avsnittet er dekket: fjern out_of_scope: fra det; eller, bygger innholdet "
                "egentlig på et annet avsnitt, la det sitere det avsnittet",
            )
            sections.append((section.id, bool(section.out_of_scope), uncovered, out_of_scope))
        found[(entry.file.display, entry.id)] = (entry.id, sections)
    return found


def check_facts(
    each: Iterable[SourceFacts], cited_each: Iterable[set[tuple[str, str]]]
) -> list[Diagnostic]:
    """Coverage from the facts of every region (a source seen in several: the last one's)."""
    cited = set().union(*cited_each)
    sources: SourceFacts = {}
    for one in each:
        sources.update(one)
    return sorted(set(_uncovered(sources.values(), cited)))


def _uncovered(
    sources: Iterable[tuple[str, list[SectionFact]]], cited: set[tuple[str, str]]
) -> Iterator[Diagnostic]:
    cited_documents = {document for document, _ in cited}
    for document, sections in sources:
        if document not in cited_documents:
            continue
        for section, out_of_scope, uncovered, covered_out_of_scope in sections:
            covered = (document, section) in cited
            if not covered and not out_of_scope:
                yield uncovered
            elif covered and out_of_scope:
                yield covered_out_of_scope
