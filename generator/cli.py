"""The `handbook` command: a thin adapter over the pipeline.

Exit codes: 0 clean, 1 content errors (or warnings with --strict), 2 usage errors and problems
with the file system or mkdocs.yml (no access, a file where a folder should be, a full disk: see
`generator.io_errors`), 3 an internal error (a bug in the generator, never the editor's fault).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.diagnostics import Level
from generator.io_errors import report as io_report
from generator.io_errors import site_url_problem

if TYPE_CHECKING:
    from generator.core.handbook import Handbook

# The content pipeline (pydantic and the model) is imported by the commands that use it, inside
# `main`: its import then runs with the garbage collector's threshold raised (_few_collections).

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
CONTENT_HELP = "innholdsmappen (standard: content)"


# argparse's own texts (its gettext message ids, Python 3.11) in Norwegian. Every message the
# command prints starts with «handbook: »; a mistake in the command also says «feil i kommandoen».
_ARGPARSE_NB = {
    "usage: ": "bruk: ",
    "positional arguments": "argumenter",
    "options": "valg",
    "show this help message and exit": "vis denne hjelpen og avslutt",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "the following arguments are required: %s": "dette mangler: %s",
    "one of the arguments %s is required": "ett av argumentene %s må være med",
    "not allowed with argument %s": "kan ikke brukes sammen med %s",
    "ignored explicit argument %r": "verdien %r hører ikke til dette valget",
    "expected one argument": "mangler en verdi",
    "expected at most one argument": "tar høyst én verdi",
    "expected at least one argument": "trenger minst én verdi",
    "expected %s argument": "trenger %s verdi",
    "expected %s arguments": "trenger %s verdier",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s er tvetydig: det kan bety %(matches)s"
    ),
    "unexpected option string: %s": "uventet valg: %s",
    "invalid %(type)s value: %(value)r": "ugyldig verdi: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ugyldig valg: %(value)r (velg en av %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukjent kommando %(parser_name)r (velg en av %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan ikke åpne «%(filename)s»: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil i kommandoen: %(message)s\n",
}


@contextlib.contextmanager
def _norwegian_argparse() -> Iterator[None]:
    """argparse in Norwegian while the command line is read. Why swap its gettext functions:
    argparse has no other way to translate (its texts come from `_()` and `ngettext()` as it
    runs), and a catalog would need compiled .mo files. Only for the duration, so an importer
    of this module (pytest, say) keeps its own argparse."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def translate(message: str) -> str:
        return _ARGPARSE_NB.get(message, message)

    def translate_n(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural)

    argparse._, argparse.ngettext = translate, translate_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


# What the help shows for an option's value, by its name (argparse would print «--content CONTENT»).
_METAVARS = {
    "content": "MAPPE", "out": "MAPPE", "templates": "MAPPE", "releases": "MAPPE",
    "to": "MAPPE", "site": "MAPPE", "internal": "MAPPE", "sources": "MAPPE",
    "config": "FIL", "html": "FIL", "region": "ID", "days": "DAGER", "keep": "ANTALL",
    "reload": "KOMMANDO", "format": "FORMAT",
}  # fmt: skip


