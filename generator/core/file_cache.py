"""What each content file parsed and validated to, and the content model's validator, kept
between runs (in `user_cache.results_folder()`).

Why: `handbook validate` answers on every save, and most of its time went to work whose answer
had not changed: parsing and validating the files nobody touched, and building the validator
of the content model (pydantic builds it in every process, about 50 ms). A file's result (its
data, the position of every value, its problems) is kept under the sha256 of its bytes and its
path; the content model's core schema once per generator, for its validator and its serializer
(`handbook.json`). The folder is named by the generator's fingerprint, so a changed generator
never reads what an older one wrote. The checks across files run every time. Whatever cannot
be read is a miss, whatever cannot be written is left out: the result is the same either way
(tests/test_file_cache.py).

The entries are pickles: the folder is the user's own, and whoever can write there can already
run code as that user (SECURITY.md).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

from pydantic_core import SchemaSerializer, SchemaValidator

from generator.core import user_cache
from generator.core.diagnostics import Diagnostic
from generator.core.model import ContentFile
from generator.core.yaml_loader import LoadedFile, Tables

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


# An entry: ((path, display, data, tables), content, problems), or (None, None, problems) for
# a file that could not be read as data. `tables` are the file's position tables, pickled on
# their own: about 70 % of reading an entry went to their Position objects (~125 per file), and
# a run needs them only for a file with a problem or a region's change (`LoadedFile.tables_later`
# reads them then).


def get(entry: str) -> FileResult | None:
    value = get_kept(entry, _SUFFIX)
    if not (isinstance(value, tuple) and len(value) == 3):
        return None
    file, content, problems = value
    if file is None:
        return None, content, problems
    if not (isinstance(file, tuple) and len(file) == 4 and isinstance(file[3], bytes)):
        return None
    path, display, data, tables = file
    loaded = LoadedFile.tables_later(path, display, data, functools.partial(_tables, tables))
    return loaded, content, problems


def _tables(data: bytes) -> Tables:
    values, keys, raw = pickle.loads(data)
    return values, keys, raw


def put(entry: str, result: FileResult) -> None:
    loaded, content, problems = result
    if loaded is None:
        put_kept(entry, (None, None, problems), _SUFFIX)
        return
    try:
        tables = pickle.dumps(
            (loaded.values, loaded.keys, loaded.raw), protocol=pickle.HIGHEST_PROTOCOL
        )
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    put_kept(
        entry, ((loaded.path, loaded.display, loaded.data, tables), content, problems), _SUFFIX
    )


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
    user_cache.prune(folder, suffix, MAX_ENTRIES)


@functools.cache
def content_validator() -> SchemaValidator:
    """The validator of `ContentFile`, from the cache or built (and then kept). It is the one
    `ContentFile.model_validate` uses, made from the same core schema; the schema's metadata
    (only for JSON Schema) is left out, since it holds functions that cannot be kept."""
    kept = _content_schema()
    if kept is not None:
        with contextlib.suppress(Exception):  # a schema this pydantic cannot use: the model's
            return SchemaValidator(*kept)
    ContentFile.model_rebuild()
    return ContentFile.__pydantic_validator__  # type: ignore[return-value]


@functools.cache
def content_serializer() -> SchemaSerializer:
    """The serializer of `ContentFile` (what its `model_dump` uses), made from the kept core
    schema as the validator is. Why: pydantic builds the model's schema and serializer the first
    time one is dumped or made, 20-60 ms of every build's export."""
    kept = _content_schema()
    if kept is not None:
        with contextlib.suppress(Exception):
            return SchemaSerializer(*kept)
    ContentFile.model_rebuild()
    return ContentFile.__pydantic_serializer__


@functools.cache
def _content_schema() -> tuple[Any, Any] | None:
    """`ContentFile`'s core schema without metadata, and its config: from the cache, or made
    (and then kept). None when results are not cached."""
    folder = user_cache.results_folder()
    if folder is None:
        return None
    cached = user_cache.read(folder / _VALIDATOR)
    if cached is not None:
        with contextlib.suppress(Exception):  # an entry that cannot be used is made again
            schema, config = pickle.loads(cached)
            return schema, config
    ContentFile.model_rebuild()
    schema = _without_metadata(ContentFile.__pydantic_core_schema__)
    config = schema.get("config") if isinstance(schema, dict) else None
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        user_cache.write(folder / _VALIDATOR, pickle.dumps((schema, config), protocol=5))
    return schema, config


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
