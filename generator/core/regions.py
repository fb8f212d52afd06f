"""One national base, many regions: the content a region's handbook is made of.

Layout (a content folder with a `regions/` folder in it):
    content/base/...                 the national base: every file outside regions/
    content/regions/<id>/region.yaml  the region: `handbook:` with its id, name and `extends:`
    content/regions/<id>/*.yaml       its own items, and `changes:` to what it inherits

A region's view is the base, then every region it extends (the root first), then the region
itself. Each level adds its own items and applies its `changes:` (override fields, extend lists,
remove items) to what it inherits. Why on the YAML data and not on the models: the data keeps the
position of every value, so after the merge an error in an overridden value still points into the
region's file and an error in an inherited value into the base's, with no special cases in the
checks that run afterwards.

Where an item's source comes from (applied here, and only here, by `_Overlay`): an item cites
its own `source:`, or a default declared where the item is written: the topic (or checklist)
around it in the same file, or, for an item a change adds, the `source:` that same change gives
its target (`override: source:`). (A change's own `source:` cites its reason, `why:`, not what
it adds.) Never a default that lives in another file or
region: a statement a region adds to a base chapter does not take the base chapter's source,
and when a region overrides a chapter's `source:`, the statements it inherits keep the source
they were written from. An added item with no such source is an error at its own line.
"""

from __future__ import annotations

import copy
import difflib
import os
import typing
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from generator.core import file_cache
from generator.core.diagnostics import Diagnostic, Level, display_path
from generator.core.model import (
    COLLECTIONS,
    NESTED_ENTITIES,
    ContentFile,
    HandbookInfo,
    holds_markdown,
)
from generator.core.schema_errors import model_at, translate_all
from generator.core.yaml_loader import LoadedFile, Loc, Position

REGIONS_FOLDER = "regions"
DECLARATION = "region.yaml"
Action = Literal["override", "extend", "remove"]
Files = list[tuple[LoadedFile, ContentFile]]


def is_regional(content_dir: Path) -> bool:
    return (content_dir / REGIONS_FOLDER).is_dir()


@dataclass
class Region:
    id: str
    info: HandbookInfo
    declaration: LoadedFile
    folder: Path
    files: Files = field(default_factory=list)


@dataclass(frozen=True)
class AppliedChange:
    """One difference between a region and what it inherits, for the «Regionale tilpasninger»
    page: what changed, how, why, and where the change is written."""

    region: str
    action: Action
    target: str
    kind: str
    label: str  # the target's title, name or text, for people
    label_markdown: bool  # the label is a text (Markdown), not a title or a name (plain text)
    internal: bool  # the target is internal content: the public edition leaves the change out
    why: str
    where: str  # "content/regions/oslo/endringer.yaml:12": from the content folder's parent
    fields: tuple[str, ...] = ()
    before: dict[str, Any] = field(default_factory=dict)  # override: the inherited values
    after: dict[str, Any] = field(default_factory=dict)  # override: the new values
    added: dict[str, list[str]] = field(default_factory=dict)  # extend: field -> ids or texts
    markdown: tuple[str, ...] = ()  # the overridden fields that hold Markdown (the others: plain)


@dataclass
class RegionView:
    """The files of one region's handbook, with its changes applied, and what they changed."""

    region: Region
    chain: list[Region]  # root first, the region itself last
    files: Files
    changes: list[AppliedChange]
    removed: dict[str, str]  # id -> where the removal is written
    # Ids first defined by the region itself (not inherited), in file order: pages list them in
    # this order where their names tie, so a set's hash order would differ between builds.
    own_ids: AbstractSet[str]
    diagnostics: list[Diagnostic]


def region_folder(path: Path, content_dir: Path) -> Path | None:
    """The region folder a content file belongs to, or None for a base file."""
    parts = path.relative_to(content_dir).parts
    if len(parts) >= 3 and parts[0] == REGIONS_FOLDER:
        return content_dir / parts[0] / parts[1]
    return None


def published_path(path: Path, content_dir: Path) -> str:
    """A content file's path as pages print it: from the content folder's parent, so
    `content/regions/agder/x.yaml` wherever the folder is and whatever the working folder.
    Why not `display_path`: that is relative to the working folder (for editors' terminals), and
    absolute outside it, which would put a machine path into the site."""
    folder = Path(os.path.abspath(content_dir))
    return (folder.name / Path(os.path.abspath(path)).relative_to(folder)).as_posix()


