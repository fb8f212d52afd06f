"""The worker's shortcuts give the same site: the search words made after the pages fill their
placeholders to the HTML Markdown makes with them in place, and the cards made in a process
of their own are the cards made in the worker, with no process left behind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.core.editions import edition_view
from generator.core.pipeline import load_handbook
from generator.site.pages import SearchWork, render_pages, search_blocks
from generator.site.search_slot import TOKEN, fill_search_words

from .conftest import ROOT

TODAY = dt.date(2026, 12, 1)
TEMPLATES = ROOT / "overrides" / "handbook"


def _html(config: object, page_markdown: str) -> str:
    body, _ = get_data(page_markdown)  # MkDocs reads the front matter off first
    extensions, configs = config.markdown_extensions, config.mdx_configs  # type: ignore[attr-defined]
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)


def test_search_words_made_later_give_the_same_pages() -> None:
    result = load_handbook(ROOT / "content", today=TODAY, region="agder")
    assert result.handbook is not None
    handbook = edition_view(result.handbook, "public")
    now, problems = render_pages(handbook, TEMPLATES, today=TODAY)
    later_work: list[SearchWork] = []
    later, _ = render_pages(handbook, TEMPLATES, today=TODAY, search_later=later_work)
    without, _ = render_pages(handbook, TEMPLATES, today=TODAY, search_terms=False)
    assert not problems and [p.path for p in now] == [p.path for p in later]
    blocks = search_blocks(handbook, later_work)
    assert len(blocks) > 20 and all(blocks.values())  # every searchable page has words
    config = load_config(str(ROOT / "mkdocs.yml"))
    summaries = 0
    for made, placeholder, bare in zip(now, later, without, strict=True):
        html = _html(config, placeholder.markdown)
        if placeholder.path not in blocks:  # a page left out of search has no placeholder
            assert TOKEN not in html and html == _html(config, made.markdown)
            continue
        summaries += 'class="hb-summary"' in html
        assert fill_search_words(html, blocks[placeholder.path]) == _html(config, made.markdown)
        # Without any words the page is as it is without search words at all.
        assert fill_search_words(html, "") == _html(config, bare.markdown), placeholder.path
    assert summaries >= 3  # the placeholder also inside a summary's block (written again)


def test_a_page_without_its_placeholder_is_an_error_not_a_page_without_words() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        fill_search_words("<p>Tekst</p>", "ord")
    with pytest.raises(ValueError, match="placeholder"):
        fill_search_words("<p>Tekst</p>", "")


# Run in a process of its own: it forks, and Typst must not run in the test process (see
# generator.build.worker.fork_is_safe).
_CARDS = """
import dataclasses, datetime as dt, multiprocessing, sys
from pathlib import Path
from generator.build import worker

root = Path(sys.argv[1])
options = worker.SiteOptions(
    content=root / "content", templates=root / "overrides/handbook",
    cards=root / "overrides/cards", releases=root / "releases/agder",
    error_examples=root / "tests/fixtures/bad", edition="public",
    site_url="https://handbok.example/", today=dt.date(2026, 12, 1), region="agder",
)
forked = dataclasses.replace(options, fork_cards=True)
worker.prepare_site(forked)  # killed: an error for the build, not an exception or a hang
worker._prepared["cards"][0].kill()
assert "Kortene kunne ikke lages" in worker.make_downloads(forked).error
worker.prepare_site(forked)  # not wanted (as when the pages fail): stopped, no cards
worker._prepared.pop("handbook")
assert worker.make_downloads(forked).files == {} and multiprocessing.active_children() == []
made = {}
for fork in (True, False):  # last in this process: after Typst has run here, it never forks
    run = dataclasses.replace(options, fork_cards=fork)
    assert worker.prepare_site(run).error is None
    assert ("cards" in worker._prepared) is fork  # a process of its own makes the cards
    made[fork] = worker.make_downloads(run).files
    assert multiprocessing.active_children() == []  # and is gone once they are collected
assert made[True] == made[False] and any(name.endswith(".pdf") for name in made[True])
print("same cards")
"""


def test_the_cards_made_in_a_process_of_their_own_are_the_same() -> None:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CARDS), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "HANDBOOK_CACHE": "0"},  # both compiled: none from the other's run
    )
    assert run.returncode == 0 and "same cards" in run.stdout, run.stderr


def test_the_warmed_up_worker_keeps_its_imports_out_of_the_collectors_reach() -> None:
    """After warm_up (as in the forked worker: no word list), what was imported is frozen, so
    the collections that loading the content sets off do not walk it (see warm_up)."""
    script = (
        "import gc; from generator.build.worker import warm_up; warm_up(False); "
        "print(gc.get_freeze_count())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert int(run.stdout) > 10_000  # the models' and pydantic's objects among them (0 unfrozen)
