"""The service worker's precache list (generator/build/offline.py) against the built site: it
covers every page and every file a page loads, each listed file exists with that hash, and the
web manifest keeps the app inside the region's folder. Both editions of one region."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.build import offline
from tests.deploy_support import REGION, built_editions

PREFIX = "const EDITION = "
# Files a page loads by itself (links to other pages and downloads are followed by a reader).
LOADED = re.compile(r"<(?:script|img|link)\b[^>]*?\s(?:src|href)=\"([^\"]+)\"", re.I)


@pytest.fixture(scope="module")
def regions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    site, internal = built_editions(tmp_path_factory.getbasetemp())
    return {"public": site / REGION, "internal": internal / REGION}


def _listing(folder: Path) -> dict[str, list[list[str]]]:
    first, rest = (folder / offline.WORKER).read_text(encoding="utf-8").split("\n", 1)
    assert first.startswith(PREFIX) and first.endswith(";")
    # The rest is the static worker, unchanged: no content ever reaches the script.
    assert rest == (offline.SOURCES / offline.WORKER).read_text(encoding="utf-8")
    return json.loads(first[len(PREFIX) : -1])


def _file(folder: Path, path: str) -> Path:
    path = unquote(path)
    return folder / (path + "index.html" if path == "" or path.endswith("/") else path)


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_precache_lists_every_page_and_file_with_its_hash(regions, edition) -> None:
    folder = regions[edition]
    listing = _listing(folder)
    entries = dict(listing["precache"] + listing["lazy"])
    assert len(entries) == len(listing["precache"]) + len(listing["lazy"]), "a path twice"
    for path, hash in entries.items():
        file = _file(folder, path)
        assert file.is_file(), f"{path}: listed, but {file} is missing"
        assert offline.integrity(file.read_bytes()) == hash, f"{path}: wrong hash"
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 20
    precached = {p for p, _ in listing["precache"]}
    for page in pages:
        path = offline.url_path(page.relative_to(folder).as_posix())
        assert path in precached, f"page {path or '(start)'} is not kept for offline use"
    # Cards are kept on first use; every one of them is listed.
    cards = {f.relative_to(folder).as_posix() for f in (folder / "kort").glob("*.p[dn][fg]")}
    assert cards and {p for p, _ in listing["lazy"]} == cards
    # Everything a page loads by itself is kept at install (its card previews on first use).
    base, checked = "https://handbok.test/r/", set()
    for page in pages:
        here = urljoin(base, offline.url_path(page.relative_to(folder).as_posix()))
        for ref in LOADED.findall(page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(here, ref.replace("&amp;", "&")))
            if not target.geturl().startswith(base) or ref.endswith(".xml"):
                continue  # the canonical address, the region's siblings; feeds are read apart
            path = target.path[len("/r/") :]
            assert path in entries, f"{page.relative_to(folder)} loads {ref}: not listed"
            checked.add(path)
    assert {"assets/offline.js", "pagefind/pagefind-ui.js", "manifest.webmanifest"} <= checked


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_web_manifest_stays_in_the_region_folder(regions, edition) -> None:
    folder = regions[edition]
    manifest = json.loads((folder / offline.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == "./"
    assert manifest["name"].startswith("Samhandlingshåndboka")
    assert ("intern" in manifest["name"]) == (edition == "internal")
    assert manifest["lang"] == "nb" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert (folder / icon["src"]).is_file() and not icon["src"].startswith(("/", "http"))
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="manifest.webmanifest">' in page
    assert 'data-worker="sw.js"' in page  # the worker's scope is the region's folder


def test_a_changed_file_changes_the_worker(tmp_path: Path) -> None:
    (tmp_path / "emner" / "a").mkdir(parents=True)
    (tmp_path / "kort").mkdir()
    (tmp_path / "index.html").write_text("start")
    (tmp_path / "emner" / "a" / "index.html").write_text("a")
    (tmp_path / "kort" / "k.pdf").write_bytes(b"%PDF")
    (tmp_path / "assets.js.map").write_text("{}")
    before = offline.worker_script(tmp_path)
    assert offline.precache_list(tmp_path) == {
        "precache": [
            ["emner/a/", offline.integrity(b"a")],
            ["", offline.integrity(b"start")],
        ],
        "lazy": [["kort/k.pdf", offline.integrity(b"%PDF")]],
    }
    assert offline.worker_script(tmp_path) == before  # the same files: the same worker
    (tmp_path / "emner" / "a" / "index.html").write_text("a, endret")
    assert offline.worker_script(tmp_path) != before
