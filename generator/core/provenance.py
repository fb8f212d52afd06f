"""What readers are told about where an item comes from, beyond its citation.

- An editorial addition (`editorial:`) is a fact the editors add from general knowledge; it is
  shown as «Redaksjonell tilføyelse (dato)» wherever a citation would be.
- A status (`status:`) says that what a source says is a proposal or a position paper, not an
  agreed rule. An item's own status wins; otherwise the cited section's, then the source's. A
  name or an abbreviation (an organisation, a glossary term) is not a rule: it has only its own.
  The pages and the cards read it from here, so they say the same.

Which citation an item has is not decided here: callers pass the citation they show.
"""

from __future__ import annotations

from typing import Any

from generator.core.handbook import Handbook
from generator.core.model import Citation, Organisation, Provenance, SourceStatus, Term

STATUS_WORDS = {"proposal": "Forslag", "position_paper": "Innspill"}


def status_of(
    handbook: Handbook, citation: Citation | None, own: SourceStatus | None = None
) -> SourceStatus | None:
    """The status of what an item says: its own, else its cited section's, else its source's."""
    if own is not None or citation is None:
        return own
    entry = handbook.entries.get(citation.document)
    if entry is None or entry.kind != "source":
        return None
    source = entry.entity
    section = next((s for s in source.sections if s.id == citation.section), None)
    return (section.status if section is not None else None) or source.status


def item_status(handbook: Handbook, item: Any, citation: Citation | None) -> SourceStatus | None:
    """The status shown beside an item that is shown with `citation`."""
    own = getattr(item, "status", None)
    if isinstance(item, (Term, Organisation)):
        return own
    return status_of(handbook, citation, own)


def name_of(handbook: Handbook, who: str) -> str:
    """An actor's or organisation's short name when `who` is its id, else `who` as written."""
    entry = handbook.entries.get(who)
    if entry is None or entry.kind not in ("actor", "organisation"):
        return who
    return getattr(entry.entity, "short_name", None) or entry.entity.name


def status_label(handbook: Handbook, status: SourceStatus) -> str:
    """«Forslag fra Legeforeningen (2026), ikke vedtatt i Agder»."""
    region = handbook.info.region if handbook.info else "regionen"
    word = STATUS_WORDS[status.kind]
    return f"{word} fra {name_of(handbook, status.by)} ({status.year}), ikke vedtatt i {region}"


def editorial_share(handbook: Handbook) -> tuple[int, int]:
    """(editorial additions, items that have a source or an editorial addition) in the
    handbook: every model that can carry one, nested ones (a reply time) included."""
    carriers = [model for _, _, model in handbook.models if isinstance(model, Provenance)]
    return sum(1 for item in carriers if item.editorial is not None), len(carriers)


def share_line(name: str, handbook: Handbook) -> str:
    """The line `handbook validate` prints per region, beside its «OK ...» line."""
    editorial, total = editorial_share(handbook)
    percent = f"{100 * editorial / total:.1f}".replace(".", ",") if total else "0"
    return (
        f"Redaksjonelt{' ' + name if name else ''}: {editorial} av {total} elementer er "
        f"redaksjonelle tilføyelser ({percent} %)."
    )
