"""The content model: what a handbook is made of, as strict pydantic models.

Every content file is a `ContentFile`: a mapping whose keys name collections (`topics`,
`routes`, ...). Every entity has a stable `id`, unique across the whole content, and refers to
others by id. Reference fields are marked with `RefTo(...)`, so one generic walker
(`generator.checks.references`) resolves them all and reports the exact place of a broken one.

Why strict (`extra="forbid"`, strict bools): a typo in a key must be an error, not a silently
dropped rule. Descriptions are in Norwegian because editors see them in the JSON Schema.
"""

import datetime as dt
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.core.plain_text import check_https_url, check_plain_text
from generator.core.text_rules import check_key_sequence, check_markdown_subset, check_phone_number

# --- building blocks -------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a reference to entities of the given kinds (see `COLLECTIONS`)."""

    kinds: tuple[str, ...]


Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="Stabil id: små bokstaver a–z, tall, og - _ . mellom ordene. Endres aldri.",
    ),
]


def _ref(*kinds: str) -> Any:
    return Annotated[Id, RefTo(kinds)]


ActorRef = _ref("actor")
OrganisationRef = _ref("organisation")
OwnerRef = _ref("actor", "organisation")
ResponsibleRef = _ref("actor", "organisation")
SourceRef = _ref("source")
RouteRef = _ref("route")
AnyRef = _ref(
    "topic",
    "statement",
    "route",
    "message_type",
    "rule",
    "actor",
    "organisation",
    "term",
    "decision",
    "checklist",
    "framework",
    "collaboration",
)


def _as_list(value: Any) -> Any:
    """Allow a single value where a list is expected (`responsible: gp`)."""
    return [value] if isinstance(value, str) else value


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(
        f"«{value}» er ikke en gyldig dato; skriv den som ÅÅÅÅ-MM-DD, f.eks. 2026-11-22"
    )


Date = Annotated[dt.date, BeforeValidator(_as_date)]
Text = Annotated[
    str,
    Field(min_length=1, description="Tekst. Tillatt Markdown: *kursiv*, **fet**, lister, lenker."),
    AfterValidator(check_markdown_subset),
]
PlainText = Annotated[
    str,
    Field(
        min_length=1,
        description="Ren tekst: vises akkurat slik den står, uten Markdown eller HTML.",
    ),
    AfterValidator(check_plain_text),
]
PhoneNumber = Annotated[
    str,
    Field(description='Telefonnummer i anførselstegn: "03739", "38 07 30 00" eller "+47 ..."'),
    AfterValidator(check_phone_number),
]
KeySequence = Annotated[
    str,
    Field(description='Tastesekvens slik den trykkes, i anførselstegn, f.eks. "R 3421"'),
    AfterValidator(check_key_sequence),
]
HttpsUrl = Annotated[
    str,
    Field(
        description="Nettadresse som starter med https://",
        # For the editor only: the validator parses the address (check_https_url).
        json_schema_extra={"pattern": "^https://[^\\s\"'<>\\\\`{}|^]+$"},
    ),
    AfterValidator(check_https_url),
]
Visibility = Literal["public", "internal"]


class Strict(BaseModel):
    # defer_build: a model's validator and serializer are built when first used, not at import.
    # Only ContentFile validates content; built at import, the 34 other classes would each
    # build a validator and serializer of their whole subtree that `handbook validate` never uses.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Visible(Strict):
    visibility: Visibility = Field(
        "public",
        description="public: i den åpne håndboka. internal: bare i den interne utgaven.",
    )
    why_internal: PlainText | None = Field(
        None, description="Hvorfor innholdet er internt (påkrevd når visibility er internal)."
    )
    public_fallback: (
        Annotated[
            Id,
            RefTo(("topic", "statement", "route", "message_type", "rule", "organisation", "term")),
        ]
        | None
    ) = Field(
        None,
        description="For internt innhold: den offentlige id-en som brukes i stedet i den "
        "åpne utgaven, der offentlig innhold viser hit.",
    )


