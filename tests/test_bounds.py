"""Bounded work on any input: long adversarial lines and deep nesting cost about what parsing
the file costs, and every limit is a clear content error, never a traceback.

Times are compared with a bare ruamel.yaml parse of the same text, measured in the same test,
with a generous ratio: the quadratic checks these tests guard against took seconds to minutes
on the same inputs, the linear ones take milliseconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator import cli
from generator.cards.data import plain
from generator.checks import glossary, placeholders
from generator.core.diagnostics import Level
from generator.core.pipeline import load_handbook
from generator.core.text_rules import (
    INVISIBLE,
    INVISIBLE_NAMES,
    MAX_BRACKETS,
    MAX_TEXT_LENGTH,
    markdown_problems,
)
from generator.core.yaml_loader import MAX_DEPTH
from generator.editor.fmt import FormatError, format_text
from generator.site.safe_text import unsafe_difference

from .conftest import FIXTURES

TODAY = dt.date(2026, 6, 1)
RATIO, SLACK = 50, 1.0  # allowed: 50 times the bare parse, plus a second for a busy machine
TOPIC = """topics:
  - id: nytt-emne
    title: Nytt emne
    source: {document: kilde, section: "1"}
    review: {last_reviewed: 2026-01-01, next_review: 2027-01-01, owner: utvalg}
    statements:
      - id: nytt-emne.utsagn
        responsible: gp
"""
# What made the old checks (and Python-Markdown) quadratic, and their neighbours.
PIECES = [
    "[",
    "{:",
    "<",
    ">",
    "*",
    "_",
    "`",
    "](",
    "[x](",
    "![",
    "<a:",
    "\\",
    "&",
    "}",
    "]",
    " ",
    "a",
]
_counter = iter(range(10**9))


def _bare_parse(text: str) -> float:
    """The fastest of three bare parses: the baseline every bound is relative to."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with contextlib.suppress(YAMLError):
            list(YAML(typ="safe").parse(text))
        best = min(best, time.perf_counter() - start)
    return best


def _validate(tmp_path: Path, text: str) -> tuple[float, list]:
    """`handbook validate`'s loading and checking of the minimal content plus `text`, timed.
    A fresh folder each time, so no cached file is reused."""
    content = tmp_path / f"content-{next(_counter)}"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "bad.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = load_handbook(content, today=TODAY)
    elapsed = time.perf_counter() - start
    for d in result.diagnostics:
        assert d.line >= 1 and d.col >= 1 and d.message.strip()
    return elapsed, result.diagnostics


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _adversarial_file(line: str) -> str:
    """The line as one text, cut into texts under the length limit (so every part is checked
    in full), and as a text of short lines (for rules that look at line starts)."""
    step = MAX_TEXT_LENGTH - 10
    chunks = [line[i : i + step] for i in range(0, len(line), step)]
    lines = "\n".join(line[i : i + 4] for i in range(0, step, 4))
    return (
        TOPIC
        + f"        text: {_quoted(line)}\n"
        + "        details:\n"
        + "".join(f"          - {_quoted(chunk)}\n" for chunk in chunks)
        + f"          - {json.dumps(lines)}\n"  # a JSON string is a double-quoted YAML text
    )


