"""What a region changes, described for readers: the field names in Norwegian, and each
overridden field's old and new value as text. Shared by the region's «Regionale tilpasninger»
page and the portal's comparison pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.core.handbook import iter_entries
from generator.core.regions import AppliedChange, RegionView

ACTIONS = {"override": "Endret", "extend": "Utvidet", "remove": "Fjernet"}
FIELD_NAMES = {
    "title": "Tittel",
    "name": "Navn",
    "short_name": "Kortnavn",
    "text": "Tekst",
    "summary": "Sammendrag",
    "description": "Beskrivelse",
    "when": "Når",
    "details": "Underpunkter",
    "exceptions": "Unntak",
    "responsible": "Ansvarlig",
    "kind": "Type",
    "number": "Nummer",
    "phone": "Telefon",
    "purpose": "Når veien brukes",
    "ask_for": "Be om",
    "via": "Ring til",
    "reaches": "Du når",
    "keys": "Taster",
    "hours": "Åpningstid",
    "steps": "Steg",
    "notes": "Merknader",
    "fallbacks": "Hvis du ikke når fram",
    "statements": "Utsagn",
    "review": "Gjennomgang",
    "source": "Kilde",
    "also_in": "Også i",
    "see_also": "Se også",
    "url": "Nettadresse",
    "term": "Ord",
    "expansion": "Betydning",
    "explanation": "Forklaring",
    "variants": "Skrivemåter",
    "use": "Bruk når",
    "never_use": "Bruk ikke når",
    "question": "Spørsmål",
    "answer": "Svar",
    "targets": "Peker til",
    "items": "Innhold",
    "levels": "Nivåer",
    "components": "Komponenter",
    "capacity": "Totalkapasitet",
    "escalation": "Eskaleringstrinn",
    "bodies": "Organer",
    "ladder": "Eskaleringstrappen",
    "flows": "Saksgang",
    "questions": "Spørsmål",
    "used_by": "Brukes av",
    "based_on": "Bygger på",
}
FIELD_LABELS = {  # where a field means something else for one kind
    ("topic", "number"): "Kapittelnummer",
    ("route", "number"): "Telefonnummer",
    ("organisation", "kind"): "Type enhet",
    ("statement", "kind"): "Type utsagn",
}


@dataclass
class FieldChange:
    """One overridden field: its label, and the old and new value as text (None: not set).
    `plain` is False for a value that is not one plain value (a list, a review): shown as
    changed, without the values."""

    label: str
    before: str | None
    after: str | None
    plain: bool = True
    markdown: bool = False  # the values are content Markdown (else plain text, to escape)


def ids_from_regions(view: RegionView) -> set[str]:
    """The ids the region and the regions it extends define: everything else is the base's."""
    return {
        entry.id
        for level in view.chain
        for loaded, content in level.files
        for entry in iter_entries(loaded, content)
    }


def field_changes(change: AppliedChange) -> list[FieldChange]:
    """The overridden fields, with the old and new value where both are plain values."""
    fields = []
    for name in change.fields:
        before, after = change.before.get(name, ...), change.after.get(name, ...)
        label = FIELD_LABELS.get((change.kind, name)) or FIELD_NAMES.get(name, name)
        if _is_plain(before) and _is_plain(after):
            shown = FieldChange(label, _plain_text(before), _plain_text(after))
            shown.markdown = name in change.markdown
            fields.append(shown)
        else:
            fields.append(FieldChange(label, None, None, plain=False))
    return fields


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _plain_text(value: str | float | bool | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return " ".join(str(value).split())
