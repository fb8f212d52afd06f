"""The theme's compiled templates kept between builds: a second build loads what the first
compiled, and an edited template is compiled again, never served stale."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import jinja2
import pytest

from generator.build.theme_warmup import MemoryBytecodeCache
from generator.site import pages


def _environment(templates: Path, disk: Path) -> tuple[jinja2.Environment, MemoryBytecodeCache]:
    cache = MemoryBytecodeCache(jinja2.FileSystemBytecodeCache(str(disk)))
    loader = jinja2.FileSystemLoader(str(templates))
    return jinja2.Environment(loader=loader, bytecode_cache=cache), cache


def _compiles(env: jinja2.Environment) -> list[str]:
    """The templates `env` compiles from source from now on."""
    compiled: list[str] = []
    compile_source = env.compile

    def counting(source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(str(name))
        return compile_source(source, name, *args, **kwargs)  # type: ignore[arg-type]

    env.compile = counting  # type: ignore[method-assign]
    return compiled


def test_a_later_build_loads_the_compiled_template_and_an_edit_compiles_again(
    tmp_path: Path,
) -> None:
    templates, disk = tmp_path / "templates", tmp_path / "compiled"
    templates.mkdir()
    disk.mkdir()
    (templates / "main.html").write_text("Hei {{ name }}!", encoding="utf-8")
    first, _ = _environment(templates, disk)
    assert first.get_template("main.html").render(name="A") == "Hei A!"
    assert len(list(disk.iterdir())) == 1
    later, cache = _environment(templates, disk)  # another build: a new process's memory
    compiled = _compiles(later)
    assert later.get_template("main.html").render(name="Kari") == "Hei Kari!"
    assert compiled == [] and len(cache.store) == 1
    (templates / "main.html").write_text("Hallo {{ name }}!", encoding="utf-8")
    edited, _ = _environment(templates, disk)
    compiled = _compiles(edited)
    assert edited.get_template("main.html").render(name="Kari") == "Hallo Kari!"
    assert compiled == ["main.html"]


def test_a_folder_that_cannot_be_written_only_means_compiling_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "main.html").write_text("Hei {{ name }}!", encoding="utf-8")
    env, _ = _environment(templates, tmp_path / "missing")  # no such folder
    assert env.get_template("main.html").render(name="Kari") == "Hei Kari!"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown (root)")
def test_the_page_templates_never_load_code_from_a_folder_another_user_owns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else could create the shared folder first and plant compiled code there: the
    page templates then compile every time rather than use it (Jinja's own checked folder)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"_jinja2-cache-{os.getuid()}"
    planted.mkdir(mode=0o777)
    os.chown(planted, 65534, 65534)
    assert pages._bytecode_cache() is None
    os.chown(planted, os.getuid(), os.getgid())
    cache = pages._bytecode_cache()
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert Path(cache.directory) == planted
    assert stat.S_IMODE(planted.stat().st_mode) == 0o700
