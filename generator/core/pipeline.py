"""load → validate → index → check: the whole content pipeline in one readable function.

Nothing here knows about MkDocs or the command line; both call `load_handbook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from generator import checks
from generator.core import file_cache, regions
from generator.core.diagnostics import Diagnostic, Level, display_path, has_errors
from generator.core.file_cache import FileResult
from generator.core.handbook import Handbook, iter_entries
from generator.core.model import ContentFile, HandbookInfo
from generator.core.regions import Files
from generator.core.schema_errors import translate_all
from generator.core.yaml_loader import LoadedFile, load_file, read_limited

CONTENT_SUFFIXES = (".yaml", ".yml")
T = TypeVar("T")


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
        return file_cache.validate(loaded.data), []
    except ValidationError as exc:
        return None, translate_all(exc, loaded, ContentFile)


def index(
    files: list[tuple[LoadedFile, ContentFile]], info: HandbookInfo | None = None
) -> tuple[Handbook, list[Diagnostic]]:
    """Collect every entity by id; an id used twice is an error at the second place.
    With `info` (a region's), the `handbook:` blocks in the files are not looked at."""
    diagnostics: list[Diagnostic] = []
    info_file: LoadedFile | None = None
    handbook = Handbook(info=None, files=files)
    for loaded, content in files:
        if content.handbook is not None and info is None:
            if info_file is not None:
                diagnostics.append(
                    loaded.diagnostic(
                        ("handbook",),
                        "duplicate-handbook",
                        f"«handbook:» står også i {info_file.display}; den skal stå ett sted",
                    )
                )
            handbook.info, info_file = content.handbook, loaded
        for entry in iter_entries(loaded, content):
            first = handbook.entries.get(entry.id)
            if first is not None:
                first_id = (*first.loc, "id")
                diagnostics.append(
                    loaded.diagnostic(
                        (*entry.loc, "id"),
                        "duplicate-id",
                        f"id-en «{entry.id}» er brukt før, i {first.file.where(first_id)}",
                        "hver id må være unik i hele innholdet; gi denne et annet navn"
                        + (
                            ", eller endre det arvede med «changes:» (override/extend/remove)"
                            if info is not None
                            else ""
                        ),
                    )
                )
                continue
            handbook.entries[entry.id] = entry
    if info is not None:
        handbook.info = info
    return handbook, diagnostics


# Parsed and validated files, by path, size and modification time: building many regions in one
# process reads the base once. Safe to share: nothing changes a LoadedFile or a ContentFile after
# this (a region's changes copy a file before changing it). Between processes, `file_cache`
# keeps them by their bytes.
_FILE_CACHE: dict[tuple[Path, int, int], FileResult] = {}
_ENTRIES: dict[Path, str] = {}  # each file read (as given): its entry in the cache between runs


def entry_of(path: Path) -> str | None:
    """The cache entry of the file last read from `path` (None: never read, or unreadable)."""
    return _ENTRIES.get(path)


def read_files(paths: list[Path]) -> tuple[list[tuple[LoadedFile, ContentFile]], list[Diagnostic]]:
    """parse → schema for every file; every file's problems, and the files that passed."""
    diagnostics: list[Diagnostic] = []
    files: list[tuple[LoadedFile, ContentFile]] = []
    for path in paths:
        stat = path.stat()
        key = (path, stat.st_size, stat.st_mtime_ns)  # as given: LoadedFile.path keeps that form
        if key not in _FILE_CACHE:
            _FILE_CACHE[key] = _kept_or_read(path)
        loaded, content, problems = _FILE_CACHE[key]
        diagnostics += problems
        if loaded is not None and content is not None:
            files.append((loaded, content))
    return files, diagnostics


def _kept_or_read(path: Path) -> FileResult:
    """A file's result from the cache between runs, or read (and then kept)."""
    display = display_path(path)
    try:
        data: bytes | None = read_limited(path)  # read once: for the key and, if need be, to parse
    except OSError:
        data = None  # load_file says what is wrong
    entry = None if data is None else file_cache.key(path, display, data)
    if entry is None:
        _ENTRIES.pop(path, None)
    else:
        _ENTRIES[path] = entry
    kept = None if entry is None else file_cache.get(entry)
    if kept is not None:
        return kept
    result = _read_file(path, display, data)
    if entry is not None:
        file_cache.put(entry, result)
    return result


def _read_file(path: Path, display: str, data: bytes | None) -> FileResult:
    loaded, problems = load_file(path, display, data)
    if loaded is None or any(p.code in ("yaml-anchor", "yaml-tag") for p in problems):
        return None, None, problems  # an unexpanded alias would only cause knock-on errors
    content, more = validate_file(loaded)
    return loaded, content, problems + more


def _no_content(content_dir: Path) -> Result:
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


def load_handbook(
    content_dir: Path, today: dt.date | None = None, region: str | None = None
) -> Result:
    """The validated handbook in `content_dir`; for content with regions, the given region's."""
    today = today or dt.date.today()
    if regions.is_regional(content_dir):
        return load_region(content_dir, region, today)
    paths = content_files(content_dir)
    if not paths:
        return _no_content(content_dir)
    files, diagnostics = read_files(paths)
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
                "legg en «handbook:»-blokk i en av filene i "
                f"{display_path(content_dir)}, f.eks. i en ny fil handbook.yaml der",
            )
        )
    diagnostics += checks.run_all(handbook, today)
    return Result(handbook, sorted(diagnostics))


@dataclass
class RegionsResult:
    """Every region's handbook (None for a region with errors), and every problem, once."""

    handbooks: dict[str, Handbook | None]
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return bool(self.handbooks) and not has_errors(self.diagnostics)


