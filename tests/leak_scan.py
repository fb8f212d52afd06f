"""Search every byte a build wrote for internal values, in every form they could take.

Text files are read raw and as visible text (tags stripped, entities unescaped); PDFs through
pdftotext; Pagefind's gzip-compressed index files after decompression. Phone numbers match with
any separators between their digits ("00 11 22 33", "00112233", "00&nbsp;11 22 33").
"""

from __future__ import annotations

import contextlib
import gzip
import html
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from generator.checks.references import ref_fields
from generator.core.handbook import Handbook, walk_models
from generator.core.model import Route

_NOT_SHOWN = {"id", "visibility", "why_internal", "public_fallback", "kind", "example"}


@dataclass(frozen=True)
class Value:
    what: str  # where it comes from, for the report
    text: str
    pattern: re.Pattern[str]


def _number_pattern(number: str) -> re.Pattern[str]:
    digits = [d for d in number if d.isdigit()]
    # Between digits: what people and HTML write there (spaces, no-break spaces, dots, dashes,
    # short tags such as <kbd>), never a comma: minified code is full of "0,0,1,1".
    body = r"(?:[\s\u00a0.\-]|&nbsp;|&#160;|<[^<>]{0,12}>){0,6}".join(digits)
    return re.compile(rf"(?<!\d){body}(?!\d)")


def _text_pattern(text: str) -> re.Pattern[str]:
    words = re.findall(r"\w+", text)
    return re.compile(r"\W+".join(map(re.escape, words)), re.IGNORECASE)


def _shown_texts(model: BaseModel) -> Iterator[str]:
    for _, inner in walk_models(model, ()):
        skip = _NOT_SHOWN | set(ref_fields(type(inner)))
        for name in type(inner).model_fields:
            if name in skip:
                continue
            value = getattr(inner, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and len(item) >= 12:
                    yield item


def internal_values(handbook: Handbook) -> list[Value]:
    """Every value the internal edition shows and the public one must not."""
    values: list[Value] = []
    for entry in handbook.entries.values():
        if entry.visibility == "internal" and (
            entry.parent is None or entry.parent.visibility == "public"
        ):
            for text in _shown_texts(entry.entity):
                values.append(Value(f"{entry.id} (intern)", text, _text_pattern(text)))
        if isinstance(entry.entity, Route) and entry.entity.internal is not None:
            extra = entry.entity.internal
            if extra.number:
                values.append(
                    Value(
                        f"{entry.id}.internal.number", extra.number, _number_pattern(extra.number)
                    )
                )
            if extra.note:
                values.append(
                    Value(f"{entry.id}.internal.note", extra.note, _text_pattern(extra.note))
                )
    return values


def _readable(path: Path) -> list[str]:
    """The forms in which a file's content can be read."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\u200b", "")  # the break points a card puts into a long token
        return [text, text.replace("-\n", ""), data.decode("latin-1")]
    if data[:2] == b"\x1f\x8b":  # gzip: Pagefind's index files, sitemap.xml.gz
        with contextlib.suppress(OSError):
            data = gzip.decompress(data)
    raw = data.decode("utf-8", errors="ignore")
    visible = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return [raw, visible, html.unescape(raw)]


@dataclass(frozen=True)
class Finding:
    value: Value
    file: Path


def scan(site: Path, values: list[Value]) -> tuple[list[Finding], int]:
    """(every value found in every file, number of files scanned)."""
    findings: list[Finding] = []
    files = [p for p in sorted(site.rglob("*")) if p.is_file()]
    for path in files:
        forms = _readable(path)
        for value in values:
            if any(value.pattern.search(form) for form in forms):
                findings.append(Finding(value, path))
    return findings, len(files)
