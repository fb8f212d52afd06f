"""Handbook -> Markdown pages, through Jinja2 templates in overrides/handbook/.

Python decides *which* pages exist, where every entity lives (page and anchor) and which data a
template gets; the templates decide how it reads. Every content text passes `safe_text` on its
way into a page, so a text the sanitizer would change fails the build with its location.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.checks.glossary import ABBREVIATION
from generator.checks.references import KIND_NAMES
from generator.core.changelog import KINDS, Changelog
from generator.core.diagnostics import Diagnostic, Level
from generator.core.handbook import Entry, Handbook
from generator.core.model import (
    Checklist,
    Citation,
    Editorial,
    LadderStep,
    Review,
    Route,
    SourceStatus,
    Statement,
    Topic,
)
from generator.core.provenance import item_status, status_label, status_of
from generator.core.regions import AppliedChange, RegionView
from generator.site import search_slot
from generator.site.changes import (
    ACTIONS,
    FIELD_NAMES,
    FieldChange,
    field_changes,
    ids_from_regions,
)
from generator.site.escape import (
    code_block,
    content_markdown,
    markdown_environment,
    markdown_text,
    theme_text,
    tooltip_text,
    url,
)
from generator.site.feedback import feedback_href
from generator.site.guide import ErrorExample
from generator.site.navigation import (
    ABOUT,
    CARDS,
    CHECKLISTS_FOLDER,
    COLLABORATION,
    COMPARE_FOLDER,
    EDITOR_GUIDE,
    GLOSSARY,
    INDEX,
    MATRIX,
    MESSAGES,
    REGIONAL,
    ROUTES,
    SEARCH,
    TOPICS_FOLDER,
    WHATS_NEW,
)
from generator.site.safe_text import plain_of_markdown, unsafe_difference
from generator.site.search_terms import (
    PARTS_WEIGHT,
    SUMMARY_WEIGHT,
    Splitter,
    hidden_block,
    search_words,
    summary_body,
    tied_terms,
    typos,
    vocabulary,
    words_of,
)

CARDS_FOLDER = "kort"  # the PDFs and their thumbnails, beside the cards page
# «Hva er nytt» as Atom (generator/site/feed.py), at the site's root: the theme fetches the
# `sitemap.xml` beside every <link rel="alternate">, and there one exists.
FEED_PATH = "feed.xml"
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
# The kinds shown on the «Når samarbeidet svikter» page, each under its own id as anchor.
COLLABORATION_KINDS = frozenset(
    {
        "framework",
        "framework_level",
        "framework_component",
        "escalation_step",
        "collaboration",
        "case_flow",
    }
)
CATEGORIES = {
    "core_messages": "Basismelding",
    "care_messages": "PLO-melding",
    "dialogue_message": "Dialogmelding",
    "other": "Annen meldingstype",
}


def topic_path(topic: Topic) -> Markup:
    return url(f"{TOPICS_FOLDER}/{topic.id}.md")


def checklist_path(checklist: Checklist) -> Markup:
    return url(f"{CHECKLISTS_FOLDER}/{checklist.id}.md")


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
    if kind in COLLABORATION_KINDS:
        return COLLABORATION, target_id
    if kind == "checklist":
        return checklist_path(entry.entity), None
    if kind == "checklist_step":
        assert entry.parent is not None
        return checklist_path(entry.parent.entity), target_id
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


@dataclass
class ChangeView:
    """One change a region wrote, as the «Regionale tilpasninger» page shows it: one change
    can both override and extend (`actions`); `target` is the id to link to, None when the item
    is not on this site."""

    actions: list[str]  # override / extend / remove
    target: str | None
    label: str
    kind: str
    why: str
    where: str
    fields: list[FieldChange]
    added: list[tuple[str, list[tuple[str | None, str]]]]  # field label -> (id to link, label)


@dataclass
class RegionChanges:
    region: str  # id
    name: str
    own: bool  # the region itself (the others are the ones it extends)
    changes: list[ChangeView]


class _Renderer:
    def __init__(
        self,
        handbook: Handbook,
        templates: Path,
        today: dt.date,
        site_url: str = "",
        search_terms: bool = True,
        search_later: list[SearchWork] | None = None,
    ) -> None:
        self.handbook = handbook
        # Compound parts, joined words and glossary names as hidden index text (search_terms),
        # or with `search_later` a placeholder for them and what `search_blocks` needs.
        self.later = search_later if search_terms else None
        self.splitter = (
            Splitter(vocabulary(handbook)) if search_terms and self.later is None else None
        )
        self.today = today
        self.site_url = site_url
        self.diagnostics: list[Diagnostic] = []
        self.entry_by_object: dict[int, Entry] = {
            id(e.entity): e for e in handbook.entries.values()
        }
        # The base's topics, which the portal compares between regions (none without regions).
        self.compared = (
            {t.id for t in handbook.topics} - ids_from_regions(handbook.region)
            if handbook.region is not None
            else set()
        )
        self.responsible = {
            who for topic in handbook.topics for s in topic.statements for who in s.responsible
        }
        # Every value a template prints is escaped for Markdown and HTML unless it is Markup:
        # see generator.site.escape for what may make one.
        self.env = markdown_environment(
            jinja2.FileSystemLoader(templates),
            # Compiled code depends on how the environment escapes, which the cache's key does
            # not include: a name of its own keeps code compiled without escaping out.
            bytecode_cache=_bytecode_cache(),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.current_path = INDEX
        self.current_title = ""
        self.env.globals.update(
            handbook=handbook,
            entity=self.entity,
            href=self.href,
            page_href=self.page_href,
            pages={
                "regional": REGIONAL,
                "collaboration": COLLABORATION,
                "routes": ROUTES,
                "messages": MESSAGES,
            },
            link=self.link,
            text=self.text,
            cite=self.cite,
            provenance=self.provenance,
            editorial_mark=self.editorial_mark,
            status_mark=self.status_mark,
            example_number=self.example_number,
            status_for=self.status_for,
            source_ref=self.source_ref,
            count=count_words,
            tel=tel_href,
            url=url,
            code_block=code_block,
            keys=keys_html,
            date=norwegian_date,
            name_of=self.name_of,
            with_short_name=with_short_name,
            first_sentence=first_sentence,
            suggest=self.suggest,
            quote=lambda value: quote(value, safe=""),  # one part of a URL, e.g. a subject
            linkable=self.linkable,
            situations=SITUATIONS,
            kind_labels=KIND_LABELS,
            kind_names=KIND_NAMES,
            actions=ACTIONS,
            compare_href=self.compare_href,
            compared=self.compared,
            categories=CATEGORIES,
            topic_path=topic_path,
            checklist_path=checklist_path,
            region_name=handbook.info.region if handbook.info else "regionen",
            today=today,
        )

    # --- where everything lives ----------------------------------------------------------

    def location(self, target_id: str) -> tuple[str, str | None]:
        return location(self.handbook, target_id)

    def href(self, target_id: str) -> Markup:
        """A Markdown link target from the page being rendered to `target_id`."""
        return self.page_href(*self.location(target_id))

    def page_href(self, path: str, anchor: str | None = None) -> Markup:
        """A Markdown link target from the page being rendered to a page (docs-relative)."""
        if path == self.current_path:
            return url(f"#{anchor}" if anchor else "#")
        relative = _relative(str(path), posixpath.dirname(self.current_path))
        return url(f"{relative}#{anchor}" if anchor else relative)

    def compare_href(self, topic_id: str | None = None) -> Markup:
        """The URL of the portal's comparison of a topic (or of its list of topics), relative
        to the page being rendered: each region's site is a folder beside the portal's pages."""
        depth = page_url(self.current_path).count("/") + 1
        return url("../" * depth + f"{COMPARE_FOLDER}/" + (f"{topic_id}/" if topic_id else ""))

    def name_of(self, target_id: str) -> str:
        entry = self.handbook.entries[target_id]
        entity = entry.entity
        if entry.kind == "statement":
            assert entry.parent is not None
            return f"{entry.parent.entity.title}: {_shorten(plain_of_markdown(entity.text))}"
        if entry.kind in ("rule", "decision"):
            return _shorten(plain_of_markdown(getattr(entity, "text", None) or entity.question))
        if entry.kind == "term":
            return entity.term
        if entry.kind == "topic" and entity.number is not None:
            return f"{entity.title} (kap. {entity.number})"
        if entry.kind == "organisation":
            return with_short_name(entity.name, entity.short_name)
        if entry.kind == "case_flow":
            return f"{self.name_of(entity.from_body)} → {self.name_of(entity.to_body)}"
        for attribute in ("title", "name"):
            if getattr(entity, attribute, None):
                return getattr(entity, attribute)
        return target_id

    def link(self, target_id: str, label: str | None = None) -> Markup:
        shown = markdown_text(label or self.name_of(target_id))
        return Markup(f"[{shown}]({self.href(target_id)})")

    def linkable(self, target_id: str) -> bool:
        """Whether the site shows `target_id` where `location` says: an actor has its anchor
        on the matrix page only when it is responsible for something."""
        entry = self.handbook.entries.get(target_id)
        if entry is None:
            return False
        return entry.kind != "actor" or target_id in self.responsible

    def entity(self, target_id: str) -> Any:
        return self.handbook.entries[target_id].entity

    # --- content text ----------------------------------------------------------------------

    def text(self, value: str | None, owner: Any = None, where: str | None = None) -> Markup:
        """Content text on its way into a page: checked by the sanitizer, passed on unchanged.
        `owner` (an entity) or `where` ("path:line") says where a refused text is written."""
        if value is None:
            return Markup("")
        problem = unsafe_difference(value)
        if problem is not None:
            entry = self.entry_by_object.get(id(owner)) if owner is not None else None
            if where is not None:
                path, _, line = where.rpartition(":")
                self.diagnostics.append(
                    Diagnostic(
                        path,
                        int(line),
                        1,
                        Level.ERROR,
                        "unsafe-html",
                        "teksten gir HTML som renseren måtte endre",
                        "fjern HTML og lenker som ikke er https:, mailto: eller tel:",
                    )
                )
            elif entry is not None:
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
            return Markup("")
        return content_markdown(" ".join(value.split()) if "\n-" not in value else value)

    def source_ref(self, citation: Citation) -> Markup:
        """A link to the source document, and the section in it."""
        source = self.handbook.entries[citation.document].entity
        section = next(s for s in source.sections if s.id == citation.section)
        where = f"kap. {section.id} {section.title}" if section.id.isdigit() else section.title
        if citation.heading:
            where += f" – {citation.heading}"
        label = markdown_text(source.short_title or source.title)
        return Markup(f"[{label}]({self.href(citation.document)}), {markdown_text(where)}")

    def cite(self, citation: Citation, item: Any = None) -> Markup:
        """«Kilde: ...», and the status of what is cited when it is a proposal (see
        `generator.core.provenance.item_status`; without `item`, the section's or the source's)."""
        shown = Markup(f"Kilde: {self.source_ref(citation)}")
        found = (
            item_status(self.handbook, item, citation)
            if item is not None
            else status_of(self.handbook, citation)
        )
        if found is not None:
            shown += Markup(" · ") + self.status_mark(found)
        return shown

    def status_mark(self, status: SourceStatus) -> Markup:
        label = markdown_text(status_label(self.handbook, status))
        return Markup(f'<strong class="hb-status">{label}</strong>')

    def editorial_mark(self, editorial: Editorial) -> Markup:
        """«Redaksjonell tilføyelse (dato)»: shown where a citation would be."""
        who = self.name_of(editorial.who) if editorial.who in self.handbook.entries else None
        basis = markdown_text(f"{editorial.basis} ({who or editorial.who})")
        label = markdown_text(f"Redaksjonell tilføyelse ({norwegian_date(editorial.when)})")
        return Markup(f'<strong class="hb-editorial">{label}</strong>: {basis}')

    def provenance(self, item: Any, default: Citation | None = None) -> Markup:
        """What an item is shown with: its editorial mark, or the citation the renderer uses
        today (`item.source or default`) with its status."""
        if getattr(item, "editorial", None) is not None:
            return self.editorial_mark(item.editorial)
        citation = getattr(item, "source", None) or default
        if citation is None:
            return Markup("")
        return self.cite(citation, item)

    def status_for(self, item: Any) -> SourceStatus | None:
        """An item's status: its own, else that of the section it cites (`item.source`)."""
        return item_status(self.handbook, item, getattr(item, "source", None))

    def example_number(self, route: Route) -> bool:
        """Whether the route's number is a placeholder (`internal.example`): never dialable."""
        extra = route.internal
        return bool(extra and extra.example and extra.number and extra.number == route.number)

    def page_link(self, path: str) -> str:
        """A page's absolute address (site_url + the page's URL), for links that leave the site."""
        return (self.site_url.rstrip("/") + "/" if self.site_url else "/") + page_url(path)

    def suggest(self, item_id: str | None = None) -> Markup | None:
        """«Foreslå endring» for the page being rendered (or one item on it): a prefilled
        message, or None when the region names no channel (see generator.site.feedback)."""
        href = feedback_href(
            self.handbook.info, self.current_title, self.page_link(self.current_path), item_id
        )
        return url(href) if href is not None else None

    # --- pages -----------------------------------------------------------------------------

    def render(
        self,
        path: str,
        template: str,
        title: str,
        review: Review | None,
        hide: tuple[str, ...] = (),
        search: bool = True,
        empty_topic: bool = False,
        summary: bool = False,
        **data: Any,
    ) -> Page:
        """One page. `empty_topic`: a chapter with nothing in it yet, so nothing to review (the
        front matter says so, for the theme's review line). `summary`: a page that lists or
        summarises other pages; its text counts less in search than the pages it points to."""
        self.current_path, self.current_title = path, title
        body = self.env.get_template(template).render(page_title=title, review=review, **data)
        front = [f"title: {_yaml_string(theme_text(title))}"]  # the theme prints it as HTML
        suggest = feedback_href(self.handbook.info, title, self.page_link(path))
        if suggest is not None:  # the theme escapes it (overrides/theme/main.html)
            front.append(f"suggest_href: {_yaml_string(suggest)}")
        statement = self.handbook.info.accessibility_statement if self.handbook.info else None
        if statement:  # a validated https: address; the footer escapes it
            front.append(f"accessibility_href: {_yaml_string(statement)}")
        if hide:
            front.append(f"hide: [{', '.join(hide)}]")
        if not search:
            front.append("search_exclude: true")
        if empty_topic:
            front.append("empty_topic: true")
        if review is not None:
            front += [
                f'review_last: "{review.last_reviewed.isoformat()}"',
                f'review_next: "{review.next_review.isoformat()}"',
                f'review_last_text: "{norwegian_date(review.last_reviewed)}"',
                f'review_next_text: "{norwegian_date(review.next_review)}"',
                f"review_overdue: {str(review.next_review < self.today).lower()}",
            ]
        if search and self.later is not None:
            self.later.append(SearchWork(path, title, body, data.get("topic"), summary))
            body += f"\n\n{search_slot.PLACEHOLDER}\n"
        elif search and self.splitter is not None:
            body += self.search_block(title, body, data.get("topic"), summary)
        if search and summary:
            body = summary_body(body)
        markdown_text = "---\n" + "\n".join(front) + "\n---\n\n" + body + self.abbreviations()
        return Page(path, title, markdown_text, review)

    def search_block(
        self, title: str, body: str, topic: Topic | None, summary: bool = False
    ) -> str:
        """The words Pagefind cannot find by itself, hidden (generator.site.search_terms)."""
        assert self.splitter is not None
        block = _search_block(self.handbook, self.splitter, title, body, topic, summary)
        return f"\n\n{block}\n" if block else ""

    def abbreviations(self) -> str:
        """Material's abbr extension explains every glossary abbreviation where it appears, in
        a tooltip made from the `title` attribute (see `tooltip_text`). A spelling that the
        definition's syntax cannot hold is left out."""
        lines = []
        for term in self.handbook.glossary:
            explanation = tooltip_text(term.expansion or plain_of_markdown(term.explanation or ""))
            for spelling in (term.term, *term.variants):
                if not ABBREVIATION.fullmatch(spelling):  # a word in the glossary, not explained
                    continue
                if explanation and not set(spelling) & set("[]\\\n"):
                    lines.append(f"*[{spelling}]: {explanation}")
        return "\n\n" + "\n".join(lines) + "\n"

    def groups(self, topic: Topic) -> list[StatementGroup]:
        return statement_groups(self.handbook, topic)


