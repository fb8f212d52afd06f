"""What the benchmarks share: runs interleaved with their baseline (these machines are noisy),
and the last lines that report them, ending with `ratio: N.NN`.

Not a benchmark of its own: each benchmark imports it as its neighbour (a script's folder is on
`sys.path`).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Job = Callable[[], tuple[float, float]]  # one run: (wall seconds, CPU seconds)
Runs = dict[str, list[float]]  # seconds of each run, by job name


def arguments(
    runs: int, quick: str = "one run, no warm-up", runs_help: str | None = None
) -> argparse.ArgumentParser:
    """The options every benchmark takes: `--runs N` and `--quick` (read with `parse`)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=runs, help=runs_help)
    parser.add_argument("--quick", action="store_true", help=quick)
    return parser


def parse(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The command line; with `--quick`, one run (`make test` only checks that it runs)."""
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    # As `make bench` does: where PYTHONDONTWRITEBYTECODE is set, a module changed since the
    # last compile would be compiled again in every run, and that is not the generator's time.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "generator"], check=True, cwd=ROOT)
    return args


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_commands(*commands: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the commands, one after the other, in the repository
    (with `env` as their environment, when given)."""
    start, cpu = time.perf_counter(), children_cpu()
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
    return time.perf_counter() - start, children_cpu() - cpu


def in_process(work: Callable[[], object]) -> Job:
    """A job that calls `work`: its wall time and this process's CPU time (all threads)."""

    def job() -> tuple[float, float]:
        start, used = time.perf_counter(), time.process_time()
        work()
        return time.perf_counter() - start, time.process_time() - used

    return job


def interleaved(jobs: dict[str, Job], runs: int) -> tuple[Runs, Runs]:
    """Every job once per round, `runs` rounds: (wall seconds, CPU seconds)."""
    times: Runs = {name: [] for name in jobs}
    cpu: Runs = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            wall, used = job()
            times[name].append(wall)
            cpu[name].append(used)
    return times, cpu


def print_ratios(
    measured: list[float],
    baseline: list[float],
    cpu: tuple[list[float], list[float]] | None = None,
    why_cpu: str = "",
) -> None:
    """The last lines: the ratio of each interleaved pair of runs (how noisy the machine was
    meanwhile), the ratio of the CPU times' medians (`cpu`: measured, baseline) and, last,
    `ratio: N.NN` of the medians."""
    ratios = [m / b for m, b in zip(measured, baseline, strict=True)]
    print(f"  ratio of each pair of runs: {min(ratios):.2f} to {max(ratios):.2f}")
    if cpu is not None:
        cpu_ratio = statistics.median(cpu[0]) / statistics.median(cpu[1])
        print(f"  CPU time ratio (medians{why_cpu}): {cpu_ratio:.2f}")
    print(f"ratio: {statistics.median(measured) / statistics.median(baseline):.2f}")
