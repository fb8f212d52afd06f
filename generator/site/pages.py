"""Handbook -> Markdown pages, through Jinja2 templates in overrides/handbook/.

Python decides *which* pages exist, where every entity lives (page and anchor) and which data a
template gets; the templates decide how it reads. Every content text passes `safe_text` on its
way into a page, so a text the sanitizer would change fails the build with its location.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.changelog import KINDS, Changelog
from generator.diagnostics import Diagnostic, Level
from generator.handbook import Entry, Handbook
from generator.model import Citation, Review, Route, Statement, Topic
from generator.site.guide import ErrorExample
from generator.site.safe_text import unsafe_difference

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
CARDS_FOLDER = "kort"  # the PDFs and their thumbnails, beside the cards page
CARD_GROUPS = (
    ("Plakat (A3)", "a3-poster", "A3-plakat"),
    ("Lommekort (A6)", "a6-pocket", "A6-lommekort"),
    ("Ark per emne (A4)", "a4-sheet", "A4-ark"),
)

SITUATIONS = {
    "acute_somatic_admission": "Akuttinnleggelse – somatikk",
    "acute_mental_health_admission": "Akuttinnleggelse – psykisk helse",
    "advice": "Råd og konferering",
    "hospital_to_gp": "Når sykehuset trenger fastlegen",
    "appointment_booking": "Timebestilling etter sykehusopphold",
}
KIND_LABELS = {
    "recommendation": "Anbefaling",
    "principle": "Prinsipp",
    "information": "Til orientering",
}
CATEGORIES = {
    "core_messages": "Basismelding",
    "care_messages": "PLO-melding",
    "dialogue_message": "Dialogmelding",
    "other": "Annen meldingstype",
}


def topic_path(topic: Topic) -> str:
    return f"emner/{topic.id}.md"


def location(handbook: Handbook, target_id: str) -> tuple[str, str | None]:
    """The page (docs-relative .md path) and anchor where an entity is shown on the site."""
    entry = handbook.entries[target_id]
    kind = entry.kind
    if kind == "topic":
        return topic_path(entry.entity), None
    if kind == "statement":
        assert entry.parent is not None
        return topic_path(entry.parent.entity), target_id
    if kind in ("message_type", "rule", "decision"):
        return MESSAGES, target_id
    if kind == "route":
        return ROUTES, target_id
    if kind == "term":
        return GLOSSARY, target_id
    if kind == "actor":
        return MATRIX, f"aktor-{target_id}"
    if kind == "card":
        return CARDS, target_id
    if kind == "organisation":
        return ABOUT, f"org-{target_id}"
    return ABOUT, f"kilde-{target_id}"  # source


def page_url(path: str) -> str:
    """The site URL (relative to site_url) of a docs page, with directory URLs."""
    if path == INDEX:
        return ""
    return path.removesuffix(".md").removesuffix("/index") + "/"


@dataclass
class Page:
    path: str  # relative to docs_dir, e.g. "emner/henvisning.md"
    title: str
    markdown: str
    review: Review | None  # the oldest review among what the page shows


@dataclass
class StatementGroup:
    anchor: str
    heading: str
    responsible: tuple[str, ...]
    statements: list[Statement] = field(default_factory=list)


class _Renderer:
    def __init__(self, handbook: Handbook, templates: Path, today: dt.date) -> None:
        self.handbook = handbook
        self.today = today
        self.diagnostics: list[Diagnostic] = []
        self.entry_by_object: dict[int, Entry] = {
            id(e.entity): e for e in handbook.entries.values()
        }
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            bytecode_cache=jinja2.FileSystemBytecodeCache(_cache_dir()),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the output is Markdown; attributes are escaped with |e
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.current_path = INDEX
        self.env.globals.update(
            handbook=handbook,
            entity=self.entity,
            href=self.href,
            link=self.link,
            text=self.text,
            cite=self.cite,
            tel=tel_href,
            keys=keys_html,
            date=norwegian_date,
            name_of=self.name_of,
            situations=SITUATIONS,
            kind_labels=KIND_LABELS,
            categories=CATEGORIES,
            topic_path=topic_path,
            today=today,
        )

    # --- where everything lives ----------------------------------------------------------

    def location(self, target_id: str) -> tuple[str, str | None]:
        return location(self.handbook, target_id)

    def href(self, target_id: str) -> str:
        """A Markdown link target from the page being rendered to `target_id`."""
        path, anchor = self.location(target_id)
        if path == self.current_path:
            return f"#{anchor}" if anchor else "#"
        relative = posixpath.relpath(path, posixpath.dirname(self.current_path) or ".")
        return f"{relative}#{anchor}" if anchor else relative

    def name_of(self, target_id: str) -> str:
        entry = self.handbook.entries[target_id]
        entity = entry.entity
        if entry.kind == "statement":
            assert entry.parent is not None
            return f"{entry.parent.entity.title}: {_shorten(entity.text)}"
        if entry.kind in ("rule", "decision"):
            return _shorten(getattr(entity, "text", None) or entity.question)
        if entry.kind == "term":
            return entity.term
        if entry.kind == "topic" and entity.number is not None:
            return f"{entity.title} (kap. {entity.number})"
        if entry.kind == "organisation" and entity.short_name:
            return f"{entity.name} ({entity.short_name})"
        for attribute in ("title", "name"):
            if getattr(entity, attribute, None):
                return getattr(entity, attribute)
        return target_id

    def link(self, target_id: str, label: str | None = None) -> str:
        return f"[{label or self.name_of(target_id)}]({self.href(target_id)})"

    def entity(self, target_id: str) -> Any:
        return self.handbook.entries[target_id].entity

    # --- content text ----------------------------------------------------------------------

    def text(self, value: str | None, owner: Any = None) -> str:
        """Content text on its way into a page: checked by the sanitizer, passed on unchanged."""
        if value is None:
            return ""
        problem = unsafe_difference(value)
        if problem is not None:
            entry = self.entry_by_object.get(id(owner)) if owner is not None else None
            if entry is not None:
                self.diagnostics.append(
                    entry.file.diagnostic(
                        entry.loc,
                        "unsafe-html",
                        f"teksten i «{entry.id}» gir HTML som renseren måtte endre",
                        "fjern HTML og lenker som ikke er https:, mailto: eller tel:",
                    )
                )
            else:
                self.diagnostics.append(
                    Diagnostic(
                        self.current_path,
                        1,
                        1,
                        Level.ERROR,
                        "unsafe-html",
                        f"tekst på siden gir HTML som renseren måtte endre: {problem[:80]}",
                    )
                )
        return " ".join(value.split()) if "\n-" not in value else value

    def cite(self, citation: Citation) -> str:
        source = self.handbook.entries[citation.document].entity
        section = next(s for s in source.sections if s.id == citation.section)
        where = f"kap. {section.id} {section.title}" if section.id.isdigit() else section.title
        if citation.heading:
            where += f" – {citation.heading}"
        label = source.short_title or source.title
        return f"Kilde: [{label}]({self.href(citation.document)}), {where}"

    # --- pages -----------------------------------------------------------------------------

    def render(
        self,
        path: str,
        template: str,
        title: str,
        review: Review | None,
        hide: tuple[str, ...] = (),
        search: bool = True,
        **data: Any,
    ) -> Page:
        self.current_path = path
        body = self.env.get_template(template).render(page_title=title, review=review, **data)
        front = [f"title: {_yaml_string(title)}"]
        if hide:
            front.append(f"hide: [{', '.join(hide)}]")
        if not search:
            front.append("search_exclude: true")
        if review is not None:
            front += [
                f'review_last: "{review.last_reviewed.isoformat()}"',
                f'review_next: "{review.next_review.isoformat()}"',
                f'review_last_text: "{norwegian_date(review.last_reviewed)}"',
                f'review_next_text: "{norwegian_date(review.next_review)}"',
                f"review_overdue: {str(review.next_review < self.today).lower()}",
            ]
        markdown_text = "---\n" + "\n".join(front) + "\n---\n\n" + body + self.abbreviations()
        return Page(path, title, markdown_text, review)

    def abbreviations(self) -> str:
        """Material's abbr extension explains every glossary abbreviation where it appears."""
        lines = []
        for term in self.handbook.glossary:
            explanation = term.expansion or " ".join((term.explanation or "").split())
            for spelling in (term.term, *term.variants):
                lines.append(f"*[{spelling}]: {explanation}")
        return "\n\n" + "\n".join(lines) + "\n"

    def groups(self, topic: Topic) -> list[StatementGroup]:
        groups: dict[tuple[str, ...], StatementGroup] = {}
        for statement in topic.statements:
            key = tuple(statement.responsible)
            if key not in groups:
                groups[key] = StatementGroup(
                    anchor="ansvar-" + "-".join(key).replace("_", "-"),
                    heading=self.group_heading(key),
                    responsible=key,
                )
            groups[key].statements.append(statement)
        return list(groups.values())

    def group_heading(self, responsible: tuple[str, ...]) -> str:
        if len(responsible) == 1:
            entity = self.entity(responsible[0])
            return getattr(entity, "responsibility_heading", None) or entity.name
        return "Felles ansvar"


