"""The editor's schema, the open-data export and the «Hva er nytt» changelog."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from generator.core.changelog import changelog, compare
from generator.core.editions import edition_view
from generator.core.export import export
from generator.core.pipeline import content_files, load_handbook
from generator.editor.schema import SCHEMA_PATH, json_schema, modeline, schema_text

from .conftest import ROOT


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """The independent check: check-jsonschema with the published schema file."""
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(ROOT / SCHEMA_PATH)]
    return subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False)


def test_the_published_schema_is_generated_from_the_model() -> None:
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), (
        "schema/handbook.schema.json is stale: run `handbook schema`"
    )
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_every_content_file_points_to_the_schema_and_validates_against_it() -> None:
    files = content_files(ROOT / "content")
    for path in files:
        assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(path, ROOT), path
    run = _check_jsonschema(*files)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_describes_keys_in_norwegian_and_catches_a_typo(tmp_path: Path) -> None:
    statement = json_schema()["$defs"]["Statement"]
    assert "Hvem som har ansvaret" in statement["properties"]["responsible"]["description"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("topics:\n  - id: x\n    titel: Feil\n", encoding="utf-8")
    run = _check_jsonschema(bad)
    assert run.returncode == 1 and "titel" in run.stdout


def test_the_open_data_export_is_valid_against_the_schema_and_public() -> None:
    handbook = load_handbook(ROOT / "content", region="agder").handbook
    assert handbook is not None
    document = export(edition_view(handbook, "public"))
    jsonschema.validate(document, json_schema())
    assert len(document["topics"]) == len(handbook.topics)
    text = json.dumps(document, ensure_ascii=False)
    assert "00 11 22 33" not in text and '"internal"' not in text


def _snapshot() -> dict:
    handbook = load_handbook(ROOT / "content", region="agder").handbook
    assert handbook is not None
    return export(edition_view(handbook, "public"))


def test_the_changelog_finds_added_changed_and_removed_items() -> None:
    old = _snapshot()
    new = copy.deepcopy(old)
    topic = next(t for t in new["topics"] if t["id"] == "henvisning")
    statement = next(s for s in topic["statements"] if s["id"] == "henvisning.lib-oppdatert")
    statement["text"] = "LIB-listen skal alltid være oppdatert i henvisningen."
    topic["statements"] = [
        s for s in topic["statements"] if s["id"] != "henvisning.billeddiagnostikk"
    ]
    new["routes"].append({**new["routes"][0], "id": "ny-rute", "title": "Ny rute"})
    log = compare(old, new, dt.date(2026, 11, 22))
    assert [c.id for c in log.added] == ["ny-rute"]
    assert [c.id for c in log.removed] == ["henvisning.billeddiagnostikk"]
    assert [c.id for c in log.changed] == ["henvisning.lib-oppdatert"]
    change = log.changed[0]
    assert "LIB-listen skal være oppdatert" in change.old
    assert "LIB-listen skal alltid være oppdatert" in change.new
    assert compare(old, old, None).empty


def test_the_changelog_compares_with_the_latest_release(tmp_path: Path) -> None:
    current = _snapshot()
    assert changelog(current, tmp_path / "none").since is None
    releases = tmp_path / "releases"
    releases.mkdir()
    older = copy.deepcopy(current)
    older["routes"] = older["routes"][1:]
    (releases / "2025-01-01.json").write_text(json.dumps(current), encoding="utf-8")
    (releases / "2026-01-01.json").write_text(json.dumps(older), encoding="utf-8")
    log = changelog(current, releases)
    assert log.since == dt.date(2026, 1, 1)
    assert [c.id for c in log.added] == [current["routes"][0]["id"]]
