"""Shared by tests/test_deploy.py and tests/browser/test_deploy_browser.py: one region's two
editions, built once per session, and `deploy/serve` (the production nginx set-up) over them."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "deploy" / "serve"
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
REGION = "agder"


def require_nginx() -> None:
    """Skip without nginx; on CI (which installs it), fail instead."""
    if NGINX.exists():
        return
    message = f"{NGINX} is missing (apt-get install nginx)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def handbook(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    if check and result.returncode != 0:
        pytest.fail(f"handbook {' '.join(args)}:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result


def built_editions(base: Path) -> tuple[Path, Path]:
    """site/ and site-internal/ of one region (with the portal), built once per session: the
    folder is under the session's base temp, so both test modules share it."""
    site, internal = base / "deploy-build" / "site", base / "deploy-build" / "site-internal"
    if not (site / "index.html").exists():
        handbook("build", "--region", REGION, "--out", str(site))
    if not (internal / "index.html").exists():
        handbook("build", "--edition", "internal", "--region", REGION, "--out", str(internal))
    return site, internal


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    password: str
    log: Path


@contextlib.contextmanager
def serve(log: Path, *args: str) -> Iterator[Server]:
    """`deploy/serve PORT ARGS...` until the block ends; its output goes to `log`."""
    require_nginx()
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(SERVE), str(port), *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "Klar:" not in log.read_text(encoding="utf-8"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"deploy/serve did not start:\n{log.read_text()}", pytrace=False)
            time.sleep(0.05)
        text = log.read_text(encoding="utf-8")
        found = re.search(r"passord «([^»]+)»", text)
        yield Server(f"http://127.0.0.1:{port}", found.group(1) if found else "", log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
