"""Rules for single text values: the Markdown subset, phone numbers and key sequences.

Used as pydantic validators, so a bad value is reported at its own line and column. Messages
are in Norwegian bokmål because practice consultants read them.

Why a Markdown subset: Python-Markdown passes raw HTML through unchanged, so a text field could
carry a script or a `javascript:` link into a hospital intranet. Content may use emphasis,
lists and links to `https:`, `mailto:` and `tel:`; anything else is refused here, and the
renderer's sanitizer is only the second line of defence.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = ("https", "mailto", "tel")

_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*):[^<>\s]*>")
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_ATTR_LIST = re.compile(r"\{\s*[:#.][^}]*\}")
_INLINE_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]*)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s", re.MULTILINE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_DANGEROUS = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def _link_problem(target: str) -> str | None:
    match = _SCHEME.match(target)
    if not match:
        return (
            f"lenken «{target}» må være en full adresse som starter med https://, "
            "mailto: eller tel: (bruk see_also for henvisninger innad i håndboka)"
        )
    scheme = match.group(1).lower()
    if scheme == "http":
        return f"lenken «{target}» bruker http:; bruk https:"
    if scheme not in ALLOWED_SCHEMES:
        return f"lenketypen «{scheme}:» er ikke tillatt; bare https:, mailto: og tel:"
    return None


def markdown_problems(text: str) -> list[str]:
    """Every way `text` leaves the allowed Markdown subset, in Norwegian."""
    problems: list[str] = []
    without_autolinks = text
    for match in _AUTOLINK.finditer(text):
        problem = _link_problem(match.group(0)[1:-1])
        if problem:
            problems.append(problem)
        without_autolinks = without_autolinks.replace(match.group(0), " ")
    tag = _HTML_TAG.search(without_autolinks)
    if tag:
        snippet = without_autolinks[tag.start() : tag.start() + 12].split(">")[0]
        problems.append(f"HTML («{snippet}…») er ikke tillatt i teksten")
    if _ATTR_LIST.search(text):
        problems.append("attributtlister («{: ...}») er ikke tillatt i teksten")
    for bang, target in _INLINE_LINK.findall(text):
        if bang:
            problems.append("bilder er ikke tillatt i tekstfelt")
            continue
        problem = _link_problem(target)
        if problem:
            problems.append(problem)
    for target in _REF_DEFINITION.findall(text):
        problem = _link_problem(target)
        if problem:
            problems.append(problem)
    if _HEADING.search(text):
        problems.append("overskrifter (#) er ikke tillatt i tekstfelt")
    if not problems and _DANGEROUS.search(text):
        problems.append("teksten inneholder en farlig lenketype (javascript:, data: e.l.)")
    return problems


def check_markdown_subset(text: str) -> str:
    problems = markdown_problems(text)
    if problems:
        raise ValueError("; ".join(problems))
    return text


_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ]+$")


def check_phone_number(value: str) -> str:
    """A Norwegian number: 8 digits, +47 and 8 digits, a 5-digit 0xxxx short number, or 11x."""
    if not _PHONE_ALLOWED.match(value):
        raise ValueError(
            f"«{value}» er ikke et telefonnummer; bruk bare sifre og mellomrom (og + foran 47)"
        )
    digits = value.replace(" ", "")
    if digits.startswith("+"):
        if digits.startswith("+47") and len(digits) == 11:
            return value
        raise ValueError(f"«{value}»: et norsk nummer med landkode skrives +47 og 8 sifre")
    if len(digits) == 8 or (len(digits) == 5 and digits.startswith("0")):
        return value
    if digits in {"110", "112", "113", "116117"}:
        return value
    raise ValueError(
        f"«{value}» har {len(digits)} sifre; et norsk nummer har 8 sifre, "
        "et kortnummer 5 (f.eks. 03739)"
    )


_KEYS = re.compile(r"^(?:R|\*|#|[0-9]+)(?: (?:R|\*|#|[0-9]+))*$")


def check_key_sequence(value: str) -> str:
    if not _KEYS.match(value) or not any(ch.isdigit() for ch in value):
        raise ValueError(
            f'«{value}» er ikke en tastesekvens; skriv tastene med mellomrom, f.eks. "R 3421"'
        )
    return value
