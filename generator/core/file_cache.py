"""What each content file parsed and validated to, and the content model's validator, kept
between runs (in `user_cache.results_folder()`).

Why: `handbook validate` answers on every save, and most of its time went to work whose answer
had not changed: parsing and validating the files nobody touched, and building the validator
of the content model (pydantic builds it in every process, about 50 ms). A file's result (its
data, the position of every value, its problems) is kept under the sha256 of its bytes and its
path; the validator once per generator. The folder is named by the generator's fingerprint, so
a changed generator never reads what an older one wrote. The checks across files run every
time. Whatever cannot be read is a miss, whatever cannot be written is left out: the result is
the same either way (tests/test_file_cache.py).

The entries are pickles: the folder is the user's own, and whoever can write there can already
run code as that user (SECURITY.md).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from pydantic_core import SchemaValidator

from generator.core import user_cache
from generator.core.diagnostics import Diagnostic
from generator.core.model import ContentFile
from generator.core.yaml_loader import LoadedFile

FileResult = tuple[LoadedFile | None, ContentFile | None, list[Diagnostic]]

MAX_ENTRIES = 2000  # files' results kept; past this the older half goes
_SUFFIX = ".file"
_VALIDATOR = "ContentFile.validator"


def key(path: Path, display: str, data: bytes) -> str:
    """The entry of a file read from `path`, shown as `display`, with these bytes."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + str(path).encode("utf-8", "surrogateescape"))
    digest.update(b"\0" + display.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def get(entry: str) -> FileResult | None:
    value = get_kept(entry, _SUFFIX)
    return value if isinstance(value, tuple) and len(value) == 3 else None


def put(entry: str, result: FileResult) -> None:
    put_kept(entry, result, _SUFFIX)


def get_kept(entry: str, suffix: str) -> Any:
    """What was kept under `entry` (a sha256) and `suffix` (the kind), or None."""
    folder = user_cache.results_folder()
    data = None if folder is None else user_cache.read(folder / f"{entry}{suffix}")
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # a broken entry (a full disk, another version's) is a miss
        return None


def put_kept(entry: str, value: Any, suffix: str) -> None:
    folder = user_cache.results_folder()
    if folder is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    user_cache.write(folder / f"{entry}{suffix}", data)
    _prune(folder, suffix)


_PRUNED: set[tuple[Path, str]] = set()


def _prune(folder: Path, suffix: str) -> None:
    """Past MAX_ENTRIES of a kind (every edit of a file adds one), remove the older half. Once
    per process and kind: a first run writes an entry for every file."""
    if (folder, suffix) in _PRUNED:
        return
    _PRUNED.add((folder, suffix))
    with contextlib.suppress(OSError):
        entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime)
        for old in entries[: len(entries) // 2]:
            with contextlib.suppress(OSError):
                Path(old.path).unlink()


@functools.cache
def content_validator() -> SchemaValidator:
    """The validator of `ContentFile`, from the cache or built (and then kept). It is the one
    `ContentFile.model_validate` uses, made from the same core schema; the schema's metadata
    (only for JSON Schema) is left out, since it holds functions that cannot be kept."""
    folder = user_cache.results_folder()
    cached = None if folder is None else user_cache.read(folder / _VALIDATOR)
    if cached is not None:
        with contextlib.suppress(Exception):  # an entry that cannot be used is rebuilt
            schema, config = pickle.loads(cached)
            return SchemaValidator(schema, config)
    ContentFile.model_rebuild()
    if folder is None:
        return ContentFile.__pydantic_validator__  # type: ignore[return-value]
    schema = _without_metadata(ContentFile.__pydantic_core_schema__)
    config = schema.get("config") if isinstance(schema, dict) else None
    validator = SchemaValidator(schema, config)
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        user_cache.write(folder / _VALIDATOR, pickle.dumps((schema, config), protocol=5))
    return validator


def _without_metadata(node: Any) -> Any:
    """A core schema without the `metadata` of its schema nodes (a node has a `type` string;
    a mapping of field names does not, so a field named «metadata» stays)."""
    if isinstance(node, dict):
        is_schema = isinstance(node.get("type"), str)
        return {
            name: _without_metadata(value)
            for name, value in node.items()
            if not (is_schema and name == "metadata")
        }
    if isinstance(node, list):
        return [_without_metadata(value) for value in node]
    if isinstance(node, tuple):
        return tuple(_without_metadata(value) for value in node)
    return node


def validate(data: Any) -> ContentFile:
    """`ContentFile.model_validate(data)`, with the kept validator."""
    return content_validator().validate_python(data)
