"""`handbook new topic|route|message-type ID`: a commented skeleton file for new content.

The skeleton has every required field with a placeholder and a Norwegian comment (what the field
is, an example, the allowed values taken from the model, the known ids taken from the content);
optional fields are commented out. Why the placeholders look as they do: the skeleton must fail
`handbook validate` until it is filled in, so nobody publishes it by accident, and one run must
list every one at its own line. Each placeholder therefore breaks a rule the schema stage already
has (the later checks run only once it passes); the schema stage sees the TODO and says
««felt» er ikke fylt ut» with what to write there (`core/schema_errors.py`), not which rule the
placeholder happened to break:

- an id or a reference: `TODO` (capitals are not allowed in an id);
- a choice (`situation`, `category`): `TODO` (not one of the allowed values, which are listed);
- Markdown text: `<TODO>` (HTML is not allowed in text);
- a phone number: `TODO` (not a phone number);
- a citation's section: `TODO` (the source has no such section; reported once the document is
  filled in).

Plain-text titles and names (`title`, `name`) accept any text, so a `TODO` left there is
caught by the placeholder check (`checks/placeholders.py`), which runs once the schema stage
passes. The comment says so.

The skeletons are written per kind, not generated from the JSON Schema: a field's placeholder
follows the rule it must break (an id `TODO`, Markdown `<TODO>`), which the schema does not tell
apart (both are strings); some fields the schema leaves optional are asked for (a topic's
`review` and `statements`, a route's `number` and `hours.open`); and the comments give examples
from the content, where many fields have no description in the schema. What the schema does
give is used (the allowed values, its `enum`), and a test checks every field of each skeleton
against it (tests/test_scaffold_review.py).

Existing ids are read from the raw YAML, not the validated handbook, so a duplicate is refused
even while some other file has errors.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
import typing
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from generator.checks.file_names import id_problem, topic_id_problem
from generator.checks.references import KIND_NAMES
from generator.core.diagnostics import display_path
from generator.core.model import (
    COLLECTIONS,
    ID_PATTERN,
    NESTED_ENTITIES,
    MessageType,
    Route,
    Statement,
    Visible,
)
from generator.core.pipeline import chain_folders, content_files, declared_regions
from generator.core.regions import REGIONS_FOLDER, is_regional
from generator.core.yaml_loader import LoadedFile, Loc, load_file

Kind = Literal["topic", "route", "message-type"]
KINDS: tuple[str, ...] = typing.get_args(Kind)

PLACEHOLDER = "TODO"
TEXT_PLACEHOLDER = "<TODO>"
SCHEMA_FILE = Path("schema") / "handbook.schema.json"
WIDTH = 99  # comment lines stay within the 100 columns of the other content files

# Norwegian labels of the choices an editor picks from (the site shows the same words).
SITUATION_LABELS = {
    "acute_somatic_admission": "akuttinnleggelse, somatikk",
    "acute_mental_health_admission": "akuttinnleggelse, psykisk helse",
    "advice": "råd og konferering",
    "hospital_to_gp": "når sykehuset trenger fastlegen",
    "appointment_booking": "timebestilling etter sykehusopphold",
}
CATEGORY_LABELS = {
    "core_messages": "basismelding (henvisning, epikrise, rekvisisjoner og svar)",
    "care_messages": "PLO-melding (pleie og omsorg)",
    "dialogue_message": "dialogmelding",
    "other": "annen meldingstype",
}


class ScaffoldError(Exception):
    """Why no file was written, in Norwegian, for the CLI to print as it is."""


@dataclass(frozen=True)
class Known:
    """An entity that already exists in the content, read from the raw YAML."""

    kind: str
    id: str
    label: str
    path: str
    line: int
    internal: bool = False
    sections: tuple[tuple[str, str], ...] = ()  # sources: (section id, title)


@dataclass
class ContentIndex:
    entities: dict[str, Known] = field(default_factory=dict)
    topic_numbers: list[int] = field(default_factory=list)
    owners: Counter[str] = field(default_factory=Counter)

    def of_kind(self, kind: str) -> list[Known]:
        return [k for k in self.entities.values() if k.kind == kind]


def new_item(
    content_dir: Path, kind: Kind, item_id: str, today: dt.date, region: str | None = None
) -> Path:
    """Write a skeleton for a new topic, route or message type; return the new file's path.
    For content with regions, the skeleton goes into the region's folder."""
    if kind not in KINDS:
        raise ScaffoldError(f"ukjent innholdstype «{kind}»; velg en av: {', '.join(KINDS)}")
    if not content_dir.is_dir():
        raise ScaffoldError(f"finner ikke innholdsmappen «{content_dir}»")
    check_id(item_id)
    folder = _region_folder(content_dir, region)
    index = read_content(content_dir)
    existing = index.entities.get(item_id)
    if existing is not None:
        raise ScaffoldError(
            f"id-en «{item_id}» finnes allerede: {existing.path}:{existing.line} "
            f"({KIND_NAMES.get(existing.kind, existing.kind)} «{_cut(existing.label, 60)}»). "
            "Hver id må være unik i hele innholdet; velg en annen."
        )
    # The ids the region can refer to: the base's, its own and those of the regions it extends.
    usable = read_content(content_dir, chain_folders(content_dir, region)) if region else index
    chapter = next_chapter(folder, index) if kind == "topic" else None
    path = target_path(folder, kind, item_id, chapter)
    if path.exists():
        raise ScaffoldError(f"filen {display_path(path)} finnes allerede; velg en annen id")
    if kind == "topic":
        clash = sorted((folder / "topics").glob(f"[0-9]*-{item_id}.yaml"))
        if clash:
            raise ScaffoldError(
                f"filen {display_path(clash[0])} finnes allerede for et emne med samme navn; "
                "velg en annen id"
            )
    text = skeleton(kind, item_id, today, usable, schema_ref(content_dir, path), chapter)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError as exc:
        raise ScaffoldError(f"filen {display_path(path)} finnes allerede") from exc
    return path


