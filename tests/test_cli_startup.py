"""What `handbook validate` does not do at start: look up pydantic plugins
(cli._no_pydantic_plugins)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
from generator.cli import main
code = main(["validate", "--content", sys.argv[1]])
loader = sys.modules["pydantic.plugin._loader"]
print(code, "importlib.metadata" in sys.modules, loader.get_plugins())
"""


def test_no_pydantic_plugin_is_installed() -> None:
    """The CLI answers «no plugins» without looking: true only while none is installed."""
    assert list(entry_points(group="pydantic")) == []


def test_validate_neither_imports_nor_asks_for_plugins() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "content")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert run.stdout.splitlines()[-1] == "0 False ()"
