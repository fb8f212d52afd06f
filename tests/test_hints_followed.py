"""Hints followed literally: the new diagnoses' hints, applied mechanically to their golden
fixture, give content that validates and has lost nothing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.core.diagnostics import Diagnostic
from generator.core.pipeline import load_handbook, load_regions

from .conftest import FIXTURES

TODAY = dt.date(2026, 6, 1)
REGIONS_TODAY = dt.date(
    2026, 12, 1
)  # as in test_bad_inputs: fixtures/regions was reviewed 2026-10-01


def _load(tmp_path: Path, name: str, text: str | None = None) -> tuple[Path, list[Diagnostic]]:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(FIXTURES / "minimal", content)
    target = content / name
    target.write_text(
        text if text is not None else (FIXTURES / "bad" / name).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return target, load_handbook(content, today=TODAY).diagnostics


def test_a_norwegian_key_renamed_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "unknown-key-norwegian.yaml")
    lines = target.read_text(encoding="utf-8").split("\n")
    assert [d.code for d in diagnostics] == ["unknown-key", "unknown-key"]
    for d in diagnostics:
        wanted = re.fullmatch(r"mente du «(\w+)»\?", d.hint or "")
        assert wanted, d.hint
        old = re.search(r"«(\w+)»", d.message)[1]  # type: ignore[index]
        line = lines[d.line - 1]
        assert line[d.col - 1 :].startswith(old + ":")
        lines[d.line - 1] = line[: d.col - 1] + wanted[1] + line[d.col - 1 + len(old) :]
    _, after = _load(tmp_path, target.name, "\n".join(lines))
    assert after == []


def test_a_missing_dash_put_back_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "yaml-missing-dash.yaml")
    [d] = diagnostics  # one diagnosis, not one «duplicate key» per field of the lost statement
    assert d.code == "missing-dash" and "ikke slett" in (d.hint or "")
    assert "slett eller" not in (d.hint or "")
    lines = target.read_text(encoding="utf-8").split("\n")
    line = lines[d.line - 1]
    assert line[d.col - 3 : d.col - 1] == "  "
    lines[d.line - 1] = line[: d.col - 3] + "- " + line[d.col - 1 :]
    content = target.parent
    target.write_text("\n".join(lines), encoding="utf-8")
    result = load_handbook(content, today=TODAY)
    assert result.diagnostics == []
    assert result.handbook is not None
    ids = {s.id for s in result.handbook.of_kind("statement")}  # both statements kept
    assert {"nytt-emne.utsagn", "nytt-emne.utsagn-to"} <= ids


@pytest.mark.parametrize(
    "date", ["2026-02-30", "2025-02-29", "2026-04-31", "2026-01-00", "2026-13-01", "2026-00-10"]
)
def test_an_impossible_date_is_not_told_to_use_the_format_it_has(tmp_path: Path, date: str) -> None:
    text = (FIXTURES / "bad" / "bad-date-impossible.yaml").read_text(encoding="utf-8")
    _, diagnostics = _load(tmp_path, "dato.yaml", text.replace("2026-02-30", date))
    [d] = diagnostics
    assert d.code == "bad-date" and "finnes ikke" in d.message and "skriv den som" not in d.message


def test_a_month_and_day_swapped_back_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "bad-date.yaml")
    [d] = diagnostics
    assert "måned 13 finnes ikke" in d.message
    wanted = re.search(r"mente du (\d{4}-\d{2}-\d{2})\?", d.hint or "")
    assert wanted, d.hint
    text = target.read_text(encoding="utf-8").replace("2026-13-01", wanted[1])
    _, after = _load(tmp_path, target.name, text)
    assert after == []


def test_a_real_leap_day_is_a_date(tmp_path: Path) -> None:
    text = (FIXTURES / "bad" / "bad-date-impossible.yaml").read_text(encoding="utf-8")
    _, diagnostics = _load(tmp_path, "dato.yaml", text.replace("2026-02-30", "2024-02-29"))
    assert diagnostics == []


def test_an_over_indented_key_moved_back_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "yaml-over-indented.yaml")
    [d] = diagnostics
    assert "kolon" not in d.message and "anførselstegn" not in (d.hint or "")
    spaces = int(re.search(r"fjern (\d+) mellomrom", d.hint or "")[1])  # type: ignore[index]
    lines = target.read_text(encoding="utf-8").split("\n")
    line = lines[d.line - 1]
    assert line[d.col - 1 - spaces : d.col - 1] == " " * spaces
    lines[d.line - 1] = line[: d.col - 1 - spaces] + line[d.col - 1 :]
    _, after = _load(tmp_path, target.name, "\n".join(lines))
    assert after == []


def test_a_no_break_space_retyped_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "yaml-nbsp-indent.yaml")
    [d] = diagnostics
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[d.line - 1][d.col - 1] == "\u00a0"  # at its own line and column
    stripped = lines[d.line - 1].lstrip(" \u00a0")
    lines[d.line - 1] = " " * (len(lines[d.line - 1]) - len(stripped)) + stripped
    _, after = _load(tmp_path, target.name, "\n".join(lines))
    assert after == []


def test_html_emphasis_rewritten_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "markdown-html-bold.yaml")
    [d] = diagnostics
    new, old = re.fullmatch(r"skriv (.+) i stedet for (.+): .*", d.hint or "").groups()  # type: ignore[union-attr]
    assert new == "**viktig**"
    _, after = _load(tmp_path, target.name, target.read_text(encoding="utf-8").replace(old, new))
    assert after == []


def test_an_id_of_another_region_reached_by_extends_as_the_hint_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "regions", content)
    folder = content / "regions" / "ref-in-other-region"
    folder.mkdir()
    region = folder / "region.yaml"
    shutil.copyfile(FIXTURES / "bad" / "regions" / "ref-in-other-region.yaml", region)
    monkeypatch.chdir(content)
    [d] = load_regions(Path("."), today=REGIONS_TODAY).diagnostics
    add = re.search(r"legg til «(extends: [\w-]+)» i handbook:-blokken", d.hint or "")
    assert add, d.hint
    text = region.read_text(encoding="utf-8")
    region.write_text(text.replace("handbook:\n", f"handbook:\n  {add[1]}\n", 1), encoding="utf-8")
    assert load_regions(Path("."), today=REGIONS_TODAY).diagnostics == []


def test_a_duplicate_key_merged_as_the_hint_says(tmp_path: Path) -> None:
    """«slå sammen de to til én» keeps both texts; the old «slett … den ene» lost one."""
    target, diagnostics = _load(tmp_path, "yaml-duplicate-key.yaml")
    [d] = [d for d in diagnostics if d.code == "duplicate-key"]
    assert "slå sammen" in (d.hint or "") and "ikke slett" in (d.hint or "")
    first = int(re.search(r"første gang på linje (\d+)", d.message)[1])  # type: ignore[index]
    lines = target.read_text(encoding="utf-8").split("\n")
    key = lines[d.line - 1][d.col - 1 :].split(":", 1)[0]
    second = lines[d.line - 1].split(":", 1)[1].strip()
    lines[first - 1] = f"{lines[first - 1]} {second}"  # one key, with the text of both
    del lines[d.line - 1]
    text = "\n".join(lines).replace("kind: plikt", "kind: duty")  # the fixture's other mistake
    _, after = _load(tmp_path, target.name, text)
    assert after == []
    result = load_handbook(target.parent, today=TODAY)
    assert result.handbook is not None
    statement = result.handbook.entries["nytt-emne.utsagn"].entity
    assert getattr(statement, key) == "Første. Andre."


def test_out_of_scope_removed_as_the_hint_says(tmp_path: Path) -> None:
    target, diagnostics = _load(tmp_path, "covered-out-of-scope.yaml")
    [d] = diagnostics
    assert re.search(r"fjern out_of_scope: fra det", d.hint or "")
    declared = target.parent / d.path
    lines = declared.read_text(encoding="utf-8").split("\n")
    line = lines[d.line - 1]
    lines[d.line - 1] = re.sub(r",\s*out_of_scope: [^}]*", "", line)
    assert lines[d.line - 1] != line
    declared.write_text("\n".join(lines), encoding="utf-8")
    result = load_handbook(target.parent, today=TODAY)
    assert result.diagnostics == []
    assert result.handbook is not None
    citation = result.handbook.entries["nytt-emne.utsagn"].entity.source
    assert citation is not None and citation.section == "3"  # the citation is kept
