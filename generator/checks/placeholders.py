"""Nothing is published with a placeholder left in it: any text still saying TODO is an error.

`handbook new` writes skeletons full of TODOs; most fail other checks (ids, references, choices),
but plain text such as a title would otherwise pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from generator.checks.references import ref_fields
from generator.diagnostics import Diagnostic
from generator.handbook import Handbook

TODO = re.compile(r"\bTODO\b")


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, loc, model in handbook.models:
        refs = set(ref_fields(type(model)))
        for name in type(model).model_fields:
            if name in refs:
                continue
            value = getattr(model, name)
            texts = value if isinstance(value, list) else [value]
            for index, text in enumerate(texts):
                if isinstance(text, str) and TODO.search(text):
                    where = (*loc, name, index) if isinstance(value, list) else (*loc, name)
                    yield loaded.diagnostic(
                        where,
                        "placeholder",
                        f"«{name}» er ikke fylt ut: det står fortsatt TODO",
                        "skriv inn den ekte verdien fra kilden",
                    )