def _search_block(
    handbook: Handbook,
    splitter: Splitter,
    title: str,
    body: str,
    topic: Topic | None,
    summary: bool,
) -> str:
    tied = tied_terms(topic, handbook.glossary) if topic is not None else []
    heavy, light = search_words(title, body, splitter, tied)
    misspelt = typos(words_of(title), splitter)
    return hidden_block(heavy, light, SUMMARY_WEIGHT if summary else PARTS_WEIGHT, misspelt)


class SearchWork(NamedTuple):
    """A page's search words, left for later (`render_pages(search_later=...)`)."""

    path: str
    title: str
    body: str
    topic: Topic | None
    summary: bool


def search_blocks(handbook: Handbook, later: list[SearchWork]) -> dict[str, str]:
    """The search words of the pages `render_pages` left them for: page path -> what goes in
    place of `search_slot.TOKEN` (the inside of the hidden block), "" for a page without any."""
    splitter = Splitter(vocabulary(handbook))
    blocks = {}
    for work in later:
        block = _search_block(handbook, splitter, work.title, work.body, work.topic, work.summary)
        blocks[work.path] = search_slot.inside(str(block))
    return blocks


def statement_groups(handbook: Handbook, topic: Topic) -> list[StatementGroup]:
    """A topic's statements by who is responsible, in the order they first appear."""
    groups: dict[tuple[str, ...], StatementGroup] = {}
    for statement in topic.statements:
        key = tuple(statement.responsible)
        if key not in groups:
            groups[key] = StatementGroup(
                anchor="ansvar-" + "-".join(key).replace("_", "-"),
                heading=group_heading(handbook, key),
                responsible=key,
            )
        groups[key].statements.append(statement)
    return list(groups.values())


