"""A region's own pages and the portal: what a reader must see, checked against the content.

The fixture (tests/fixtures/regions) is a base and two regions: «nord» overrides a statement,
extends a chapter and removes a statement, and has its own bodies, collaboration and checklist;
«sør» changes nothing, has a chapter of its own and a collaboration that names no bodies.
Every expected value is read from the loaded content, never copied from the output.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.core.editions import edition_view
from generator.core.handbook import Handbook
from generator.core.pipeline import load_handbook, load_regions
from generator.site.navigation import navigation
from generator.site.pages import (
    ACTIONS,
    COLLABORATION,
    REGIONAL,
    Page,
    checklist_path,
    page_url,
    render_pages,
    topic_path,
)
from generator.site.portal import PortalError, base_topics, markdown_html, render_portal

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 1)
TEMPLATES = ROOT / "overrides" / "handbook"
CONTENT = FIXTURES / "regions"


# --- reading what a page shows -----------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (
                    cls is None or cls in child.attrs.get("class", "").split()
                ):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def by_id(self, element_id: str) -> Node:
        for node in self.all():
            if node.attrs.get("id") == element_id:
                return node
        raise AssertionError(f"no element with id «{element_id}»")

    def links(self) -> list[str]:
        return [a.attrs["href"] for a in self.all("a") if "href" in a.attrs]


VOID = {"br", "hr", "img", "input", "meta", "link", "source", "col", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    return tree.root


def page_html(page: Page) -> Node:
    """A generated page as MkDocs renders its Markdown (same extensions, no theme)."""
    body = page.markdown.split("\n---\n", 1)[1]
    return parse(
        markdown.markdown(body, extensions=["abbr", "attr_list", "md_in_html", "tables", "toc"])
    )


def plain(text: str) -> str:
    """What a reader sees of a content text (its Markdown rendered)."""
    return parse(markdown.markdown(text)).text


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbooks() -> dict[str, Handbook]:
    result = load_regions(CONTENT, today=TODAY)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {rid: edition_view(h, "public") for rid, h in result.handbooks.items() if h}


@pytest.fixture(scope="module")
def pages(handbooks: dict[str, Handbook]) -> dict[str, dict[str, Page]]:
    rendered = {}
    for rid, handbook in handbooks.items():
        made, problems = render_pages(handbook, TEMPLATES, today=TODAY)
        assert not problems, [d.format() for d in problems]
        rendered[rid] = {p.path: p for p in made}
    return rendered


@pytest.fixture(scope="module")
def portal(handbooks: dict[str, Handbook], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal")
    render_portal(handbooks, out)
    return out


def test_the_fixture_has_what_the_tests_need(handbooks: dict[str, Handbook]) -> None:
    nord = handbooks["nord"].region
    assert nord is not None
    assert {c.action for c in nord.changes} == {"override", "extend", "remove"}
    assert handbooks["nord"].of_kind("framework") and handbooks["nord"].of_kind("checklist")
    assert all(h.of_kind("collaboration") for h in handbooks.values())


# --- «Regionale tilpasninger» -----------------------------------------------------------------


def test_the_differences_page_lists_every_change_with_its_reason(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    view = handbooks["nord"].region
    assert view is not None
    shown = page_html(pages["nord"][REGIONAL]).all("div", "hb-change")
    written = list(dict.fromkeys(c.where for c in view.changes))  # one may override and extend
    assert len(shown) == len(written)
    for change in view.changes:
        block = shown[written.index(change.where)]
        text = block.text
        assert ACTIONS[change.action] in text
        assert plain(change.why) in text, change.target
        assert change.where in text  # for editors: where the change is written
        links = block.links()
        if change.action == "remove":
            assert not links and change.label in text  # nothing to link to
        else:
            assert any(link.endswith(change.target) or change.target in link for link in links)
        for name, after in change.after.items():
            assert f"«{change.before[name]}»" in text and f"«{after}»" in text
        for added in (i for items in change.added.values() for i in items):
            assert any(link.endswith(f"#{added}") for link in links), added


def test_the_differences_page_names_what_only_the_region_has(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    handbook = handbooks["nord"]
    assert handbook.region is not None and handbook.info is not None
    html = page_html(pages["nord"][REGIONAL])
    own = html.by_id("bare-her")
    assert own.text == f"Bare i {handbook.info.region}"
    section = html.text.split(own.text, 1)[1]
    top_level = [i for i in handbook.region.own_ids if handbook.entries[i].parent is None]
    assert top_level
    for item in top_level:
        entity = handbook.entries[item].entity
        assert (getattr(entity, "title", None) or getattr(entity, "term", None) or entity.name) in (
            section
        )


def test_the_differences_page_links_to_the_comparison_in_the_portal(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]], portal: Path
) -> None:
    here = f"nord/{page_url(REGIONAL)}"
    compare_links = [
        link for link in page_html(pages["nord"][REGIONAL]).links() if "sammenlign" in link
    ]
    for topic in base_topics(handbooks):
        assert any(link.endswith(f"/{topic}/") for link in compare_links), topic
    for link in compare_links:
        target = portal / posixpath.normpath(posixpath.join(here, link)) / "index.html"
        assert target.is_file(), link


def test_changes_inherited_from_another_region_come_after_the_regions_own(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    west = content / "regions" / "vest"
    west.mkdir()
    (west / "region.yaml").write_text(
        "handbook:\n  id: vest\n  title: Håndboka Vest\n  region: Vest\n"
        "  health_community: Helsefellesskapet Vest\n  revision: '1'\n"
        "  maintainer: nord-utvalget\n  primary_source: felles\n  extends: nord\n"
        "changes:\n  - target: henvisning.bekreft\n    why: Vest svarer på telefon.\n"
        "    override: {text: Sykehuset ringer fastlegen.}\n",
        encoding="utf-8",
    )
    result = load_handbook(content, today=TODAY, region="vest")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.handbook is not None and result.handbook.region is not None
    made, problems = render_pages(edition_view(result.handbook, "public"), TEMPLATES, today=TODAY)
    assert not problems
    regional = page_html(next(p for p in made if p.path == REGIONAL))
    headings = [h.text for h in regional.all("h2")]
    assert headings[:2] == ["Endringer gjort i Vest", "Arvet fra Nord"]
    own, inherited = regional.text.split("Arvet fra Nord", 1)
    assert "Vest svarer på telefon." in own
    for change in result.handbook.region.changes:
        if change.region == "nord":
            assert plain(change.why) in inherited and plain(change.why) not in own


# --- an override shows in its region, and only there ----------------------------------------


def test_an_override_shows_in_its_region_and_not_in_the_other(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    nord = handbooks["nord"]
    assert nord.region is not None
    override = next(c for c in nord.region.changes if c.action == "override")
    assert "text" in override.after
    topic = nord.entries[override.target].parent
    assert topic is not None
    path = topic_path(topic.entity)
    in_nord = page_html(pages["nord"][path]).by_id(override.target).text
    in_sor = page_html(pages["sor"][path]).by_id(override.target).text
    assert plain(override.after["text"]) in in_nord
    assert plain(override.before["text"]) in in_sor
    assert plain(override.after["text"]) not in in_sor


def test_a_removed_statement_is_gone_only_where_it_was_removed(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    view = handbooks["nord"].region
    assert view is not None
    removed = next(c for c in view.changes if c.action == "remove")
    assert removed.target not in handbooks["nord"].entries
    topic = handbooks["sor"].entries[removed.target].parent
    assert topic is not None
    path = topic_path(topic.entity)
    assert removed.label not in page_html(pages["nord"][path]).text
    assert removed.label in page_html(pages["sor"][path]).text


# --- «Når samarbeidet svikter» ---------------------------------------------------------------


def test_the_ladder_shows_each_regions_own_bodies(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    for rid, handbook in handbooks.items():
        assert handbook.info is not None
        html = page_html(pages[rid][COLLABORATION])
        (framework,) = handbook.of_kind("framework")
        ladders = [s for c in handbook.of_kind("collaboration") for s in c.ladder]
        steps = html.all("li", "hb-ladder__step")
        assert [s.attrs["id"] for s in steps] == [s.id for s in framework.escalation]
        for step, shown in zip(framework.escalation, steps, strict=True):
            bodies = [b for ls in ladders if ls.step == step.id for b in ls.bodies]
            unknown = f"Kildene for {handbook.info.region} navngir ikke organet"
            if bodies:
                assert unknown not in shown.text
                for body in bodies:
                    assert handbook.entries[body].entity.name in shown.text, (rid, step.id)
            else:
                assert unknown in shown.text, (rid, step.id)
    assert any(ls.bodies for c in handbooks["nord"].of_kind("collaboration") for ls in c.ladder)


def test_the_collaboration_page_shows_levels_components_capacity_and_flows(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    handbook = handbooks["nord"]
    html = page_html(pages["nord"][COLLABORATION])
    (framework,) = handbook.of_kind("framework")
    for part in [*framework.levels, *framework.components]:
        assert part.name in html.by_id(part.id).text
    assert framework.capacity is not None
    assert plain(framework.capacity.text) in html.text
    (collaboration,) = handbook.of_kind("collaboration")
    for flow in collaboration.flows:
        shown = html.by_id(flow.id).text
        assert handbook.entries[flow.from_body].entity.name in shown
        assert handbook.entries[flow.to_body].entity.name in shown
    for body in collaboration.bodies:
        assert handbook.entries[body].entity.name in html.by_id(f"{collaboration.id}-{body}").text
    assert "Kilde:" in html.text


# --- checklists, empty chapters, the start page ---------------------------------------------


def test_a_checklist_page_has_numbered_steps_with_their_questions(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    handbook = handbooks["nord"]
    (checklist,) = handbook.of_kind("checklist")
    html = page_html(pages["nord"][checklist_path(checklist)])
    (steps,) = html.all("ol", "hb-checklist")
    shown = [li for li in steps.children if isinstance(li, type(steps)) and li.tag == "li"]
    assert [li.attrs["id"] for li in shown] == [s.id for s in checklist.steps]
    for step, li in zip(checklist.steps, shown, strict=True):
        assert step.title in li.text
        assert [q.text for q in li.all("li")] == [plain(q) for q in step.questions]
    assert checklist.based_on and checklist.based_on in html.text
    for who in checklist.used_by:
        assert handbook.entries[who].entity.name in html.text


def test_a_chapter_without_recommendations_says_so(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    handbook = handbooks["nord"]
    assert handbook.info is not None
    empty = [t for t in handbook.topics if not t.statements]
    assert empty
    for topic in empty:
        page = pages["nord"][topic_path(topic)]
        assert page.review is None and "review_last" not in page.markdown
        assert "\nempty_topic: true\n" in page.markdown  # for the theme's review line
        text = page_html(page).text
        assert f"Ingen anbefalinger er lagt inn for {handbook.info.region} ennå" in text
        for citation in [topic.source, *topic.also_in]:
            source = handbook.entries[citation.document].entity
            assert (source.short_title or source.title) in text
    matrix = page_html(pages["nord"]["hvem-gjor-hva.md"])
    rows = [row.text for row in matrix.all("tr")]
    for topic in empty:
        assert not any(topic.title in row for row in rows)
        assert topic.title in matrix.text  # named under the table instead


def test_the_start_page_names_the_region_and_links_its_pages(
    handbooks: dict[str, Handbook], pages: dict[str, dict[str, Page]]
) -> None:
    for rid, handbook in handbooks.items():
        assert handbook.info is not None
        html = page_html(pages[rid]["index.md"])
        region = html.all("div", "hb-region")[0].text
        assert handbook.info.region in region and handbook.info.health_community in region
        if handbook.info.description:
            assert plain(handbook.info.description) in region
        links = html.links()
        assert REGIONAL in links and COLLABORATION in links


def test_content_without_regions_gets_no_region_pages() -> None:
    result = load_handbook(FIXTURES / "minimal", today=TODAY)
    assert result.handbook is not None
    made, problems = render_pages(edition_view(result.handbook, "public"), TEMPLATES, today=TODAY)
    assert not problems
    paths = {p.path for p in made}
    assert not paths & {REGIONAL, COLLABORATION}
    assert not [p for p in paths if p.startswith("sjekklister/")]
    labels = [next(iter(item)) for item in navigation(made)]
    assert "Regionale tilpasninger" not in labels and "Når samarbeidet svikter" not in labels


def test_the_navigation_has_the_region_pages_and_does_not_grow_with_regions(
    pages: dict[str, dict[str, Page]], tmp_path: Path
) -> None:
    nav = navigation(list(pages["nord"].values()))
    flat = [value for item in nav for value in item.values()]
    assert REGIONAL in flat and COLLABORATION in flat
    checklists = next(item["Sjekklister"] for item in nav if "Sjekklister" in item)
    assert [next(iter(c.values())) for c in checklists] == [
        p for p in pages["nord"] if p.startswith("sjekklister/")
    ]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(content / "regions" / "sor", content / "regions" / "ost")
    declaration = content / "regions" / "ost" / "region.yaml"
    text = declaration.read_text(encoding="utf-8").replace("id: sor\n", "id: ost\n", 1)
    declaration.write_text(text.replace("sor-", "ost-"), encoding="utf-8")
    more = load_regions(content, today=TODAY)
    assert more.ok and len(more.handbooks) == 3, [d.format() for d in more.diagnostics]
    nord = more.handbooks["nord"]
    assert nord is not None
    made, _ = render_pages(edition_view(nord, "public"), TEMPLATES, today=TODAY)
    assert navigation(made) == nav


# --- the portal ----------------------------------------------------------------------------


def test_the_portal_links_every_regions_site(handbooks: dict[str, Handbook], portal: Path) -> None:
    html = parse((portal / "index.html").read_text(encoding="utf-8"))
    links = html.links()
    for rid, handbook in handbooks.items():
        assert handbook.info is not None
        assert f"{rid}/" in links
        card = next(li for li in html.all("li", "region") if f"{rid}/" in li.links())
        assert handbook.info.title in card.text
        assert handbook.info.health_community in card.text
        if handbook.info.description:
            assert plain(handbook.info.description) in card.text


def test_the_comparison_page_has_every_region(handbooks: dict[str, Handbook], portal: Path) -> None:
    topics = base_topics(handbooks)
    sor = handbooks["sor"]
    assert sor.region is not None
    assert set(topics) == {t.id for t in sor.topics} - sor.region.own_ids
    listing = parse((portal / "sammenlign" / "index.html").read_text(encoding="utf-8"))
    for topic in topics:
        assert f"{topic}/" in listing.links()
        html = parse((portal / "sammenlign" / topic / "index.html").read_text(encoding="utf-8"))
        as_in_base = next(
            h.entries[topic].entity.title
            for h in handbooks.values()
            if topic in h.entries
            and h.region is not None
            and not any(c.target == topic and "title" in c.fields for c in h.region.changes)
        )
        assert html.all("h1")[0].text == as_in_base  # the base's title, whoever renamed it
        for rid, handbook in handbooks.items():
            assert handbook.info is not None and handbook.region is not None
            section = html.by_id(rid)
            assert section.tag == "section"
            assert section.all("h2")[0].text == handbook.info.region
            entry = handbook.entries.get(topic)
            if entry is None:
                continue
            assert f"../../{rid}/emner/{topic}/" in section.links()
            if entry.entity.title != as_in_base:
                assert entry.entity.title in section.text
            for statement in entry.entity.statements:
                assert plain(statement.text) in section.text
            review = entry.entity.review
            if review is not None:
                assert review.last_reviewed.isoformat() in {
                    t.attrs.get("datetime") for t in section.all("time")
                }
            for change in handbook.region.changes:
                mine = change.target == topic or change.target in {
                    s.id for s in entry.entity.statements
                }
                if mine:
                    assert plain(change.why) in section.text
            for other, other_book in handbooks.items():
                if other != rid and other_book.region is not None:
                    for change in other_book.region.changes:
                        assert plain(change.why) not in section.text


def test_the_portal_pages_are_norwegian_and_have_landmarks(portal: Path) -> None:
    for page in portal.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        html = parse(raw)
        assert '<html lang="nb">' in raw, page
        assert len(html.all("main")) == 1 and len(html.all("h1")) == 1, page
        assert html.all("header") and html.all("nav"), page
        for link in html.all("link"):
            assert not link.attrs["href"].startswith(("http:", "https:", "//")), page
        assert not html.all("script"), page


def test_the_portal_refuses_html_the_sanitizer_would_change() -> None:
    assert str(markdown_html("Ring *straks*", inline=True)) == "Ring <em>straks</em>"
    with pytest.raises(PortalError):
        markdown_html('Se <b onclick="x">her</b>')
