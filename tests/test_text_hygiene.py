"""Text pasted from Word: soft hyphens, zero-width and bidi control characters and odd no-break
spaces are warnings at their own place, `handbook fmt` fixes them and nothing else, and a site
built from the fixed content carries none of them (pages and search index).

A no-break space next to a digit («5 mg», a phone number) is deliberate: it is neither reported
nor changed. Every character is written into the files from the escapes in this file."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from generator.core.pipeline import load_handbook
from generator.core.text_rules import INVISIBLE_NAMES, clean_text, hygiene_fixes
from generator.editor.fmt import format_file, format_text

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 6, 1)
SHY, ZWSP, ZWJ, RLO, WJ, NBSP = "\u00ad", "\u200b", "\u200d", "\u202e", "\u2060", "\u00a0"
CODES = {"invisible-char", "odd-space-in-text"}

# The minimal fixture's topic as pasted from Word, in fmt's layout otherwise. Each {…} is one
# character: {shy} {zwsp} {rlo} {wj} {zwj} are removed, {sp} is a no-break space that becomes a
# space and {gone} one that goes (beside a line break, another space or at the end); {keep} is
# a soft hyphen in a comment, which stays. The deliberate no-break spaces are written directly.
TEMPLATE = """\
# Emne limt inn fra Word; en myk bind{keep}estrek i en kommentar står som den står
topics:
  - id: emne
    number: 1
    title: Et{sp}emne
    source: {{document: kilde, section: "1"}}
    review: {{last_reviewed: 2026-01-01, next_review: 2027-01-01, owner: utvalg}}
    statements:
      - id: emne.utsagn
        responsible: gp
        text: Fastlegen gjør *noe* med epi{shy}krisen.  # etter{keep}på
      - id: emne.dose
        responsible: gp
        text: 'Gi 5\u00a0mg og ring 22\u00a011\u00a033\u00a044 ved{zwsp} spørsmål.'
      - id: emne.retning
        responsible: gp
        text: "Ring{rlo} legen{wj} ved behov."
      - id: emne.blokk
        responsible: gp
        text: >-
          Sykehuset{zwj} svarer{gone}
          innen{gone}{sp}en uke.{gone}
