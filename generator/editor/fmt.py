"""The canonical form of a content file: `handbook fmt` and `handbook fmt --check`.

fmt changes the layout of a file, and the invisible characters and odd spaces pasted into its
values (`generator.editor.hygiene`), and nothing else:
- the keys of every mapping that is a model in `generator.core.model` come in the model's field
  order: the entity's own fields first, then the inherited ones (`visibility`, `why_internal`,
  `public_fallback`), then keys the model does not know, in the order they were written;
- indentation is mapping 2, sequence 4, offset 2 (`  - id: x` under a key), and plain text is
  wrapped at 100 columns;
- every comment, the quoting of every scalar ("03739" stays a quoted string), flow style
  (`{document: x, section: "2"}`, `[gp, hospital]`) and block scalars (`>-`) are kept.
It never drops, renames or retypes anything, and it works on content the validator rejects
(unknown keys, wrong types); only a file that is not YAML at all is refused, with `FormatError`.

Why block mappings are reordered in the *text* and not in ruamel.yaml's data: ruamel stores a
comment that stands on its own line above a key as the tail of the end-of-line comment of the
value before it, often deep inside that value (on its last leaf), and a comment above the first
key of a mapping on the parent. Moving keys in the loaded data would carry such comments along
with the wrong key. So block mappings are reordered here line by line, with one rule for which
key a comment line belongs to (`_Reorderer`), and ruamel only re-indents the reordered text
(`_reindent_comments` then puts own-line comments at the new indentation, which ruamel does not).
Flow mappings are reordered in the data; ruamel drops comments *inside* a flow collection that
spans lines, so fmt refuses such a file with a `FormatError` instead of losing them.

Every result is checked before it is returned: the data (with mapping order ignored) and the
multiset of comments must be the same as in the input (after hygiene, which checks its own
result: the same tree with only the cleaned values changed), or `FormatSafetyError` is raised (a
bug in fmt, never the editor's fault) and the file is left alone.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, create_model
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import DocumentEndEvent, DocumentStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from generator.core.diagnostics import Diagnostic, Level
from generator.core.model import Change, ContentFile, Topic
from generator.core.yaml_loader import (
    _SYNTAX_MESSAGES,
    MAX_FILE_BYTES,
    TOO_DEEP,
    TOO_LARGE,
    too_deep,
    unreadable,
)
from generator.editor.hygiene import clean_source

WIDTH = 100
MAPPING_INDENT = 2
SEQUENCE_INDENT = 4
SEQUENCE_DASH_OFFSET = 2


class FormatError(Exception):
    """The file cannot be formatted because it is not valid YAML (or not readable as text).

    Carries the place (1-based line and column) and an editor-facing message in Norwegian, like
    every other diagnostic of the handbook."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int = 1,
        column: int = 1,
        hint: str | None = None,
        code: str = "yaml-syntax",
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path or '<tekst>'}:{self.line}:{self.column}: {self.message}"

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.path or "<tekst>",
            self.line,
            self.column,
            Level.ERROR,
            self.code,
            self.message,
            self.hint,
        )


class FormatSafetyError(RuntimeError):
    """fmt produced output that differs from its input in data or comments: a bug in fmt.

    Raised instead of returning (or writing) the output, so a bug can never damage content."""


# --- public API ----------------------------------------------------------------------------


