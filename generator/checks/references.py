"""Every reference by id resolves to an entity of an allowed kind; citations name a real section."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator.core.diagnostics import Diagnostic, display_path
from generator.core.handbook import Handbook
from generator.core.model import Citation, RefTo
from generator.core.yaml_loader import Loc

KIND_NAMES = {
    "actor": "aktør",
    "organisation": "organisasjon/enhet",
    "source": "kilde",
    "topic": "emne",
    "statement": "utsagn",
    "route": "telefonvei",
    "message_type": "meldingstype",
    "rule": "meldingsregel",
    "term": "ordlisteord",
    "decision": "beslutningstrinn",
    "card": "kort",
    "framework": "rammeverk",
    "framework_level": "samhandlingsnivå",
    "framework_component": "rammeverkskomponent",
    "escalation_step": "trinn i eskaleringstrappen",
    "collaboration": "samarbeidsstruktur",
    "case_flow": "saksgang",
    "checklist": "sjekkliste",
    "checklist_step": "sjekklistesteg",
}


def _find_ref(annotation: Any) -> RefTo | None:
    if isinstance(annotation, RefTo):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_ref(arg)
        if found:
            return found
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, RefTo):
            return meta
    return None


@functools.cache
def ref_fields(model: type[BaseModel]) -> dict[str, RefTo]:
    """The fields of `model` that hold references, with the kinds they may point to."""
    found: dict[str, RefTo] = {}
    for name, info in model.model_fields.items():
        ref = _find_ref(info.annotation) or next(
            (m for m in info.metadata if isinstance(m, RefTo)), None
        )
        if ref:
            found[name] = ref
    return found


def iter_refs(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, str, RefTo]]:
    """(loc, id, allowed kinds) for every reference held directly by `model`."""
    for name, ref in ref_fields(type(model)).items():
        value = getattr(model, name)
        if isinstance(value, str):
            yield (*loc, name), value, ref
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield (*loc, name, index), item, ref


def _known(handbook: Handbook, kinds: tuple[str, ...]) -> list[str]:
    return sorted(i for i, e in handbook.entries.items() if e.kind in kinds)


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for loaded, loc, model in handbook.models:
        for ref_loc, target_id, ref in iter_refs(model, loc):
            problem = _resolve(handbook, target_id, ref)
            if problem:
                code, message, hint = problem
                yield loaded.diagnostic(ref_loc, code, message, hint)
        if isinstance(model, Citation):
            yield from _check_citation(handbook, loaded, loc, model)


def _resolve(handbook: Handbook, target_id: str, ref: RefTo) -> tuple[str, str, str] | None:
    """(code, message, hint) when `target_id` does not resolve to an allowed kind."""
    target = handbook.entries.get(target_id)
    if target is not None and target.kind in ref.kinds:
        return None  # nearly every reference: the message parts below are not needed
    wanted = " eller ".join(KIND_NAMES[k] for k in ref.kinds) if len(ref.kinds) <= 2 else "id"
    removed = handbook.region.removed.get(target_id) if handbook.region else None
    if target is None and removed is not None:
        return (
            "ref-removed",
            f"viser til «{target_id}», som regionen fjerner ({removed})",
            "fjern henvisningen her, eller ikke fjern det den viser til",
        )
    if target is None:
        known = _known(handbook, ref.kinds)
        close = difflib.get_close_matches(target_id, known, n=1, cutoff=0.6)
        elsewhere = _in_another_region(handbook, target_id)
        if elsewhere is not None:
            return "unknown-ref", f"ukjent {wanted} «{target_id}» i denne regionen", elsewhere
        if close:
            hint = f"mente du «{close[0]}»?"
        elif len(known) <= 20:
            hint = f"kjente id-er: {', '.join(known)}"
        else:
            hint = f"{len(known)} kjente id-er; sjekk stavemåten"
        return "unknown-ref", f"ukjent {wanted} «{target_id}»", hint
    if target.kind not in ref.kinds:
        return (
            "wrong-ref-kind",
            f"«{target_id}» er en {KIND_NAMES[target.kind]}, men her trengs en {wanted}",
            "sjekk at id-en peker på riktig slags innhold",
        )
    return None


def _in_another_region(handbook: Handbook, target_id: str) -> str | None:
    """The hint when `target_id` is defined in a region outside this one's chain: the editor
    wrote an id they saw on another region's site. Read as text, and only for an unknown id."""
    view = handbook.region
    if view is None:
        return None
    chain = {r.folder for r in view.chain}
    declared = re.compile(
        rf"^[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?{re.escape(target_id)}[\"']?[ \t]*(?:#.*)?$",
        re.MULTILINE,
    )
    for folder in sorted(view.region.folder.parent.iterdir()):
        if folder in chain or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.yaml")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = declared.search(text)
            if found is None:
                continue
            where = f"{display_path(path)}:{text.count(chr(10), 0, found.start()) + 1}"
            region = folder.name
            if view.region.info.extends is None:
                return (
                    f"«{target_id}» finnes i regionen {region} ({where}); legg til "
                    f"«extends: {region}» i handbook:-blokken i {view.region.declaration.display}, "
                    "eller skriv det i denne regionen"
                )
            return (
                f"«{target_id}» finnes i regionen {region} ({where}), som denne regionen ikke "
                "bygger på; skriv det i denne regionen"
            )
    return None


def _check_citation(handbook: Handbook, loaded, loc: Loc, citation: Citation):
    entry = handbook.entries.get(citation.document)
    if entry is None or entry.kind != "source":
        return  # reported above as an unknown reference
    sections = [s.id for s in entry.entity.sections]
    if citation.section not in sections:
        close = difflib.get_close_matches(citation.section, sections, n=1, cutoff=0.5)
        hint = f"mente du «{close[0]}»?" if close else f"avsnitt i kilden: {', '.join(sections)}"
        yield loaded.diagnostic(
            (*loc, "section"),
            "unknown-section",
            f"kilden «{citation.document}» har ikke avsnittet «{citation.section}»",
            hint,
        )
