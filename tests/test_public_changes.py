"""The public edition does not tell that internal content exists: a change that added only
internal items is on no public page (neither «Regionale tilpasninger» nor the portal's
comparison), and a change that added both lists only the public ones.

The fixture is tests/fixtures/regions with a region «vest» whose changes add an internal
statement to one chapter, and a public and an internal statement to another. Every page and
portal file is searched as the reader gets it (tags stripped, entities unescaped).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest

from generator.core.editions import edition_view
from generator.core.pipeline import load_regions
from generator.site.pages import render_pages
from generator.site.portal import render_portal

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 1)
TEMPLATES = ROOT / "overrides" / "handbook"

ONLY_INTERNAL_WHY = "Vest har en egen rutine for hastehenvisninger på Sjukestua."
SECRET = "Ring vaktsentralen på Sjukestua direkte og be om hastetimen."
MIXED_WHY = "Vest ringer fastlegen ved uklare epikriser."
PUBLIC_ADDED = "Sykehuslegen ringer fastlegen når epikrisen er uklar."
SECRET_TOO = "Epikrisen legges også i den interne postkassen på Sjukestua."

VEST = f"""handbook:
  id: vest
  title: Samhandlingshåndboka Vest
  region: Vest
  health_community: Helsefellesskapet Vest
  revision: Testutgave 1
  maintainer: fellesutvalget
  primary_source: felles
changes:
  - target: henvisning
    why: {ONLY_INTERNAL_WHY}
    extend:
      statements:
        - id: vest.henvisning.hast
          responsible: gp
          text: {SECRET}
          source: {{document: felles, section: "1"}}
          visibility: internal
          why_internal: Nummeret er bare for fastleger i Vest.
  - target: epikrise
    why: {MIXED_WHY}
    extend:
      statements:
        - id: vest.epikrise.ring
          responsible: hospital_doctor
          text: {PUBLIC_ADDED}
          source: {{document: felles, section: "2"}}
        - id: vest.epikrise.postkasse
          responsible: hospital_doctor
          text: {SECRET_TOO}
          source: {{document: felles, section: "2"}}
          visibility: internal
          why_internal: Postkassen er intern.
"""


def _reader_text(folder: Path) -> str:
    """Every file written, as a reader sees it: tags and Markdown marks do not split words."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()]
    visible = html.unescape(re.sub(r"<[^>]*>", " ", "\n".join(texts)))
    return " ".join(visible.split())


def _edition(tmp_path: Path, edition: str) -> tuple[str, str]:
    """(the region pages, the portal) of the given edition, as reader text."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(FIXTURES / "regions", content)
        (content / "regions" / "vest").mkdir()
        (content / "regions" / "vest" / "region.yaml").write_text(VEST, encoding="utf-8")
    result = load_regions(content, today=TODAY)
    assert result.ok, [d.format() for d in result.diagnostics]
    views = {r: edition_view(h, edition) for r, h in result.handbooks.items() if h is not None}
    pages = tmp_path / edition / "pages"
    made, problems = render_pages(views["vest"], TEMPLATES, today=TODAY)
    assert not problems, [d.format() for d in problems]
    for page in made:
        (pages / page.path).parent.mkdir(parents=True, exist_ok=True)
        (pages / page.path).write_text(page.markdown, encoding="utf-8")
    portal = tmp_path / edition / "portal"
    render_portal(views, portal)
    return _reader_text(pages), _reader_text(portal)


@pytest.fixture(scope="module")
def where(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    folder = tmp_path_factory.mktemp("public-changes")
    shown = {edition: _edition(folder, edition) for edition in ("internal", "public")}
    vest = load_regions(folder / "content", today=TODAY).handbooks["vest"]
    assert vest is not None and vest.region is not None
    only_internal = next(c for c in vest.region.changes if c.why == ONLY_INTERNAL_WHY)
    return shown | {"place": (only_internal.where, only_internal.where)}


def test_the_internal_edition_shows_both_changes(where: dict[str, tuple[str, str]]) -> None:
    """Proves the search below can find what it looks for."""
    for text in where["internal"]:
        for shown in (ONLY_INTERNAL_WHY, SECRET, MIXED_WHY, PUBLIC_ADDED, SECRET_TOO):
            assert shown in text


def test_a_change_that_added_only_internal_items_is_not_in_the_public_edition(
    where: dict[str, tuple[str, str]],
) -> None:
    place = where["place"][0]  # where the internal-only change is written: «…/region.yaml:10»
    assert place in where["internal"][0]  # the portal names no places
    for text in where["public"]:
        assert ONLY_INTERNAL_WHY not in text
        assert SECRET not in text and SECRET_TOO not in text
        assert place not in text
        assert not re.search(r"lagt til: (?:Hvorfor|Skrevet i|Endret|Utvidet|Fjernet)\b", text)


def test_a_change_with_public_and_internal_additions_lists_the_public_ones(
    where: dict[str, tuple[str, str]],
) -> None:
    for text in where["public"]:
        assert MIXED_WHY in text and PUBLIC_ADDED in text
