"""Checks that need the whole content: references, coverage, routes, review dates, glossary,
ids that become file names.

Each module has one `check(handbook, today)` generator of diagnostics. They run only when every
file passed the schema stage, because broken files would only produce knock-on noise here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from generator.checks import (
    card_glyphs,
    coverage,
    file_names,
    glossary,
    invisible,
    placeholders,
    references,
    review,
    routes,
    visibility,
)
from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook

Check = Callable[[Handbook, dt.date], Iterable[Diagnostic]]

ALL_CHECKS: tuple[Check, ...] = (
    references.check,
    visibility.check,
    coverage.check,
    routes.check,
    review.check,
    glossary.check,
    placeholders.check,
    invisible.check,
    card_glyphs.check,
    file_names.check,
)


def run_all(handbook: Handbook, today: dt.date, skip: tuple[Check, ...] = ()) -> list[Diagnostic]:
    return [d for check in ALL_CHECKS if check not in skip for d in check(handbook, today)]
