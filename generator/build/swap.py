"""`handbook build`: the whole site, or nothing. The last good site is never destroyed.

Why: `mkdocs build` empties site_dir first, and a failed `--strict` build still writes the whole
site. So we build into a fresh sibling folder and swap it in only when every check passed.

The swap leaves `--out` a complete site at every moment, the old one or the new one, wherever
the build is killed: on Linux the two folders trade places in one renameat2(RENAME_EXCHANGE).
Where that is missing (another system, a file system without it) it takes two renames, and
`--out` is missing between them. So every folder a build makes beside `--out` carries its process
id (`.site.building-PID-…`, `.site.old-PID`), and every build first recovers what dead builds left
(`recover`): the old site goes back in place if `--out` is missing, and the rest is removed.

Test hooks (for tests/test_build_swap.py; nothing else sets them): HANDBOOK_TEST_KILL_AT names a
point where the build SIGKILLs itself (`before-swap`, `between-renames`, `after-swap`, and
`mkdocs-worker-alive` in the plugin; see `worker.kill_point`); HANDBOOK_TEST_SWAP=rename makes
the swap take the two-rename way.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from generator.build.worker import build_day, kill_point, region_site_url
from generator.core.diagnostics import Level
from generator.core.pipeline import load_handbook, load_regions
from generator.core.regions import is_regional

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
    sources: Path | None = None,
) -> Path:
    """Build the site from `content` into `out`; raise BuildFailed and leave `out` as it was.

    For content with regions: every region (or those in `regions`) into `out/<id>/`, and a portal
    at `out/index.html` with a comparison view per topic. All of it, or nothing. The internal
    edition, given the source documents as text (`sources`), also gets the audit of every item
    against its cited section, side by side, at `out/revisjon/` (`handbook audit`)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    from mkdocs.config import load_config

    out = out.resolve()
    recover(out)
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
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent))
    try:
        if is_regional(content_dir):
            handbooks = _build_regions(config_file, staging, content_dir, edition, regions)
            if edition == "internal" and sources is not None:
                _write_audit(handbooks, sources, staging / AUDIT_FOLDER)
        else:
            _check(load_handbook(content_dir, today=build_day()).diagnostics)
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


AUDIT_FOLDER = "revisjon"  # the internal edition's audit page, beside the regions
INTERNAL_FOLDER = "intern"  # where the web server serves the internal edition (deploy/nginx)


def _write_audit(handbooks: dict, sources: Path, folder: Path) -> None:
    from generator.editor.audit import render_html, run

    if not sources.is_dir():
        raise BuildFailed(f"finner ikke kildemappen «{sources}» (for revisjonssiden)")
    folder.mkdir(parents=True, exist_ok=True)
    audit = run({r: h for r, h in handbooks.items() if h is not None}, sources)
    (folder / "index.html").write_text(render_html(audit), encoding="utf-8")


def _build_regions(
    config_file: Path, staging: Path, content: Path, edition: str | None, only: list[str] | None
) -> dict:
    """Every region's site and the portal into `staging`; the handbooks that were built."""
    from generator.core.editions import edition_view
    from generator.site.portal import PortalError, render_portal

    if only:  # check just these regions (and the ones they extend)
        loaded = {r: load_handbook(content, build_day(), r) for r in dict.fromkeys(only)}
        _check(sorted({d for result in loaded.values() for d in result.diagnostics}))
        handbooks = {r: result.handbook for r, result in loaded.items()}
    else:
        result = load_regions(content, build_day())
        _check(result.diagnostics)
        handbooks = result.handbooks
    for region in handbooks:
        _mkdocs(config_file, staging / region, content, edition, region=region)
    views = {r: edition_view(h, "public") for r, h in handbooks.items() if h is not None}
    try:
        render_portal(views, staging)
    except PortalError as exc:  # a text the sanitizer refused (the validator missed it)
        raise BuildFailed(f"Portalen kunne ikke lages trygt: {exc}") from exc
    return handbooks


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
    site_url = config.site_url or ""
    if edition == "internal" and site_url:  # served under /intern/ (deploy/nginx)
        site_url = site_url.rstrip("/") + f"/{INTERNAL_FOLDER}/"
    if region is not None:
        plugin.config.region = region
        site_url = region_site_url(site_url, region)
    config.site_url = site_url or None
    if edition is not None:
        plugin.config.edition = edition
    config.site_dir = str(site_dir)
    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        raise BuildFailed(str(exc)) from exc


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one, keeping the old one until the new one is in."""
    kill_point("before-swap")
    if not out.exists():
        staging.rename(out)
    elif _exchange(staging, out):
        kill_point("after-swap")
        _remove(staging)  # the old site, now
    else:
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        kill_point("between-renames")
        staging.rename(out)
        kill_point("after-swap")
        # Renamed first, so a half-removed old site is never taken for one to put back.
        trash = out.with_name(f".{out.name}.building-{os.getpid()}-old")
        old.rename(trash)
        _remove(trash)


AT_FDCWD = -100
RENAME_EXCHANGE = 2  # from <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system or the file system cannot."""
    if os.environ.get("HANDBOOK_TEST_SWAP") == "rename" or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):  # glibc before 2.28
        return False
    if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def recover(out: Path) -> None:
    """Clean up after builds into `out` that were killed: if `out` is missing, put back the old
    site a dead build had moved aside; then remove every folder dead builds left beside it.
    Folders of builds still running are left alone."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(building|old)-(\d+)(-.*)?")
    dead: list[tuple[Path, str]] = []
    for path in out.parent.iterdir():
        found = pattern.fullmatch(path.name)
        if found and not _alive(int(found[2])):
            dead.append((path, found[1]))
    if not out.exists():
        for old in sorted((p for p, kind in dead if kind == "old"), key=_mtime, reverse=True):
            try:
                old.rename(out)
            except OSError:
                continue
            log.warning(f"la tilbake nettstedet et avbrutt bygg hadde flyttet til «{old.name}»")
            break
    for path, _ in dead:
        _remove(path)


def _remove(path: Path) -> None:
    """Remove a folder a build left; a symlink (an `--out` that was one) is only unlinked."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    """Whether process `pid` is running (a zombie is not). A reused pid keeps a dead build's
    folders until that process ends: safe, only late."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]
