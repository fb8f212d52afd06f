"""The JSON Schema of a content file, generated from the model: one source of truth.

Editors get it through the `# yaml-language-server: $schema=...` line at the top of every content
file (VS Code's YAML extension then completes keys and shows the Norwegian descriptions); the site
publishes it beside `handbook.json`, the open-data export, which it describes too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.core import file_cache
from generator.core.model import ContentFile

SCHEMA_PATH = Path("schema") / "handbook.schema.json"
SCHEMA_ID = "https://samhandlingshandboka/schema/handbook.schema.json"


def json_schema() -> dict[str, Any]:
    schema = ContentFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Samhandlingshåndboka: innholdsfil"
    schema["description"] = (
        "En YAML-fil i content/ (eller håndboka samlet som JSON i handbook.json). Hver nøkkel "
        "øverst er en samling: topics, routes, message_types, actors, organisations, sources, "
        "glossary, decision_aid, cards, handbook."
    )
    # `responsible` also takes one id on its own (`responsible: gp`); the model says list.
    responsible = schema["$defs"]["Statement"]["properties"]["responsible"]
    item = responsible["items"]
    schema["$defs"]["Statement"]["properties"]["responsible"] = {
        "description": responsible.get("description", ""),
        "anyOf": [item, {k: v for k, v in responsible.items() if k != "description"}],
    }
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


_KEPT = "ContentFile"  # the entry: the cache's folder is this generator's own


def kept_schema_text() -> str:
    """`schema_text()`, kept between runs beside the content model's validator: it depends
    only on the generator and pydantic, whose versions name the cache's folder. Why: every
    build publishes it, and making it (the model's schema, then the JSON Schema) took about
    100 ms of the cards' process."""
    kept = file_cache.get_kept(_KEPT, ".schema")
    if isinstance(kept, str):
        return kept
    text = schema_text()
    file_cache.put_kept(_KEPT, text, ".schema")
    return text


def modeline(file: Path, repo: Path) -> str:
    """The first line of a content file: where the YAML language server finds the schema."""
    relative = Path(*[".."] * (len(file.resolve().relative_to(repo.resolve()).parts) - 1))
    return f"# yaml-language-server: $schema={(relative / SCHEMA_PATH).as_posix()}"
