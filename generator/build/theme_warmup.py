"""Compile the theme's Jinja templates while MkDocs would otherwise sit waiting for the worker.

MkDocs compiles Material's templates (about 46, some 0.2 s) from source on every build. The
plugin has to wait for the handbook worker before it can hand MkDocs the pages; in that time it
compiles the templates the theme uses into an in-memory bytecode cache, which the build's own
Jinja environment then uses (`on_env`). Jinja keys the cache by template name and source
checksum, so an edited template is compiled afresh, and `mkdocs serve` rebuilds reuse it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2

ENTRY_TEMPLATES = ("main.html", "404.html", "sitemap.xml")
# The templates a template names literally: a regex instead of a second parse (it is the
# waiting time this uses well; a name it misses is compiled by the build as usual).
_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


CACHE = MemoryBytecodeCache()


def precompile(env: jinja2.Environment, stop: Callable[[], bool]) -> int:
    """Compile the entry templates and everything they include or extend, into `CACHE`,
    until `stop()` is true. Returns how many were compiled. A template that needs a filter only
    a plugin adds later is skipped: the build compiles it as usual."""
    env.bytecode_cache = CACHE
    todo, seen = list(ENTRY_TEMPLATES), set()
    while todo and not stop():
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            assert env.loader is not None
            source, _, _ = env.loader.get_source(env, name)
            env.get_template(name)
            todo += _REFERENCE.findall(source)
        except jinja2.TemplateError:
            continue
    return len(seen)
