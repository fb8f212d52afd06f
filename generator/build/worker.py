"""What a site build needs from content/, made in one worker process beside MkDocs.

Why a process and not a thread: MkDocs spends its build in Python, and so does the handbook's own
work (importing pydantic, validating, rendering pages, making cards), so in a thread the two would
take turns on the GIL. A forked worker runs on the other core: it validates and renders while
MkDocs sets up its theme, and compiles the print cards while MkDocs writes the pages.

This module is imported by the MkDocs plugin, so it imports nothing heavy at the top: the worker
does, and only plain data (strings and bytes) travels back to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple


@dataclass(frozen=True)
class SiteOptions:
    content: Path
    templates: Path
    cards: Path
    releases: Path
    error_examples: Path
    edition: str
    site_url: str
    today: dt.date
    region: str | None = None


class SitePage(NamedTuple):
    path: str  # relative to docs_dir, e.g. "emner/henvisning.md"
    title: str
    markdown: str


@dataclass(frozen=True)
class PreparedSite:
    title: str  # the handbook's (the region's) title: the site's name
    pages: list[SitePage]
    files: dict[str, str]  # open data: path in the site -> text
    warnings: list[str]
    error: str | None  # a report of every content error, or None
    updated: dt.date | None = None  # the newest `last_reviewed` in the edition: see build_date


@dataclass(frozen=True)
class Downloads:
    files: dict[str, bytes]  # path in the site -> bytes
    error: str | None


def placeholder_site_url(site_url: str) -> bool:
    """True when QR codes would point nowhere real: no site_url, or a reserved example host."""
    host = site_url.split("//", 1)[-1].split("/", 1)[0]
    return (
        not host or host == "localhost" or host.endswith((".example", "example.com", "example.org"))
    )


def region_site_url(site_url: str, region: str) -> str:
    """Where a region's site lives: each region is built into its own folder, `<site>/<id>/`."""
    return site_url.rstrip("/") + f"/{region}/" if site_url else site_url


def build_day() -> dt.date:
    """The day the build is for (print dates on cards, review status on pages):
    SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) when set, else
    today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.date.today()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()


def build_date(updated: dt.date | None) -> dt.date | None:
    """The date MkDocs puts into the site (sitemap `<lastmod>`, the gzip header of
    sitemap.xml.gz, `build_date_utc`), or None to leave it to MkDocs: it honours
    SOURCE_DATE_EPOCH. Otherwise the newest review date in the content, so the same content
    gives the same site on any day (the epoch for content without review dates)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return None
    return updated or dt.date(1970, 1, 1)


KILL_AT = "HANDBOOK_TEST_KILL_AT"


def kill_point(name: str) -> None:
    """Test hook: SIGKILL this process here when the environment variable HANDBOOK_TEST_KILL_AT
    names this point. The kill tests (tests/test_build_swap.py) use it to stop a build at
    exactly the moment they test; nothing else sets it."""
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# The worker keeps the edition's view of the handbook between `prepare_site` and `make_cards`.
_prepared: dict[str, Any] = {}


def report(title: str, diagnostics: list[Any]) -> str:
    from generator.core.diagnostics import Level

    errors = [d for d in diagnostics if d.level is Level.ERROR]
    lines = "\n".join(d.format() for d in errors)
    return f"{title} ({len(errors)} feil):\n{lines}"


def prepare_site(options: SiteOptions) -> PreparedSite:
    """load → validate → edition view → export → pages. Content errors come back as a report."""
    from generator.core.changelog import changelog
    from generator.core.diagnostics import Level
    from generator.core.editions import edition_view
    from generator.core.export import export
    from generator.core.pipeline import load_handbook
    from generator.site.feed import FEED_PATH, atom_feed
    from generator.site.guide import error_examples
    from generator.site.pages import render_pages

    _prepared.clear()
    result = load_handbook(options.content, today=options.today, region=options.region)
    warnings = [d.format() for d in result.diagnostics if d.level is Level.WARNING]
    if not result.ok:
        return PreparedSite("", [], {}, warnings, report("Innholdet har feil", result.diagnostics))
    assert result.handbook is not None
    # Renderers only ever see the edition's view: the public one holds nothing internal.
    handbook = edition_view(result.handbook, options.edition)  # type: ignore[arg-type]
    exported = export(handbook)
    changes = changelog(exported, options.releases)
    pages, problems = render_pages(
        handbook,
        options.templates,
        changes=changes,
        examples=error_examples(options.error_examples),
        today=options.today,
        site_url=options.site_url,
        # HANDBOOK_SEARCH_TERMS=0: the index without the added words, to measure what they do.
        search_terms=os.environ.get("HANDBOOK_SEARCH_TERMS", "1") != "0",
    )
    if problems:
        return PreparedSite("", [], {}, warnings, report("Sidene kunne ikke lages trygt", problems))
    _prepared["handbook"] = handbook
    files = {
        "handbook.json": json.dumps(exported, ensure_ascii=False, indent=1) + "\n",
        FEED_PATH: atom_feed(handbook, changes, options.site_url),  # «Hva er nytt» as Atom
    }
    assert handbook.info is not None
    return PreparedSite(
        handbook.info.title,
        [SitePage(p.path, p.title, p.markdown) for p in pages],
        files,
        warnings,
        None,
        updated=max(_review_dates(handbook), default=None),
    )


def _review_dates(handbook: Any) -> list[dt.date]:
    reviews = (getattr(entry.entity, "review", None) for entry in handbook.entries.values())
    return [review.last_reviewed for review in reviews if review is not None]


def warm_up() -> None:
    """Import the pipeline ahead of time: the worker starts while MkDocs is still loading."""
    import generator.core.pipeline
    import generator.site.pages  # noqa: F401
    from generator.site.search_terms import dictionary

    dictionary()  # the bokmål word list for compound splitting: read once per process
    # Its 320 000 strings live as long as the process: out of the garbage collector's reach,
    # every full collection no longer walks them (about 20M instructions per page render).
    gc.freeze()


def make_downloads(options: SiteOptions) -> Downloads:
    """The print cards (PDF and thumbnail) and the JSON Schema, for the handbook `prepare_site`
    made. They are not pages, so MkDocs never waits for them: they are written after the build."""
    from generator.cards.render import render_cards
    from generator.editor.schema import SCHEMA_PATH, schema_text
    from generator.site.pages import CARDS_FOLDER

    handbook = _prepared.get("handbook")
    if handbook is None:
        return Downloads({}, None)
    cards, problems = render_cards(
        handbook,
        options.cards,
        options.site_url,
        options.today,
        edition=options.edition,
        threads=1,  # MkDocs is writing pages on the other core meanwhile
    )
    if problems:
        return Downloads({}, report("Kortene kunne ikke lages", problems))
    files = {SCHEMA_PATH.as_posix(): schema_text().encode()}
    for card in cards:
        files[f"{CARDS_FOLDER}/{card.filename}"] = card.pdf
        files[f"{CARDS_FOLDER}/{card.thumbnail_name}"] = card.thumbnail
    return Downloads(files, None)