def _region_folder(content_dir: Path, region: str | None) -> Path:
    """Where new content goes: content/, or content/regions/<folder>/ for the given region."""
    if not is_regional(content_dir):
        return content_dir
    regions = {rid: folder for rid, (folder, _) in declared_regions(content_dir).items()}
    if region not in regions:
        raise ScaffoldError(
            f"velg hvilken region det nye innholdet hører til med --region "
            f"(regioner: {', '.join(sorted(regions)) or 'ingen'})"
        )
    return regions[region]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def check_id(item_id: str) -> None:
    if re.fullmatch(ID_PATTERN, item_id):
        problem = id_problem(item_id) or topic_id_problem(item_id)
        if problem is not None:
            raise ScaffoldError(f"{problem[1]}; {problem[2]}")
        return
    suggestion = suggest_id(item_id)
    example = f"; f.eks. «{suggestion}»" if suggestion else ""
    raise ScaffoldError(
        f"«{item_id}» er ikke en gyldig id. Skriv id-en med små bokstaver a–z (uten æ, ø og å) "
        f"og tall, med bindestrek, understrek eller punktum mellom ordene{example}."
    )


def suggest_id(text: str) -> str:
    """A valid id close to `text`: «Ny Rute til Bakvakt» -> «ny-rute-til-bakvakt»."""
    lowered = text.strip().lower()
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        lowered = lowered.replace(letter, plain)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


def target_path(content_dir: Path, kind: Kind, item_id: str, chapter: int | None) -> Path:
    if kind == "topic":
        return content_dir / "topics" / f"{chapter:02d}-{item_id}.yaml"
    folder = "routes" if kind == "route" else "message_types"
    return content_dir / folder / f"{item_id}.yaml"


def next_chapter(content_dir: Path, index: ContentIndex) -> int:
    """One more than the highest chapter number in a topic file name or a topic's `number`."""
    numbers = list(index.topic_numbers)
    for path in (content_dir / "topics").glob("*.y*ml"):
        match = re.match(r"(\d+)-", path.name)
        if match:
            numbers.append(int(match.group(1)))
    return max(numbers, default=0) + 1


