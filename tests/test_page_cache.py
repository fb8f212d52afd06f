"""Pages MkDocs does not convert again (`generator.build.page_cache`) never change the site.

The real site after an edit is byte-identical with and without the cache; in a small MkDocs
project (the cache hooked in as the plugin does, in `on_pre_page`) a page that logged a warning
is converted again and warns again, a page is converted again when another file it links to goes,
and a broken entry is a miss that is written again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

STEP = "      - Fastlegen melder pasienten til akuttmottak."  # in agder's routes.yaml


def _env(cache: Path, **more: str) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache), **more}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _entries(cache: Path) -> set[str]:
    folder = cache / "samhandlingshandboka" / "pages"
    return {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()


def test_the_site_after_an_edit_is_the_same_with_pages_kept(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    routes = content / "regions" / "agder" / "routes.yaml"
    original = routes.read_text(encoding="utf-8")
    assert original.count(STEP + "\n") == 1
    cache = tmp_path / "cache"

    def build(out: Path, **env: str) -> None:
        command = [sys.executable, "-m", "generator.cli", "build", "--region", "agder"]
        command += ["--config", str(ROOT / "mkdocs.yml"), "--content", str(content)]
        run = subprocess.run(
            [*command, "--out", str(out)], cwd=ROOT, env=_env(cache, **env), capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr

    build(tmp_path / "first")
    before = _entries(cache)
    routes.write_text(original.replace(STEP, f"{STEP} Endret."), encoding="utf-8")
    build(tmp_path / "kept")
    build(tmp_path / "fresh", HANDBOOK_CACHE="0")

    kept, fresh = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    differing = sorted(
        name for name in kept.keys() | fresh.keys() if kept.get(name) != fresh.get(name)
    )
    assert not differing, f"{len(differing)} of {len(fresh)} files differ: {differing}"
    assert b"Endret." in kept["agder/telefonvei/index.html"]
    converted = _entries(cache) - before  # the pages whose Markdown the edit changed
    pages = sum(1 for name in fresh if name.startswith("agder/") and name.endswith("index.html"))
    assert 0 < len(converted) < pages / 4, (len(converted), pages)


HOOK = """
from generator.build import page_cache

def on_pre_page(page, config, files):
    page_cache.kept_render(page)
    return page
"""


def _project(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Forside\n\nTil [den andre](b.md).\n", encoding="utf-8")
    (docs / "b.md").write_text("# Den andre\n\n## Del\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "hooks.py").write_text(HOOK, encoding="utf-8")
    config = {
        "site_name": "Prøve",
        "docs_dir": "docs",
        "hooks": ["hooks.py"],
        "markdown_extensions": [{"toc": {"permalink": True}}],
        "validation": {"links": {"not_found": "ignore"}},
    }
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path


def _mkdocs(
    project: Path, cache: Path, *options: str, **env: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    env = _env(cache, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0", **env)
    return subprocess.run(
        [*command, "-d", str(project / "site"), *options], cwd=project, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def _warn_on(project: Path, check: str) -> None:
    """The project's MkDocs warns (an error under --strict) on this link check."""
    config = json.loads((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["validation"] = {"links": {check: "warn"}}
    (project / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")


def _page(project: Path, name: str = "index.html") -> str:
    return (project / "site" / name).read_text(encoding="utf-8")


def test_a_page_is_converted_again_when_a_file_it_links_to_goes(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    assert _mkdocs(project, cache).returncode == 0
    assert 'href="b/"' in _page(project)
    assert len(_entries(cache)) == 2  # both pages kept
    assert _mkdocs(project, cache).returncode == 0
    assert 'href="b/"' in _page(project)  # from the cache: the same

    (project / "docs" / "b.md").unlink()  # not_found: ignore, so nothing is logged
    assert _mkdocs(project, cache).returncode == 0
    assert 'href="b.md"' in _page(project)  # not the kept "b/"


def test_a_page_that_warned_warns_again(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    (project / "docs" / "index.md").write_text("# Forside\n\n[Borte](borte.md)\n", encoding="utf-8")
    _warn_on(project, "not_found")
    for _ in range(2):
        run = _mkdocs(project, cache, "--strict")
        assert run.returncode == 1, run.stderr
        assert "borte.md" in run.stderr
    assert len(_entries(cache)) == 1  # only b.md, which logged nothing


def test_a_broken_entry_is_a_miss_and_written_again(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    assert _mkdocs(project, cache, HANDBOOK_CACHE="0").returncode == 0
    fresh = _files(project / "site")
    assert not _entries(cache)  # nothing kept with the cache off
    assert _mkdocs(project, cache).returncode == 0
    folder = cache / "samhandlingshandboka" / "pages"
    for entry in folder.glob("*.json"):
        entry.write_bytes(b'{"content": ')  # as after a full disk
    assert _mkdocs(project, cache).returncode == 0
    assert _files(project / "site") == fresh
    assert all(json.loads(p.read_bytes())["content"] for p in folder.glob("*.json"))


def test_an_edited_page_is_converted_again(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    assert _mkdocs(project, cache).returncode == 0
    (project / "docs" / "b.md").write_text("# Den andre\n\n## Del\n\nNy tekst.\n", encoding="utf-8")
    assert _mkdocs(project, cache).returncode == 0
    assert "Ny tekst." in _page(project, "b/index.html")
    assert 'id="del"' in _page(project, "b/index.html")  # the table of contents' anchor


def test_a_kept_page_still_has_its_links_to_anchors_checked(tmp_path: Path) -> None:
    """MkDocs checks links to anchors after every page is converted, from what `render` set."""
    project, cache = _project(tmp_path), tmp_path / "cache"
    (project / "docs" / "index.md").write_text("# Forside\n\n[Et sted](b.md#ingen)\n", "utf-8")
    _warn_on(project, "anchors")
    for _ in range(2):
        run = _mkdocs(project, cache, "--strict")
        assert run.returncode == 1, run.stderr
        assert "anchor '#ingen'" in run.stderr
        assert len(_entries(cache)) == 2  # the warning came after the conversion: both kept
