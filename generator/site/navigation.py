"""The site's pages by path, and its navigation, from the pages `render_pages` made.

Why from the pages and not from the handbook: the navigation lists what exists, so a page a
handbook has no content for (a region's pages, checklists) never gets a dead entry. Each site's
navigation names only its own pages: it stays the same size however many regions there are.
The MkDocs plugin imports this module, so it imports nothing heavy (the page paths live here,
and `generator.site.pages` takes them from here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from markupsafe import Markup

from generator.site.escape import theme_text

INDEX = "index.md"
MATRIX = "hvem-gjor-hva.md"
ROUTES = "telefonvei.md"
MESSAGES = "meldingsveileder.md"
GLOSSARY = "forkortelser.md"
ABOUT = "om-handboka.md"
SEARCH = "sok.md"
CARDS = "kort.md"
WHATS_NEW = "hva-er-nytt.md"
EDITOR_GUIDE = "redigering.md"
REGIONAL = "regionale-tilpasninger.md"  # pages of a region's handbook only
COLLABORATION = "nar-samarbeidet-svikter.md"
TOPICS_FOLDER = "emner"
CHECKLISTS_FOLDER = "sjekklister"
COMPARE_FOLDER = "sammenlign"  # the portal's comparison pages, beside every region's site

# (label, page) in the order the menu shows them; None marks where topics and checklists go.
ORDER: tuple[tuple[str, str] | None, ...] = (
    ("Start", INDEX),
    ("Hva er nytt", WHATS_NEW),
    ("Hvem ringer jeg?", ROUTES),
    ("Hvilken melding sender jeg?", MESSAGES),
    ("Hvem gjør hva", MATRIX),
    ("Når samarbeidet svikter", COLLABORATION),
    None,
    ("Forkortelser", GLOSSARY),
    ("Last ned og skriv ut", CARDS),
    ("Regionale tilpasninger", REGIONAL),
    ("Søk", SEARCH),
    ("Om håndboka", ABOUT),
    ("Slik redigerer du håndboka", EDITOR_GUIDE),
)


class NavPage(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def title(self) -> str: ...


def navigation(pages: Sequence[NavPage]) -> list[Any]:
    """MkDocs' `nav`: the fixed pages in a fixed order, then the topics and checklists in the
    order they were rendered. Empty when the pages are not a handbook (MkDocs then lists files)."""
    paths = {p.path for p in pages}
    if INDEX not in paths:
        return []
    nav: list[Any] = []
    for item in ORDER:
        if item is None:
            nav += _groups(pages)
        elif item[1] in paths:
            nav.append({item[0]: item[1]})
    return nav


def _groups(pages: Sequence[NavPage]) -> list[Any]:
    groups: list[Any] = [{"Emner": [{_title(p): p.path} for p in pages if _in(p, TOPICS_FOLDER)]}]
    checklists = [{_title(p): p.path} for p in pages if _in(p, CHECKLISTS_FOLDER)]
    if checklists:
        groups.append({"Sjekklister": checklists})
    return groups


def _title(page: NavPage) -> Markup:
    """The theme prints menu titles as HTML: escaped here, and Markup so that its `|e` in
    attributes does not escape them twice."""
    return Markup(theme_text(page.title))


def _in(page: NavPage, folder: str) -> bool:
    return page.path.startswith(folder + "/")
