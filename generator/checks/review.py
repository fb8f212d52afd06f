"""Review dates make sense, and content whose review date has passed is flagged; an editorial
addition has a review date (a warning without one: `validate --strict` requires it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook
from generator.core.model import Editorial


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    yield from _topics_with_statements_have_a_review(handbook)
    yield from _editorial_reviews(handbook, today)
    for entry in handbook.entries.values():
        if "review" not in type(entry.entity).model_fields:
            continue
        review = entry.entity.review
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


def _topics_with_statements_have_a_review(handbook: Handbook) -> Iterator[Diagnostic]:
    """A chapter of the base may be empty and unreviewed; one with statements needs a review,
    and outside regions an empty chapter is a mistake."""
    for entry in handbook.entries.values():
        if entry.kind != "topic":
            continue
        if not entry.entity.statements and handbook.region is None:
            yield entry.file.diagnostic(
                (*entry.loc, "statements"),
                "empty-list",
                "emnet har ingen utsagn («statements» er tom)",
            )
        elif entry.entity.statements and entry.entity.review is None:
            first = (*entry.loc, "statements", 0)
            added_elsewhere = entry.file.position(first).file is not None
            yield entry.file.diagnostic(
                first if added_elsewhere else entry.loc,
                "missing-field",
                "mangler påkrevd felt «review»"
                + (" på emnet det legges utsagn til" if added_elsewhere else ""),
                "feltet er en blokk med: last_reviewed, next_review, owner"
                + ("; legg det i override: i samme endring" if added_elsewhere else ""),
            )


def _editorial_reviews(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    """What the editors added from general knowledge is checked again, like cited content."""
    for loaded, loc, model in handbook.models:
        if not isinstance(model, Editorial):
            continue
        if model.next_review is None:
            yield loaded.diagnostic(
                loc,
                "editorial-no-review",
                f"den redaksjonelle tilføyelsen (lagt til {model.when}) har ingen dato for "
                "neste gjennomgang",
                "skriv next_review: ÅÅÅÅ-MM-DD i editorial:, datoen den skal sjekkes igjen",
                level=Level.WARNING,
            )
        elif model.next_review < today:
            yield loaded.diagnostic(
                (*loc, "next_review"),
                "review-overdue",
                f"den redaksjonelle tilføyelsen skulle vært gjennomgått {model.next_review}",
                "sjekk den igjen (finnes den nå i en kilde? skriv source: i stedet) og "
                "oppdater next_review",
                level=Level.WARNING,
            )
