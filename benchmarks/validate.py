"""How long an editor waits for `handbook validate` on every save, against a floor.

Measures, in the same run and interleaved (these machines are noisy):
  baseline: a fresh interpreter that imports ruamel.yaml and parses every content file;
  validate: a fresh interpreter running `handbook validate` on the same files.
Prints the medians and, last, `ratio: N.NN` (validate / baseline). Target: at most 2.5.
Usage: python benchmarks/validate.py [--runs N] [--content DIR] [--quick]
`--quick`: one run, no warm-up (for `make test`: it only has to run).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The floor: the fastest plain ruamel.yaml parse (libyaml, as the validator uses), so the ratio
# is the validator's own overhead. The default round-trip parse is printed for comparison.
BASELINE = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ=sys.argv[2])
yaml.version = (1, 2)
for path in sorted(Path(sys.argv[1]).rglob("*.y*ml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""

VALIDATE = "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start, _cpu() - cpu


def _spread(measured: list[float], baseline: list[float]) -> str:
    """The ratio of each interleaved pair of runs: how noisy the machine was meanwhile."""
    ratios = [m / b for m, b in zip(measured, baseline, strict=True)]
    return f"{min(ratios):.2f} to {max(ratios):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--quick", action="store_true", help="one run, no warm-up")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    content = str(args.content.resolve())
    files = sorted(args.content.rglob("*.y*ml"))
    size = sum(p.stat().st_size for p in files)
    commands = {
        "baseline: python + ruamel.yaml parse (libyaml)": [
            sys.executable,
            "-c",
            BASELINE,
            content,
            "safe",
        ],
        "python + ruamel.yaml parse (default round-trip)": [
            sys.executable,
            "-c",
            BASELINE,
            content,
            "rt",
        ],
        "handbook validate": [sys.executable, "-c", VALIDATE, "validate", "--content", content],
    }
    # As `make bench` does: where PYTHONDONTWRITEBYTECODE is set, a module changed since the
    # last compile would be compiled again in every run, and that is not the validator's time.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "generator"], check=True, cwd=ROOT)
    for command in commands.values() if not args.quick else ():  # file cache
        _time(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, used = _time(command)
            times[name].append(wall)
            cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"content: {len(files)} files, {size / 1024:.0f} KiB; medians of {args.runs} runs")
    for name, median in medians.items():
        print(f"  {name:<50} {median * 1000:6.0f} ms")
    floor, measured = "baseline: python + ruamel.yaml parse (libyaml)", "handbook validate"
    cpu_ratio = statistics.median(cpu[measured]) / statistics.median(cpu[floor])
    print(f"  ratio of each pair of runs: {_spread(times[measured], times[floor])}")
    print(f"  CPU time ratio (medians): {cpu_ratio:.2f}")
    print(f"ratio: {medians[measured] / medians[floor]:.2f}")


if __name__ == "__main__":
    main()
