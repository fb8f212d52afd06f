"""Open data: the handbook as one JSON document in the content files' own shape.

One `ContentFile` with every collection merged, so the published schema describes it too. The
export is made from an edition's view: the public site's handbook.json holds nothing internal.
"""

from __future__ import annotations

import json
from typing import Any

from generator.core.handbook import Handbook
from generator.core.model import COLLECTIONS, ContentFile


def export(handbook: Handbook) -> dict[str, Any]:
    merged: dict[str, Any] = {name: [] for name in COLLECTIONS}
    for _, content in handbook.files:
        for name in COLLECTIONS:
            merged[name].extend(getattr(content, name))
    document = ContentFile(handbook=handbook.info, **merged)
    return document.model_dump(mode="json", exclude_none=True)


def export_text(handbook: Handbook) -> str:
    return json.dumps(export(handbook), ensure_ascii=False, indent=1) + "\n"
