"""`handbook audit`: every cited item next to the passage of its cited section that fits it best.

For the practice consultants and the committee who review the handbook against its documents.
Three findings, all information, none an error:

- **lite samsvar** (low agreement): few of the item's content words are in any passage of the
  cited section. The score is the share of the item's content words (lowercased, punctuation
  stripped, stop words left out, a light Norwegian suffix stemmer) that occur in the best window
  of the section: a run of lines with about twice as many words as the item. Why this measure: a
  reviewer can check it by hand (the report shows the passage and the words), and it does not
  reward a long section for being long.
- **avsnittet finnes ikke** (missing section): the cited section's heading cannot be found in the
  source text, or the section is not declared; the whole document is searched instead.
- **ikke sitert** (uncited): a section of a source that no item cites.

The source texts are PDF extractions: headings lost their layout, slides are split over lines.
`split_sections` finds a section by its number («5. Epikrise», «Kapittel 5») or its title (also
its leading part, before «(» or «,»; after «:» for a «Sak: Del» title), and `HEADING_HINTS`
names the heading line for a few sections whose title is not in the text at all.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.handbook import Entry, Handbook
from generator.core.model import Citation, Source
from generator.editor.audit_options import THRESHOLD
from generator.editor.audit_options import add_command as add_command  # its arguments

MIN_WINDOW = 12  # words in a passage at least, so a short item is compared with a sentence
MAX_TEXT = 320  # characters of an item's text or a passage shown in the report

# Where the titles do not find a section's text: the lines its parts start at, as regular
# expressions (the first match of each). The Oslo letters have no headings of their own, a slide
# title may sit inside its slide, and the UNN minutes put each case's attachment (slides) after
# all the cases.
HEADING_HINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "oslo-innspill-nasjonal-helse-samhandlingsplan.txt": {
        "byradsavdelingen": (r"^\s*Nasjonal helse- og samhandlingsplan - Innspill fra Oslo",),
        "origo": (r"^\s*Vår tilnærming til innspillene",),
        "helseetaten": (r"^\s*Helseetaten\s*$",),
        "sondre-nordstrand": (r"^\s*Innspill til nasjonal helse- og samhandlingsplan\s*$",),
        "sykehjemsetaten": (r"^\s*Sykehjemsetaten takker",),
        "ostensjo": (r"^\s*Bydel Østensjøs innspill",),
    },
    "ous-samhandling-fastlege-presentasjon.txt": {
        # The slide's title is in the middle of its text; the slide starts at its top box.
        "helsefellesskapet-oslo": (r"^\s*12 Partnerskapsmøtet",),
    },
    "unn-ssu-motereferat-2022-10-19.txt": {
        "sak-41-22": (r"^Sak:\s+41/22", r"^Distriktsmedisinsk\s*$"),  # Vedlegg 1
        "sak-42-22": (r"^Sak:\s+42/22", r"^Mentimeter resultater"),  # Vedlegg 2
        "sak-46-22": (r"^Sak:\s+46/22", r"^MULIGHETSROM I CHECKWARE"),  # Vedlegg 4
    },
}

# --- Norwegian words ---------------------------------------------------------------------------


def _listed(text: str) -> list[str]:
    return text.split()


STOP_WORDS = frozenset(
    _listed(
        """
    og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om
    vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva
    skal selv her alle vil bli ble blitt kunne inn når være kom noen noe ville dere deres kun ja
    etter ned skulle denne for deg si sine sitt mot å hvorfor dette disse uten hvordan ingen din
    ditt blir samme hvilken hvilke inni mellom vår hver hvem hvis både bare enn fordi før mange
    også slik vært begge siden må bør får få gjør gjøre gjennom hos per pr mv evt ev f eks osv
    dersom mer andre annen annet enten the blant ny nye
    """
    )
)
WORD = re.compile(r"[0-9a-zæøåäöüé]+")
LINK = re.compile(r"\]\([^)]*\)|<?(?:https?://|mailto:|tel:)\S+")
_VOWELS = set("aeiouyæåø")
_STEP1 = sorted(
    _listed(
        "a e ede ande ende ane ene hetene en heten ar er heter as es edes endes enes hetenes ens "
        "hetens ers ets et het ast"
    ),
    key=len,
    reverse=True,
)
_STEP3 = sorted(
    _listed("leg eleg ig eig lig elig els lov elov slov hetslov"), key=len, reverse=True
)
_S_ENDING = set("bcdfghjlmnoprtvyz")


@functools.cache
def stem(word: str) -> str:
    """A light stemmer: the inflection steps (1 and 2) of the Snowball Norwegian stemmer.
    Its step 3 (derivational endings: -leg, -lig, -els, -lov) is left out: it made
    «fastlegen» «fast»."""
    r1 = next(
        (i + 1 for i in range(1, len(word)) if word[i] not in _VOWELS and word[i - 1] in _VOWELS),
        len(word),
    )
    r1 = max(r1, 3)

    def in_r1(suffix: str) -> bool:
        return word.endswith(suffix) and len(word) - len(suffix) >= r1

    if in_r1("erte") or in_r1("ert"):
        word = word[: -len("erte" if word.endswith("erte") else "ert")] + "er"
    elif (suffix := next((s for s in _STEP1 if in_r1(s)), None)) is not None:
        word = word[: -len(suffix)]
    elif in_r1("s") and len(word) >= 2:
        before = word[-2]
        if before in _S_ENDING or (before == "k" and len(word) >= 3 and word[-3] not in _VOWELS):
            word = word[:-1]
    if in_r1("dt") or in_r1("vt"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lowercased words, without links and punctuation."""
    return WORD.findall(LINK.sub(" ", text).lower())


