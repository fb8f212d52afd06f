"""The generator's folder in the user's cache (`$XDG_CACHE_HOME` or `~/.cache`, then
`samhandlingshandboka/`), and the rules every cache in it keeps.

Why one place: the word list (`site.word_list`) and the parsed files (`core.file_cache`) share
the same promises. An entry is written atomically (a reader never sees half a file); an entry
that cannot be read is a miss, one that cannot be written is left out without a word; a cache
never changes what the generator makes, only how soon. `HANDBOOK_CACHE=0` turns the caches
of results off (the word list, which is only a faster read of a fixed file, stays).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path

_GENERATOR = Path(__file__).resolve().parents[1]  # generator/
KEEP_GENERATIONS = 3  # the fingerprinted folders of older generator versions kept


def cache_folder() -> Path | None:
    """`$XDG_CACHE_HOME/samhandlingshandboka`, else `~/.cache/…`; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "samhandlingshandboka"


def results_enabled() -> bool:
    return os.environ.get("HANDBOOK_CACHE", "1") != "0"


@functools.cache
def fingerprint() -> str:
    """The sha256 of the generator's source and of the versions that shape its results: a new
    generator, Python, pydantic or ruamel.yaml never reads what an older one wrote."""
    import pydantic
    import pydantic_core
    import ruamel.yaml

    digest = hashlib.sha256()
    versions = (sys.version, pydantic.VERSION, pydantic_core.__version__, ruamel.yaml.__version__)
    digest.update(repr(versions).encode())
    for path in sorted(_GENERATOR.rglob("*.py")):
        digest.update(path.relative_to(_GENERATOR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def results_folder() -> Path | None:
    """This generator's folder for results (`results-<fingerprint>`), or None when results
    are not cached. Creating a new one removes all but the newest older ones. Looked up once
    per process for each setting of the variables it depends on (a run asks for every file)."""
    setting = tuple(os.environ.get(name) for name in ("XDG_CACHE_HOME", "HOME", "HANDBOOK_CACHE"))
    if setting not in _FOLDERS:
        _FOLDERS[setting] = _results_folder()
    return _FOLDERS[setting]


_FOLDERS: dict[tuple[str | None, ...], Path | None] = {}


def _results_folder() -> Path | None:
    folder = cache_folder()
    if folder is None or not results_enabled():
        return None
    own = folder / f"results-{fingerprint()[:24]}"
    if not own.is_dir():
        with contextlib.suppress(OSError):
            own.mkdir(parents=True, exist_ok=True)
            _remove_old_generations(folder, own)
    return own


def _remove_old_generations(folder: Path, own: Path) -> None:
    others = sorted(
        (p for p in folder.glob("results-*") if p != own and p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP_GENERATIONS - 1 :]:
        for entry in old.iterdir():
            with contextlib.suppress(OSError):
                entry.unlink()
        with contextlib.suppress(OSError):
            old.rmdir()


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Write atomically (a reader never sees half a file); skip it when it fails."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


_PRUNED: set[tuple[Path, str]] = set()


def prune(folder: Path, suffix: str, max_entries: int) -> None:
    """Past `max_entries` of a kind (its `suffix`; every edit adds one), remove the older half.
    Once per process and kind: a first run writes an entry for every file."""
    if (folder, suffix) in _PRUNED:
        return
    _PRUNED.add((folder, suffix))
    with contextlib.suppress(OSError):
        entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
        if len(entries) <= max_entries:
            return
        entries.sort(key=lambda e: e.stat().st_mtime)
        for old in entries[: len(entries) // 2]:
            with contextlib.suppress(OSError):
                Path(old.path).unlink()
