"""Kill the build at every point of the swap: `--out` is always the old site or the new one, the
next build puts back or removes what the killed one left, and no worker outlives its build.

The build kills itself where HANDBOOK_TEST_KILL_AT says (a test hook, see generator/build/swap.py);
HANDBOOK_TEST_SWAP=rename makes it take the two-rename swap used where the atomic exchange is
missing. Every build here is of the small fixture region, in its own process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from generator.build.swap import BuildFailed, build_site

from .conftest import FIXTURES, ROOT

CONTENT = FIXTURES / "regions"
MARKER = "old-site.txt"  # only in the old site


def _build(out: Path, **env: str) -> tuple[int, str]:
    """(exit code, output) of a build of the fixture region into `out`, in a process of its own.
    The output goes to a file, not a pipe: a worker left alive would hold a pipe open for ever."""
    command = [sys.executable, "-m", "generator.cli", "build", "--region", "nord"]
    command += ["--config", str(ROOT / "mkdocs.yml"), "--content", str(CONTENT), "--out", str(out)]
    with tempfile.TemporaryFile("w+") as log:
        code = subprocess.run(
            command, env={**os.environ, **env}, stdout=log, stderr=log, check=False, timeout=300
        ).returncode
        log.seek(0)
        return code, log.read()


def _listing(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "site"
    code, output = _build(out)
    assert code == 0, output
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Content with an error: a build of it stops at once, after recovering."""
    content = tmp_path_factory.mktemp("broken") / "content"
    shutil.copytree(CONTENT, content)
    region = content / "regions" / "nord" / "region.yaml"
    region.write_text(
        region.read_text(encoding="utf-8").replace("responsible: gp", "responsible: x")
    )
    return content


def _old_site(new_site: Path, folder: Path) -> Path:
    out = folder / "site"
    shutil.copytree(new_site, out)
    (out / MARKER).write_text("den forrige utgaven\n")
    return out


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _processes_with(token: str) -> list[int]:
    """Processes started from the build with this token in its environment: it and its worker."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if f"HANDBOOK_TEST_TOKEN={token}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


def _no_process_left(token: str) -> None:
    """Wait (a killed worker takes a moment to go) until none is left; then say which remain."""
    for _ in range(100):
        if not _processes_with(token):
            return
        time.sleep(0.1)
    left = _processes_with(token)
    for pid in left:  # do not leave them to the rest of the run
        os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"processes outlived the killed build: {left}")


def _kill_at(point: str, out: Path, swap: str = "") -> list[str]:
    """Run a build that kills itself at `point`; its leftovers beside `out`."""
    token = uuid.uuid4().hex
    code, output = _build(
        out, HANDBOOK_TEST_KILL_AT=point, HANDBOOK_TEST_SWAP=swap, HANDBOOK_TEST_TOKEN=token
    )
    assert code == -signal.SIGKILL, f"not killed at {point}:\n{output}"
    _no_process_left(token)
    return _leftovers(out)


@pytest.mark.parametrize(
    ("point", "swap", "shows"),
    [
        ("mkdocs-worker-alive", "", "old"),
        ("before-swap", "", "old"),
        ("after-swap", "", "new"),  # the exchange done, the old site not yet removed
        ("after-swap", "rename", "new"),
    ],
)
def test_a_killed_build_leaves_the_old_or_the_new_site(
    point: str, swap: str, shows: str, new_site: Path, broken: Path, tmp_path: Path
) -> None:
    out = _old_site(new_site, tmp_path)
    left = _kill_at(point, out, swap)
    assert left, "the kill came after the build had cleaned up: it tests nothing"
    expected = _listing(new_site) + ([MARKER] if shows == "old" else [])
    assert _listing(out) == sorted(expected)

    # A build that stops on a content error still cleans up first, and keeps `out` as it is.
    with pytest.raises(BuildFailed):
        build_site(ROOT / "mkdocs.yml", out, broken, regions=["nord"])
    assert _listing(out) == sorted(expected)
    assert _leftovers(out) == []


def test_killed_between_the_two_renames_the_next_build_puts_the_old_site_back(
    new_site: Path, broken: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = _old_site(new_site, tmp_path)
    alive = out.with_name(f".site.building-{os.getpid()}-running")  # a build still at work
    alive.mkdir()
    left = _kill_at("between-renames", out, swap="rename")
    assert not out.exists()  # the one moment the two-rename swap has no site: why it recovers
    assert any(name.startswith(".site.old-") for name in left)

    with pytest.raises(BuildFailed):
        build_site(ROOT / "mkdocs.yml", out, broken, regions=["nord"])
    assert "la tilbake nettstedet" in caplog.text
    assert _listing(out) == sorted([*_listing(new_site), MARKER])
    assert _leftovers(out) == [alive.name]  # a live build's folder is not touched


def test_after_a_kill_the_next_build_swaps_in_a_complete_site(
    new_site: Path, tmp_path: Path
) -> None:
    out = _old_site(new_site, tmp_path)
    _kill_at("before-swap", out)
    code, output = _build(out)
    assert code == 0, output
    assert _listing(out) == _listing(new_site)
    assert _leftovers(out) == []
