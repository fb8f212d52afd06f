"""`handbook audit` on the real content and the real source texts in ../shared/sources/."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from generator.core.pipeline import load_regions
from generator.editor import audit

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SOURCES = ROOT.parent / "shared" / "sources"

pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources/ mangler")

# Added to a copy of the content: one invented statement, one pointed at a section the source
# text does not have, one real sentence of chapter 6 pointed at chapter 12, and the same
# sentence at its own chapter (which must pass: else the test could not tell them apart).
ADDED = """\
changes:
  - target: henvisning
    why: Test av kildegjennomgangen.
    extend:
      statements:
        - id: henvisning.oppdiktet
          responsible: gp
          text: >-
            Fastlegen skal alltid sende pasienten til tannlegen før hver operasjon på
            torsdager, og ringe apoteket om kvelden.
          source: {document: sshf-anbefalinger-2024, section: "2"}
        - id: henvisning.finnes-ikke
          responsible: gp
          text: Dobbelthenvisninger til sykehus og avtalespesialist skal unngås.
          source: {document: sshf-anbefalinger-2024, section: "17"}
        - id: henvisning.feil-kapittel
          responsible: hospital_doctor
          text: Forventet svartid på dialogmelding er inntil 5 virkedager.
          source: {document: sshf-anbefalinger-2024, section: "12"}
        - id: henvisning.riktig-kapittel
          responsible: hospital_doctor
          text: Forventet svartid på dialogmelding er inntil 5 virkedager.
          source: {document: sshf-anbefalinger-2024, section: "6"}