def content_stems(text: str) -> list[str]:
    """The stems of the content words: stop words and single letters left out."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


# --- the source texts: sections ----------------------------------------------------------------

_NOT_HEADING = re.compile(r"^\s*(?:[•\-−–✓*\uf0b4\uf0b7]|o\s|https?://|mailto:)")  # bullets, links
_LABEL = re.compile(r"^\s*(?:tittel|sak)\s*:\s*", re.IGNORECASE)
_PARTS = re.compile(r"(?<=[.:–])\s+")
MAX_EXTRA = 12  # words after it: slide headings are sometimes a whole sentence


@dataclass(frozen=True)
class Section:
    """A section of a source text: its lines (1-based, end exclusive), or None if not found."""

    id: str
    title: str
    out_of_scope: bool
    ranges: tuple[tuple[int, int], ...] = ()
    note: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.ranges)

    @property
    def start(self) -> int:
        return self.ranges[0][0] if self.ranges else 0


@dataclass
class SourceText:
    source: Source
    file: str  # as shown in the report
    lines: list[str]
    sections: dict[str, Section] = field(default_factory=dict)

    def all_lines(self) -> tuple[tuple[int, int], ...]:
        return ((1, len(self.lines) + 1),)


def _same(a: str, b: str) -> bool:
    if a == b or stem(a) == stem(b):
        return True
    return (
        len(a) >= 6
        and len(b) >= 6
        and a[:4] == b[:4]
        and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85
    )


def _variants(title: str) -> list[list[str]]:
    """The title's words, and its leading parts; for «Sak: Del», the part after the colon."""
    own = title.rsplit(":", 1)[-1]
    found: list[list[str]] = []
    for text in (own, own.split("(")[0], own.split(",")[0]):
        tokens = words(text)
        if tokens and tokens not in found:
            found.append(tokens)
    return found


def _candidates(lines: list[str]) -> list[tuple[int, list[str], int]]:
    """Heading-like lines: (line number, its words and the next line's, its own word count).
    A line gives one candidate per part after «.», «:» or «–» («UNN i fremtiden. Digitale …»)."""
    result = []
    texts = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    for index, (number, line) in enumerate(texts):
        if _NOT_HEADING.match(line):
            continue
        nxt = words(texts[index + 1][1])[:20] if index + 1 < len(texts) else []
        parts = _PARTS.split(_LABEL.sub("", line))
        for at in range(min(len(parts), 3)):
            own = words(" ".join(parts[at:]))
            if own:
                result.append((number, own + nxt, len(own)))
    return result


