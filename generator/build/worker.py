"""What a site build needs from content/, made in one worker process beside MkDocs.

Why a process and not a thread: MkDocs spends its build in Python, and so does the handbook's own
work (importing pydantic, validating, rendering pages, making cards), so in a thread the two would
take turns on the GIL. A forked worker runs on the other core: it validates and renders while
MkDocs sets up its theme. The print cards are compiled in a process of their own, forked from the
worker as soon as the handbook is loaded (`start_cards`): they need nothing of the pages, so they
run while the worker renders and MkDocs writes the pages. And the pages come with a placeholder
for their search words (`search_words`, generator.site.search_slot), made while MkDocs converts
them: MkDocs does not need them, only Pagefind after the build.

This module is imported by the MkDocs plugin, so it imports nothing heavy at the top: the worker
does, and only plain data (strings and bytes) travels back to MkDocs.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import multiprocessing
import os
import signal
import sys
import threading
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
    fork_cards: bool = False  # the worker is a forked process: it may fork the cards' own
    search_later: bool = False  # the pages with a placeholder for their search words: see
    # `search_words`


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
    edition_date: str = ""  # the build date as Norwegian text (the plugin imports no renderer)


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
    from generator.core.export import export, export_text
    from generator.core.pipeline import load_handbook
    from generator.site.feed import FEED_PATH, atom_feed
    from generator.site.guide import error_examples
    from generator.site.pages import SearchWork, norwegian_date, render_pages

    _stop_cards()
    _prepared.clear()
    result = load_handbook(options.content, today=options.today, region=options.region)
    warnings = [d.format() for d in result.diagnostics if d.level is Level.WARNING]
    if not result.ok:
        return PreparedSite("", [], {}, warnings, report("Innholdet har feil", result.diagnostics))
    assert result.handbook is not None
    # Renderers only ever see the edition's view: the public one holds nothing internal.
    handbook = edition_view(result.handbook, options.edition)  # type: ignore[arg-type]
    exported = export(handbook)
    if options.fork_cards and fork_is_safe():  # after export: the fork inherits what it built
        start_cards(handbook, options)  # (the models' serializers: ~150 ms less for the cards)
    changes = changelog(exported, options.releases)
    later: list[SearchWork] | None = [] if options.search_later else None
    pages, problems = render_pages(
        handbook,
        options.templates,
        changes=changes,
        examples=error_examples(options.error_examples),
        today=options.today,
        site_url=options.site_url,
        # HANDBOOK_SEARCH_TERMS=0: the index without the added words, to measure what they do.
        search_terms=os.environ.get("HANDBOOK_SEARCH_TERMS", "1") != "0",
        search_later=later,
    )
    if problems:
        _stop_cards()
        return PreparedSite("", [], {}, warnings, report("Sidene kunne ikke lages trygt", problems))
    _prepared["handbook"] = handbook
    _prepared["search"] = later
    files = {
        "handbook.json": export_text(handbook),
        FEED_PATH: atom_feed(handbook, changes, options.site_url),  # «Hva er nytt» as Atom
    }
    assert handbook.info is not None
    updated = max(_review_dates(handbook), default=None)
    return PreparedSite(
        handbook.info.title,
        [SitePage(p.path, p.title, p.markdown) for p in pages],
        files,
        warnings,
        None,
        updated=updated,
        edition_date=norwegian_date(build_date(updated) or options.today),
    )


def _review_dates(handbook: Any) -> list[dt.date]:
    reviews = (getattr(entry.entity, "review", None) for entry in handbook.entries.values())
    return [review.last_reviewed for review in reviews if review is not None]


def warm_up(words: bool = True) -> None:
    """Import the pipeline ahead of time: the worker starts while MkDocs is still loading.
    `words`: read the word list too (not when the search words are made after the pages)."""
    import generator.core.pipeline
    import generator.site.pages  # noqa: F401

    if words:
        _read_word_list()
    # What is imported lives as long as the process: out of the garbage collector's reach, the
    # collections that reading the content sets off no longer walk every module's objects (and
    # MkDocs', inherited by the fork): about 30 ms of CPU less before the pages are ready.
    gc.freeze()


def _read_word_list() -> None:
    from generator.site.search_terms import dictionary

    dictionary()  # the bokmål word list for compound splitting: read once per process
    # Its 320 000 strings live as long as the process: out of the garbage collector's reach,
    # every full collection no longer walks them (about 20M instructions per page render).
    gc.freeze()


def search_words() -> dict[str, str]:
    """The search words of the pages `prepare_site` left a placeholder in (`search_later`),
    made while MkDocs converts the pages: page path -> the inside of its hidden block."""
    from generator.site.pages import search_blocks

    handbook, later = _prepared.get("handbook"), _prepared.get("search")
    if handbook is None or later is None:
        return {}
    _read_word_list()
    return search_blocks(handbook, later)


def make_downloads(options: SiteOptions) -> Downloads:
    """The print cards (PDF and thumbnail) and the JSON Schema, for the handbook `prepare_site`
    made (from the cards' process when it started one). They are not pages, so MkDocs never
    waits for them: they are written after the build."""
    started = _prepared.pop("cards", None)
    handbook = _prepared.get("handbook")
    if started is not None:
        return _collect_cards(*started, wanted=handbook is not None)
    if handbook is None:
        return Downloads({}, None)
    return _downloads(handbook, options)


def _collect_cards(process: Any, receive: Any, *, wanted: bool) -> Downloads:
    """What the cards' process made; not `wanted` (the pages could not be made): stop it."""
    if not wanted:
        _kill(process)
        receive.close()
        return Downloads({}, None)
    try:
        made = receive.recv()
    except EOFError:  # it died without an answer (killed, out of memory)
        made = None
    finally:
        receive.close()
        process.join()
    if made is None:
        why = f"prosessen som lagde dem stoppet uten svar (kode {process.exitcode})"
        return Downloads({}, f"Kortene kunne ikke lages: {why}")
    if isinstance(made, BaseException):
        raise made
    assert isinstance(made, Downloads)
    return made


def _downloads(handbook: Any, options: SiteOptions) -> Downloads:
    from generator.cards.render import render_cards
    from generator.editor.schema import SCHEMA_PATH, kept_schema_text
    from generator.site.pages import CARDS_FOLDER

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
    files = {SCHEMA_PATH.as_posix(): kept_schema_text().encode()}
    for card in cards:
        files[f"{CARDS_FOLDER}/{card.filename}"] = card.pdf
        files[f"{CARDS_FOLDER}/{card.thumbnail_name}"] = card.thumbnail
    return Downloads(files, None)


def start_cards(handbook: Any, options: SiteOptions) -> None:
    """In the forked worker, once the handbook is loaded: fork the process that makes the cards
    (`make_downloads` collects them). The fork copies the handbook, so nothing is sent to it."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    gc.freeze()  # the collector in the fork leaves what it copied alone: fewer pages copied
    process = context.Process(
        target=_cards_process, args=(handbook, options, send, os.getpid()), daemon=True
    )
    process.start()
    send.close()
    _prepared["cards"] = (process, receive)


def _cards_process(handbook: Any, options: SiteOptions, send: Any, parent: int) -> None:
    die_with_parent(parent)
    made: Downloads | BaseException
    try:
        made = _downloads(handbook, options)
    except Exception as exc:  # raised in the worker, and from there in MkDocs
        made = exc
    send.send(made)
    send.close()


def _stop_cards() -> None:
    started = _prepared.pop("cards", None)
    if started is not None:
        _kill(started[0])
        started[1].close()


def _kill(process: Any) -> None:
    process.kill()
    process.join()


def fork_is_safe() -> bool:
    """A fork copies the locks of threads that do not come along, and the child waits on them
    for ever: so no fork when other Python threads run (a test's browser, `mkdocs serve`'s
    server) or once Typst has run in this process."""
    return (
        threading.active_count() == 1
        and "typst" not in sys.modules
        and "fork" in multiprocessing.get_all_start_methods()
    )


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a forked process, first: be killed when the process that forked it dies. Why: a build
    killed with SIGKILL (or by the OOM killer) runs no clean-up, and its worker would wait for
    work for ever. Linux only (prctl); the fork happens in the main thread, whose exit is the
    process's."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
