"""Synthetic content of the real shape, for scale benchmarks: the real base and N regions.

`make_content(target, regions)` writes
    target/<everything in content/ except regions/>   the real national base, copied
    target/regions/r001 ... rNNN                      each a copy of the real template region
                                                      (agder), ids made unique per region
Every id the template region defines (its own items, nested items such as statements and the
statements its `changes:` add) gets the suffix `-rNNN`, and so does every reference to one of
those ids. References to base ids, and the `target:` of its changes, stay as they are, so each
region inherits the real base and applies the real changes to it. `handbook:` gets the region's
own id, title and name.

The one change to the base: a source section that only the other real regions cite (Oslo's
sources, say) would be uncovered with nothing but copies of the template, an error for
`handbook validate`. Such sections get `out_of_scope:` in the copy, a line each; nothing else
about the base changes.

Why rewrite the text and not load and dump the YAML: the copies keep every comment, quote,
block scalar and flow list of the real files, so the build sees files of the same shape and size.
The template is parsed once (pure-Python parser, for character offsets); each region is the
template's text with the id spans replaced. Deterministic: same input, same bytes.

Usage: python benchmarks/synthetic.py TARGET --regions N
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.core.model import ContentFile, RefTo  # noqa: E402
from generator.core.pipeline import load_regions  # noqa: E402

REGIONS = "regions"
DECLARATION = "region.yaml"
TEMPLATE = "agder"
SUFFIXES = (".yaml", ".yml")

Loc = tuple[str | int, ...]


def region_id(number: int, count: int) -> str:
    return f"r{number:0{max(3, len(str(count)))}d}"


# --- which keys hold references: read from the content model ---------------------------------


def _refs_in(annotation: Any) -> tuple[bool, list[type[BaseModel]]]:
    """(whether the annotation is a reference, the models nested in it)."""
    is_ref = False
    models: list[type[BaseModel]] = []
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        is_ref = any(isinstance(m, RefTo) for m in meta)
        inner_ref, models = _refs_in(inner)
        return is_ref or inner_ref, models
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False, [annotation]
    for arg in typing.get_args(annotation):
        arg_ref, arg_models = _refs_in(arg)
        is_ref = is_ref or arg_ref
        models += arg_models
    return is_ref, models


def reference_fields(root: type[BaseModel] = ContentFile) -> frozenset[str]:
    """The names of every field, in any model under `root`, that refers to other items by id."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            annotation: Any = info.annotation
            if info.metadata:
                annotation = typing.Annotated[(annotation, *info.metadata)]
            is_ref, models = _refs_in(annotation)
            if is_ref:
                names.add(name)
            todo += models
    return frozenset(names | {"target"})  # a change's target is a reference too


# --- the template: scalars with their place and character span -------------------------------


@dataclass(frozen=True)
class Scalar:
    loc: Loc
    value: str
    start: int  # character offsets of the scalar in the text, quotes included
    end: int


def scalars(text: str) -> Iterator[Scalar]:
    """Every scalar value (not keys) of a YAML document, with its path and span."""
    frames: list[list[Any]] = []  # ["map", loc, pending key or None] or ["seq", loc, next index]

    def place() -> Loc:
        if not frames:
            return ()
        frame = frames[-1]
        if frame[0] == "map":
            loc, frame[2] = (*frame[1], frame[2]), None
        else:
            loc, frame[2] = (*frame[1], frame[2]), frame[2] + 1
        return loc

    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, AliasEvent):
            raise ValueError("aliases are not used in content")
        if isinstance(event, ScalarEvent):
            if frames and frames[-1][0] == "map" and frames[-1][2] is None:
                frames[-1][2] = event.value  # a key
                continue
            yield Scalar(place(), event.value, event.start_mark.index, event.end_mark.index)
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            kind = "map" if isinstance(event, MappingStartEvent) else "seq"
            frames.append([kind, place(), None if kind == "map" else 0])
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            frames.pop()


def _defines_id(loc: Loc) -> bool:
    """An entity's own id (a source's section ids are local to it, the region's is its own)."""
    return bool(loc) and loc[-1] == "id" and "sections" not in loc and loc != ("handbook", "id")


