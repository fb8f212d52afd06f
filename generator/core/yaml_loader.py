"""Read one content file into plain Python data that remembers where every value came from.

Why parse events instead of load: libyaml's events give the line, column and raw text of *every*
value, scalars included. Building the Python values ourselves lets us
- report duplicate keys and keep going (the loader would stop at the first one),
- refuse anchors and aliases before they can expand (no alias bombs),
- refuse unknown tags (no object construction from content),
- keep the raw text of numbers and dates, so a phone number written as `03739` can be reported
  with a hint to quote it instead of being stored as the integer 3739.
YAML 1.2 is used, so `NO`, `yes` and `on` stay strings.

Bounded work on any input: a file over `MAX_FILE_BYTES` is not parsed, nesting deeper than
`MAX_DEPTH` is refused while the (iterative) parser runs, before the recursive builder sees it,
and a text over `MAX_TEXT_LENGTH` is reported and cut there, so no later stage sees more.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.cyaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.core.diagnostics import Diagnostic, Level
from generator.core.text_rules import MARKED, MAX_BRACKETS, MAX_TEXT_LENGTH

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
MAX_FILE_BYTES = 1_000_000  # the largest real content file is under 30 kB
MAX_DEPTH = 50  # levels of blocks and lists; the real content needs 7
TOO_LARGE = (
    f"filen er større enn {MAX_FILE_BYTES // 1_000_000} MB; så store innholdsfiler leses ikke "
    "(den største i håndboka i dag er under 30 kB)",
    "del innholdet i flere filer, for eksempel én fil per emne",
)
TOO_DEEP = (
    f"innholdet er nestet for dypt: mer enn {MAX_DEPTH} nivåer med blokker og lister inni "
    "hverandre (håndboka trenger under 10)",
    "sjekk innrykket her, og at hver «[» og «{» har sin «]» og «}»",
)


def unreadable(exc: OSError) -> tuple[str, str | None]:
    """The message and hint for a content file that cannot be read: in Norwegian, never the
    operating system's English («Permission denied»)."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return (
            "kan ikke lese filen: mangler lesetilgang",
            "gi deg selv lesetilgang (chmod u+r på filen) eller be den som eier filen om det",
        )
    if code == errno.EISDIR:
        return "kan ikke lese filen: det er en mappe", "gi mappen et navn som ikke slutter på .yaml"
    if code == errno.ENOENT:
        return "kan ikke lese filen: den finnes ikke lenger", "kjør kommandoen på nytt"
    if code == errno.ELOOP:
        return "kan ikke lese filen: en symbolsk lenke går i ring", "rett eller fjern lenken"
    if code == errno.EIO:
        return "kan ikke lese filen: lesefeil på disken", "sjekk disken, og prøv igjen"
    name = errno.errorcode.get(code, "ukjent") if code is not None else "ukjent"
    return f"kan ikke lese filen (feilkode {name})", None


_KNOWN_KINDS = {"map", "seq", "str", "null", "bool", "int", "float", "timestamp"}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based
    file: str | None = None  # set when a region's change moved the value into another file
    # For a text with invisible characters or odd spaces (text_rules.MARKED): (index in the
    # text, line, col) of each one written as itself in the file. Carried along with the value.
    hidden: tuple[tuple[int, int, int], ...] = ()


Tables = tuple[dict[Loc, Position], dict[Loc, Position], dict[Loc, str]]  # values, keys, raw
_TABLES = ("values", "keys", "raw")
_TABLES_LOCK = threading.Lock()


