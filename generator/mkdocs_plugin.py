"""The MkDocs adapter: content/ -> validated Handbook -> generated pages -> site with search.

All the work happens in the core (`generator.pipeline`, `generator.site.pages`); this plugin only
hands the result to MkDocs at the right events:
- on_config: load and validate content/ and render the pages (content errors stop the build
  with the same `path:line:col` lines as `handbook validate`);
- on_files: add the pages as generated files (nothing is written into docs_dir);
- on_serve: watch content/ and the page templates, so `mkdocs serve` rebuilds on every save;
- on_post_build: write the print cards (compiled meanwhile on another thread) into kort/, and
  index the built site with Pagefind (Norwegian stemming).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.cards.render import RenderedCard, placeholder_site_url, render_cards
from generator.changelog import changelog
from generator.diagnostics import Diagnostic, Level
from generator.editions import edition_view
from generator.export import export
from generator.pipeline import load_handbook
from generator.schema import SCHEMA_PATH, schema_text
from generator.site.guide import error_examples
from generator.site.pages import CARDS_FOLDER, Page, render_pages

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(base.Config):
    content = c.Type(str, default="content")
    templates = c.Type(str, default="overrides/handbook")
    cards = c.Type(str, default="overrides/cards")
    search = c.Type(bool, default=True)
    edition = c.Choice(("public", "internal"), default="public")
    releases = c.Type(str, default="releases")
    error_examples = c.Type(str, default="tests/fixtures/bad")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.exports: dict[str, str] = {}
        self.cards: Future[tuple[list[RenderedCard], list[Diagnostic]]] | None = None
        self.pool: ThreadPoolExecutor | None = None

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        content = self._path(config, self.config.content)
        result = load_handbook(content, today=dt.date.today())
        for diagnostic in result.diagnostics:
            if diagnostic.level is Level.WARNING:
                log.info(diagnostic.format())  # strict builds must not fail on content warnings
        if not result.ok:
            raise PluginError(_report("Innholdet har feil", result.diagnostics))
        assert result.handbook is not None
        # Renderers only ever see the edition's view: the public one holds nothing internal.
        handbook = edition_view(result.handbook, self.config.edition)
        config.extra["edition"] = self.config.edition
        exported = export(handbook)
        changes = changelog(exported, self._path(config, self.config.releases))
        pages, problems = render_pages(
            handbook,
            self._path(config, self.config.templates),
            changes=changes,
            examples=error_examples(self._path(config, self.config.error_examples)),
        )
        if problems:
            raise PluginError(_report("Sidene kunne ikke lages trygt", problems))
        self.pages = pages
        self.exports = {
            "handbook.json": json.dumps(exported, ensure_ascii=False, indent=1) + "\n",
            str(SCHEMA_PATH): schema_text(),
        }
        config.nav = _navigation(pages)
        # Typst releases the GIL: the cards compile on the other core while MkDocs builds pages.
        site_url = config.site_url or ""
        if placeholder_site_url(site_url):
            log.info(f"site_url «{site_url}» er en plassholder; QR-kodene på kortene peker dit")
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.cards = self.pool.submit(
            render_cards,
            handbook,
            self._path(config, self.config.cards),
            site_url,
            edition=self.config.edition,
        )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for page in self.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for path, text in self.exports.items():  # open data and its schema
            files.append(File.generated(config, path, content=text))
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._path(config, self.config.content)))
        server.watch(str(self._path(config, self.config.templates)))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._write_cards(Path(config.site_dir))
        if not self.config.search:
            return
        run = subprocess.run(
            pagefind_command(config.site_dir), capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            raise PluginError(f"Pagefind kunne ikke lage søkeindeksen:\n{run.stderr or run.stdout}")

    def _write_cards(self, site_dir: Path) -> None:
        if self.cards is None:
            return
        cards, problems = self.cards.result()
        self._shutdown()
        if problems:
            raise PluginError(_report("Kortene kunne ikke lages", problems))
        folder = site_dir / CARDS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for card in cards:
            (folder / card.filename).write_bytes(card.pdf)
            (folder / card.thumbnail_name).write_bytes(card.thumbnail)

    def _shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def on_build_error(self, *, error: Exception) -> None:
        self._shutdown()


def pagefind_command(site_dir: str) -> list[str]:
    """Index a built site with Pagefind (it detects `nb` from <html lang> and stems Norwegian)."""
    return [
        sys.executable, "-m", "pagefind", "--site", site_dir, "--quiet",
        # Permalinks, citations and jump lists repeat on every item: not content.
        "--exclude-selectors", ".headerlink, .hb-cite, .hb-see-also, .hb-jump",
    ]  # fmt: skip


def _report(title: str, diagnostics: list) -> str:
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    lines = "\n".join(d.format() for d in errors)
    return f"{title} ({len(errors)} feil):\n{lines}"


def _navigation(pages: list[Page]) -> list[Any]:
    by_path = {p.path: p for p in pages}
    topics = [p for p in pages if p.path.startswith("emner/")]
    return (
        [
            {"Start": "index.md"},
            {"Hva er nytt": "hva-er-nytt.md"},
            {"Hvem ringer jeg?": "telefonvei.md"},
            {"Hvilken melding sender jeg?": "meldingsveileder.md"},
            {"Hvem gjør hva": "hvem-gjor-hva.md"},
            {"Emner": [{p.title: p.path} for p in topics]},
            {"Forkortelser": "forkortelser.md"},
            {"Last ned og skriv ut": "kort.md"},
            {"Søk": "sok.md"},
            {"Om håndboka": "om-handboka.md"},
            {"Slik redigerer du håndboka": "redigering.md"},
        ]
        if all(path in by_path for path in ("index.md", "telefonvei.md"))
        else []
    )