def _is_reference(loc: Loc, fields: frozenset[str]) -> bool:
    key = loc[-2] if loc and isinstance(loc[-1], int) and len(loc) > 1 else loc[-1] if loc else ""
    return key in fields


@dataclass
class TemplateFile:
    path: Path  # relative to the region folder
    text: str
    spans: list[tuple[int, int, str]]  # (start, end, what): an id, or a handbook: field name


def read_template(folder: Path) -> list[TemplateFile]:
    """The template region's files, with the spans every region rewrites."""
    fields = reference_fields()
    parsed: list[tuple[Path, str, list[Scalar]]] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        text = path.read_text(encoding="utf-8")
        parsed.append((path.relative_to(folder), text, list(scalars(text))))
    defined = {s.value for _, _, found in parsed for s in found if _defines_id(s.loc)}
    files: list[TemplateFile] = []
    for relative, text, found in parsed:
        spans: list[tuple[int, int, str]] = []
        for s in found:
            if s.loc in (("handbook", "id"), ("handbook", "title"), ("handbook", "region")):
                spans.append((s.start, s.end, f"handbook.{s.loc[1]}"))
            elif s.value in defined and (_defines_id(s.loc) or _is_reference(s.loc, fields)):
                spans.append((s.start, s.end, s.value))
        files.append(TemplateFile(relative, text, sorted(spans)))
    return files


def render(template: TemplateFile, region: str) -> str:
    """One template file for one region: its ids suffixed, its `handbook:` its own."""
    number = region.lstrip("r")
    title = f"Samhandlingshåndboka Syntetisk {number}"
    replacements = {
        "handbook.id": region,
        "handbook.title": json.dumps(title, ensure_ascii=False),
        "handbook.region": json.dumps(f"Syntetisk region {number}", ensure_ascii=False),
    }
    parts: list[str] = []
    at = 0
    for start, end, what in template.spans:
        parts += [template.text[at:start], replacements.get(what, f"{what}-{region}")]
        at = end
    parts.append(template.text[at:])
    return "".join(parts)


def make_content(
    target: Path,
    regions: int,
    source: Path = ROOT / "content",
    template: str = TEMPLATE,
) -> list[str]:
    """Write the real base and `regions` copies of the template region to `target` (emptied
    first). Returns the region ids."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        if entry.name == REGIONS:
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name)
        else:
            shutil.copy2(entry, target / entry.name)
    files = read_template(source / REGIONS / template)
    ids = [region_id(n, regions) for n in range(1, regions + 1)]
    for number, rid in enumerate(ids):
        folder = target / REGIONS / rid
        for file in files:
            path = folder / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(file, rid), encoding="utf-8")
        if number == 0:  # every copy cites the same sections: one region tells which are left
            cover_base(target, template)
    return ids


def cover_base(target: Path, template: str) -> None:
    """Mark the base's source sections no region of `target` cites as out of scope."""
    found: dict[Path, list[tuple[int, int]]] = {}
    for d in load_regions(target).diagnostics:
        if d.code == "uncovered-section":
            path = Path(d.path) if Path(d.path).is_absolute() else Path.cwd() / d.path
            found.setdefault(path, []).append((d.line, d.col))
    reason = json.dumps(
        f"Syntetisk innhold: bare andre regioner enn {template} siterer avsnittet.",
        ensure_ascii=False,
    )
    for path, places in found.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for line, col in sorted(places, reverse=True):
            text, at = lines[line - 1], col - 1
            if text[at] == "{":  # a flow mapping: {id: "1", title: ...}
                lines[line - 1] = f"{text[: at + 1]}out_of_scope: {reason}, {text[at + 1 :]}"
            else:  # a block mapping: the key goes on a line of its own, above `id:`
                indent = " " * at
                lines[line - 1] = f"{text[:at]}out_of_scope: {reason}\n{indent}{text[at:]}"
        path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--regions", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT / "content")
    parser.add_argument("--template", default=TEMPLATE)
    args = parser.parse_args()
    ids = make_content(args.target, args.regions, args.source, args.template)
    more = " ..." if len(ids) > 5 else ""
    print(f"{len(ids)} regioner i {args.target}: {', '.join(ids[:5])}{more}")


if __name__ == "__main__":
    main()