@dataclass
class LoadedFile:
    """A content file as data, plus the position of every value and key in it."""

    path: Path
    display: str
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    @classmethod
    def tables_later(
        cls, path: Path, display: str, data: Any, tables: Callable[[], Tables]
    ) -> LoadedFile:
        """A file whose position tables (`values`, `keys`, `raw`) are made by `tables()` when
        first used. Why: a file's result kept between runs is read on every run, and most runs
        need no position of most files (only a problem, or a region's change, asks for one)."""
        loaded = cls.__new__(cls)
        loaded.__dict__.update(path=path, display=display, data=data, _tables_later=tables)
        return loaded

    if not TYPE_CHECKING:  # for the type checker the tables are plain fields

        def __getattr__(self, name: str) -> Any:
            """Only reached for an attribute the object does not have: a table not made yet."""
            if name in _TABLES:
                with _TABLES_LOCK:
                    later = self.__dict__.pop("_tables_later", None)
                    if later is not None:
                        self.__dict__.update(zip(_TABLES, later(), strict=True))
                if name in self.__dict__:
                    return self.__dict__[name]
            raise AttributeError(name)

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
        return Diagnostic(pos.file or self.display, pos.line, pos.col, level, code, message, hint)

    def where(self, loc: Loc) -> str:
        """«file linje N» for messages that point to another place."""
        pos = self.position(loc)
        return f"{pos.file or self.display} linje {pos.line}"


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
        "slett tegnet (står det mellom to ord, bytt det med et mellomrom); det kommer ofte fra "
        "kopiering fra PDF eller Word",
    ),
    (
        "found unknown escape character",
        "ukjent escape-sekvens (\\) i tekst med doble anførselstegn",
        "bruk enkle anførselstegn, eller skriv \\\\ for en bakstrek",
    ),
]


class _TooDeep(Exception):
    def __init__(self, event: Event) -> None:
        self.event = event


_OPEN = MappingStartEvent | SequenceStartEvent
_CLOSE = MappingEndEvent | SequenceEndEvent


def _events(text: str) -> list[Event]:
    """All parse events of `text`, straight from libyaml: ruamel.yaml.clib's parser gives the
    same events as `YAML(typ="safe").parse`, without the loader class, constructor and resolver
    that builds around it for every file (a third of the parse, unused for events).
    Raises _TooDeep at the first collection nested deeper than MAX_DEPTH."""
    parser = CParser(text)
    events: list[Event] = []
    depth = 0
    try:
        while True:
            event = parser.get_event()
            events.append(event)
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(event)
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, StreamEndEvent):
                return events
    finally:
        parser.dispose()


def read_limited(path: Path) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES + 1: a huge file is never read whole (OSError
    when it cannot be read)."""
    with path.open("rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def load_file(
    path: Path, display: str, raw_bytes: bytes | None = None
) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read and compose one YAML file. Returns (None, errors) when it cannot be read at all.
    `raw_bytes`: what `read_limited` gave, when the caller has read the file already."""

    def error(line: int, col: int, code: str, message: str, hint: str | None = None):
        return None, [Diagnostic(display, line, col, Level.ERROR, code, message, hint)]

    if raw_bytes is None:
        try:
            raw_bytes = read_limited(path)
        except OSError as exc:
            return error(1, 1, "io", *unreadable(exc))
    if len(raw_bytes) > MAX_FILE_BYTES:
        return error(1, 1, "file-too-large", *TOO_LARGE)
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
        events = _events(text)
    except _TooDeep as exc:
        pos = _position(exc.event)
        return error(pos.line, pos.col, "too-deep", *TOO_DEEP)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in str(exc.problem) and exc.context_mark:
            mark = exc.context_mark  # an unclosed quote: point at where it opened
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = f"{exc.problem or ''} {exc.context or ''}"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "'\\t'"  # libyaml says only "cannot start any token" for a tab
        if mark and (found := _indent_problem(text, mark.line, problem)) is not None:
            return error(*found)
        for needle, message, hint in _SYNTAX_MESSAGES:
            if needle in problem:
                return error(line, col, "yaml-syntax", message, hint)
        return error(line, col, "yaml-syntax", f"YAML-syntaksfeil: {exc.problem or exc}")
    except YAMLError as exc:
        return error(1, 1, "yaml-syntax", f"YAML-syntaksfeil: {exc}")

    loaded = LoadedFile(path=path, display=display, data=None)
    builder = _Builder(loaded, events, text)
    loaded.data = builder.document()
    return loaded, builder.diagnostics


def too_deep(text: str) -> Position | None:
    """Where `text` first nests deeper than MAX_DEPTH (None if it does not, or does not parse):
    for other readers of content files, to call before they compose nodes recursively."""
    try:
        _events(text)
    except _TooDeep as exc:
        return _position(exc.event)
    except YAMLError:
        return None
    return None


