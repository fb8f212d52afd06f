"""The `handbook` command as editors and CI use it: output format and exit codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli

from .conftest import FIXTURES
from .test_bad_inputs import _header

FILE_STAGE = {
    "yaml-syntax",
    "yaml-anchor",
    "yaml-tag",
    "encoding",
    "empty-file",
    "duplicate-key",
    "not-mapping",
    "unknown-key",
    "missing-field",
    "not-text",
    "not-bool",
    "not-list",
    "bad-choice",
    "bad-id",
    "bad-date",
    "bad-phone",
    "bad-keys",
    "empty-list",
    "markdown",
}

LINE = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning): .+ \[[a-z0-9-]+\]$")


def _content(tmp_path: Path, *bad: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    for name in bad:
        shutil.copyfile(FIXTURES / "bad" / name, content / name)
    return content


def test_clean_content_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--content", str(_content(tmp_path))]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "OK: 1 emner, 1 utsagn, 1 telefonveier, 1 meldingstyper" in err


def test_all_errors_of_all_files_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _content(tmp_path, "yaml-tab-indent.yaml", "unknown-key-typo.yaml", "bad-id.yaml")
    assert cli.main(["validate", "--content", str(content)]) == 1
    out, err = capsys.readouterr()
    reported = [ln for ln in out.splitlines() if not ln.startswith("    hint: ")]
    assert all(LINE.match(ln) for ln in reported), reported
    files = {ln.split(":")[0].rsplit("/", 1)[-1] for ln in reported}
    assert files == {"yaml-tab-indent.yaml", "unknown-key-typo.yaml", "bad-id.yaml"}
    assert "3 feil" in err


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, "internal-without-reason.yaml")
    assert cli.main(["validate", "--content", str(content)]) == 0
    assert cli.main(["validate", "--content", str(content), "--strict"]) == 1
    out, _ = capsys.readouterr()
    assert ": warning: " in out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["validate", "--nope"])
    assert exc.value.code == 2
    assert cli.main(["validate", "--content", str(tmp_path / "finnes-ikke")]) == 2
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert "finner ikke innholdsmappen" in err


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = sorted(p.name for p in (FIXTURES / "bad").glob("*.yaml"))
    content = _content(tmp_path, *bad)
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--content", str(content)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    # Every fixture whose mistake is found per file (syntax or schema) is named in this one run;
    # the cross-file checks wait until every file passes, so their fixtures are not expected here.
    named = {
        ln.split(":")[0].rsplit("/", 1)[-1] for ln in run.stdout.splitlines() if ": error: " in ln
    }
    per_file = set()
    # A topic's review and statements are optional in the schema (the national base has empty,
    # unreviewed chapters); the checks require them, so these two wait for every file too.
    checked_later = {"missing-review.yaml", "empty-statements.yaml"}
    for name in sorted(set(bad) - checked_later):
        expected, _ = _header((FIXTURES / "bad" / name).read_bytes())
        if any(e.startswith(f"{name}:") and e.split("[")[-1][:-1] in FILE_STAGE for e in expected):
            per_file.add(name)
    assert len(per_file) > 25
    assert per_file <= named


def test_internal_error_is_reported_as_a_bug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _content(tmp_path)
    # An unreadable content directory is an OS-level surprise the pipeline does not expect.
    monkeypatch.setattr(Path, "rglob", lambda *a, **k: (_ for _ in ()).throw(OSError("disk")))
    assert cli.main(["validate", "--content", str(content)]) == 3
    _, err = capsys.readouterr()
    assert "intern feil i generatoren" in err
    assert "ikke en feil i innholdet ditt" in err
