"""One source, two editions: the public view of a Handbook holds nothing internal.

Why a view and not filters in the templates: the public build must never read internal-only data
into what it writes. `edition_view(handbook, "public")` returns a new Handbook with every internal
entity removed, every `internal:` block of a route dropped, and every reference to an internal
entity replaced by its `public_fallback` (or removed). Renderers only ever see the view.
The internal view keeps everything and applies the routes' internal values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel

from generator.checks.references import ref_fields
from generator.core.handbook import Handbook, iter_entries
from generator.core.model import Route
from generator.core.regions import AppliedChange

Edition = Literal["public", "internal"]
EDITIONS: tuple[Edition, ...] = ("public", "internal")


def _is_internal(value: Any) -> bool:
    return isinstance(value, BaseModel) and getattr(value, "visibility", "public") == "internal"


class _PublicView:
    def __init__(self, handbook: Handbook) -> None:
        self.replacement: dict[str, str | None] = {
            entry.id: entry.entity.public_fallback
            for entry in handbook.entries.values()
            if entry.visibility == "internal"
        }

    def ref(self, target: str) -> str | None:
        seen = set()
        while target in self.replacement and target not in seen:  # a fallback may be internal
            seen.add(target)
            replaced = self.replacement[target]
            if replaced is None:
                return None
            target = replaced
        return None if target in self.replacement else target

    def model(self, model: BaseModel) -> BaseModel:
        updates: dict[str, Any] = {}
        refs = ref_fields(type(model))
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name in refs:
                if isinstance(value, str):
                    updates[name] = self.ref(value)
                elif isinstance(value, list):
                    kept = [self.ref(v) for v in value]
                    updates[name] = [v for v in kept if v is not None]
            elif isinstance(value, BaseModel):
                updates[name] = None if _is_internal(value) else self.model(value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                updates[name] = [self.model(v) for v in value if not _is_internal(v)]
        if isinstance(model, Route):
            updates["internal"] = None
        if "public_fallback" in type(model).model_fields:
            updates["public_fallback"] = None
        if "why_internal" in type(model).model_fields:  # a reason on a public item says too much
            updates["why_internal"] = None
        return model.model_copy(update=updates)


def _internal_model(model: BaseModel) -> BaseModel:
    """The internal edition: a route's internal number and note take their place."""
    updates: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            updates[name] = _internal_model(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            updates[name] = [_internal_model(v) for v in value]
    if isinstance(model, Route) and model.internal is not None:
        extra = model.internal
        label = " (EKSEMPEL – erstattes av det ekte nummeret)" if extra.example else ""
        if extra.number:
            updates["number"] = extra.number
            updates["no_number_reason"] = None
        notes = list(model.notes)
        if extra.note:
            notes.insert(0, extra.note + label)
        elif label:
            notes.insert(0, "Intern verdi" + label)
        updates["notes"] = notes
    return model.model_copy(update=updates)


def edition_view(handbook: Handbook, edition: Edition) -> Handbook:
    """The Handbook as the given edition shows it; the input is left unchanged."""
    transform = _PublicView(handbook).model if edition == "public" else _internal_model
    files = [(loaded, transform(content)) for loaded, content in handbook.files]
    view = Handbook(info=handbook.info, files=files)  # type: ignore[arg-type]
    for loaded, content in files:
        for entry in iter_entries(loaded, content):
            view.entries[entry.id] = entry
    if handbook.region is not None:
        region = handbook.region
        if edition == "public":
            changes = [_public_change(c, handbook, view) for c in region.changes]
            region = replace(region, changes=[c for c in changes if c is not None])
        view.region = region
    return view


_PRIVATE_FIELDS = {"internal", "why_internal", "public_fallback", "visibility"}


def _public_change(change: AppliedChange, full: Handbook, view: Handbook) -> AppliedChange | None:
    """A change as the public edition may show it: none for an internal item, and only the
    plain values of public fields (an override may carry an internal number). Internal items an
    extension added are left out, and an extension that added only internal items is left out
    whole: its reason and place would tell that internal content exists."""
    if change.internal or (change.action != "remove" and change.target not in view.entries):
        return None

    def plain(values: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v
            for k, v in values.items()
            if k not in _PRIVATE_FIELDS and isinstance(v, str | int | float | bool | None)
        }

    added = {
        name: kept
        for name, items in change.added.items()
        if (kept := [i for i in items if i not in full.entries or i in view.entries])
    }
    if change.action == "extend" and change.added and not added:
        return None
    return replace(
        change,
        fields=tuple(f for f in change.fields if f not in _PRIVATE_FIELDS),
        before=plain(change.before),
        after=plain(change.after),
        added=added,
    )
