"""load → validate → index → check: the whole content pipeline in one readable function.

Nothing here knows about MkDocs or the command line; both call `load_handbook`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from generator import checks
from generator.diagnostics import Diagnostic, Level, display_path, has_errors
from generator.handbook import Handbook, iter_entries
from generator.model import ContentFile
from generator.schema_errors import translate_all
from generator.yaml_loader import LoadedFile, load_file

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass
class Result:
    handbook: Handbook | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not has_errors(self.diagnostics)


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*") if p.suffix in CONTENT_SUFFIXES and p.is_file())


def validate_file(loaded: LoadedFile) -> tuple[ContentFile | None, list[Diagnostic]]:
    """The schema stage for one file."""
    if not isinstance(loaded.data, dict):
        return None, [
            loaded.diagnostic(
                (),
                "not-mapping",
                "filen må bestå av felt som «topics:», «routes:» eller «glossary:»",
                "se en av de andre filene i content/ for et eksempel",
            )
        ]
    try:
        return ContentFile.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, translate_all(exc, loaded, ContentFile)


def index(files: list[tuple[LoadedFile, ContentFile]]) -> tuple[Handbook, list[Diagnostic]]:
    """Collect every entity by id; an id used twice is an error at the second place."""
    diagnostics: list[Diagnostic] = []
    info = None
    info_file: LoadedFile | None = None
    handbook = Handbook(info=None, files=files)
    for loaded, content in files:
        if content.handbook is not None:
            if info is not None and info_file is not None:
                diagnostics.append(
                    loaded.diagnostic(
                        ("handbook",),
                        "duplicate-handbook",
                        f"«handbook:» står også i {info_file.display}; den skal stå ett sted",
                    )
                )
            info, info_file = content.handbook, loaded
        for entry in iter_entries(loaded, content):
            first = handbook.entries.get(entry.id)
            if first is not None:
                where = first.file.position((*first.loc, "id"))
                diagnostics.append(
                    loaded.diagnostic(
                        (*entry.loc, "id"),
                        "duplicate-id",
                        f"id-en «{entry.id}» er brukt før, i {first.file.display} "
                        f"linje {where.line}",
                        "hver id må være unik i hele innholdet; gi denne et annet navn",
                    )
                )
                continue
            handbook.entries[entry.id] = entry
    handbook.info = info
    return handbook, diagnostics


def load_handbook(content_dir: Path, today: dt.date | None = None) -> Result:
    today = today or dt.date.today()
    paths = content_files(content_dir)
    if not paths:
        return Result(
            None,
            [
                Diagnostic(
                    display_path(content_dir),
                    1,
                    1,
                    Level.ERROR,
                    "no-content",
                    "fant ingen .yaml-filer i innholdsmappen",
                )
            ],
        )
    diagnostics: list[Diagnostic] = []
    files: list[tuple[LoadedFile, ContentFile]] = []
    for path in paths:
        loaded, problems = load_file(path, display_path(path))
        diagnostics += problems
        if loaded is None or any(p.code in ("yaml-anchor", "yaml-tag") for p in problems):
            continue  # an unexpanded alias would only cause knock-on schema errors
        content, problems = validate_file(loaded)
        diagnostics += problems
        if content is not None:
            files.append((loaded, content))
    if has_errors(diagnostics):
        return Result(None, sorted(diagnostics))

    handbook, problems = index(files)
    diagnostics += problems
    if handbook.info is None:
        diagnostics.append(
            Diagnostic(
                display_path(content_dir),
                1,
                1,
                Level.ERROR,
                "no-handbook",
                "ingen fil har «handbook:» med tittel, region og revisjon",
                "legg den i content/handbook.yaml",
            )
        )
    diagnostics += checks.run_all(handbook, today)
    return Result(handbook, sorted(diagnostics))