def declarations(content_dir: Path) -> list[Path]:
    return sorted((content_dir / REGIONS_FOLDER).glob(f"*/{DECLARATION}"))


def find_regions(
    content_dir: Path, files: Files
) -> tuple[Files, dict[str, Region], list[Diagnostic]]:
    """Split validated files into the base and the regions; check the regions' declarations."""
    diagnostics: list[Diagnostic] = []
    base: Files = []
    by_folder: dict[Path, Files] = {}
    for loaded, content in files:
        folder = region_folder(loaded.path, content_dir)
        if folder is None:
            base.append((loaded, content))
            for key, message in (
                ("handbook", "«handbook:» hører hjemme i en regions region.yaml, ikke i basen"),
                ("changes", "«changes:» hører hjemme i en region; basen har ikke noe å endre"),
            ):
                if getattr(content, key):
                    diagnostics.append(
                        loaded.diagnostic((key,), f"base-{key}", message, prefer_key=True)
                    )
        else:
            by_folder.setdefault(folder, []).append((loaded, content))

    regions: dict[str, Region] = {}
    for folder, group in sorted(by_folder.items()):
        declared = [(lf, c) for lf, c in group if c.handbook is not None]
        if not declared and (folder / DECLARATION).exists():
            continue  # region.yaml has errors of its own, reported already
        if not declared or declared[0][0].path.name != DECLARATION:
            where = group[0][0]
            diagnostics.append(
                Diagnostic(
                    display_path(folder / DECLARATION),
                    1,
                    1,
                    Level.ERROR,
                    "region-declaration",
                    f"regionmappen «{folder.name}» mangler {DECLARATION} med «handbook:»",
                    f"kopier {DECLARATION} fra en annen region (se {where.display})",
                )
            )
            continue
        for loaded, _ in declared[1:]:
            diagnostics.append(
                loaded.diagnostic(
                    ("handbook",),
                    "duplicate-handbook",
                    f"«handbook:» står også i {declared[0][0].display}; én per region",
                    prefer_key=True,
                )
            )
        loaded, content = declared[0]
        assert content.handbook is not None
        info = content.handbook
        first = regions.get(info.id)
        if first is not None:
            diagnostics.append(
                loaded.diagnostic(
                    ("handbook", "id"),
                    "duplicate-region",
                    f"regionen «{info.id}» finnes også i {first.declaration.display}",
                    "to regioner kan ikke ha samme id; gi denne en egen id",
                )
            )
            continue
        regions[info.id] = Region(info.id, info, loaded, folder, group)

    for region in regions.values():
        parent = region.info.extends
        if parent is not None and parent not in regions:
            close = difflib.get_close_matches(parent, list(regions), n=1)
            diagnostics.append(
                region.declaration.diagnostic(
                    ("handbook", "extends"),
                    "unknown-region",
                    f"ukjent region «{parent}»",
                    f"mente du «{close[0]}»?" if close else f"regioner: {', '.join(regions)}",
                )
            )
        elif parent is not None:
            cycle = _cycle(regions, region.id)
            if cycle and cycle[0] == region.id:
                diagnostics.append(
                    region.declaration.diagnostic(
                        ("handbook", "extends"),
                        "region-cycle",
                        "regionene bygger på hverandre i ring: " + " → ".join(cycle),
                        "én av dem må bygge på basen (fjern «extends:») eller på en annen region",
                    )
                )
    return base, regions, diagnostics


def _cycle(regions: dict[str, Region], start: str) -> list[str]:
    """The ids around the inheritance ring `start` is on, starting and ending at `start`."""
    seen: list[str] = []
    current: str | None = start
    while current is not None and current in regions:
        if current in seen:
            return [*seen[seen.index(current) :], current] if current == start else []
        seen.append(current)
        current = regions[current].info.extends
    return []


def chain(regions: dict[str, Region], region_id: str) -> list[Region]:
    """The region and every region it extends, root first (no cycles: checked before)."""
    found: list[Region] = []
    current: str | None = region_id
    while current is not None and current in regions and regions[current] not in found:
        found.insert(0, regions[current])
        current = regions[current].info.extends
    return found


# --- applying changes to the data ------------------------------------------------------------


