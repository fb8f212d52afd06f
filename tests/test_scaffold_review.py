"""`handbook new` skeletons fail until filled in and pass once they are; `handbook review` lists
what is due."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import typing
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.core.diagnostics import Level
from generator.core.handbook import Handbook
from generator.core.model import MessageType, Route
from generator.core.pipeline import Result, load_handbook
from generator.core.yaml_loader import load_file
from generator.editor.review_report import due_items, format_table
from generator.editor.scaffold import ScaffoldError, new_item
from generator.editor.schema import json_schema

from .conftest import ROOT

TODAY = dt.date(2026, 11, 23)
REVIEWED = ("topic", "route", "message_type", "framework", "collaboration")

# kind -> (new id, file relative to content/, entity kind in the handbook)
KINDS = {
    "topic": ("nytt-emne", "regions/agder/topics/17-nytt-emne.yaml", "topic"),
    "route": ("ny-rute", "regions/agder/routes/ny-rute.yaml", "route"),
    "message-type": ("ny-melding", "regions/agder/message_types/ny-melding.yaml", "message_type"),
}

# What a test writes in place of `key: TODO`.
FILL = {
    "title": "Ny tittel",
    "name": "Ny meldingstype",
    "responsible": "gp",
    "owner": "msu",
    "document": "sshf-anbefalinger-2024",
    "section": '"2"',
    "situation": "advice",
    "caller": "gp",
    "number": '"38 07 30 00"',
    "category": "other",
}
PLACEHOLDER_LINE = re.compile(r"^(\s*(?:- )?)(\w+): TODO$")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def values_with_todo(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every non-comment line that still holds a placeholder."""
    return [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line.split("#", 1)[0]
    ]


