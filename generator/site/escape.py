"""Escaping by construction for the pages' templates, which write Markdown for MkDocs.

Every value a template prints is escaped unless it is a `Markup`, and only three things make
one: `content_markdown` (a content text the sanitizer has checked), `url` (a web address,
percent-encoded) and the template helpers built on them (links, citations). So a title, a name
or a heading from content can never become markup, whatever call site prints it.

One escape works everywhere a value lands in these pages: HTML-special and Markdown-special
characters become numeric character references. Python-Markdown passes a reference through
untouched (it is neither syntax nor markup to it), and the browser shows the character, in
text and in attribute values alike. Ids (`a-z0-9` and `-_.` between them) come out unchanged,
so anchors, `{ #id }` and `id="..."` keep working.

The MkDocs theme prints the site name and page titles without escaping: `theme_text` is the
HTML escape for what the handbook hands to the theme.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

# Always: HTML's own, and Markdown's inline syntax (emphasis, code, links, attribute lists,
# tables, backslash escapes).
_ALWAYS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "#": "&#35;",  # a heading's closing hashes, an `{ #id }`
}
_SPECIAL = re.compile("[" + re.escape("".join(_ALWAYS)) + "]")
# `_` starts emphasis only next to something that is not a letter or digit: `senior_on_call`
# stays as it is, `_viktig_` does not.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# Block syntax at the start of a value (a list, a heading, a quote, an admonition, a rule).
_LEADING = re.compile(r"^(?:[-+>=!:~]|\d{1,9}(?=[.)](?:\s|$)))")


def _leading(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0].isdigit():  # `12. ` would start a numbered list: escape the dot after it
        return text
    return f"&#{ord(text)};"


def markdown_text(value: Any) -> Markup:
    """Any value as literal text in the Markdown (and HTML) of a page."""
    text = " ".join(str(value).split())  # a newline could start a new Markdown block
    text = _SPECIAL.sub(lambda m: _ALWAYS[m.group(0)], text)
    text = _UNDERSCORE.sub("&#95;", text)
    leading = _LEADING.match(text)
    if leading and leading.group(0)[0].isdigit():
        end = leading.end()
        text = text[:end] + f"&#{ord(text[end])};" + text[end + 1 :]
    elif leading:
        text = _leading(leading) + text[1:]
    return Markup(text)


# The one use of `<` the Markdown subset has: an autolink, `<https://...>`.
_AUTOLINK = re.compile(r"<(?:https|mailto|tel):[^<>\s]*>", re.IGNORECASE)


def content_markdown(text: str) -> Markup:
    """A content text in the handbook's Markdown subset, passed on as Markdown. Only the
    renderer calls it, after the sanitizer has found nothing to change in it.

    Every `<` but an autolink's is written as `&lt;`: the subset has no HTML, and in a page a
    `<!--`, `<![CDATA[` or `<?` that renders harmlessly on its own would swallow the markup
    that follows it (the sanitizer only sees the text alone)."""
    parts, start = [], 0
    for match in _AUTOLINK.finditer(text):
        parts += [text[start : match.start()].replace("<", "&lt;"), match.group(0)]
        start = match.end()
    parts.append(text[start:].replace("<", "&lt;"))
    return Markup("".join(parts))


# Characters a URL keeps as they are; everything else is percent-encoded (a quote, a space or
# a bracket can then never end the attribute or the Markdown link it is written into).
_URL_SAFE = "/:#?&=%+@!$,;~.-_"


def url(value: str) -> Markup:
    """A link target (a web address, a tel: link or a page path) for a Markdown link or an
    attribute. Addresses in content are validated as https: already; this is the second line."""
    text = value.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    if scheme and scheme not in ("https", "mailto", "tel"):
        return Markup("#")
    return Markup(html.escape(quote(text, safe=_URL_SAFE), quote=True))


def code_block(text: str) -> Markup:
    """Text shown as it is, in a fenced code block: Python-Markdown escapes what is inside,
    and the fence is longer than any run of backticks in the text, so nothing can end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}\n{text}\n{fence}")


def tooltip_text(value: str) -> str:
    """Text for a `title` attribute that the theme turns into a tooltip (an abbreviation's
    explanation). Material for MkDocs puts the attribute's value into the tooltip as HTML, so
    the value must itself be escaped HTML: escaped twice here, once for that and once for the
    attribute (Python-Markdown's serializer keeps what already looks like a reference)."""
    flat = " ".join(value.split())
    return html.escape(html.escape(flat, quote=True), quote=True)


def theme_text(value: str) -> str:
    """Text for the MkDocs theme, which prints it into HTML text and attributes as it is."""
    return html.escape(" ".join(value.split()), quote=True)


def finalize(value: Any) -> Any:
    """Jinja's hook for every `{{ ... }}`: escape what is not already Markup."""
    if value is None or isinstance(value, Markup):
        return value
    return markdown_text(value)


def markdown_environment(loader: jinja2.BaseLoader, **options: Any) -> jinja2.Environment:
    """The Jinja environment for templates that write Markdown pages: autoescape with the
    escape above (`|e` is still the plain HTML escape, for attribute values)."""
    return jinja2.Environment(loader=loader, autoescape=True, finalize=finalize, **options)