class _Tables:
    """The position tables of a LoadedFile, edited as values move between files."""

    @staticmethod
    def drop(loaded: LoadedFile, prefix: Loc) -> None:
        for table in (loaded.values, loaded.keys, loaded.raw):
            for loc in [k for k in table if k[: len(prefix)] == prefix]:
                del table[loc]

    @staticmethod
    def shift(loaded: LoadedFile, list_loc: Loc, removed: int) -> None:
        """Renumber the positions of the items after `removed` in the list at `list_loc`."""
        n = len(list_loc)
        for table in (loaded.values, loaded.keys, loaded.raw):
            moved = {
                k: v
                for k, v in table.items()
                if k[:n] == list_loc and len(k) > n and isinstance(k[n], int) and k[n] > removed
            }
            for k in moved:
                del table[k]
            for k, v in moved.items():
                table[(*list_loc, k[n] - 1, *k[n + 1 :])] = v  # type: ignore[index]

    @staticmethod
    def graft(dst: LoadedFile, dst_loc: Loc, src: LoadedFile, src_loc: Loc) -> None:
        """Copy the positions under `src_loc` in `src` to `dst_loc` in `dst`, naming `src`."""
        n = len(src_loc)
        for name, loc, value in _Tables.under_change(src, src_loc[:2]):
            if loc[:n] == src_loc:
                if isinstance(value, Position) and value.file is None:
                    value = Position(value.line, value.col, src.display, value.hidden)
                getattr(dst, name)[(*dst_loc, *loc[n:])] = value

    @staticmethod
    def copy(loaded: LoadedFile, src_loc: Loc, dst_loc: Loc) -> None:
        """Copy the positions under `src_loc` to `dst_loc` in the same file."""
        n = len(src_loc)
        for table in (loaded.values, loaded.keys, loaded.raw):
            for loc, value in [(k, v) for k, v in table.items() if k[:n] == src_loc]:
                table[(*dst_loc, *loc[n:])] = value  # type: ignore[index]

    @staticmethod
    def under_change(src: LoadedFile, change_loc: Loc) -> list[tuple[str, Loc, Any]]:
        """The positions under one change of a region file (`("changes", i)`), grouped once per
        file: a region's file is never changed, so the grouping stays true."""
        groups = src.__dict__.get("_by_change")
        if groups is None:
            groups = {}
            for name in ("values", "keys", "raw"):
                for loc, value in getattr(src, name).items():
                    groups.setdefault(loc[:2], []).append((name, loc, value))
            src.__dict__["_by_change"] = groups
        return groups.get(change_loc, [])


def _entities(data: Any) -> typing.Iterator[tuple[Loc, dict[str, Any], str]]:
    """(loc, mapping, kind) of every entity with an id in one file's data."""
    if not isinstance(data, dict):
        return
    for collection, kind in COLLECTIONS.items():
        for index, item in enumerate(data.get(collection) or []):
            if not isinstance(item, dict):
                continue
            if "id" in item:
                yield (collection, index), item, kind
            for name, nested_kind in NESTED_ENTITIES.items():
                children = item.get(name)
                if isinstance(children, list):
                    for j, child in enumerate(children):
                        if isinstance(child, dict) and "id" in child:
                            yield (collection, index, name, j), child, nested_kind


# List fields whose items may leave out `source:` and cite the entity they are written in.
SOURCE_CHILDREN = ("statements", "steps")


def _has_provenance(item: dict[str, Any]) -> bool:
    return "source" in item or "editorial" in item


def _keep_sources(loaded: LoadedFile, target_loc: Loc, mapping: dict[str, Any]) -> None:
    """Before a change replaces an entity's `source:`, write the current one into each child
    that cites it by leaving its own out: they were written from it, not from the new one."""
    if not isinstance(mapping.get("source"), dict):
        return
    for name in SOURCE_CHILDREN:
        children = mapping.get(name)
        if not isinstance(children, list):
            continue
        for index, child in enumerate(children):
            if isinstance(child, dict) and not _has_provenance(child):
                child["source"] = copy.deepcopy(mapping["source"])
                _Tables.copy(loaded, (*target_loc, "source"), (*target_loc, name, index, "source"))


LABEL_KEYS = ("title", "name", "term", "text", "question")  # the first two: plain text


def _label(item: dict[str, Any]) -> str:
    return next((item[k] for k in LABEL_KEYS if isinstance(item.get(k), str)), str(item.get("id")))


