"""A new region made by copying maler/ny-region, as maler/ny-region/LESMEG.md says, builds with
no code change: it validates, and `handbook build --region` makes its site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

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


def test_the_untouched_template_validates_and_is_formatted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Copied as it is (the first step of LESMEG.md), before any name is changed."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(TEMPLATE, content / "regions" / "ny-region")
    assert cli.main(["validate", "--content", str(content), "--region", "ny-region"]) == 0
    folder = content / "regions" / "ny-region"
    assert cli.main(["fmt", "--check", "--content", str(folder)]) == 0, capsys.readouterr()
    assert "OK: alle filer er formatert" in capsys.readouterr().err


def _yaml_blocks(guide: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL)


def test_the_guides_region_on_another_region_validates(tmp_path: Path) -> None:
    guide = (TEMPLATE / "LESMEG.md").read_text(encoding="utf-8")
    [example] = [block for block in _yaml_blocks(guide) if "extends: agder" in block]
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "regions" / "lister").mkdir()
    (content / "regions" / "lister" / "region.yaml").write_text(example, encoding="utf-8")
    result = load_handbook(content, region="lister")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert result.handbook is not None
    route = result.handbook.entries["akutt-psykisk-helse"].entity
    assert route.purpose.startswith("Ring legevakten i Lister")


def test_a_region_on_the_base_alone_cannot_change_a_route(tmp_path: Path) -> None:
    """What the guide says a region on the base cannot do, with the message it quotes."""
    content = _copy(tmp_path, "vestfold")
    declaration = content / "regions" / "vestfold" / "region.yaml"
    change = (
        "changes:\n  - target: akutt-psykisk-helse\n    why: Vår avtale.\n"
        "    override:\n      purpose: Ring legevakten først.\n"
    )
    declaration.write_text(declaration.read_text(encoding="utf-8") + change, encoding="utf-8")
    messages = [d.message for d in load_handbook(content, region="vestfold").diagnostics]
    assert messages == [
        "regionen endrer «akutt-psykisk-helse», men det finnes ikke i det den arver"
    ]
    assert messages[0] in (TEMPLATE / "LESMEG.md").read_text(encoding="utf-8")
