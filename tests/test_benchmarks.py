"""Every benchmark runs: each one's `--quick` mode, in a fresh interpreter, ends with its ratio.

No timing is asserted (quick runs are one short, noisy run); the point is that a benchmark
which no longer runs against the current code fails here, not months later in `make bench`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
HELPERS = {"synthetic.py", "timing.py"}  # imported by the benchmarks; not benchmarks of their own
# Programs a benchmark needs beyond Python: skipped without them, except on CI (which has them).
NEEDS = {"lighthouse.py": ("/usr/bin/chromium", "nginx", "node", "npm")}


def _require(name: str) -> None:
    found = lambda tool: shutil.which(tool) or Path("/usr/sbin", tool).exists()  # noqa: E731
    missing = [tool for tool in NEEDS.get(name, ()) if not found(tool)]
    if not missing:
        return
    message = f"{name} needs {', '.join(missing)}"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _benchmarks() -> list[str]:
    return sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name not in HELPERS)


def test_every_benchmark_is_in_make_bench() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    bench = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert [name for name in _benchmarks() if f"benchmarks/{name}" not in bench] == []


@pytest.mark.parametrize("name", _benchmarks())
def test_quick_mode_runs_and_ends_with_the_ratio(name: str) -> None:
    _require(name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert lines and re.fullmatch(r"ratio: \d+\.\d\d", lines[-1]), done.stdout[-2000:]
