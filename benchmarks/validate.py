"""How long an editor waits for `handbook validate` after saving a file, against a floor.

Measured in the same run and interleaved (these machines are noisy), on a copy of content/:
  baseline: a fresh interpreter that imports ruamel.yaml and parses every content file;
  validate: before each run one file is saved with a change (a new comment line, so its bytes
            change and its result cannot come from the cache), then a fresh interpreter runs
            `handbook validate` on the copy: the other files' results come from the cache
            between runs (`generator.core.file_cache`), filled by the warm-up run, and so do
            the reports of the regions not made of the saved file (`core.region_reports`).
            The saves alternate between the largest file of a region (that region is checked
            again) and the largest of the base (every region is); both medians are printed,
            the ratio is of all runs;
  for comparison: `handbook validate` with nothing kept (HANDBOOK_CACHE=0, as on a fresh
            machine or a first run), and the default round-trip parse of ruamel.yaml.
Prints the medians and, last, `ratio: N.NN` (validate after a save / baseline). Target: 2.5.
Usage: python benchmarks/validate.py [--runs N] [--content DIR] [--quick]
`--quick`: one run, no warm-up (for `make test`: it only has to run).
"""

from __future__ import annotations

import functools
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from timing import ROOT, arguments, interleaved, parse, print_ratios, run_commands

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

VALIDATE = "from generator.cli import entry; entry()"
FLOOR = "baseline: python + ruamel.yaml parse (libyaml)"
MEASURED = "handbook validate after saving one file"


def main() -> None:
    parser = arguments(runs=15)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parse(parser)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(args.content, content)
        files = sorted(content.rglob("*.y*ml"))
        regional = content / "regions"
        # The slowest file to read again of each kind: a region's (only that region is then
        # checked again) and the base's (every region is). The saves alternate between them.
        saved = [
            max((p for p in files if regional in p.parents), key=lambda p: p.stat().st_size),
            max((p for p in files if regional not in p.parents), key=lambda p: p.stat().st_size),
        ]
        originals = [p.read_text(encoding="utf-8") for p in saved]
        saves = iter(range(1_000_000))

        def save() -> None:
            n = next(saves)
            path, text = saved[n % 2], originals[n % 2]
            path.write_text(f"{text}# lagret {n}\n", encoding="utf-8")

        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        validate = [sys.executable, "-c", VALIDATE, "validate", "--content", str(content)]
        commands = {
            FLOOR: ([sys.executable, "-c", BASELINE, str(content), "safe"], None),
            MEASURED: (validate, env),
            "handbook validate, nothing kept (HANDBOOK_CACHE=0)": (
                validate,
                {**env, "HANDBOOK_CACHE": "0"},
            ),
            "python + ruamel.yaml parse (default round-trip)": (
                [sys.executable, "-c", BASELINE, str(content), "rt"],
                None,
            ),
        }
        for command, command_env in commands.values() if not args.quick else ():
            run_commands(command, env=command_env)  # the file cache, and the results' cache

        def job(name: str) -> tuple[float, float]:
            command, command_env = commands[name]
            if name == MEASURED:
                save()
            return run_commands(command, env=command_env)

        jobs = {name: functools.partial(job, name) for name in commands}
        times, cpu = interleaved(jobs, args.runs)
    size = sum(p.stat().st_size for p in args.content.rglob("*.y*ml"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"content: {len(files)} files, {size / 1024:.0f} KiB; medians of {args.runs} runs")
    for name, median in medians.items():
        print(f"  {name:<52} {median * 1000:6.0f} ms")
    for index, (kind, path) in enumerate(zip(("a region's", "the base's"), saved, strict=True)):
        runs = times[MEASURED][index::2]  # the saves alternate: a region's file first
        if runs:
            where = path.relative_to(content)
            print(
                f"    after saving {kind} file ({where}): {statistics.median(runs) * 1000:.0f} ms"
            )
    print_ratios(times[MEASURED], times[FLOOR], (cpu[MEASURED], cpu[FLOOR]))


if __name__ == "__main__":
    main()
