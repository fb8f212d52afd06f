"""Errors in the live preview (`mkdocs serve`): a banner on every page, never a stuck server.

Why: MkDocs' server waits for a build that succeeds before it answers a page request, so a
plugin that raises on a content error leaves every request hanging, and a first build that
raises ends the server. Under `serve` the plugin keeps the last good pages (or, started broken,
one page that says so) and hands these problems to the theme (`partials/preview-errors.html`),
which escapes every field: the messages quote content.
"""

from __future__ import annotations

import html
import logging
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.build.worker import PreparedSite, SitePage

# The lines of a report from the worker: `Diagnostic.format()`, one per problem.
_DIAGNOSTIC = re.compile(
    r"(?P<where>.+?:\d+:\d+): (?:error|warning): (?P<message>.*?)(?: \[[\w-]+\])?"
)
_HINT = "    hint: "


@dataclass(frozen=True)
class Problem:
    where: str  # "path:line:col", or "" when the problem has no place in a file
    message: str
    hint: str = ""


def problems_from_report(report: str) -> list[Problem]:
    """The problems in a worker's report (a title line, then `Diagnostic.format()` lines). A
    line that is not a diagnostic is kept as a message of its own, so nothing is lost."""
    problems: list[Problem] = []
    for line in report.splitlines()[1:]:
        if line.startswith(_HINT) and problems:
            last = problems[-1]
            problems[-1] = Problem(last.where, last.message, line[len(_HINT) :])
        elif (match := _DIAGNOSTIC.fullmatch(line)) is not None:
            problems.append(Problem(match["where"], match["message"]))
        elif line.strip():
            problems.append(Problem("", line.strip()))
    return problems or [Problem("", report.strip())]


def problem_from_exception(exc: BaseException) -> Problem:
    """A crash while the pages were made (a page template with a mistake, say), placed at the
    innermost template line in the traceback when there is one."""
    where = ""
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if filename and lineno:  # a Jinja2 syntax error names its template
        where = f"{filename}:{lineno}:1"
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if not frame.filename.endswith(".py") and frame.lineno:
                where = f"{frame.filename}:{frame.lineno}:1"
                break
    return Problem(
        where,
        f"sidene kunne ikke lages: {type(exc).__name__}: {exc}",
        "feilen er i en sidemal eller i generatoren, ikke i innholdet; rett malen, eller meld "
        "feilen til utviklerne med utskriften fra terminalen",
    )


ERROR_PAGE = """# Innholdet har feil

Forhåndsvisningen har ingen sider å vise ennå: innholdet hadde feil allerede da den startet.
Feilene står øverst på siden, med fil, linje og kolonne. Rett dem og lagre filen, så lages
sidene og denne siden lastes inn på nytt av seg selv.
"""


def error_site() -> PreparedSite:
    """What the preview serves when it started with broken content: one page, the banner."""
    page = SitePage("index.md", "Innholdet har feil", ERROR_PAGE)
    return PreparedSite("Forhåndsvisning", [page], {}, [], None)


log = logging.getLogger("mkdocs.plugins.handbook")

_CRASH_PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Forhåndsvisningen har en feil</title></head>
<body style="font-family:sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem">
<h1>Forhåndsvisningen kunne ikke lage sidene</h1>
<p>Feilen er ikke i innholdet, men i nettstedets maler eller oppsett
(<code>overrides/theme/</code>, <code>mkdocs.yml</code>):</p>
<pre style="white-space:pre-wrap;background:#fff4f4;padding:1rem">{error}</pre>
<p>Rett feilen og lagre filen, og last så inn siden på nytt.</p>
</body></html>
"""


def guarded(builder: Callable[[], None], site_dir: Path) -> Callable[[], None]:
    """MkDocs' rebuild, for `on_serve`: a failure that is not the content's (a theme template,
    mkdocs.yml) gives every page an error page instead of a server that waits for ever. MkDocs
    has emptied the site folder, and it serves `404.html` for every page that is missing."""

    def build() -> None:
        try:
            builder()
        except (Exception, SystemExit) as exc:  # MkDocs' Abort (--strict) is a SystemExit
            log.error("Forhåndsvisningen kunne ikke lage sidene", exc_info=True)
            error = html.escape(f"{type(exc).__name__}: {exc}")
            page = _CRASH_PAGE.format(error=error).encode()
            site_dir.mkdir(parents=True, exist_ok=True)
            for name in ("404.html", "index.html"):
                (site_dir / name).write_bytes(page)

    return build


def summary(problems: list[Problem], kept_old_pages: bool) -> str:
    """The terminal's line for a build with errors: what the browser shows meanwhile."""
    shown = (
        "sidene fra siste bygg uten feil"
        if kept_old_pages
        else "en side med feilene (ingen sider ennå)"
    )
    return (
        f"Forhåndsvisningen viser {shown}, med {len(problems)} feil øverst på hver side; "
        "den lastes inn på nytt av seg selv når feilene er rettet."
    )
