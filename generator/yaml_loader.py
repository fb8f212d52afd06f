"""Read one content file into plain Python data that remembers where every value came from.

Why compose instead of load: ruamel.yaml's composer gives a node, with its line, column and raw
text, for *every* value, scalars included. Building the Python values ourselves lets us
- report duplicate keys and keep going (the loader would stop at the first one),
- refuse anchors and aliases before they can expand (no alias bombs),
- refuse unknown tags (no object construction from content),
- keep the raw text of numbers and dates, so a phone number written as `03739` can be reported
  with a hint to quote it instead of being stored as the integer 3739.
YAML 1.2 is used, so `NO`, `yes` and `on` stay strings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from generator.diagnostics import Diagnostic, Level

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_KNOWN_KINDS = {"map", "seq", "str", "null", "bool", "int", "float", "timestamp"}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class LoadedFile:
    """A content file as data, plus the position of every value and key in it."""

    path: Path
    display: str
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def position(self, loc: Loc, *, prefer_key: bool = False) -> Position:
        """The position of `loc`, or of its nearest ancestor that exists in the file."""
        if prefer_key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), Position(1, 1))

    def diagnostic(
        self,
        loc: Loc,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        level: Level = Level.ERROR,
        prefer_key: bool = False,
    ) -> Diagnostic:
        pos = self.position(loc, prefer_key=prefer_key)
        return Diagnostic(self.display, pos.line, pos.col, level, code, message, hint)


# ruamel.yaml's problem texts, in the words an editor understands.
_SYNTAX_MESSAGES: list[tuple[str, str, str | None]] = [
    (
        "'\\t'",
        "tabulator (Tab) kan ikke brukes her",
        "bruk mellomrom til innrykk, aldri Tab",
    ),
    (
        "mapping values are not allowed",
        "kolon (:) står på et sted der YAML ikke tillater det",
        'sett teksten i anførselstegn hvis den inneholder «: », f.eks. tekst: "Merk: ..."',
    ),
    (
        "could not find expected ':'",
        "forventet kolon (:) etter en nøkkel",
        "hver linje i en blokk skal være «nøkkel: verdi»",
    ),
    (
        "expected <block end>",
        "innrykket passer ikke med linjene over",
        "linjer i samme blokk må ha nøyaktig like mange mellomrom foran",
    ),
    (
        "did not find expected key",
        "innrykket passer ikke med linjene over",
        "linjer i samme blokk må ha nøyaktig like mange mellomrom foran",
    ),
    (
        "did not find expected '-' indicator",
        "innrykket passer ikke med linjene over",
        "linjer i samme blokk må ha like mange mellomrom foran; "
        "et nytt listepunkt starter med «- »",
    ),
    (
        "found unexpected end of stream",
        "filen slutter midt i en verdi",
        "mangler det et avsluttende anførselstegn?",
    ),
    (
        "found undefined alias",
        "ukjent alias (*navn)",
        "ankere og alias brukes ikke i håndboka; skriv verdien ut",
    ),
    (
        "expected a single document",
        "filen inneholder mer enn ett YAML-dokument",
        "fjern ekstra «---»-linjer; én fil er ett dokument",
    ),
    (
        "cannot start any token",
        "tegnet kan ikke stå først i en verdi",
        'sett verdien i anførselstegn, f.eks. tekst: "@..."',
    ),
    (
        "control characters are not allowed",
        "filen inneholder et usynlig kontrolltegn",
        "slett tegnet; det kommer ofte fra kopiering fra PDF eller Word",
    ),
    (
        "found unknown escape character",
        "ukjent escape-sekvens (\\) i tekst med doble anførselstegn",
        "bruk enkle anførselstegn, eller skriv \\\\ for en bakstrek",
    ),
]


class _Yaml12Resolver(VersionedResolver):
    """Always YAML 1.2. Why: the stock resolver looks the version up for every scalar, through
    an AttributeError under libyaml; that lookup was a third of the parse time."""

    processing_version = (1, 2)  # type: ignore[assignment]  # a constant instead of a property


def _yaml() -> YAML:
    # typ="safe" composes with libyaml (ruamel.yaml.clib) when installed: about ten times faster
    # than the pure-Python round-trip parser, and we need neither comments nor round-tripping.
    yaml = YAML(typ="safe")
    yaml.version = (1, 2)
    yaml.Resolver = _Yaml12Resolver
    return yaml


def load_file(path: Path, display: str) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read and compose one YAML file. Returns (None, errors) when it cannot be read at all."""

    def error(line: int, col: int, code: str, message: str, hint: str | None = None):
        return None, [Diagnostic(display, line, col, Level.ERROR, code, message, hint)]

    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        return error(1, 1, "io", f"kan ikke lese filen: {exc.strerror}")
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw_bytes[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return error(
            line,
            col,
            "encoding",
            "filen er ikke gyldig UTF-8 (ugyldig byte)",
            "lagre filen som UTF-8 i editoren; æ, ø og å er feil kodet",
        )
    text = text.removeprefix("\ufeff")  # a BOM is harmless: drop it
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return error(1, 1, "empty-file", "filen er tom", "fyll den ut eller slett den")

    try:
        root = _yaml().compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in str(exc.problem) and exc.context_mark:
            mark = exc.context_mark  # an unclosed quote: point at where it opened
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = f"{exc.problem or ''} {exc.context or ''}"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "'\\t'"  # libyaml says only "cannot start any token" for a tab
        for needle, message, hint in _SYNTAX_MESSAGES:
            if needle in problem:
                return error(line, col, "yaml-syntax", message, hint)
        return error(line, col, "yaml-syntax", f"YAML-syntaksfeil: {exc.problem or exc}")
    except YAMLError as exc:
        return error(1, 1, "yaml-syntax", f"YAML-syntaksfeil: {exc}")

    loaded = LoadedFile(path=path, display=display, data=None)
    builder = _Builder(loaded)
    loaded.data = builder.build(root, ())
    return loaded, builder.diagnostics


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


class _Builder:
    """Turns composed nodes into plain dicts, lists and scalars, recording positions."""

    def __init__(self, loaded: LoadedFile) -> None:
        self.loaded = loaded
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.aliased: set[int] = set()

    def _error(self, pos: Position, code: str, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(
            Diagnostic(self.loaded.display, pos.line, pos.col, Level.ERROR, code, message, hint)
        )

    def build(self, node: Node, loc: Loc) -> Any:
        pos = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        self.loaded.values[loc] = pos
        if id(node) in self.seen:
            # An alias: the composer hands us the anchored node again. Never expand it.
            if id(node) not in self.aliased:
                self.aliased.add(id(node))
                self._error(
                    pos,
                    "yaml-anchor",
                    f"verdien på linje {pos.line} gjentas med anker og alias (&/*), "
                    "som ikke brukes i håndboka",
                    "skriv verdien ut der den trengs",
                )
            return None
        self.seen.add(id(node))
        tag = str(node.tag)
        kind = tag.removeprefix(_TAG)
        if kind not in _KNOWN_KINDS:
            shown = tag.replace(_TAG, "!!")
            self._error(pos, "yaml-tag", f"ukjent YAML-tagg «{shown}»", "fjern taggen (!...)")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, kind, loc)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key_pos = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, ScalarNode):
                self._error(key_pos, "yaml-key", "en nøkkel må være et enkelt ord, ikke en liste")
                continue
            key = str(key_node.value)
            if key == "<<":
                self._error(
                    key_pos,
                    "yaml-anchor",
                    "sammenslåing med «<<» brukes ikke i håndboka",
                    "skriv feltene ut",
                )
                continue
            if key in first_seen:
                self._error(
                    key_pos,
                    "duplicate-key",
                    f"nøkkelen «{key}» står to ganger i samme blokk "
                    f"(første gang på linje {first_seen[key].line})",
                    "slett eller slå sammen den ene; bare én verdi kan gjelde",
                )
                continue
            first_seen[key] = key_pos
            self.loaded.keys[(*loc, key)] = key_pos
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _scalar(self, node: ScalarNode, kind: str, loc: Loc) -> Any:
        text = node.value
        if kind == "str":
            return text
        self.loaded.raw[loc] = text
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            cleaned = text.replace("_", "")
            try:
                return int(cleaned, 0)
            except ValueError:
                return int(cleaned, 10)  # leading zeros ("03739"): what YAML 1.2 would give
        if kind == "float":
            lowered = text.lower()
            if lowered.endswith(".inf"):
                return -math.inf if lowered.startswith("-") else math.inf
            if lowered == ".nan":
                return math.nan
            return float(text)
        if kind == "timestamp":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text
        raise AssertionError(f"unhandled YAML kind {kind}")  # _KNOWN_KINDS lists only the above