def _cache_dir() -> str:
    """Compiled templates, shared between builds (keyed by template source, so never stale)."""
    path = Path(tempfile.gettempdir()) / f"handbook-jinja-{os.getuid()}"
    path.mkdir(exist_ok=True)
    return str(path)


def _shorten(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tel_href(number: str) -> str:
    digits = number.replace(" ", "")
    if digits.startswith("+") or len(digits) != 8:
        return f"tel:{digits}"
    return f"tel:+47{digits}"


def keys_html(sequence: str) -> str:
    """'R 3421' -> one <kbd> per key, in the order they are pressed."""
    keys = [key for token in sequence.split() for key in ([token] if token == "R" else token)]
    return "".join(f"<kbd>{key}</kbd>" for key in keys)


MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def norwegian_date(value: dt.date) -> str:
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def oldest(reviews: Iterable[Review]) -> Review | None:
    """The most conservative review of several: the oldest last review, the nearest next one."""
    reviews = list(reviews)
    if not reviews:
        return None
    last = min(r.last_reviewed for r in reviews)
    following = min(r.next_review for r in reviews)
    owner = min(reviews, key=lambda r: r.next_review).owner
    return Review(last_reviewed=last, next_review=following, owner=owner)


def render_pages(
    handbook: Handbook,
    templates: Path,
    today: dt.date | None = None,
    changes: Changelog | None = None,
    examples: list[ErrorExample] | None = None,
) -> tuple[list[Page], list[Diagnostic]]:
    """Every page of the handbook site, or the diagnostics that stop the build."""
    r = _Renderer(handbook, templates, today or dt.date.today())
    topics = handbook.topics
    routes: list[Route] = handbook.routes
    all_reviews = (
        [t.review for t in topics]
        + [x.review for x in routes]
        + [m.review for m in handbook.message_types]
    )
    everything = oldest(all_reviews)
    pages: list[Page] = []
    for topic in topics:
        pages.append(
            r.render(
                topic_path(topic),
                "topic.md.j2",
                f"{topic.number}. {topic.title}" if topic.number is not None else topic.title,
                topic.review,
                topic=topic,
                groups=r.groups(topic),
            )
        )
    by_situation: dict[str, list[Route]] = {}
    for route in routes:
        by_situation.setdefault(route.situation, []).append(route)
    pages.append(
        r.render(
            ROUTES,
            "routes.md.j2",
            "Hvem ringer jeg?",
            oldest(x.review for x in routes),
            by_situation=[(s, by_situation[s]) for s in SITUATIONS if s in by_situation],
        )
    )
    pages.append(
        r.render(
            MESSAGES,
            "messages.md.j2",
            "Hvilken melding sender jeg?",
            oldest(m.review for m in handbook.message_types),
            message_types=handbook.message_types,
            decision_aid=handbook.of_kind("decision"),
        )
    )
    pages.append(
        r.render(
            MATRIX,
            "matrix.md.j2",
            "Hvem gjør hva",
            oldest(t.review for t in topics),
            hide=("navigation", "toc"),
            **matrix(handbook, r),
        )
    )
    pages.append(
        r.render(GLOSSARY, "glossary.md.j2", "Forkortelser", everything, terms=handbook.glossary)
    )
    pages.append(
        r.render(
            ABOUT,
            "about.md.j2",
            "Om håndboka",
            everything,
            sources=handbook.sources,
            organisations=handbook.organisations,
        )
    )
    pages.append(r.render(SEARCH, "search.md.j2", "Søk", everything, search=False))
    pages.append(
        r.render(
            EDITOR_GUIDE,
            "editor-guide.md.j2",
            "Slik redigerer du håndboka",
            everything,
            examples=examples or [],
        )
    )
    changes = changes or Changelog(since=None)
    pages.append(
        r.render(
            WHATS_NEW, "whats-new.md.j2", "Hva er nytt", everything, changes=changes, kinds=KINDS
        )
    )
    groups = [
        (title, label, [c for c in handbook.cards if c.format == fmt])
        for title, fmt, label in CARD_GROUPS
    ]
    pages.append(
        r.render(
            CARDS,
            "cards.md.j2",
            "Last ned og skriv ut",
            everything,
            groups=[g for g in groups if g[2]],
        )
    )
    recent = sorted(topics, key=lambda t: t.review.last_reviewed, reverse=True)[:5]
    pages.append(
        r.render(
            INDEX,
            "index.md.j2",
            handbook.info.title if handbook.info else "Håndboka",
            everything,
            search=False,
            changes=changes,
            topics=topics,
            recent=recent,
            aat=next((x for x in routes if x.number), None),
        )
    )
    return pages, r.diagnostics


def matrix(handbook: Handbook, r: _Renderer) -> dict[str, Any]:
    """Topics x actors: for each cell the statements and the group to link to."""
    topics = handbook.topics
    used: list[str] = []
    for topic in topics:
        for statement in topic.statements:
            for who in statement.responsible:
                if who not in used:
                    used.append(who)
    order = {a.id: i for i, a in enumerate(handbook.actors)}
    columns = sorted(used, key=lambda who: order.get(who, len(order)))
    rows = []
    for topic in topics:
        groups = r.groups(topic)
        cells = []
        for who in columns:
            count = sum(1 for s in topic.statements if who in s.responsible)
            group = next((g for g in groups if g.responsible == (who,)), None) or next(
                (g for g in groups if who in g.responsible), None
            )
            cells.append((count, group.anchor if group else None))
        rows.append((topic, cells))
    return {"columns": columns, "rows": rows}
