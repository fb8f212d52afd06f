"""Problems with the file system and mkdocs.yml are clear Norwegian messages that name the
path, with exit 2 (1 for an unreadable content file), never a traceback or «intern feil».

Every case runs the real command in a subprocess. Root ignores file modes, so the tests that
use chmod skip as root; the others (a file where a folder should be, /dev/full, a folder in
/sys, a broken mkdocs.yml) work for anyone.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.yaml_loader import load_file, unreadable
from generator.editor.fmt import FormatError, format_file
from generator.io_errors import explain, site_url_problem

from .conftest import FIXTURES, ROOT

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
MINIMAL = str(FIXTURES / "minimal")


def _handbook(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def _refused(run: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The command's error output, after checking it stopped cleanly with `code`."""
    output = run.stdout + run.stderr
    assert run.returncode == code, output
    assert "Traceback" not in output and "intern feil" not in output, output
    for word in words:
        assert word in output, output
    return output


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "en-fil"
    path.write_text("ikke en mappe\n", encoding="utf-8")
    return path


def test_content_that_is_a_file(a_file: Path) -> None:
    for command in ("validate", "build"):
        run = _handbook(command, "--content", str(a_file))
        _refused(run, 2, f"innholdsmappen «{a_file}» er en fil, men må være en mappe")


def test_out_that_is_a_file_or_inside_one(a_file: Path) -> None:
    for out in (a_file, a_file / "site"):
        run = _handbook("build", "--content", MINIMAL, "--out", str(out))
        _refused(run, 2, f"«{a_file}» er en fil, men må være en mappe", "hint:")
    assert a_file.read_text(encoding="utf-8") == "ikke en mappe\n"
    run = _handbook("cards", "--content", MINIMAL, "--out", str(a_file))
    _refused(run, 2, f"«{a_file}» er en fil, men må være en mappe")
    run = _handbook("release", "--content", MINIMAL, "--releases", str(a_file))
    _refused(run, 2, f"«{a_file}» er en fil, men må være en mappe")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk(tmp_path: Path) -> None:
    """/dev/full refuses every write with ENOSPC: the release file is a link to it."""
    releases = tmp_path / "releases"
    releases.mkdir()
    today = dt.date.today()
    for day in (today, today + dt.timedelta(days=1)):  # the command may start after midnight
        (releases / f"{day.isoformat()}.json").symlink_to("/dev/full")
    run = _handbook("release", "--content", MINIMAL, "--releases", str(releases))
    _refused(run, 2, "disken er full", f"«{releases}/", ".json»", "frigjør plass")


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs /sys")
def test_an_out_folder_nobody_may_create() -> None:
    """Nobody, root included, makes folders in /sys (EPERM, or EROFS where it is read-only)."""
    run = _handbook("build", "--content", MINIMAL, "--out", "/sys/handbok-test-site")
    output = _refused(run, 2, "«/sys»")
    assert "har ikke tilgang" in output or "bare kan leses" in output


@pytest.mark.skipif(AS_ROOT, reason="root ignores file modes")
def test_an_unwritable_out_parent(tmp_path: Path) -> None:
    parent = tmp_path / "skrivebeskyttet"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        run = _handbook("build", "--content", MINIMAL, "--out", str(parent / "site"))
    finally:
        parent.chmod(0o700)
    _refused(run, 2, f"har ikke tilgang til mappen «{parent}»")


@pytest.mark.skipif(AS_ROOT, reason="root ignores file modes")
def test_an_unreadable_content_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "topic.yaml").chmod(0)
    try:
        run = _handbook("validate", "--content", str(content))
    finally:
        (content / "topic.yaml").chmod(0o600)
    output = _refused(run, 1, "topic.yaml:1:1: error: kan ikke lese filen: mangler lesetilgang")
    assert "hint: gi deg selv lesetilgang" in output and "Permission denied" not in output


def test_a_content_file_that_cannot_be_read_is_explained_in_norwegian(tmp_path: Path) -> None:
    """Works as root too: a folder cannot be read as a file, and the rest by their numbers."""
    folder = tmp_path / "topic.yaml"
    folder.mkdir()
    loaded, problems = load_file(folder, "topic.yaml")
    assert loaded is None
    assert [p.format() for p in problems] == [
        "topic.yaml:1:1: error: kan ikke lese filen: det er en mappe [io]\n"
        "    hint: gi mappen et navn som ikke slutter på .yaml"
    ]
    with pytest.raises(FormatError) as raised:
        format_file(folder, check=True)
    assert raised.value.message == "kan ikke lese filen: det er en mappe"
    for code in (errno.EACCES, errno.EPERM, errno.ENOENT, errno.ELOOP, errno.EIO, errno.EBUSY):
        message, _ = unreadable(OSError(code, os.strerror(code), "topic.yaml"))
        assert message.startswith("kan ikke lese filen"), message
        assert os.strerror(code) not in message, (code, message)
    assert unreadable(OSError(errno.EACCES, "Permission denied")) == (
        "kan ikke lese filen: mangler lesetilgang",
        "gi deg selv lesetilgang (chmod u+r på filen) eller be den som eier filen om det",
    )


@pytest.mark.parametrize(
    ("site_url", "commands"),
    [('"htp:/x"', ("build", "cards")), ('"https://handbok sshf.no/"', ("build",))],
)
def test_a_malformed_site_url_is_a_config_error(
    tmp_path: Path, site_url: str, commands: tuple[str, ...]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\nsite_url: {site_url}\n", encoding="utf-8")
    for command in commands:
        out = str(tmp_path / "out")
        run = _handbook(command, "--content", MINIMAL, "--config", str(config), "--out", out)
        _refused(run, 2, "mkdocs.yml:2:11: error: site_url «", "er ikke en gyldig nettadresse")
    assert not (tmp_path / "out").exists()


def test_another_mistake_in_mkdocs_yml_stops_before_building(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\ndocs_dir: finnes-ikke\n", encoding="utf-8")
    out = tmp_path / "out"
    run = _handbook("build", "--content", MINIMAL, "--config", str(config), "--out", str(out))
    _refused(run, 2, "docs_dir", f"handbook: {config} har feil")
    assert not out.exists()


def test_every_error_number_gets_a_norwegian_message_naming_the_path() -> None:
    path = "/srv/handbok/site"
    for code in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EISDIR,
        errno.ENOENT,
        errno.ENAMETOOLONG,
        errno.ELOOP,
        errno.EIO,
        errno.EEXIST,
    ):
        message, _ = explain(OSError(code, os.strerror(code), path))
        assert path in message, (code, message)
        assert os.strerror(code) not in message, (code, message)
    # A write that fails at close says no file name: the command's output is named instead.
    message, _ = explain(OSError(errno.ENOSPC, "No space left on device"), Path(path))
    assert message == f"disken er full; fikk ikke skrevet «{path}»"


def test_site_urls() -> None:
    for good in ("", "https://handbok.sshf.no/", "http://localhost:8000/", "https://a.no/agder/"):
        assert site_url_problem(good) is None, good
    for bad in (
        "htp:/x",
        "https://a b/",
        "https://",
        "https://a.no/?x=1",
        'https://a.no/">',
        "javascript:alert(1)",
        "https://a.no:port/",
    ):
        assert site_url_problem(bad) is not None, bad
