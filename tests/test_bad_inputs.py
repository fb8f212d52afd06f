"""Golden tests: each file in fixtures/bad/ is one editor mistake.

The file's header comments say what the validator must report for it, exactly:
    # expect: <file>:<line>:<col>: <level>: <message> [<code>]
    #   hint: <hint>            (optional, checks the hint of the line above)
The fixture is added to a copy of fixtures/minimal/ (which is valid on its own), so every
reported diagnostic comes from the one mistake. A fixture in fixtures/bad/regions/ is a region's
region.yaml instead: it becomes `regions/<its name>/region.yaml` in a copy of fixtures/regions/,
validated as `handbook validate` does (every region). `pytest --update-golden` rewrites the headers
from the actual output; review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.core.pipeline import load_handbook, load_regions

from .conftest import FIXTURES

TODAY = dt.date(2026, 6, 1)
REGIONS_TODAY = dt.date(2026, 12, 1)  # fixtures/regions was reviewed 2026-10-01
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
REGIONAL = sorted((FIXTURES / "bad" / "regions").glob("*.yaml"))
EXPECT = b"# expect: "
HINT = b"#   hint: "


def _header(data: bytes) -> tuple[list[str], bytes]:
    """The expected lines, and the rest of the file."""
    lines = data.split(b"\n")
    expected: list[str] = []
    index = 0
    while index < len(lines) and lines[index].startswith((EXPECT, HINT, b"# ")):
        line = lines[index].rstrip(b"\r")
        if line.startswith(EXPECT):
            expected.append(line[len(EXPECT) :].decode())
        elif line.startswith(HINT):
            expected.append("    hint: " + line[len(HINT) :].decode())
        index += 1
    return expected, data


def _actual(fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    content = tmp_path / "content"
    if fixture in REGIONAL:
        shutil.copytree(FIXTURES / "regions", content, dirs_exist_ok=True)
        folder = content / "regions" / fixture.stem
        folder.mkdir(exist_ok=True)
        shutil.copyfile(fixture, folder / "region.yaml")
        monkeypatch.chdir(content)
        diagnostics = load_regions(Path("."), today=REGIONS_TODAY).diagnostics
    else:
        shutil.copytree(FIXTURES / "minimal", content, dirs_exist_ok=True)
        shutil.copyfile(fixture, content / fixture.name)
        monkeypatch.chdir(content)
        diagnostics = load_handbook(Path("."), today=TODAY).diagnostics
    return [line for d in diagnostics for line in d.format().split("\n")]


@pytest.mark.parametrize(
    "fixture",
    BAD + REGIONAL,
    ids=[p.relative_to(FIXTURES / "bad").as_posix() for p in BAD + REGIONAL],
)
def test_bad_input(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    data = fixture.read_bytes()
    expected, _ = _header(data)
    actual = _actual(fixture, tmp_path, monkeypatch)
    if request.config.getoption("--update-golden"):
        for _ in range(5):  # the header's length shifts line numbers: repeat until it settles
            _rewrite(fixture, fixture.read_bytes(), actual)
            actual = _actual(fixture, tmp_path, monkeypatch)
            if _header(fixture.read_bytes())[0] == actual:
                return
        pytest.fail("golden header did not settle")
    if not any(line.startswith("    hint: ") for line in expected):
        actual = [line for line in actual if not line.startswith("    hint: ")]
    assert actual == expected


def _rewrite(fixture: Path, data: bytes, actual: list[str]) -> None:
    lines = data.split(b"\n")
    kept = [ln for ln in lines if not ln.startswith((EXPECT, HINT))]
    comments = []
    while kept and kept[0].startswith(b"# "):
        comments.append(kept.pop(0))
    header = [
        (HINT + ln[len("    hint: ") :].encode())
        if ln.startswith("    hint: ")
        else EXPECT + ln.encode()
        for ln in actual
    ]
    fixture.write_bytes(b"\n".join(comments + header + kept))


def test_minimal_content_is_valid() -> None:
    result = load_handbook(FIXTURES / "minimal", today=TODAY)
    assert result.diagnostics == []
    assert result.ok
