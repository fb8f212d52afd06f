"""Nothing is published with a placeholder left in it: any text still saying TODO is an error.

`handbook new` writes skeletons full of TODOs; most fail other checks (ids, references, choices),
but plain text such as a title would otherwise pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook

TODO = re.compile(r"\bTODO\b")


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, where, text in handbook.texts():
        if TODO.search(text):
            name = next(part for part in reversed(where) if isinstance(part, str))
            yield loaded.diagnostic(
                where,
                "placeholder",
                f"«{name}» er ikke fylt ut: det står fortsatt TODO",
                "skriv inn den ekte verdien fra kilden",
            )
