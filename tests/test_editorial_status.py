"""Editorial additions and proposals, as readers see them: pages, cards and handbook.json.

The real content marks the expansions no source has as editorial, and Legeforeningen's chapter 7
(the escalation ladder) as a proposal. A copy of it adds a chapter that cites chapter 7 and has
one editorial statement, and a card with both, so the card path is exercised too. Expected
labels are built from the loaded content, not copied from the output.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli
from generator.cards.data import card_data
from generator.cards.render import render_card
from generator.core.export import export
from generator.core.handbook import Handbook
from generator.core.pipeline import load_handbook
from generator.core.provenance import editorial_share, status_label
from generator.site.pages import Page, norwegian_date, render_pages

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 1)
TEMPLATES = ROOT / "overrides" / "handbook"
CARD_TEMPLATES = ROOT / "overrides" / "cards"
SITE_URL = "https://handbok.example/agder"

EXTRA = """topics:
  - id: proveniens-test
    title: Proveniens
    source: {document: legeforeningen-innspill-2026, section: "7"}
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
    statements:
      - id: proveniens-test.forslag
        responsible: gp
        text: Et utsagn fra kapittelet med forslaget.
      - id: proveniens-test.redaksjonelt
        responsible: gp
        text: Et utsagn redaksjonen har lagt til.
        editorial:
          who: msu
          when: 2026-11-30
          basis: Lagt til for testen.
          next_review: 2027-11-30
cards:
  - id: proveniens-kort
    title: Proveniens
    format: a4-sheet
    link: proveniens-test
    items: [proveniens-test, kanal.henvisning]
"""


@pytest.fixture(scope="module")
def agder(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    content = tmp_path_factory.mktemp("provenance") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "regions" / "agder" / "proveniens.yaml").write_text(EXTRA, encoding="utf-8")
    result = load_handbook(content, today=TODAY, region="agder")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.handbook is not None
    return result.handbook


@pytest.fixture(scope="module")
def pages(agder: Handbook) -> dict[str, Page]:
    made, problems = render_pages(agder, TEMPLATES, today=TODAY)
    assert problems == []
    return {page.path: page for page in made}


def _block(markdown: str, anchor_id: str) -> str:
    """The `<div ... id="anchor_id" ...>` block of a page's Markdown."""
    match = re.search(
        rf'<div class="[^"]*" id="{re.escape(anchor_id)}" markdown>(.*?)</div>', markdown, re.S
    )
    assert match, anchor_id
    return match.group(1)


def _editorial_label(when: dt.date) -> str:
    return f"Redaksjonell tilføyelse ({norwegian_date(when)})"


def _proposal(handbook: Handbook) -> str:
    source = handbook.entries["legeforeningen-innspill-2026"].entity
    status = next(s.status for s in source.sections if s.id == "7")
    assert status is not None
    return status_label(handbook, status)


def test_the_proposal_label_names_who_proposed_when_and_the_region() -> None:
    result = load_handbook(ROOT / "content", today=TODAY, region="troms-ofoten")
    assert result.handbook is not None
    assert _proposal(result.handbook) == (
        "Forslag fra Legeforeningen (2026), ikke vedtatt i Troms og Ofoten"
    )


def test_glossary_and_organisations_show_editorial_additions(
    agder: Handbook, pages: dict[str, Page]
) -> None:
    glossary = next(p for p in pages.values() if 'id="term-ssf"' in p.markdown)
    about = next(p for p in pages.values() if 'id="org-sshf"' in p.markdown)
    for term in ("term-ssf", "term-ssk", "term-ssa", "term-sshf", "term-unn", "term-nav"):
        entity = agder.entries[term].entity
        assert entity.editorial is not None and entity.source is None
        block = _block(glossary.markdown, term)
        assert _editorial_label(entity.editorial.when) in block
        assert "Kilde:" not in block
    for org in ("sshf", "ssk", "ssa", "ssf"):
        entity = agder.entries[org].entity
        assert _editorial_label(entity.editorial.when) in _block(about.markdown, f"org-{org}")
    # cited terms keep their citation and are not marked
    assert "Redaksjonell" not in _block(glossary.markdown, "term-aat")
    assert "Kilde:" in _block(glossary.markdown, "term-aat")


def test_a_term_citing_the_proposal_chapter_is_not_labelled_a_proposal(
    agder: Handbook, pages: dict[str, Page]
) -> None:
    glossary = next(p for p in pages.values() if 'id="term-fsu"' in p.markdown)
    block = _block(glossary.markdown, "term-fsu")
    assert "kap. 7" in block
    assert _proposal(agder) not in block


