"""Compile the theme's Jinja templates while MkDocs would otherwise sit waiting for the worker.

MkDocs compiles Material's templates (about 46, some 0.2 s) from source on every build. The
plugin has to wait for the handbook worker before it can hand MkDocs the pages; in that time it
compiles the templates the theme uses into an in-memory bytecode cache, which the build's own
Jinja environment then uses (`on_env`). Jinja keys the cache by template name and source
checksum, so an edited template is compiled afresh, and `mkdocs serve` rebuilds reuse it.
Behind it, the compiled templates are kept between builds too, in Jinja's own folder of compiled
templates (a folder of the user's in the temporary folder, checked to be theirs): a build then
loads what an earlier one compiled instead of compiling it again.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import jinja2
import mkdocs

ENTRY_TEMPLATES = ("main.html", "404.html", "sitemap.xml")
# The templates a template names literally: a regex instead of a second parse (it is the
# waiting time this uses well; a name it misses is compiled by the build as usual).
_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in memory, over `disk` (read once, written when compiled)."""

    def __init__(self, disk: jinja2.BytecodeCache | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.disk = disk

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])
        elif self.disk is not None:
            # Jinja checks the source's checksum and its own version: a mismatch is a miss.
            with contextlib.suppress(OSError, ValueError, EOFError):
                self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self.store[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            with contextlib.suppress(OSError):  # not kept: compiled again next time
                self.disk.dump_bytecode(bucket)


def _disk() -> jinja2.BytecodeCache | None:
    """Jinja's folder for the theme's compiled templates (its own checks: the user's, mode
    0700), or None when there is none to be had. The name holds MkDocs' version: how MkDocs
    sets up the environment shapes the compiled code, which Jinja's key does not include."""
    try:
        pattern = f"__handbook_theme_{mkdocs.__version__}_%s.cache"
        return jinja2.FileSystemBytecodeCache(pattern=pattern)
    except (OSError, RuntimeError):
        return None


CACHE = MemoryBytecodeCache(_disk())


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
