"""Regions over a national base: what a region changes shows in it and nowhere else, and every
mistake in an overlay is one clear `path:line:col` error.

The fixture (tests/fixtures/overlay): a base with chapters t1 (empty) and t2 (statement s1);
region a overrides and extends t1 and removes s1; b extends a and overrides a's statement;
c builds on the base alone and refers to s1.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.core.diagnostics import Level
from generator.core.pipeline import load_handbook, load_regions

FIXTURE = Path(__file__).parent / "fixtures" / "overlay"
TODAY = dt.date(2026, 11, 22)


def _topic(region: str, topic_id: str):
    handbook = load_handbook(FIXTURE, TODAY, region=region).handbook
    assert handbook is not None
    return handbook.entries[topic_id].entity


def test_a_change_shows_in_its_region_and_the_regions_built_on_it_only() -> None:
    a, b, c = (_topic(r, "t1") for r in "abc")
    assert a.title == b.title == "Emne en i A"
    assert c.title == "Emne en"  # c builds on the base, not on a
    assert [s.text for s in a.statements] == ["A-utsagn."]
    assert [s.text for s in b.statements] == ["B-utsagn."]  # b's override of a's statement
    assert c.statements == []
    assert [s.id for s in _topic("a", "t2").statements] == []  # a removed s1
    assert [s.id for s in _topic("c", "t2").statements] == ["s1"]


def test_the_region_view_lists_every_change_with_its_reason_and_place() -> None:
    handbook = load_handbook(FIXTURE, TODAY, region="b").handbook
    assert handbook is not None and handbook.region is not None
    summary = [(c.region, c.action, c.target, c.why) for c in handbook.region.changes]
    assert summary == [
        ("a", "override", "t1", "A har egne regler."),
        ("a", "extend", "t1", "A har egne regler."),
        ("a", "remove", "s1", "Gjelder ikke i A."),
        ("b", "override", "a1", "B sier mer."),
    ]
    override = handbook.region.changes[-1]
    assert override.before == {"text": "A-utsagn."} and override.after == {"text": "B-utsagn."}
    assert override.where.endswith("regions/b/region.yaml:11")
    assert [r.id for r in handbook.region.chain] == ["a", "b"]


def test_a_region_needs_to_be_named_and_to_exist() -> None:
    result = load_handbook(FIXTURE, TODAY)
    assert [d.code for d in result.diagnostics] == ["region-needed"]
    assert "a, b, c" in result.diagnostics[0].message
    result = load_handbook(FIXTURE, TODAY, region="x")
    assert [d.code for d in result.diagnostics] == ["unknown-region"]


def test_the_whole_fixture_validates() -> None:
    result = load_regions(FIXTURE, TODAY)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert sorted(result.handbooks) == ["a", "b", "c"]


# --- mistakes: each one a clear error at the right place -------------------------------------


def _broken(tmp_path: Path, edits: dict[str, str]) -> list[str]:
    """The fixture with files replaced or added, validated: its error lines (path made short)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for name, text in edits.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    result = load_regions(content, TODAY)
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert errors, "the mistake was not reported"
    return [d.format().replace(f"{content.as_posix()}/", "") for d in errors]


REGION_A = (FIXTURE / "regions" / "a" / "region.yaml").read_text(encoding="utf-8")
REGION_C = (FIXTURE / "regions" / "c" / "region.yaml").read_text(encoding="utf-8")


def test_override_of_an_id_that_does_not_exist(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path, {"regions/a/region.yaml": REGION_A.replace("target: t1", "target: t11")}
    )
    assert len(errors) == 1
    assert errors[0].startswith("regions/a/region.yaml:10:13: error: regionen endrer «t11»")
    assert "mente du «t1»?" in errors[0]


def test_removing_what_another_item_still_refers_to(tmp_path: Path) -> None:
    topic = (FIXTURE / "regions" / "c" / "topics.yaml").read_text(encoding="utf-8")
    errors = _broken(
        tmp_path,
        {
            "regions/c/region.yaml": REGION_C + "changes:\n  - target: s1\n    why: Ut.\n"
            "    remove: true\n",
            "regions/c/topics.yaml": topic,
        },
    )
    assert errors == [
        "regions/c/topics.yaml:10:20: error: viser til «s1», som regionen fjerner "
        "(regions/c/region.yaml:10) [ref-removed]\n"
        "    hint: fjern henvisningen her, eller ikke fjern det den viser til"
    ]


