"""Property tests: mutate valid content at random; the validator must answer with clean
diagnostics (valid, or errors at real positions) and never raise."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.core.diagnostics import Level
from generator.core.pipeline import load_handbook

from .conftest import FIXTURES

TODAY = dt.date(2026, 6, 1)
SOURCE = (FIXTURES / "minimal" / "topic.yaml").read_text(encoding="utf-8")

# Fragments an editor (or a mangled copy-paste) might introduce.
NASTY = [
    "\t",
    ":",
    ": ",
    "- ",
    "#",
    "&a ",
    "*a",
    "!!python/name:os.system ",
    "!!binary ",
    '"',
    "'",
    "{",
    "}",
    "[",
    "]",
    "\n",
    "\r\n",
    "\ufeff",
    "NO",
    "yes",
    "03739",
    "+4722118800",
    "2026-02-30",
    "~",
    "<script>",
    "{: .x}",
    "[x](javascript:y)",
    "æøå",
    "\x00",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "<<: *a\n",
    "? ",
    "|\n",
    ">-\n",
    "1e999",
    ".nan",
    "0x1F",
    "@",
]


def _check(content: Path) -> None:
    result = load_handbook(content, today=TODAY)
    files = {p.name for p in content.iterdir()}
    for d in result.diagnostics:
        assert d.line >= 1 and d.col >= 1
        assert Path(d.path).name in files, d
        assert d.message.strip()
        assert d.level in (Level.ERROR, Level.WARNING)
    assert result.ok == (
        result.handbook is not None and all(d.level is Level.WARNING for d in result.diagnostics)
    )


def _write(tmp_path: Path, text: str | bytes) -> Path:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(FIXTURES / "minimal", content)
    target = content / "topic.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8", newline="")
    return content


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(SOURCE)),
            st.integers(0, 12),
            st.one_of(st.sampled_from(NASTY), st.text(max_size=6)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_text_mutations_never_crash(tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    text = SOURCE
    for position, deleted, inserted in edits:
        position = min(position, len(text))
        text = text[:position] + inserted + text[position + deleted :]
    _check(_write(tmp_path, text))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    _check(_write(tmp_path, data))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["gp", "utvalg", "emne", "kilde", "ukjent-id", "", "03739", "R 3421"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choice=st.data())
def test_structural_mutations_never_crash(tmp_path: Path, choice: st.DataObject) -> None:
    yaml = YAML(typ="safe", pure=True)
    data = yaml.load(SOURCE)
    for _ in range(choice.draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = choice.draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = choice.draw(st.sampled_from(["replace", "delete", "rename"]))
        if action == "replace":
            parent[path[-1]] = choice.draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[choice.draw(st.text(min_size=1, max_size=12))] = parent.pop(path[-1])
    out = tmp_path / "dump.yaml"
    with out.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(data, handle)
    _check(_write(tmp_path, out.read_text(encoding="utf-8")))


MARKDOWN_ALPHABET = st.sampled_from(
    [*"abcæøå ABC019.,:;()[]<>{}!#*_-+=>`\\/\"'&\n\t", "javascript:", "https://x.no", "](", "<b>"]
)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(MARKDOWN_ALPHABET, max_size=30))
def test_sanitizer_fast_path_never_hides_a_difference(parts: list[str]) -> None:
    """The renderer skips the Markdown+nh3 round trip for plain text; that skip must be sound."""
    from generator.site import safe_text

    text = "".join(parts)
    if safe_text._plain(text):
        rendered = safe_text._MARKDOWN.reset().convert(text)
        cleaned = safe_text.nh3.clean(
            rendered,
            tags=safe_text.ALLOWED_TAGS,
            attributes=safe_text.ALLOWED_ATTRIBUTES,
            url_schemes=safe_text.URL_SCHEMES,
            link_rel=None,
        )
        assert safe_text._normalise(cleaned) == safe_text._normalise(rendered), text


_FOLDER = st.sampled_from(["emner", "kort", "a", "b", "sjekklister"])
_PAGE = st.sampled_from(["index.md", "x.md", "emner.md"])


@given(
    path=st.tuples(st.lists(_FOLDER, max_size=3), _PAGE).map(lambda t: "/".join([*t[0], t[1]])),
    folder=st.lists(_FOLDER, max_size=3).map("/".join),
)
def test_page_links_are_what_relpath_gives(path: str, folder: str) -> None:
    """The link helper skips os.path's getcwd() calls, and must still agree with it (for a
    page's path and the folder of another page, the only things it is given)."""
    import posixpath

    from generator.site.pages import _relative

    assert _relative(path, folder) == posixpath.relpath(path, folder or ".")


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(MARKDOWN_ALPHABET, max_size=30))
@example(parts=["Bruk ", "*", "alltid", "*", " dialogmelding"])  # was shown with its asterisks
def test_plain_of_markdown_skips_the_rendering_only_when_it_would_change_nothing(
    parts: list[str],
) -> None:
    """A label or tooltip made from a text says what the page says: the skip of the Markdown
    round trip for plain text gives the same words as the round trip (emphasis taken out)."""
    import html

    from generator.site import safe_text

    text = "".join(parts)
    _, cleaned = safe_text.rendered_and_cleaned(text)
    rendered = html.unescape(safe_text.nh3.clean(cleaned, tags=set()))
    assert safe_text.plain_of_markdown(text) == rendered, text
