"""`handbook fmt`: the canonical layout of a content file. Keys in the model's order, canonical
indentation, and nothing else changed: every comment stays with its key, every scalar is written
as it was (quotes, flow style, `>-`), and a second run changes nothing."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.editor.fmt import FormatError, format_file, format_text

from .conftest import ROOT

CONTENT_FILES = sorted((ROOT / "content").rglob("*.yaml"))

# Keys in the wrong order, with a comment in every place an editor might put one.
SHUFFLED = """\
# yaml-language-server: $schema=../../schema/handbook.schema.json
# Testemne med nøklene i feil rekkefølge. Hver kommentar skal følge nøkkelen sin.
topics:
  - title: Testemne  # tittelen
    # over id
    id: testemne
    review: {owner: msu, next_review: 2027-11-22, last_reviewed: 2026-11-22}
    statements:
      # Første gruppe
      - text: >-
          Fastlegen ringer AAT på 03739 når det haster,
          og sender ellers dialogmelding.
        # over id-en til utsagnet
        id: testemne.ringe  # id-en
        see_also: [akutt-psykisk-helse, dialogue_message]
        # over responsible
        responsible: [gp, hospital_doctor]
        ukjent_felt: beholdes  # ukjent nøkkel
        kind: duty
        details:
          - første punkt
          - andre punkt
          # en merknad til siste punkt

      # Andre gruppe
      - responsible: gp
        id: testemne.enkelt
        text: Kort tekst.
    source: {section: "2", document: sshf-anbefalinger-2024}
# slutt på emnene
routes:
  - id: testvei
    number: "03739"
    title: 'Testvei: akutt psykisk helse'
    caller: gp
    situation: acute_mental_health_admission
    reaches: [aat]
    purpose: Ved spørsmål om akuttinnleggelser.
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
    source: {document: sshf-anbefalinger-2024, section: "3"}
    hours:
      outside_hours: Settes over til bakvakt.
      always_open: false
    internal:
      number: '00 11 22 33'
      why_internal: Hemmelig.
"""

# A comment above the first key of a list item goes above the item (`- `), where it is read
# as being about the item; a deeper comment after a list stays with the list.
CANONICAL = """\
# yaml-language-server: $schema=../../schema/handbook.schema.json
# Testemne med nøklene i feil rekkefølge. Hver kommentar skal følge nøkkelen sin.
topics:
  # over id
  - id: testemne
    title: Testemne  # tittelen
    source: {document: sshf-anbefalinger-2024, section: "2"}
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
    statements:
      # Første gruppe
      # over id-en til utsagnet
      - id: testemne.ringe  # id-en
        # over responsible
        responsible: [gp, hospital_doctor]
        kind: duty
        text: >-
          Fastlegen ringer AAT på 03739 når det haster,
          og sender ellers dialogmelding.
        details:
          - første punkt
          - andre punkt
          # en merknad til siste punkt
        see_also: [akutt-psykisk-helse, dialogue_message]
        ukjent_felt: beholdes  # ukjent nøkkel

      # Andre gruppe
      - id: testemne.enkelt
        responsible: gp
        text: Kort tekst.
# slutt på emnene
routes:
  - id: testvei
    title: 'Testvei: akutt psykisk helse'
    situation: acute_mental_health_admission
    caller: gp
    reaches: [aat]
    purpose: Ved spørsmål om akuttinnleggelser.
    number: "03739"
    hours:
      always_open: false
      outside_hours: Settes over til bakvakt.
    internal:
      why_internal: Hemmelig.
      number: '00 11 22 33'
    source: {document: sshf-anbefalinger-2024, section: "3"}
    review: {last_reviewed: 2026-11-22, next_review: 2027-11-22, owner: msu}