class _Formatter(argparse.HelpFormatter):
    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return _METAVARS.get(action.dest, action.dest.upper())

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return action.dest.upper()


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # argparse exits 2 with usage: keep that, in Norwegian
        self.print_usage(sys.stderr)
        print(f"handbook: feil i kommandoen: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("antall dager kan ikke være negativt")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("må være minst 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handbook", description="Samhandlingshåndboka: bygg og sjekk innholdet.")
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="kommandoer", metavar="KOMMANDO"
    )
    validate = commands.add_parser("validate", help="sjekk alt innhold og vis alle feil")
    validate.add_argument(
        "--content", type=Path, default=Path("content"), help="innholdsmappen (standard: content)"
    )
    validate.add_argument("--strict", action="store_true", help="behandle advarsler som feil")
    validate.add_argument(
        "--region", default=None, help="sjekk bare denne regionen (standard: alle)"
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "github", "gitlab"),
        default="text",
        help="text: for folk (standard); json: for verktøy; github: merknader i en pull request "
        "(GitHub Actions); gitlab: en Code Quality-rapport for en merge request (GitLab CI)",
    )
    build = commands.add_parser(
        "build", help="bygg nettstedet; det gamle erstattes bare når bygget lykkes"
    )
    build.add_argument(
        "--content", type=Path, default=None, help="innholdsmappen (standard: som i mkdocs.yml)"
    )
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        help="mappen nettstedet skal i (standard: site, eller site-internal)",
    )
    build.add_argument(
        "--edition",
        choices=("public", "internal"),
        default="public",
        help="public: den åpne utgaven (standard). internal: med internt innhold",
    )
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml")
    build.add_argument(
        "--region",
        action="append",
        default=None,
        help="bygg bare denne regionen (kan gjentas); standard: alle, hver i sin mappe",
    )
    build.add_argument(
        "--sources",
        type=Path,
        default=None,
        metavar="MAPPE",
        help="kildedokumentene som tekstfiler: den interne utgaven får da revisjonssiden "
        "(hvert punkt ved siden av avsnittet det viser til, som handbook audit)",
    )
    cards = commands.add_parser("cards", help="lag kortene og plakatene som PDF")
    cards.add_argument(
        "--content", type=Path, default=Path("content"), help="innholdsmappen (standard: content)"
    )
    cards.add_argument("--out", type=Path, default=Path("kort"), help="mappen PDF-ene skal i")
    cards.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        help="mkdocs.yml (site_url for QR-kodene)",
    )
    cards.add_argument(
        "--templates", type=Path, default=Path("overrides/cards"), help="Typst-malen og skrifttypen"
    )
    cards.add_argument("--region", default=None, help="regionen kortene lages for")
    schema = commands.add_parser("schema", help="skriv JSON-skjemaet for innholdsfilene")
    schema.add_argument(
        "--check",
        action="store_true",
        help="bare sjekk at schema/handbook.schema.json er oppdatert",
    )
    release = commands.add_parser(
        "release", help="lagre innholdet som ny utgave (grunnlaget for «Hva er nytt»)"
    )
    release.add_argument("--content", type=Path, default=Path("content"), help=CONTENT_HELP)
    release.add_argument(
        "--releases", type=Path, default=Path("releases"), help="utgavemappen (standard: releases)"
    )
    release.add_argument("--region", default=None, help="bare denne regionen (standard: alle)")
    new = commands.add_parser("new", help="lag en mal for nytt innhold (fyll inn alle TODO)")
    new.add_argument("kind", choices=("topic", "route", "message-type"), help="hva du lager")
    new.add_argument("id", help="den nye id-en, f.eks. «akutt-barn»")
    new.add_argument("--content", type=Path, default=Path("content"), help=CONTENT_HELP)
    new.add_argument("--region", default=None, help="regionen det nye innholdet hører til")
    review = commands.add_parser("review", help="vis innhold som skal gjennomgås snart")
    review.add_argument(
        "--days",
        type=_non_negative,
        default=30,
        help="ta med det som forfaller innen så mange dager (standard 30)",
    )
    review.add_argument(
        "--fail-on-overdue", action="store_true", help="avslutt med 1 hvis noe er forfalt (for CI)"
    )
    review.add_argument("--content", type=Path, default=Path("content"), help=CONTENT_HELP)
    review.add_argument("--region", default=None, help="bare denne regionen (standard: alle)")
    fmt = commands.add_parser("fmt", help="ordne felt og innrykk likt i alle innholdsfiler")
    fmt.add_argument(
        "--check",
        action="store_true",
        help="bare sjekk; avslutt med 1 hvis en fil ikke er formatert (for CI)",
    )
    fmt.add_argument("--content", type=Path, default=Path("content"), help=CONTENT_HELP)
    publish = commands.add_parser(
        "publish", help="legg et ferdig bygg ut som ny utgave (byttes inn i én operasjon)"
    )
    publish.add_argument("--to", type=Path, required=True, help="mappen webserveren leser fra")
    publish.add_argument("--site", type=Path, default=Path("site"), help="standard: site")
    publish.add_argument(
        "--internal",
        type=Path,
        default=Path("site-internal"),
        help="den interne utgaven, tas med hvis den finnes (standard: site-internal)",
    )
    publish.add_argument(
        "--keep", type=_positive, default=5, help="behold så mange utgaver (standard 5)"
    )
    publish.add_argument("--rollback", action="store_true", help="gå tilbake én utgave")
    publish.add_argument(
        "--reload", default=None, help="kommando som laster nginx på nytt når CSP-en endres"
    )
    from generator.editor.audit_options import add_command as add_audit_command

    add_audit_command(commands)
    return parser


def _load_or_report(
    content: Path, today: dt.date | None = None, region: str | None = None
) -> Handbook | None:
    """The validated content, or None after printing why not (every diagnostic, once)."""
    from generator.core.pipeline import load_handbook

    result = load_handbook(content, today, region=region)
    for diagnostic in result.diagnostics:
        print(diagnostic.format())
    return result.handbook if result.ok else None


