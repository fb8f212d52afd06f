"""Escaping by construction: any plain text, through the pages' Markdown, comes out as that text.

The property is checked with Python-Markdown and the site's own extensions (mkdocs.yml plus the
ones MkDocs always adds), in the three places a template puts a value: a paragraph, a heading
with an `{ #id }`, and an attribute of an HTML block."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.escape import (
    code_block,
    content_markdown,
    markdown_environment,
    markdown_text,
    theme_text,
    url,
)

ROOT = Path(__file__).resolve().parents[1]


def _extensions() -> list:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return sorted({*names, "toc", "tables", "fenced_code"})


MD = markdown.Markdown(extensions=_extensions())


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


# Text as editors write it, and as an attacker would: every character that means something to
# HTML or Markdown, often. Control characters are a separate check (a warning in content).
SPECIAL = [*"<>&\"'`*_[](){}#|\\!-+=:.~^$%/;", "&lt;", "&#106;", "{:", "](", "**", "\n"]
texts = st.lists(
    st.one_of(
        st.sampled_from(SPECIAL),
        st.text(st.characters(categories=("L", "N", "Zs", "P", "S")), max_size=6),
    ),
    max_size=25,
).map("".join)


def _flat(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(texts)
def test_a_paragraph_shows_the_text_and_nothing_else(text: str) -> None:
    out = _parse(MD.reset().convert(f"Før {markdown_text(text)} etter"))
    assert [tag for tag, _ in out.tags] == ["p"]
    assert _flat("".join(out.text)) == _flat(f"Før {text} etter")


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_heading_keeps_its_id_and_text(text: str) -> None:
    out = _parse(MD.reset().convert(f"## Tittel {markdown_text(text)} {{ #a_b.c-d }}"))
    assert out.tags == [("h2", {"id": "a_b.c-d"})]
    assert _flat("".join(out.text)) == _flat(f"Tittel {text}")


@settings(max_examples=200, deadline=None)
@given(texts)
def test_an_attribute_holds_the_text(text: str) -> None:
    source = f'Før <span class="x" title="{markdown_text(text)}">x</span>'
    out = _parse(MD.reset().convert(source))
    assert out.tags == [("p", {}), ("span", {"class": "x", "title": _flat(text)})]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_an_attribute_of_a_markdown_block_cannot_be_left(text: str) -> None:
    """md_in_html decodes a block's attributes and writes them again, keeping what looks like
    a character reference: text such as «&lt;» loses a level there (the templates put only ids
    into block attributes), but the value can never end the attribute."""
    source = f'<div class="x" title="{markdown_text(text)}" markdown>\n\nInnhold\n\n</div>'
    out = _parse(MD.reset().convert(source))
    assert [tag for tag, _ in out.tags] == ["div", "p"]
    assert set(out.tags[0][1]) == {"class", "title"}
    if "&" not in text:
        assert out.tags[0][1]["title"] == _flat(text)


@given(texts)
def test_theme_text_is_text_in_html_and_attributes(text: str) -> None:
    out = _parse(f'<a title="{theme_text(text)}">{theme_text(text)}</a>')
    assert out.tags == [("a", {"title": _flat(text)})]
    assert "".join(out.text) == _flat(text)


def test_ids_pass_unchanged() -> None:
    for value in ("senior_on_call", "kanal.oyeblikkelig-hjelp", "a1.b2_c3-d4", "2026"):
        assert markdown_text(value) == value


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "JavaScript:alert(1)", " data:text/html,x", "vbscript:x"],
)
def test_url_refuses_script_schemes(value: str) -> None:
    assert url(value) == "#"


def test_url_cannot_end_its_link_or_attribute() -> None:
    target = url('https://a.no/x?y=1&z=2 "onmouseover=alert(1)" (x)<b>')
    out = _parse(MD.reset().convert(f"[lenke]({target})"))
    assert out.tags == [("p", {}), ("a", {"href": html.unescape(str(target))})]
    assert re.fullmatch(r"[^\s\"'<>()]+", out.tags[1][1]["href"] or "")


def test_code_block_shows_the_text_whatever_it_holds() -> None:
    text = 'a <b> &amp; "x"\n````\n``` nope\nend'
    out = _parse(MD.reset().convert(str(code_block(text))))
    assert [tag for tag, _ in out.tags] == ["pre", "code"]
    assert "".join(out.text).rstrip("\n") == text


def test_templates_escape_every_value_not_marked_safe() -> None:
    env = markdown_environment(
        jinja2.DictLoader({"t": "{{ a }}|{{ b }}|{{ c|e }}|{% set d %}{{ a }}{% endset %}{{ d }}"})
    )
    out = env.get_template("t").render(a="<i>*x*</i>", b=markdown_text("[y]"), c='"q"')
    escaped = "&lt;i&gt;&#42;x&#42;&lt;/i&gt;"
    assert out == f"{escaped}|&#91;y&#93;|&#34;q&#34;|{escaped}"


@pytest.mark.parametrize("opener", ["<!--", "<![CDATA[", "<?php", "<!DOCTYPE", "</div>", "<b"])
def test_content_markdown_cannot_open_html_for_what_follows(opener: str) -> None:
    page = f'Tekst {content_markdown(opener)} her\n\n<div class="x" markdown>\n\n*Etter*\n\n</div>'
    out = _parse(MD.reset().convert(page))
    assert [tag for tag, _ in out.tags] == ["p", "div", "p", "em"]
    assert opener in "".join(out.text)


def test_content_markdown_keeps_autolinks() -> None:
    out = _parse(MD.reset().convert(str(content_markdown("Se <https://a.no/x> og 1<2"))))
    assert ("a", {"href": "https://a.no/x"}) in out.tags
    assert "1<2" in "".join(out.text)
