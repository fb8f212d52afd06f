"""Compile cards to PDF (and a PNG thumbnail) with Typst; refuse any card that does not fit.

Why Typst: a real typesetting engine, self-contained in a PyPI wheel (no system libraries),
compiles a page in milliseconds, embeds the fonts it is given and tags PDFs for accessibility.
The font ships in the repository and system fonts are ignored, so output is reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import typst

from generator.cards import kept
from generator.cards.data import card_data, qr_svg
from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Handbook
from generator.core.model import Card

MAX_PAGES = 1
THUMBNAIL_PPI = 40
FORMAT_NAMES = {"a3-poster": "A3-plakat", "a4-sheet": "A4-ark", "a6-pocket": "A6-lommekort"}


@dataclass(frozen=True)
class RenderedCard:
    card: Card
    pdf: bytes
    thumbnail: bytes  # PNG of the first page
    pages: int

    @property
    def filename(self) -> str:
        return f"{self.card.id}.pdf"

    @property
    def thumbnail_name(self) -> str:
        return f"{self.card.id}.png"


Result = tuple[RenderedCard | None, Diagnostic | None]  # a card, or why it could not be made


@functools.cache
def _fonts(folder: Path) -> typst.Fonts:
    """The shipped fonts, loaded once. System fonts are ignored, so output is reproducible."""
    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[folder]
    )


class Compilers(threading.local):
    """One Typst compiler per thread and template, for the cards of one `render_cards` call: a
    card's data goes in as its `sys_inputs`, so the template is read and parsed once per
    thread, not once per card (the same bytes out, 2.5 % fewer instructions for all cards)."""

    def __init__(self) -> None:
        self.by_template: dict[Path, typst.Compiler] = {}

    def get(self, template: Path, fonts: Path) -> typst.Compiler:
        if template not in self.by_template:
            self.by_template[template] = typst.Compiler(
                template, root=template.parent, font_paths=_fonts(fonts)
            )
        return self.by_template[template]


def _compile(compiler: typst.Compiler, data: dict, today: dt.date) -> tuple[bytes, list[bytes]]:
    """The PDF and the thumbnail: the second compile reuses the first one's layout."""
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    stamp = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)  # reproducible PDFs
    pdf = compiler.compile(format="pdf", timestamp=stamp, sys_inputs=inputs)
    pngs = compiler.compile(format="png", ppi=THUMBNAIL_PPI, sys_inputs=inputs)
    return pdf, pngs if isinstance(pngs, list) else [pngs]


def _overflowing_item(template: Path, fonts: Path, data: dict) -> str | None:
    """The first item that landed past the last allowed page (items tag themselves when
    `locate` is set: only here, since it costs a second layout pass)."""
    found = typst.query(
        template,
        "<hb-item>",
        field="value",
        root=template.parent,
        font_paths=_fonts(fonts),
        sys_inputs={"data": json.dumps({**data, "locate": True}, ensure_ascii=False)},
    )
    for value in json.loads(found):
        if value["page"] > MAX_PAGES:
            return value["id"]
    return None


def render_card(
    handbook: Handbook,
    card: Card,
    templates: Path,
    site_url: str,
    today: dt.date,
    edition: str = "public",
    compilers: Compilers | None = None,
    shared: bytes | None = None,
) -> Result:
    """One card; `shared` is `kept.setting(...)` for these templates and this day."""
    if shared is None:
        shared = kept.setting(templates, today.isoformat(), THUMBNAIL_PPI)
    data, entry_key, hit = _looked_up(handbook, card, site_url, today, edition, shared)
    if hit is not None:
        return hit, None
    return _compiled(handbook, card, templates, today, data, entry_key, compilers or Compilers())


def _looked_up(
    handbook: Handbook, card: Card, site_url: str, today: dt.date, edition: str, shared: bytes
) -> tuple[dict, str, RenderedCard | None]:
    """The card's data (without its QR code), its key, and the card kept under it, if any."""
    data = card_data(handbook, card, site_url, today, qr=False)
    data["internal"] = edition == "internal"
    entry_key = kept.key(shared, data)
    hit = kept.get(entry_key)
    return (
        data,
        entry_key,
        None if hit is None else RenderedCard(card, hit.pdf, hit.thumbnail, hit.pages),
    )


def _compiled(
    handbook: Handbook,
    card: Card,
    templates: Path,
    today: dt.date,
    data: dict,
    entry_key: str,
    compilers: Compilers,
) -> Result:
    """Compile a card that was not kept (and keep it, when it fits)."""
    entry = handbook.entries[card.id]
    template = templates / "card.typ"
    fonts = templates / "fonts"
    data["qr"] = qr_svg(data["url"])
    try:
        pdf, pngs = _compile(compilers.get(template, fonts), data, today)
    except typst.TypstError as exc:
        return None, entry.file.diagnostic(
            entry.loc, "card-error", f"kortet «{card.title}» kunne ikke settes: {exc}"
        )
    if len(pngs) > MAX_PAGES:
        item = _overflowing_item(template, fonts, data)
        where = f"; «{item}» er det første som ikke får plass" if item else ""
        return None, entry.file.diagnostic(
            entry.loc,
            "card-overflow",
            f"kortet «{card.title}» får ikke plass: {len(pngs)} sider, maks {MAX_PAGES}{where}",
            "fjern innhold fra items:, eller velg et større format",
        )
    kept.put(entry_key, kept.Kept(pdf, pngs[0], len(pngs)))
    return RenderedCard(card, pdf, pngs[0], len(pngs)), None


def render_cards(
    handbook: Handbook,
    templates: Path,
    site_url: str,
    today: dt.date | None = None,
    edition: str = "public",
    threads: int = 2,
) -> tuple[list[RenderedCard], list[Diagnostic]]:
    """Every card, compiled on `threads` threads (Typst releases the GIL), in definition order;
    a card whose data, day and templates are those of one made before comes from the cache
    between runs (`cards.kept`), compiled by nobody."""
    today = today or dt.date.today()
    compilers = Compilers()  # for this call only: no compiler is kept from one call to the next
    shared = kept.setting(templates, today.isoformat(), THUMBNAIL_PPI)
    # The cards kept are looked up here, one after the other (about 0.5 ms each); a card that
    # is not is compiled on the pool at once, while the next ones are looked up.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        made: list[Result | Future[Result]] = []
        for card in handbook.cards:
            data, entry_key, hit = _looked_up(handbook, card, site_url, today, edition, shared)
            made.append(
                (hit, None)
                if hit is not None
                else pool.submit(
                    _compiled, handbook, card, templates, today, data, entry_key, compilers
                )
            )
        results = [m.result() if isinstance(m, Future) else m for m in made]
    rendered = [r for r, _ in results if r is not None]
    problems = [d for _, d in results if d is not None]
    for problem in problems:
        assert problem.level is Level.ERROR
    return rendered, problems