# Spaces that look like a space but are not YAML's: pasted from Word, PDF or a web page.
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_LEADING = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*")
_STARTS_ITEM = re.compile(r"-(?: |$)|[\w-]+:(?: |$)")
_KEY_LINE = re.compile(r"( *)(- +)?([A-Za-z_][\w-]*):(?: |$)")


def _indent_problem(
    text: str, error_line: int, problem: str
) -> tuple[int, int, str, str, str] | None:
    """(line, col, code, message, hint) when a syntax error comes from the indentation: an odd
    space in it (reported where it stands, not where YAML gave up), or a key indented further
    than the key above it (the «colon» error YAML gives for it would send the editor to quote
    text). Lines are 0-based here, as in YAML's marks."""
    lines = text.split("\n")
    for number, line in enumerate(lines[: error_line + 2]):
        leading = _LEADING.match(line).group()  # type: ignore[union-attr]
        odd = _ODD_SPACE.search(leading)
        if odd is not None and _STARTS_ITEM.match(line, len(leading)):  # not a text's own line
            char = odd.group()
            name = "et hardt mellomrom" if char == "\u00a0" else "et uvanlig mellomrom"
            return (
                number + 1,
                odd.start() + 1,
                "odd-space",
                f"linje {number + 1} er rykket inn med {name} (U+{ord(char):04X}) i kolonne "
                f"{odd.start() + 1}; YAML godtar bare vanlige mellomrom som innrykk",
                f"skriv innrykket på linje {number + 1} på nytt med vanlige mellomrom (slike "
                "mellomrom kommer ofte med når tekst kopieres fra Word eller en nettside)",
            )
    if "mapping values are not allowed" not in problem or error_line >= len(lines):
        return None
    key = _KEY_LINE.match(lines[error_line])
    above = next(
        (
            (n, line)
            for n, line in reversed(list(enumerate(lines[:error_line])))
            if line.strip() and not line.lstrip().startswith("#")
        ),
        None,
    )
    if key is None or key[2] or above is None:
        return None
    parent = _KEY_LINE.match(above[1])
    if parent is None:
        return None
    column = len(parent[1]) + len(parent[2] or "")
    extra = len(key[1]) - column
    if extra <= 0:
        return None
    return (
        error_line + 1,
        len(key[1]) + 1,
        "yaml-syntax",
        f"linje {error_line + 1} er rykket inn {extra} mellomrom mer enn «{parent[3]}» på linje "
        f"{above[0] + 1}; «{key[3]}» hører til samme blokk som «{parent[3]}»",
        f"fjern {extra} mellomrom foran «{key[3]}» på linje {error_line + 1}, så det står rett "
        f"under «{parent[3]}»",
    )


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