# --- sources ---------------------------------------------------------------------------------


class Citation(Strict):
    """Where in a source document a rule comes from."""

    document: SourceRef = Field(description="Id til kildedokumentet (se sources).")
    section: PlainText = Field(description="Kapittel/avsnitt i kilden, slik det er listet der.")
    heading: PlainText | None = Field(
        None, description="Underoverskrift i kilden der teksten står (valgfritt)."
    )


StatusKind = Literal["proposal", "position_paper"]


class SourceStatus(Strict):
    """What a source (or a section, or an item) says is not an agreed rule: a proposal or a
    position paper. Every page, card and export that shows it says so."""

    kind: StatusKind = Field(
        description="proposal: et forslag. position_paper: et innspill eller standpunkt."
    )
    by: PlainText = Field(
        description="Hvem som foreslår: id til en organisasjon eller aktør, eller et navn."
    )
    year: int = Field(strict=True, description="Året forslaget er fra.")
    note: PlainText | None = Field(
        None,
        description="Kildens egne ord om at det er et forslag, f.eks. «Legeforeningen mener…».",
    )


class Editorial(Strict):
    """A fact the editors add from general knowledge (a hospital's full name, an expansion),
    shown as «Redaksjonell tilføyelse» instead of a citation. Why a kind of its own: a citation
    must only ever point to a document that says what the item says."""

    who: PlainText = Field(
        description="Hvem som la det til: id til en aktør eller organisasjon, eller et navn."
    )
    when: Date = Field(description="Når det ble lagt til (ÅÅÅÅ-MM-DD).")
    basis: PlainText = Field(
        description="Hva det bygger på, f.eks. «allment kjent navn på helseforetaket»."
    )
    next_review: Date | None = Field(
        None, description="Neste gjennomgang (ÅÅÅÅ-MM-DD); påkrevd med validate --strict."
    )


def _provenance_schema(required: bool) -> dict[str, Any]:
    """The JSON Schema's form of `Provenance._source_or_editorial`, for the editor."""
    if required:
        return {"oneOf": [{"required": ["source"]}, {"required": ["editorial"]}]}
    return {"not": {"required": ["source", "editorial"]}}


class Provenance(Strict):
    """Where an item comes from: a citation (`source`, in the item's own model) or an editorial
    addition, never both; and optionally the status of what it says (a proposal).

    `Sourced` items (their citation is required) need one of the two."""

    model_config = ConfigDict(json_schema_extra=_provenance_schema(False))
    _source_required: ClassVar[bool] = False
    editorial: Editorial | None = Field(
        None,
        description="Redaksjonell tilføyelse (i stedet for source:) når ingen kilde har det.",
    )
    status: SourceStatus | None = Field(
        None, description="Når det som står, er et forslag eller innspill og ikke vedtatt."
    )

    @model_validator(mode="after")
    def _source_or_editorial(self) -> "Provenance":
        source = getattr(self, "source", None)
        if source is not None and self.editorial is not None:
            raise PydanticCustomError(
                "source-and-editorial",
                "{message}",
                {
                    "message": "både «source» og «editorial» er satt; et innhold har enten en "
                    "kilde eller er en redaksjonell tilføyelse",
                    "hint": "behold source: når kilden har det; ellers fjern source: og "
                    "behold editorial:",
                },
            )
        if self._source_required and source is None and self.editorial is None:
            raise PydanticCustomError(
                "missing-source",
                "{message}",
                {
                    "message": "mangler «source» (eller «editorial»)",
                    "hint": "skriv source: {document: ..., section: ...} med kilden; står det "
                    "ikke i noen kilde, skriv editorial: {who: ..., when: ..., basis: ...}",
                },
            )
        return self


class Sourced(Provenance):
    """An item whose citation is required: a `source` or an `editorial` addition."""

    model_config = ConfigDict(json_schema_extra=_provenance_schema(True))
    _source_required: ClassVar[bool] = True