"""
# The rest of the minimal fixture's file (its route and message type), as it is.
REST = (FIXTURES / "minimal" / "topic.yaml").read_text(encoding="utf-8").partition("routes:")
TEMPLATE += REST[1] + REST[2].replace("{", "{{").replace("}", "}}")
DIRTY = TEMPLATE.format(keep=SHY, shy=SHY, zwsp=ZWSP, rlo=RLO, wj=WJ, zwj=ZWJ, sp=NBSP, gone=NBSP)
CLEAN = TEMPLATE.format(keep=SHY, shy="", zwsp="", rlo="", wj="", zwj="", sp=" ", gone="")


def _content(tmp_path: Path, topic: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "topic.yaml").write_text(topic, encoding="utf-8")
    return content


def _hygiene_warnings(content: Path) -> set[tuple[int, int, str, str]]:
    result = load_handbook(content, TODAY)
    assert result.handbook is not None, [d.format() for d in result.diagnostics]
    return {
        (d.line, d.col, d.code, d.message.split("«")[0])
        for d in result.diagnostics
        if d.code in CODES
    }


def _place(text: str, line_with: str, char: str) -> tuple[int, int]:
    """1-based line and column of the first `char` on the first line holding `line_with`."""
    for number, line in enumerate(text.split("\n"), 1):
        if line_with in line and "#" not in line.split(":")[0]:
            return number, line.index(char) + 1
    raise AssertionError(line_with)


def test_the_rule_keeps_no_break_spaces_next_to_a_digit() -> None:
    assert hygiene_fixes(f"5{NBSP}mg, 22{NBSP}11{NBSP}33{NBSP}44, §{NBSP}5") == []
    assert clean_text(f"Ring{NBSP}legen") == "Ring legen"
    assert clean_text(f"{NBSP}Ring legen{NBSP}") == "Ring legen"  # at an end: nothing
    assert clean_text(f"Ring {NBSP}legen") == "Ring legen"  # no double space
    assert clean_text(f"Ring{NBSP}{NBSP}legen") == "Ring legen"
    assert clean_text(f"epi{SHY}kri{ZWSP}se{RLO}n{ZWJ}{WJ}\ufeff") == "epikrisen"
    assert clean_text("kontroll\x07tegn") == "kontroll\x07tegn"  # reported, left to the editor


def test_each_kind_is_a_warning_at_its_own_column(tmp_path: Path) -> None:
    found = _hygiene_warnings(_content(tmp_path, DIRTY))
    invisible, space = "usynlig tegn U+", "U+00A0 "
    expected = {
        (*_place(DIRTY, "title:", NBSP), "odd-space-in-text", space),
        (*_place(DIRTY, "epi", SHY), "invisible-char", invisible + "00AD "),
        (*_place(DIRTY, "ved", ZWSP), "invisible-char", invisible + "200B "),
        (*_place(DIRTY, "Ring", RLO), "invisible-char", invisible + "202E "),
        (*_place(DIRTY, "Ring", WJ), "invisible-char", invisible + "2060 "),
        (*_place(DIRTY, "Sykehuset", ZWJ), "invisible-char", invisible + "200D "),
        (*_place(DIRTY, "Sykehuset", NBSP), "odd-space-in-text", space),
    }
    assert found == expected


def test_fmt_check_reports_them_and_fmt_fixes_only_them(tmp_path: Path) -> None:
    content = _content(tmp_path, DIRTY)
    topic = content / "topic.yaml"
    assert format_text(CLEAN) == CLEAN  # the layout is already fmt's: only the characters
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "fmt", "--check", "--content", str(content)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{topic}: ikke formatert" in run.stdout
    assert topic.read_text(encoding="utf-8") == DIRTY
    assert format_file(topic, check=False) is False
    assert topic.read_text(encoding="utf-8") == CLEAN  # comments, quotes and order kept
    assert format_file(topic, check=True) is True
    assert _hygiene_warnings(content) == set()


def test_a_value_that_would_change_otherwise_is_left_alone() -> None:
    text = (
        f"plain: tre{SHY}ff\n"
        f"number: {ZWSP}123\n"  # without the character it would be a number
        f"list: {ZWSP}- x\n"  # and this no longer YAML
        'escaped: "a\\u00adb"\n'  # written as an escape: meant
        f"{SHY}key: a{NBSP}b\n"  # keys are never changed
    )
    out = format_text(text)
    load = YAML(typ="safe").load
    assert load(out) == {
        "plain": "treff",
        "number": f"{ZWSP}123",
        "list": f"{ZWSP}- x",
        "escaped": f"a{SHY}b",
        f"{SHY}key": "a b",
    }


def test_a_site_built_from_the_fixed_content_carries_none_of_them(tmp_path: Path) -> None:
    content = _content(tmp_path, DIRTY)
    assert format_file(content / "topic.yaml", check=False) is False
    out = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--content", str(content), "--out", out],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    pages = list(out.rglob("*.html"))
    index = [p for p in (out / "pagefind").rglob("*") if p.suffix in (".pf_fragment", ".pf_index")]
    assert pages and index
    texts = {p: p.read_bytes().decode("utf-8") for p in pages}
    texts |= {p: gzip.decompress(p.read_bytes()).decode("utf-8", "ignore") for p in index}
    hidden = set(INVISIBLE_NAMES)
    found = {
        f"{p.relative_to(out)}: U+{ord(c):04X}"
        for p, raw in texts.items()
        for form in (raw, html.unescape(raw))
        for c in set(form) & hidden
    }
    assert not found, sorted(found)
    fragments = "".join(t for p, t in texts.items() if p.suffix == ".pf_fragment")
    for shown in ("Et emne", "Sykehuset svarer innen en uke.", "Ring legen ved behov."):
        assert shown in fragments, shown
    assert not any(f"Et{NBSP}emne" in text for text in texts.values())
    assert any("Gi 5" in texts[p] for p in pages)