def test_two_regions_with_the_same_id(tmp_path: Path) -> None:
    errors = _broken(tmp_path, {"regions/a2/region.yaml": REGION_A})
    assert len(errors) == 1
    assert errors[0].startswith(
        "regions/a2/region.yaml:2:7: error: regionen «a» finnes også i "
    ) or errors[0].startswith("regions/a/region.yaml:2:7: error: regionen «a» finnes også i ")
    assert "[duplicate-region]" in errors[0]


def test_a_cycle_in_inheritance(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path,
        {
            "regions/a/region.yaml": REGION_A.replace(
                "  primary_source: src\n", "  primary_source: src\n  extends: b\n"
            )
        },
    )
    assert any(
        e.startswith(
            "regions/a/region.yaml:9:12: error: regionene bygger på hverandre i ring: a → b → a"
        )
        for e in errors
    ), errors
    assert all("[region-cycle]" in e for e in errors)


def test_extends_a_region_that_does_not_exist(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path,
        {"regions/c/region.yaml": REGION_C + "  extends: aa\n"},
    )
    assert len(errors) == 1 and "ukjent region «aa»" in errors[0] and "mente du «a»?" in errors[0]


def test_an_override_is_validated_where_it_is_written(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path,
        {
            "regions/a/region.yaml": REGION_A.replace(
                "      title: Emne en i A\n",
                "      title: Emne en i A\n      number: tre\n      titel: Feil\n",
            )
        },
    )
    assert len(errors) == 2, errors
    assert errors[0].startswith("regions/a/region.yaml:14:15: error: «number» skal være et heltall")
    assert errors[1].startswith(
        "regions/a/region.yaml:15:7: error: «titel» er ikke et felt i det som endres"
    )
    assert "mente du «title»?" in errors[1]


def test_extend_needs_a_list_and_a_change_must_do_something(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path,
        {
            "regions/c/region.yaml": REGION_C + "changes:\n  - target: t2\n    why: X.\n"
            "    extend:\n      title: [Ny]\n  - target: t1\n    why: Y.\n",
        },
    )
    assert errors == [
        "regions/c/region.yaml:14:5: error: endringen gjør ingenting; skriv override:, extend: "
        "eller remove: true [bad-change]"
    ]
    errors = _broken(
        tmp_path / "2",
        {
            "regions/c/region.yaml": REGION_C + "changes:\n  - target: t2\n    why: X.\n"
            "    extend:\n      title: [Ny]\n",
        },
    )
    assert len(errors) == 1 and errors[0].startswith(
        "regions/c/region.yaml:13:7: error: «title» er ikke en liste"
    )


def test_defining_an_inherited_id_again_points_to_changes(tmp_path: Path) -> None:
    topic = (FIXTURE / "regions" / "c" / "topics.yaml").read_text(encoding="utf-8")
    errors = _broken(tmp_path, {"regions/c/topics.yaml": topic.replace("id: c1\n", "id: t2\n")})
    assert len(errors) == 1
    assert errors[0].startswith("regions/c/topics.yaml:2:9: error: id-en «t2» er brukt før, i ")
    assert "changes:" in errors[0]


def test_a_region_folder_without_region_yaml(tmp_path: Path) -> None:
    topic = (FIXTURE / "regions" / "c" / "topics.yaml").read_text(encoding="utf-8")
    errors = _broken(tmp_path, {"regions/d/topics.yaml": topic.replace("c1", "d1")})
    assert errors[0].startswith("regions/d/region.yaml:1:1: error: regionmappen «d» mangler")


def test_base_files_cannot_hold_changes(tmp_path: Path) -> None:
    errors = _broken(
        tmp_path, {"base/x.yaml": "changes:\n  - target: t1\n    why: X.\n    remove: true\n"}
    )
    assert errors[0].startswith("base/x.yaml:1:1: error: «changes:» hører hjemme i en region")


@pytest.mark.parametrize("region", ["a", "b", "c"])
def test_errors_are_reported_once_for_every_region(tmp_path: Path, region: str) -> None:
    """A mistake in the base is in every region's view, and reported once."""
    base = (FIXTURE / "base" / "base.yaml").read_text(encoding="utf-8")
    errors = _broken(tmp_path, {"base/base.yaml": base.replace("owner: org", "owner: orgg")})
    assert len(errors) == 1 and "ukjent" in errors[0]
