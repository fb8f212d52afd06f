"""Offline after the first visit: the web manifest and the service worker of one region's site.

Written after Pagefind has indexed the site (`mkdocs_plugin.on_post_build`), so the precache
list covers the search index too. The worker is the static file `overrides/offline/sw.js`; the
build writes it into the site's root with one line in front, the list of files it keeps:
`[path, "sha256-…"]`, paths relative to the site's folder (the worker's scope), pages as their
folder (`emner/epikrise/`). Any changed file changes that line, so the browser sees a new
worker, which fetches what changed (checked against the hash: `fetch(..., {integrity})`) and
waits until the reader chooses «Ny utgave – last inn på nytt».

What is kept at install: every page, the assets the pages load and the search index (about
1.7 MB for Agder). The cards (PDF and PNG, about 1.2 MB more) are listed with their hashes
but kept on first use: most readers never print one on a phone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote

WORKER, MANIFEST = "sw.js", "manifest.webmanifest"
SOURCES = Path(__file__).resolve().parents[2] / "overrides" / "offline"
ICONS = Path(__file__).resolve().parents[2] / "overrides" / "docs" / "assets" / "icons"
ICON_SIZES = (192, 512)
THEME_COLOR = "#4051b5"  # Material's default primary colour (indigo), the header's
LAZY_SUFFIXES = (".pdf", ".png")  # the cards, in kort/: kept when first opened

# Never kept: the worker and its manifest themselves, the theme's search (the site uses
# Pagefind), source maps, precompressed copies, open data, and Pagefind's other UIs.
_SKIP_NAMES = {WORKER, "handbook.json", "sitemap.xml.gz"}
_SKIP_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/", "schema/")
_SKIP_SUFFIXES = (".map", ".gz")
_SKIP_PAGEFIND = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def integrity(data: bytes) -> str:
    """The file's hash as Subresource Integrity writes it (what `fetch` checks)."""
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def url_path(relative: str) -> str:
    """A file's path in the site as the worker sees it: pages as their folder, URL-encoded."""
    if relative == "index.html":
        relative = ""
    elif relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return quote(relative)


def _kept(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return not (
        relative in _SKIP_NAMES
        or relative.startswith(_SKIP_FOLDERS)
        or name.endswith(_SKIP_SUFFIXES)
        or (relative.startswith("pagefind/") and name.startswith(_SKIP_PAGEFIND))
    )


def precache_list(site: Path) -> dict[str, list[list[str]]]:
    """{"precache": [[path, hash], ...], "lazy": [...]}: the files the worker keeps, sorted."""
    found: dict[str, list[list[str]]] = {"precache": [], "lazy": []}
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = file.relative_to(site).as_posix()
        if not _kept(relative):
            continue
        lazy = relative.startswith("kort/") and relative.endswith(LAZY_SUFFIXES)
        found["lazy" if lazy else "precache"].append(
            [url_path(relative), integrity(file.read_bytes())]
        )
    return found


def worker_script(site: Path) -> str:
    """sw.js: the list of files as its first line, then the static worker."""
    listing = json.dumps(precache_list(site), ensure_ascii=False, separators=(",", ":"))
    source = (SOURCES / WORKER).read_text(encoding="utf-8")
    return f"const EDITION = {listing};\n{source}"


def manifest(name: str, short_name: str) -> str:
    """The web manifest: the app is the region's folder (start and scope relative to it)."""
    icons = [
        {"src": f"assets/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append({**icons[-1], "purpose": "maskable"})
    data = {
        "name": name,
        "short_name": short_name,
        "lang": "nb",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(site: Path, name: str, short_name: str) -> None:
    """The manifest and the worker into a built site (after Pagefind, last of the build)."""
    (site / MANIFEST).write_text(manifest(name, short_name), encoding="utf-8")
    (site / WORKER).write_text(worker_script(site), encoding="utf-8")


def retire(site: Path) -> None:
    """Under `mkdocs serve`: a worker that removes one kept from a built site on that address."""
    retired = (SOURCES / "sw-retire.js").read_text(encoding="utf-8")
    (site / WORKER).write_text(retired, encoding="utf-8")


def make_icons() -> None:
    """Set the icons from overrides/offline/icon.typ (run by hand after changing it)."""
    import typst

    fonts = SOURCES.parent / "cards" / "fonts"
    for size in ICON_SIZES:
        png = typst.compile(
            str(SOURCES / "icon.typ"),
            format="png",
            ppi=size * 72 / 100,  # the page is 100 pt wide
            font_paths=[str(fonts)],
            ignore_system_fonts=True,
        )
        (ICONS / f"icon-{size}.png").write_bytes(png)


if __name__ == "__main__" and sys.argv[1:] == ["--icons"]:
    make_icons()
