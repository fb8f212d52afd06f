"""One source, two editions: the public build holds no internal value anywhere, the internal
build holds every one of them (which proves the scanner can find them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build.swap import build_site
from generator.core.editions import edition_view
from generator.core.pipeline import load_handbook

from . import leak_scan
from .conftest import ROOT

# Internal content that exercises every path: an internal statement reached from a public one
# through its public fallback, an internal route, an internal card item, an internal term.
EXTRA = """topics:
  - id: intern-test
    title: Interntest
    source: {document: sshf-anbefalinger-2024, section: "3"}
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
    statements:
      - id: intern-test.offentlig
        responsible: gp
        text: Offentlig utsagn som viser videre.
        see_also: [intern-test.hemmelig]
      - id: intern-test.hemmelig
        responsible: gp
        text: Kvartalsvis hemmelig rutine for vaktlistene ved Kjeldeheia sjukestue.
        visibility: internal
        why_internal: Test av den interne utgaven.
        public_fallback: intern-test.offentlig
routes:
  - id: intern-rute
    title: Intern vakttelefon for Kjeldeheia sjukestue
    situation: advice
    caller: gp
    reaches: [hospital_doctor]
    purpose: Ring Kjeldeheia sjukestue direkte ved spørsmål om vaktlistene.
    number: "00 99 88 77"
    hours: {always_open: true}
    visibility: internal
    why_internal: Test av den interne utgaven.
    source: {document: sshf-anbefalinger-2024, section: "3"}
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
cards:
  - id: intern-kort
    title: Internkortet om Kjeldeheia sjukestue
    format: a6-pocket
    link: intern-rute
    items: [intern-rute]
    visibility: internal
    why_internal: Test av den interne utgaven.
  - id: eksempel-kort
    title: Kortet med et eksempelnummer
    format: a6-pocket
    link: rad-direkte-nummer
    items: [rad-direkte-nummer]
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("editions") / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "regions" / "agder" / "intern-test.yaml").write_text(EXTRA, encoding="utf-8")
    result = load_handbook(folder, region="agder")
    assert result.ok, [d.format() for d in result.diagnostics]
    return folder


@pytest.fixture(scope="module")
def values(content: Path) -> list[leak_scan.Value]:
    handbook = load_handbook(content, region="agder").handbook
    assert handbook is not None
    found = leak_scan.internal_values(handbook)
    assert len(found) >= 8  # the real content's two internal routes and the test items
    return found


@pytest.fixture(scope="module")
def sites(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("edition-sites")
    return {
        edition: build_site(ROOT / "mkdocs.yml", base / edition, content, edition)
        for edition in ("public", "internal")
    }


def _report(findings: list[leak_scan.Finding], site: Path) -> str:
    return "\n".join(
        f"{f.value.what} «{f.value.text[:50]}» in {f.file.relative_to(site)}" for f in findings
    )


def test_the_public_edition_contains_no_internal_value(
    sites: dict[str, Path], values: list[leak_scan.Value], capsys: pytest.CaptureFixture[str]
) -> None:
    site = sites["public"]
    findings, files = leak_scan.scan(site, values)
    with capsys.disabled():
        print(
            f"\n\nLekkasjetest: {len(values)} interne verdier søkt etter i {files} filer "
            f"i den åpne utgaven: {len(findings)} funnet.\n"
        )
    assert not findings, _report(findings, site)
    assert not [p for p in site.rglob("*") if p.suffix in (".yaml", ".yml")]


def test_the_internal_edition_contains_every_internal_value(
    sites: dict[str, Path], values: list[leak_scan.Value]
) -> None:
    site = sites["internal"]
    findings, _ = leak_scan.scan(site, values)
    found = {f.value for f in findings}
    missing = [v for v in values if v not in found]
    assert not missing, "\n".join(f"{v.what} «{v.text[:60]}»" for v in missing)
    # found in the search index and on the cards too, not only in the HTML
    folders = {part for f in findings for part in f.file.relative_to(site).parts[:-1]}
    assert {"pagefind", "kort", "telefonvei"} <= folders


def test_the_internal_edition_is_marked_on_every_page_and_card(sites: dict[str, Path]) -> None:
    site = sites["internal"] / "agder"
    for page in site.rglob("index.html"):
        assert "Intern – ikke for publisering" in page.read_text(encoding="utf-8"), page
    for pdf in (site / "kort").glob("*.pdf"):
        text = leak_scan._readable(pdf)[0]
        assert "INTERN – IKKE FOR PUBLISERING" in text, pdf.name
    public = sites["public"]
    assert "ikke for publisering" not in (public / "agder" / "index.html").read_text(
        encoding="utf-8"
    )


def test_public_references_to_internal_items_use_their_fallback(content: Path) -> None:
    handbook = load_handbook(content, region="agder").handbook
    assert handbook is not None
    public = edition_view(handbook, "public")
    assert "intern-test.hemmelig" not in public.entries
    assert "intern-rute" not in public.entries and "intern-kort" not in public.entries
    statement = public.entries["intern-test.offentlig"].entity
    assert statement.see_also == ["intern-test.offentlig"]
    route = public.entries["rad-direkte-nummer"].entity
    assert route.internal is None and route.number is None
    internal = edition_view(handbook, "internal")
    assert internal.entries["rad-direkte-nummer"].entity.number == "00 11 22 33"
    assert "EKSEMPEL" in internal.entries["rad-direkte-nummer"].entity.notes[0]


def _example_numbers(content: Path) -> list[str]:
    handbook = load_handbook(content, region="agder").handbook
    assert handbook is not None
    return [
        route.internal.number
        for route in handbook.routes
        if route.internal and route.internal.example and route.internal.number
    ]


def test_placeholder_numbers_are_never_dialable_in_the_internal_edition(
    content: Path, sites: dict[str, Path]
) -> None:
    site = sites["internal"] / "agder"
    numbers = _example_numbers(content)
    assert numbers  # the real content has placeholder numbers
    shown = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for number in numbers:
            digits = number.replace(" ", "")
            for href in re.findall(r'href="tel:([^"]*)"', html):
                assert digits not in re.sub(r"\D", "", href), (page, href)
            assert not re.search(r"Ring\W*" + r"\W*".join(digits), html), page
            label = f"EKSEMPEL: {number} (ikke et ekte nummer)"
            for match in re.finditer(re.escape(number), html):  # always inside its label
                start = match.start() - len("EKSEMPEL: ")
                assert html[start : start + len(label)] == label, (page, html[start - 80 : start])
                shown += 1
            if page.parent.name == "telefonvei":  # on the routes page: in one element of its own
                assert f'<span class="hb-example-number">{label}</span>' in html
    assert shown >= len(numbers)
    card = site / "kort" / "eksempel-kort.pdf"
    text = subprocess.run(
        ["pdftotext", str(card), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for number in numbers[:1]:  # the card holds the first route (rad-direkte-nummer)
        assert f"EKSEMPEL: {number} (ikke et ekte nummer)" in flat
        assert not re.search(r"Ring\W*" + r"\W*".join(number.replace(" ", "")), flat)