def _title_line(candidates: list[tuple[int, list[str], int]], title: str) -> int | None:
    """The line whose words start with the title's (or with most of them), the best first."""
    full = len(words(title.rsplit(":", 1)[-1])) or 1
    best: tuple[float, int] | None = None
    for tokens in _variants(title):
        need = len(tokens) if len(tokens) <= 2 else max(2, -(-3 * len(tokens) // 5))
        for number, cand, own in candidates:
            if own > len(tokens) + MAX_EXTRA:
                continue
            matched = 0
            while matched < min(len(tokens), len(cand)) and _same(tokens[matched], cand[matched]):
                matched += 1
            if matched < need:
                continue
            score = matched / full
            if best is None or score > best[0] or (score == best[0] and number < best[1]):
                best = (score, number)
    return best[1] if best else None


def _numbered_line(lines: list[str], section_id: str, title: str, after: int) -> int | None:
    pattern = re.compile(rf"^\s*(?:kapittel\s+)?{re.escape(section_id)}[.)]?\s+(\S.*)$", re.I)
    first = words(title)[:1]
    for number, line in enumerate(lines, 1):
        match = pattern.match(line)
        if number > after and match and first and _same(first[0], (words(match[1]) or [""])[0]):
            return number
    return None


def split_sections(source: Source, lines: list[str]) -> dict[str, Section]:
    """Each declared section of `source` located in its text (or marked not found)."""
    hints = HEADING_HINTS.get(source.file or "", {})
    candidates = _candidates(lines)
    starts: dict[str, list[int]] = {}
    parents: dict[str, int] = {}  # «Sak: Del» titles: where «Sak» starts, once per parent
    last_number = 0
    for section in source.sections:
        found: list[int] = []
        if section.id in hints:
            for pattern in map(re.compile, hints[section.id]):
                line = next((n for n, text in enumerate(lines, 1) if pattern.search(text)), None)
                found += [line] if line is not None else []
        else:
            line = None
            if section.id.isdigit():
                line = _numbered_line(lines, section.id, section.title, last_number)
                last_number = line or last_number
            if line is None:
                line = _title_line(candidates, section.title)
            found += [line] if line is not None else []
        if found:
            starts[section.id] = found
        if ":" in section.title:
            parent = section.title.rsplit(":", 1)[0]
            if parent not in parents and (line := _title_line(candidates, parent)) is not None:
                parents[parent] = line
    boundaries = sorted({*(n for f in starts.values() for n in f), *parents.values()})
    boundaries.append(len(lines) + 1)

    def span(start: int) -> tuple[int, int]:
        return start, next(b for b in boundaries if b > start)

    result: dict[str, Section] = {}
    for section in source.sections:
        scope = section.out_of_scope is not None
        if section.id not in starts:
            note = (
                f"fant ikke overskriften «{section.id} {section.title}» i {source.file}; "
                "hele dokumentet er brukt"
            )
            result[section.id] = Section(section.id, section.title, scope, (), note)
            continue
        ranges = [span(start) for start in starts[section.id]]
        parent = section.title.rsplit(":", 1)[0] if ":" in section.title else None
        if parent in parents and parents[parent] < starts[section.id][0]:
            ranges.insert(0, span(parents[parent]))  # the parent's introduction belongs to all
        result[section.id] = Section(section.id, section.title, scope, tuple(ranges))
    return result


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def read_sources(handbooks: Iterable[Handbook], folder: Path) -> dict[str, SourceText | str]:
    """Each source with a `file:` read from `folder` and split; or why it could not be read."""
    texts: dict[str, SourceText | str] = {}
    for handbook in handbooks:
        for source in handbook.sources:
            if source.id in texts:
                continue
            if not source.file:
                texts[source.id] = "kilden har ingen «file:» i sources.yaml"
                continue
            path = folder / source.file
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                texts[source.id] = f"fant ikke filen {path}"
                continue
            except UnicodeDecodeError:
                texts[source.id] = f"{path} er ikke UTF-8-tekst"
                continue
            # Shown by the name sources.yaml gives it (no folder of this machine in a report
            # that is published); slide bullets in the Symbol font's private code points as •.
            lines = [_PRIVATE_USE.sub("•", line) for line in lines]
            texts[source.id] = SourceText(source, source.file, lines, split_sections(source, lines))
    return texts


# --- the items -------------------------------------------------------------------------------

KIND_LABELS = {
    "statement": "utsagn",
    "rule": "meldingsregel",
    "reply_time": "svartid",
    "route": "telefonvei",
    "decision": "beslutningstrinn",
    "framework_level": "samhandlingsnivå",
    "framework_component": "rammeverkskomponent",
    "framework_capacity": "rammen (kapasitet)",
    "escalation_step": "trinn i eskaleringstrappen",
    "checklist_step": "sjekklistesteg",
    "case_flow": "saksgang",
    "term": "ordlisteord",
    "organisation": "organisasjon",
}
INHERITS_SOURCE = ("statement", "checklist_step")  # the kinds that may leave `source:` out


def cited_source(entry: Entry) -> Citation | None:
    """The citation a reader sees next to the item: the one place the audit resolves it.
    Kept equal to the renderer's `s.source or topic.source` (and a checklist step's)."""
    own = getattr(entry.entity, "source", None)
    if own is not None or entry.kind not in INHERITS_SOURCE or entry.parent is None:
        return own
    return entry.parent.entity.source


def _texts(kind: str, entity: Any) -> list[str | None]:
    """The fields of an item a reader takes as what the source says."""
    if kind == "statement":
        return [entity.when, entity.text, *entity.details, *entity.exceptions]
    if kind == "rule":
        return [entity.text, entity.instead]
    if kind == "reply_time":
        return [entity.text]
    if kind == "route":
        hours = entity.hours
        return [
            entity.purpose,
            entity.ask_for,
            entity.number,
            *(k.keys for k in entity.keys),
            *entity.steps,
            hours.open,
            hours.outside_hours,
            *(f.text for f in entity.fallbacks),
            *entity.notes,
        ]
    if kind == "decision":
        return [entity.question, entity.answer]
    if kind.startswith("framework_") or kind == "escalation_step":
        return [entity.name, entity.text, *entity.details]
    if kind == "checklist_step":
        return [entity.title, *entity.questions]
    if kind == "case_flow":
        return [entity.when]
    if kind == "term":
        return [entity.term, *entity.variants, entity.expansion, entity.explanation]
    if kind == "organisation":
        return [entity.name, entity.short_name, entity.description]
    raise ValueError(kind)


@dataclass(frozen=True)
class Item:
    kind: str
    id: str
    group: str  # the chapter, message type, framework ... it is shown under
    path: str
    line: int
    text: str
    citation: Citation

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _group(entry: Entry) -> str:
    top = entry
    while top.parent is not None:
        top = top.parent
    if top.kind == "topic":
        number = top.entity.number
        return f"{number:02d} {top.entity.title}" if number is not None else top.entity.title
    fixed = {"route": "Telefonveier", "decision": "Hvilken kanal?", "term": "Ordliste"}
    if top.kind in fixed:
        return fixed[top.kind]
    if top.kind == "organisation":
        return "Organisasjoner og enheter"
    return getattr(top.entity, "title", None) or getattr(top.entity, "name", top.id)


def _item(entry: Entry, kind: str, entity: Any, citation: Citation | None) -> Item | None:
    if citation is None:
        return None
    position = entry.file.position((*entry.loc, "id"))
    text = " ".join(" ".join(t.split()) for t in _texts(kind, entity) if t)
    return Item(
        kind,
        entity.id if kind != "reply_time" else f"{entry.id}.reply_time",
        _group(entry),
        position.file or entry.file.display,
        position.line,
        text,
        citation,
    )


def items(handbook: Handbook) -> Iterator[Item]:
    """Every item with a citation in the handbook (a region's view), in content order."""
    for entry in handbook.entries.values():
        if entry.kind in KIND_LABELS:
            found = _item(entry, entry.kind, entry.entity, cited_source(entry))
            if found is not None:
                yield found
        if entry.kind == "message_type" and entry.entity.reply_time is not None:
            reply = entry.entity.reply_time
            found = _item(entry, "reply_time", reply, reply.source)
            if found is not None:
                yield found
        if entry.kind == "framework" and entry.entity.capacity is not None:
            part = entry.entity.capacity
            found = _item(
                Entry("framework_capacity", part, entry.file, (*entry.loc, "capacity"), entry),
                "framework_capacity",
                part,
                part.source,
            )
            if found is not None:
                yield found


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    first: int
    last: int
    text: str
    matched: frozenset[str]


@dataclass(frozen=True)
class Check:
    item: Item
    score: float | None  # None: no source text to compare with
    passage: Passage | None
    status: str  # "ok", "low", "missing", "no-text"
    note: str | None = None
    file: str = ""


def best_passage(stems: set[str], lines: list[str], ranges: Iterable[tuple[int, int]]) -> Passage:
    """The window of lines with the largest share of `stems`; ties go to the shorter, then the
    earlier window. A window grows from each line until it has twice the item's words."""
    target = max(MIN_WINDOW, 2 * len(stems))
    rows = [
        (n, set(s := content_stems(lines[n - 1])), len(s))
        for start, end in ranges
        for n in range(start, end)
        if lines[n - 1].strip() and not LINK.fullmatch(lines[n - 1].strip())
    ]
    best_key: tuple[int, int, int] | None = None
    best: tuple[int, int, set[str]] = (0, 0, set())
    for i in range(len(rows)):
        seen: set[str] = set()
        size = 0
        for j in range(i, len(rows)):
            seen |= rows[j][1] & stems
            size += rows[j][2]
            if size >= target:
                break
        key = (len(seen), i - j, -i)
        if best_key is None or key > best_key:
            best_key, best = key, (rows[i][0], rows[j][0], seen)
    if best_key is None:
        return Passage(0, 0, "", frozenset())
    first, last, seen = best
    text = " ".join(" ".join(lines[n - 1].split()) for n in range(first, last + 1))
    return Passage(first, last, text, frozenset(seen))


def check(item: Item, texts: dict[str, SourceText | str], threshold: float) -> Check:
    source = texts.get(item.citation.document)
    if not isinstance(source, SourceText):
        return Check(item, None, None, "no-text", source or "kilden finnes ikke")
    section = source.sections.get(item.citation.section)
    note = None
    if section is None:
        note = f"avsnittet «{item.citation.section}» er ikke listet i sources.yaml"
    elif not section.found:
        note = section.note
    ranges = section.ranges if section is not None and section.found else source.all_lines()
    stems = set(content_stems(item.text))
    if not stems:
        return Check(item, None, None, "no-text", "punktet har ingen innholdsord", source.file)
    passage = best_passage(stems, source.lines, ranges)
    score = len(passage.matched) / len(stems)
    status = "missing" if note else ("low" if score < threshold else "ok")
    return Check(item, score, passage, status, note, source.file)


# --- the audit -------------------------------------------------------------------------------


@dataclass
class RegionAudit:
    region: str
    name: str
    checks: list[Check]
    uncited: list[tuple[Source, Section]]  # of its primary source, in scope, none of it cites

    def count(self, status: str) -> int:
        return sum(1 for c in self.checks if c.status == status)


@dataclass
class Audit:
    threshold: float
    sources: dict[str, SourceText | str]
    regions: list[RegionAudit]
    uncited: list[tuple[Source, Section]]  # no item of any region cites it

    @property
    def findings(self) -> int:
        flagged = sum(r.count("low") + r.count("missing") for r in self.regions)
        return flagged + sum(1 for _, s in self.uncited if not s.out_of_scope)


def run(handbooks: dict[str, Handbook], folder: Path, threshold: float = THRESHOLD) -> Audit:
    texts = read_sources(handbooks.values(), folder)
    regions: list[RegionAudit] = []
    cited_anywhere: set[tuple[str, str]] = set()
    for region, handbook in handbooks.items():
        checks = [check(item, texts, threshold) for item in items(handbook)]
        cited = {(c.item.citation.document, c.item.citation.section) for c in checks}
        cited_anywhere |= cited
        primary = handbook.info.primary_source if handbook.info else None
        text = texts.get(primary or "")
        uncited = [
            (text.source, section)
            for section in (text.sections.values() if isinstance(text, SourceText) else ())
            if not section.out_of_scope and (text.source.id, section.id) not in cited
        ]
        name = handbook.info.region if handbook.info else region
        regions.append(RegionAudit(region, name, checks, uncited))
    uncited_all = [
        (text.source, section)
        for source_id, text in texts.items()
        if isinstance(text, SourceText)
        for section in text.sections.values()
        if (source_id, section.id) not in cited_anywhere
    ]
    return Audit(threshold, texts, regions, uncited_all)


# --- the report ------------------------------------------------------------------------------

STATUS_LABELS = {
    "low": "lite samsvar",
    "missing": "avsnittet finnes ikke",
    "no-text": "ingen kildetekst",
    "ok": "ok",
}
BASE = "Basen (felles for regionene)"
_REGION_PATH = re.compile(r"(?:^|/)regions/([^/]+)/")


@dataclass
class Row:
    """One item as the report shows it, once: base items are checked in every region."""

    check: Check
    regions: list[str]


def grouped(audit: Audit) -> dict[str, dict[str, list[Row]]]:
    """Rows by where they are written (a region's name, or the base), then by chapter."""
    names = {r.region: r.name for r in audit.regions}
    result: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[Any, ...], Row] = {}
    for region in audit.regions:
        for c in region.checks:
            match = _REGION_PATH.search(c.item.path)
            owner = names.get(match[1], match[1]) if match else BASE
            key = (owner, c.item.where, c.item.id, c.item.citation, c.status)
            if key in seen:
                seen[key].regions.append(region.name)
                continue
            seen[key] = Row(c, [region.name])
            result.setdefault(owner, {}).setdefault(c.item.group, []).append(seen[key])
    order = [r.name for r in audit.regions] + [BASE]
    return {k: result[k] for k in sorted(result, key=lambda k: order.index(k) if k in order else 0)}


def _cut(text: str, width: int = MAX_TEXT) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _score(score: float | None) -> str:
    return "–" if score is None else f"{score:.2f}".replace(".", ",")


def _cited(citation: Citation) -> str:
    return f"{citation.document} avsnitt {citation.section}"


def _span(c: Check) -> str:
    if c.passage is None or not c.passage.first:
        return c.file
    last = f"–{c.passage.last}" if c.passage.last != c.passage.first else ""
    return f"{c.file}:{c.passage.first}{last}"


def summary_rows(audit: Audit) -> list[tuple[str, int, int, int, int]]:
    """(region, checked, low agreement, missing section, uncited sections) per region."""
    return [
        (r.name, len(r.checks), r.count("low"), r.count("missing"), len(r.uncited))
        for r in audit.regions
    ]


def format_text(audit: Audit) -> str:
    """The report for a reviewer's terminal: the findings by region and chapter, then the
    sections nobody cites, then the figures."""
    out: list[str] = [
        f"Kildegjennomgang: terskel {_score(audit.threshold)} (andel av punktets innholdsord "
        "som står i det beste utdraget av avsnittet det viser til)",
        "",
    ]
    for source_id, text in audit.sources.items():
        if isinstance(text, str):
            out.append(f"  {source_id}: {text}")
            continue
        found = sum(1 for s in text.sections.values() if s.found)
        out.append(f"  {text.file}: fant {found} av {len(text.sections)} avsnitt")
        out += [f"    merk: {s.note}" for s in text.sections.values() if s.note]
    for owner, groups in grouped(audit).items():
        findings = [(g, r) for g, rows in groups.items() for r in rows if r.check.status != "ok"]
        out += ["", f"== {owner} ==", ""]
        if not findings:
            out.append("Ingen funn.")
            continue
        current = None
        for group, row in findings:
            if group != current:
                out += [f"-- {group} --", ""]
                current = group
            c = row.check
            label = KIND_LABELS.get(c.item.kind, c.item.kind)
            out.append(
                f"{c.item.where}: {STATUS_LABELS[c.status]} ({_score(c.score)}), {label} "
                f"«{c.item.id}», viser til {_cited(c.item.citation)}"
            )
            if owner == BASE:
                out.append(f"    i: {', '.join(row.regions)}")
            out.append(f"    håndboka: «{_cut(c.item.text)}»")
            if c.passage is not None and c.passage.text:
                out.append(f"    kilden ({_span(c)}): «{_cut(c.passage.text)}»")
            if c.note:
                out.append(f"    merk: {c.note}")
            out.append("")
    out += ["", "== Avsnitt ingen punkter siterer ==", ""]
    in_scope = [(s, x) for s, x in audit.uncited if not x.out_of_scope]
    for source, section in in_scope:
        out.append(f"  {source.id} avsnitt {section.id} «{section.title}»")
    if not in_scope:
        out.append("  Ingen (utenom avsnitt merket out_of_scope).")
    skipped = len(audit.uncited) - len(in_scope)
    out.append(f"  (og {skipped} avsnitt merket out_of_scope, med begrunnelse i sources.yaml)")
    out += ["", "== Tall per region ==", ""]
    header = ("region", "sjekket", "lite samsvar", "avsnitt mangler", "avsnitt ikke sitert")
    rows = [header] + [tuple(str(v) for v in row) for row in summary_rows(audit)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        out.append("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    out.append("")
    out.append(
        "«avsnitt ikke sitert» per region: avsnitt i regionens hovedkilde (primary_source) som "
        "ingen av regionens punkter viser til (utenom out_of_scope)."
    )
    return "\n".join(out)


TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "audit"


def render_html(audit: Audit, templates: Path = TEMPLATES) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("audit.html.j2").render(
        audit=audit,
        groups=grouped(audit),
        summary=summary_rows(audit),
        uncited=[(s, x) for s, x in audit.uncited if not x.out_of_scope],
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        score=_score,
        span=_span,
        cited=_cited,
        base=BASE,
    )


# --- the command -----------------------------------------------------------------------------


def command(args: Any) -> int:
    """Run `handbook audit`: 0 when it ran, 1 for findings with --fail-on-findings or for
    content errors, 2 for usage errors."""
    import sys

    from generator.core.pipeline import load_handbook, load_regions
    from generator.core.regions import is_regional

    if args.sources is None:
        print(
            "handbook audit: oppgi --sources MAPPE (kildedokumentene som tekstfiler)",
            file=sys.stderr,
        )
        return 2
    for path, what in ((args.content, "innholdsmappen"), (args.sources, "kildemappen")):
        if not path.is_dir():
            print(
                f"handbook: finner ikke {what} «{path}» (eller den er ikke en mappe)",
                file=sys.stderr,
            )
            return 2
    if is_regional(args.content) and args.region is None:
        result = load_regions(args.content)
        handbooks = result.handbooks
        diagnostics, ok = result.diagnostics, result.ok
    else:
        single = load_handbook(args.content, region=args.region)
        name = args.region or (
            single.handbook.info.id if single.handbook and single.handbook.info else ""
        )
        handbooks = {name: single.handbook}
        diagnostics, ok = single.diagnostics, single.ok
    if not ok:
        for diagnostic in diagnostics:
            print(diagnostic.format())
        print(
            "handbook: innholdet har feil; rett dem (handbook validate) og kjør på nytt.",
            file=sys.stderr,
        )
        return 1
    audit = run({k: v for k, v in handbooks.items() if v is not None}, args.sources, args.threshold)
    print(format_text(audit))
    if args.html is not None:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(audit), encoding="utf-8")
        print(f"Skrev {args.html}.", file=sys.stderr)
    return 1 if args.fail_on_findings and audit.findings else 0
