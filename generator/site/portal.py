"""The portal: a plain static start page for every region's site, and the regions side by side.

    out/index.html                    every region: its site, health community and description
    out/sammenlign/index.html         the base's chapters, and how much each region has in them
    out/sammenlign/<topic>/index.html one chapter: each region's statements, review and changes
    out/portal.css

Why plain HTML and not another MkDocs site: the portal has three kinds of page and no search, so
it needs no theme and no JavaScript, and it stays small however many regions there are. Every
region's site is a folder beside it (`out/<region>/`), built by MkDocs.

Renderers only get the public edition: `render_portal` is given each region's public view.
Content text is Markdown: it is rendered and sanitized here with the same allowlist as the
pages, and a text the sanitizer would change stops the portal (it never silently fixes one).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.checks.references import KIND_NAMES
from generator.core.handbook import Handbook
from generator.core.model import HandbookInfo, Review, Topic, holds_markdown
from generator.core.regions import AppliedChange
from generator.site.changes import FIELD_NAMES, FieldChange, field_changes, ids_from_regions
from generator.site.navigation import COMPARE_FOLDER
from generator.site.pages import (
    ACTIONS,
    KIND_LABELS,
    StatementGroup,
    norwegian_date,
    page_url,
    statement_groups,
    topic_path,
)
from generator.site.safe_text import plain_of_markdown, rendered_and_cleaned, unsafe_difference

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "portal"
STYLESHEET = "portal.css"


class PortalError(ValueError):
    """A content text the sanitizer would change: the portal is not written."""


@dataclass
class ChangeNote:
    """A change a region wrote to a chapter or one of its statements, with its reason (one
    change may both override and extend)."""

    actions: list[str]  # Endret / Utvidet / Fjernet
    kind: str
    label: str
    why: str
    where: str
    inherited_from: str | None  # the name of the region that made it, when not this one
    fields: list[FieldChange]
    added: list[tuple[str, list[str]]]  # extend: field label -> what was added, for people


@dataclass
class RegionTopic:
    """One region's version of a chapter, for the comparison page."""

    region: str
    name: str
    handbook_title: str
    topic: Topic | None  # None: the region has taken the chapter out
    url: str | None  # the chapter in the region's site, relative to the comparison page
    groups: list[StatementGroup]
    review: Review | None
    changes: list[ChangeNote] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # statement id -> Endret / Utvidet


@dataclass
class Compared:
    """A chapter of the base, and every region's version of it."""

    id: str
    title: str
    regions: list[RegionTopic]


def render_portal(handbooks: dict[str, Handbook], out: Path, templates: Path = TEMPLATES) -> None:
    """Write the portal into `out` (beside the regions' sites). `handbooks` are the public
    editions of every region, by region id, in the order the portal lists them."""
    env = _environment(templates)
    compared = [_compare(topic_id, handbooks) for topic_id in base_topics(handbooks)]
    pages = {
        Path("index.html"): env.get_template("index.html.j2").render(
            root="", regions=_regions(handbooks), compare=f"{COMPARE_FOLDER}/"
        ),
        Path(COMPARE_FOLDER, "index.html"): env.get_template("compare-index.html.j2").render(
            root="../", compared=compared, regions=_regions(handbooks), only=_only_in(handbooks)
        ),
    }
    for topic in compared:
        pages[Path(COMPARE_FOLDER, topic.id, "index.html")] = env.get_template(
            "compare.html.j2"
        ).render(root="../../", compared=topic)
    for path, text in pages.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copyfile(templates / STYLESHEET, out / STYLESHEET)


def base_topics(handbooks: dict[str, Handbook]) -> list[str]:
    """The ids of the base's chapters that some region has, in chapter order."""
    found: dict[str, Topic] = {}
    for handbook in handbooks.values():
        from_regions = ids_from_regions(handbook.region) if handbook.region else set()
        for topic in handbook.topics:
            if topic.id not in from_regions:
                found.setdefault(topic.id, topic)
    order = sorted(found.values(), key=lambda t: (t.number is None, t.number, t.title))
    return [t.id for t in order]


# --- data for the pages --------------------------------------------------------------------


@dataclass
class RegionCard:
    id: str
    info: HandbookInfo
    topics: int  # chapters with recommendations
    changes: int  # changes as the region wrote them (one may both override and extend)


def _regions(handbooks: dict[str, Handbook]) -> list[RegionCard]:
    cards = []
    for region_id, handbook in handbooks.items():
        assert handbook.info is not None
        written = {c.where for c in handbook.region.changes} if handbook.region else set()
        topics = sum(1 for t in handbook.topics if t.statements)
        cards.append(RegionCard(region_id, handbook.info, topics, len(written)))
    return cards


def _only_in(handbooks: dict[str, Handbook]) -> list[tuple[str, str, list[Topic]]]:
    """(region id, region name, its own chapters) for every region that has some."""
    rows = []
    for region_id, handbook in handbooks.items():
        assert handbook.info is not None
        own = handbook.region.own_ids if handbook.region else set()
        topics = [t for t in handbook.topics if t.id in own]
        if topics:
            rows.append((region_id, handbook.info.region, topics))
    return rows


