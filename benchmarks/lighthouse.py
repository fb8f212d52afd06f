"""Lighthouse scores of a region's pages, served the way production serves them.

Builds one region (`handbook build --region R`), serves it with `deploy/serve` (the production
nginx configuration: precompressed .gz files, the cache and security headers, the CSP) and runs
Lighthouse 12 (npm) in Debian's Chromium, headless, with its default mobile preset (a mid-range
phone: 4x CPU slowdown, slow 4G, simulated) over the start page, a topic page, «Hvem ringer
jeg?» and the search page. Lighthouse is installed with npm into benchmarks/.node/ (git-ignored)
on first use.

Prints, per page, the median of each category's score over the runs (performance,
accessibility, best practices, SEO) with the metrics behind the performance score, and the
audits Lighthouse fails on pages below the goal. Goal: performance >= 95, the other three 100.
The last line is `ratio: N.NN` = 100 / the lowest median performance score (a perfect score is
the floor): at most 1.05 meets the goal.

Simulated throttling multiplies the CPU time measured on this machine: on a slow or busy
machine (Lighthouse prints its benchmark index; its 4x is calibrated for about 1500) the
blocking time, and so the performance score, is worse than the phone it emulates would see;
`--cpu-slowdown X` sets another multiplier (Lighthouse's docs/throttling.md has the table).

Usage: python benchmarks/lighthouse.py [--runs N] [--region ID] [--reports DIR]
                                      [--cpu-slowdown X] [--quick]
`--quick`: the start page, one run (for `make test`: it only has to run).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "12.8.2"
NODE_DIR = ROOT / "benchmarks" / ".node"
INSTALL = NODE_DIR / f"lighthouse-{VERSION}"
CLI = INSTALL / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path("/usr/bin/chromium")
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
# The topic page: the first of these the region has, else its first topic.
TOPICS = ("henvisning", "epikrise")
NPM_FLAGS = ("--no-audit", "--no-fund", "--loglevel=error")
ATTEMPTS = 3  # Lighthouse sometimes loses the trace (NO_NAVSTART); such a run is repeated


def _fail(message: str) -> None:
    print(f"lighthouse.py: {message}", file=sys.stderr)
    sys.exit(2)


def _lighthouse() -> Path:
    """Lighthouse's CLI, installed with npm on first use (under a lock, into a temporary folder
    renamed into place, so a parallel or interrupted install never leaves half a tree)."""
    if CLI.is_file():
        return CLI
    npm = shutil.which("npm")
    if npm is None:
        _fail("npm is missing (apt-get install nodejs npm)")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    with (NODE_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CLI.is_file():
            return CLI
        started = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix="install-", dir=NODE_DIR))
        try:
            done = subprocess.run(
                [npm, "install", "--prefix", str(work), *NPM_FLAGS, f"lighthouse@{VERSION}"],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                _fail(f"npm install lighthouse@{VERSION} failed:\n{done.stderr[-3000:]}")
            work.rename(INSTALL)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"installed lighthouse@{VERSION} in {time.perf_counter() - started:.0f} s")
    return CLI


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _serve(site: Path, work: Path) -> Iterator[str]:
    """`deploy/serve` over the built site until the block ends; yields the base URL."""
    port, log = _free_port(), work / "serve.log"
    site_args = ["--site", str(site), "--internal", str(work / "no-internal")]
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "serve"), str(port), *site_args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "Klar:" not in log.read_text(encoding="utf-8"):
            if server.poll() is not None or time.monotonic() > deadline:
                _fail(f"deploy/serve did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _pages(site: Path, region: str, quick: bool) -> dict[str, str]:
    """Name -> path under the server: the start page, a topic, «Hvem ringer jeg?», search."""
    topics = site / region / "emner"
    names = sorted(p.name for p in topics.iterdir() if (p / "index.html").is_file())
    if not names:
        _fail(f"the region {region} has no topic pages")
    topic = next((name for name in TOPICS if name in names), names[0])
    pages = {
        "start": f"/{region}/",
        f"topic ({topic})": f"/{region}/emner/{topic}/",
        "Hvem ringer jeg?": f"/{region}/telefonvei/",
        "search": f"/{region}/sok/",
    }
    for path in pages.values():
        if not (site / path.strip("/") / "index.html").is_file():
            _fail(f"{path} is not in the built site")
    return dict(list(pages.items())[:1]) if quick else pages


def _run_node(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Lighthouse's CLI; stopped by SIGINT when this script is interrupted or it hangs, so that
    it closes the Chromium it started (which runs in a process group of its own)."""
    with subprocess.Popen(
        ["node", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as node:
        try:
            stdout, stderr = node.communicate(timeout=180)
        except BaseException:
            node.send_signal(signal.SIGINT)
            try:
                node.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                node.kill()
            raise
    return subprocess.CompletedProcess(node.args, node.returncode, stdout, stderr)


def _audit(cli: Path, url: str, out: Path, extra: list[str]) -> dict:
    """One Lighthouse run of one page (repeated when Lighthouse reports a runtime error)."""
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    flags = ["--quiet", "--output=json", f"--only-categories={','.join(CATEGORIES)}"]
    flags += [f"--chrome-flags={CHROME_FLAGS}", *extra]
    problem = ""
    for _ in range(ATTEMPTS):
        out.unlink(missing_ok=True)
        try:
            done = _run_node([str(cli), url, *flags, f"--output-path={out}"], env)
        except subprocess.TimeoutExpired:
            problem = "no report within 180 s"
            continue
        if done.returncode == 0 and out.is_file():
            report = json.loads(out.read_text(encoding="utf-8"))
            error = report.get("runtimeError", {}).get("code")
            if not error and all(report["categories"][c]["score"] is not None for c in CATEGORIES):
                return report
            problem = error or "a category without a score"
        else:
            problem = done.stderr[-2000:]
    _fail(f"Lighthouse failed {ATTEMPTS} times on {url}: {problem}")
    raise AssertionError  # not reached


def _scores(report: dict) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def _failed_audits(report: dict) -> set[str]:
    """The audits of a report's categories that are not passed (score below 0.9): the weighted
    ones and, for performance, the opportunities and diagnostics behind the metrics."""
    failed = set()
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            mode, score = audit.get("scoreDisplayMode"), audit.get("score")
            counts = ref.get("weight", 0) > 0 or category == "performance"
            scored = mode in ("binary", "numeric", "metricSavings") and score is not None
            if counts and scored and score < 0.9:
                shown = audit.get("displayValue", "")
                failed.add(f"{category}: {audit['id']}" + (f" ({shown})" if shown else ""))
    return failed


def _metrics(report: dict) -> str:
    parts = []
    for audit, label in METRICS.items():
        value = report["audits"][audit]["numericValue"]
        parts.append(f"{label} {value:.3f}" if label == "CLS" else f"{label} {value:.0f} ms")
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--region", default="agder")
    parser.add_argument("--quick", action="store_true", help="the start page, one run")
    parser.add_argument("--reports", type=Path, help="keep each run's JSON report in this folder")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        help="CPU slowdown instead of the preset's 4x (to match a slow machine; see above)",
    )
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    # Stopped (a test's timeout, Ctrl+C): the cleanup below still stops nginx and Chromium.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for tool, hint in ((CHROMIUM, "apt-get install chromium"), (NGINX, "apt-get install nginx")):
        if not tool.exists():
            _fail(f"{tool} is missing ({hint})")
    if shutil.which("node") is None:
        _fail("node is missing (apt-get install nodejs npm)")
    with ThreadPoolExecutor(1) as pool, tempfile.TemporaryDirectory() as tmp:
        installed = pool.submit(_lighthouse)  # on first use, npm installs while the site builds
        work = Path(tmp)
        site = work / "site"
        build_args = ["--region", args.region, "--out", str(site)]
        built = subprocess.run(
            [sys.executable, "-m", "generator.cli", "build", *build_args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if built.returncode != 0:
            _fail(f"handbook build failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
        pages = _pages(site, args.region, args.quick)
        cli = installed.result()
        reports: dict[str, list[dict]] = {name: [] for name in pages}
        extra = []
        if args.cpu_slowdown is not None:
            extra.append(f"--throttling.cpuSlowdownMultiplier={args.cpu_slowdown}")
        with _serve(site, work) as base:
            for _ in range(args.runs):  # pages interleaved: the machine's noise spreads evenly
                for name, path in pages.items():
                    report = _audit(cli, base + path, work / "report.json", extra)
                    reports[name].append(report)
                    if args.reports is not None:
                        args.reports.mkdir(parents=True, exist_ok=True)
                        run = len(reports[name])
                        file = f"{path.strip('/').replace('/', '_')}-{run}.json"
                        shutil.copyfile(work / "report.json", args.reports / file)
    first = next(iter(reports.values()))[0]
    settings = first["configSettings"]
    every = [report for runs in reports.values() for report in runs]
    index = statistics.median(report["environment"]["benchmarkIndex"] for report in every)
    print(
        f"Lighthouse {first['lighthouseVersion']}, {settings['formFactor']} preset "
        f"(CPU slowdown {settings['throttling']['cpuSlowdownMultiplier']:g}x), "
        f"{first['environment']['hostUserAgent'].split(') ')[-1]}, median of {args.runs} run(s)"
    )
    print(f"benchmark index of this machine: {index:.0f} (4x is meant for about 1500)")
    worst = 100
    below: dict[str, set[str]] = {}
    for name, runs in reports.items():
        medians = {c: round(statistics.median(_scores(r)[c] for r in runs)) for c in CATEGORIES}
        worst = min(worst, medians["performance"])
        perf = sorted(_scores(r)["performance"] for r in runs)
        spread = f" (runs {perf[0]}-{perf[-1]})" if len(perf) > 1 else ""
        scores = "  ".join(f"{c} {medians[c]:3d}" for c in CATEGORIES)
        print(f"  {name:<26} {scores}{spread}")
        median_run = sorted(runs, key=lambda r: _scores(r)["performance"])[len(runs) // 2]
        print(f"  {'':<26} {_metrics(median_run)}")
        if any(medians[c] < GOAL[c] for c in CATEGORIES):
            below[name] = _failed_audits(median_run)
    for name, audits in below.items():
        print(f"below the goal on {name}; failed audits (the median run):")
        for audit in sorted(audits):
            print(f"    {audit}")
    met = "met" if not below else "not met"
    print(f"goal (performance >= 95, the other three 100): {met}")
    print(f"ratio: {100 / max(worst, 1):.2f}")


if __name__ == "__main__":
    main()
