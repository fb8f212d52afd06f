"""How long an editor waits under `make serve` from saving a file to seeing the new text.

Measured in the same run, interleaved (these machines are noisy):
  baseline: a plain `mkdocs build` of the same pages (the generated pages written out as
            Markdown files, same theme, navigation and extensions; see build.py), in a fresh
            process: what MkDocs alone needs to make the pages;
  preview:  `mkdocs serve` of one region, as `make serve` starts it, on a copy of content/: a
            statement's text is changed and saved, and the served page is fetched over HTTP
            until it shows the new text.
Prints the medians and, last, `ratio: N.NN` (preview / baseline).
Usage: python benchmarks/preview.py [--runs N] [--quick]
`--quick`: one run, no warm-up (for `make test`: it only has to run).

Only the copy in a temporary folder is ever changed, so a benchmark that is killed cannot leave
the checkout changed; the file is put back and the server stopped whatever happens.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from build import _plain_project
from timing import ROOT, arguments, parse, print_ratios, run_commands

REGION = "agder"
EDITED = Path("regions/agder/topics/02-henvisning.yaml")  # inside content/
LINE = "text: LIB-listen skal være oppdatert i henvisningen."
PAGE = "emner/henvisning/"  # the page that shows the statement
STARTUP_TIMEOUT = 110.0  # the first build makes every page and card
SAVE_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(work: Path, content: Path) -> Path:
    """mkdocs.yml for the copy: the real one, with every folder it names made absolute."""
    path = work / "mkdocs.yml"
    path.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {ROOT / 'overrides' / 'docs'}\n"
        f"site_dir: {work / 'serve-site'}\n"
        f"theme:\n  custom_dir: {ROOT / 'overrides' / 'theme'}\n"
        "plugins:\n"
        "  - handbook:\n"
        f"      content: {content}\n"
        f"      templates: {ROOT / 'overrides' / 'handbook'}\n"
        f"      cards: {ROOT / 'overrides' / 'cards'}\n"
        f"      releases: {ROOT / 'releases'}\n"
        f"      error_examples: {ROOT / 'tests' / 'fixtures' / 'bad'}\n"
        f"      region: {REGION}\n",
        encoding="utf-8",
    )
    return path


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(url: str, text: str, timeout: float, server: subprocess.Popen[bytes]) -> float:
    """Seconds until the page at `url` contains `text`; polls every 20 ms."""
    start = time.perf_counter()
    while text not in _fetch(url):
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve stopped (exit {server.returncode})")
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - start


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its children (it runs in a session of its own)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _plain_build(config: Path, site: Path) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    return run_commands(command)[0]


def main() -> None:
    args = parse(arguments(runs=7))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        edited = content / EDITED
        original = edited.read_text(encoding="utf-8")
        assert original.count(LINE) == 1, f"{EDITED} no longer has {LINE!r}"
        plain_config, plain_site = _plain_project(work / "plain"), work / "plain-site"
        port = _free_port()
        url = f"http://127.0.0.1:{port}/{PAGE}"
        serve = ["serve", "-f", str(_config(work, content)), "--dev-addr", f"127.0.0.1:{port}"]
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *serve],
            cwd=ROOT,
            env={**os.environ, "HANDBOOK_REGION": REGION},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped with all it started
        )
        try:
            started = _wait_for(url, "</html>", STARTUP_TIMEOUT, server)  # any page
            times: dict[str, list[float]] = {"baseline": [], "preview": []}
            runs = range(-1 if not args.quick else 0, args.runs)  # run -1 warms the caches
            for run in runs:
                baseline = _plain_build(plain_config, plain_site)
                marker = f"Kontrollmerke{run + 2}x"
                edited.write_text(original.replace(LINE, f"{LINE} {marker}"), encoding="utf-8")
                preview = _wait_for(url, marker, SAVE_TIMEOUT, server)
                if run >= 0:
                    times["baseline"].append(baseline)
                    times["preview"].append(preview)
        finally:
            edited.write_text(original, encoding="utf-8")
            _stop(server)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"mkdocs serve of region {REGION}: first page after {started:.1f} s")
    print(f"medians of {args.runs} runs:")
    print(f"  {'baseline: plain mkdocs build of the same pages':<50} {medians['baseline']:6.2f} s")
    print(f"  {'preview: save -> new text served (mkdocs serve)':<50} {medians['preview']:6.2f} s")
    print_ratios(times["preview"], times["baseline"])


if __name__ == "__main__":
    main()
