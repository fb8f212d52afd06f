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

# Every pattern below is linear in the text: no two unbounded repetitions can match the same
# characters, and the text of a link or a reference stops at the next bracket (`[^\[\]]`), so
# no start position rescans what another one scanned. (`[^\]]*` instead made a long line of `[`
# quadratic: every `[` scanned to the end of the text.) An attribute list is found as its
# opening (`{:`, `{#`, `{.`) followed anywhere later by a `}`, not by one pattern over both.
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*):[^<>\s]*>")
_HTML_TAG = re.compile(r"<\s*(?:/\s*)?[A-Za-z!?]")
_ATTR_LIST_START = re.compile(r"\{\s*[:#.]")
_INLINE_LINK = re.compile(r"(!?)\[[^\[\]]*\]\(\s*<?([^)\s>]*)>?(\s+[\"'(])?")
# A link title, `[x](https://... "tittel")` or `[x]: https://... "tittel"`: the theme shows it as
# a tooltip made from it as HTML, so it is refused like HTML.
_REF_TITLE = re.compile(r"^\s{0,3}\[[^\[\]]*\]:\s*\S+\s+[\"'(]", re.MULTILINE)
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\[\]]*\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s", re.MULTILINE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_DANGEROUS = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_QUOTED = 60  # characters of a link target quoted in a message
_LINK_TITLE = (
    'en lenke kan ikke ha tittel («[tekst](adresse "tittel")»); skriv tittelen som vanlig '
    "tekst ved siden av lenken: [tekst](adresse) (tittel)"
)
_LISTED = 5  # problems listed for one text; the rest are counted


def _quoted(target: str) -> str:
    return target if len(target) <= _QUOTED else target[:_QUOTED] + "…"


def _link_problem(target: str) -> str | None:
    match = _SCHEME.match(target)
    if not match:
        return (
            f"lenken «{_quoted(target)}» må være en full adresse som starter med https://, "
            "mailto: eller tel: (bruk see_also for henvisninger innad i håndboka)"
        )
    scheme = match.group(1).lower()
    if scheme == "http":
        return f"lenken «{_quoted(target)}» bruker http:; bruk https:"
    if scheme not in ALLOWED_SCHEMES:
        return f"lenketypen «{_quoted(scheme)}:» er ikke tillatt; bare https:, mailto: og tel:"
    return None


def _has_attr_list(text: str) -> bool:
    """`{: ...}`, `{#...}` or `{.…}`: an opening with a `}` somewhere after it."""
    opening = _ATTR_LIST_START.search(text)
    return opening is not None and text.find("}", opening.end()) >= 0


def markdown_problems(text: str) -> list[str]:
    """Every way `text` leaves the allowed Markdown subset, in Norwegian (each once)."""
    problems: list[str] = []

    def autolink(match: re.Match[str]) -> str:
        problem = _link_problem(match.group(0)[1:-1])
        if problem:
            problems.append(problem)
        return " "

    without_autolinks = _AUTOLINK.sub(autolink, text)
    tag = _HTML_TAG.search(without_autolinks)
    if tag:
        snippet = without_autolinks[tag.start() : tag.start() + 12].split(">")[0]
        problems.append(f"HTML («{snippet}…») er ikke tillatt i teksten")
    if _has_attr_list(text):
        problems.append("attributtlister («{: ...}») er ikke tillatt i teksten")
    for bang, target, title in _INLINE_LINK.findall(text):
        if bang:
            problems.append("bilder er ikke tillatt i tekstfelt")
            continue
        if title:
            problems.append(_LINK_TITLE)
        problem = _link_problem(target)
        if problem:
            problems.append(problem)
    for target in _REF_DEFINITION.findall(text):
        problem = _link_problem(target)
        if problem:
            problems.append(problem)
    if _REF_TITLE.search(text):
        problems.append(_LINK_TITLE)
    if _HEADING.search(text):
        problems.append("overskrifter (#) er ikke tillatt i tekstfelt")
    if not problems and _DANGEROUS.search(text):
        problems.append("teksten inneholder en farlig lenketype (javascript:, data: e.l.)")
    return list(dict.fromkeys(problems))


def check_markdown_subset(text: str) -> str:
    problems = markdown_problems(text)
    if len(problems) > _LISTED:
        problems = [*problems[:_LISTED], f"og {len(problems) - _LISTED} problemer til"]
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


