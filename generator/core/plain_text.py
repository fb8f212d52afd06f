"""Rules for plain-text fields (titles, names, headings) and web addresses in content.

A plain-text field is shown exactly as it is written: never as HTML or Markdown. The renderers
escape it for wherever it lands (see `generator.site.escape`), so markup in it could only show
up as literal `<b>` on a page. The validator refuses it here, at the value's line and column,
with the way to do it instead: that is the first line of defence; the escaping is the second.

Web addresses are parsed, not matched: an `https:` URL with a host, and no quote, angle bracket,
backslash, whitespace or control character anywhere in it (any of those could end the attribute
or the link it is written into).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

# Test hook: the security tests switch the first line off to prove that the second one holds
# (every payload escaped on every page). Nothing in the generator changes it.
REFUSE_MARKUP = True

_TAG = re.compile(r"<\s{0,8}(?:[/?]?\s{0,8}[A-Za-z]|!)")  # a tag, or <!-- <![CDATA[ <!DOCTYPE
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")
_TEMPLATE = re.compile(r"\{[{%#]|[}%#]\}")
_LINK = re.compile(r"\]\(")
_STRONG = re.compile(r"\*\*|__")
_ATTRIBUTES = re.compile(r"\{\s{0,8}[:#.]")

_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_TAG, "HTML («{snippet}…») er ikke tillatt her"),
    (_ENTITY, "HTML-koden «{snippet}» er ikke tillatt her; skriv tegnet selv"),
    (_LINK, "lenker («[tekst](adresse)») er ikke mulig i dette feltet"),
    (_STRONG, "utheving («**» eller «__») er ikke mulig i dette feltet"),
    (_ATTRIBUTES, "attributtlister («{: ...}») er ikke tillatt"),
    (_TEMPLATE, "malkode («{{ }}», «{% %}») er ikke tillatt"),
    (re.compile(r"`"), "kode-tegnet («`») er ikke mulig i dette feltet"),
)


def markup_problems(value: str) -> list[str]:
    """Every kind of markup in a plain-text value, in Norwegian (empty when it is plain)."""
    problems = []
    for pattern, message in _PROBLEMS:
        match = pattern.search(value)
        if match:
            snippet = value[match.start() : match.start() + 12].split(">")[0]
            problems.append(message.replace("{snippet}", snippet))
    return problems


def content_error(code: str, message: str, hint: str) -> PydanticCustomError:
    """A validation error that `generator.core.schema_errors` reports with its own code and hint."""
    return PydanticCustomError(code, "{message}", {"message": message, "hint": hint})


def check_plain_text(value: str) -> str:
    if REFUSE_MARKUP:
        problems = markup_problems(value)
        if problems:
            raise content_error(
                "markup-in-plain-text",
                "; ".join(problems),
                "feltet er ren tekst og vises akkurat slik det står: ta bort formateringen og "
                "behold teksten (uthevinger og lenker hører hjemme i felt som tillater Markdown, "
                "som text, summary og description)",
            )
    return value


_URL_FORBIDDEN = set("\"'<>\\`{}|^")


def url_problem(value: str) -> str | None:
    """Why `value` is not a safe https: address, or None."""
    bad = next(
        (
            ch
            for ch in value
            if ch in _URL_FORBIDDEN or ch.isspace() or unicodedata.category(ch)[0] == "C"
        ),
        None,
    )
    if bad is not None:
        shown = bad if bad.isprintable() and not bad.isspace() else f"U+{ord(bad):04X}"
        return f"adressen inneholder «{shown}», som ikke kan stå i en nettadresse"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return "adressen kan ikke leses som en nettadresse"
    if parts.scheme.lower() != "https":
        scheme = f"«{parts.scheme}:»" if parts.scheme else "ingen"
        return f"adressen må starte med https:// (den har {scheme})"
    if not parts.hostname or "." not in parts.hostname or parts.username or parts.password:
        return "adressen har ikke et gyldig vertsnavn etter https://"
    return None


def check_https_url(value: str) -> str:
    problem = url_problem(value)
    if problem:
        raise content_error(
            "bad-url",
            f"«{value[:120]}» er ikke en trygg https-adresse: {problem}",
            "skriv den fulle adressen slik den står i nettleserens adresselinje, "
            "f.eks. https://www.helsenorge.no/",
        )
    return value
