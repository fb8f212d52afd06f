"""Ids become file and folder names: the ones the file system or the portal cannot take are
content errors with their place, in `handbook validate` and before `handbook build` writes
anything. The messages themselves are golden fixtures (tests/fixtures/bad/, bad/regions/)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.checks.file_names import (
    MAX_ID_LENGTH,
    PORTAL_INDEX,
    PORTAL_PATHS,
    WINDOWS_RESERVED,
    id_problem,
)
from generator.core.editions import edition_view
from generator.core.pipeline import load_regions
from generator.site.navigation import COMPARE_FOLDER
from generator.site.portal import base_topics, render_portal

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 1)


def _handbook(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def _regions_with(tmp_path: Path, region_id: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "regions", content)
    (content / "regions" / "vest").mkdir()
    (content / "regions" / "vest" / "region.yaml").write_text(
        f"handbook:\n  id: {region_id}\n  title: Håndboka Vest\n  region: Vest\n"
        "  health_community: Helsefellesskapet Vest\n  revision: '1'\n"
        "  maintainer: fellesutvalget\n  primary_source: felles\n",
        encoding="utf-8",
    )
    return content


def test_the_portal_writes_nothing_but_its_own_paths(tmp_path: Path) -> None:
    """The list a region id is checked against is the list of what the portal writes."""
    result = load_regions(FIXTURES / "regions", today=TODAY)
    assert result.ok, [d.format() for d in result.diagnostics]
    views = {r: edition_view(h, "public") for r, h in result.handbooks.items() if h is not None}
    render_portal(views, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PORTAL_PATHS)
    compare = {p.name for p in (tmp_path / COMPARE_FOLDER).iterdir()}
    assert compare == {PORTAL_INDEX, *base_topics(views)}  # a chapter id must not be the index


@pytest.mark.parametrize("region_id", PORTAL_PATHS)
def test_a_region_id_that_is_a_portal_path_is_refused(tmp_path: Path, region_id: str) -> None:
    content = _regions_with(tmp_path, region_id)
    result = load_regions(content, today=TODAY)
    found = [d for d in result.diagnostics if d.code == "region-portal-path"]
    assert len(found) == 1, [d.format() for d in result.diagnostics]
    assert (found[0].path.endswith("regions/vest/region.yaml"), found[0].line) == (True, 2)


def test_a_build_with_a_clashing_region_id_stops_with_the_place(tmp_path: Path) -> None:
    content = _regions_with(tmp_path, "index.html")
    site = tmp_path / "site"
    run = _handbook("build", "--content", str(content), "--out", str(site))
    assert run.returncode == 1, run.stderr
    assert "regions/vest/region.yaml:2:7: error: «index.html» kan ikke være id" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert not site.exists()


def test_windows_names_with_any_extension_and_long_ids_are_refused() -> None:
    for name in sorted(WINDOWS_RESERVED):
        assert id_problem(name) is not None and id_problem(f"{name}.txt") is not None
    assert id_problem("con", nested=True) is None  # «con.utsagn» names no file
    assert id_problem("console") is None and id_problem("com10") is None
    assert id_problem("a" * MAX_ID_LENGTH) is None
    problem = id_problem("a" * (MAX_ID_LENGTH + 1), nested=True)
    assert problem is not None and problem[0] == "id-too-long"


def test_the_real_content_is_well_under_the_limit() -> None:
    result = load_regions(ROOT / "content")
    ids = {e.id for h in result.handbooks.values() if h for e in h.entries.values()}
    assert max(len(i) for i in ids) <= MAX_ID_LENGTH - 20
