"""The `handbook` command speaks Norwegian all the way: argparse's help and usage errors too, and
MkDocs' theme prints no English end-of-life notice, even without NO_MKDOCS_2_WARNING."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ("usage", "options", "show this help", "positional arguments", "error:", "required")
COMMANDS = ("validate", "build", "cards", "schema", "release", "new", "review", "fmt", "publish")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def _no_english(text: str) -> None:
    found = [word for word in ENGLISH if word in text.lower()]
    assert not found, f"English {found} in:\n{text}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "handbook: feil i kommandoen: dette mangler: KOMMANDO"),
        (("validate", "--nope"), "handbook: feil i kommandoen: ukjente argumenter: --nope"),
        (("publish",), "handbook: feil i kommandoen: dette mangler: --to"),
        (("review", "--days", "x"), "handbook: feil i kommandoen: --days: ugyldig verdi: 'x'"),
        (("new", "bogus", "x"), "ugyldig valg: 'bogus' (velg en av 'topic', 'route'"),
        (("bogus",), "KOMMANDO: ugyldig valg: 'bogus' (velg en av 'validate'"),
        (("review", "--days"), "handbook: feil i kommandoen: --days: mangler en verdi"),
    ],
)
def test_usage_errors_are_norwegian(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == cli.EXIT_USAGE
    assert err.startswith("bruk: handbook"), err
    assert message in err, err
    _no_english(out + err)


@pytest.mark.parametrize("command", [None, *COMMANDS, "audit"])
def test_help_is_norwegian(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    code, out, _ = _run(capsys, *([command] if command else []), "--help")
    assert code == 0
    assert out.startswith("bruk: handbook") and "vis denne hjelpen og avslutt" in out, out
    assert "valg:" in out
    _no_english(out)
    assert "MAPPE" in out or command in (None, "schema", "new"), out  # not «--content CONTENT»


def test_argparse_is_english_again_afterwards(capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "--help")
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]  # pytest's own


def _load_config(config: Path) -> str:
    """Load a mkdocs.yml as `mkdocs` does (Material checks sys.argv[0]), without the variable."""
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    code = (
        "import sys; sys.argv = ['mkdocs']\n"
        "from mkdocs.config import load_config\n"
        f"load_config({str(config)!r})\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_no_english_end_of_life_notice_without_the_variable(tmp_path: Path) -> None:
    assert "end of life" not in _load_config(ROOT / "mkdocs.yml")
    # The same file without the line that silences it shows the notice: the check can fail.
    plain = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plain.write_text(
        "\n".join(line for line in text.splitlines() if "quiet_theme" not in line)
        .replace("docs_dir: overrides/docs", f"docs_dir: {ROOT / 'overrides/docs'}")
        .replace("custom_dir: overrides/theme", f"custom_dir: {ROOT / 'overrides/theme'}"),
        encoding="utf-8",
    )
    assert "end of life" in _load_config(plain)