class SourceSection(Strict):
    id: PlainText = Field(description="Kapittelnummer eller kort id for avsnittet.")
    title: PlainText
    out_of_scope: Text | None = Field(
        None, description="Grunnen til at avsnittet ikke er tatt inn i håndboka."
    )
    status: SourceStatus | None = Field(
        None, description="Når avsnittet er et forslag eller innspill, ikke en vedtatt regel."
    )


class Source(Visible):
    id: Id
    title: PlainText
    short_title: PlainText | None = Field(
        None, description="Kort navn i kildehenvisninger, f.eks. «Anbefalingene (Agder 2024)»."
    )
    publisher: PlainText
    revision: PlainText | None = None
    year: int | None = Field(None, strict=True)
    url: HttpsUrl | None = None
    file: PlainText | None = Field(None, description="Filnavn i shared/sources/.")
    sections: list[SourceSection] = Field(min_length=1)
    status: SourceStatus | None = Field(
        None, description="Når hele kilden er et forslag eller innspill, ikke vedtatte regler."
    )


# --- who -------------------------------------------------------------------------------------


class Actor(Visible):
    """A role that can carry responsibility: fastlege, sykehuslege, pasienten, ..."""

    id: Id
    name: PlainText = Field(description="Navnet på rollen, f.eks. «Fastlege».")
    responsibility_heading: PlainText = Field(
        description="Overskrift for rollens ansvar, f.eks. «Fastlegens ansvar»."
    )
    description: Text | None = None


OrganisationKind = Literal[
    "hospital_trust",
    "hospital_site",
    "clinic",
    "department",
    "team",
    "on_call",
    "body",
    "service",
    "directory",
]


class Organisation(Visible, Provenance):
    """A hospital trust, a site, a unit, an on-call role, a committee or a directory."""

    id: Id
    name: PlainText
    short_name: PlainText | None = Field(None, description="Forkortelse, f.eks. «SSK».")
    kind: OrganisationKind
    part_of: OrganisationRef | None = None
    phone: PhoneNumber | None = None
    url: HttpsUrl | None = None
    description: Text | None = None
    source: Citation | None = None


class Review(Strict):
    last_reviewed: Date = Field(description="Dato for siste faglige gjennomgang (ÅÅÅÅ-MM-DD).")
    next_review: Date = Field(description="Dato for neste planlagte gjennomgang (ÅÅÅÅ-MM-DD).")
    owner: OwnerRef = Field(description="Hvem som eier innholdet (aktør eller organisasjon).")


# --- topics ----------------------------------------------------------------------------------

StatementKind = Literal["duty", "recommendation", "principle", "information"]


class Statement(Visible, Provenance):
    """One responsibility: who does what, when, with exceptions and its source."""

    id: Id
    responsible: Annotated[list[ResponsibleRef], BeforeValidator(_as_list)] = Field(
        min_length=1,
        description="Hvem som har ansvaret: én id eller en liste. En aktør (rolle), eller "
        "en organisasjon når kilden sier at et utvalg eller en enhet gjør noe.",
    )
    kind: StatementKind = Field(
        "duty",
        description="duty: plikt/skal. recommendation: anbefaling/bør. "
        "principle: prinsipp. information: opplysning.",
    )
    when: Text | None = Field(None, description="Når/forutsetning, f.eks. «Ved innleggelse».")
    text: Text = Field(description="Hva som skal gjøres, så nær kilden som mulig.")
    details: list[Text] = Field([], description="Underpunkter fra kilden.")
    exceptions: list[Text] = Field([], description="Unntak.")
    see_also: list[AnyRef] = Field([], description="Kryssreferanser (id-er).")
    source: Citation | None = Field(
        None,
        description="Kilde. Utelatt: kilden til emnet utsagnet står i (i samme fil), eller for "
        "et utsagn en endring legger til: kilden endringen gir emnet (override: source:). "
        "Aldri kilden fra en annen fil eller region.",
    )


