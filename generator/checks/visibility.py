"""Public content must not point to internal content; internal content must say why it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

from generator.checks.references import KIND_NAMES, iter_refs
from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook, field_names
from generator.core.yaml_loader import LoadedFile, Loc


def _walk(
    handbook: Handbook, loaded: LoadedFile, model: BaseModel, loc: Loc, internal: bool
) -> Iterator[Diagnostic]:
    fields = field_names(type(model))
    visible = "visibility" in fields  # misses are slow on pydantic models
    own = visible and model.visibility == "internal"
    if own and not model.why_internal:
        yield loaded.diagnostic(
            loc,
            "internal-without-reason",
            f"«{getattr(model, 'id', '')}» er intern, men sier ikke hvorfor",
            "legg til why_internal: med grunnen, f.eks. «nummeret skal ikke publiseres åpent»",
            level=Level.WARNING,
        )
    fallback = model.public_fallback if visible else None
    if fallback and not own:
        yield loaded.diagnostic(
            (*loc, "public_fallback"),
            "fallback-on-public",
            "public_fallback brukes bare på internt innhold",
            "fjern den, eller sett visibility: internal",
        )
    if own and fallback:
        target = handbook.entries.get(fallback)
        if target is not None and target.visibility == "internal":
            yield loaded.diagnostic(
                (*loc, "public_fallback"),
                "fallback-internal",
                f"reserven «{fallback}» er selv intern",
                "public_fallback må peke på offentlig innhold",
            )
    internal = internal or own
    if not internal:
        for ref_loc, target_id, _ in iter_refs(model, loc):
            if ref_loc[-1] == "public_fallback":
                continue
            target = handbook.entries.get(target_id)
            if (
                target is not None
                and target.visibility == "internal"
                and not target.entity.public_fallback
            ):
                yield loaded.diagnostic(
                    ref_loc,
                    "public-refers-internal",
                    f"offentlig innhold viser til intern {KIND_NAMES[target.kind]} «{target_id}» "
                    "uten offentlig reserve",
                    "gi den interne public_fallback: <offentlig id>, så viser den åpne "
                    "håndboka dit i stedet; skal det som viser til den, bare stå i den interne "
                    "utgaven, sett visibility: internal og why_internal: på det",
                )
    for name in fields:
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