def format_text(text: str) -> str:
    """The canonical form of the text of one content file. Raises `FormatError`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    deep = too_deep(text)  # before ruamel's composer, which recurses once per level
    if deep is not None:
        message, hint = TOO_DEEP
        raise FormatError(message, line=deep.line, column=deep.col, hint=hint, code="too-deep")
    prelude, body, postlude = _split_document(text)
    try:
        formatted = _format_body(body)
    except FormatError as exc:
        exc.line += prelude.count("\n")
        raise
    if postlude and formatted.endswith("\n...\n"):  # ruamel ends a `|+` text with `...`
        formatted = formatted[: -len("...\n")]
    return prelude + formatted + postlude


def format_file(path: Path, check: bool) -> bool:
    """Whether `path` is canonical. With `check` False, rewrite it in place when it is not.

    Returns True when the file was already canonical (so `--check` passes) and False when it
    was not (and, unless `check`, has now been rewritten). Raises `FormatError` with the path."""
    display = path.as_posix()
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        message, hint = unreadable(exc)
        raise FormatError(message, path=display, hint=hint, code="io") from None
    if len(raw) > MAX_FILE_BYTES:
        message, hint = TOO_LARGE
        raise FormatError(message, path=display, hint=hint, code="file-too-large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(
            "filen er ikke gyldig UTF-8 (ugyldig byte)",
            path=display,
            line=line,
            hint="lagre filen som UTF-8 i editoren; æ, ø og å er feil kodet",
            code="encoding",
        ) from None
    try:
        formatted = format_text(text)
    except FormatError as exc:
        exc.path = display
        raise
    if formatted == text:
        return True
    if not check:
        path.write_text(formatted, encoding="utf-8", newline="\n")
    return False


# --- the steps -------------------------------------------------------------------------------


def _format_body(text: str) -> str:
    root = _compose(text)
    if root is None:  # empty, or only comments: nothing to lay out
        return text
    cleaned = clean_source(text, root)  # pasted invisible characters and odd spaces
    if cleaned != text:
        text, root = cleaned, _compose(cleaned)
        assert root is not None  # clean_source checked that it parses to the same shape
    _refuse_comments_in_flow(text, root)
    reordered = text if _uses_anchors(root) else _Reorderer(text).run(root)
    yaml = _yaml()
    try:
        data = yaml.load(reordered)
    except MarkedYAMLError as exc:  # DuplicateKeyError: _Reorderer reports most of them first
        raise _syntax_error(exc, reordered) from None
    except (YAMLError, ValueError, TypeError, KeyError) as exc:  # odd tags ruamel cannot build
        raise FormatError(f"YAML-feil: {exc}") from None
    _reorder_data(data, ContentFile)
    out = io.StringIO()
    yaml.dump(data, out)
    reordered_root = root if reordered == text else _compose(reordered)
    result = _reindent_comments(reordered, reordered_root, out.getvalue())
    _check_same(text, root, result)
    return result


def _split_document(text: str) -> tuple[str, str, str]:
    """(what comes up to and with a `---` line, the document, a `...` line and what follows).

    ruamel drops comments above `---` and moves one after it; fmt keeps both parts verbatim."""
    try:
        events = list(YAML(typ="safe").parse(text))
    except YAMLError:
        return "", text, ""  # _compose reports the error
    if sum(isinstance(event, DocumentStartEvent) for event in events) != 1:
        return "", text, ""  # no document, or several (which _compose reports)
    lines = text.split("\n")
    start = end = None
    for event in events:
        if isinstance(event, DocumentStartEvent) and event.explicit:
            start = event.end_mark.line
        elif isinstance(event, DocumentEndEvent) and event.explicit:
            end = event.start_mark.line
    if any(line.startswith("%") for line in lines[: (start or 0) + 1]):
        return "", text, ""  # directives (%YAML, %TAG) stay with the document
    if start is not None and not _only_comment(lines[start].lstrip()[3:]):
        start = None  # content on the `---` line: leave it to ruamel
    if end is not None and (end <= (start or -1) or not _only_comment(lines[end][3:])):
        end = None
    first = 0 if start is None else start + 1
    last = len(lines) if end is None else end
    prelude = "".join(line + "\n" for line in lines[:first])
    body = "\n".join(lines[first:last]) + ("\n" if end is not None else "")
    postlude = "\n".join(lines[last:]) if end is not None else ""
    return prelude, body, postlude


def _only_comment(rest: str) -> bool:
    rest = rest.strip()
    return not rest or rest.startswith("#")


def _refuse_comments_in_flow(text: str, root: Node) -> None:
    """ruamel drops comments inside `{...}` and `[...]` that span lines: refuse, never lose."""
    spans = [
        (node.start_mark.index, node.end_mark.index)
        for node in _nodes(root)
        if isinstance(node, MappingNode | SequenceNode) and node.flow_style
    ]
    if not spans:
        return
    for comment in _comments(text, root):
        if any(first <= comment.index < last for first, last in spans):
            raise FormatError(
                "fmt kan ikke beholde en kommentar inne i en verdi i {…} eller […]",
                line=comment.line + 1,
                column=comment.column + 1,
                hint="flytt kommentaren til en egen linje over feltet",
                code="fmt-comment-in-flow",
            )


# --- YAML set-up ---------------------------------------------------------------------------


class _Emitter(RoundTripEmitter):
    """ruamel.yaml's emitter with one fix: wrapping a plain scalar leaves no trailing space.

    ruamel writes the space after a word before it knows that the next word does not fit, so a
    wrapped line ends in a space (its own `ToDo` in `Emitter.write_plain`). Here the break is
    decided at the space, by looking at the length of the next word. A single word longer than
    the line stays on the line of its key (ruamel would move it to a line of its own, again
    after a trailing space). Runs of spaces are never broken: that would change the text."""

    def write_plain(self, text: Any, split: Any = True) -> None:
        if self.root_context:
            if self.requested_indent is not None:
                self.write_line_break()
                if self.requested_indent != 0:
                    self.write_indent()
            else:
                self.open_ended = True
        if not text:
            return
        if not self.whitespace:
            self._write(" ")
        self.whitespace = False
        self.indention = False
        spaces = False
        breaks = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    if (
                        start + 1 == end
                        and split
                        and self.column + 1 + _word_length(text, end) > self.best_width
                    ):
                        self.write_indent()
                        self.whitespace = False
                        self.indention = False
                    else:
                        self._write(text[start:end])
                    start = end
            elif breaks:
                if ch not in "\n\x85\u2028\u2029":
                    if text[start] == "\n":
                        self.write_line_break()
                    for br in text[start:end]:
                        if br == "\n":
                            self.write_line_break()
                        else:
                            self.write_line_break(br)
                    self.write_indent()
                    self.whitespace = False
                    self.indention = False
                    start = end
            elif ch is None or ch in " \n\x85\u2028\u2029":
                self._write(text[start:end])
                start = end
            if ch is not None:
                spaces = ch == " "
                breaks = ch in "\n\x85\u2028\u2029"
            end += 1

    def _write(self, data: str) -> None:
        self.column += len(data)
        self.stream.write(data.encode(self.encoding) if self.encoding else data)


def _word_length(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] not in " \n\x85\u2028\u2029":
        end += 1
    return end - start


class _Resolver(VersionedResolver):
    """Every plain scalar is text, except the empty value (`key:`), which stays empty.

    fmt must write each scalar back exactly as it was written. Resolved to numbers, booleans
    and dates, ruamel would write some of them differently (`null` as an empty value) or fail
    on them (`2026-13-45` is no date), while the validator reports such values itself. As text
    they come back verbatim: the emitter writes a string plain when a plain scalar reads back
    as that string, which with this resolver is always."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not isinstance(value, _Tagged):
            return _NULL_TAG if value == "" else self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


