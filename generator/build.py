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
from generator.pipeline import load_handbook, load_regions
from generator.regions import is_regional
from generator.site_job import region_site_url

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
    config_file: Path,
    out: Path,
    content: Path | None = None,
    edition: str | None = None,
    regions: list[str] | None = None,
) -> Path:
    """Build the site from `content` into `out`; raise BuildFailed and leave `out` as it was.

    For content with regions: every region (or those in `regions`) into `out/<id>/`, and a portal
    at `out/index.html` with a comparison view per topic. All of it, or nothing."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    from mkdocs.config import load_config

    out = out.resolve()
    if not _looks_like_site(out):
        raise BuildFailed(
            f"«{out}» finnes og ser ikke ut som et bygget nettsted; velger ikke å erstatte den"
        )
    config = load_config(str(config_file), strict=True)
    plugin = config.plugins["handbook"]
    content_dir = Path(content if content is not None else plugin.config.content)
    if not content_dir.is_absolute():
        content_dir = (Path.cwd() if content is not None else config_file.resolve().parent) / (
            content_dir
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        if is_regional(content_dir):
            _build_regions(config_file, staging, content_dir, edition, regions)
        else:
            _check(load_handbook(content_dir).diagnostics)
            _mkdocs(config_file, staging, content_dir, edition, region=None)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)
    return out


def _check(diagnostics: list) -> None:
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    if errors:
        raise BuildFailed("\n".join(d.format() for d in errors))


def _build_regions(
    config_file: Path, staging: Path, content: Path, edition: str | None, only: list[str] | None
) -> None:
    from generator.editions import edition_view
    from generator.site.portal import render_portal

    if only:  # check just these regions (and the ones they extend)
        loaded = {r: load_handbook(content, region=r) for r in dict.fromkeys(only)}
        _check(sorted({d for result in loaded.values() for d in result.diagnostics}))
        handbooks = {r: result.handbook for r, result in loaded.items()}
    else:
        result = load_regions(content)
        _check(result.diagnostics)
        handbooks = result.handbooks
    for region in handbooks:
        _mkdocs(config_file, staging / region, content, edition, region=region)
    views = {r: edition_view(h, "public") for r, h in handbooks.items() if h is not None}
    render_portal(views, staging)


def _mkdocs(
    config_file: Path, site_dir: Path, content: Path, edition: str | None, region: str | None
) -> None:
    """One `mkdocs build` of one handbook (one region) into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config = load_config(str(config_file), strict=True)
    plugin = config.plugins["handbook"]
    plugin.config.content = str(content)
    if region is not None:
        plugin.config.region = region
        config.site_url = region_site_url(config.site_url or "", region) or None
    if edition is not None:
        plugin.config.edition = edition
    config.site_dir = str(site_dir)
    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        raise BuildFailed(str(exc)) from exc


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one, keeping the old one until the new one is in."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
