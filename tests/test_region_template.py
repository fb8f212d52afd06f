"""A new region made by copying maler/ny-region, as maler/ny-region/LESMEG.md says, builds with
no code change: it validates, and `handbook build --region` makes its site."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import cli
from generator.core.pipeline import load_handbook, load_regions

from .conftest import ROOT

TEMPLATE = ROOT / "maler" / "ny-region"


def _copy(tmp_path: Path, region: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / "regions" / region
    shutil.copytree(TEMPLATE, target)
    (target / "LESMEG.md").unlink()
    declaration = target / "region.yaml"
    declaration.write_text(
        declaration.read_text(encoding="utf-8").replace("ny-region", region), encoding="utf-8"
    )
    return content


def test_the_guide_names_the_steps_the_test_takes() -> None:
    guide = (TEMPLATE / "LESMEG.md").read_text(encoding="utf-8")
    assert "cp -r maler/ny-region content/regions/vestfold" in guide
    assert "Bytt `ny-region` med `vestfold`" in guide


def test_a_copied_template_validates_beside_the_real_regions(tmp_path: Path) -> None:
    content = _copy(tmp_path, "vestfold")
    result = load_regions(content)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert "vestfold" in result.handbooks
    handbook = load_handbook(content, region="vestfold").handbook
    assert handbook is not None
    assert handbook.info is not None and handbook.info.title == "Samhandlingshåndboka Ny region"
    base_topics = load_handbook(content, region="agder").handbook
    assert base_topics is not None
    assert {t.id for t in handbook.topics} <= {t.id for t in base_topics.topics}
    assert all(not t.statements for t in handbook.topics)  # the base alone: no rules yet


def test_a_copied_template_builds_its_site(tmp_path: Path) -> None:
    content = _copy(tmp_path, "vestfold")
    out = tmp_path / "site"
    code = cli.main(
        [
            "build", "--content", str(content), "--out", str(out), "--region", "vestfold",
            "--config", str(ROOT / "mkdocs.yml"),
        ]
    )  # fmt: skip
    assert code == 0
    assert (out / "vestfold" / "index.html").exists()
    assert (out / "vestfold" / "emner" / "henvisning" / "index.html").exists()
    assert (out / "index.html").exists()  # the portal, listing the region
    assert "vestfold/" in (out / "index.html").read_text(encoding="utf-8")
