"""Where a page's search words go when they are made after the page (`render_pages`'
`search_later`): a placeholder in the page's Markdown, filled in the built HTML.

Why: the words take about a third of rendering the pages, and MkDocs does not need them to
convert the pages, only Pagefind does, after the build. So the worker hands MkDocs the pages
first and makes the words while MkDocs converts them (`generator.build.worker.search_words`).
The MkDocs plugin imports this module, so it imports nothing.
"""

from __future__ import annotations

import re

TOKEN = "hb-search-terms-later"
OPEN, CLOSE = '<div class="hb-search-terms" hidden aria-hidden="true">', "</div>"
# Markdown leaves a block of HTML as it is (inside a summary's `markdown` block it writes the
# tag again, its attributes sorted): the placeholder is the hidden block with only letters in it.
PLACEHOLDER = f"{OPEN}{TOKEN}{CLOSE}"
# Content cannot make it: every `<` and `>` from content is escaped.
_FILLED = re.compile(rf"<div [^<>]*\bclass=\"hb-search-terms\"[^<>]*>{TOKEN}</div>")
_EMPTY = re.compile(rf"\n?{_FILLED.pattern}")


def inside(block: str) -> str:
    """What goes in place of TOKEN for `search_terms.hidden_block`'s block ("" for none)."""
    if not block:
        return ""
    assert block.startswith(OPEN) and block.endswith(CLOSE), block
    return block[len(OPEN) : -len(CLOSE)]


def fill_search_words(html: str, words: str | None) -> str:
    """A built page with its search words in the placeholder; without any, the page as if it
    had never had one (its line gone). None: a page that has no placeholder."""
    if words is None:
        return html
    if words:
        filled, count = _FILLED.subn(lambda m: m.group(0).replace(TOKEN, words), html, count=1)
    else:
        filled, count = _EMPTY.subn("", html, count=1)
    if count != 1:  # a template or Markdown change lost it: the page would go without its words
        raise ValueError("a page has lost the placeholder for its search words")
    return filled