class Topic(Visible, Sourced):
    """One chapter of the guideline (in the base: a chapter the sources share, maybe empty)."""

    id: Id
    number: int | None = Field(None, strict=True, description="Kapittelnummer i kilden.")
    title: PlainText
    summary: Text | None = None
    source: Citation | None = Field(None, description="Kilden for emnet; utsagnene arver den.")
    also_in: list[Citation] = Field(
        [], description="Andre kilder som har samme kapittel (hvor emnet også finnes)."
    )
    review: Review | None = Field(
        None, description="Påkrevd når emnet har utsagn; et tomt kapittel i basen kan mangle det."
    )
    statements: list[Statement] = Field(
        [], description="Utsagnene. Tomt i basen når bare regionene har innholdet."
    )
    see_also: list[AnyRef] = []


# --- phone routes ----------------------------------------------------------------------------

Situation = Literal[
    "acute_somatic_admission",
    "acute_mental_health_admission",
    "advice",
    "hospital_to_gp",
    "appointment_booking",
]


class SiteKeys(Strict):
    site: OrganisationRef
    keys: KeySequence


class Hours(Strict):
    always_open: bool = Field(False, strict=True, description="true når veien alltid er betjent.")
    open: Text | None = Field(None, description="Åpningstid, slik kilden oppgir den.")
    outside_hours: Text | None = Field(None, description="Hva som skjer utenom åpningstid.")


class RouteInternal(Strict):
    """What only the internal edition shows of a route, e.g. a direct number."""

    why_internal: PlainText = Field(description="Hvorfor dette ikke skal publiseres åpent.")
    number: PhoneNumber | None = Field(None, description="Direktenummeret (bare internt).")
    note: Text | None = None
    example: bool = Field(
        False,
        strict=True,
        description="true når verdiene er eksempler som skal erstattes av de ekte.",
    )


class Fallback(Strict):
    text: Text
    route: RouteRef | None = None


class Route(Visible, Sourced):
    """How to reach whom for what, by phone."""

    id: Id
    title: PlainText
    situation: Situation
    caller: ActorRef = Field(description="Hvem som ringer.")
    reaches: list[_ref("actor", "organisation")] = Field(
        min_length=1, description="Hvem som svarer / hvem du når."
    )
    purpose: Text = Field(description="Når denne veien brukes.")
    number: PhoneNumber | None = None
    via: OrganisationRef | None = Field(
        None, description="Enheten, sentralbordet eller katalogen du går via."
    )
    ask_for: PlainText | None = Field(None, description="Hva du ber om når du ringer.")
    keys: list[SiteKeys] = Field([], description="Tastesekvens per sykehus.")
    keys_pressed_by: ActorRef | None = None
    no_number_reason: Text | None = Field(
        None, description="Hvorfor veien ikke har nummer (kilden oppgir det ikke)."
    )
    steps: list[Text] = Field([], description="Hva som skjer, i rekkefølge.")
    hours: Hours
    fallbacks: list[Fallback] = []
    notes: list[Text] = []
    internal: RouteInternal | None = Field(
        None, description="Det bare den interne utgaven viser, f.eks. et direktenummer."
    )
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")
    review: Review


# --- message types ---------------------------------------------------------------------------

MessageCategory = Literal["core_messages", "care_messages", "dialogue_message", "other"]


class MessageRule(Visible, Sourced):
    id: Id
    text: Text
    instead: Text | None = Field(None, description="Hva du gjør i stedet (for «ikke bruk»).")
    instead_ref: AnyRef | None = None
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")


class ReplyTime(Sourced):
    working_days: int | None = Field(None, ge=0, strict=True)
    text: Text
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")


