"""Open data: the handbook as one JSON document in the content files' own shape.

One `ContentFile` with every collection merged, so the published schema describes it too. The
export is made from an edition's view: the public site's handbook.json holds nothing internal.
"""

from __future__ import annotations

from typing import Any

from generator.core import file_cache
from generator.core.handbook import Handbook
from generator.core.model import COLLECTIONS, ContentFile


def _document(handbook: Handbook) -> ContentFile:
    merged: dict[str, Any] = {name: [] for name in COLLECTIONS}
    for _, content in handbook.files:
        for name in COLLECTIONS:
            merged[name].extend(getattr(content, name))
    return ContentFile.model_construct(handbook=handbook.info, **merged)


def export(handbook: Handbook) -> dict[str, Any]:
    """What `ContentFile(handbook=..., **collections).model_dump(mode="json",
    exclude_none=True)` gives, without pydantic building the model's schema, validator and
    serializer in the process (20-30 ms of every build): the entities are validated already,
    and the serializer made from the kept schema is the model's (tests/test_file_cache.py
    compares the two, byte for byte, on every region and edition)."""
    serializer = file_cache.content_serializer()
    return serializer.to_python(_document(handbook), mode="json", exclude_none=True)


def export_text(handbook: Handbook) -> str:
    """`json.dumps(export(handbook), ensure_ascii=False, indent=1)` and a newline, written by
    the serializer (in Rust) instead: Python's json makes indented output in Python, about
    8 ms for a region. The same bytes: the model has no floats, and both escape the same
    characters the same way (tests/test_file_cache.py)."""
    serializer = file_cache.content_serializer()
    return serializer.to_json(_document(handbook), indent=1, exclude_none=True).decode() + "\n"
