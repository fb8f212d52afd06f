"""Norwegian words editors write for the model's field names (`ansvarlig:` for `responsible:`).

Why: the field names are English, the editors are not; «ukjent felt «ansvarlig»» with a list of
every allowed field sends them searching, «mente du «responsible»?» does not. The words are the
ones the model's descriptions and the editor's guide use for each field.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

NORWEGIAN: dict[str, tuple[str, ...]] = {
    "responsible": ("ansvarlig", "ansvar", "ansvarleg"),
    "source": ("kilde", "kjelde"),
    "sources": ("kilder", "kjelder"),
    "text": ("tekst",),
    "title": ("tittel", "overskrift"),
    "short_title": ("korttittel", "kort_tittel"),
    "summary": ("sammendrag", "oppsummering"),
    "description": ("beskrivelse", "forklaring_lang"),
    "explanation": ("forklaring",),
    "details": ("detaljer", "underpunkter"),
    "statements": ("utsagn", "anbefalinger"),
    "topics": ("emner", "kapitler"),
    "section": ("avsnitt", "kapittel", "seksjon"),
    "document": ("dokument",),
    "review": ("gjennomgang",),
    "last_reviewed": ("sist_gjennomgått", "sist_gjennomgatt", "gjennomgått"),
    "next_review": ("neste_gjennomgang",),
    "owner": ("eier",),
    "name": ("navn",),
    "short_name": ("kortnavn", "kort_navn", "forkortelse"),
    "number": ("nummer", "telefonnummer", "tlf"),
    "phone": ("telefon",),
    "hours": ("åpningstid", "apningstid", "tid"),
    "keys": ("taster", "tastevalg"),
    "kind": ("type", "art", "slags"),
    "note": ("merknad", "notat"),
    "notes": ("merknader", "notater"),
    "why": ("hvorfor", "begrunnelse", "grunn"),
    "when": ("når", "nar"),
    "who": ("hvem",),
    "term": ("begrep", "ord"),
    "expansion": ("betydning", "fullt_navn"),
    "region": ("område",),
    "revision": ("revisjon", "utgave"),
    "maintainer": ("vedlikeholder", "redaktør"),
    "visibility": ("synlighet",),
    "target": ("mål",),
    "remove": ("fjern", "slett"),
    "override": ("erstatt", "overstyr"),
    "extend": ("utvid", "legg_til"),
    "extends": ("bygger_på", "arver"),
    "see_also": ("se_også", "se_ogsa"),
    "example": ("eksempel",),
    "status": ("tilstand",),
    "year": ("år", "aar"),
    "question": ("spørsmål", "sporsmal"),
    "answer": ("svar",),
    "steps": ("steg", "trinn"),
    "link": ("lenke",),
    "url": ("adresse", "nettadresse"),
    "purpose": ("formål", "hensikt"),
}
_FIELD_FOR = {word: field for field, words in NORWEGIAN.items() for word in words}


def meant(key: str, allowed: Collection[str]) -> str | None:
    """The field an unknown key most likely means here: a Norwegian word for an allowed field,
    else a close spelling of one, else None."""
    field = _FIELD_FOR.get(key.strip().lower().replace(" ", "_").replace("-", "_"))
    if field in allowed:
        return field
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return close[0] if close else None