_NULL = "tag:yaml.org,2002:null"
_BINARY = "tag:yaml.org,2002:binary"
_NULL_TAG = Tag(suffix=_NULL)
_NULL_SPELLINGS = ("", "~", "null", "Null", "NULL")


class _Tagged(str):
    """The text of a scalar written with a tag (`!!str 12`): resolved as YAML 1.2 does, so the
    serializer sees that the tag is needed and writes it back."""

    __slots__ = ()


class _Representer(RoundTripRepresenter):
    def represent_tagged_scalar(self, data: Any) -> ScalarNode:
        node = super().represent_tagged_scalar(data)
        node.value = _Tagged(node.value)
        return node


_Representer.add_representer(TaggedScalar, _Representer.represent_tagged_scalar)


class _Constructor(RoundTripConstructor):
    """Keeps a scalar written with a tag (`!!int 12`, `!!null x`, `!!timestamp 2026-13-45`)
    as its tag and text: converting it could fail or change how it is written. With
    `_Resolver` only explicitly tagged scalars ever get these tags."""

    def construct_verbatim(self, node: ScalarNode) -> Any:
        if node.tag == _NULL and node.value in _NULL_SPELLINGS:
            return None
        data = TaggedScalar()
        data.value = self.construct_scalar(node)
        data.style = node.style
        data.yaml_set_ctag(node.ctag)
        if node.anchor:
            data.yaml_set_anchor(node.anchor, always_dump=True)
        return data


for _kind in ("null", "bool", "int", "float", "timestamp", "binary"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_kind}", _Constructor.construct_verbatim)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")  # round trip, YAML 1.2: keeps comments, quotes and flow style
    yaml.Resolver = _Resolver
    yaml.Representer = _Representer
    yaml.Constructor = _Constructor
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_DASH_OFFSET)
    return yaml


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return node.value if isinstance(node, SequenceNode) else []


