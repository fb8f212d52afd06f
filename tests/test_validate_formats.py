"""`handbook validate --region ID --format text|json|github|gitlab`: what CI and editors' tools
read. GitHub workflow commands escaped as actions/toolkit does; the GitLab Code Quality report as
GitLab documents it (description, check_name, fingerprint, severity, location.path/lines.begin)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.core.diagnostics import Diagnostic, Level
from generator.editor.report_formats import github, github_data, github_property, gitlab

from .conftest import FIXTURES

SOR = Path("content/regions/sor/region.yaml")
GOOD, BAD = "title: Pasientreiser i Sør", 'title: "Pasientreiser <b>i</b>, Sør: 100 %"'


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of fixtures/regions in a fresh working folder, so paths print as content/…"""
    shutil.copytree(FIXTURES / "regions", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return Path("content")


def _break(path: Path, old: str = GOOD, new: str = BAD) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return next(
        n for n, line in enumerate(new.join(text.split(old, 1)).splitlines(), 1) if new in line
    )


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["validate", "--content", "content", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_github_escaping_follows_the_toolkit() -> None:
    assert github_data("50 %\r\nneste: a,b") == "50 %25%0D%0Aneste: a,b"
    assert github_property("c:/x,y%\n") == "c%3A/x%2Cy%25%0A"


def test_github_annotations(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break(SOR)
    code, out, _ = _validate(capsys, "--format", "github")
    assert code == cli.EXIT_CONTENT
    lines = out.splitlines()
    assert len(lines) == 1, out
    prefix = f"::error file={SOR.as_posix()},line={line},col=12,title=markup-in-plain-text::"
    assert lines[0].startswith(prefix), lines[0]
    assert "%0Ahint: " in lines[0]  # the hint on its own line in the annotation


def test_github_properties_and_warnings_are_escaped() -> None:
    d = Diagnostic("a,b:c.yaml", 3, 4, Level.WARNING, "x", "100 % sikkert\nny linje", None)
    assert (
        github([d])
        == "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=x::100 %25 sikkert%0Any linje\n"
    )


def test_gitlab_code_quality_report(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break(SOR)
    code, out, _ = _validate(capsys, "--format", "gitlab")
    assert code == cli.EXIT_CONTENT
    issues = json.loads(out)
    assert isinstance(issues, list) and len(issues) == 1
    issue = issues[0]
    assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
    assert issue["check_name"] == "markup-in-plain-text"
    assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert issue["location"] == {"path": SOR.as_posix(), "lines": {"begin": line}}
    assert "ikke tillatt" in issue["description"] and "hint:" in issue["description"]
    assert len(issue["fingerprint"]) == 64


def test_gitlab_fingerprints_are_unique_and_survive_a_moved_line() -> None:
    same = [Diagnostic("f.yaml", n, 1, Level.ERROR, "c", "samme feil") for n in (3, 9)]
    first = [i["fingerprint"] for i in json.loads(gitlab(same))]
    assert len(set(first)) == 2
    moved = [Diagnostic("f.yaml", n + 2, 1, Level.ERROR, "c", "samme feil") for n in (3, 9)]
    assert [i["fingerprint"] for i in json.loads(gitlab(moved))] == first


def test_clean_content_gives_an_empty_report(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for output, empty in (("gitlab", []), ("github", None), ("json", None)):
        code, out, _ = _validate(capsys, "--format", output)
        assert code == cli.EXIT_OK
        if output == "gitlab":
            assert json.loads(out) == empty
        elif output == "github":
            assert out == ""
        else:
            assert json.loads(out) == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_json_report(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break(SOR)
    code, out, _ = _validate(capsys, "--format", "json")
    report = json.loads(out)
    assert code == cli.EXIT_CONTENT and report["errors"] == 1
    [d] = report["diagnostics"]
    assert (d["path"], d["line"], d["col"], d["level"]) == (SOR.as_posix(), line, 12, "error")
    assert d["hint"]


def test_region_checks_only_that_region(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topics = content / "regions/nord/topics"
    topics.mkdir()
    (topics / "ekstra.yaml").write_text(
        (content / "regions/sor/region.yaml")
        .read_text(encoding="utf-8")
        .split("topics:", 1)[0]
        .replace("handbook:", "x:", 1),
        encoding="utf-8",
    )
    code, out, _ = _validate(capsys, "--region", "nord")
    assert code == cli.EXIT_CONTENT and "regions/nord/topics/ekstra.yaml" in out
    code, out, err = _validate(capsys, "--region", "sor")
    assert code == cli.EXIT_OK, out
    assert "OK sor:" in err and "OK nord" not in err


def test_unknown_region_and_region_without_regions_are_usage_errors(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _validate(capsys, "--region", "vest")
    assert code == cli.EXIT_USAGE
    assert "fant ingen region «vest»" in err and "nord, sor" in err
    code = cli.main(["validate", "--content", str(FIXTURES / "minimal"), "--region", "sor"])
    assert code == cli.EXIT_USAGE
    assert "har ingen regioner" in capsys.readouterr().err