class MessageType(Visible):
    id: Id
    name: PlainText
    category: MessageCategory
    description: Text
    use: list[MessageRule] = Field(min_length=1, description="Når meldingen brukes.")
    never_use: list[MessageRule] = Field(
        description="Når meldingen ikke skal brukes, og hva du gjør i stedet. "
        "Skriv [] når kildene ikke sier noe."
    )
    reply_time: ReplyTime | None = None
    addressing: list[MessageRule] = []
    content_rules: list[MessageRule] = []
    facts: list[MessageRule] = Field([], description="Andre opplysninger fra kildene.")
    see_also: list[AnyRef] = []
    review: Review


# --- decision aid ----------------------------------------------------------------------------


class DecisionStep(Visible, Sourced):
    """One question of the «which channel?» decision aid, asked in list order."""

    id: Id
    question: Text = Field(description="Spørsmålet, så nær kilden som mulig.")
    answer: Text = Field(description="Hva du gjør når svaret er ja.")
    targets: list[AnyRef] = Field(
        min_length=1, description="Meldingstyper, telefonveier eller emner svaret peker til."
    )
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")


# --- print cards ---------------------------------------------------------------------------

CardFormat = Literal["a3-poster", "a4-sheet", "a6-pocket"]
CardItemRef = _ref("topic", "statement", "route", "message_type", "rule", "decision")


class Card(Visible):
    """A printed card or poster, composed from content by id."""

    id: Id
    title: PlainText
    subtitle: PlainText | None = None
    format: CardFormat = Field(
        description="a3-poster: plakat A3. a4-sheet: ark A4. a6-pocket: lommekort A6."
    )
    link: AnyRef = Field(description="Siden (eller stedet) QR-koden peker til, som id.")
    items: list[CardItemRef] = Field(
        min_length=1,
        description="Innholdet i rekkefølge: emner (alle utsagn), utsagn, telefonveier, "
        "meldingstyper, meldingsregler eller beslutningstrinn.",
    )


# --- glossary --------------------------------------------------------------------------------


class Term(Visible, Provenance):
    id: Id
    term: PlainText = Field(description="Forkortelsen eller ordet, f.eks. «LIB».")
    variants: list[PlainText] = Field([], description="Andre skrivemåter, f.eks. «LiB».")
    synonyms: list[PlainText] = Field(
        [],
        description="Andre ord for det samme, som søket skal finne: et annet navn på kapitlet "
        "(«Oppgaveoverføring» for «Oppgavedeling») eller et ord leserne bruker "
        "(«legemiddelliste» for LIB). Vises i ordlisten, men forklares ikke i teksten.",
    )
    expansion: PlainText | None = Field(None, description="Hva forkortelsen står for.")
    explanation: Text | None = None
    source: Citation | None = None


# --- collaboration: when it fails ------------------------------------------------------------


class FrameworkPart(Visible, Sourced):
    """A level of collaboration, a framework component or a step of the escalation ladder."""

    id: Id
    name: PlainText
    text: Text = Field(description="Hva kilden sier, så nær kilden som mulig.")
    details: list[Text] = []
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")


class Framework(Visible, Sourced):
    """A framework for collaboration (Legeforeningen 2026): levels, components, escalation."""

    id: Id
    title: PlainText
    summary: Text | None = None
    levels: list[FrameworkPart] = Field(description="Samhandlingens nivåer.")
    components: list[FrameworkPart] = Field(description="Komponentene som må være på plass.")
    capacity: FrameworkPart | None = Field(None, description="Rammen rundt: totalkapasiteten.")
    escalation: list[FrameworkPart] = Field(
        description="Trappen for en sak som ikke løses, nederste trinn først."
    )
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")
    review: Review


class LadderStep(Provenance):
    """Which of the region's bodies fill one step of the framework's escalation ladder."""

    step: _ref("escalation_step") = Field(description="Trinnet i rammeverket (id).")
    bodies: list[OrganisationRef] = Field(
        [], description="Regionens organer på dette trinnet. Tom liste når kildene ikke sier det."
    )
    note: Text | None = None
    source: Citation | None = None


