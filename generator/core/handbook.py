"""The validated content as one object: every entity indexed by id, with where it came from."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from generator.core.model import (
    COLLECTIONS,
    NESTED_ENTITIES,
    Actor,
    Card,
    ContentFile,
    HandbookInfo,
    MessageType,
    Organisation,
    Route,
    Source,
    Term,
    Topic,
)
from generator.core.yaml_loader import LoadedFile, Loc

if TYPE_CHECKING:
    from generator.core.regions import RegionView


@dataclass(frozen=True)
class Entry:
    """An entity with an id, the file and place it was written, and its enclosing entity."""

    kind: str
    entity: Any
    file: LoadedFile
    loc: Loc
    parent: Entry | None = None

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def visibility(self) -> str:
        own = getattr(self.entity, "visibility", "public")
        if own == "internal" or self.parent is None:
            return own
        return self.parent.visibility


@dataclass
class Handbook:
    info: HandbookInfo | None
    files: list[tuple[LoadedFile, ContentFile]]
    entries: dict[str, Entry] = field(default_factory=dict)
    region: RegionView | None = None  # for content with regions: the region's view and changes

    @cached_property
    def models(self) -> list[tuple[LoadedFile, Loc, BaseModel]]:
        """Every model in every file, with its loc: walked once, shared by the checks."""
        return [
            (loaded, loc, model)
            for loaded, content in self.files
            for loc, model in walk_models(content, ())
        ]

    def texts(self, skip: frozenset[str] = frozenset()) -> Iterator[tuple[LoadedFile, Loc, str]]:
        """Every text value of the content (reference fields and `skip` left out), with its loc.
        The walk is made once and shared: three checks and the search words ask for it."""
        found = self._texts
        if not skip:
            return iter(found)
        # A text's field is the last name in its loc (a list's item has its index after it).
        return (t for t in found if (t[1][-1] if type(t[1][-1]) is str else t[1][-2]) not in skip)

    @cached_property
    def _texts(self) -> list[tuple[LoadedFile, Loc, str]]:
        from generator.checks.references import ref_fields  # the references module imports us

        found: list[tuple[LoadedFile, Loc, str]] = []
        names: dict[type[BaseModel], list[str]] = {}  # per model class: the fields looked at
        for loaded, loc, model in self.models:
            kind = type(model)
            if kind not in names:
                left_out = set(ref_fields(kind))
                names[kind] = [name for name in kind.model_fields if name not in left_out]
            for name in names[kind]:
                value = getattr(model, name)
                if isinstance(value, str):
                    found.append((loaded, (*loc, name), value))
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, str):
                            found.append((loaded, (*loc, name, index), item))
        return found

    def of_kind(self, kind: str) -> list[Any]:
        return [e.entity for e in self.entries.values() if e.kind == kind]

    @property
    def sources(self) -> list[Source]:
        return self.of_kind("source")

    @property
    def actors(self) -> list[Actor]:
        return self.of_kind("actor")

    @property
    def organisations(self) -> list[Organisation]:
        return self.of_kind("organisation")

    @property
    def topics(self) -> list[Topic]:
        return sorted(self.of_kind("topic"), key=lambda t: (t.number is None, t.number, t.title))

    @property
    def routes(self) -> list[Route]:
        return self.of_kind("route")

    @property
    def message_types(self) -> list[MessageType]:
        return self.of_kind("message_type")

    @property
    def cards(self) -> list[Card]:
        return self.of_kind("card")

    @property
    def glossary(self) -> list[Term]:
        return sorted(self.of_kind("term"), key=lambda t: t.term.lower())


def iter_entries(loaded: LoadedFile, content: ContentFile) -> Iterator[Entry]:
    """Every entity with an id in one file, top-level ones first, then their nested ones."""
    for collection, kind in COLLECTIONS.items():
        for index, entity in enumerate(getattr(content, collection)):
            entry = Entry(kind, entity, loaded, (collection, index))
            yield entry
            yield from _nested(entry)


def _nested(parent: Entry) -> Iterator[Entry]:
    fields = type(parent.entity).model_fields
    for name, kind in NESTED_ENTITIES.items():
        if name not in fields:  # a miss would go through pydantic's slow __getattr__
            continue
        for index, entity in enumerate(getattr(parent.entity, name) or []):
            if isinstance(entity, BaseModel):  # a route's `steps` are text, not entities
                yield Entry(kind, entity, parent.file, (*parent.loc, name, index), parent)


def walk_models(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, BaseModel]]:
    """Every model inside `model` (itself included), with its loc."""
    yield loc, model
    for name in field_names(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk_models(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_models(item, (*loc, name, index))


@functools.cache
def field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class, for walks over every model: `model_fields` is a property
    that pydantic computes on every access."""
    return tuple(model.model_fields)
