"""Attack payloads, the model's text fields found by walking it, and content that carries both.

Used by the security suite (`tests/test_payloads_validate.py`, `tests/browser/test_payloads.py`).

Every text-valued field of `ContentFile` is found from pydantic's `model_fields`, recursing into
nested models and lists, so a new field is covered without touching this file: the synthetic
content below must then give it a value, or `uncovered_fields` names it and the suite fails.

A payload is a template with `{n}`: the marker number that names the field and the payload
(`marker` / `decode`), so a dialog, a stray attribute or a failed text check names its field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from generator.core import model as content_model

# --- payloads ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Payload:
    name: str
    template: str  # with {n}: the marker
    refuse_plain: bool  # markup the validator must refuse in a plain-text field
    refuse_markdown: bool  # markup the validator must refuse in a Markdown (Text) field

    def text(self, n: int) -> str:
        return self.template.replace("{n}", str(n))


def _p(name: str, template: str, plain: bool, markdown: bool) -> Payload:
    return Payload(name, template, plain, markdown)


PAYLOADS: tuple[Payload, ...] = (
    # tags and event handlers
    _p("img-onerror", "<img src=x onerror=alert({n})>", True, True),
    _p("script", "<script>alert({n})</script>", True, True),
    _p("svg-onload", "<svg/onload=alert({n})>", True, True),
    _p("details-ontoggle", "<details open ontoggle=alert({n})>", True, True),
    _p("a-javascript", '<a href="javascript:alert({n})">a{n}</a>', True, True),
    _p("iframe-javascript", '<iframe src="javascript:alert({n})"></iframe>', True, True),
    _p("title-breaker", "</title></textarea><img src=x onerror=alert({n})>", True, True),
    _p("comment-breaker", "--><img src=x onerror=alert({n})><!--", True, True),
    # attribute breakouts: plain text (quotes are allowed), so escaping must hold
    _p("dq-breakout", '" onmouseover="alert({n})" x="', False, False),
    _p("sq-breakout", "' onfocus='alert({n})' autofocus x='", False, False),
    # javascript: and data: in every form: harmless as text, deadly as an href
    _p("js-url", "javascript:alert({n})", False, True),
    _p("js-url-case-space", " JaVaScRiPt :alert({n})", False, True),
    _p("js-url-entity", "&#106;avascript:alert({n})", True, False),
    _p("js-url-tab-entity", "jav&#x09;ascript:alert({n})", True, False),
    _p("data-url", "data:text/html,<script>alert({n})</script>", True, True),
    # entity-encoded tags
    _p("entity-tag", "&lt;img src=x onerror=alert({n})&gt;", True, False),
    # Markdown links, images, autolinks, attribute lists
    _p("md-link-js", "[k{n}](javascript:alert({n}))", True, True),
    _p("md-image-js", "![b{n}](javascript:alert({n}))", True, True),
    _p("md-autolink-js", "<javascript:alert({n})>", True, True),
    _p("attr-list", '{: onclick="alert({n})" }', True, True),
    # template syntax: Jinja, JavaScript template literals, Typst code
    _p("jinja-expr", "{{ 7*{n} }}", True, False),
    _p("jinja-raw", "{% raw %}r{n}", True, False),
    _p("js-template", "${alert({n})}", False, False),
    _p("typst-eval", '#eval("7*{n}")', False, False),
    _p("bracket-backslash", "]{n}\\", False, False),
    # JSON and XML breakers
    _p("json-script-breaker", "</script><script>alert({n})</script>", True, True),
    _p("json-breaker", '"]}{n}', False, False),
    _p("cdata-breaker", "]]>{n}<![CDATA[", True, True),
)

# URL fields hold one address each; the https: ones must stay inside their attribute.
URL_PAYLOADS: tuple[Payload, ...] = (
    _p("url-dq-breakout", 'https://a.no/"><svg/onload=alert({n})>', True, True),
    _p("url-sq-breakout", "https://a.no/'onmouseover='alert({n})'x='", True, True),
    _p("url-tag", "https://a.no/<script>alert({n})</script>", True, True),
    _p("url-js", "javascript:alert({n})", True, True),
    _p("url-js-case-space", " JaVaScRiPt:alert({n})", True, True),
    _p("url-js-entity", "&#106;avascript:alert({n})", True, True),
    _p("url-js-tab", "jav&#x09;ascript:alert({n})", True, True),
    _p("url-data", "data:text/html,<script>alert({n})</script>", True, True),
)

MARKER_BASE = 1_000_000  # markers are 1_0FF_FPP: field index F, payload index P


def marker(field_index: int, payload_index: int) -> int:
    return MARKER_BASE + field_index * 100 + payload_index


def decode(n: int) -> tuple[int, int] | None:
    """(field index, payload index) of a marker, or None for a number that is not one."""
    if not MARKER_BASE <= n < MARKER_BASE + 100_000:
        return None
    return divmod(n - MARKER_BASE, 100)


# --- the model's text fields ---------------------------------------------------------------

# Kinds of string fields:
#   plain     PlainText and any str without a validator: shown exactly as written
#   markdown  Text: the Markdown subset, checked by text_rules and at render time by safe_text
#   url       HttpsUrl
#   id        Id and references (RefTo): the strict id pattern cannot hold a payload; the suite
#             asserts that it refuses every payload instead of putting them into content
#   format    phone numbers, key sequences and e-mail addresses: a strict format, asserted to
#             refuse every payload
#   section   Citation.section: must name a section id of the source it cites (a reference
#             check), so it carries what SourceSection.id carries (the content links the two)
#   overlay   Change.override / extend: values for the target's own fields, validated as those
#             fields once applied; one override of a title is in the content below
TEXT_KINDS = ("plain", "markdown", "url")


@dataclasses.dataclass(frozen=True)
class TextField:
    path: str  # e.g. "routes[].hours.open"
    model: type[BaseModel]
    name: str
    kind: str
    many: bool  # a list of strings


def _metadata(annotation: Any) -> tuple[Any, list[Any]]:
    """The annotation without Annotated/Optional wrappers, and every metadata item found."""
    found: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                found.append(item)
                found.extend(getattr(item, "metadata", []) or [])
        elif origin in (Union, types.UnionType):
            arms = [a for a in get_args(annotation) if a is not type(None)]
            if len(arms) != 1:
                return annotation, found
            annotation = arms[0]
        else:
            return annotation, found


def _string_kind(owner: type[BaseModel], name: str, metadata: list[Any]) -> str:
    validators = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata}
    patterns = [getattr(m, "pattern", None) for m in metadata]
    extra = [getattr(m, "json_schema_extra", None) or {} for m in metadata]
    patterns += [e.get("pattern") for e in extra if isinstance(e, dict)]
    if owner is content_model.Citation and name == "section":
        return "section"
    if any(isinstance(m, content_model.RefTo) for m in metadata):
        return "id"
    if content_model.ID_PATTERN in patterns:
        return "id"
    if validators & {"check_phone_number", "check_key_sequence", "check_email_address"}:
        return "format"
    if "check_markdown_subset" in validators:
        return "markdown"
    if "check_https_url" in validators or any(p and "https" in p for p in patterns):
        return "url"
    return "plain"


def walk_fields(
    model: type[BaseModel] = content_model.ContentFile, prefix: str = ""
) -> Iterator[TextField]:
    """Every string-valued field reachable from `model`, with its kind."""
    for name, info in model.model_fields.items():
        annotation, metadata = _metadata(info.annotation)
        metadata = [*info.metadata, *metadata]
        many = False
        if get_origin(annotation) is list:
            many = True
            annotation, inner = _metadata(get_args(annotation)[0])
            metadata += inner
        path = f"{prefix}{name}{'[]' if many else ''}"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from walk_fields(annotation, path + ".")
        elif annotation is str:
            yield TextField(path, model, name, _string_kind(model, name, metadata), many)
        elif get_origin(annotation) is dict:
            yield TextField(path, model, name, "overlay", many)
        elif get_origin(annotation) is Literal or annotation in (bool, int, dt.date):
            continue
        elif annotation is Any:
            yield TextField(path, model, name, "overlay", many)
        else:  # a new kind of field: make the suite decide what it is
            raise TypeError(f"{model.__name__}.{name}: unknown field type {annotation!r}")


def text_fields() -> list[TextField]:
    return [f for f in walk_fields() if f.kind in TEXT_KINDS]


# --- the synthetic content -----------------------------------------------------------------

_SRC = {"document": "kilde", "section": "1"}
_REVIEW = {"last_reviewed": "2026-10-01", "next_review": "2027-10-01", "owner": "utvalget"}


def _cite(**extra: Any) -> dict[str, Any]:
    return {**_SRC, "heading": "Underoverskrift", **extra}


def _part(pid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "name": "Del",
        "text": "Tekst.",
        "details": ["Detalj."],
        "source": _cite(),
        "why_internal": "Grunn.",
    }


def _rule(rid: str) -> dict[str, Any]:
    return {
        "id": rid,
        "text": "Regel.",
        "instead": "I stedet.",
        "instead_ref": "henvisning",
        "source": _cite(),
        "why_internal": "Grunn.",
    }


# Section ids: "1" is what every citation cites; SECTION_SLOT is a section whose id carries
# payloads, cited by one citation (topics[].also_in[].section); "9" is out of scope.
SECTION_SLOT = "@section"

BASE: dict[str, Any] = {
    "sources": [
        {
            "id": "kilde",
            "title": "Kilden",
            "short_title": "Kort",
            "publisher": "Utgiver",
            "revision": "Utgave 1",
            "year": 2026,
            "url": "https://kilde.example/",
            "file": "kilde.pdf",
            "why_internal": "Grunn.",
            "sections": [
                {"id": "1", "title": "Avsnitt"},
                {"id": SECTION_SLOT, "title": "Avsnitt to"},
                {"id": "9", "title": "Utenfor", "out_of_scope": "Ikke tatt med."},
            ],
        },
        {
            "id": "kilde2",
            "title": "Kilde to",
            "publisher": "Utgiver",
            "url": "https://kilde2.example/",
            "sections": [{"id": "1", "title": "Alt", "out_of_scope": "Ikke tatt med."}],
        },
    ],
    "actors": [
        {
            "id": "gp",
            "name": "Fastlege",
            "responsibility_heading": "Fastlegens ansvar",
            "description": "Om fastlegen.",
            "why_internal": "Grunn.",
        },
        {"id": "lege", "name": "Sykehuslege", "responsibility_heading": "Sykehuslegens ansvar"},
    ],
    "organisations": [
        {
            "id": "utvalget",
            "name": "Utvalget",
            "short_name": "UT",
            "kind": "body",
            "url": "https://utvalget.example/",
            "description": "Om utvalget.",
            "source": _cite(),
            "why_internal": "Grunn.",
        },
        *(
            {"id": f"org{i}", "name": f"Org {i}", "kind": "body", "url": f"https://o{i}.example/"}
            for i in range(1, 4)
        ),
    ],
    "topics": [
        {
            "id": "henvisning",
            "number": 1,
            "title": "Henvisning",
            "summary": "Om henvisning.",
            "source": _cite(),
            "also_in": [{"document": "kilde", "section": SECTION_SLOT, "heading": "Også"}],
            "review": _REVIEW,
            "why_internal": "Grunn.",
            "statements": [
                {
                    "id": "henvisning.skriv",
                    "responsible": "gp",
                    "when": "Ved henvisning.",
                    "text": "Fastlegen skriver henvisningen.",
                    "details": ["Med problemstilling."],
                    "exceptions": ["Ikke ved øyeblikkelig hjelp."],
                    "see_also": ["epikrise"],
                    "source": _cite(),
                    "why_internal": "Grunn.",
                },
                {
                    "id": "henvisning.intern",
                    "responsible": "lege",
                    "text": "Internt utsagn.",
                    "visibility": "internal",
                    "why_internal": "Grunn.",
                },
            ],
        },
        {
            "id": "epikrise",
            "title": "Epikrise",
            "source": _cite(),
            "review": _REVIEW,
            "statements": [{"id": "epikrise.send", "responsible": "lege", "text": "Send den."}],
        },
    ],
    "glossary": [
        {
            "id": "lib",
            "term": "LIB",
            "variants": ["LiB"],
            "synonyms": ["legemiddelliste"],
            "expansion": "Lege i spesialisering",
            "explanation": "Forklaring.",
            "source": _cite(),
            "why_internal": "Grunn.",
        }
    ],
    "frameworks": [
        {
            "id": "rammeverk",
            "title": "Rammeverket",
            "summary": "Om rammeverket.",
            "levels": [_part("niva.individ")],
            "components": [_part("komponent.kontakt")],
            "capacity": _part("kapasitet"),
            "escalation": [_part("trinn.direkte"), _part("trinn.utvalg")],
            "source": _cite(),
            "review": _REVIEW,
            "why_internal": "Grunn.",
        }
    ],
}

REGION_ID = "sor"

REGION: dict[str, Any] = {
    "handbook": {
        "id": REGION_ID,
        "title": "Håndboka Sør",
        "region": "Sør",
        "health_community": "Helsefellesskapet Sør",
        "revision": "Utgave 1",
        "maintainer": "utvalget",
        "primary_source": "kilde",
        "description": "Om regionen.",
        "feedback_url": "https://skjema.example/forslag",
        "accessibility_statement": "https://uustatus.example/erklaring",
    },
    "routes": [
        {
            "id": "bakvakt",
            "title": "Bakvakt",
            "situation": "advice",
            "caller": "gp",
            "reaches": ["lege"],
            "purpose": "Råd.",
            "number": "38073000",
            "via": "utvalget",
            "ask_for": "Bakvakten",
            "keys": [{"site": "utvalget", "keys": "R 3421"}],
            "keys_pressed_by": "gp",
            "steps": ["Ring.", "Vent."],
            "hours": {"open": "Hele døgnet.", "outside_hours": "Ring 113."},
            "fallbacks": [{"text": "Ring sentralbordet.", "route": "sentralbord"}],
            "notes": ["Merknad."],
            "internal": {
                "why_internal": "Direktenummer.",
                "number": "38073001",
                "note": "Intern merknad.",
            },
            "source": _cite(),
            "review": _REVIEW,
            "why_internal": "Grunn.",
        },
        {
            "id": "sentralbord",
            "title": "Sentralbordet",
            "situation": "hospital_to_gp",
            "caller": "lege",
            "reaches": ["gp"],
            "purpose": "Når sykehuset trenger fastlegen.",
            "no_number_reason": "Kilden oppgir ikke nummeret.",
            "hours": {"always_open": True},
            "source": _cite(),
            "review": _REVIEW,
        },
    ],
    "message_types": [
        {
            "id": "dialog",
            "name": "Dialogmelding",
            "category": "dialogue_message",
            "description": "Om meldingen.",
            "use": [_rule("dialog.bruk")],
            "never_use": [_rule("dialog.ikke")],
            "reply_time": {"working_days": 2, "text": "To dager.", "source": _cite()},
            "addressing": [_rule("dialog.adresse")],
            "content_rules": [_rule("dialog.innhold")],
            "facts": [_rule("dialog.fakta")],
            "see_also": ["henvisning"],
            "review": _REVIEW,
            "why_internal": "Grunn.",
        }
    ],
    "decision_aid": [
        {
            "id": "kanal.akutt",
            "question": "Haster det?",
            "answer": "Ring.",
            "targets": ["bakvakt"],
            "source": _cite(),
            "why_internal": "Grunn.",
        }
    ],
    "cards": [  # one item each: a card that does not fit is an error, and payloads are long
        {
            "id": f"kort-{item.replace('.', '-')}",
            "title": "Hvem ringer jeg?",
            "subtitle": "For fastleger",
            "format": "a3-poster",
            "link": "bakvakt",
            "items": [item],
            "why_internal": "Grunn.",
        }
        for item in ("kanal.akutt", "bakvakt", "dialog.bruk")
    ],
    "collaboration": [
        {
            "id": "samarbeid",
            "title": "Samarbeidet",
            "health_community": "Helsefellesskapet Sør",
            "summary": "Om samarbeidet.",
            "bodies": ["utvalget", "org1"],
            "framework": "rammeverk",
            "ladder": [
                {
                    "step": "trinn.direkte",
                    "bodies": ["utvalget"],
                    "note": "Merknad.",
                    "source": _cite(),
                }
            ],
            "flows": [
                {
                    "id": "flyt",
                    "from_body": "utvalget",
                    "to_body": "org1",
                    "when": "Når saken ikke løses.",
                    "source": _cite(),
                    "why_internal": "Grunn.",
                }
            ],
            "source": _cite(),
            "review": _REVIEW,
            "why_internal": "Grunn.",
        }
    ],
    "checklists": [
        {
            "id": "viktig",
            "title": "Hva er viktig for deg?",
            "summary": "Om sjekklisten.",
            "used_by": ["gp"],
            "based_on": "Samtalen",
            "steps": [
                {
                    "id": "viktig.spor",
                    "title": "Spør",
                    "questions": ["Hva er viktig?"],
                    "source": _cite(),
                    "why_internal": "Grunn.",
                }
            ],
            "source": _cite(),
            "review": _REVIEW,
            "why_internal": "Grunn.",
        }
    ],
    "changes": [
        {
            "target": "epikrise",
            "why": "Regionen kaller det noe annet.",
            "override": {"title": "Epikrisen"},
            "source": _cite(),
        }
    ],
}

# The files of the tree: content/base/base.yaml and content/regions/sor/region.yaml.
FILES: dict[str, dict[str, Any]] = {
    "base/base.yaml": BASE,
    f"regions/{REGION_ID}/region.yaml": REGION,
}


def _with_status(data: dict[str, Any], model: type[BaseModel]) -> None:
    """Give every item whose model has a `status` (a proposal's source status) one, so its
    text fields are exercised too (the field is optional and new: added where it exists)."""
    for name, info in model.model_fields.items():
        annotation, _ = _metadata(info.annotation)
        value = data.get(name)
        if get_origin(annotation) is list:
            annotation, _ = _metadata(get_args(annotation)[0])
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            continue
        if name == "status" and "status" not in data:
            data["status"] = {
                "kind": "proposal",
                "by": "Utvalget",
                "year": 2026,
                "note": "Forslag.",
            }
        for item in value if isinstance(value, list) else [value] if value else []:
            if isinstance(item, dict):
                _with_status(item, annotation)


for _data in FILES.values():
    _with_status(_data, content_model.ContentFile)


EDITORIAL_SUFFIX = "-red"
EDITORIAL = {"who": "Redaksjonen", "when": "2026-12-01", "basis": "K", "next_review": "2027-12-01"}


_copies = iter(range(1, 10_000))


def _renamed(item: Any, suffix: str = "") -> Any:
    """A copy of an item with every id in it made new (nothing refers to the copy)."""
    suffix = suffix or f"{EDITORIAL_SUFFIX}{next(_copies)}"
    if isinstance(item, dict):
        return {
            k: (v + suffix if k == "id" and isinstance(v, str) else _renamed(v, suffix))
            for k, v in item.items()
        }
    if isinstance(item, list):
        return [_renamed(v, suffix) for v in item]
    return item


def _with_editorial(data: dict[str, Any], model: type[BaseModel]) -> None:
    """Beside the first cited item of every list whose items may be an editorial addition
    instead (`editorial:`), one such addition: a copy with `editorial` for `source`, so the
    editorial fields of every kind of item are exercised too. Its children keep citing."""
    for name, info in model.model_fields.items():
        annotation, _ = _metadata(info.annotation)
        value = data.get(name)
        listed = get_origin(annotation) is list
        if listed:
            annotation, _ = _metadata(get_args(annotation)[0])
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            continue
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for item in list(items):
            _with_editorial(item, annotation)
        first = next((i for i in items if isinstance(i, dict)), None)
        if listed and first is not None and _editorial_copy(first, annotation):
            copy = _renamed(first)
            _editorial_copy(copy, annotation, change=True)
            for child in copy.values():
                for grandchild in child if isinstance(child, list) else []:
                    cites = isinstance(grandchild, dict) and "editorial" not in grandchild
                    if cites and "id" in grandchild:
                        grandchild.setdefault("source", _cite())
            value.append(copy)


def _editorial_copy(item: dict[str, Any], model: type[BaseModel], change: bool = False) -> bool:
    """Whether the item, or a single item in it (a reply time, a capacity), cites a source
    where it could be an editorial addition; with `change`, make them editorial additions."""
    found = False
    for name, info in [("", None), *model.model_fields.items()]:
        target, target_model = item, model
        if info is not None:
            annotation, _ = _metadata(info.annotation)
            target = item.get(name)
            if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                continue
            target_model = annotation
        cited = isinstance(target, dict) and "source" in target
        if cited and "editorial" in target_model.model_fields:
            found = True
            if change:
                del target["source"]
                target["editorial"] = dict(EDITORIAL)
    return found


for _data in FILES.values():
    _with_editorial(_data, content_model.ContentFile)


# --- filling values in -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Slot:
    """One string value in the content: a field path at one place (file, index path)."""

    field: TextField
    file: str
    where: tuple[Any, ...]  # keys and indexes from the file's root

    @property
    def key(self) -> tuple[str, tuple[Any, ...]]:
        return (self.file, self.where)


def _slots(data: Any, model: type[BaseModel], file: str, where: tuple, prefix: str):
    for name, value in data.items():
        info = model.model_fields[name]
        annotation, _ = _metadata(info.annotation)
        if get_origin(annotation) is list:
            inner, _ = _metadata(get_args(annotation)[0])
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                for i, item in enumerate(value):
                    yield from _slots(item, inner, file, (*where, name, i), f"{prefix}{name}[].")
                continue
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _slots(value, annotation, file, (*where, name), f"{prefix}{name}.")
            continue
        field = next(
            (f for f in walk_fields(model, prefix) if f.path.rstrip("[]") == prefix + name), None
        )
        if field is None or field.kind not in (*TEXT_KINDS, "section"):
            continue
        if isinstance(value, list):
            for i, _item in enumerate(value):
                yield Slot(field, file, (*where, name, i))
        elif isinstance(value, str):
            if field.path == "sources[].sections[].id" and value != SECTION_SLOT:
                continue  # the ids the other citations cite stay as they are
            yield Slot(field, file, (*where, name))


def slots() -> list[Slot]:
    """Every text value of the synthetic content, in file order (section citations included)."""
    found = []
    for file, data in FILES.items():
        found.extend(_slots(data, content_model.ContentFile, file, (), ""))
    return found


def overlay_slots() -> list[tuple[str, tuple[Any, ...], TextField]]:
    """Values inside `changes[].override`: (file, where, the target field they replace)."""
    topic_title = next(f for f in walk_fields() if f.path == "topics[].title")
    found = []
    for file, data in FILES.items():
        for i, change in enumerate(data.get("changes", [])):
            for key in change.get("override") or {}:
                if key == "title":
                    found.append((file, ("changes", i, "override", key), topic_title))
    return found


def uncovered_fields() -> list[str]:
    """Text fields of the model that no value of the synthetic content exercises."""
    covered = {s.field.path for s in slots() if s.field.kind in TEXT_KINDS}
    return sorted(f.path for f in text_fields() if f.path not in covered)


def _get(data: Any, where: tuple[Any, ...]) -> Any:
    for key in where:
        data = data[key]
    return data


def _set(data: Any, where: tuple[Any, ...], value: Any) -> None:
    _get(data, where[:-1])[where[-1]] = value


def fill(values: dict[tuple[str, tuple[Any, ...]], str]) -> dict[str, dict[str, Any]]:
    """A deep copy of the content with the given values put in; the section slot's citation
    follows the section id it cites."""
    files = json.loads(json.dumps(FILES))
    for (file, where), value in values.items():
        _set(files[file], where, value)
    section_id = _get(files["base/base.yaml"], ("sources", 0, "sections", 1, "id"))
    for file_data in files.values():
        for topic in file_data.get("topics", []):
            for citation in topic.get("also_in", []):
                if citation["section"] == SECTION_SLOT:
                    citation["section"] = section_id
    return files


# --- writing YAML with one value per line ------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _emit(data: Any, indent: int, where: tuple, out: list[str], lines: dict) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            here = (*where, key)
            if isinstance(value, (dict, list)) and value:
                out.append(f"{pad}{key}:")
                _emit(value, indent + 2, here, out, lines)
            else:
                lines[here] = len(out) + 1
                out.append(f"{pad}{key}: {'[]' if value == [] else _scalar(value)}")
    else:
        for i, item in enumerate(data):
            here = (*where, i)
            if isinstance(item, (dict, list)):
                out.append(f"{pad}-")
                _emit(item, indent + 2, here, out, lines)
            else:
                lines[here] = len(out) + 1
                out.append(f"{pad}- {_scalar(item)}")


def write_content(
    root: Path, files: dict[str, dict[str, Any]]
) -> dict[tuple[str, tuple[Any, ...]], int]:
    """Write the tree under `root`; returns the line of every scalar, by (file, where)."""
    lines: dict[tuple[str, tuple[Any, ...]], int] = {}
    for name, data in files.items():
        out: list[str] = []
        own: dict[tuple, int] = {}
        _emit(data, 0, (), out, own)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        lines.update({(name, where): line for where, line in own.items()})
    return lines


# --- rotation: every field gets every payload over a few builds ------------------------------


def payloads_for(kind: str) -> tuple[Payload, ...]:
    return URL_PAYLOADS if kind == "url" else PAYLOADS


def field_index(field: TextField) -> int:
    return [f.path for f in text_fields()].index(field.path)


def rotation(builds: int) -> list[dict[Slot, list[tuple[int, Payload]]]]:
    """For each build, the payloads (with their markers) each slot carries. A field's slots
    times the builds make its cells; its payloads are dealt over the cells, so across all the
    builds each field gets every payload. URL slots get one payload per cell at most."""
    plan: list[dict[Slot, list[tuple[int, Payload]]]] = [{} for _ in range(builds)]
    by_field: dict[str, list[Slot]] = {}
    for slot in slots():
        if slot.field.kind in TEXT_KINDS:
            by_field.setdefault(slot.field.path, []).append(slot)
    for field_slots in by_field.values():
        field = field_slots[0].field
        index = field_index(field)
        cells = [(b, s) for b in range(builds) for s in field_slots]
        for j, payload in enumerate(payloads_for(field.kind)):
            build, slot = cells[(j + index) % len(cells)]
            plan[build].setdefault(slot, []).append((marker(index, j), payload))
    return plan


def joined(items: list[tuple[int, Payload]]) -> str:
    return " ".join(p.text(n) for n, p in items)


def clean_token(index: int, kind: str) -> str:
    """A benign value that names its slot (by index): found in the raw HTML of a clean build."""
    if kind == "url":
        return f"https://f{index}.example/Q{index}Z"
    return f"Q{index}Z"


def typing_hint(field: TextField) -> Any:
    """The field's annotation with its metadata, for a TypeAdapter."""
    info = field.model.model_fields[field.name]
    annotation = info.annotation
    if field.many:
        annotation = get_args(_metadata(annotation)[0])[0]
        return annotation
    return Annotated[annotation, info] if info.metadata else annotation
