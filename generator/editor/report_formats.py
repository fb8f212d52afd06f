"""`handbook validate --format`: the diagnostics for people (text), for tools (json), and for the
Git hosts' merge-request views, so an editor who works in the web editor sees each error on its
line: GitHub Actions workflow commands (github) and a GitLab Code Quality report (gitlab).

GitHub: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
(`::error file=…,line=…,col=…,title=…::message`; escaping as in actions/toolkit's command.ts).
GitLab: https://docs.gitlab.com/ci/testing/code_quality/ (a JSON array of issues with
description, check_name, fingerprint, severity, location.path and location.lines.begin).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence

from generator.core.diagnostics import Diagnostic, Level

FORMATS = ("text", "json", "github", "gitlab")


def text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def _fields(diagnostic: Diagnostic) -> dict[str, object]:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "level": diagnostic.level.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    report = {
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [_fields(d) for d in diagnostics],
    }
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


def github_data(value: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped (the runner decodes them)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command's property value: as a message, and `:` and `,` too."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        command = "error" if d.level is Level.ERROR else "warning"
        props = ",".join(
            f"{key}={github_property(str(value))}"
            for key, value in (
                ("file", d.path),
                ("line", max(d.line, 1)),
                ("col", max(d.col, 1)),
                ("title", d.code),
            )
        )
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{command} {props}::{github_data(message)}\n")
    return "".join(lines)


def gitlab(diagnostics: Sequence[Diagnostic]) -> str:
    """The Code Quality report. The fingerprint leaves out the line, so an error above that moves
    a later one down does not make the later one «new»; equal problems in one file are told apart
    by their order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in diagnostics:
        key = (d.path, d.code, d.message)
        seen[key] += 1
        fingerprint = hashlib.sha256("\0".join([*key, str(seen[key])]).encode()).hexdigest()
        issues.append(
            {
                "description": d.message + (f" (hint: {d.hint})" if d.hint else ""),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": "major" if d.level is Level.ERROR else "minor",
                "location": {"path": d.path, "lines": {"begin": max(d.line, 1)}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=1) + "\n"


WRITERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "gitlab": gitlab,
}