@pytest.fixture(scope="module", autouse=True)
def _warm_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    """First calls pay for imports and compiled schemas; no test should measure that."""
    _validate(tmp_path_factory.mktemp("warm"), TOPIC + "        text: Tekst.\n")


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    head=st.sampled_from(["", *PIECES]),
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join),
    length=st.integers(min_value=20_000, max_value=150_000),
)
@example(head="", unit="[", length=150_000)  # the measured worst cases, always tried
@example(head="", unit="{:", length=150_000)
@example(head="<", unit=" ", length=150_000)
@example(head="", unit="<a:>", length=150_000)
@example(head="", unit="*a ", length=150_000)
@example(head="", unit="[x](", length=150_000)
def test_long_adversarial_lines_cost_about_a_parse(
    tmp_path: Path, head: str, unit: str, length: int
) -> None:
    line = head + (unit * (length // len(unit) + 1))[:length]
    text = _adversarial_file(line)
    baseline = _bare_parse(text)
    elapsed, diagnostics = _validate(tmp_path, text)
    assert elapsed < RATIO * baseline + SLACK, (head, unit, length, elapsed, baseline)
    assert any(d.code == "text-too-long" for d in diagnostics)
    # The loader cuts a text at the limit; the rules must be linear on any length themselves.
    start = time.perf_counter()
    for value in (line, "\n".join(line[i : i + 4] for i in range(0, len(line), 4))):
        _content_rules(value)
    elapsed = time.perf_counter() - start
    assert elapsed < RATIO * baseline + SLACK, (head, unit, length, elapsed, baseline)


def _content_rules(text: str) -> None:
    """Every rule that reads content text: the Markdown subset, the text checks, the cards."""
    markdown_problems(text)
    glossary.ABBREVIATION.findall(text)
    placeholders.TODO.search(text)
    INVISIBLE.findall(text)
    plain(text)


def _nested(style: str, depth: int) -> str:
    if style == "block":  # `- - - x`: a list in a list, on one line
        return "glossary:\n  " + "- " * depth + "x\n"
    if style == "indented":
        return (
            "glossary:\n"
            + "".join("  " * i + "a:\n" for i in range(1, depth))
            + "  " * depth
            + "a: 1\n"
        )
    if style == "flow":
        return "glossary: " + "[" * depth + "]" * depth + "\n"
    return "glossary: " + "{a: " * depth + "x" + "}" * depth + "\n"  # flow mappings


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    style=st.sampled_from(["block", "indented", "flow", "flow-map"]),
    depth=st.integers(min_value=MAX_DEPTH - 2, max_value=2_000),
)
def test_deep_nesting_is_refused_before_it_costs(tmp_path: Path, style: str, depth: int) -> None:
    depth = min(depth, 600) if style == "indented" else depth  # its size grows with depth²
    text = _nested(style, depth)
    baseline = _bare_parse(text)
    elapsed, diagnostics = _validate(tmp_path, text)
    assert elapsed < RATIO * baseline + SLACK, (style, depth, elapsed, baseline)
    too_deep = [d for d in diagnostics if d.code == "too-deep"]
    # a block list or flow collection opens one level per item; glossary itself is one more
    assert bool(too_deep) == (depth + 1 > MAX_DEPTH), diagnostics
    try:  # fmt's composer recurses too: it refuses the same files, at the same place
        format_text(text)
        refused = None
    except FormatError as exc:
        refused = (exc.line, exc.column) if exc.code == "too-deep" else None
    assert refused == ((too_deep[0].line, too_deep[0].col) if too_deep else None)


def test_the_worst_allowed_text_renders_in_bounded_time() -> None:
    """The renderer's Markdown check on texts at the limits, relative to an ordinary text of
    the same length. Before the limits, 10 000 `[` took about nine seconds here."""
    ordinary = ("Fastlegen henviser & sykehuset svarer. " * 300)[: MAX_TEXT_LENGTH - 1] + "&"

    def rendering(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            unsafe_difference(text)
            best = min(best, time.perf_counter() - start)
        return best

    baseline = rendering(ordinary)
    for piece in ("[", "![", "[`", "[*", "[a]["):
        worst = piece * (MAX_BRACKETS // piece.count("["))
        text = (worst + "a b " * MAX_TEXT_LENGTH)[: MAX_TEXT_LENGTH - 1] + "&"
        assert text.count("[") <= MAX_BRACKETS and len(text) == MAX_TEXT_LENGTH
        assert rendering(text) < RATIO * baseline + SLACK / 4, piece


def test_limits_are_content_errors_and_other_files_are_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "deep.yaml").write_text("glossary: " + "[" * 500 + "]" * 500 + "\n")
    (content / "stor.yaml").write_text("# " + "x" * 1_100_000 + "\n")
    (content / "lang.yaml").write_text(TOPIC + f"        text: {'a' * 20_000}\n")
    (content / "skrivefeil.yaml").write_text("glossary:\n  - id: x\n    termm: X\n")
    assert cli.main(["validate", "--content", str(content)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    codes = {line.rsplit("[", 1)[-1] for line in out.splitlines() if ": error: " in line}
    assert {"too-deep]", "file-too-large]", "text-too-long]", "unknown-key]"} <= codes


def test_every_invisible_character_is_a_warning_at_its_own_column(tmp_path: Path) -> None:
    written = [*INVISIBLE_NAMES, "\r", "\x07", "\x85", "\x9b"]  # controls only as escapes
    lines = []
    for char in written:
        escaped = f"\\x{ord(char):02x}" if ord(char) < 0xA0 else char
        lines.append(f'          - "ab{escaped}c"\n')
    text = TOPIC + "        text: Tekst.\n        details:\n" + "".join(lines)
    _, diagnostics = _validate(tmp_path, text)
    first_line = TOPIC.count("\n") + 3
    found = {
        (d.line, d.col, d.message.split()[2]) for d in diagnostics if d.code == "invisible-char"
    }
    assert all(d.level is Level.WARNING for d in diagnostics)
    expected = set()
    for index, char in enumerate(written):
        col = 16 if ord(char) >= 0xA0 else 13  # the character's own column; an escape's value
        expected.add((first_line + index, col, f"U+{ord(char):04X}"))
    assert found == expected