def _nodes(root: Node | None) -> Iterator[Node]:
    """Every node of a tree once (an alias is the same node again), without recursion."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            yield node
            stack.extend(_children(node))


def _compose(text: str) -> Node | None:
    """The node tree of `text`, with the place of every node.

    libyaml (ruamel.yaml.clib) is used, as the validator does: it is fast, it gives the same
    error texts as `generator.core.yaml_loader` maps, and its marks count characters."""
    try:
        return YAML(typ="safe").compose(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except YAMLError as exc:
        raise FormatError(f"YAML-syntaksfeil: {exc}") from None


def _syntax_error(exc: MarkedYAMLError, text: str) -> FormatError:
    """A ruamel.yaml error in the words (and at the place) the validator would use."""
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in str(exc.problem) and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote: point at where it opened
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, DuplicateKeyError):
        return FormatError(
            "en nøkkel står to ganger i samme blokk",
            line=line,
            column=column,
            hint="bare én verdi kan gjelde: slå sammen de to til én (med teksten fra begge), "
            "eller gi den ene et annet navn; ikke slett noen av dem før teksten er flyttet",
            code="duplicate-key",
        )
    problem = f"{exc.problem or ''} {exc.context or ''}"
    lines = text.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        problem = "'\\t'"
    for needle, message, hint in _SYNTAX_MESSAGES:
        if needle in problem:
            return FormatError(message, line=line, column=column, hint=hint)
    return FormatError(f"YAML-syntaksfeil: {exc.problem or exc}", line=line, column=column)


# --- the model's key order -----------------------------------------------------------------


@dataclass(frozen=True)
class _ListOf:
    item: Any  # a shape: a model class, a _ListOf, or None (nothing to order inside)


def _shape(annotation: Any) -> Any:
    """What a field holds, as far as key order is concerned: a model, a list of it, or None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shape(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        shapes = {_shape(arg) for arg in get_args(annotation) if arg is not type(None)}
        shapes.discard(None)
        return shapes.pop() if len(shapes) == 1 else None
    if origin is list:
        args = get_args(annotation)
        return _ListOf(_shape(args[0]) if args else None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


@functools.cache
def _any_entity() -> type[BaseModel]:
    """Every entity field by name, as one model: the shape of what a region's change writes in
    `override:` and `extend:` (the target's kind is not known from the file alone). A name that
    holds entities somewhere (`statements`, `steps`) takes that shape."""
    found: dict[str, Any] = {}

    def visit(model: type[BaseModel]) -> None:
        for name, field in model.model_fields.items():
            shape = _shape(field.annotation)
            if name not in found or (found[name][1] is None and shape is not None):
                found[name] = (field.annotation, shape)
            inner = shape.item if isinstance(shape, _ListOf) else shape
            if isinstance(inner, type) and inner not in seen:
                seen.add(inner)
                visit(inner)

    seen: set[type] = {Topic}
    visit(Topic)  # chapters are what regions change most: their order comes first
    for name, field in ContentFile.model_fields.items():
        if name not in ("changes", "handbook"):
            shape = _shape(field.annotation)
            inner = shape.item if isinstance(shape, _ListOf) else shape
            if isinstance(inner, type):
                visit(inner)
    for name in ("visibility", "why_internal", "public_fallback"):  # last, as on entities
        found[name] = found.pop(name)
    fields: dict[str, Any] = {name: (annotation, None) for name, (annotation, _) in found.items()}
    return create_model("AnyEntity", **fields)


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """The model's keys in canonical order, each with the shape of its value.

    pydantic lists inherited fields first; the canonical order puts the entity's own fields
    first (`id` at the top) and the inherited ones (`visibility`, ...) after them, as the
    content is written."""
    inherited: dict[str, Any] = {}
    for base in model.__bases__:
        if isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel:
            for key, shape in _fields(base).items():
                inherited.setdefault(key, shape)
    own: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in inherited:
            own[key] = _shape(field.annotation)
    if model is Change:
        own["override"] = own["extend"] = _any_entity()
    return own | inherited


def _canonical(keys: list[Any], model: type[BaseModel]) -> list[int]:
    """Indexes of `keys` in canonical order: known keys by the model, the rest as written."""
    rank = {key: index for index, key in enumerate(_fields(model))}
    return sorted(range(len(keys)), key=lambda i: (rank.get(keys[i], len(rank)), i))


# --- reordering block mappings in the text ---------------------------------------------------


@dataclass(frozen=True)
class _Edit:
    first: int  # 0-based line numbers, inclusive
    last: int
    lines: list[str]


class _Skip(Exception):
    """This mapping cannot be reordered safely as text; leave its key order as written."""


_BLOCK_HEADER = re.compile(r"[|>]([0-9+-]*)[ \t]*(?:#.*)?$")  # `>-`, `|+`, `|2-  # ...`


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reorderer:
    """Reorders the keys of block mappings by moving whole lines.

    Each key owns a *chunk* of lines: its own line, its value up to the last line with content,
    and the comment and blank lines between the previous value and the key (so a comment above
    a key moves with it, and an end-of-line comment with its line). One exception: comment lines
    right after a value that are indented deeper than the keys belong to that value (a trailing
    remark on a list, say) and stay with it. Comment lines after the last value of a mapping
    that are not deeper than its keys are about what follows the mapping and stay in place.
    For a mapping that starts on a list item's line (`- text: ...`), the `- ` stays on the first
    line; comments that would come between the `- ` and the new first key go above the item."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")

    def run(self, root: Node) -> str:
        edits = self._edits(root, ContentFile, is_root=True)
        return "\n".join(self._render(0, len(self.lines) - 1, edits))

    def _edits(self, node: Node, shape: Any, *, is_root: bool = False) -> list[_Edit]:
        if isinstance(node, SequenceNode) and isinstance(shape, _ListOf) and shape.item:
            return [edit for item in node.value for edit in self._edits(item, shape.item)]
        if not (isinstance(node, MappingNode) and isinstance(shape, type)):
            return []
        if not all(isinstance(key, ScalarNode) for key, _ in node.value):
            return []
        names = [key.value for key, _ in node.value]
        self._check_unique(node)
        fields = _fields(shape)
        inner = [
            edit
            for key, value in node.value
            if key.value in fields
            for edit in self._edits(value, fields[key.value])
        ]
        order = _canonical(names, shape)
        if node.flow_style or order == list(range(len(names))):
            return inner  # flow mappings are reordered in the data (_reorder_data)
        try:
            return [self._reorder(node, order, inner, is_root=is_root)]
        except _Skip:
            return inner

    def _check_unique(self, node: MappingNode) -> None:
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if key.value in seen:
                raise FormatError(
                    f"nøkkelen «{key.value}» står to ganger i samme blokk "
                    f"(første gang på linje {seen[key.value]})",
                    line=key.start_mark.line + 1,
                    column=key.start_mark.column + 1,
                    hint=f"bare én verdi kan gjelde: slå sammen de to «{key.value}» til én (med "
                    "teksten fra begge), eller gi den ene et annet navn; ikke slett noen av dem "
                    "før teksten er flyttet",
                    code="duplicate-key",
                )
            seen[key.value] = key.start_mark.line + 1

    def _reorder(
        self, node: MappingNode, order: list[int], inner: list[_Edit], *, is_root: bool
    ) -> _Edit:
        lines = self.lines
        key_lines = [key.start_mark.line for key, _ in node.value]
        column = node.value[0][0].start_mark.column
        if any(k.start_mark.column != column for k, _ in node.value):
            raise _Skip
        if any(lines[line][:column].strip() for line in key_lines[1:]):
            raise _Skip  # `? key` or a key after a tag: not a plain block mapping
        prefix = lines[key_lines[0]][:column]
        if prefix.strip(" -"):
            raise _Skip
        ends = [self._content_end(value) for _, value in node.value]

        # Where each chunk starts: at its key, or higher up at the comments above the key.
        # A comment indented deeper than the keys, above the first key, stays where it is:
        # moved in after a `>-` text it would become part of that text.
        first = key_lines[0]
        if not is_root and not prefix.strip():
            while first > 0 and (
                _is_blank(lines[first - 1])
                or (_is_comment(lines[first - 1]) and _indent(lines[first - 1]) <= column)
            ):
                first -= 1
        starts = [first]
        stops = []
        for i in range(1, len(key_lines)):
            stop = self._trailing(ends[i - 1], key_lines[i] - 1, column)
            stops.append(stop)
            starts.append(stop + 1)
        stops.append(self._trailing(ends[-1], len(lines) - 1, column))

        for before, after in itertools.pairwise(order):
            value = node.value[before][1]
            if (
                stops[before] == ends[before]
                and _is_blank(lines[starts[after]])
                and isinstance(value, ScalarNode)
                and self._keeps_trailing_lines(value)
            ):
                raise _Skip  # the blank line would become part of a `|+` text

        bounds = list(zip(starts, stops, strict=True))
        if not all(any(s <= e.first and e.last <= t for s, t in bounds) for e in inner):
            raise _Skip  # an inner edit would cross a chunk boundary: not expected, be safe
        chunks = [self._render(s, t, [e for e in inner if s <= e.first <= t]) for s, t in bounds]
        # how many comment and blank lines come before the key in each chunk
        heads = [key_line - start for key_line, start in zip(key_lines, starts, strict=True)]
        if prefix.strip():
            chunks[0][0] = " " * column + chunks[0][0][column:]

        result: list[str] = []
        for position, index in enumerate(order):
            chunk = chunks[index]
            if position == 0 and prefix.strip():
                dash = _indent(prefix)
                head = chunk[: heads[index]]
                result.extend(" " * dash + line.lstrip() if line.strip() else "" for line in head)
                result.append(prefix + chunk[heads[index]][column:])
                result.extend(chunk[heads[index] + 1 :])
            else:
                result.extend(chunk)
        return _Edit(first, stops[-1], result)

    def _trailing(self, end: int, limit: int, column: int) -> int:
        """The last line that belongs to a value whose content ends on line `end`.

        Comment lines right after it that are indented deeper than the keys (`column`) belong
        to it; the first comment that is not deeper, and everything after, does not."""
        last = end
        line = end + 1
        while line <= limit:
            text = self.lines[line]
            if _is_blank(text):
                line += 1
                continue
            if not _is_comment(text) or _indent(text) <= column:
                break
            last = line
            line += 1
        return last

    def _content_end(self, node: Node) -> int:
        """The last line of `node` that holds its content (not comments or blank lines after)."""
        lines = self.lines
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style:
            last = node.value[-1]
            return self._content_end(last[1] if isinstance(last, tuple) else last)
        mark_line = node.end_mark.line
        if node.end_mark.column == 0 and mark_line > node.start_mark.line:
            mark_line -= 1
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            if not self._keeps_trailing_lines(node):  # trailing blank lines are not its text
                while mark_line > node.start_mark.line and _is_blank(lines[mark_line]):
                    mark_line -= 1
            return mark_line
        if isinstance(node, ScalarNode) and node.value == "" and not node.style:
            # An empty value (`key:`). Its mark may be where the next token starts (ruamel's
            # own parser does that); go back to the line of the key or `-`, past comments.
            line = node.start_mark.line
            if not lines[line][: node.start_mark.column].strip():
                line -= 1
            while line > 0 and (_is_blank(lines[line]) or _is_comment(lines[line])):
                line -= 1
            return max(line, 0)
        return mark_line

    def _keeps_trailing_lines(self, node: ScalarNode) -> bool:
        """Whether `node` is a block scalar with keep chomping (`|+`): blank lines after its
        text are part of it."""
        if node.style not in ("|", ">"):
            return False
        header = _BLOCK_HEADER.search(self.lines[node.start_mark.line], node.start_mark.column)
        return header is None or "+" in header.group(1)  # unsure: assume it keeps them

    def _render(self, first: int, last: int, edits: list[_Edit]) -> list[str]:
        """Lines `first`..`last` with the (non-overlapping) edits inside them applied."""
        out: list[str] = []
        line = first
        for edit in sorted(edits, key=lambda e: e.first):
            out.extend(self.lines[line : edit.first])
            out.extend(edit.lines)
            line = edit.last + 1
        out.extend(self.lines[line : last + 1])
        return out


def _uses_anchors(root: Node) -> bool:
    """Whether any node has an anchor. Moving lines could put an alias before its anchor, so
    such a file (which the validator rejects anyway) is only re-indented, never reordered.
    libyaml leaves `anchor` unset: an alias shows as a node reached twice."""
    nodes = list(_nodes(root))
    reached = 1 + sum(len(_children(node)) for node in nodes)
    return reached > len(nodes) or any(node.anchor is not None for node in nodes)


# --- reordering in the data --------------------------------------------------------------------


def _reorder_data(data: Any, shape: Any) -> None:
    """Reorder flow mappings, and block mappings the text stage left alone (`? key`, anchors)
    when no comment can be misplaced by it: in the loaded data, where ruamel lays them out."""
    if isinstance(shape, _ListOf) and isinstance(data, CommentedSeq):
        for item in data:
            _reorder_data(item, shape.item)
        return
    if not (isinstance(shape, type) and isinstance(data, CommentedMap)):
        return
    fields = _fields(shape)
    for key, value in data.items():
        if key in fields:
            _reorder_data(value, fields[key])
    keys = list(data)
    order = _canonical(keys, shape)
    if order == list(range(len(keys))):
        return
    if (data.fa.flow_style() and not data.ca.items) or _without_comments(data):
        for index in order:
            data.move_to_end(keys[index])


def _without_comments(data: Any) -> bool:
    if isinstance(data, CommentedMap | CommentedSeq):
        if data.ca.items or data.ca.comment or data.ca.end:
            return False
        values = data.values() if isinstance(data, CommentedMap) else data
        return all(_without_comments(value) for value in values)
    return True


# --- comment indentation ---------------------------------------------------------------------


def _reindent_comments(before: str, before_root: Node | None, after: str) -> str:
    """`after` (ruamel's output for `before`) with its own-line comments re-indented.

    ruamel keeps the column a comment was written at, so after re-indenting a file whose
    indentation was not canonical the comments would stand where the old lines were. A comment
    that is not indented deeper than the next line with content is about that line (a key or a
    list item) and gets its indentation. A deeper one is a remark on what came before (the end
    of a list, say): it keeps its offset to the nearest line before it that is not deeper.
    The same rule decides which key a comment moves with (`_Reorderer`)."""
    after_root = _compose(after)
    if before_root is None or after_root is None:
        return after
    pairs: dict[int, int] = {}  # line in before -> line in after, for lines where nodes start
    _pair_lines(before_root, after_root, pairs)
    sources = [c for c in _comments(before, before_root) if c.own_line]
    targets = [c for c in _comments(after, after_root) if c.own_line]
    if [c.text for c in sources] != [c.text for c in targets]:
        return after  # not the same comments in the same order: leave ruamel's placement
    before_lines = before.split("\n")
    after_lines = after.split("\n")
    refs = sorted(pairs)
    block_text = _block_text_indents(after_root, after_lines)
    comment_lines = {c.line for c in targets}
    changed = False
    for source, target in zip(sources, targets, strict=True):
        at = bisect.bisect_right(refs, source.line)
        if at == 0:
            continue  # the comments at the top of the file stay as they are
        following = refs[at] if at < len(refs) else None
        if following is not None and _indent(before_lines[following]) >= source.column:
            column = _indent(after_lines[pairs[following]])  # about the next line
        else:  # a remark on what came before: same offset to the line it is deeper than
            shallower = [r for r in refs[:at] if _indent(before_lines[r]) <= source.column]
            if not shallower:
                continue
            reference = shallower[-1]
            offset = source.column - _indent(before_lines[reference])
            column = _indent(after_lines[pairs[reference]]) + offset
            if following is not None:  # stays deeper than the next line (or fmt's next
                # run would take it for a comment about that line)
                column = max(column, _indent(after_lines[pairs[following]]) + 1)
        above = target.line - 1
        while above > 0 and (above in comment_lines or _is_blank(after_lines[above])):
            above -= 1
        if above in block_text:  # as deep as the text of a `>-` block, it would be text
            column = min(column, block_text[above] - 1)
        if column != target.column:
            after_lines[target.line] = " " * column + after_lines[target.line].lstrip(" \t")
            changed = True
    if not changed:
        return after
    adjusted = "\n".join(after_lines)
    # A comment moved in under a block scalar (`>-`) would become part of its text: never.
    adjusted_root = _compose(adjusted)
    if adjusted_root is None or _tree(adjusted_root) != _tree(after_root):
        return after
    return adjusted


def _block_text_indents(root: Node, lines: list[str]) -> dict[int, int]:
    """For each line of text of a block scalar (`>-`, `|`): the indentation of that text."""
    found: dict[int, int] = {}
    for node in _nodes(root):
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            end = node.end_mark.line + (1 if node.end_mark.column else 0)
            body = range(node.start_mark.line + 1, end)
            indents = [_indent(lines[line]) for line in body if not _is_blank(lines[line])]
            if indents:
                found.update(dict.fromkeys(body, min(indents)))
    return found


def _pair_lines(before: Node, after: Node, pairs: dict[int, int]) -> None:
    """Map the line where each node starts in one tree to the same node's line in the other.

    The trees hold the same data in the same order (fmt reorders before ruamel re-indents),
    except inside flow collections, which are not entered."""
    seen: set[int] = set()
    stack = [(before, after)]
    while stack:
        node_b, node_a = stack.pop()
        if id(node_b) in seen:  # an alias
            continue
        seen.add(id(node_b))
        pairs.setdefault(node_b.start_mark.line, node_a.start_mark.line)
        if type(node_b) is not type(node_a) or getattr(node_b, "flow_style", False):
            continue
        if isinstance(node_b, ScalarNode) or len(node_b.value) != len(node_a.value):
            continue
        if isinstance(node_b, MappingNode):
            for (key_b, value_b), (key_a, value_a) in zip(node_b.value, node_a.value, strict=True):
                stack.extend(((key_b, key_a), (value_b, value_a)))
        else:
            stack.extend(zip(node_b.value, node_a.value, strict=True))


# --- the safety net --------------------------------------------------------------------------


def _check_same(before: str, before_root: Node, after: str) -> None:
    """Raise FormatSafetyError unless `after` holds the same data and comments as `before`."""
    after_root = _compose(after)
    if after_root is None or _tree(before_root) != _tree(after_root):
        raise FormatSafetyError("fmt would change the data of the file (a bug in fmt)")
    lost = [comment.text for comment in _comments(before, before_root)]
    for comment in _comments(after, after_root):
        if comment.text in lost:
            lost.remove(comment.text)
        else:
            raise FormatSafetyError(f"fmt would add a comment (a bug in fmt): {comment.text}")
    if lost:
        raise FormatSafetyError(f"fmt would lose a comment (a bug in fmt): {lost[0]}")


def _tree(root: Node) -> Any:
    """The data of a node tree, comparable: mapping order and scalar style ignored, but each
    scalar's resolved tag kept (so the text "03739" and the number 03739 differ).

    Compares nodes, not loaded data: loading can fail on content the validator reports
    (`2026-13-45` as a date), and nothing is constructed from the content this way."""
    memo: dict[int, Any] = {}

    def walk(node: Node) -> Any:
        if id(node) in memo:  # an alias: the same node again
            return memo[id(node)]
        if isinstance(node, ScalarNode):
            value = node.value
            if node.tag == _NULL and value in _NULL_SPELLINGS:
                value = ""  # `key:` in a block is written `key: null` in a flow mapping
            elif node.tag == _BINARY:
                value = "".join(value.split())  # base64 text, wrapped or not
            result: Any = ("scalar", str(node.tag), value)
        elif isinstance(node, MappingNode):
            pairs = [(walk(key), walk(value)) for key, value in node.value]
            result = ("map", str(node.tag), frozenset(pairs), len(pairs))
        else:
            result = ("seq", str(node.tag), tuple(walk(item) for item in node.value))
        memo[id(node)] = result
        return result

    return walk(root)


_COMMENT_START = re.compile(r"(?:^|(?<=[ \t]))#", re.MULTILINE)


@dataclass(frozen=True)
class _Comment:
    index: int  # in the text
    line: int  # 0-based
    column: int
    own_line: bool  # nothing but blanks before it on its line
    text: str  # from the `#` to the end of the line, trailing blanks removed


def _comments(text: str, root: Node | None) -> list[_Comment]:
    """Every comment in `text`: each `#` after a blank or at a line start, outside scalars."""
    spans = sorted(
        (node.start_mark.index, node.end_mark.index)
        for node in _nodes(root)
        if isinstance(node, ScalarNode)
    )
    starts = [start for start, _ in spans]
    found = []
    for match in _COMMENT_START.finditer(text):
        at = bisect.bisect_right(starts, match.start()) - 1
        if at >= 0 and spans[at][0] <= match.start() < spans[at][1]:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        found.append(
            _Comment(
                index=match.start(),
                line=text.count("\n", 0, match.start()),
                column=match.start() - line_start,
                own_line=not text[line_start : match.start()].strip(),
                text=text[match.start() : end if end >= 0 else len(text)].rstrip(),
            )
        )
    return found