def test_the_escalation_ladder_is_shown_as_a_proposal_on_every_step(
    agder: Handbook, pages: dict[str, Page]
) -> None:
    page = next(p for p in pages.values() if 'class="hb-ladder"' in p.markdown)
    label = _proposal(agder)
    assert label == "Forslag fra Legeforeningen (2026), ikke vedtatt i Agder"
    ladder = page.markdown.split('<ol class="hb-ladder"')[1].split("</ol>")[0]
    steps = agder.entries["collaboration_framework"].entity.escalation
    for step in steps:
        item = ladder.split(f'id="{step.id}"')[1].split("</li>")[0]
        assert label in item, step.id
    assert "forslag til eskaleringstrapp" in page.markdown
    # the chapter's levels and components (chapters 4 and 5) are not a proposal
    assert label not in _block(page.markdown, "komponent-praktisk")


def test_a_region_with_its_own_procedure_shows_it_as_the_rule() -> None:
    result = load_handbook(ROOT / "content", today=TODAY, region="troms-ofoten")
    assert result.handbook is not None
    made, _ = render_pages(result.handbook, TEMPLATES, today=TODAY)
    page = next(p for p in made if 'class="hb-ladder"' in p.markdown)
    collaboration = result.handbook.entries["helsefellesskapet-troms-ofoten"].entity
    intro = page.markdown.split("{: .hb-proposal }")[0].rsplit("\n\n", 1)[1]
    assert f"(#{collaboration.id})" in intro and "som bakgrunn" in intro


def test_statements_show_their_status_or_editorial_mark_on_the_page(
    agder: Handbook, pages: dict[str, Page]
) -> None:
    page = next(p for p in pages.values() if 'id="proveniens-test.forslag"' in p.markdown)
    proposal = _block(page.markdown, "proveniens-test.forslag")
    assert _proposal(agder) in proposal and "Kilde:" in proposal
    editorial = _block(page.markdown, "proveniens-test.redaksjonelt")
    assert _editorial_label(dt.date(2026, 11, 30)) in editorial
    assert "Kilde:" not in editorial


def test_cards_print_editorial_marks_and_proposal_labels(agder: Handbook, tmp_path: Path) -> None:
    card = agder.entries["proveniens-kort"].entity
    data = card_data(agder, card, SITE_URL, TODAY)
    marks = {
        item["id"]: item["mark"] for block in data["blocks"] for item in block.get("items", [block])
    }
    assert marks["proveniens-test.forslag"] == _proposal(agder)
    assert marks["proveniens-test.redaksjonelt"] == _editorial_label(dt.date(2026, 11, 30))
    assert marks["kanal.henvisning"] == ""
    rendered, problem = render_card(agder, card, CARD_TEMPLATES, SITE_URL, TODAY)
    assert problem is None and rendered is not None
    pdf = tmp_path / "kort.pdf"
    pdf.write_bytes(rendered.pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert _proposal(agder) in text
    assert _editorial_label(dt.date(2026, 11, 30)) in text


def test_handbook_json_carries_editorial_additions_and_status(agder: Handbook) -> None:
    document = export(agder)
    terms = {t["id"]: t for t in document["glossary"]}
    assert terms["term-ssf"]["editorial"]["when"] == "2026-12-01"
    assert "source" not in terms["term-ssf"]
    sources = {s["id"]: s for s in document["sources"]}
    chapter = next(s for s in sources["legeforeningen-innspill-2026"]["sections"] if s["id"] == "7")
    assert chapter["status"] == {
        "kind": "proposal",
        "by": "legeforeningen",
        "year": 2026,
        "note": chapter["status"]["note"],
    }
    assert chapter["status"]["note"].startswith("Legeforeningen mener")


def test_validate_reports_the_editorial_share_per_region(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["validate", "--content", str(ROOT / "content")]) == 0
    printed = capsys.readouterr().err
    for region in ("agder", "oslo", "troms-ofoten"):
        handbook = load_handbook(ROOT / "content", today=TODAY, region=region).handbook
        assert handbook is not None
        editorial, total = editorial_share(handbook)
        assert editorial > 0
        assert f"Redaksjonelt {region}: {editorial} av {total} elementer" in printed


def test_strict_requires_a_review_date_on_editorial_additions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "ekstra.yaml").write_text(
        "glossary:\n  - id: term-ssf\n    term: SSF\n    expansion: Sørlandet sykehus Flekkefjord\n"
        "    editorial: {who: Redaksjonen, when: 2026-05-01, basis: Allment kjent.}\n",
        encoding="utf-8",
    )
    assert cli.main(["validate", "--content", str(content)]) == 0
    assert "[editorial-no-review]" in capsys.readouterr().out
    assert cli.main(["validate", "--content", str(content), "--strict"]) == 1
