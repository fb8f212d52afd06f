"""Every section of a cited source is covered by some content, or out of scope with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Entry, Handbook
from generator.core.model import Citation


def citations(handbook: Handbook) -> set[tuple[str, str]]:
    """Every (document, section) that some content cites."""
    return {
        (model.document, model.section)
        for _, _, model in handbook.models
        if isinstance(model, Citation)
    }


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    yield from _uncovered(handbook.entries.values(), citations(handbook))


def check_all(handbooks: list[Handbook]) -> list[Diagnostic]:
    """Coverage over every region: a section is covered when any region cites it."""
    cited = set().union(*(citations(h) for h in handbooks))
    sources = {(e.file.display, e.id): e for h in handbooks for e in h.entries.values()}
    return sorted(set(_uncovered(sources.values(), cited)))


def _uncovered(entries: Iterable[Entry], cited: set[tuple[str, str]]) -> Iterator[Diagnostic]:
    cited_documents = {document for document, _ in cited}
    for entry in entries:
        if entry.kind != "source" or entry.id not in cited_documents:
            continue
        for index, section in enumerate(entry.entity.sections):
            covered = (entry.id, section.id) in cited
            loc = (*entry.loc, "sections", index)
            if not covered and not section.out_of_scope:
                yield entry.file.diagnostic(
                    loc,
                    "uncovered-section",
                    f"avsnitt «{section.id} {section.title}» i «{entry.id}» er ikke dekket "
                    "av noe innhold",
                    "skriv innhold som siterer det, eller sett out_of_scope: med en begrunnelse",
                )
            elif covered and section.out_of_scope:
                yield entry.file.diagnostic(
                    (*loc, "out_of_scope"),
                    "covered-out-of-scope",
                    f"avsnitt «{section.id} {section.title}» er merket out_of_scope, "
                    "men innhold siterer det",
                    "avsnittet er dekket: fjern out_of_scope: fra det; eller, bygger innholdet "
                    "egentlig på et annet avsnitt, la det sitere det avsnittet",
                )