def declared_regions(content_dir: Path) -> dict[str, tuple[Path, HandbookInfo]]:
    """Each region's id -> (its folder, its `handbook:` block), from the region.yaml files that
    pass the schema. Only the declarations are read: for listings and for finding a chain."""
    files, _ = read_files(regions.declarations(content_dir))
    return {c.handbook.id: (lf.path.parent, c.handbook) for lf, c in files if c.handbook}


def region_ids(content_dir: Path) -> list[str]:
    return list(declared_regions(content_dir))


def chain_folders(content_dir: Path, region: str) -> tuple[Path, ...]:
    """The folders of `region` and of the regions it extends, its own first (the base is not
    one of them). A cycle ends the chain; the regions check reports it."""
    declared = declared_regions(content_dir)
    folders: list[Path] = []
    current: str | None = region
    while current in declared and declared[current][0] not in folders:
        folders.append(declared[current][0])
        current = declared[current][1].extends
    return tuple(folders)


def _region_files(
    content_dir: Path, only: str | None
) -> tuple[Files, dict[str, regions.Region], list[Diagnostic]]:
    """Read the base, and the regions (all of them, or `only` and the ones it extends). For one
    region only the folders of its chain are listed: building each of many regions stays linear."""
    regions_dir = content_dir / regions.REGIONS_FOLDER
    base_paths = sorted(
        path
        for child in content_dir.iterdir()
        if child != regions_dir
        for path in (content_files(child) if child.is_dir() else [child])
        if path.suffix in CONTENT_SUFFIXES and path.is_file()
    )
    if only is None:
        region_paths = content_files(regions_dir)
    else:  # the declarations, then the folders of the chain
        chain = chain_folders(content_dir, only)
        region_paths = sorted(
            set(regions.declarations(content_dir))
            | {p for folder in chain for p in content_files(folder)}
        )
    files, diagnostics = read_files(base_paths + region_paths)
    base, found, problems = regions.find_regions(content_dir, files)
    return base, found, diagnostics + problems


def _region_handbook(
    view: regions.RegionView, today: dt.date
) -> tuple[Handbook | None, list[Diagnostic]]:
    diagnostics = list(view.diagnostics)
    if has_errors(diagnostics):
        return None, diagnostics
    handbook, problems = index(view.files, info=view.region.info)
    handbook.region = view
    diagnostics += problems
    diagnostics += checks.run_all(handbook, today, skip=(checks.coverage.check,))
    return handbook, diagnostics


def load_region(content_dir: Path, region: str | None, today: dt.date) -> Result:
    """One region's handbook, reading only the base and the regions in its chain."""
    if region is None:
        known = ", ".join(region_ids(content_dir)) or "ingen"
        return Result(
            None,
            [
                Diagnostic(
                    display_path(content_dir),
                    1,
                    1,
                    Level.ERROR,
                    "region-needed",
                    f"innholdet har regioner; velg én (regioner: {known})",
                    "bruk --region ID, eller «region:» under handbook-pluginen i mkdocs.yml",
                )
            ],
        )
    base, found, diagnostics = _region_files(content_dir, region)
    if region not in found:
        if not has_errors(diagnostics):
            diagnostics.append(
                Diagnostic(
                    display_path(content_dir / regions.REGIONS_FOLDER),
                    1,
                    1,
                    Level.ERROR,
                    "unknown-region",
                    f"fant ingen region med id «{region}»",
                    f"regioner: {', '.join(found) or 'ingen'}",
                )
            )
        return Result(None, sorted(set(diagnostics)))
    if has_errors(diagnostics):
        return Result(None, sorted(set(diagnostics)))
    handbook, problems = _region_handbook(regions.region_view(base, found, region), today)
    return Result(handbook, sorted(set(diagnostics + problems)))


def no_regions(content_dir: Path) -> Diagnostic:
    return Diagnostic(
        display_path(content_dir / regions.REGIONS_FOLDER),
        1,
        1,
        Level.ERROR,
        "no-regions",
        "regions/ har ingen regioner",
        f"lag en mappe per region med en {regions.DECLARATION}",
    )


RegionMaker = Callable[[Files, dict[str, regions.Region], str], tuple[T | None, list[Diagnostic]]]


def each_region(
    content_dir: Path, make: RegionMaker[T]
) -> tuple[dict[str, T | None], list[Diagnostic]]:
    """Read the base and every region, then make each region's result with `make(base, found,
    region_id)` -> (result or None, diagnostics), parents first: a region whose parent has no
    result is skipped (its errors would be echoes). Nothing is made when the files have errors.
    The results come in the regions' order."""
    base, found, diagnostics = _region_files(content_dir, None)
    if not found and not has_errors(diagnostics):
        diagnostics.append(no_regions(content_dir))
    if has_errors(diagnostics):
        return {}, diagnostics
    made: dict[str, T | None] = {}
    for region_id in sorted(found, key=lambda r: len(regions.chain(found, r))):
        parents = [r.id for r in regions.chain(found, region_id)[:-1]]
        if any(made.get(p) is None for p in parents):
            made[region_id] = None
            continue
        made[region_id], problems = make(base, found, region_id)
        diagnostics += problems
    return {r: made[r] for r in found}, diagnostics


def load_regions(content_dir: Path, today: dt.date | None = None) -> RegionsResult:
    """Every region, checked: what `handbook validate` runs on content with regions. Sections
    of the sources are covered when some region cites them."""
    day = today or dt.date.today()
    handbooks, diagnostics = each_region(
        content_dir,
        lambda base, found, region_id: _region_handbook(
            regions.region_view(base, found, region_id), day
        ),
    )
    valid = [h for h in handbooks.values() if h is not None]
    if valid and len(valid) == len(handbooks):
        diagnostics += checks.coverage.check_all(valid)
    return RegionsResult(handbooks, sorted(set(diagnostics)))
