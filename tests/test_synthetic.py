"""The scale benchmark's synthetic content: real base, copies of a real region, valid."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from generator.core.diagnostics import Level
from generator.core.pipeline import load_regions
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic


def test_two_synthetic_regions_validate_with_ids_unique_per_region(tmp_path: Path) -> None:
    target = tmp_path / "content"
    ids = synthetic.make_content(target, 2)
    assert ids == ["r001", "r002"]

    result = load_regions(target, today=dt.date.today())
    errors = [d for d in result.diagnostics if d.level == Level.ERROR]
    assert not errors, "\n".join(map(str, errors))
    assert set(result.handbooks) == {"r001", "r002"}

    own: dict[str, set[str]] = {}
    for rid, handbook in result.handbooks.items():
        assert handbook is not None and handbook.region is not None
        assert handbook.info is not None and handbook.info.id == rid
        own[rid] = handbook.region.own_ids
        assert own[rid], f"{rid} defines no items of its own"
        assert all(i.endswith(f"-{rid}") for i in own[rid])
    assert not own["r001"] & own["r002"]


def test_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    synthetic.make_content(a, 2)
    synthetic.make_content(b, 2)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((a / p).read_bytes() == (b / p).read_bytes() for p in files_a)


def test_the_base_is_the_real_one_but_for_out_of_scope_marks(tmp_path: Path) -> None:
    synthetic.make_content(tmp_path, 1)
    mark = re.compile(r'out_of_scope: "Syntetisk innhold:[^"]*"(, |\n *)')
    real = ROOT / "content"
    for path in sorted(p for p in real.rglob("*") if p.is_file() and "regions" not in p.parts):
        copied = (tmp_path / path.relative_to(real)).read_text(encoding="utf-8")
        assert mark.sub("", copied) == path.read_text(encoding="utf-8"), path


def test_references_to_the_base_are_kept() -> None:
    region = ROOT / "content" / "regions" / synthetic.TEMPLATE
    for template in synthetic.read_template(region):
        rendered = synthetic.render(template, "r007")
        for s in synthetic.scalars(rendered):
            if s.loc and s.loc[-1] == "target":  # changes target what the region inherits
                assert not s.value.endswith("-r007")