# --- bounds on one value ----------------------------------------------------------------------
# Python-Markdown scans from every `[` to the end of its paragraph for the closing `]`, one
# character at a time in Python: rendering costs about the text's length times its number of
# `[` (20 000 `[` took a minute). With these bounds the worst text renders in well under 0.1 s,
# and a whole file of them is a few times slower than ordinary text. The real content's longest
# text is under 900 characters, and none has more than 2 `[`.
MAX_TEXT_LENGTH = 10_000
MAX_BRACKETS = 10


# Characters a reader cannot see that change or hide what the text says: bidi controls can show
# «tlf 12345678» while the text holds another number; zero-width characters break search and
# copying of numbers. Tab and newline are ordinary.
INVISIBLE_NAMES = {
    "\u202a": "venstre-til-høyre-innbygging",
    "\u202b": "høyre-til-venstre-innbygging",
    "\u202c": "slutt på retningsformatering",
    "\u202d": "venstre-til-høyre-overstyring",
    "\u202e": "høyre-til-venstre-overstyring",
    "\u2066": "venstre-til-høyre-isolering",
    "\u2067": "høyre-til-venstre-isolering",
    "\u2068": "førstesterk isolering",
    "\u2069": "slutt på retningsisolering",
    "\u200e": "venstre-til-høyre-merke",
    "\u200f": "høyre-til-venstre-merke",
    "\u061c": "arabisk bokstavmerke",
    "\u200b": "nullbreddes mellomrom",
    "\u200c": "nullbreddes skille",
    "\u200d": "nullbreddes sammenføyning",
    "\u2060": "ordsammenføyning",
    "\ufeff": "nullbreddes hardt mellomrom (BOM)",
    "\u00ad": "myk bindestrek",
}
INVISIBLE = re.compile(
    "[" + "".join(INVISIBLE_NAMES) + "\x00-\x08\x0b-\x1f\x7f-\x9f]"  # and C0/C1 controls
)


# Spaces that look like a space but are not one, from Word, PDF or web pages. A no-break space
# next to a digit is deliberate: it keeps a number with its unit, the groups of a phone number
# together, or «§» with its number. Anywhere else (between two words, at an end) it is pasted.
ODD_SPACES = "\u00a0\u202f\u1680\u2000-\u200a\u205f\u3000"
ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
# What the loader records the place of in the file: both of the above.
MARKED = re.compile(f"{INVISIBLE.pattern}|{ODD_SPACE.pattern}")
_REMOVED = frozenset(INVISIBLE_NAMES)  # `handbook fmt` removes these (not control characters)


def _neighbour(text: str, index: int, step: int) -> str:
    """The character beside `index`, past the characters fmt removes ("" at an end)."""
    index += step
    while 0 <= index < len(text) and text[index] in _REMOVED:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def odd_space(text: str, index: int) -> bool:
    """Whether the odd space at `index` is pasted rather than deliberate (see ODD_SPACES)."""
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    return not (before.isdigit() or after.isdigit() or before == "§")


def hygiene_fixes(text: str) -> list[tuple[int, str]]:
    """(index, replacement) for each character `handbook fmt` changes in a text: invisible
    characters (not control characters) are removed, and a run of pasted odd spaces becomes
    one space, or nothing at an end of the text or beside a space or line break (where a space
    would be doubled, or dropped by YAML)."""
    fixes = [(m.start(), "") for m in INVISIBLE.finditer(text) if m.group() in _REMOVED]
    for match in ODD_SPACE.finditer(text):
        at = match.start()
        if odd_space(text, at):
            before, after = _neighbour(text, at, -1), _neighbour(text, at, 1)
            ends = any(not c or (c.isspace() and not ODD_SPACE.match(c)) for c in (before, after))
            fixes.append((at, "" if ends or ODD_SPACE.match(after) else " "))
    return sorted(fixes)


def clean_text(text: str) -> str:
    """`text` with `hygiene_fixes` applied."""
    fixes = dict(hygiene_fixes(text))
    return "".join(fixes.get(i, char) for i, char in enumerate(text)) if fixes else text


def space_name(char: str) -> str:
    """«U+00A0 «hardt mellomrom»», for messages."""
    name = {"\u00a0": "hardt mellomrom", "\u202f": "smalt hardt mellomrom"}.get(char)
    return f"U+{ord(char):04X} «{name or 'uvanlig mellomrom'}»"


def invisible_name(char: str) -> str:
    """«U+202E «høyre-til-venstre-overstyring»», for messages."""
    name = INVISIBLE_NAMES.get(char) or ("vognretur (CR)" if char == "\r" else "kontrolltegn")
    return f"U+{ord(char):04X} «{name}»"
