"""Rendered cards kept between runs (in `user_cache.results_folder()`, beside the files' results).

Why: after a save at most a few cards change, but every card took a Typst compile (PDF and
thumbnail, 14 ms or more each) and a QR code (segno, pure Python, about 2.5 ms). A card that
fitted is kept under the sha256 of everything its bytes depend on: its data as Typst gets it
(the QR code left out: `data.qr_svg` makes it from the card's address, which is in the data,
and segno's version is in the key), the day of the PDF's timestamp, the thumbnail's ppi, every
file in the templates folder (Typst's root: it reads nothing outside it; the template and the
fonts) and Typst's version; the generator's own source names the folder. On a hit nothing is
compiled. A card that does not fit or fails is never kept, so its diagnostics are made every
time. As for the files' results (`core.file_cache`): a broken or foreign entry is a miss, a
folder that cannot be written is skipped, `HANDBOOK_CACHE=0` turns it off, and the entries are
pickles (SECURITY.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
import typst

from generator.core import file_cache

_SUFFIX = ".card"
_PDF, _PNG = b"%PDF-", b"\x89PNG\r\n\x1a\n"
# A file this small (the template) is read and hashed in every run; a larger one (a font,
# 270 kB) once per process, and again when its size, mtime, ctime or inode changes: writing or
# replacing a font changes them (ctime cannot be set back). Hashing the fonts in every run
# would cost about 2 ms, a twentieth of all cards after a save.
_ALWAYS_READ = 64 * 1024


@dataclass(frozen=True)
class Kept:
    pdf: bytes
    thumbnail: bytes
    pages: int


def setting(templates: Path, day: str, ppi: int) -> bytes:
    """What every card of one run shares in its key: the templates, the day, the ppi and the
    versions of Typst and segno. Made once per run: it reads the templates folder."""
    digest = hashlib.sha256()
    versions = {"typst": typst.__version__, "segno": segno.__version__, "ppi": ppi, "day": day}
    digest.update(json.dumps(versions, sort_keys=True).encode() + b"\0")
    digest.update(templates_digest(templates))
    return digest.digest()


def key(shared: bytes, data: dict[str, Any]) -> str:
    """The entry of a card with this data (its `qr` left out), `shared` made by `setting`."""
    digest = hashlib.sha256(shared + b"\0")
    digest.update(json.dumps({**data, "qr": None}, ensure_ascii=False).encode())
    return digest.hexdigest()


def get(entry: str) -> Kept | None:
    value = file_cache.get_kept(entry, _SUFFIX)
    if not (isinstance(value, tuple) and len(value) == 5):
        return None
    name, pdf, thumbnail, pages, crc = value
    if not (
        name == entry
        and isinstance(pdf, bytes)
        and isinstance(thumbnail, bytes)
        and pdf.startswith(_PDF)
        and thumbnail.startswith(_PNG)
        and isinstance(pages, int)
        and pages >= 1
        and crc == zlib.crc32(thumbnail, zlib.crc32(pdf))
    ):
        return None  # another kind's, another version's, or damaged
    return Kept(pdf, thumbnail, pages)


def put(entry: str, card: Kept) -> None:
    crc = zlib.crc32(card.thumbnail, zlib.crc32(card.pdf))
    file_cache.put_kept(entry, (entry, card.pdf, card.thumbnail, card.pages, crc), _SUFFIX)


_FILES: dict[tuple[str, int, int, int, int], bytes] = {}


def templates_digest(templates: Path) -> bytes:
    """The sha256 of every file under `templates` (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + _file_digest(path) + b"\0")
    return digest.digest()


def _file_digest(path: Path) -> bytes:
    stat = path.stat()
    if stat.st_size <= _ALWAYS_READ:
        return hashlib.sha256(path.read_bytes()).digest()
    signature = (os.fspath(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    if signature not in _FILES:  # no lock: two threads at worst hash the same font twice
        _FILES[signature] = hashlib.sha256(path.read_bytes()).digest()
    return _FILES[signature]
