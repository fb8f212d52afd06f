"""How the build grows with the number of regions: one region against 10 and 50.

For each size N (default 1, 10, 50) the content is synthetic but of the real shape: the real
national base and N copies of the real agder region, ids made unique per region
(benchmarks/synthetic.py). Each size is built with `handbook build --content C --out O` in a
fresh interpreter: every region into O/<region>/ and the portal at O/index.html.

Measured per size:
  build time   wall time of the whole build; the median of its runs. The sizes run interleaved
               (these machines are noisy); the smallest size runs `--runs` times, the others
               `--big-runs` times (one 50-region build already averages over 50 regions);
  peak RSS     the largest resident set of the build or any process it waited for (os.wait4);
  pages        index.html files under the regions' sites, and their mean size in bytes;
  portal       the portal's pages (everything outside the region folders: the front page and
               the comparison pages) are counted and sized separately: a comparison page shows
               every region, so it is expected to grow with N; a region's page is not;
  site/region  every file of the regions' sites, per region; and for the largest N, how much of
               that is byte for byte the same in every region (theme assets, Pagefind's runtime).
Targets (the issue): N=50 at most 55x the time of N=1, i.e. ratio <= 1.10; bytes per page flat.
The last line is `ratio: N.NN` = (time for the largest N / time for the smallest N) divided by
(largest N / smallest N): with the default sizes, (time for 50 / time for 1) / 50.

Usage: python benchmarks/scale.py [--sizes 1,10,50] [--runs 5] [--big-runs 2] [--keep DIR]
                                 [--source CONTENT] [--template REGION] [--quick]
`--quick`: sizes 1 and 2, one run each, no warm-up (for `make test`: it only has to run).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import TEMPLATE, make_content  # noqa: E402

HANDBOOK = "from generator.cli import entry; entry()"


@dataclass
class Size:
    regions: int
    content: Path
    out: Path
    region_ids: list[str]
    runs: int
    times: list[float] = field(default_factory=list)
    peak_rss_kib: int = 0
    pages: int = 0
    page_bytes: int = 0
    portal_pages: int = 0
    portal_bytes: int = 0
    largest_page: tuple[int, str] = (0, "")
    site_bytes: int = 0  # every file in the regions' folders

    @property
    def time(self) -> float:
        return statistics.median(self.times)


def build(size: Size, log: Path) -> tuple[float, int]:
    """One timed build of `size` into a fresh output folder: (seconds, peak RSS in KiB)."""
    if size.out.exists():
        shutil.rmtree(size.out)  # the build would delete the old site itself: not ours to time
    command = [
        sys.executable, "-c", HANDBOOK, "build",
        "--content", str(size.content), "--out", str(size.out),
    ]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(
            f"handbook build failed for {size.regions} regions "
            f"(exit {process.returncode}):\n{log.read_text(encoding='utf-8', errors='replace')}"
        )
    return elapsed, usage.ru_maxrss  # Linux: KiB


def count_pages(size: Size) -> None:
    """Pages and their bytes: the regions' index.html files, and the portal's pages apart."""
    region_dirs = {size.out / rid for rid in size.region_ids}
    missing = [d.name for d in region_dirs if not d.is_dir()]
    if missing:
        sys.exit(f"no site for regions {', '.join(sorted(missing)[:5])} in {size.out}")
    size.pages = size.page_bytes = size.portal_pages = size.portal_bytes = size.site_bytes = 0
    for page in size.out.rglob("*"):
        if not page.is_file():
            continue
        parts = page.relative_to(size.out).parts
        nbytes = page.stat().st_size
        if size.out / parts[0] in region_dirs:
            size.site_bytes += nbytes
            if page.name == "index.html":
                size.pages += 1
                size.page_bytes += nbytes
                size.largest_page = max(size.largest_page, (nbytes, "/".join(parts[1:])))
        elif page.suffix == ".html":
            size.portal_pages += 1
            size.portal_bytes += nbytes


def same_in_every_region(size: Size) -> dict[str, int]:
    """Bytes per region of the files that are byte for byte the same in every region's site,
    by top folder: what every region carries a copy of."""
    digests: dict[str, set[bytes]] = {}
    sizes: dict[str, int] = {}
    counts: dict[str, int] = {}
    for rid in size.region_ids:
        folder = size.out / rid
        for path in folder.rglob("*"):
            if path.is_file():
                rel = path.relative_to(folder).as_posix()
                digests.setdefault(rel, set()).add(hashlib.blake2b(path.read_bytes()).digest())
                sizes[rel] = path.stat().st_size
                counts[rel] = counts.get(rel, 0) + 1
    shared: dict[str, int] = {}
    for rel, found in digests.items():
        if len(found) == 1 and counts[rel] == len(size.region_ids):
            top = rel.split("/")[0] if "/" in rel else "(top)"
            shared[top] = shared.get(top, 0) + sizes[rel]
    return shared


def schedule(sizes: list[Size]) -> list[Size]:
    """Round-robin over the sizes, so a slow spell of the machine hits every size."""
    order: list[Size] = []
    for round_ in range(max(s.runs for s in sizes)):
        order += [s for s in sizes if round_ < s.runs]
    return order


def _mib(kib: int, digits: int = 0) -> str:
    return f"{kib / 1024:.{digits}f} MiB"


def report(sizes: list[Size]) -> None:
    first = sizes[0]
    head = (
        f"{'regions':>7} {'runs':>4} {'build':>9} {'per region':>10} {'growth':>7} "
        f"{'/N':>5} {'pages':>6} {'bytes/page':>10} {'portal pages':>12} "
        f"{'bytes/portal page':>17} {'site/region':>11} {'peak RSS':>9}"
    )
    print(head)
    print("-" * len(head))
    for s in sizes:
        growth = s.time / first.time
        per_page = s.page_bytes / s.pages if s.pages else 0
        per_portal = s.portal_bytes / s.portal_pages if s.portal_pages else 0
        print(
            f"{s.regions:>7} {len(s.times):>4} {s.time:>8.1f}s {s.time / s.regions:>9.2f}s "
            f"{growth:>6.1f}x {growth / (s.regions / first.regions):>5.2f} {s.pages:>6} "
            f"{per_page:>10.0f} {s.portal_pages:>12} {per_portal:>17.0f} "
            f"{_mib(s.site_bytes // 1024 // s.regions, 1):>11} {_mib(s.peak_rss_kib):>9}"
        )
    print()
    for s in sizes:
        spread = ", ".join(f"{t:.1f}" for t in sorted(s.times))
        print(
            f"{s.regions:>3} regions: runs {spread} s; largest page "
            f"{s.largest_page[0]} bytes ({s.largest_page[1]}); "
            f"pages per region {s.pages / s.regions:.0f}"
        )
    last = sizes[-1]
    if last.regions > 1:
        shared = same_in_every_region(last)
        total = sum(shared.values())
        parts = ", ".join(
            f"{name} {_mib(n // 1024, 1)}"
            for name, n in sorted(shared.items(), key=lambda x: -x[1])
        )
        print(
            f"identical in every region's site: {_mib(total // 1024, 1)} of "
            f"{_mib(last.site_bytes // 1024 // last.regions, 1)} per region ({parts})"
        )
    base_page = first.page_bytes / first.pages
    last_page = last.page_bytes / last.pages
    print(
        f"bytes/page: {base_page:.0f} -> {last_page:.0f} ({last_page / base_page - 1:+.1%}); "
        f"target: flat"
    )
    growth = last.time / first.time
    scale = last.regions / first.regions
    print(
        f"{last.regions} regions took {growth:.1f}x the time of {first.regions}; "
        f"target: at most {1.1 * scale:.0f}x"
    )
    print(f"ratio: {growth / scale:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,50", help="numbers of regions, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of the smallest size")
    parser.add_argument("--big-runs", type=int, default=2, help="runs of every other size")
    parser.add_argument("--keep", type=Path, help="build here and keep the content and sites")
    parser.add_argument("--source", type=Path, default=ROOT / "content", help="real content")
    parser.add_argument("--template", default=TEMPLATE, help="the region every region copies")
    parser.add_argument("--quick", action="store_true", help="sizes 1,2, one run, no warm-up")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs, args.big_runs = "1,2", 1, 1
    numbers = sorted({int(n) for n in args.sizes.split(",") if n.strip()})
    if not numbers or numbers[0] < 1:
        parser.error("--sizes: one or more numbers of regions, each at least 1")

    work = args.keep or Path(tempfile.mkdtemp(prefix="handbook-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sizes: list[Size] = []
        for n in numbers:
            content = work / f"content-{n}"
            ids = make_content(content, n, args.source, args.template)
            runs = args.runs if n == numbers[0] else args.big_runs
            sizes.append(Size(n, content, work / f"site-{n}", ids, max(1, runs)))
        warm = sizes[0]
        if not args.quick:
            print(
                f"warming up (one untimed build of {warm.regions} region(s)) ...", file=sys.stderr
            )
            build(warm, work / "build.log")  # .pyc files, the file cache, the theme's templates
        for s in schedule(sizes):
            elapsed, rss = build(s, work / f"build-{s.regions}.log")
            s.times.append(elapsed)
            s.peak_rss_kib = max(s.peak_rss_kib, rss)
            print(f"  {s.regions:>3} regions: {elapsed:6.1f} s, {_mib(rss)}", file=sys.stderr)
        for s in sizes:
            count_pages(s)  # the site of the last run of each size is still there
        report(sizes)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