def group_heading(handbook: Handbook, responsible: tuple[str, ...]) -> str:
    if len(responsible) == 1:
        entity = handbook.entries[responsible[0]].entity
        return getattr(entity, "responsibility_heading", None) or entity.name
    return "Felles ansvar"


@functools.cache
def _relative(path: str, folder: str) -> str:
    """`posixpath.relpath(path, folder)` for docs-relative paths, without its getcwd() calls
    (hundreds of links per build)."""
    parts, base = path.split("/"), folder.split("/") if folder else []
    common = 0
    while common < min(len(parts) - 1, len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, shared between builds (keyed by template source, so never stale), in
    Jinja's own folder (`$TMPDIR/_jinja2-cache-<uid>`): Jinja makes it 0700 and refuses one that
    another user owns, whose planted code would otherwise run here. None: compile every time."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern="__handbook_markdown_escaped_%s.cache")
    except (RuntimeError, OSError):
        return None


def _shorten(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def with_short_name(name: str, short_name: str | None) -> str:
    """«Sørlandet sykehus Kristiansand (SSK)»: the short name in brackets only when there is one
    and the name does not already hold it (a name written «… (SSK)» is shown as it is)."""
    if not short_name or re.search(rf"(?<!\w){re.escape(short_name)}(?!\w)", name):
        return name
    return f"{name} ({short_name})"


def first_sentence(markdown: str) -> str:
    """The first sentence of a content text, as plain text (a template escapes it): a sentence
    ends at «.», «!» or «?» before a capital letter."""
    flat = " ".join(plain_of_markdown(markdown).split())
    match = re.search(r"[.!?](?= [A-ZÆØÅ«])", flat)
    return flat[: match.end()] if match else flat


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tel_href(number: str) -> Markup:
    digits = number.replace(" ", "")
    if digits.startswith("+") or len(digits) != 8:
        return url(f"tel:{digits}")
    return url(f"tel:+47{digits}")


def keys_html(sequence: str) -> Markup:
    """'R 3421' -> one <kbd> per key, in the order they are pressed."""
    keys = [key for token in sequence.split() for key in ([token] if token == "R" else token)]
    return Markup("".join(f"<kbd>{markdown_text(key)}</kbd>" for key in keys))


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


NUMBER_WORDS = ("null", "ett", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti")


def count_words(n: int, one: str, many: str) -> str:
    """«ett nivå», «tre nivåer», «12 nivåer»: a count as Norwegian text (`one` is the whole
    phrase for a single one, since the word for one follows the noun's gender)."""
    if n == 1:
        return one
    return f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {many}"


def oldest(reviews: Iterable[Review | None]) -> Review | None:
    """The most conservative review of several: the oldest last review, the nearest next one.
    Content without a review (an empty chapter) is left out."""
    reviews = [r for r in reviews if r is not None]
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
    site_url: str = "",
    search_terms: bool = True,
    search_later: list[SearchWork] | None = None,
) -> tuple[list[Page], list[Diagnostic]]:
    """Every page of the handbook site, or the diagnostics that stop the build. `site_url`:
    the site's address, for links that leave it (feedback messages). `search_terms`: add the
    hidden index words (off only to measure search without them). `search_later`: a list that
    receives each page's work for its search words, and the page a placeholder for them
    (`search_blocks` makes them; the MkDocs plugin puts them into the built page), so the
    pages are ready sooner."""
    r = _Renderer(
        handbook, templates, today or dt.date.today(), site_url, search_terms, search_later
    )
    topics = handbook.topics
    routes: list[Route] = handbook.routes
    everything = oldest(
        [t.review for t in topics]
        + [x.review for x in routes]
        + [m.review for m in handbook.message_types]
        + [x.review for kind in ("framework", "collaboration") for x in handbook.of_kind(kind)]
        + [c.review for c in handbook.of_kind("checklist")]
    )
    pages: list[Page] = []
    for topic in topics:
        pages.append(
            r.render(
                topic_path(topic),
                "topic.md.j2",
                f"{topic.number}. {topic.title}" if topic.number is not None else topic.title,
                topic.review,
                empty_topic=not topic.statements,
                topic=topic,
                groups=r.groups(topic),
            )
        )
    by_situation: dict[str, list[Route]] = {}
    for route in routes:
        by_situation.setdefault(route.situation, []).append(route)
    if routes or handbook.region is None:  # a region whose sources give no numbers has no page
        pages.append(
            r.render(
                ROUTES,
                "routes.md.j2",
                "Hvem ringer jeg?",
                oldest(x.review for x in routes),
                by_situation=[(s, by_situation[s]) for s in SITUATIONS if s in by_situation],
            )
        )
    if handbook.message_types or handbook.of_kind("decision") or handbook.region is None:
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
            summary=True,
            **matrix(handbook, r),
        )
    )
    pages.append(
        r.render(
            GLOSSARY,
            "glossary.md.j2",
            "Forkortelser",
            everything,
            summary=True,
            terms=handbook.glossary,
        )
    )
    pages.append(
        r.render(
            ABOUT,
            "about.md.j2",
            "Om håndboka",
            everything,
            summary=True,
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
            summary=True,
            examples=examples or [],
        )
    )
    changes = changes or Changelog(since=None)
    pages.append(
        r.render(
            WHATS_NEW,
            "whats-new.md.j2",
            "Hva er nytt",
            everything,
            summary=True,
            changes=changes,
            kinds=KINDS,
            feed=FEED_PATH,
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
            summary=True,
            groups=[g for g in groups if g[2]],
        )
    )
    if handbook.region is not None:
        pages += region_pages(handbook, r, everything)
    reviewed = [(t.review.last_reviewed, t) for t in topics if t.review is not None]
    recent = [t for _, t in sorted(reviewed, key=lambda pair: pair[0], reverse=True)[:5]]
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
            paths={p.path for p in pages},
            checklists=handbook.of_kind("checklist") if handbook.region else [],
        )
    )
    return pages, r.diagnostics


