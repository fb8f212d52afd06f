"""Sources resolved where they are written: the citation shown next to every statement is the
one its own file gives it, whatever the regions after it change.

The fixture (tests/fixtures/overlay): a base with t1 (empty, section 1) and t2 (s1, section 2);
region a adds a1 to t1, citing section 2 itself; b extends a; c builds on the base. Each test
copies it and changes what it is about. The pages are rendered and turned into HTML with
Python-Markdown, and the citation is read from the HTML; the last test reads the real built site.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import markdown
import pytest

from generator.core.editions import edition_view
from generator.core.pipeline import load_handbook
from generator.site.pages import render_pages

from .conftest import FIXTURES, ROOT
from .provenance import section_words, shown_citations, written_citations

TODAY = dt.date(2026, 11, 22)
TEMPLATES = ROOT / "overrides" / "handbook"
HEADER = (
    "handbook:\n  id: {id}\n  title: Håndbok {id}\n  region: {id}\n  health_community: F\n"
    '  revision: "1"\n  maintainer: org\n  primary_source: src\n'
)
REVIEW = "      review: {last_reviewed: 2026-11-01, next_review: 2027-11-01, owner: org}\n"


def _content(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "overlay", content)
    for name, text in (files or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    return content


def _shown(content: Path, region: str) -> dict[str, tuple[str, str]]:
    """Statement id -> (link to the source, citation text) on the region's rendered pages."""
    result = load_handbook(content, TODAY, region=region)
    assert result.handbook is not None, [d.format() for d in result.diagnostics]
    pages, problems = render_pages(edition_view(result.handbook, "public"), TEMPLATES, TODAY)
    assert not problems
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "abbr", "tables", "toc"])
    shown: dict[str, tuple[str, str]] = {}
    for page in pages:
        shown |= shown_citations(md.reset().convert(page.markdown.split("---\n", 2)[2]))
    return shown


def _section(shown: tuple[str, str]) -> str:
    href, text = shown
    assert href.endswith("#kilde-src"), shown
    return text.rsplit("kap. ", 1)[1].split()[0]


def test_an_added_statement_needs_a_source_written_where_it_is(tmp_path: Path) -> None:
    region_a = (FIXTURES / "overlay" / "regions" / "a" / "region.yaml").read_text()
    without = re.sub(r"\n +source: .*# written from section 2.*", "", region_a)
    assert without != region_a
    content = _content(tmp_path, {"regions/a/region.yaml": without})
    result = load_handbook(content, TODAY, region="a")
    errors = [d for d in result.diagnostics if d.code == "missing-source"]
    assert len(errors) == 1
    line = without.splitlines().index("        - id: a1") + 1
    assert (errors[0].line, errors[0].col) == (line, 15)
    assert errors[0].path.endswith("regions/a/region.yaml")
    assert "arver ikke kilden" in errors[0].message


def test_an_added_statement_shows_its_own_source_not_the_chapters(tmp_path: Path) -> None:
    shown = _shown(_content(tmp_path), "a")
    assert _section(shown["a1"]) == "2"  # its own; t1 cites section 1


def test_a_change_that_gives_its_target_a_source_gives_it_to_what_it_adds(
    tmp_path: Path,
) -> None:
    region_c = (
        HEADER.format(id="c")
        + (
            "changes:\n  - target: t1\n    why: C skriver kapittelet fra avsnitt 2.\n"
            '    source: {document: src, section: "1"}\n'  # cites the reason, not what it adds
            '    override:\n      source: {document: src, section: "2"}\n'
            + REVIEW
            + "    extend:\n"
            "      statements:\n        - id: c2\n          responsible: gp\n"
            "          text: C-utsagn.\n"
        )
    )
    content = _content(tmp_path, {"regions/c/region.yaml": region_c})
    (content / "regions" / "c" / "topics.yaml").unlink()
    assert _section(_shown(content, "c")["c2"]) == "2"


def test_a_later_region_overriding_the_source_does_not_relabel_what_it_inherits(
    tmp_path: Path,
) -> None:
    region_b = HEADER.format(id="b") + (
        "  extends: a\nchanges:\n  - target: t1\n    why: B skriver fra kapittel 1.\n"
        '    override:\n      source: {document: src, section: "1"}\n'
        "    extend:\n      statements:\n        - id: b1\n          responsible: gp\n"
        "          text: B-utsagn.\n"
    )
    content = _content(tmp_path, {"regions/b/region.yaml": region_b})
    shown = _shown(content, "b")
    assert _section(shown["a1"]) == "2"  # written in a, from section 2
    assert _section(shown["b1"]) == "1"  # written in b's change, which gives section 1


def test_a_chain_of_three_keeps_each_statements_own_source(tmp_path: Path) -> None:
    region_b = HEADER.format(id="b") + (
        "  extends: a\nchanges:\n  - target: t1\n    why: B.\n"
        '    override:\n      source: {document: src, section: "1"}\n'
        "    extend:\n      statements:\n        - id: b1\n          responsible: gp\n"
        "          text: B-utsagn.\n"
    )
    region_d = HEADER.format(id="d") + (
        "  extends: b\nchanges:\n  - target: t1\n    why: D.\n"
        '    override:\n      source: {document: src, section: "2"}\n'
        "    extend:\n      statements:\n        - id: d1\n          responsible: gp\n"
        '          text: D-utsagn.\n          source: {document: src, section: "1"}\n'
    )
    content = _content(
        tmp_path, {"regions/b/region.yaml": region_b, "regions/d/region.yaml": region_d}
    )
    shown = _shown(content, "d")
    assert {s: _section(shown[s]) for s in ("a1", "b1", "d1")} == {"a1": "2", "b1": "1", "d1": "1"}


def test_removed_and_written_again_cites_where_it_is_written_again(tmp_path: Path) -> None:
    region_c = HEADER.format(id="c") + (
        "changes:\n  - target: s1\n    why: C skriver det selv.\n    remove: true\n"
        "  - target: t2\n    why: C skriver det selv.\n"
        "    extend:\n      statements:\n        - id: s1\n          responsible: gp\n"
        '          text: Skrevet på nytt.\n          source: {document: src, section: "1"}\n'
    )
    content = _content(tmp_path, {"regions/c/region.yaml": region_c})
    (content / "regions" / "c" / "topics.yaml").unlink()
    assert _section(_shown(content, "c")["s1"]) == "1"  # the base wrote it from section 2


# --- the real content, as built ----------------------------------------------------------------


@pytest.mark.parametrize("region", ["agder", "oslo", "troms-ofoten"])
def test_every_statement_on_every_page_cites_its_own_file(region: str, site: Path) -> None:
    """Every statement shown on a built page of the real handbook cites what its own file says."""
    content = ROOT / "content"
    written = written_citations(content)
    titles = section_words(content)
    checked = 0
    for page in sorted((site / region).rglob("*.html")):
        for statement, (href, text) in shown_citations(page.read_text("utf-8")).items():
            options = [c for c in written.get(statement, []) if c is not None]
            assert options, f"{page}: «{statement}» shows a citation but none is written for it"
            assert any(
                href.endswith(f"#kilde-{document}") and titles[(document, section)] in text
                for document, section in options
            ), f"{page}: «{statement}» shows «{text}» ({href}); its file says {options}"
            checked += 1
    assert checked >= (90 if region == "agder" else 5)