def _not_a_folder(path: Path, what: str = "innholdsmappen") -> str | None:
    """Why `path` cannot be used as the given folder, or None when it is one."""
    if path.is_dir():
        return None
    if path.exists():
        return f"handbook: {what} «{path}» er en fil, men må være en mappe"
    return f"handbook: finner ikke {what} «{path}»"


def _region_problem(content: Path, region: str | None) -> str | None:
    """Why `--region` cannot be used with this content, or None."""
    from generator.core.pipeline import region_ids
    from generator.core.regions import is_regional

    if region is None:
        return None
    if not is_regional(content):
        return f"handbook: innholdet i «{content}» har ingen regioner; ta bort --region {region}"
    from generator.core.regions import DECLARATION, REGIONS_FOLDER

    folders = sorted(p.parent.name for p in (content / REGIONS_FOLDER).glob(f"*/{DECLARATION}"))
    if region not in region_ids(content) and region not in folders:
        return (
            f"handbook: fant ingen region «{region}» i «{content}»; "
            f"regionene er: {', '.join(folders) or 'ingen'}"
        )
    return None


def _each_region(content: Path, region: str | None) -> list[str | None]:
    """The regions a command runs for: the one asked for, else every one (None: no regions)."""
    from generator.core.pipeline import region_ids
    from generator.core.regions import is_regional

    if region is not None or not is_regional(content):
        return [region]
    return [*region_ids(content)]


