"""Errors are data: every problem found in the content becomes a `Diagnostic`.

Why: editors must see every mistake in one run, so no stage raises on the first problem.
Each stage returns the diagnostics it found; the CLI and the MkDocs plugin print them in the
`path:line:col: level: message` form that editors and CI annotate.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the content, with its place in the file (1-based line and column)."""

    path: str
    line: int
    col: int
    level: Level
    code: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as editors know it: relative to the working directory when possible."""
    resolved = path.resolve()
    for root in (base.resolve() if base is not None else None, _resolved(os.getcwd())):
        if root is None:
            continue
        try:
            return resolved.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.as_posix()


@functools.lru_cache(maxsize=4)
def _resolved(folder: str) -> Path:
    """The working directory, resolved once per directory (every diagnostic and file asks)."""
    return Path(folder).resolve()


class ContentError(Exception):
    """Raised by adapters (build, plugin) when the content has errors; carries all of them."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
        super().__init__(f"{errors} feil i innholdet")

    def report(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)