def _compare(topic_id: str, handbooks: dict[str, Handbook]) -> Compared:
    members = {topic_id}  # the chapter and its statements, in any region's version
    for handbook in handbooks.values():
        entry = handbook.entries.get(topic_id)
        if entry is not None:
            members |= {s.id for s in entry.entity.statements}
    regions = [_region_topic(topic_id, members, rid, h) for rid, h in handbooks.items()]
    return Compared(topic_id, _base_title(topic_id, handbooks), regions)


def _region_topic(
    topic_id: str, members: set[str], region_id: str, handbook: Handbook
) -> RegionTopic:
    assert handbook.info is not None
    entry = handbook.entries.get(topic_id)
    topic = entry.entity if entry is not None and entry.kind == "topic" else None
    view = handbook.region
    names = {level.id: level.info.region for level in view.chain} if view else {}
    touching = [c for c in (view.changes if view else []) if _touches(c, members)]
    marks = {c.target: ACTIONS["override"] for c in touching if c.action == "override"}
    marks |= {i: "Lagt til" for c in touching for items in c.added.values() for i in items}
    if topic is not None and all(s.id in marks for s in topic.statements):
        marks = {}  # the region wrote the whole chapter: nothing to tell apart
    changes: list[ChangeNote] = []
    for c in touching:
        note = ChangeNote(
            actions=[ACTIONS[c.action]],
            kind=KIND_NAMES.get(c.kind, c.kind),
            label=plain_of_markdown(c.label) if c.label_markdown else c.label,
            why=c.why,
            where=c.where,
            inherited_from=names.get(c.region) if c.region != region_id else None,
            fields=field_changes(c),
            added=[
                (FIELD_NAMES.get(name, name), [_added_label(handbook, i) for i in items])
                for name, items in c.added.items()
            ],
        )
        last = changes[-1] if changes else None
        if last is not None and (last.where, last.label) == (note.where, note.label):
            last.actions += note.actions
            last.fields += note.fields
            last.added += note.added
        else:
            changes.append(note)
    return RegionTopic(
        region=region_id,
        name=handbook.info.region,
        handbook_title=handbook.info.title,
        topic=topic,
        url=f"../../{region_id}/{page_url(topic_path(topic))}" if topic else None,
        groups=statement_groups(handbook, topic) if topic else [],
        review=topic.review if topic else None,
        changes=changes,
        marks=marks,
    )


def _added_label(handbook: Handbook, item: str) -> str:
    """An added item's text or name (an id in the region's handbook), or the item itself, as
    plain text (a text's Markdown taken out)."""
    entry = handbook.entries.get(item)
    if entry is None:
        return item
    entity = entry.entity
    for attribute in ("text", "title", "name", "term", "question"):
        value = getattr(entity, attribute, None)
        if isinstance(value, str):
            return plain_of_markdown(value) if holds_markdown(type(entity), attribute) else value
    return item


def _touches(change: AppliedChange, members: set[str]) -> bool:
    added = {i for items in change.added.values() for i in items}
    return change.target in members or bool(added & members)


def _base_title(topic_id: str, handbooks: dict[str, Handbook]) -> str:
    """The chapter's title in the base: a region may have given it another."""
    for handbook in handbooks.values():
        view = handbook.region
        renamed = [
            c
            for c in (view.changes if view else [])
            if c.target == topic_id and "title" in c.fields
        ]
        if renamed and isinstance(renamed[0].before.get("title"), str):
            return renamed[0].before["title"]
        entry = handbook.entries.get(topic_id)
        if not renamed and entry is not None:
            return entry.entity.title
    return topic_id


# --- HTML ------------------------------------------------------------------------------------


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_html
    env.filters["md_inline"] = lambda text: markdown_html(text, inline=True)
    # An overridden value: content Markdown as sanitized HTML, plain text autoescaped.
    env.globals["value"] = lambda f, v: markdown_html(v, inline=True) if f.markdown else v
    env.globals.update(
        date=norwegian_date,
        kind_labels=KIND_LABELS,
        stylesheet=STYLESHEET,
    )
    return env


def markdown_html(text: str | None, inline: bool = False) -> Markup:
    """Content Markdown as sanitized HTML; `inline` drops the paragraph around a one-liner."""
    if not text:
        return Markup("")
    problem = unsafe_difference(text)
    if problem is not None:
        raise PortalError(f"teksten gir HTML som renseren måtte endre: {problem[:120]}")
    _, cleaned = rendered_and_cleaned(text)
    if inline and cleaned.startswith("<p>") and cleaned.endswith("</p>"):
        inner = cleaned[3:-4]
        if "<p>" not in inner:
            cleaned = inner
    return Markup(cleaned)  # sanitized by nh3 just above
