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
import functools
import statistics
import subprocess
import sys
from pathlib import Path

from timing import ROOT, interleaved, print_ratios, run_commands

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
        run_commands(command)
    jobs = {name: functools.partial(run_commands, command) for name, command in commands.items()}
    times, cpu = interleaved(jobs, args.runs)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"content: {len(files)} files, {size / 1024:.0f} KiB; medians of {args.runs} runs")
    for name, median in medians.items():
        print(f"  {name:<50} {median * 1000:6.0f} ms")
    floor, measured = "baseline: python + ruamel.yaml parse (libyaml)", "handbook validate"
    print_ratios(times[measured], times[floor], (cpu[measured], cpu[floor]))


if __name__ == "__main__":
    main()