def fill(text: str, item_id: str, *, keep: tuple[str, ...] = ()) -> str:
    """Replace every placeholder by a real value, except the keys named in `keep`."""
    lines: list[str] = []
    rules = 0
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            match = PLACEHOLDER_LINE.match(line)
            if match and match.group(2) not in keep:
                line = f"{match.group(1)}{match.group(2)}: {FILL[match.group(2)]}"
            if "reaches" not in keep:
                line = line.replace("[TODO]", "[hospital_doctor]")
            line = line.replace("<TODO>", "Tekst fra kilden.")
            if f"{item_id}.TODO" in line:
                rules += 1
                line = line.replace(f"{item_id}.TODO", f"{item_id}.regel-{rules}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def errors(result: Result) -> list:
    return [d for d in result.diagnostics if d.level is Level.ERROR]


# --- handbook new ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_new_item_writes_the_skeleton_in_its_place(content: Path, kind: str) -> None:
    item_id, relative, _ = KINDS[kind]
    path = new_item(content, kind, item_id, TODAY, "agder")
    assert path == content / relative
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../../schema/handbook.schema.json"
    schema = (path.parent / first.split("=", 1)[1]).resolve()
    assert schema == (content.parent / "schema" / "handbook.schema.json").resolve()
    assert f"last_reviewed: {TODAY.isoformat()}" in text
    assert "next_review: 2027-11-23" in text
    assert re.search(r"^\s+owner: TODO$", text, re.MULTILINE)
    loaded, problems = load_file(path, "new.yaml")
    assert loaded is not None and problems == []
    assert "gp – Fastlege" in text  # the known ids, read from the content
    assert "msu – Medisinskfaglig samarbeidsutvalg" in text


def _listed(text: str) -> set[str]:
    """The ids in the skeleton's lookup list at its end."""
    lookup = text.split("# Oppslag:", 1)[1]
    return set(re.findall(r"^#   ([a-z0-9][\w.-]*) – ", lookup, re.MULTILINE))


def test_the_lookup_lists_only_ids_the_region_can_use(content: Path) -> None:
    oslo = _listed(new_item(content, "route", "ny-rute", TODAY, "oslo").read_text("utf-8"))
    assert {"gp", "ous"} <= oslo  # the base's and its own
    assert not {"ssk", "sshf", "msu"} & oslo  # Agder's organisations
    # A region that extends Agder can use Agder's ids as well.
    folder = content / "regions" / "vest"
    folder.mkdir()
    declaration = (content / "regions" / "oslo" / "region.yaml").read_text(encoding="utf-8")
    (folder / "region.yaml").write_text(
        declaration.replace("id: oslo", "id: vest\n  extends: agder", 1), encoding="utf-8"
    )
    vest = _listed(new_item(content, "route", "vest-rute", TODAY, "vest").read_text("utf-8"))
    assert {"gp", "ssk", "sshf"} <= vest and "ous" not in vest


def test_route_and_message_type_list_the_allowed_values_from_the_model(content: Path) -> None:
    route = new_item(content, "route", "ny-rute", TODAY, "agder").read_text(encoding="utf-8")
    for value in typing.get_args(Route.model_fields["situation"].annotation):
        assert f"#   {value} – " in route
    message = new_item(content, "message-type", "ny-melding", TODAY, "agder").read_text(
        encoding="utf-8"
    )
    for value in typing.get_args(MessageType.model_fields["category"].annotation):
        assert f"#   {value} – " in message


# kind -> (collection, the entity's definition in the JSON Schema)
SCHEMA_DEFS = {
    "topic": ("topics", "Topic"),
    "route": ("routes", "Route"),
    "message-type": ("message_types", "MessageType"),
}
OPTIONAL_LINE = re.compile(r"^(\s*)# (.+?)  # valgfritt: .*$")


def _objects(schema: dict, node: dict) -> list[dict]:
    """The object schemas a value of `node` may be (through $ref, anyOf and array items)."""
    if "$ref" in node:
        return _objects(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in node:
        return [found for option in node["anyOf"] for found in _objects(schema, option)]
    if "items" in node:
        return _objects(schema, node["items"])
    return [node] if "properties" in node else []


def _unknown_keys(schema: dict, data: object, node: dict, where: str = "") -> list[str]:
    if isinstance(data, list):
        return [k for i, item in enumerate(data) for k in _unknown_keys(schema, item, node, where)]
    objects = _objects(schema, node)
    if not isinstance(data, dict) or not objects:
        return []
    known = {key: value for found in objects for key, value in found["properties"].items()}
    unknown = [f"{where}.{key}" for key in data if key not in known]
    for key, value in data.items():
        if key in known:
            unknown += _unknown_keys(schema, value, known[key], f"{where}.{key}")
    return unknown


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_fields_are_the_models_fields(content: Path, kind: str) -> None:
    """The skeletons are written per kind; this keeps them in step with the model: every
    required field is there, and every field, the optional ones uncommented, is a field of the
    JSON Schema at its place."""
    item_id, _, _ = KINDS[kind]
    collection, definition = SCHEMA_DEFS[kind]
    schema = json_schema()
    text = new_item(content, kind, item_id, TODAY, "agder").read_text(encoding="utf-8")
    yaml = YAML(typ="safe")
    entity = yaml.load(text)[collection][0]
    assert set(schema["$defs"][definition]["required"]) <= set(entity)
    uncommented = "\n".join(OPTIONAL_LINE.sub(r"\1\2", line) for line in text.splitlines())
    data = yaml.load(uncommented)
    assert len(data[collection][0]) > len(entity)  # the optional fields were uncommented
    assert _unknown_keys(schema, data, schema) == []


@pytest.mark.parametrize("kind", KINDS)
def test_unfilled_skeleton_fails_at_every_placeholder(content: Path, kind: str) -> None:
    item_id, relative, _ = KINDS[kind]
    path = new_item(content, kind, item_id, TODAY, "agder")
    result = load_handbook(content, TODAY, region="agder")
    found = errors(result)
    assert found and not result.ok
    assert {d.path for d in found} == {result_path(found, relative)}
    for diagnostic in found:  # «fill in», naming the field and what to write, not «HTML»
        assert diagnostic.code == "placeholder", diagnostic.format()
        assert re.fullmatch(
            r"«\w+» er ikke fylt ut: det står fortsatt \S*TODO>?", diagnostic.message
        )
        assert "Erstatt" in (diagnostic.hint or "") or "erstatt" in (diagnostic.hint or "")
    # Every placeholder is reported once, at its own line and column, in one run; titles and
    # names accept any text, and a citation's section is checked once its document is known.
    text = path.read_text(encoding="utf-8").splitlines()
    placeholders = [
        (number, line)
        for number, line in values_with_todo("\n".join(text))
        if not re.match(r"\s*(title|name|section):", line)
    ]
    assert sorted(d.line for d in found) == [number for number, _ in placeholders]
    for d in found:
        assert "TODO" in text[d.line - 1][d.col - 1 :].split()[0], d.format()


def result_path(found: list, relative: str) -> str:
    paths = {d.path for d in found}
    assert all(p.endswith(relative) for p in paths), paths
    return next(iter(paths))


@pytest.mark.parametrize("kind", KINDS)
def test_filled_skeleton_passes(content: Path, kind: str) -> None:
    item_id, relative, entity_kind = KINDS[kind]
    path = new_item(content, kind, item_id, TODAY, "agder")
    filled = fill(path.read_text(encoding="utf-8"), item_id)
    assert values_with_todo(filled) == []
    path.write_text(filled, encoding="utf-8")
    result = load_handbook(content, TODAY, region="agder")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert [d.format() for d in result.diagnostics if d.path.endswith(relative)] == []
    assert result.handbook is not None
    assert result.handbook.entries[item_id].kind == entity_kind


def test_section_placeholder_fails_once_the_document_is_filled_in(content: Path) -> None:
    path = new_item(content, "topic", "nytt-emne", TODAY, "agder")
    path.write_text(fill(path.read_text(encoding="utf-8"), "nytt-emne", keep=("section",)))
    messages = [d.message for d in errors(load_handbook(content, TODAY, region="agder"))]
    assert messages == [
        "«section» er ikke fylt ut: det står fortsatt TODO",
        "kilden «sshf-anbefalinger-2024» har ikke avsnittet «TODO»",
    ]


def test_unknown_reference_in_a_filled_skeleton_is_an_error(content: Path) -> None:
    path = new_item(content, "route", "ny-rute", TODAY, "agder")
    text = fill(path.read_text(encoding="utf-8"), "ny-rute", keep=("caller",))
    path.write_text(text.replace("caller: TODO", "caller: todo"), encoding="utf-8")
    messages = [d.message for d in errors(load_handbook(content, TODAY, region="agder"))]
    assert messages == ["ukjent aktør «todo»"]


def test_title_left_as_todo_is_an_error(content: Path) -> None:
    """Plain-text fields accept any text, so the placeholder check catches a TODO title."""
    path = new_item(content, "topic", "nytt-emne", TODAY, "agder")
    path.write_text(fill(path.read_text(encoding="utf-8"), "nytt-emne", keep=("title",)))
    result = load_handbook(content, TODAY, region="agder")
    assert not result.ok
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert [(d.code, d.message) for d in errors] == [
        ("placeholder", "«title» er ikke fylt ut: det står fortsatt TODO")
    ]


def test_topics_get_the_next_free_chapter_number(content: Path) -> None:
    first = new_item(content, "topic", "forste-nye", TODAY, "agder")
    second = new_item(content, "topic", "andre-nye", TODAY, "agder")
    assert (first.name, second.name) == ("17-forste-nye.yaml", "18-andre-nye.yaml")
    assert "# number: 17  # valgfritt" in first.read_text(encoding="utf-8")


def _files(content: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}


def test_refuses_an_existing_id_with_its_place(content: Path) -> None:
    before = _files(content)
    lines = (
        (content / "base" / "topics" / "02-henvisning.yaml")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    line = lines.index("  - id: henvisning") + 1  # the chapter is the base's
    with pytest.raises(ScaffoldError) as raised:
        new_item(content, "route", "henvisning", TODAY, "agder")
    message = str(raised.value)
    assert "«henvisning» finnes allerede" in message
    assert f"02-henvisning.yaml:{line}" in message
    with pytest.raises(ScaffoldError, match=r"«henvisning\.elektronisk» finnes allerede"):
        new_item(
            content, "message-type", "henvisning.elektronisk", TODAY, "agder"
        )  # a statement's id
    assert _files(content) == before


def test_refuses_an_invalid_id_and_says_how_to_write_one(content: Path) -> None:
    before = _files(content)
    with pytest.raises(ScaffoldError) as raised:
        new_item(content, "route", "Ny Rute", TODAY, "agder")
    message = str(raised.value)
    assert "«Ny Rute» er ikke en gyldig id" in message
    assert "små bokstaver" in message and "«ny-rute»" in message
    with pytest.raises(ScaffoldError, match="«ny-sjo-rute»"):
        new_item(content, "topic", "ny-sjø-rute", TODAY, "agder")
    assert _files(content) == before


@pytest.mark.parametrize("kind", KINDS)
def test_refuses_the_same_id_twice(content: Path, kind: str) -> None:
    item_id, _, _ = KINDS[kind]
    path = new_item(content, kind, item_id, TODAY, "agder")
    written = path.read_bytes()
    before = _files(content)
    with pytest.raises(ScaffoldError, match=f"«{re.escape(item_id)}» finnes allerede"):
        new_item(content, kind, item_id, TODAY, "agder")
    assert path.read_bytes() == written
    assert _files(content) == before


def test_refuses_to_overwrite_an_existing_file(content: Path) -> None:
    existing = content / "regions" / "agder" / "routes" / "ny-rute.yaml"
    existing.parent.mkdir()
    existing.write_text("# kladd\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="finnes allerede"):
        new_item(content, "route", "ny-rute", TODAY, "agder")
    assert existing.read_text(encoding="utf-8") == "# kladd\n"


# --- handbook review ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # file paths as editors see them: content/...
        result = load_handbook(Path("content"), TODAY, region="agder")
    assert result.ok and result.handbook is not None
    return result.handbook


def reviewed_ids(handbook: Handbook) -> set[str]:
    return {i for i, e in handbook.entries.items() if e.kind in REVIEWED}


def test_everything_is_overdue_after_the_review_date(handbook: Handbook) -> None:
    today = dt.date(2027, 12, 1)
    items = due_items(handbook, today, 30)
    assert len(reviewed_ids(handbook)) >= 30
    assert {i.id for i in items} == reviewed_ids(handbook)
    assert all(i.overdue for i in items)
    assert {i.kind for i in items} == set(REVIEWED)
    assert [i.next_review for i in items] == sorted(i.next_review for i in items)
    assert due_items(handbook, today, 0) == items


def test_nothing_is_due_right_after_a_review(handbook: Handbook) -> None:
    assert due_items(handbook, TODAY, 30) == []
    assert format_table([], TODAY) == "Ingen gjennomganger har forfalt eller forfaller snart."


def test_everything_is_due_within_the_window_but_not_overdue(handbook: Handbook) -> None:
    today = dt.date(2027, 11, 1)
    items = due_items(handbook, today, 30)
    assert {i.id for i in items} == reviewed_ids(handbook)
    assert not any(i.overdue for i in items)
    table = format_table(items, today)
    assert "FORFALT" not in table
    assert "om 21 dager" in table


def test_window_edges(handbook: Handbook) -> None:
    next_review = handbook.entries["henvisning"].entity.review.next_review
    window_start = next_review - dt.timedelta(days=30)
    assert "henvisning" in {i.id for i in due_items(handbook, window_start, 30)}
    assert "henvisning" not in {i.id for i in due_items(handbook, window_start, 29)}
    on_the_day = [i for i in due_items(handbook, next_review, 0) if i.id == "henvisning"]
    assert len(on_the_day) == 1 and not on_the_day[0].overdue
    assert "i dag" in format_table(on_the_day, next_review)
    day_before = next_review - dt.timedelta(days=1)
    assert "om 1 dag " in format_table(due_items(handbook, day_before, 1), day_before)


def test_table_shows_status_owner_and_the_review_line(handbook: Handbook) -> None:
    today = dt.date(2027, 12, 1)
    table = format_table(due_items(handbook, today, 30), today)
    topic = "content/regions/agder/topics/02-henvisning.yaml"  # Agder's override of the review
    lines = (ROOT / topic).read_text(encoding="utf-8").splitlines()
    review_line = next(
        n for n, line in enumerate(lines, start=1) if line.lstrip().startswith("review:")
    )
    header, rule, *rows = table.splitlines()
    assert header.split() == [
        "Status", "Neste", "gjennomgang", "Id", "Tittel", "Eier", "Fil:linje",
    ]  # fmt: skip
    assert set(rule) <= {"-", " "}
    row = next(r for r in rows if f"{topic}:{review_line}" in r)
    assert row.startswith("FORFALT")
    assert " henvisning " in row and " Henvisning " in row
    owner = handbook.entries["henvisning"].entity.review.owner
    assert handbook.entries[owner].entity.name in row
    assert len(rows) == len(reviewed_ids(handbook))