"""


def _run(content: Path) -> audit.Audit:
    result = load_regions(content)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    handbooks = {k: v for k, v in result.handbooks.items() if v is not None}
    return audit.run(handbooks, SOURCES)


@pytest.fixture(scope="module")
def real() -> audit.Audit:
    return _run(CONTENT)


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, audit.Audit]:
    content = tmp_path_factory.mktemp("audit") / "content"
    shutil.copytree(CONTENT, content)
    sources = content / "base" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    last = '      - {id: "16", title: Oppgavedeling}\n'
    assert last in text
    sources.write_text(
        text.replace(last, last + '      - {id: "17", title: Et kapittel som ikke finnes}\n'),
        encoding="utf-8",
    )
    (content / "regions" / "agder" / "topics" / "99-test.yaml").write_text(ADDED, "utf-8")
    return content, _run(content)


def _by_id(result: audit.Audit, region: str) -> dict[str, audit.Check]:
    found = next(r for r in result.regions if r.region == region)
    return {c.item.id: c for c in found.checks}


def test_real_content_figures(real: audit.Audit) -> None:
    """The figures for the closing note, printed; every declared section is found in its text."""
    print()
    for name, checked, low, missing, uncited in audit.summary_rows(real):
        print(
            f"{name}: sjekket {checked}, lite samsvar {low}, mangler {missing}, "
            f"ikke sitert {uncited}"
        )
    uncited = [f"{s.id} {x.id}" for s, x in real.uncited if not x.out_of_scope]
    print("ikke sitert av noen region (utenom out_of_scope):", ", ".join(uncited) or "ingen")
    for text in real.sources.values():
        assert isinstance(text, audit.SourceText), text
        assert [s.id for s in text.sections.values() if not s.found] == [], text.file
    assert {r.region for r in real.regions} == {"agder", "oslo", "troms-ofoten"}
    assert all(r.checks for r in real.regions)
    assert sum(r.count("missing") for r in real.regions) == 0
    checks = [c for r in real.regions for c in r.checks]
    assert sum(1 for c in checks if c.status == "ok") > len(checks) / 2


def test_sections_are_split_at_their_headings(real: audit.Audit) -> None:
    agder = real.sources["sshf-anbefalinger-2024"]
    unn = real.sources["unn-ssu-referat-2022-10-19"]
    assert isinstance(agder, audit.SourceText) and isinstance(unn, audit.SourceText)
    epikrise = agder.sections["4"].ranges[0]
    assert agder.lines[epikrise[0] - 1].strip() == "4. Epikrise"
    assert agder.lines[epikrise[1] - 1].strip().startswith("5. Polikliniske")
    plo = unn.sections["sak-45-22-plo-meldinger"]
    assert [unn.lines[start - 1].strip() for start, _ in plo.ranges] == [
        "Tittel:  Lokal digital samhandling",  # the case in the minutes, then its slide
        "PLO – meldinger: Heldøgns opphold",
    ]


def test_an_invented_statement_is_flagged(changed: tuple[Path, audit.Audit]) -> None:
    checks = _by_id(changed[1], "agder")
    invented = checks["henvisning.oppdiktet"]
    assert invented.status == "low"
    assert invented.score is not None and invented.score < audit.THRESHOLD
    assert invented.item.path.endswith("regions/agder/topics/99-test.yaml")
    assert invented.item.line == 6  # its `id:`


def test_a_wrong_section_is_flagged(changed: tuple[Path, audit.Audit]) -> None:
    checks = _by_id(changed[1], "agder")
    absent = checks["henvisning.finnes-ikke"]
    assert absent.status == "missing"
    assert absent.note is not None and "fant ikke overskriften «17" in absent.note
    assert absent.passage is not None and "Dobbelthenvisninger" in absent.passage.text
    wrong, right = checks["henvisning.feil-kapittel"], checks["henvisning.riktig-kapittel"]
    assert (wrong.status, right.status) == ("low", "ok")
    assert right.passage is not None and "5 virkedager" in right.passage.text
    assert right.score == 1.0


def main(argv: list[str]) -> int:
    """`handbook audit` through its own arguments (generator.cli adds the same to `handbook`)."""
    parser = argparse.ArgumentParser(prog="handbook")
    audit.add_command(parser.add_subparsers(dest="command", required=True))
    return audit.command(parser.parse_args(argv))


def test_the_command_reports_and_exits(
    changed: tuple[Path, audit.Audit], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = changed[0]
    html = tmp_path / "revisjon" / "index.html"
    args = ["audit", "--sources", str(SOURCES), "--content", str(content), "--region", "agder"]
    assert main([*args, "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "regions/agder/topics/99-test.yaml:6: lite samsvar" in out
    assert "avsnittet finnes ikke" in out
    page = html.read_text(encoding="utf-8")
    assert "<th>Kilden</th><th>Håndboka</th><th>Fil:linje</th>" in page
    assert "tannlegen før hver operasjon" in page
    assert main([*args, "--fail-on-findings"]) == 1
    capsys.readouterr()
    assert main(["audit", "--sources", str(tmp_path / "nei"), "--content", str(content)]) == 2
    assert "finner ikke kildemappen" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--threshold", "2"])
    assert exit_info.value.code == 2


def test_norwegian_normalisation() -> None:
    assert audit.stem("epikriser") == audit.stem("epikrise") == audit.stem("epikrisen")
    assert audit.stem("dialogmeldinger") == audit.stem("dialogmelding")
    assert audit.content_stems("Fastlegen skal sende epikrisen.") == ["fastleg", "send", "epikris"]


def test_the_internal_edition_has_the_audit_page_and_the_public_one_not(tmp_path: Path) -> None:
    """`handbook build --edition internal --sources DIR` writes the side-by-side page beside
    the regions (behind the internal edition's login); the public edition never does."""
    from generator.build.swap import AUDIT_FOLDER, build_site

    internal = build_site(
        ROOT / "mkdocs.yml", tmp_path / "intern", edition="internal", regions=["oslo"],
        sources=SOURCES,
    )  # fmt: skip
    public = build_site(ROOT / "mkdocs.yml", tmp_path / "offentlig", regions=["oslo"])
    page = (internal / AUDIT_FOLDER / "index.html").read_text(encoding="utf-8")
    assert "content/regions/oslo/" in page and "<table" in page
    assert not (public / AUDIT_FOLDER).exists()
