"""The MkDocs adapter: content/ -> validated Handbook -> generated pages -> site with search.

All the work happens in the core (`generator.core.pipeline`) and the renderer
(`generator.site.pages`); this plugin only hands the result to MkDocs at the right events:
- on_config: start a worker process (`generator.build.worker`) that loads and validates content/
  and renders the pages while MkDocs sets up;
- on_files: add the pages as generated files (nothing is written into docs_dir); content
  errors stop the build here, with the same `path:line:col` lines as `handbook validate`;
  under `mkdocs serve` they never do: the last good pages stay, with the errors on every page
  (`generator.build.preview`), so the server never hangs and reloads when the content is fixed;
- on_serve: watch content/ and the page templates, so `mkdocs serve` rebuilds on every save;
- on_post_page: fill in the page's search words (made meanwhile by the worker; a page written
  before they are ready is filled in first thing in on_post_build);
- on_post_build: write the print cards and the JSON Schema (made meanwhile by the worker),
  index the built site with Pagefind (Norwegian stemming), and last the web manifest and the
  service worker with every file's hash (`generator.build.offline`; not under `mkdocs serve`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.build import offline, page_cache, preview, theme_warmup
from generator.build.worker import (
    Downloads,
    PreparedSite,
    SiteOptions,
    build_date,
    build_day,
    die_with_parent,
    fork_is_safe,
    kill_point,
    make_downloads,
    placeholder_site_url,
    prepare_site,
    search_words,
    warm_up,
)
from generator.site.escape import theme_text, tooltip_text
from generator.site.navigation import EDITOR_GUIDE, navigation
from generator.site.search_slot import fill_search_words

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(base.Config):
    content = c.Type(str, default="content")
    templates = c.Type(str, default="overrides/handbook")
    cards = c.Type(str, default="overrides/cards")
    search = c.Type(bool, default=True)
    edition = c.Choice(("public", "internal"), default="public")
    region = c.Optional(c.Type(str))  # for content with regions: which region to build
    releases = c.Type(str, default="releases")
    error_examples = c.Type(str, default="tests/fixtures/bad")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.worker: Executor | None = None
        self.prepared: Future[PreparedSite] | None = None
        self.downloads: Future[Downloads] | None = None
        self.search: Future[dict[str, str]] | None = None  # see `on_post_page`
        self.unfilled: list[tuple[str, Path]] = []  # pages written before their search words
        self.build_date: dt.date | None = None  # None: MkDocs' own (SOURCE_DATE_EPOCH or now)
        # Under `mkdocs serve`: the last build without errors, and the errors of this one.
        self.last_good: PreparedSite | None = None
        self.last_downloads: dict[str, bytes] = {}
        self.problems: list[preview.Problem] = []
        self.app_name = ""  # the web manifest's name

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        """Start the worker as early as MkDocs lets a plugin: it imports the pipeline meanwhile."""
        loaded = super().load_config(options, config_file_path)
        if self.worker is None:
            self.worker = _worker(self.command)
            self.worker.submit(warm_up, not isinstance(self.worker, ProcessPoolExecutor))
        return loaded

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve":  # the server starts threads: no forking from now on
            self._shutdown()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Start the worker: it validates and renders while MkDocs loads its theme."""
        config.extra["edition"] = self.config.edition
        # A service worker under `mkdocs serve` would keep showing old pages after a save.
        config.extra["offline"] = self.command != "serve"
        site_url = config.site_url or ""
        if placeholder_site_url(site_url):
            log.info(f"site_url «{site_url}» er en plassholder; QR-kodene på kortene peker dit")
        options = SiteOptions(
            content=self._path(config, self.config.content),
            templates=self._path(config, self.config.templates),
            cards=self._path(config, self.config.cards),
            releases=self._path(config, self.config.releases)
            / (self.config.region or ""),  # one release history per region
            error_examples=self._path(config, self.config.error_examples),
            edition=self.config.edition,
            site_url=site_url,
            today=build_day(),
            region=self.config.region,
        )
        if self.worker is None:  # a rebuild under `mkdocs serve`
            self.worker = _worker(self.command)
        # In a process of its own, the worker makes the pages' search words after the pages,
        # while MkDocs converts them, and the cards in a process of their own.
        forked = isinstance(self.worker, ProcessPoolExecutor)
        options = dataclasses.replace(options, fork_cards=forked, search_later=forked)
        self.prepared = self.worker.submit(prepare_site, options)
        self.search = self.worker.submit(search_words) if forked else None
        self.unfilled = []
        self.downloads = self.worker.submit(make_downloads, options)  # after prepare_site
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.prepared is not None
        theme_warmup.precompile(config.theme.get_env(), stop=self.prepared.done)
        prepared = self._prepared(config) if self.command == "serve" else self.prepared.result()
        kill_point("mkdocs-worker-alive")  # the worker is making the cards meanwhile
        self.build_date = build_date(prepared.updated)
        for warning in prepared.warnings:
            log.info(warning)  # strict builds must not fail on content warnings
        if prepared.error is not None:
            self._shutdown()
            raise PluginError(prepared.error)
        for page in prepared.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for path, text in prepared.files.items():  # open data and its schema
            files.append(File.generated(config, path, content=text))
        config.nav = navigation(prepared.pages)
        # The theme prints the site name into HTML text and attributes without escaping, and
        # the logo's tooltip as HTML: one escaped value for each.
        name = prepared.title + (" (intern)" if self.config.edition == "internal" else "")
        config.site_name = Markup(theme_text(name))
        config.extra["site_name_tooltip"] = tooltip_text(name)
        config.extra["edition_date"] = prepared.edition_date or _edition_date(self.build_date)
        self.app_name = name
        return files

    def _prepared(self, config: MkDocsConfig) -> PreparedSite:
        """Under `mkdocs serve`: this build's pages, or with errors the last good ones (or the
        error page) and the errors for the banner. Never raises for content or templates."""
        assert self.prepared is not None
        # MkDocs counts errors and warnings: under --strict they would abort, and hang, the build.
        level = logging.INFO if config.strict else logging.ERROR
        try:
            prepared = self.prepared.result()
            problems = (
                [] if prepared.error is None else preview.problems_from_report(prepared.error)
            )
        except Exception as exc:  # a page template that fails: shown like a content error
            log.log(level, "Sidene kunne ikke lages", exc_info=True)
            prepared, problems = preview.error_site(), [preview.problem_from_exception(exc)]
        self.problems = problems
        config.extra["preview_problems"] = problems
        config.extra["preview_guide"] = False
        if not problems:
            self.last_good = prepared
            return prepared
        log.log(level, prepared.error or problems[0].message)
        log.log(level, preview.summary(problems, self.last_good is not None))
        kept = self.last_good or preview.error_site()
        config.extra["preview_guide"] = any(p.path == EDITOR_GUIDE for p in kept.pages)
        return kept

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.build_date is not None:  # the sitemap's <lastmod> and sitemap.xml.gz's header
            page.update_date = self.build_date.isoformat()
        page_cache.kept_render(page)  # a page whose Markdown did not change is not converted
        return page

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """The page's search words, made meanwhile, in the placeholder `prepare_site` left; if
        the worker is still making them, the page is written as it is and filled in
        `on_post_build` (`_fill_later`), before Pagefind reads it: MkDocs never waits."""
        if self.search is None:
            return output
        if not self.search.done():
            self.unfilled.append((page.file.src_uri, Path(page.file.abs_dest_path)))
            return output
        return fill_search_words(output, self.search.result().get(page.file.src_uri))

    def _fill_later(self) -> None:
        if self.search is None or not self.unfilled:
            return
        words = self.search.result()
        for src_uri, written in self.unfilled:
            html = written.read_bytes().decode("utf-8")  # as MkDocs wrote it: no newline changes
            written.write_bytes(fill_search_words(html, words.get(src_uri)).encode("utf-8"))
        self.unfilled.clear()

    def on_page_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        return self._dated(context)

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        return self._dated(context)

    def _dated(self, context: Any) -> Any:
        if self.build_date is not None:
            context["build_date_utc"] = dt.datetime.combine(self.build_date, dt.time(), dt.UTC)
        return context

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.bytecode_cache = theme_warmup.CACHE  # the templates compiled while we waited
        return env

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._path(config, self.config.content)))
        server.watch(str(self._path(config, self.config.templates)))
        server.builder = preview.guarded(server.builder, Path(config.site_dir))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._fill_later()
        # Pagefind reads only the pages: it indexes them while the cards are written.
        index = self._start_index(config) if self.config.search else None
        try:
            self._write_downloads(Path(config.site_dir))
        except BaseException:
            if index is not None:
                index.kill()
                index.wait()
            raise
        if index is not None:
            self._finish_index(index)
        if config.extra.get("offline"):  # last: the worker lists every file with its hash
            short = "Håndboka" + (" intern" if self.config.edition == "internal" else "")
            offline.write(Path(config.site_dir), self.app_name, short)
        else:
            offline.retire(Path(config.site_dir))

    def _start_index(self, config: MkDocsConfig) -> subprocess.Popen[str]:
        return subprocess.Popen(
            pagefind_command(config.site_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _finish_index(self, index: subprocess.Popen[str]) -> None:
        stdout, stderr = index.communicate()
        if index.returncode != 0 and self.command == "serve":
            log.error(f"Pagefind kunne ikke lage søkeindeksen:\n{stderr or stdout}")
        elif index.returncode != 0:
            raise PluginError(f"Pagefind kunne ikke lage søkeindeksen:\n{stderr or stdout}")

    def _write_downloads(self, site_dir: Path) -> None:
        if self.downloads is None:
            return
        downloads = self.downloads.result()
        self._shutdown()
        files = downloads.files
        if self.command == "serve":  # the cards of the last good build, never a stuck server
            if downloads.error is not None:
                log.error(downloads.error)
            if self.problems or downloads.error is not None:
                files = self.last_downloads
            else:
                self.last_downloads = files
        elif downloads.error is not None:
            raise PluginError(downloads.error)
        for name, data in files.items():
            target = site_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def _shutdown(self) -> None:
        if self.worker is not None:
            self.worker.shutdown(wait=True, cancel_futures=True)
            self.worker = None

    def on_build_error(self, *, error: Exception) -> None:
        self._shutdown()


def _edition_date(day: dt.date | None) -> str:
    """The date line of the error page under `mkdocs serve` (a built site's comes from the
    worker). Imported here, not at the top: the renderer's imports (pydantic, the model) would
    hold up MkDocs before the worker even starts."""
    from generator.site.pages import norwegian_date

    return norwegian_date(day or build_day())


def _worker(command: str) -> Executor:
    """A forked process when that is safe (`fork_is_safe`), else a thread (correct, only
    slower). Not under `mkdocs serve` either: its server runs threads. A plain `mkdocs build` or
    `handbook build` never compiles cards in the main process, so it forks."""
    if command == "serve" or not fork_is_safe():
        return ThreadPoolExecutor(max_workers=1)
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def pagefind_command(site_dir: str) -> list[str]:
    """Index a built site with Pagefind (it detects `nb` from <html lang> and stems Norwegian)."""
    return [
        sys.executable, "-m", "pagefind", "--site", site_dir, "--quiet",
        # Permalinks, citations and jump lists repeat on every item: not content.
        "--exclude-selectors", ".headerlink, .hb-cite, .hb-see-also, .hb-jump",
    ]  # fmt: skip
