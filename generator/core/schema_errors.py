"""Turn pydantic's validation errors into Norwegian diagnostics at the right line and column.

Why: pydantic reports `('topics', 0, 'statements', 2, 'responsibel')  Extra inputs are not
permitted`. A practice consultant needs `content/topics/henvisning.yaml:14:7: ukjent felt
«responsibel»` and a hint that it probably means `responsible`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.core.diagnostics import Diagnostic
from generator.core.key_names import meant
from generator.core.model import Change
from generator.core.yaml_loader import LoadedFile, Loc


def _unwrap(annotation: Any) -> Any:
    """The model class inside list[...], X | None, Annotated[...] — or the annotation itself."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc` (None when `loc` is not a mapping)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "sann/usann"
    if isinstance(value, int | float):
        return "et tall"
    if isinstance(value, dt.date):
        return "en dato"
    if isinstance(value, dict):
        return "en blokk med felt"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "tom"
    return "tekst"


# Error types our own validators raise (`generator.core.plain_text.content_error`, and
# `generator.core.model.Provenance`: a citation or an editorial addition).
OWN_CODES = frozenset({"markup-in-plain-text", "bad-url", "source-and-editorial", "missing-source"})

_VALIDATOR_LABEL = re.compile(r"^[a-z]+(?:-[a-z]+)*\[.*\]$")


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's validator labels (e.g. 'function-after[check(), str]') from a loc.

    Only that exact shape: a content key may itself contain brackets."""
    return tuple(p for p in loc if isinstance(p, int) or not _VALIDATOR_LABEL.match(str(p)))


def translate(error: dict[str, Any], loaded: LoadedFile, root: type[BaseModel]) -> Diagnostic:
    loc = _clean_loc(error["loc"])
    kind = error["type"]
    value = error.get("input")
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
    raw = loaded.raw.get(loc)

    if kind != "extra_forbidden" and isinstance(value, str) and PLACEHOLDER.search(value):
        return _placeholder(error, loc, value, loaded, root)

    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = meant(str(field), allowed)
        hint = f"mente du «{close}»?" if close else f"tillatte felt her: {', '.join(allowed)}"
        return loaded.diagnostic(
            loc, "unknown-key", f"ukjent felt «{field}»", hint, prefer_key=True
        )

    if kind == "missing":
        model = model_at(root, loc)
        parent = model_at(root, loc[:-1])
        described = parent.model_fields.get(str(field)) if parent else None
        hint = described.description if described and described.description else None
        if model is not None and hint is None:
            hint = f"feltet er en blokk med: {', '.join(sorted(model.model_fields))}"
        return loaded.diagnostic(loc[:-1], "missing-field", f"mangler påkrevd felt «{field}»", hint)

    if kind == "string_type":
        if raw is not None:
            return loaded.diagnostic(
                loc,
                "not-text",
                f"«{raw}» ble lest som {_describe_value(value)}, men «{field}» skal være tekst",
                f'sett verdien i anførselstegn: {field}: "{raw}"',
            )
        return loaded.diagnostic(
            loc, "not-text", f"«{field}» skal være tekst, ikke {_describe_value(value)}"
        )

    if kind in ("bool_type", "bool_parsing"):
        return loaded.diagnostic(
            loc,
            "not-bool",
            f"«{field}» skal være true eller false",
            "ja/nei og yes/no leses ikke som sann/usann; skriv true eller false",
        )

    if kind in ("int_type", "int_parsing", "int_from_float"):
        return loaded.diagnostic(
            loc,
            "not-integer",
            f"«{field}» skal være et heltall",
            "skriv bare sifre, uten anførselstegn",
        )

    if kind in ("list_type", "too_short") and isinstance(value, str | int | float):
        return loaded.diagnostic(
            loc,
            "not-list",
            f"«{field}» skal være en liste",
            f"skriv hvert element på egen linje med «- » foran: - {value}",
        )

    if kind == "list_type":
        return loaded.diagnostic(
            loc, "not-list", f"«{field}» skal være en liste, ikke {_describe_value(value)}"
        )

    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = model_at(root, loc)
        fields = ", ".join(sorted(model.model_fields)) if model else ""
        where = f"«{field}»" if field else "elementet"
        return loaded.diagnostic(
            loc,
            "not-mapping",
            f"{where} skal være en blokk med felt, ikke {_describe_value(value)}",
            f"felt her: {fields}" if fields else None,
        )

    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"mente du «{close[0]}»?" if close else f"gyldige verdier: {', '.join(options)}"
        return loaded.diagnostic(
            loc, "bad-choice", f"«{value}» er ikke en gyldig verdi for «{field}»", hint
        )

    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern.startswith("^https"):
            return loaded.diagnostic(
                loc,
                "bad-url",
                f"«{value}» er ikke en https-adresse",
                "adressen må starte med https://",
            )
        return loaded.diagnostic(
            loc,
            "bad-id",
            f"«{value}» er ikke en gyldig id",
            "bruk små bokstaver a–z uten æøå, tall og bindestrek, f.eks. «akutt-somatikk»",
        )

    if kind == "string_too_short":
        return loaded.diagnostic(loc, "empty", f"«{field}» kan ikke være tom")

    if kind == "too_short":
        message = f"«{field}» kan ikke være en tom liste"
        if field == "statements":
            message = "emnet har ingen utsagn («statements» er tom)"
        return loaded.diagnostic(loc, "empty-list", message)

    if kind in ("greater_than_equal", "greater_than"):
        return loaded.diagnostic(loc, "too-small", f"«{field}» kan ikke være negativ")

    if kind in OWN_CODES:  # raised by our validators with their own code and hint
        ctx = error.get("ctx", {})
        return loaded.diagnostic(loc, kind, ctx.get("message", error["msg"]), ctx.get("hint"))

    if kind == "value_error":
        if (impossible := _impossible_date(value)) is not None:
            return loaded.diagnostic(loc, "bad-date", *impossible)
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        code = "bad-value"
        if field in ("number", "phone"):
            code = "bad-phone"
        elif field == "keys":
            code = "bad-keys"
        elif field in ("last_reviewed", "next_review"):
            code = "bad-date"
        elif model_at(root, loc) is Change:  # the model's own check: a change's shape
            code = "bad-change"
        else:
            code = "markdown"
        return loaded.diagnostic(
            loc, code, message, _html_hint(value) if code == "markdown" else None
        )

    return loaded.diagnostic(loc, "schema", f"«{field}»: {error['msg']}")


PLACEHOLDER = re.compile(r"\bTODO\b")  # what `handbook new` writes in every field to fill in
_ID_PLACEHOLDER = re.compile(r"(.+)\.TODO")


def _placeholder(
    error: dict[str, Any], loc: Loc, value: str, loaded: LoadedFile, root: type[BaseModel]
) -> Diagnostic:
    """A `handbook new` placeholder left in a field: what to write there, not which rule the
    placeholder happens to break (an id's letters, HTML in a text)."""
    loc_of_field = loc[:-1] if loc and isinstance(loc[-1], int) else loc  # a list's item
    field = next((str(p) for p in reversed(loc_of_field) if isinstance(p, str)), "feltet")
    parent = model_at(root, loc_of_field[:-1])
    described = parent.model_fields.get(field) if parent else None
    about = described.description if described and described.description else ""
    about = f"{about.rstrip('. ')}. " if about else ""
    kind = error["type"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        hint = f"erstatt {value} med en av verdiene: {', '.join(options)}"
    elif (rule := _ID_PLACEHOLDER.fullmatch(value)) is not None:
        hint = (
            f"erstatt TODO med et kort navn på regelen, f.eks. «{rule[1]}.ansvar»: små "
            "bokstaver a–z, tall og bindestrek, ulikt de andre id-ene"
        )
    elif kind == "string_pattern_mismatch":
        hint = f"{about}Erstatt {value} med en id; id-ene du kan vise til, står nederst i filen"
    elif field in ("number", "phone"):
        hint = f'erstatt {value} med nummeret fra kilden, i anførselstegn, f.eks. "38 07 30 00"'
    else:
        hint = f"{about}Erstatt {value} med teksten fra kilden"
    return loaded.diagnostic(
        loc, "placeholder", f"«{field}» er ikke fylt ut: det står fortsatt {value}", hint
    )


_EMPHASIS_TAG = re.compile(r"<(b|strong|i|em)>([^<>\n]*)</\1>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _html_hint(value: Any) -> str | None:
    """The Markdown for the HTML an editor wrote, with their own words: `<b>viktig</b>` ->
    `**viktig**`."""
    if not isinstance(value, str):
        return None
    if (tag := _EMPHASIS_TAG.search(value)) is not None:
        mark = "**" if tag[1].lower() in ("b", "strong") else "*"
        return f"skriv {mark}{tag[2]}{mark} i stedet for {tag[0]}: uthevinger skrives i Markdown"
    if (tag := _BREAK_TAG.search(value)) is not None:
        return f"skriv en tom linje (nytt avsnitt) i teksten i stedet for {tag[0]}"
    return None


MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
_DATE_SHAPE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _impossible_date(value: Any) -> tuple[str, str] | None:
    """(message, hint) for a date written the right way that does not exist (2026-02-30):
    telling the editor to write ÅÅÅÅ-MM-DD, as they did, would send them the wrong way."""
    match = _DATE_SHAPE.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return _impossible_month(str(value).strip(), year, month, day)
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    return (
        f"«{value}» finnes ikke: {MONTHS[month - 1]} {year} har {days} dager",
        "datoen er skrevet riktig (ÅÅÅÅ-MM-DD), men dagen finnes ikke; sjekk den mot kilden",
    )


def _impossible_month(value: str, year: int, month: int, day: int) -> tuple[str, str]:
    """A month that does not exist (2026-13-01); when the day could be a month, the editor
    probably wrote day and month the other way round, so that date is offered."""
    message = f"«{value}» finnes ikke: måned {month:02d} finnes ikke (året har 12 måneder)"
    if 1 <= day <= 12 and 1 <= month <= calendar.monthrange(year, day)[1]:
        swapped = f"{year:04d}-{day:02d}-{month:02d}"
        return (
            message,
            f"måneden står i midten (ÅÅÅÅ-MM-DD); mente du {swapped}? Sjekk datoen mot kilden",
        )
    return (
        message,
        "datoen er skrevet riktig (ÅÅÅÅ-MM-DD), men måneden finnes ikke; sjekk den mot kilden",
    )


def _typo_targets(errors: list[dict[str, Any]], root: type[BaseModel]) -> set[Loc]:
    """Locs of missing fields that an unknown key next to them probably meant to spell."""
    targets: set[Loc] = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        loc = _clean_loc(error["loc"])
        model = model_at(root, loc[:-1]) if loc else None
        if model is None:
            continue
        close = meant(str(loc[-1]), model.model_fields)
        if close:
            targets.add((*loc[:-1], close))
    return targets


def translate_all(
    exc: ValidationError, loaded: LoadedFile, root: type[BaseModel]
) -> list[Diagnostic]:
    """One diagnostic per mistake: a misspelt key is not also reported as a missing field."""
    errors = exc.errors(include_url=False)
    typos = _typo_targets(errors, root)
    return [
        translate(error, loaded, root)
        for error in errors
        if not (error["type"] == "missing" and _clean_loc(error["loc"]) in typos)
    ]