def schema_ref(content_dir: Path, path: Path) -> str:
    """The schema's path relative to the new file, as the YAML language server wants it."""
    schema = content_dir.resolve().parent / SCHEMA_FILE
    return Path(os.path.relpath(schema, path.parent.resolve())).as_posix()


# --- what the content already has ---------------------------------------------------------------


def read_content(content_dir: Path, regions: tuple[Path, ...] | None = None) -> ContentIndex:
    """Every entity id in the content with its place, read leniently from the raw YAML; with
    `regions`, only the base and those region folders."""
    index = ContentIndex()
    for path in content_files(content_dir):
        if regions is not None and not _usable(path, content_dir, regions):
            continue
        loaded, _ = load_file(path, display_path(path))
        if loaded is None or not isinstance(loaded.data, dict):
            continue  # unreadable: `handbook validate` reports it
        for collection, kind in COLLECTIONS.items():
            items = loaded.data.get(collection)
            for i, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    continue
                _remember(index, kind, item, loaded, (collection, i))
                if kind == "topic" and isinstance(item.get("number"), int):
                    index.topic_numbers.append(item["number"])
                review = item.get("review")
                if isinstance(review, dict) and isinstance(review.get("owner"), str):
                    index.owners[review["owner"]] += 1
                for name, nested_kind in NESTED_ENTITIES.items():
                    nested = item.get(name)
                    for j, child in enumerate(nested if isinstance(nested, list) else []):
                        if isinstance(child, dict):
                            _remember(index, nested_kind, child, loaded, (collection, i, name, j))
        _remember_added(index, loaded)
    return index


def _usable(path: Path, content_dir: Path, regions: tuple[Path, ...]) -> bool:
    """A file of the base, or of one of the `regions` folders."""
    where = path.resolve()
    if not where.is_relative_to((content_dir / REGIONS_FOLDER).resolve()):
        return True
    return any(where.is_relative_to(folder.resolve()) for folder in regions)


def _remember_added(index: ContentIndex, loaded: LoadedFile) -> None:
    """Ids a region adds to what it inherits (`changes: - extend: {statements: [...]}`)."""
    changes = loaded.data.get("changes")
    for i, change in enumerate(changes if isinstance(changes, list) else []):
        extend = change.get("extend") if isinstance(change, dict) else None
        for name, items in extend.items() if isinstance(extend, dict) else []:
            for j, child in enumerate(items if isinstance(items, list) else []):
                if isinstance(child, dict):
                    kind = NESTED_ENTITIES.get(name, name)
                    _remember(index, kind, child, loaded, ("changes", i, "extend", name, j))


def _remember(
    index: ContentIndex, kind: str, item: dict[str, Any], loaded: LoadedFile, loc: Loc
) -> None:
    item_id = item.get("id")
    if not isinstance(item_id, str) or item_id in index.entities:
        return
    label = next(
        (
            " ".join(item[k].split())
            for k in ("name", "title", "term", "question", "text")
            if isinstance(item.get(k), str)
        ),
        "",
    )
    sections: list[tuple[str, str]] = []
    if kind == "source" and isinstance(item.get("sections"), list):
        for section in item["sections"]:
            if isinstance(section, dict) and section.get("id") is not None:
                sections.append((str(section["id"]), str(section.get("title", ""))))
    index.entities[item_id] = Known(
        kind=kind,
        id=item_id,
        label=label,
        path=loaded.display,
        line=loaded.position((*loc, "id")).line,
        internal=item.get("visibility") == "internal",
        sections=tuple(sections),
    )


# --- the skeleton ------------------------------------------------------------------------------

NEW_KIND = {"topic": "Nytt emne", "route": "Ny telefonvei", "message-type": "Ny meldingstype"}


def choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The allowed values of a field of `model`: the `enum` of its JSON Schema, the list the
    editor's YAML extension completes from."""
    return tuple(model.model_json_schema()["properties"][name]["enum"])


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def _wrap(self, text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(
            text,
            WIDTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )

    def comment(self, indent: int, text: str, *, hang: int = 0) -> None:
        prefix = " " * indent + "# "
        self.lines += self._wrap(text, prefix, prefix + " " * hang) or [prefix.rstrip()]

    def line(self, indent: int, text: str = "") -> None:
        self.lines.append((" " * indent + text).rstrip())

    def optional(self, indent: int, field_line: str, explanation: str) -> None:
        """A commented-out optional field: removing the first «# » makes it a YAML line."""
        prefix = " " * indent + "# "
        self.lines += self._wrap(explanation, f"{prefix}{field_line}  # valgfritt: ", prefix + "  ")

    def choices(self, indent: int, values: tuple[str, ...], labels: dict[str, str]) -> None:
        self.comment(indent, "Tillatte verdier:")
        for value in values:
            label = labels.get(value)
            self.comment(indent, f"  {value}" + (f" – {label}" if label else ""), hang=4)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _example(index: ContentIndex, kind: str, preferred: str | None = None) -> Known | None:
    found = index.of_kind(kind)
    return next((k for k in found if k.id == preferred), found[0] if found else None)


def _ref_hint(known: Known | None) -> str:
    return f", f.eks. {known.id} ({known.label})" if known else ""


def one_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def skeleton(
    kind: Kind,
    item_id: str,
    today: dt.date,
    index: ContentIndex,
    schema: str,
    chapter: int | None = None,
) -> str:
    """The commented skeleton's text; `schema` is the path on the yaml-language-server line."""
    out = _Writer()
    out.line(0, f"# yaml-language-server: $schema={schema}")
    out.comment(
        0,
        f"{NEW_KIND[kind]} «{item_id}», laget med «handbook new {kind} {item_id}» "
        f"{today.isoformat()}.",
    )
    out.comment(0, "")
    out.comment(
        0,
        f"Erstatt hver {PLACEHOLDER} og {TEXT_PLACEHOLDER} med ekte innhold, så nær kilden som "
        "mulig. Så lenge de står igjen, gir «handbook validate» feil, så filen kan ikke "
        "publiseres ved et uhell. Kommentarlinjer som starter med «# feltnavn:» er valgfrie "
        "felt: fjern «# » foran for å bruke feltet. Id-ene du kan vise til (aktører, "
        "organisasjoner, kilder) står nederst i filen.",
    )
    if kind == "topic":
        _topic(out, item_id, today, index, chapter or max(index.topic_numbers, default=0) + 1)
    elif kind == "route":
        _route(out, item_id, today, index)
    else:
        _message_type(out, item_id, today, index)
    _lookup(out, index)
    return out.text()


def _title(out: _Writer, name: str, what: str, example: str) -> None:
    out.comment(
        4,
        f"{what}, f.eks. «{example}». Vanlig tekst. NB: en {PLACEHOLDER} som står igjen her, "
        "gir en feil først når de andre feltene er fylt ut.",
    )
    out.line(4, f"{name}: {PLACEHOLDER}")


def _citation(out: _Writer, indent: int, index: ContentIndex, *, what: str) -> None:
    source = _example(index, "source")
    section = source.sections[1] if source and len(source.sections) > 1 else None
    example = (
        f' F.eks. document: {source.id} og section: "{section[0]}" ({section[1]}).'
        if source and section
        else ""
    )
    out.comment(
        indent,
        f"{what} document: id-en til kildedokumentet. section: kapittelet eller avsnittet i "
        f"kilden slik det er listet i {source.path if source else 'kildelisten (sources:)'}, i "
        f"anførselstegn.{example}",
    )
    out.line(indent, "source:")
    out.line(indent + 2, f"document: {PLACEHOLDER}")
    out.line(indent + 2, f"section: {PLACEHOLDER}")
    out.optional(
        indent + 2, f"heading: {PLACEHOLDER}", "underoverskriften i kilden der teksten står"
    )


def _review(out: _Writer, today: dt.date, index: ContentIndex) -> None:
    common = index.owners.most_common(1)
    owner = index.entities.get(common[0][0]) if common else None
    hint = f", f.eks. {owner.id} ({owner.label}), som eier det meste av innholdet" if owner else ""
    out.comment(
        4,
        "Faglig gjennomgang (ÅÅÅÅ-MM-DD): når innholdet sist ble gått gjennom mot kilden, og "
        "når det skal gjennomgås igjen. «handbook review» lister det som snart forfaller.",
    )
    out.line(4, "review:")
    out.line(6, f"last_reviewed: {today.isoformat()}")
    out.line(6, f"next_review: {one_year_later(today).isoformat()}")
    out.comment(6, f"Hvem som eier innholdet: id-en til en aktør eller organisasjon{hint}.")
    out.line(6, f"owner: {PLACEHOLDER}")


def _visibility(out: _Writer, indent: int) -> None:
    values = ", ".join(choices(Visible, "visibility"))
    out.optional(
        indent,
        "visibility: internal",
        f"{values} (standard public). Internt innhold vises bare i den interne utgaven",
    )
    out.optional(indent, f"why_internal: {PLACEHOLDER}", "hvorfor innholdet er internt")


def _see_also(out: _Writer, indent: int, index: ContentIndex) -> None:
    topic = _example(index, "topic")
    example = f", f.eks. [{topic.id}]" if topic else ""
    out.optional(
        indent,
        f"see_also: [{PLACEHOLDER}]",
        f"kryssreferanser (id-er) til emner, telefonveier eller meldingstyper{example}",
    )


def _topic(out: _Writer, item_id: str, today: dt.date, index: ContentIndex, chapter: int) -> None:
    actor = _example(index, "actor", "gp")
    organisation = _example(index, "organisation")
    out.line(0, "topics:")
    out.line(2, f"- id: {item_id}")
    _title(out, "title", "Overskriften på emnet", "Henvisning")
    out.optional(4, f"number: {chapter}", "kapittelnummeret i kilden, når emnet er et kapittel der")
    out.optional(4, f"summary: {TEXT_PLACEHOLDER}", "kort sammendrag av emnet (Markdown)")
    _citation(out, 4, index, what="Kilden for emnet; utsagnene arver den.")
    _review(out, today, index)
    _see_also(out, 4, index)
    _visibility(out, 4)
    out.comment(
        4,
        "Utsagnene: ett per punkt i kilden, hvert med hvem som har ansvaret og hva de skal gjøre. "
        "Kopier blokken fra «- id:» for flere.",
    )
    out.line(4, "statements:")
    out.comment(
        6,
        f"Stabil id for utsagnet: erstatt {PLACEHOLDER} med et kort navn, f.eks. "
        f"{item_id}.elektronisk (små bokstaver, tall og bindestrek). Endres aldri etterpå.",
    )
    out.line(6, f"- id: {item_id}.{PLACEHOLDER}")
    both = f", eller [{actor.id}, {organisation.id}]" if actor and organisation else ""
    out.comment(
        8,
        "Hvem som har ansvaret: id-en til en aktør (rolle), eller en organisasjon når kilden sier "
        f"at en enhet gjør noe; én id eller en liste{_ref_hint(actor)}{both}.",
    )
    out.line(8, f"responsible: {PLACEHOLDER}")
    out.comment(
        8,
        "Hva som skal gjøres, så nær kilden som mulig (Markdown: *kursiv*, **fet**, lister, "
        f"https-lenker). Erstatt {TEXT_PLACEHOLDER} med teksten.",
    )
    out.line(8, f"text: {TEXT_PLACEHOLDER}")
    description = Statement.model_fields["kind"].description or ""
    default = Statement.model_fields["kind"].default
    out.optional(
        8,
        f"kind: {PLACEHOLDER}",
        f"{', '.join(choices(Statement, 'kind'))} (standard {default}). {description}",
    )
    out.optional(8, f"when: {TEXT_PLACEHOLDER}", "når/forutsetning, f.eks. «Ved innleggelse»")
    out.optional(8, f"details: [{TEXT_PLACEHOLDER}]", "underpunkter fra kilden")
    out.optional(8, f"exceptions: [{TEXT_PLACEHOLDER}]", "unntak")
    out.optional(8, f"see_also: [{PLACEHOLDER}]", "kryssreferanser (id-er)")
    out.optional(
        8,
        f"source: {{document: {PLACEHOLDER}, section: {PLACEHOLDER}}}",
        "kilden, når den er en annen enn emnets",
    )


def _route(out: _Writer, item_id: str, today: dt.date, index: ContentIndex) -> None:
    actor = _example(index, "actor", "gp")
    organisation = _example(index, "organisation", "emergency_department")
    site = _example(index, "organisation", "ssk")
    out.line(0, "routes:")
    out.line(2, f"- id: {item_id}")
    _title(
        out,
        "title",
        "Overskriften: hva veien er til og hvem du når",
        "Rådgiving på telefon: bakvakt",
    )
    out.comment(4, "Situasjonen veien hører til.")
    out.choices(4, choices(Route, "situation"), SITUATION_LABELS)
    out.line(4, f"situation: {PLACEHOLDER}")
    out.comment(4, f"Hvem som ringer: id-en til en aktør{_ref_hint(actor)}.")
    out.line(4, f"caller: {PLACEHOLDER}")
    example = f", f.eks. [{organisation.id}]" if organisation else ""
    out.comment(
        4,
        "Hvem som svarer / hvem du når: en liste med id-er til aktører eller organisasjoner"
        f"{example}.",
    )
    out.line(4, f"reaches: [{PLACEHOLDER}]")
    out.comment(
        4,
        f"Når denne veien brukes (Markdown). Erstatt {TEXT_PLACEHOLDER} med teksten, f.eks. "
        "«Ved spørsmål om akuttinnleggelser i Klinikk for psykisk helse.»",
    )
    out.line(4, f"purpose: {TEXT_PLACEHOLDER}")
    out.comment(
        4,
        'Telefonnummeret, i anførselstegn: "03739", "38 07 30 00" eller "+47 ...". Skriv bare et '
        "nummer som står i kilden. Har veien ikke eget nummer: slett linjen, og bruk via: med "
        "keys: eller ask_for:, eller skriv no_number_reason:.",
    )
    out.line(4, f"number: {PLACEHOLDER}")
    out.optional(
        4, f"via: {PLACEHOLDER}", "enheten, sentralbordet eller katalogen du ringer via (id)"
    )
    out.optional(4, f"ask_for: {PLACEHOLDER}", "hva du ber om når du ringer")
    out.optional(
        4,
        f'keys: [{{site: {PLACEHOLDER}, keys: "{PLACEHOLDER}"}}]',
        "tastesekvens per sykehus"
        + (f', f.eks. [{{site: {site.id}, keys: "R 3421"}}]' if site else ""),
    )
    out.optional(4, f"keys_pressed_by: {PLACEHOLDER}", "aktøren som taster deg videre (id)")
    out.optional(
        4,
        f"no_number_reason: {TEXT_PLACEHOLDER}",
        "hvorfor veien ikke har nummer, f.eks. «Kilden oppgir ikke telefonnummer.»",
    )
    out.optional(4, f"steps: [{TEXT_PLACEHOLDER}]", "hva som skjer, i rekkefølge")
    out.comment(4, "Når veien er betjent.")
    out.line(4, "hours:")
    out.comment(
        6,
        f"Åpningstid slik kilden oppgir den. Erstatt {TEXT_PLACEHOLDER} med teksten; er veien "
        "alltid betjent, slett linjen og skriv always_open: true i stedet.",
    )
    out.line(6, f"open: {TEXT_PLACEHOLDER}")
    out.optional(6, "always_open: true", "når veien alltid er betjent")
    out.optional(6, f"outside_hours: {TEXT_PLACEHOLDER}", "hva som skjer utenom åpningstid")
    out.optional(
        4,
        f"fallbacks: [{{text: {TEXT_PLACEHOLDER}, route: {PLACEHOLDER}}}]",
        "hva du gjør når veien ikke svarer (route: en annen telefonvei, kan sløyfes)",
    )
    out.optional(4, f"notes: [{TEXT_PLACEHOLDER}]", "merknader")
    out.optional(
        4,
        f'internal: {{why_internal: {PLACEHOLDER}, number: "{PLACEHOLDER}"}}',
        "det bare den interne utgaven viser, f.eks. et direktenummer som ikke skal publiseres",
    )
    _visibility(out, 4)
    _citation(out, 4, index, what="Kilden for telefonveien.")
    _review(out, today, index)


def _rule(out: _Writer, item_id: str, index: ContentIndex, *, never: bool) -> None:
    name = "ikke-oppklarende-sporsmal" if never else "henvisning-eller-rad"
    out.comment(
        6,
        f"Stabil id for regelen: erstatt {PLACEHOLDER} med et kort navn, f.eks. "
        f"{item_id}.{name}. Endres aldri etterpå.",
    )
    out.line(6, f"- id: {item_id}.{PLACEHOLDER}")
    out.comment(8, f"Regelen, så nær kilden som mulig (Markdown). Erstatt {TEXT_PLACEHOLDER}.")
    out.line(8, f"text: {TEXT_PLACEHOLDER}")
    if never:
        out.optional(8, f"instead: {TEXT_PLACEHOLDER}", "hva du gjør i stedet")
        out.optional(
            8,
            f"instead_ref: {PLACEHOLDER}",
            "id-en til meldingstypen eller emnet du bruker i stedet",
        )
    _citation(out, 8, index, what="Kilden for regelen.")


def _message_type(out: _Writer, item_id: str, today: dt.date, index: ContentIndex) -> None:
    out.line(0, "message_types:")
    out.line(2, f"- id: {item_id}")
    _title(out, "name", "Navnet på meldingstypen", "Dialogmelding")
    out.comment(4, "Hvilken gruppe meldingen hører til.")
    out.choices(4, choices(MessageType, "category"), CATEGORY_LABELS)
    out.line(4, f"category: {PLACEHOLDER}")
    out.comment(
        4, f"Kort beskrivelse av meldingen (Markdown). Erstatt {TEXT_PLACEHOLDER} med teksten."
    )
    out.line(4, f"description: {TEXT_PLACEHOLDER}")
    out.comment(
        4,
        "Når meldingen brukes: én regel per punkt i kildene, hver med egen id og kilde. Kopier "
        "blokken fra «- id:» for flere.",
    )
    out.line(4, "use:")
    _rule(out, item_id, index, never=False)
    out.comment(
        4,
        "Når meldingen ikke skal brukes, og hva du gjør i stedet. Sier kildene ingenting om det: "
        "erstatt hele blokken med never_use: []",
    )
    out.line(4, "never_use:")
    _rule(out, item_id, index, never=True)
    out.optional(4, "reply_time:", "svartiden; fjern «# » foran alle fire linjene")
    out.comment(4, "  working_days: 2")
    out.comment(4, f"  text: {TEXT_PLACEHOLDER}")
    out.comment(4, f"  source: {{document: {PLACEHOLDER}, section: {PLACEHOLDER}}}")
    out.optional(4, "addressing: []", "regler for adressering, i samme form som use")
    out.optional(4, "content_rules: []", "regler for innholdet, i samme form som use")
    out.optional(4, "facts: []", "andre opplysninger fra kildene, i samme form som use")
    _see_also(out, 4, index)
    _visibility(out, 4)
    _review(out, today, index)


def _lookup(out: _Writer, index: ContentIndex) -> None:
    out.line(0)
    out.line(0, "# " + "-" * (WIDTH - 2))
    out.comment(0, "Oppslag: id-er som finnes i innholdet nå. Kan slettes.")

    def entities(kind: str, heading: str) -> None:
        found = index.of_kind(kind)
        if not found:
            return
        out.comment(0, "")
        out.comment(0, heading)
        for known in found:
            internal = " (intern)" if known.internal else ""
            out.comment(0, f"  {known.id} – {known.label}{internal}", hang=4)
            for section_id, title in known.sections:
                out.comment(0, f'      "{section_id}" {title}', hang=8)

    entities("actor", "Aktører (responsible, caller, owner, reaches):")
    entities("organisation", "Organisasjoner og enheter (responsible, owner, reaches, via):")
    entities("source", "Kilder (source: document) med avsnittene sine (section):")
