"""What `handbook validate` does not do at start: look up pydantic plugins
(cli._no_pydantic_plugins)."""

from __future__ import annotations

import os
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


def test_validate_ends_at_once_with_all_its_output_and_its_exit_code(tmp_path: Path) -> None:
    """`handbook validate` skips the interpreter's tear-down (cli.entry): its output, block
    buffered into a pipe, must still all arrive, and its exit code too, as from `main`."""
    content = tmp_path / "content"
    content.mkdir()
    # 300 mistakes: far more output than one pipe buffer's worth.
    (content / "topics.yaml").write_text(
        "topics:\n" + "".join(f"  - id: T{n}\n" for n in range(300)), encoding="utf-8"
    )
    command = ["validate", "--content", str(content)]  # a line per mistake, each printed
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    fast = subprocess.run(
        [sys.executable, "-m", "generator.cli", *command], capture_output=True, cwd=ROOT, env=env
    )
    in_full = subprocess.run(
        [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())",
         *command],
        capture_output=True,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    assert fast.returncode == in_full.returncode == 1
    assert len(fast.stdout) > 65536
    assert (fast.stdout, fast.stderr) == (in_full.stdout, in_full.stderr)