# --- the pages of a region's handbook ----------------------------------------------------------


def region_pages(handbook: Handbook, r: _Renderer, everything: Review | None) -> list[Page]:
    """«Regionale tilpasninger», «Når samarbeidet svikter» and one page per checklist."""
    view = handbook.region
    assert view is not None
    pages = [
        r.render(
            REGIONAL,
            "regional.md.j2",
            "Regionale tilpasninger",
            everything,
            summary=True,
            groups=region_changes(view, r),
            own=own_items(handbook, view),
            compare=[t for t in handbook.topics if t.id in r.compared],
        )
    ]
    frameworks = handbook.of_kind("framework")
    collaborations = handbook.of_kind("collaboration")
    if frameworks or collaborations:
        ladder: dict[str, list[tuple[Any, LadderStep]]] = {}
        for collaboration in collaborations:
            for step in collaboration.ladder:
                ladder.setdefault(step.step, []).append((collaboration, step))
        pages.append(
            r.render(
                COLLABORATION,
                "collaboration.md.j2",
                "Når samarbeidet svikter",
                oldest(x.review for x in [*frameworks, *collaborations]),
                frameworks=frameworks,
                collaborations=collaborations,
                ladder=ladder,
            )
        )
    for checklist in handbook.of_kind("checklist"):
        pages.append(
            r.render(
                checklist_path(checklist),
                "checklist.md.j2",
                checklist.title,
                checklist.review,
                checklist=checklist,
            )
        )
    return pages


