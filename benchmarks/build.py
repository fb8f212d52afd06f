"""What the handbook plugin costs on top of a plain MkDocs build of the same pages.

Measured in the same run, interleaved (these machines are noisy):
  baseline: the generated pages written out as Markdown files, built by plain `mkdocs build`
            with the same theme, navigation and extensions, then indexed by Pagefind;
  plugin:   `mkdocs build` of the handbook (load, validate, render, build, Pagefind, cards) on
            a copy of content/, after an edit: before each build a step of a route in agder's
            routes.yaml gets a new word, which shows on the pages, the card and the search
            index (checked in the built page, so no build can be measured that missed it).
            That file is read again, the other files' results come from the cache between runs
            (`generator.core.file_cache`), and MkDocs converts again only the pages whose
            Markdown changed (`generator.build.page_cache`);
  nothing kept: the same with HANDBOOK_CACHE=0 (every file read, every page converted).
Prints the medians, the built site's size and the search index size, and last
`ratio: N.NN` (plugin after an edit / baseline). Target: at most 1.10.
Usage: python benchmarks/build.py [--runs N] [--quick]
`--quick`: one run, no warm-up (for `make test`: it only has to run).
"""

from __future__ import annotations

import functools
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from markupsafe import Markup
from timing import ROOT, arguments, interleaved, parse, print_ratios, run_commands

sys.path.insert(0, str(ROOT))

from generator.build.mkdocs_plugin import pagefind_command
from generator.core.pipeline import load_handbook
from generator.site.navigation import navigation
from generator.site.pages import render_pages


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's `!ENV [NAME, default]`, read as its default; `!!python/name:X` kept."""


class _PythonName(str):
    """A `!!python/name:X` tag of mkdocs.yml: written back as it was, so MkDocs imports X."""


_PYTHON_NAME = "tag:yaml.org,2002:python/name:"
_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
_Loader.add_multi_constructor(_PYTHON_NAME, lambda loader, suffix, node: _PythonName(suffix))


class _Dumper(yaml.SafeDumper):
    """The navigation's titles are Markup (escaped for the theme): written as plain strings."""


_Dumper.add_representer(Markup, lambda dumper, value: dumper.represent_str(str(value)))
_Dumper.add_representer(
    _PythonName, lambda dumper, value: dumper.represent_scalar(_PYTHON_NAME + value, "")
)


MEASURED = "handbook plugin: mkdocs build after an edit"
NOTHING_KEPT = "the same with nothing kept (HANDBOOK_CACHE=0)"
STEP = "      - Fastlegen melder pasienten til akuttmottak."  # in agder's routes.yaml


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _plain_project(work: Path) -> Path:
    """The same pages as Markdown files, with a mkdocs.yml that has no handbook plugin."""
    result = load_handbook(ROOT / "content", region="agder")
    assert result.handbook is not None, "content has errors"
    pages, problems = render_pages(result.handbook, ROOT / "overrides" / "handbook")
    assert not problems
    docs = work / "docs"
    shutil.copytree(ROOT / "overrides" / "docs", docs)
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_Loader)
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides" / "theme")
    config["plugins"] = []
    config["site_name"] = result.handbook.info.title  # the plugin names the site after it
    config["nav"] = navigation(pages)
    path = work / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True), encoding="utf-8")
    return path


def _plugin_project(work: Path) -> tuple[Path, Path]:
    """mkdocs.yml with the handbook plugin on a copy of content/ (so a save can be made before
    each build); the rest as the repository's. Returns (config, content copy)."""
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    config["docs_dir"] = str(ROOT / config["docs_dir"])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    (options,) = (entry["handbook"] for entry in config["plugins"] if "handbook" in entry)
    for name in ("templates", "cards"):
        options[name] = str(ROOT / options[name])
    options.update(
        content=str(content),
        releases=str(ROOT / "releases"),
        error_examples=str(ROOT / "tests" / "fixtures" / "bad"),
    )
    path = work / "mkdocs-plugin.yml"
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True), encoding="utf-8")
    return path, content


def main() -> None:
    args = parse(arguments(runs=7))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plain_config = _plain_project(work)
        plugin_config, content = _plugin_project(work)
        plain_site, plugin_site = work / "plain-site", work / "plugin-site"
        # Edited before each plugin build: its result cannot come from the cache between runs.
        edited = content / "regions" / "agder" / "routes.yaml"
        original = edited.read_text(encoding="utf-8")
        assert original.count(STEP + "\n") == 1, f"{edited} has no step «{STEP.strip()}»"
        saves = iter(range(1_000_000))
        shown = plugin_site / "telefonvei" / "index.html"  # where the route's steps show

        def mkdocs_build(config: Path, site: Path) -> list[str]:
            return [python, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]

        floor = "baseline: plain mkdocs build + pagefind"
        runs = {
            floor: [
                mkdocs_build(plain_config, plain_site),
                pagefind_command(str(plain_site)),
            ],
            MEASURED: [mkdocs_build(plugin_config, plugin_site)],
            NOTHING_KEPT: [mkdocs_build(plugin_config, plugin_site)],
        }
        for commands in runs.values() if not args.quick else ():  # warm caches
            run_commands(*commands)

        def job(name: str) -> tuple[float, float]:
            if name == floor:
                return run_commands(*runs[name])
            word = f"Lagret{next(saves)}"
            edited.write_text(original.replace(STEP, f"{STEP} {word}."), encoding="utf-8")
            env = {**os.environ, "HANDBOOK_CACHE": "0"} if name == NOTHING_KEPT else None
            # CPU time: the worker's and Pagefind's too (the children's).
            measured = run_commands(*runs[name], env=env)
            assert word in shown.read_text(encoding="utf-8"), f"{shown} misses the edit {word}"
            return measured

        jobs = {name: functools.partial(job, name) for name in runs}
        times, cpu = interleaved(jobs, args.runs)
        medians = {name: statistics.median(values) for name, values in times.items()}
        pages = sum(1 for _ in plugin_site.rglob("index.html"))
        print(f"medians of {args.runs} runs:")
        for name, median in medians.items():
            print(f"  {name:<45} {median * 1000:7.0f} ms")
        total, index = _size(plugin_site), _size(plugin_site / "pagefind")
        cards = _size(plugin_site / "kort")
        html = total - index - cards - _size(plugin_site / "assets")
        print(
            f"site: {pages} pages, {total / 1024:.0f} KiB in all, {html / 1024:.0f} KiB of HTML, "
            f"{cards / 1024:.0f} KiB of cards (PDF + thumbnails)"
        )
        print(f"search index (pagefind/): {_size(plugin_site / 'pagefind') / 1024:.0f} KiB")
        why_cpu = "; the plugin also works on the second core"
        print_ratios(times[MEASURED], times[floor], (cpu[MEASURED], cpu[floor]), why_cpu)


if __name__ == "__main__":
    main()
