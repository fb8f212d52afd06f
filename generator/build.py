"""`handbook build`: the whole site, or nothing. The last good site is never destroyed.

Why: `mkdocs build` empties site_dir first, and a failed `--strict` build still writes the whole
site. So we build into a fresh sibling folder and swap it in only when every check passed.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from generator.diagnostics import Level
from generator.pipeline import load_handbook

log = logging.getLogger("handbook")

SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")


class BuildFailed(Exception):
    """The build stopped; the message says why, and the previous site is untouched."""


def _looks_like_site(path: Path) -> bool:
    return (
        not path.exists()
        or not any(path.iterdir())
        or any((path / marker).exists() for marker in SITE_MARKERS)
    )


def build_site(
    config_file: Path, out: Path, content: Path | None = None, edition: str | None = None
) -> Path:
    """Build the site from `content` into `out`; raise BuildFailed and leave `out` as it was."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    out = out.resolve()
    if not _looks_like_site(out):
        raise BuildFailed(
            f"«{out}» finnes og ser ikke ut som et bygget nettsted; velger ikke å erstatte den"
        )
    config = load_config(str(config_file), strict=True)
    plugin = config.plugins["handbook"]
    if content is not None:
        plugin.config.content = str(content.resolve())
    if edition is not None:
        plugin.config.edition = edition
        if edition == "internal" and "(intern)" not in config.site_name:
            config.site_name += " (intern)"
    content_dir = Path(plugin.config.content)
    if not content_dir.is_absolute():
        content_dir = config_file.resolve().parent / content_dir
    result = load_handbook(content_dir)
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if errors:
        raise BuildFailed("\n".join(d.format() for d in errors))

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        config.site_dir = str(staging)
        build(config)
    except (Abort, MkDocsException) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)
    return out


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one, keeping the old one until the new one is in."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
