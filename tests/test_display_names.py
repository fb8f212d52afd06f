"""Names with short names on the pages: «Name (SHORT)» only when there is a short name, once.

The pages of the real content (region agder) are rendered as the build renders them, and the
Markdown of each page is read; the second test removes a hospital site's short name first."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from generator.core.editions import edition_view
from generator.core.pipeline import load_handbook
from generator.site.pages import render_pages, with_short_name

from .conftest import ROOT

TODAY = dt.date(2026, 12, 1)
TEMPLATES = ROOT / "overrides" / "handbook"


def _pages(content: Path) -> dict[str, str]:
    result = load_handbook(content, TODAY, region="agder")
    assert result.handbook is not None, [d.format() for d in result.diagnostics]
    pages, problems = render_pages(edition_view(result.handbook, "public"), TEMPLATES, TODAY)
    assert not problems
    return {str(page.path): page.markdown for page in pages}


def test_the_helper_adds_a_short_name_only_when_there_is_one_not_yet_shown() -> None:
    assert with_short_name("Sørlandet sykehus Kristiansand", "SSK") == (
        "Sørlandet sykehus Kristiansand (SSK)"
    )
    assert with_short_name("Testregion sykehus", None) == "Testregion sykehus"
    assert with_short_name("Testregion sykehus", "") == "Testregion sykehus"
    assert with_short_name("Sykehuset (SSK)", "SSK") == "Sykehuset (SSK)"
    assert with_short_name("SSKA-bygget", "SSK") == "SSKA-bygget (SSK)"  # a word, not a part


def test_a_short_name_is_shown_once_on_every_page() -> None:
    pages = _pages(ROOT / "content")
    everything = "\n".join(pages.values())
    assert "Sørlandet sykehus Kristiansand (SSK)" in everything
    doubled = re.findall(r"\(([A-ZÆØÅ]{2,})\) \(\1\)", everything)
    assert not doubled, doubled
    assert "(None)" not in everything


def test_a_hospital_site_without_a_short_name_is_shown_by_its_name(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    organisations = content / "regions" / "agder" / "organisations.yaml"
    text = organisations.read_text(encoding="utf-8")
    assert "    short_name: SSA\n" in text
    organisations.write_text(text.replace("    short_name: SSA\n", ""), encoding="utf-8")
    pages = _pages(content)
    everything = "\n".join(pages.values())
    assert "(None)" not in everything
    assert "Sørlandet sykehus Arendal ()" not in everything
    routes = next(md for path, md in pages.items() if "4564" in md and "Tast" in md)
    assert re.search(r"\| Sørlandet sykehus Arendal \|", routes), routes