# YAML 1.2 core schema for plain scalars, as ruamel.yaml resolves it (resolver.py), in its order.
_PLAIN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (
        "float",
        re.compile(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
            r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
    ("int", re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")),
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    (
        "timestamp",
        re.compile(
            r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
            r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
            r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$"
        ),
    ),
)


# The characters a plain scalar that is not text can start with (a newline too: the patterns
# end in `$`, which matches before one). Any other first character means text, no pattern.
_NOT_TEXT_START = frozenset("0123456789_+-.~tTfFnN\n")


def _plain_kind(text: str) -> str:
    if text and text[0] not in _NOT_TEXT_START:  # most values: words, ids, sentences
        return "str"
    for kind, pattern in _PLAIN_KINDS:
        if pattern.match(text):
            return kind
    return "str"


class _Builder:
    """Turns parse events into plain dicts, lists and scalars, recording every position.

    Why events, not nodes: composing nodes runs ruamel's Python resolver on every scalar; the
    events come straight from libyaml, and resolving plain scalars here is a few regexes."""

    def __init__(self, loaded: LoadedFile, events: list[Event], text: str) -> None:
        self.loaded = loaded
        self.events = events
        self.text = text
        self.index = 0
        self.diagnostics: list[Diagnostic] = []
        self.anchors_reported: set[str] = set()

    def _next(self) -> Event:
        event = self.events[self.index]
        self.index += 1
        return event

    def _error(self, pos: Position, code: str, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(
            Diagnostic(self.loaded.display, pos.line, pos.col, Level.ERROR, code, message, hint)
        )

    def document(self) -> Any:
        while not isinstance(self.events[self.index], DocumentStartEvent):
            self.index += 1
        self.index += 1
        data = self.node(())
        self.index += 1  # DocumentEndEvent
        following = self.events[self.index]
        if isinstance(following, DocumentStartEvent):
            pos = _position(following)
            self._error(
                pos,
                "yaml-syntax",
                "filen inneholder mer enn ett YAML-dokument",
                "fjern ekstra «---»-linjer; én fil er ett dokument",
            )
        return data

    def _skip(self) -> None:
        """Consume the rest of a collection whose start event was just read."""
        depth = 1
        while depth:
            event = self._next()
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                depth += 1
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                depth -= 1

    def node(self, loc: Loc) -> Any:
        event = self._next()
        pos = _position(event)
        self.loaded.values[loc] = pos
        anchor = getattr(event, "anchor", None)
        if isinstance(event, AliasEvent) or anchor:
            name = anchor or ""
            if name not in self.anchors_reported:
                self.anchors_reported.add(name)
                self._error(
                    pos,
                    "yaml-anchor",
                    f"ankere og alias (&{name} / *{name}) brukes ikke i håndboka",
                    "skriv verdien ut der den trengs",
                )
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                self._skip()
            return None  # never expand an alias: no alias bombs
        tag = getattr(event, "tag", None)
        explicit = tag is not None and tag != "!" and tag.removeprefix(_TAG) not in _KNOWN_KINDS
        if explicit:
            self._error(
                pos,
                "yaml-tag",
                f"ukjent YAML-tagg «{tag.replace(_TAG, '!!')}»",
                "fjern taggen (!...)",
            )
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                self._skip()
            return None
        if isinstance(event, MappingStartEvent):
            return self._mapping(loc)
        if isinstance(event, SequenceStartEvent):
            items = []
            while not isinstance(self.events[self.index], SequenceEndEvent):
                items.append(self.node((*loc, len(items))))
            self.index += 1
            return items
        assert isinstance(event, ScalarEvent)
        return self._scalar(event, tag, loc)

    def _mapping(self, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        new_item = False  # a missing «- » was reported: the keys after it are the next item's
        while not isinstance(self.events[self.index], MappingEndEvent):
            key_event = self.events[self.index]
            key_pos = _position(key_event)
            if not isinstance(key_event, ScalarEvent) or key_event.anchor:
                self._error(key_pos, "yaml-key", "en nøkkel må være et enkelt ord, ikke en liste")
                self.node(())  # consume the key
                self.node(())  # and its value
                continue
            self.index += 1
            key = key_event.value
            if key == "<<" and key_event.implicit[0]:
                self._error(
                    key_pos,
                    "yaml-anchor",
                    "sammenslåing med «<<» brukes ikke i håndboka",
                    "skriv feltene ut",
                )
                self.node(())
                continue
            if key in first_seen and (new_item or self._missing_dash(loc, key, first_seen)):
                new_item = True
                self.node(())  # the next item's value: not mixed into this one
                continue
            if key in first_seen:
                self._error(
                    key_pos,
                    "duplicate-key",
                    f"nøkkelen «{key}» står to ganger i samme blokk "
                    f"(første gang på linje {first_seen[key].line})",
                    f"bare én verdi kan gjelde: slå sammen de to «{key}» til én (med teksten fra "
                    "begge), eller gi den ene et annet navn; ikke slett noen av dem før teksten "
                    "er flyttet",
                )
                self.node(())  # consume the value, keep the first one
                continue
            first_seen[key] = key_pos
            self.loaded.keys[(*loc, key)] = key_pos
            result[key] = self.node((*loc, key))
        self.index += 1
        return result

    def _missing_dash(self, loc: Loc, key: str, first_seen: dict[str, Position]) -> bool:
        """In a list item, the item's first key (or its id) once more: the «- » of a new item is
        missing. Reported as that, since «delete one of them» would delete a statement."""
        if not loc or not isinstance(loc[-1], int) or key not in (next(iter(first_seen)), "id"):
            return False
        pos = _position(self.events[self.index - 1])
        line = self.text.split("\n")[pos.line - 1]
        if pos.col < 3 or line[pos.col - 3 : pos.col - 1] != "  ":
            return False  # no room for «- » in front of it: the plain duplicate message
        first = first_seen[key].line
        self._error(
            pos,
            "missing-dash",
            f"«{key}» står en gang til i samme listepunkt (første gang på linje {first}): "
            f"mangler det «- » foran «{key}» på linje {pos.line}?",
            f"bytt de to mellomrommene rett foran «{key}» på linje {pos.line} med «- »; da "
            "starter et nytt punkt i listen der, og linjene under hører til det (ikke slett noe)",
        )
        return True

    def _scalar(self, event: ScalarEvent, tag: str | None, loc: Loc) -> Any:
        text = event.value
        if tag is not None and tag != "!":
            kind = tag.removeprefix(_TAG)
        elif event.implicit[0]:  # a plain (unquoted) scalar: resolve it as YAML 1.2 does
            kind = _plain_kind(text)
        else:
            kind = "str"
        if kind == "str":
            return self._text(event, loc)
        self.loaded.raw[loc] = text
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        try:
            if kind == "int":
                cleaned = text.replace("_", "")
                try:
                    return int(cleaned, 0)
                except ValueError:
                    return int(cleaned, 10)  # leading zeros ("03739"): 3739, as YAML 1.2 says
            if kind == "float":
                lowered = text.lower()
                if lowered.endswith(".inf"):
                    return -math.inf if lowered.startswith("-") else math.inf
                if lowered == ".nan":
                    return math.nan
                return float(text.replace("_", ""))
            if kind == "timestamp":
                return dt.date.fromisoformat(text)
        except ValueError:
            return text  # not a valid number or date after all: the schema reports it as text
        return text

    def _text(self, event: ScalarEvent, loc: Loc) -> str:
        """A text value, checked against the bounds; its invisible characters located."""
        text = event.value
        pos = self.loaded.values[loc]
        brackets = text.count("[")
        if len(text) > MAX_TEXT_LENGTH:
            self._error(
                pos,
                "text-too-long",
                f"teksten er {_count(len(text))} tegn lang; én tekst kan ha høyst "
                f"{_count(MAX_TEXT_LENGTH)} tegn "
                "(den lengste i håndboka i dag har under 1 000)",
                "del den i flere utsagn eller underpunkter (details:)",
            )
            text = text[:MAX_TEXT_LENGTH]  # what follows checks only this much
        if brackets > MAX_BRACKETS:
            self._error(
                pos,
                "too-many-brackets",
                f"teksten har {_count(brackets)} «[»; én tekst kan ha høyst {MAX_BRACKETS} "
                "(hver lenke bruker én, og ingen tekst i håndboka i dag har mer enn 2)",
                "del teksten i flere utsagn eller underpunkter (details:)",
            )
        if MARKED.search(text):
            self.loaded.values[loc] = replace(pos, hidden=self._hidden(event, text))
        return text

    def _hidden(self, event: ScalarEvent, text: str) -> tuple[tuple[int, int, int], ...]:
        """Where the text's invisible characters stand in the file, when each is written as
        itself (not as an escape such as "\\u202e": then the check points at the value)."""
        in_text = [m.start() for m in MARKED.finditer(text)]
        start, end = event.start_mark, event.end_mark
        source = self.text[start.index : end.index]
        wanted = {text[i] for i in in_text}  # not the \r of a CRLF file: no value has it
        in_source = [m.start() for m in MARKED.finditer(source) if m.group() in wanted]
        if [text[i] for i in in_text] != [source[j] for j in in_source]:
            return ()
        found = []
        line, line_start = start.line + 1, start.index - start.column
        previous = 0
        for index, offset in zip(in_text, in_source, strict=True):
            breaks = source.count("\n", previous, offset)
            if breaks:
                line += breaks
                line_start = start.index + source.rindex("\n", previous, offset) + 1
            previous = offset
            found.append((index, line, start.index + offset - line_start + 1))
        return tuple(found)


def _count(number: int) -> str:
    """12 345: as Norwegian writes numbers."""
    return f"{number:,}".replace(",", " ")


def _position(event: Event) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)
