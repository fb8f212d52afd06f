"""The layout shows the architecture, and imports point one way (see ARCHITECTURE.md).

Imports are read from the source (every `import` and `from ... import`, also inside functions),
so a lazy import cannot slip past the rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

GENERATOR = ROOT / "generator"
PACKAGES = sorted(p.name for p in GENERATOR.iterdir() if (p / "__init__.py").exists())
# What each layer may import from the generator (besides itself).
ALLOWED = {
    "core": {"core", "checks"},
    "checks": {"core"},
    "site": {"core", "checks"},
    "cards": {"core", "checks", "site"},
    "editor": {"core", "checks", "site", "cards"},
    "build": {"core", "checks", "site", "cards", "editor"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "generator" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in PACKAGES else "top"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package: str) -> None:
    wrong = []
    for path in sorted((GENERATOR / package).rglob("*.py")):
        for module in _imports(path):
            layer = _layer(module)
            if module.split(".")[0] in ("mkdocs", "material") and package in ("core", "checks"):
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
            if layer is None or layer == package:
                continue
            if layer not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_every_package_has_a_layer_and_few_modules_stay_loose() -> None:
    assert set(PACKAGES) == set(ALLOWED)
    loose = sorted(p.name for p in GENERATOR.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 5, loose


def test_readme_and_architecture_name_the_packages_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for package in PACKAGES:
        assert f"generator/{package}/" in architecture, package
        assert f"`generator/{package}/`" in readme, package
    named = set(re.findall(r"generator/([a-z_]+)/", readme + architecture))
    assert named <= set(PACKAGES), named - set(PACKAGES)
    named_modules = r"`((?:core|editor|build|site|cards|checks)/[a-z_]+\.py)`"
    for module in re.findall(named_modules, architecture):
        assert (GENERATOR / module).exists(), module
