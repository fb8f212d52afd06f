"""Every file or folder the editors are told about exists: the paths named in hints and other
messages (string literals in generator/), in the comments of the region template and the
content, in the editor's guide, README.md and the region guide (maler/ny-region/LESMEG.md).

Why: a hint that names `content/glossary.yaml` when the glossary is in `content/base/` sends the
editor looking for a file that is not there.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator

from .conftest import ROOT

# A repository path: one of the top folders, then names; a placeholder (<id>, {x}, *, …) ends it.
PATH = re.compile(
    r"(?<![\w/.<-])((?:content|maler|schema|overrides|generator|tests|benchmarks|deploy)"
    r"/[\w./-]*)(?![\w<{*…])"
)
GUIDES = ("README.md", "maler/ny-region/LESMEG.md", "overrides/handbook/editor-guide.md.j2")
# The region the guide tells an editor to make (`cp -r maler/ny-region content/regions/vestfold`):
# its paths are to be created, not found.
EXAMPLE_REGIONS = ("content/regions/vestfold", "content/regions/lister")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@functools.cache
def _code_strings() -> tuple[tuple[str, str], ...]:
    """The string literals of generator/ that are not docstrings: messages, hints, skeletons."""
    return tuple(_literals())


def _literals() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


def _comments() -> Iterator[tuple[str, str]]:
    files = sorted((ROOT / "maler").rglob("*.yaml")) + sorted((ROOT / "content").rglob("*.yaml"))
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "#" in line:
                yield f"{path.relative_to(ROOT)}:{number}", line.split("#", 1)[1]


def _guides() -> Iterator[tuple[str, str]]:
    for name in GUIDES:
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            yield f"{name}:{number}", line


def named_paths(texts: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for where, text in texts:
        for match in PATH.finditer(text):
            yield where, match.group(1).rstrip("./")


def _missing(texts: Iterable[tuple[str, str]]) -> list[str]:
    return [
        f"{where}: {path}"
        for where, path in named_paths(texts)
        if not (ROOT / path).exists() and not path.startswith(EXAMPLE_REGIONS)
    ]


def test_the_path_pattern_finds_paths_and_stops_at_placeholders() -> None:
    text = "se content/base/glossary.yaml og content/regions/<id>/, ikke content/glossary.yaml."
    assert [p for _, p in named_paths(iter([("x", text)]))] == [
        "content/base/glossary.yaml",
        "content/regions",
        "content/glossary.yaml",
    ]
    assert _missing(iter([("x", text)])) == ["x: content/glossary.yaml"]


def test_paths_in_messages_and_hints_exist() -> None:
    assert len(list(named_paths(_code_strings()))) >= 5  # the scan finds the paths there are
    assert _missing(_code_strings()) == []


def test_paths_in_template_and_content_comments_exist() -> None:
    assert len(list(named_paths(_comments()))) >= 3
    assert _missing(_comments()) == []


def test_paths_in_the_guides_exist() -> None:
    assert len(list(named_paths(_guides()))) >= 10
    assert _missing(_guides()) == []


def test_the_example_regions_are_examples() -> None:
    for folder in EXAMPLE_REGIONS:
        assert not (ROOT / folder).exists(), f"{folder} exists: it is no longer only an example"
