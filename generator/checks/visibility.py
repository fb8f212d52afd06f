"""Public content must not point to internal content; internal content must say why it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

from generator.checks.references import KIND_NAMES, iter_refs
from generator.diagnostics import Diagnostic, Level
from generator.handbook import Handbook
from generator.yaml_loader import LoadedFile, Loc


def _walk(
    handbook: Handbook, loaded: LoadedFile, model: BaseModel, loc: Loc, internal: bool
) -> Iterator[Diagnostic]:
    own = getattr(model, "visibility", "public") == "internal"
    if own and not getattr(model, "why_internal", None):
        yield loaded.diagnostic(
            loc,
            "internal-without-reason",
            f"«{getattr(model, 'id', '')}» er intern, men sier ikke hvorfor",
            "legg til why_internal: med grunnen, f.eks. «nummeret skal ikke publiseres åpent»",
            level=Level.WARNING,
        )
    internal = internal or own
    if not internal:
        for ref_loc, target_id, _ in iter_refs(model, loc):
            target = handbook.entries.get(target_id)
            if target is not None and target.visibility == "internal":
                yield loaded.diagnostic(
                    ref_loc,
                    "public-refers-internal",
                    f"offentlig innhold viser til intern {KIND_NAMES[target.kind]} «{target_id}»",
                    "den åpne utgaven kan ikke vise den; gjør henvisningen intern eller fjern den",
                )
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _walk(handbook, loaded, value, (*loc, name), internal)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(handbook, loaded, item, (*loc, name, index), internal)


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, content in handbook.files:
        yield from _walk(handbook, loaded, content, (), False)