class CaseFlow(Visible, Sourced):
    """One move of a case between two bodies of the health community."""

    id: Id
    from_body: OrganisationRef
    to_body: OrganisationRef
    when: Text = Field(description="Når saken går denne veien.")
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")


class Collaboration(Visible, Sourced):
    """A health community's collaboration structure: its bodies and how a case moves."""

    id: Id
    title: PlainText
    health_community: PlainText
    summary: Text | None = None
    bodies: list[OrganisationRef] = Field(min_length=1, description="Organene, øverst først.")
    framework: _ref("framework") | None = Field(None, description="Rammeverket trappen følger.")
    ladder: list[LadderStep] = []
    flows: list[CaseFlow] = []
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")
    review: Review


# --- checklists ------------------------------------------------------------------------------


class ChecklistStep(Visible, Provenance):
    id: Id
    title: PlainText
    questions: list[Text] = Field([], description="Spørsmål eller punkter under steget.")
    source: Citation | None = Field(
        None,
        description="Kilde. Utelatt: kilden til sjekklisten steget står i (i samme fil), eller "
        "kilden endringen som legger det til gir sjekklisten (override: source:).",
    )


class Checklist(Visible, Sourced):
    """A checklist a clinician works through, step by step (e.g. «Hva er viktig for deg?»)."""

    id: Id
    title: PlainText
    summary: Text | None = None
    used_by: list[ActorRef] = Field([], description="Hvem som bruker sjekklisten.")
    based_on: PlainText | None = Field(None, description="Hva sjekklisten bygger på.")
    steps: list[ChecklistStep] = Field(min_length=1)
    source: Citation | None = Field(None, description="Kilden (eller editorial:).")
    review: Review


# --- regions: changes to what a region inherits ----------------------------------------------


