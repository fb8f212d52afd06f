"""The built site: complete, every link and anchor resolves, offline, and builds are safe."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build.swap import BuildFailed, build_site
from generator.core.model import Statement
from generator.core.pipeline import load_handbook
from generator.site.pages import render_pages

from . import site_check
from .conftest import ROOT

REGIONS = ("agder", "oslo", "troms-ofoten")
AGDER = "agder"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("region", REGIONS)
def test_every_topic_and_page_is_built(site: Path, region: str) -> None:
    handbook = load_handbook(ROOT / "content", region=region).handbook
    assert handbook is not None
    site = site / region
    for topic in handbook.topics:
        assert (site / "emner" / topic.id / "index.html").exists(), topic.id
    for page in (
        "hvem-gjor-hva",
        "forkortelser",
        "om-handboka",
        "sok",
        "regionale-tilpasninger",
        "nar-samarbeidet-svikter",
    ):
        assert (site / page / "index.html").exists(), page
    # A page for phone routes and one for messages only where the region's sources have them.
    assert (site / "telefonvei" / "index.html").exists() == bool(handbook.routes)
    assert (site / "meldingsveileder" / "index.html").exists() == bool(handbook.message_types)
    if region == AGDER:
        assert handbook.routes and handbook.message_types


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    parsed = {page: site_check.read(page) for page in _pages(site)}
    broken = []
    checked = 0
    for page, collector in parsed.items():
        for url in collector.links:
            if site_check.is_external(url):
                continue
            checked += 1
            target = site_check.target_file(site, page, url)
            if target is None:
                broken.append(f"{page.relative_to(site)}: {url} (no such page)")
                continue
            fragment = url.split("#", 1)[1] if "#" in url else ""
            if fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else site_check.read(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {url} (no anchor)")
    assert checked > 500
    assert not broken, "\n".join(broken)


def test_no_resource_comes_from_outside_the_site(site: Path) -> None:
    outside = []
    for page in _pages(site):
        for tag, url in site_check.read(page).resources:
            if site_check.is_external(url) or url.startswith("//"):
                outside.append(f"{page.relative_to(site)}: <{tag}> {url}")
            elif site_check.target_file(site, page, url) is None:
                outside.append(f"{page.relative_to(site)}: <{tag}> {url} (missing)")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis", "fonts.gstatic", "@import url(http", "url(http"):
            if marker in text:
                outside.append(f"{css.relative_to(site)}: {marker}")
    assert not outside, "\n".join(outside)


def test_no_script_file_holds_up_the_first_paint(site: Path) -> None:
    """A plain script, even at the end of <body>, runs before the first paint when it arrives
    with the style sheets (overrides/theme/main.html): every script file is deferred."""
    blocking = []
    for page in _pages(site):
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page.read_text(encoding="utf-8")):
            if not re.search(r"\sdefer[\s>]", tag):
                blocking.append(f"{page.relative_to(site)}: {tag}")
    assert not blocking, "\n".join(blocking[:20])


@pytest.mark.parametrize("region", REGIONS)
def test_search_index_is_norwegian_and_one_per_region(site: Path, region: str) -> None:
    entry = json.loads((site / region / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nb"]
    assert entry["languages"]["nb"]["page_count"] >= (21 if region == AGDER else 10)


def test_every_page_shows_review_dates_and_a_change_link(site: Path) -> None:
    for page in _pages(site):
        if page.name == "404.html" or "pagefind" in page.parts:
            continue
        if page.relative_to(site).parts[0] not in REGIONS:
            continue  # the portal: not a page of a handbook
        html = page.read_text(encoding="utf-8")
        if page.parent.parent.name == "emner" and "Ingen anbefalinger er lagt inn for" in html:
            # a chapter the region has not filled in: nothing to review yet
            assert "Ingen anbefalinger å gjennomgå ennå." in html, page
        else:
            assert "Sist gjennomgått:" in html and "Neste gjennomgang:" in html, page
        assert "Foreslå endring" in html, page


def test_abbreviations_are_explained_where_they_appear(site: Path) -> None:
    html = (site / AGDER / "emner" / "resepter-og-lib" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Legemidler i bruk">LiB</abbr>' in html
    assert '<abbr title="Reseptformidleren">RF</abbr>' in html


def test_phone_numbers_are_tel_links_and_keys_are_keys(site: Path) -> None:
    html = (site / AGDER / "telefonvei" / "index.html").read_text(encoding="utf-8")
    assert 'href="tel:03739"' in html
    assert "<kbd>R</kbd><kbd>3</kbd><kbd>4</kbd><kbd>2</kbd><kbd>1</kbd>" in html


def test_a_content_error_keeps_the_previous_site(site: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    broken = content / "regions" / "agder" / "topics" / "02-henvisning.yaml"
    broken.write_text(broken.read_text().replace("responsible: gp", "responsible: gpp", 1))
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with pytest.raises(BuildFailed, match="ukjent aktør eller organisasjon/enhet «gpp»"):
        build_site(ROOT / "mkdocs.yml", out, content)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_crash_half_way_keeps_the_previous_site(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "content", project / "content")
    template = project / "overrides" / "handbook" / "topic.md.j2"
    template.write_text(template.read_text() + "\n{{ no_such_variable.attribute }}\n")
    out = tmp_path / "site"
    shutil.copytree(site, out)
    index = (out / "index.html").read_bytes()
    with pytest.raises(Exception, match="no_such_variable"):
        build_site(project / "mkdocs.yml", out)
    assert (out / "index.html").read_bytes() == index
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_the_sanitizer_refuses_what_the_validator_would_have_missed() -> None:
    result = load_handbook(ROOT / "content", today=dt.date(2026, 11, 22), region=AGDER)
    handbook = result.handbook
    assert handbook is not None
    entry = handbook.entries["henvisning.lib-oppdatert"]
    # Bypass validation on purpose: this is the second line of defence.
    sneaky = Statement.model_construct(
        **{**dict(entry.entity), "text": 'Se <b onclick="x">her</b>'}
    )
    topic = entry.parent.entity
    statements = [sneaky if s.id == sneaky.id else s for s in topic.statements]
    object.__setattr__(topic, "statements", statements)
    handbook.entries[sneaky.id] = replace(entry, entity=sneaky)
    _, problems = render_pages(handbook, ROOT / "overrides" / "handbook")
    assert [d.code for d in problems] == ["unsafe-html"]
    assert "henvisning.lib-oppdatert" in problems[0].message
    assert problems[0].path.endswith("02-henvisning.yaml")


def test_the_core_does_not_import_mkdocs() -> None:
    """Load, validate and render must stay usable by another renderer than MkDocs."""
    import subprocess
    import sys

    code = (
        "import sys, generator.core.pipeline, generator.site.pages, generator.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_overdue_content_is_marked_for_readers(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name in ("routes.yaml", "topics/02-henvisning.yaml"):
        path = content / "regions" / "agder" / name
        text = path.read_text(encoding="utf-8")
        text = text.replace("last_reviewed: 2026-11-22", "last_reviewed: 2020-01-01")
        path.write_text(text.replace("next_review: 2027-11-22", "next_review: 2021-01-01"))
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site", content, regions=[AGDER]) / AGDER
    routes = (site / "telefonvei" / "index.html").read_text(encoding="utf-8")
    assert (
        routes.count("Gjennomgangen er forfalt") == len(list(routes.split('class="hb-route"'))) - 1
    )
    topic = (site / "emner" / "henvisning" / "index.html").read_text(encoding="utf-8")
    assert "forfalt: sjekk innholdet mot kilden" in topic
    other = (site / "emner" / "epikrise" / "index.html").read_text(encoding="utf-8")
    assert "forfalt" not in other