"""


def _line_after(text: str, line: str) -> str:
    lines = text.splitlines()
    return lines[lines.index(line) + 1]


def _keys(text: str, *path: str | int) -> list[str]:
    data = YAML(typ="rt").load(text)
    for step in path:
        data = data[step]
    return list(data)


# --- comments --------------------------------------------------------------------------------


def test_shuffled_file_gets_its_canonical_form() -> None:
    assert format_text(SHUFFLED) == CANONICAL


def test_statement_keys_come_in_model_order_unknown_keys_last() -> None:
    keys = _keys(format_text(SHUFFLED), "topics", 0, "statements", 0)
    assert keys == ["id", "responsible", "kind", "text", "details", "see_also", "ukjent_felt"]


def test_inherited_visibility_keys_come_after_the_entitys_own_keys() -> None:
    # pydantic lists inherited fields first; the content writes `id` first and the
    # visibility keys last (see tests/fixtures/bad/*internal*.yaml)
    text = (
        "topics:\n"
        "  - id: t\n"
        "    statements:\n"
        "      - public_fallback: t.b\n"
        "        visibility: internal\n"
        "        text: Intern.\n"
        "        why_internal: Test.\n"
        "        responsible: gp\n"
        "        id: t.a\n"
    )
    keys = _keys(format_text(text), "topics", 0, "statements", 0)
    assert keys == ["id", "responsible", "text", "visibility", "why_internal", "public_fallback"]


def test_file_header_and_schema_line_stay_on_top() -> None:
    lines = format_text(SHUFFLED).splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/handbook.schema.json"
    assert lines[1].startswith("# Testemne med nøklene i feil rekkefølge.")
    assert lines[2] == "topics:"


def test_comment_above_a_key_moves_with_the_key() -> None:
    out = format_text(SHUFFLED)
    assert (
        _line_after(out, "        # over responsible")
        == "        responsible: [gp, hospital_doctor]"
    )
    # `id` becomes the first key of its item: its comment goes above the item
    assert (
        _line_after(out, "      # over id-en til utsagnet") == "      - id: testemne.ringe  # id-en"
    )
    assert _line_after(out, "  # over id") == "  - id: testemne"


def test_end_of_line_comments_stay_on_their_line() -> None:
    out = format_text(SHUFFLED)
    for line in (
        "    title: Testemne  # tittelen",
        "      - id: testemne.ringe  # id-en",
        "        ukjent_felt: beholdes  # ukjent nøkkel",
    ):
        assert line in out.splitlines()


def test_comments_between_items_and_after_lists_stay_in_place() -> None:
    out = format_text(SHUFFLED)
    assert _line_after(out, "          - andre punkt") == "          # en merknad til siste punkt"
    assert _line_after(out, "      # Andre gruppe") == "      - id: testemne.enkelt"
    assert _line_after(out, "# slutt på emnene") == "routes:"
    assert "      # Første gruppe\n      # over id-en til utsagnet\n" in out


def test_no_comment_is_lost_or_added() -> None:
    def comments(text: str) -> list[str]:
        return sorted(m.group() for m in re.finditer(r"(?<![^\s])#.*", text))

    assert comments(format_text(SHUFFLED)) == comments(SHUFFLED)


# --- what is kept as written -----------------------------------------------------------------


def test_unknown_keys_and_unknown_collections_are_kept() -> None:
    text = "topics:\n  - tittel: Feil navn\n    id: x\nextra:\n  b: 1\n  a: 2\n"
    out = format_text(text)
    assert out == "topics:\n  - id: x\n    tittel: Feil navn\nextra:\n  b: 1\n  a: 2\n"


def test_phone_numbers_stay_quoted_strings() -> None:
    out = format_text(SHUFFLED)
    assert '    number: "03739"' in out.splitlines()
    assert "      number: '00 11 22 33'" in out.splitlines()
    assert YAML(typ="safe").load(out)["routes"][0]["number"] == "03739"


def test_flow_collections_stay_flow_and_are_ordered() -> None:
    out = format_text(SHUFFLED)
    assert '    source: {document: sshf-anbefalinger-2024, section: "2"}' in out.splitlines()
    assert "        see_also: [akutt-psykisk-helse, dialogue_message]" in out.splitlines()


def test_folded_blocks_stay_as_written() -> None:
    out = format_text(SHUFFLED)
    assert (
        "        text: >-\n"
        "          Fastlegen ringer AAT på 03739 når det haster,\n"
        "          og sender ellers dialogmelding.\n"
    ) in out


def test_scalars_are_written_back_verbatim() -> None:
    # Values the validator would reject (or read differently) are not fmt's business.
    text = (
        "glossary:\n"
        "  - id: x\n"
        "    term: TRUE\n"
        "    variants: [~, null, 1_0.5, +1, -.INF, 0x1F]\n"
        "    expansion:\n"
        "    explanation: !!str 12\n"
        "    source: {document: 2026-13-45, section: 03739}\n"
    )
    assert format_text(text) == text


def test_wrong_types_do_not_stop_fmt() -> None:
    text = (
        "topics:\n"
        "  - statements: bare tekst\n"
        "    review: [2026-01-01]\n"
        "    id: x\n"
        "    source: {section: 1}\n"
        "routes: {id: y}\n"
    )
    out = format_text(text)
    assert _keys(out, "topics", 0) == ["id", "source", "review", "statements"]
    assert out.endswith("routes: {id: y}\n")


def test_long_plain_text_is_wrapped_without_trailing_spaces() -> None:
    words = " ".join(f"ord{i}" for i in range(60))
    out = format_text(f"glossary:\n  - id: x\n    explanation: {words}\n")
    lines = out.splitlines()
    assert len(lines) > 3
    assert all(len(line) <= 100 and line == line.rstrip() for line in lines)
    assert YAML(typ="safe").load(out)["glossary"][0]["explanation"] == words


def test_non_canonical_indentation_is_fixed_with_its_comments() -> None:
    text = (
        "topics:\n"
        "- id: x\n"
        "  review:\n"
        "      owner: msu   # eier\n"
        "      # over last_reviewed\n"
        "      last_reviewed: 2026-11-22\n"
        "  statements:\n"
        "  # gruppe\n"
        "  - text: T\n"
        "    responsible:\n"
        "    - gp\n"
        "    # over hospital\n"
        "    - hospital\n"
        "    id: x.a\n"
    )
    assert format_text(text) == (
        "topics:\n"
        "  - id: x\n"
        "    review:\n"
        "      # over last_reviewed\n"
        "      last_reviewed: 2026-11-22\n"
        "      owner: msu   # eier\n"
        "    statements:\n"
        "      # gruppe\n"
        "      - id: x.a\n"
        "        responsible:\n"
        "          - gp\n"
        "          # over hospital\n"
        "          - hospital\n"
        "        text: T\n"
    )


def test_a_comment_is_indented_like_the_line_it_is_about() -> None:
    text = (
        "cards:\n"
        "  - id: k\n"
        "  # over title, for lite innrykk\n"
        "    title: T\n"
        "    items:\n"
        "# helt til venstre, inne i listen\n"
        "      - a\n"
        "      - b\n"
        "        # merknad til b, dypere enn neste linje: beholder innrykket\n"
        "  # mellom kortene\n"
        "  - id: l\n"
    )
    assert format_text(text) == (
        "cards:\n"
        "  - id: k\n"
        "    # over title, for lite innrykk\n"
        "    title: T\n"
        "    items:\n"
        "      # helt til venstre, inne i listen\n"
        "      - a\n"
        "      - b\n"
        "        # merknad til b, dypere enn neste linje: beholder innrykket\n"
        "  # mellom kortene\n"
        "  - id: l\n"
    )


def test_a_deep_comment_above_the_first_key_never_becomes_text() -> None:
    # moved in after the `>-` block with its key, it would be read as part of the text
    text = (
        "routes:\n"
        "  - id: r\n"
        "    internal:\n"
        "             # dyp kommentar\n"
        "      example: true\n"
        "      note: >-\n"
        "        Tekst.\n"
        "      why_internal: Hemmelig.\n"
    )
    out = format_text(text)
    assert YAML(typ="safe").load(out)["routes"][0]["internal"]["note"] == "Tekst."
    assert _keys(out, "routes", 0, "internal") == ["why_internal", "note", "example"]
    assert "             # dyp kommentar\n" in out


def test_text_that_keeps_its_trailing_lines_keeps_them() -> None:
    # `details` (after a blank line) would come right after the `|+` text
    text = (
        "topics:\n"
        "  - statements:\n"
        "      - id: s\n"
        "        see_also: [x]\n"
        "\n"
        "        details: [d]\n"
        "        text: |+\n"
        "          a\n"
        "\n"
        "    id: t\n"
    )
    out = format_text(text)
    assert YAML(typ="safe").load(out)["topics"][0]["statements"][0]["text"] == "a\n\n"
    assert format_text(out) == out


def test_a_file_with_an_alias_is_re_indented_but_not_reordered() -> None:
    # `id` comes first in the model; moved up, the alias would come before its anchor
    # (libyaml gives no anchor names: the alias is found as a node reached twice)
    text = "routes:\n- title: &t T\n  # om id\n  id: *t\n"
    assert format_text(text) == "routes:\n  - title: &t T\n    # om id\n    id: *t\n"


def test_document_markers_and_comments_around_them_are_kept() -> None:
    text = "# før\n---\n# etter\ntopics:\n  - title: T\n    id: x\n...\n# til slutt\n"
    out = format_text(text)
    assert out == "# før\n---\n# etter\ntopics:\n  - id: x\n    title: T\n...\n# til slutt\n"


def test_empty_and_comment_only_files_are_left_alone() -> None:
    for text in ("", "\n", "# bare en kommentar\n"):
        assert format_text(text) == text


def test_bom_and_crlf_become_plain_utf8_lines() -> None:
    assert format_text("\ufefftopics:\r\n  - id: x\r\n") == "topics:\n  - id: x\n"


# --- idempotence -----------------------------------------------------------------------------


def test_idempotent_on_the_shuffled_file() -> None:
    once = format_text(SHUFFLED)
    assert format_text(once) == once


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_idempotent_on_real_content(path: Path) -> None:
    once = format_text(path.read_text(encoding="utf-8"))
    assert format_text(once) == once


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_real_content_keeps_its_data_and_comments(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = format_text(text)
    assert YAML(typ="safe").load(out) == YAML(typ="safe").load(text)  # dicts: order ignored

    def comments(t: str) -> list[str]:
        return sorted(line.strip() for line in t.splitlines() if line.lstrip().startswith("#"))

    assert comments(out) == comments(text)
    assert all(line == line.rstrip() for line in out.splitlines())


# --- the key order does not depend on how the keys were written ------------------------------


def _entities() -> list[tuple[Path, str, int]]:
    found = []
    for path in CONTENT_FILES:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for collection, items in data.items():
            if isinstance(items, list):
                found.extend((path, collection, index) for index in range(len(items)))
    return found


ENTITIES = _entities()


def _copy(value: object, rnd: random.Random | None) -> object:
    """A comment-free copy of round-trip data; with `rnd`, every mapping's keys shuffled.
    Scalars are shared, so quotes and `>-` blocks stay as they were written."""
    if isinstance(value, CommentedMap):
        keys = list(value)
        if rnd is not None:
            rnd.shuffle(keys)
        new_map = CommentedMap((key, _copy(value[key], rnd)) for key in keys)
        if value.fa.flow_style():
            new_map.fa.set_flow_style()
        return new_map
    if isinstance(value, CommentedSeq):
        new_seq = CommentedSeq(_copy(item, rnd) for item in value)
        if value.fa.flow_style():
            new_seq.fa.set_flow_style()
        return new_seq
    return value


def _dump(data: object, indent: tuple[int, int, int]) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # no folds of its own in `>-` text: those would be new text layout
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def test_entities_were_found() -> None:
    assert len(ENTITIES) > 50
    assert {collection for _, collection, _ in ENTITIES} >= {"topics", "routes", "message_types"}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    entity=st.sampled_from(ENTITIES),
    rnd=st.randoms(use_true_random=False),
    indent=st.sampled_from([(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4)]),
)
def test_key_order_of_an_entity_does_not_matter(
    entity: tuple[Path, str, int], rnd: random.Random, indent: tuple[int, int, int]
) -> None:
    path, collection, index = entity
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    item = yaml.load(path.read_text(encoding="utf-8"))[collection][index]
    original = CommentedMap({collection: CommentedSeq([_copy(item, None)])})
    shuffled = CommentedMap({collection: CommentedSeq([_copy(item, rnd)])})
    assert format_text(_dump(shuffled, indent)) == format_text(_dump(original, (2, 4, 2)))


# --- format_file -----------------------------------------------------------------------------


def test_check_reports_a_non_canonical_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "emne.yaml"
    path.write_text(SHUFFLED, encoding="utf-8")
    assert format_file(path, check=True) is False
    assert path.read_text(encoding="utf-8") == SHUFFLED


def test_format_rewrites_the_file_and_then_it_is_canonical(tmp_path: Path) -> None:
    path = tmp_path / "emne.yaml"
    path.write_text(SHUFFLED, encoding="utf-8")
    assert format_file(path, check=False) is False
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert format_file(path, check=True) is True
    assert format_file(path, check=False) is True
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_a_canonical_file_is_not_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "emne.yaml"
    path.write_text(CANONICAL, encoding="utf-8")

    def no_write(*args: object, **kwargs: object) -> None:
        raise AssertionError("a canonical file must not be written")

    monkeypatch.setattr(Path, "write_text", no_write)
    monkeypatch.setattr(Path, "write_bytes", no_write)
    assert format_file(path, check=False) is True


# --- errors ----------------------------------------------------------------------------------


def test_invalid_yaml_is_a_format_error_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "feil.yaml"
    text = "topics:\n  - id: x\n   title: y\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        format_file(path, check=True)
    error = caught.value
    assert (error.line, error.column, error.code) == (3, 4, "yaml-syntax")
    assert str(error).startswith(f"{path.as_posix()}:3:4: ")
    assert error.diagnostic().format().endswith("[yaml-syntax]\n    hint: " + str(error.hint))
    assert path.read_text(encoding="utf-8") == text


def test_a_duplicate_key_is_a_format_error() -> None:
    with pytest.raises(FormatError) as caught:
        format_text("topics:\n  - id: x\n    title: a\n    title: b\n")
    assert (caught.value.line, caught.value.code) == (4, "duplicate-key")


def test_a_comment_inside_a_flow_mapping_is_refused_not_lost() -> None:
    with pytest.raises(FormatError) as caught:
        format_text("topics:\n  - source: {section: '2',  # kapittel\n      document: d}\n")
    assert (caught.value.line, caught.value.code) == (2, "fmt-comment-in-flow")


def test_error_lines_count_from_the_top_of_the_file() -> None:
    with pytest.raises(FormatError) as caught:
        format_text("# a\n---\ntopics:\n  - id: x\n   title: y\n")
    assert caught.value.line == 5


def test_not_utf8_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("topics:\n  - id: bl\xe5\n".encode("latin-1"))
    with pytest.raises(FormatError) as caught:
        format_file(path, check=True)
    assert (caught.value.line, caught.value.code) == (2, "encoding")