def region_changes(view: RegionView, r: _Renderer) -> list[RegionChanges]:
    """The changes grouped by the region that made them: the region itself first."""
    groups = []
    for level in reversed(view.chain):
        changes: list[ChangeView] = []
        for change in (c for c in view.changes if c.region == level.id):
            shown = change_view(change, r)
            last = changes[-1] if changes else None
            if last and (last.where, last.label) == (shown.where, shown.label):  # one change
                last.actions += shown.actions
                last.fields += shown.fields
                last.added += shown.added
            else:
                changes.append(shown)
        if changes or level is view.region:
            groups.append(RegionChanges(level.id, level.info.region, level is view.region, changes))
    return groups


def change_view(change: AppliedChange, r: _Renderer) -> ChangeView:
    shown = change.action != "remove" and r.linkable(change.target)
    added = [
        (FIELD_NAMES.get(name, name), [_added_item(i, change.target, r) for i in items])
        for name, items in change.added.items()
    ]
    return ChangeView(
        actions=[change.action],
        target=change.target if shown else None,
        label=r.name_of(change.target) if shown else _shorten(_plain_label(change)),
        kind=KIND_NAMES.get(change.kind, change.kind),
        why=change.why,
        where=change.where,
        fields=field_changes(change),
        added=added,
    )