def validate(content: Path, strict: bool, region: str | None = None, output: str = "text") -> int:
    from generator.core.pipeline import load_handbook
    from generator.core.provenance import share_line
    from generator.core.region_reports import check_regions, ok_line
    from generator.core.regions import is_regional

    if (problem := _not_a_folder(content)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    if (problem := _region_problem(content, region)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    lines: list[str] = []  # «OK ...» and «Redaksjonelt ...», printed when there are no errors
    if region is None and is_regional(content):
        regional = check_regions(content)  # each region's report kept while its files stay
        diagnostics = regional.diagnostics
        for report in regional.reports.values():
            if report is not None and report.ok_line and report.share_line:
                lines += [report.ok_line, report.share_line]
    else:
        result = load_handbook(content, region=region)
        diagnostics, name = result.diagnostics, region or ""
        if result.handbook is not None:
            lines += [ok_line(name, result.handbook), share_line(name, result.handbook)]
    if output == "text":
        for diagnostic in diagnostics:
            print(diagnostic.format())
    else:
        from generator.editor.report_formats import WRITERS

        sys.stdout.write(WRITERS[output](diagnostics))
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = len(diagnostics) - errors
    if errors or (strict and warnings):
        print(f"{errors} feil, {warnings} advarsler.", file=sys.stderr)
        return EXIT_CONTENT
    for line in lines:
        print(line, file=sys.stderr)
    print(f"{warnings} advarsler.", file=sys.stderr)
    return EXIT_OK


def build(
    content: Path | None,
    out: Path,
    config: Path,
    edition: str = "public",
    regions: list[str] | None = None,
    sources: Path | None = None,
) -> int:
    from generator.build.swap import BuildFailed, build_site

    if not config.is_file():
        print(f"handbook: finner ikke «{config}»", file=sys.stderr)
        return EXIT_USAGE
    for folder, what in ((content, "innholdsmappen"), (sources, "kildemappen")):
        if folder is not None and (problem := _not_a_folder(folder, what)) is not None:
            print(problem, file=sys.stderr)
            return EXIT_USAGE
    if (problem := _site_url_error(config)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    import logging

    from mkdocs.exceptions import Abort

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    try:
        site = build_site(config, out, content, edition, regions, sources)
    except Abort as exc:  # mkdocs.yml itself: MkDocs has logged what is wrong above
        print(f"handbook: {config} har feil ({exc}); bygget er ikke startet", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as exc:
        print(exc)
        print(f"Bygget stoppet; det forrige nettstedet i «{out}» er urørt.", file=sys.stderr)
        return EXIT_CONTENT
    pages = sum(1 for _ in site.rglob("index.html"))
    print(f"OK: {pages} sider bygget i {out}.", file=sys.stderr)
    return EXIT_OK


def cards(
    content: Path, out: Path, config: Path, templates: Path, region: str | None = None
) -> int:
    from generator.build.worker import placeholder_site_url, region_site_url
    from generator.cards.render import render_cards

    for path, what in ((content, "innholdsmappen"), (templates, "malmappen")):
        if (problem := _not_a_folder(path, what)) is not None:
            print(problem, file=sys.stderr)
            return EXIT_USAGE
    if (problem := _site_url_error(config)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    site_url = _site_url(config)
    if region is not None:
        site_url = region_site_url(site_url, region)
    handbook = _load_or_report(content, region=region)
    if handbook is None:
        return EXIT_CONTENT
    rendered, problems = render_cards(handbook, templates, site_url)
    for problem in problems:
        print(problem.format())
    if problems:
        print(f"{len(problems)} kort kunne ikke lages; ingen filer er skrevet.", file=sys.stderr)
        return EXIT_CONTENT
    out.mkdir(parents=True, exist_ok=True)
    for card in rendered:
        _write(out / card.filename, card.pdf)
    if placeholder_site_url(site_url):
        print(
            f"handbook: advarsel: site_url «{site_url}» i {config} er en plassholder; sett den "
            "ekte adressen før kortene skrives ut, ellers peker QR-kodene ingen steder.",
            file=sys.stderr,
        )
    print(f"OK: {len(rendered)} kort i {out}.", file=sys.stderr)
    return EXIT_OK


def schema(check: bool) -> int:
    from generator.editor.schema import SCHEMA_PATH, schema_text

    wanted = schema_text()
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
    if check:
        if current != wanted:
            print(f"{SCHEMA_PATH} er utdatert i forhold til modellen; kjør «handbook schema»")
            return EXIT_CONTENT
        print(f"OK: {SCHEMA_PATH} er oppdatert.", file=sys.stderr)
        return EXIT_OK
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    _write(SCHEMA_PATH, wanted.encode("utf-8"))
    print(f"Skrev {SCHEMA_PATH}.", file=sys.stderr)
    return EXIT_OK


def release(content: Path, releases: Path, region: str | None = None) -> int:
    from generator.core.editions import edition_view
    from generator.core.export import export_text

    regions = _each_region(content, region)
    handbooks = [(r, _load_or_report(content, region=r)) for r in regions]
    if any(h is None for _, h in handbooks):
        return EXIT_CONTENT
    for name, handbook in handbooks:
        assert handbook is not None
        folder = releases / name if name else releases  # one history per region
        target = folder / f"{dt.date.today().isoformat()}.json"
        folder.mkdir(parents=True, exist_ok=True)
        _write(target, export_text(edition_view(handbook, "public")).encode("utf-8"))
        print(f"Ny utgave lagret i {target}; «Hva er nytt» sammenligner med den.", file=sys.stderr)
    return EXIT_OK


def new(kind: str, item_id: str, content: Path, region: str | None = None) -> int:
    from generator.editor.scaffold import ScaffoldError, new_item

    try:
        path = new_item(content, kind, item_id, dt.date.today(), region)  # type: ignore[arg-type]
    except ScaffoldError as exc:
        print(f"handbook: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    print("Fyll inn alt som står TODO, og kjør «handbook validate».", file=sys.stderr)
    return EXIT_OK


def review(days: int, fail_on_overdue: bool, content: Path, region: str | None = None) -> int:
    from generator.editor.review_report import due_items, format_table

    if (problem := _not_a_folder(content)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    today = dt.date.today()
    handbooks = [_load_or_report(content, today, r) for r in _each_region(content, region)]
    if any(h is None for h in handbooks):
        return EXIT_CONTENT
    items = sorted(
        {i for h in handbooks if h is not None for i in due_items(h, today, days)},
        key=lambda i: (i.next_review, i.path, i.line),
    )
    print(format_table(items, today))
    return EXIT_CONTENT if fail_on_overdue and any(i.overdue for i in items) else EXIT_OK


def fmt(check: bool, content: Path) -> int:
    from generator.core.pipeline import content_files
    from generator.editor.fmt import FormatError, format_file

    if (problem := _not_a_folder(content)) is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    changed, broken = [], 0
    for path in content_files(content):
        try:
            if not format_file(path, check):
                changed.append(path)
        except FormatError as exc:
            broken += 1
            print(exc.diagnostic().format())
    for path in changed:
        print(f"{path}: {'ikke formatert' if check else 'formatert'}")
    if broken:
        return EXIT_CONTENT
    if check and changed:
        print(f"{len(changed)} filer er ikke formatert; kjør «handbook fmt».", file=sys.stderr)
        return EXIT_CONTENT
    print(
        f"OK: {'alle filer er formatert' if check else f'{len(changed)} filer formatert'}.",
        file=sys.stderr,
    )
    return EXIT_OK


def _write(path: Path, data: bytes) -> None:
    """Write a file; an OSError names it even where the system does not (a full disk)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


def _site_url_line(config: Path) -> tuple[str, int, int]:
    """site_url from mkdocs.yml with its line and column, read without loading MkDocs (it is
    plain YAML there)."""
    if not config.is_file():
        return "", 0, 0
    for number, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("site_url:"):
            value = line.split(":", 1)[1].split("#", 1)[0].strip()
            return value.strip("\"'"), number, line.index(value, len("site_url:")) + 1
    return "", 0, 0


def publish(args: argparse.Namespace) -> int:
    from generator.build.publish import PublishError, publish_cli

    try:
        return publish_cli(args.to, args.site, args.internal, args.keep, args.rollback, args.reload)
    except PublishError as exc:
        print(f"handbook: {exc}", file=sys.stderr)
        return EXIT_CONTENT


def _site_url(config: Path) -> str:
    return _site_url_line(config)[0]


def _site_url_error(config: Path) -> str | None:
    """A clear message when site_url in mkdocs.yml is not a usable address, else None."""
    from generator.core.diagnostics import Diagnostic, display_path

    url, line, col = _site_url_line(config)
    why = site_url_problem(url)
    if why is None:
        return None
    return Diagnostic(
        display_path(config),
        line,
        col,
        Level.ERROR,
        "site-url",
        f"site_url «{url}» er ikke en gyldig nettadresse: {why}",
        "skriv hele adressen til nettstedet, f.eks. site_url: https://handbok.sshf.no/",
    ).format()


def _output_of(args: argparse.Namespace) -> Path | None:
    """The path a command writes (or reads), to name when an I/O error does not say which."""
    for name in ("out", "releases", "content"):
        value = getattr(args, name, None)
        if isinstance(value, Path):
            return value
    return None


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector runs seldom while a command runs. Why: importing pydantic
    and building the model makes tens of thousands of objects that live until the process
    ends, and the collector would walk them again and again (about 5 % of `handbook validate`);
    what a command leaves behind is still collected, at the higher threshold (mypy does the
    same). Restored afterwards, for callers in the same process (tests)."""
    saved = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _no_pydantic_plugins() -> None:
    """pydantic looks up plugins (entry points of the group «pydantic») when it builds its
    first validator, and its plugin loader imports importlib.metadata (and email, socket,
    tempfile ...) for that: about 4 % of `handbook validate`. The project installs no such
    plugin (tests/test_cli_startup.py checks it), so the loader is replaced by one that finds
    none, as PYDANTIC_DISABLE_PLUGINS=__all__ would make it answer; that variable alone would
    not skip the import, which is at the top of the loader. A loader already imported stays."""
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "No pydantic plugins (generator.cli)")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugins
        sys.modules[name] = loader


def main(argv: Sequence[str] | None = None) -> int:
    _no_pydantic_plugins()
    with _few_collections():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    with _norwegian_argparse():
        args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.content, args.strict, args.region, args.format)
        if args.command == "build":
            args.out = args.out or Path("site-internal" if args.edition == "internal" else "site")
            return build(
                args.content, args.out, args.config, args.edition, args.region, args.sources
            )
        if args.command == "cards":
            return cards(args.content, args.out, args.config, args.templates, args.region)
        if args.command == "fmt":
            return fmt(args.check, args.content)
        if args.command == "new":
            return new(args.kind, args.id, args.content, args.region)
        if args.command == "review":
            return review(args.days, args.fail_on_overdue, args.content, args.region)
        if args.command == "schema":
            return schema(args.check)
        if args.command == "release":
            return release(args.content, args.releases, args.region)
        if args.command == "publish":
            return publish(args)
        if args.command == "audit":
            from generator.editor.audit import command as audit_command

            return audit_command(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in the generator: say so, never blame the content
        if isinstance(exc, OSError) and exc.errno is not None:  # the system's, not a bug
            print(io_report(exc, _output_of(args)), file=sys.stderr)
            return EXIT_USAGE
        import traceback

        traceback.print_exc(file=sys.stderr)
        print(
            "\nhandbook: intern feil i generatoren (ikke en feil i innholdet ditt).\n"
            "Meld den til utviklerne som en sak i prosjektets repository, med utskriften over.",
            file=sys.stderr,
        )
        return EXIT_BUG
    return EXIT_USAGE


def entry() -> None:
    """The `handbook` command. After `validate` the process ends at once, its output flushed
    (`os._exit`): tearing down the objects it made (the pydantic models and the content) took
    about 50 ms of the editor's wait, and validate leaves nothing to clean up (no threads, no
    processes, no open files; the cache's files are complete before they are renamed)."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["validate"]:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, say
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