class Change(Strict):
    """A region's change to an item it inherits from the base (or from the region it extends).

    `override` replaces fields, `extend` adds to list fields, `remove: true` takes the item out.
    Every change says why: the reason is shown on the region's «Regionale tilpasninger» page."""

    target: Id = Field(
        description="Id-en til det som endres, fra basen eller regionen det arves fra."
    )
    why: Text = Field(description="Hvorfor regionen gjør det annerledes (vises på nettstedet).")
    override: dict[str, Any] | None = Field(
        None, description='Felt som erstattes, med nye verdier, f.eks. {number: "..."}.'
    )
    extend: dict[str, list[Any]] | None = Field(
        None, description="Listefelt som får nye elementer på slutten, f.eks. {statements: [...]}."
    )
    remove: bool = Field(False, strict=True, description="true: regionen tar elementet ut.")
    source: Citation | None = Field(
        None,
        description="Kilden for endringen og begrunnelsen (why). Det endringen legger til, "
        "har egen source:, eller kilden endringen gir det den endrer (override: source:).",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> "Change":
        if self.remove and (self.override or self.extend):
            raise ValueError("en endring kan ikke både fjerne (remove) og endre; del den i to")
        if not (self.remove or self.override or self.extend):
            raise ValueError(
                "endringen gjør ingenting; skriv override:, extend: eller remove: true"
            )
        return self


# --- the handbook ----------------------------------------------------------------------------


def check_email_address(value: str) -> str:
    """One plain address, so a mailto: link can never carry more than it (no «?», «,», «&»)."""
    if not re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", value):
        raise PydanticCustomError(
            "bad-url",
            "{message}",
            {
                "message": f"«{value[:120]}» er ikke en e-postadresse",
                "hint": "skriv én adresse, f.eks. postmottak@helseforetak.no, uten mailto: foran",
            },
        )
    return value


EmailAddress = Annotated[
    str,
    Field(description="Én e-postadresse, f.eks. postmottak@helseforetak.no"),
    AfterValidator(check_email_address),
]


class HandbookInfo(Strict):
    id: Id
    title: PlainText
    region: PlainText
    health_community: PlainText
    revision: PlainText
    maintainer: OrganisationRef
    primary_source: SourceRef
    extends: Id | None = Field(
        None,
        description="For en region: id-en til regionen den bygger på. Utelatt: basen.",
    )
    description: Text | None = Field(None, description="Kort om regionen (vises på forsiden).")
    feedback_email: EmailAddress | None = Field(
        None,
        description=(
            "E-postadressen forslag til endringer sendes til. «Foreslå endring» på hver side og "
            "hvert utsagn åpner da en ferdig utfylt e-post (side, utsagnets id og lenke, "
            "revisjon). Skriv bare inn en adresse kilden oppgir for dette."
        ),
    )
    feedback_url: HttpsUrl | None = Field(
        None,
        description=(
            "Nettadresse til et skjema for forslag (f.eks. en ny sak i GitLab eller GitHub), "
            "brukt når det ikke er oppgitt e-post. Lenken får tittel og tekst med side, id og "
            "revisjon som parametrene «title» og «body»."
        ),
    )
    accessibility_statement: HttpsUrl | None = Field(
        None,
        description=(
            "Adressen til tilgjengelighetserklæringen på uustatus.no "
            "(https://uustatus.no/nb/erklaringer/publisert/...). Vises i bunnteksten og på "
            "«Om håndboka»."
        ),
    )


class ContentFile(Strict):
    """One YAML file in content/. Each key holds a list of entities of one kind."""

    handbook: HandbookInfo | None = None
    sources: list[Source] = []
    actors: list[Actor] = []
    organisations: list[Organisation] = []
    topics: list[Topic] = []
    routes: list[Route] = []
    message_types: list[MessageType] = []
    decision_aid: list[DecisionStep] = Field(
        [], description="Beslutningsstøtten «Hvilken kanal?», spørsmål i rekkefølge."
    )
    cards: list[Card] = Field([], description="Kort og plakater til utskrift.")
    glossary: list[Term] = []
    frameworks: list[Framework] = Field([], description="Rammeverk for samhandling.")
    collaboration: list[Collaboration] = Field(
        [], description="Helsefellesskapets organer og hvordan en sak går mellom dem."
    )
    checklists: list[Checklist] = Field([], description="Sjekklister, steg for steg.")
    changes: list[Change] = Field(
        [], description="En regions endringer av det den arver (override, extend, remove)."
    )


def holds_markdown(model: type[BaseModel], name: str) -> bool:
    """Whether a field of `model` holds Markdown text (`Text`, or a list of it), as opposed to
    plain text: the renderers show the one as Markdown and escape the other."""
    field = model.model_fields.get(name)
    if field is None:
        return False

    def markdown(annotation: Any, metadata: list[Any]) -> bool:
        if any(getattr(m, "func", None) is check_markdown_subset for m in metadata):
            return True
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) is Annotated:
            return markdown(args[0], list(args[1:]))
        return any(markdown(arg, []) for arg in args)

    return markdown(field.annotation, list(field.metadata))


# Collection key in a ContentFile -> the entity kind its items have.
COLLECTIONS: dict[str, str] = {
    "sources": "source",
    "actors": "actor",
    "organisations": "organisation",
    "topics": "topic",
    "routes": "route",
    "message_types": "message_type",
    "decision_aid": "decision",
    "cards": "card",
    "glossary": "term",
    "frameworks": "framework",
    "collaboration": "collaboration",
    "checklists": "checklist",
}

# Nested entities that have their own ids: (field name) -> kind.
NESTED_ENTITIES: dict[str, str] = {
    "statements": "statement",
    "use": "rule",
    "never_use": "rule",
    "addressing": "rule",
    "content_rules": "rule",
    "facts": "rule",
    "levels": "framework_level",
    "components": "framework_component",
    "escalation": "escalation_step",
    "flows": "case_flow",
    "steps": "checklist_step",
}
