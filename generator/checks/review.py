"""Review dates make sense, and content whose review date has passed is flagged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.diagnostics import Diagnostic, Level
from generator.handbook import Handbook


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for entry in handbook.entries.values():
        review = getattr(entry.entity, "review", None)
        if review is None:
            continue
        loc = (*entry.loc, "review")
        if review.next_review <= review.last_reviewed:
            yield entry.file.diagnostic(
                (*loc, "next_review"),
                "review-order",
                f"neste gjennomgang ({review.next_review}) er ikke etter siste "
                f"gjennomgang ({review.last_reviewed})",
            )
        elif review.next_review < today:
            yield entry.file.diagnostic(
                (*loc, "next_review"),
                "review-overdue",
                f"«{entry.id}» skulle vært gjennomgått {review.next_review}",
                "gå gjennom innholdet mot kilden og oppdater last_reviewed og next_review",
                level=Level.WARNING,
            )
        if review.last_reviewed > today:
            yield entry.file.diagnostic(
                (*loc, "last_reviewed"),
                "review-in-future",
                f"siste gjennomgang ({review.last_reviewed}) er frem i tid",
            )
