"""`handbook review`: which content is due for its review, soonest first.

Topics, routes and message types carry a `review:` block with `next_review` and an `owner`. This
lists every item whose next review has passed (overdue) or falls within the coming days, with the
place of its `review:` key so an editor can jump there after the review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.handbook import Handbook

STATUS_OVERDUE = "FORFALT"
TITLE_WIDTH = 40  # longer titles are cut with «…» in the table; ReviewItem keeps the whole
COLUMNS = ("Status", "Neste gjennomgang", "Id", "Tittel", "Eier", "Fil:linje")


@dataclass(frozen=True)
class ReviewItem:
    id: str
    kind: str  # the entity kind: topic, route, message_type
    title: str
    owner: str  # the owner's display name (its id when the owner is unknown)
    last_reviewed: dt.date
    next_review: dt.date
    path: str  # as editors see it, relative to the working directory when possible
    line: int  # 1-based line of the item's `review:` key
    overdue: bool

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def due_items(handbook: Handbook, today: dt.date, days: int) -> list[ReviewItem]:
    """Items whose next review is before `today` (overdue) or at most `days` days away."""
    horizon = today + dt.timedelta(days=days)
    items: list[ReviewItem] = []
    for entry in handbook.entries.values():
        review = getattr(entry.entity, "review", None)
        if review is None or review.next_review > horizon:
            continue
        position = entry.file.position((*entry.loc, "review"), prefer_key=True)
        items.append(
            ReviewItem(
                id=entry.id,
                kind=entry.kind,
                title=_title(entry.entity),
                owner=_owner_name(handbook, review.owner),
                last_reviewed=review.last_reviewed,
                next_review=review.next_review,
                path=position.file or entry.file.display,  # a region's override is elsewhere
                line=position.line,
                overdue=review.next_review < today,
            )
        )
    return sorted(items, key=lambda i: (i.next_review, i.path, i.line))


def _title(entity: object) -> str:
    for name in ("title", "name"):
        value = getattr(entity, name, None)
        if isinstance(value, str):
            return " ".join(value.split())
    return ""


def _owner_name(handbook: Handbook, owner_id: str) -> str:
    owner = handbook.entries.get(owner_id)
    name = getattr(owner.entity, "name", None) if owner is not None else None
    return name if isinstance(name, str) else owner_id


def status(item: ReviewItem, today: dt.date) -> str:
    if item.overdue:
        return STATUS_OVERDUE
    remaining = (item.next_review - today).days
    if remaining == 0:
        return "i dag"
    return f"om {remaining} dag" if remaining == 1 else f"om {remaining} dager"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_table(items: list[ReviewItem], today: dt.date) -> str:
    """A plain-text table, one item per line, columns padded to line up."""
    if not items:
        return "Ingen gjennomganger har forfalt eller forfaller snart."
    rows = [COLUMNS] + [
        (
            status(item, today),
            item.next_review.isoformat(),
            item.id,
            _cut(item.title, TITLE_WIDTH),
            item.owner,
            item.where,
        )
        for item in items
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [line(rows[0]), line(tuple("-" * w for w in widths))]
    lines += [line(row) for row in rows[1:]]
    return "\n".join(text.rstrip() for text in lines)