def _plain_label(change: AppliedChange) -> str:
    return plain_of_markdown(change.label) if change.label_markdown else change.label


def _added_item(item: str, target: str, r: _Renderer) -> tuple[str | None, str]:
    """(id to link, label) of an item a change added; a statement added to the changed topic
    is named by its text alone (the topic is named already)."""
    if not r.linkable(item):
        return None, _shorten(item)
    entry = r.handbook.entries[item]
    if entry.kind == "statement" and entry.parent is not None and entry.parent.id == target:
        return item, _shorten(plain_of_markdown(entry.entity.text))
    return item, r.name_of(item)


def own_items(handbook: Handbook, view: RegionView) -> list[tuple[str, list[str]]]:
    """The region's own top-level items (not inherited), by kind: (kind name, ids)."""
    by_kind: dict[str, list[str]] = {}
    for item_id in view.own_ids:
        entry = handbook.entries.get(item_id)
        if entry is not None and entry.parent is None:
            by_kind.setdefault(entry.kind, []).append(item_id)
    order = list(KIND_NAMES)
    return [
        (KIND_NAMES[kind], sorted(by_kind[kind], key=lambda i: _sort_name(handbook, i)))
        for kind in sorted(by_kind, key=lambda k: order.index(k) if k in order else len(order))
    ]


def _sort_name(handbook: Handbook, item_id: str) -> tuple[int, str]:
    entity = handbook.entries[item_id].entity
    number = getattr(entity, "number", None)
    name = next((getattr(entity, a) for a in ("title", "name", "term") if hasattr(entity, a)), "")
    return (number if isinstance(number, int) else 10_000, str(name).lower())


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
        if not topic.statements:
            continue  # listed under the table
        groups = r.groups(topic)
        cells = []
        for who in columns:
            count = sum(1 for s in topic.statements if who in s.responsible)
            group = next((g for g in groups if g.responsible == (who,)), None) or next(
                (g for g in groups if who in g.responsible), None
            )
            cells.append((count, group.anchor if group else None))
        rows.append((topic, cells))
    return {
        "columns": columns,
        "rows": rows,
        "empty": [topic for topic in topics if not topic.statements],
    }
