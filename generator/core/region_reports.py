"""`handbook validate` over every region, with each region's report kept between runs.

Why: a region's checks see only the base and the regions in its chain, so after a save in one
region the others' reports cannot have changed. A report (its problems, its «OK» and
«Redaksjonelt» lines, and what coverage across regions needs) is kept under the sha256 of the
generator, the day and every file the region is made of (`file_cache`); the handbook itself
is not kept. The diagnostics are the same as `pipeline.load_regions` gives, with or without the
cache (tests/test_file_cache.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator.checks import coverage
from generator.core import file_cache, regions, user_cache
from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook
from generator.core.pipeline import _region_handbook, each_region, entry_of
from generator.core.provenance import share_line

_SUFFIX = ".region"


@dataclass(frozen=True)
class RegionReport:
    diagnostics: list[Diagnostic]
    ok_line: str | None  # None: the region has errors that left it without a handbook
    share_line: str | None
    cited: frozenset[tuple[str, str]]
    sources: coverage.SourceFacts
    kept: bool = False  # read from the cache between runs


@dataclass(frozen=True)
class RegionsReport:
    reports: dict[str, RegionReport | None]  # None: with errors, or one it extends has them
    diagnostics: list[Diagnostic]


def ok_line(name: str, handbook: Handbook) -> str:
    summary = (
        f"{len(handbook.topics)} emner, "
        f"{len(handbook.of_kind('statement'))} utsagn, "
        f"{len(handbook.routes)} telefonveier, "
        f"{len(handbook.message_types)} meldingstyper"
    )
    return f"OK{' ' + name if name else ''}: {summary}."


def check_regions(content: Path, today: dt.date | None = None) -> RegionsReport:
    """Every region, checked as `pipeline.load_regions` does (the same diagnostics)."""
    day = today or dt.date.today()

    def make(
        base: regions.Files, found: dict[str, regions.Region], region_id: str
    ) -> tuple[RegionReport | None, list[Diagnostic]]:
        report = _report(base, found, region_id, day)
        return (report if report.ok_line is not None else None), report.diagnostics

    reports, diagnostics = each_region(content, make)
    valid = [r for r in reports.values() if r is not None]
    if valid and len(valid) == len(reports):
        diagnostics += coverage.check_facts([r.sources for r in valid], [r.cited for r in valid])
    return RegionsReport(reports, sorted(set(diagnostics)))


def _report(
    base: regions.Files, found: dict[str, regions.Region], region_id: str, today: dt.date
) -> RegionReport:
    key = _key(base, found, region_id, today)
    kept = None if key is None else file_cache.get_kept(key, _SUFFIX)
    if isinstance(kept, RegionReport):
        return replace(kept, kept=True)
    handbook, problems = _region_handbook(regions.region_view(base, found, region_id), today)
    if handbook is None:
        report = RegionReport(problems, None, None, frozenset(), {})
    else:
        report = RegionReport(
            problems,
            ok_line(region_id, handbook),
            share_line(region_id, handbook),
            frozenset(coverage.citations(handbook)),
            coverage.facts(handbook),
        )
    # The hint of an unknown id reads the regions outside the chain (it names the one that has
    # it, with the line): such a report depends on more than the key says, so it is not kept.
    if key is not None and not any(d.code == "unknown-ref" for d in problems):
        file_cache.put_kept(key, report, _SUFFIX)
    return report


def _key(
    base: regions.Files, found: dict[str, regions.Region], region_id: str, today: dt.date
) -> str | None:
    """The region's entry: the generator, the day, and every file it is made of (the base's and
    its chain's, each by its own entry). None: not kept (no cache, or a file never read)."""
    if user_cache.results_folder() is None:
        return None
    head = f"{user_cache.fingerprint()}\0{today.isoformat()}\0{region_id}"
    digest = hashlib.sha256(head.encode())
    for files in [base, *(level.files for level in regions.chain(found, region_id))]:
        for loaded, _ in files:
            entry = entry_of(loaded.path)
            if entry is None:
                return None
            digest.update(f"\0{entry}".encode())
    return digest.hexdigest()