def _label_is_markdown(item: dict[str, Any]) -> bool:
    key = next((k for k in LABEL_KEYS if isinstance(item.get(k), str)), None)
    return key in ("text", "question")


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _is_list_field(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return typing.get_origin(annotation) is list


class _Overlay:
    """Applies one region's changes to the files it inherits, copying a file before changing it."""

    def __init__(self, files: Files) -> None:
        self.files: list[tuple[LoadedFile, ContentFile | None]] = list(files)
        self.copied: set[int] = set()
        self.changes: list[AppliedChange] = []
        self.removed: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []

    def _locate(self, target: str) -> tuple[int, Loc, dict[str, Any], str] | None:
        for index, (loaded, _) in enumerate(self.files):
            for loc, item, kind in _entities(loaded.data):
                if item.get("id") == target:
                    return index, loc, item, kind
        return None

    def _writable(self, index: int) -> LoadedFile:
        loaded = self.files[index][0]
        if index not in self.copied:
            loaded = LoadedFile(
                path=loaded.path,
                display=loaded.display,
                data=copy.deepcopy(loaded.data),
                values=dict(loaded.values),
                keys=dict(loaded.keys),
                raw=dict(loaded.raw),
            )
            self.copied.add(index)
        self.files[index] = (loaded, None)  # validated again after all changes
        return loaded

    def apply(self, region: Region, source: LoadedFile, loc: Loc, change: Any) -> None:
        where = source.position(loc)
        where_text = f"{source.display}:{where.line}"  # for editors: as the diagnostics say it
        published = f"{published_path(source.path, region.folder.parent.parent)}:{where.line}"
        found = self._locate(change.target)
        if found is None:
            known = [item["id"] for lf, _ in self.files for _, item, _ in _entities(lf.data)]
            close = difflib.get_close_matches(change.target, known, n=1, cutoff=0.6)
            removed = self.removed.get(change.target)
            self.diagnostics.append(
                source.diagnostic(
                    (*loc, "target"),
                    "unknown-target",
                    f"regionen endrer «{change.target}», men det finnes ikke i det den arver"
                    + (f" (fjernet i {removed})" if removed else ""),
                    f"mente du «{close[0]}»?"
                    if close
                    else "target: må være id-en til noe i basen eller i regionen det bygges på",
                )
            )
            return
        index, target_loc, item, kind = found
        parent = _get(self.files[index][0].data, target_loc[:2]) if len(target_loc) > 2 else {}
        internal = "internal" in (item.get("visibility"), parent.get("visibility"))
        model = model_at(ContentFile, target_loc)
        assert model is not None
        base = dict(
            region=region.id, target=change.target, kind=kind, label=_label(item),
            label_markdown=_label_is_markdown(item), internal=internal, why=change.why,
            where=published,
        )  # fmt: skip
        if change.remove:
            loaded = self._writable(index)
            _get(loaded.data, target_loc[:-1]).pop(target_loc[-1])
            _Tables.drop(loaded, target_loc)
            _Tables.shift(loaded, target_loc[:-1], target_loc[-1])
            self.removed[change.target] = where_text
            for _, child, _ in _entities({target_loc[0]: [item]}):
                self.removed.setdefault(child["id"], where_text)
            self.changes.append(AppliedChange(action="remove", **base))
            return
        default = self._default_source(source, loc)
        if change.override:
            fields = self._check_fields(
                source, loc, "override", change.override, model, lists=False
            )
            if fields:
                loaded = self._writable(index)
                mapping = _get(loaded.data, target_loc)
                before = {name: copy.deepcopy(mapping.get(name)) for name in fields}
                if "source" in fields:
                    _keep_sources(loaded, target_loc, mapping)
                for name in fields:
                    value = change.override[name]
                    mapping[name] = copy.deepcopy(value)
                    _Tables.drop(loaded, (*target_loc, name))
                    _Tables.graft(loaded, (*target_loc, name), source, (*loc, "override", name))
                    if name in SOURCE_CHILDREN:
                        self._cite_added(loaded, (*target_loc, name), source, default)
                self.changes.append(
                    AppliedChange(
                        action="override",
                        fields=tuple(fields),
                        before=before,
                        after={name: copy.deepcopy(change.override[name]) for name in fields},
                        markdown=tuple(f for f in fields if holds_markdown(model, f)),
                        **base,
                    )
                )
        if change.extend:
            fields = self._check_fields(source, loc, "extend", change.extend, model, lists=True)
            if fields:
                loaded = self._writable(index)
                mapping = _get(loaded.data, target_loc)
                added: dict[str, list[str]] = {}
                for name in fields:
                    items = change.extend[name]
                    current = mapping.setdefault(name, [])
                    if not isinstance(current, list):
                        continue
                    first = len(current)
                    for k, value in enumerate(items):
                        new_loc = (*target_loc, name, len(current))
                        current.append(copy.deepcopy(value))
                        _Tables.graft(loaded, new_loc, source, (*loc, "extend", name, k))
                    if name in SOURCE_CHILDREN:
                        self._cite_added(loaded, (*target_loc, name), source, default, first)
                    added[name] = [
                        v.get("id", _label(v)) if isinstance(v, dict) else str(v) for v in items
                    ]
                self.changes.append(AppliedChange(action="extend", added=added, **base))

    @staticmethod
    def _default_source(source: LoadedFile, loc: Loc) -> Loc | None:
        """Where the change at `loc` declares the source of what it adds: the `source:` it
        gives its target. None: it declares none."""
        change = _get(source.data, loc)
        override = change.get("override")
        if isinstance(override, dict) and isinstance(override.get("source"), dict):
            return (*loc, "override", "source")
        return None

    def _cite_added(
        self, loaded: LoadedFile, list_loc: Loc, source: LoadedFile, default: Loc | None, first=0
    ) -> None:
        """Give the items a change added to `list_loc` (from index `first`) the change's
        source, where they have none of their own; an error at the item where there is none."""
        items = _get(loaded.data, list_loc)
        for index in range(first, len(items)):
            item = items[index]
            if not isinstance(item, dict) or _has_provenance(item):
                continue
            item_loc = (*list_loc, index)
            if default is not None:
                item["source"] = copy.deepcopy(_get(source.data, default))
                _Tables.graft(loaded, (*item_loc, "source"), source, default)
                continue
            self.diagnostics.append(
                loaded.diagnostic(
                    (*item_loc, "id"),
                    "missing-source",
                    f"«{item.get('id', '?')}» legges til av en endring uten kilde, og arver "
                    "ikke kilden til det den legges til (den er skrevet et annet sted)",
                    "skriv source: {document: ..., section: ...} på elementet (eller, når hele "
                    "kapittelet i regionen er skrevet fra samme kilde, override: source: på "
                    "endringen: den gjelder da også alt endringen legger til)",
                )
            )

    def _check_fields(
        self,
        source: LoadedFile,
        loc: Loc,
        action: str,
        values: dict[str, Any],
        model: type[BaseModel],
        *,
        lists: bool,
    ) -> list[str]:
        """The fields that can be changed; a diagnostic for each of the others."""
        good: list[str] = []
        for name in values:
            field_loc = (*loc, action, name)
            if name == "id":
                problem = ("override-id", "id-en kan ikke endres", "lag heller et nytt element")
            elif name not in model.model_fields:
                close = difflib.get_close_matches(name, list(model.model_fields), n=1)
                problem = (
                    "unknown-field",
                    f"«{name}» er ikke et felt i det som endres",
                    f"mente du «{close[0]}»?" if close else None,
                )
            elif lists and not _is_list_field(model, name):
                problem = (
                    "extend-not-list",
                    f"«{name}» er ikke en liste, så det kan ikke utvides",
                    "bruk override: for å erstatte verdien",
                )
            else:
                good.append(name)
                continue
            code, message, hint = problem
            self.diagnostics.append(
                source.diagnostic(field_loc, code, message, hint, prefer_key=True)
            )
        return good

    def validated(self) -> Files:
        """The files, with every changed one validated again (errors point to where each
        value was written)."""
        result: Files = []
        for loaded, content in self.files:
            if content is None:
                try:
                    content = file_cache.validate(loaded.data)
                except ValidationError as exc:
                    self.diagnostics += translate_all(exc, loaded, ContentFile)
                    continue
            result.append((loaded, content))
        return result


def region_view(base: Files, regions: dict[str, Region], region_id: str) -> RegionView:
    """The base with every level of the region's chain applied, root first: each level's
    changes apply to what it inherits, then its own files join."""
    levels = chain(regions, region_id)
    overlay = _Overlay(base)
    for level in levels:
        for loaded, content in level.files:
            for index, change in enumerate(content.changes):
                overlay.apply(level, loaded, ("changes", index), change)
        overlay.files += level.files
    region = levels[-1]
    own_ids = dict.fromkeys(
        item["id"] for loaded, _ in region.files for _, item, _ in _entities(loaded.data)
    ).keys()
    return RegionView(
        region=region,
        chain=levels,
        files=overlay.validated(),
        changes=overlay.changes,
        removed=overlay.removed,
        own_ids=own_ids,
        diagnostics=overlay.diagnostics,
    )
