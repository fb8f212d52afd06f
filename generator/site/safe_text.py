"""The renderer's safety net for content text: render it, sanitize it, and refuse a difference.

The validator already refuses HTML, attribute lists and unsafe links in content. This second
line of defence renders every text field with Python-Markdown (which passes HTML through) and
cleans the result with nh3 (an allowlist sanitizer). If nh3 had to remove anything, the content
carries something the validator missed: that is a build error, never a silent fix.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br"}
# No `title`: the theme shows a link's title as a tooltip, and makes the tooltip from it as HTML.
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"https", "mailto", "tel"}


def _normalise(fragment: str) -> str:
    """Serialisation details that differ between Python-Markdown and nh3 without meaning."""
    return html.unescape(fragment.replace("<br />", "<br>"))


_MARKDOWN = markdown.Markdown()  # one parser: building one per call cost more than converting

# Python-Markdown makes markup nh3 could change only from raw HTML (<), entities (&), links (]),
# escapes (\\), or syntax at the start of a line (headings, quotes, code, rules, lists). A one-line
# text with none of those renders to a bare paragraph: nothing to sanitize, nothing to check.
_MARKUP_TRIGGERS = re.compile(r"[<&\]\\]|^\s*(?:[#>*_+=-]|\d+[.)])|^ {0,3}\t|^ {4}")


def _plain(text: str) -> bool:
    return "\n" not in text and not _MARKUP_TRIGGERS.search(text)


def rendered_and_cleaned(text: str) -> tuple[str, str]:
    """Content Markdown as HTML, and that HTML after the sanitizer."""
    rendered = _MARKDOWN.reset().convert(text)
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return rendered, cleaned


def unsafe_difference(text: str) -> str | None:
    """None when `text` renders to safe HTML; otherwise the HTML the sanitizer had to change."""
    if _plain(text):
        return None
    rendered, cleaned = rendered_and_cleaned(text)
    if _normalise(cleaned) == _normalise(rendered):
        return None
    return rendered


# Safe, but not the same words: emphasis and code marks, tabs, and spaces around the text.
_INLINE_MARKS = re.compile(r"[*_`\t]|^\s|\s$")


def plain_of_markdown(text: str) -> str:
    """A content text without its Markdown, as plain text (for a label or a tooltip): what the
    page's own rendering says. The cards reduce Markdown their own way (`cards.data.plain`)."""
    if _plain(text) and not _INLINE_MARKS.search(text):
        return text
    _, cleaned = rendered_and_cleaned(text)
    return html.unescape(nh3.clean(cleaned, tags=set()))
