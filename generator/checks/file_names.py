"""Ids that become file and folder names: too long, reserved on Windows, or a portal path.

Why a check and not only the id pattern: an id names `emner/<id>/`, `sjekklister/<id>/`,
`kort/<id>.pdf`, a region's site folder `<out>/<id>/` and the portal's `sammenlign/<id>/`.
A name the file system refuses (too long, `con` on Windows) would pass validation and crash the
build; a region id equal to one of the portal's own paths would overwrite that region's start
page with the portal's. Every top-level id is checked, not only the kinds that are files today,
so a new page per entity cannot bring the problem back. Nested ids (`emne.utsagn`) are never
file names, and they start with their parent's id: only their length is checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.core.diagnostics import Diagnostic
from generator.core.handbook import Handbook

# The real content's longest id has 53 characters (a statement: chapter id + its own part).
# File systems allow 255 bytes for a name; 80 leaves room for suffixes and deep paths.
MAX_ID_LENGTH = 80

# Device names Windows will not use for a file, with any extension ("con.txt" is "con").
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
)

# What `generator.site.portal` writes at the top of the output, beside the regions' site folders
# (`out/<region>/`); tests/test_file_names.py renders the portal and compares. The comparison's
# overview is `sammenlign/index.html`, beside one folder per chapter.
PORTAL_INDEX = "index.html"
COMPARE_FOLDER = "sammenlign"  # generator.site.navigation.COMPARE_FOLDER: checks import only core
PORTAL_PATHS = (PORTAL_INDEX, COMPARE_FOLDER, "portal.css")
# And what the internal build writes there (generator.build.swap.AUDIT_FOLDER).
TOP_PATHS = (*PORTAL_PATHS, "revisjon")

Problem = tuple[str, str, str]  # code, message, hint


def id_problem(item_id: str, nested: bool = False) -> Problem | None:
    """Why `item_id` cannot be a file or folder name, or None. `nested`: an id inside another
    entity (never a file name by itself)."""
    if len(item_id) > MAX_ID_LENGTH:
        return (
            "id-too-long",
            f"id-en «{item_id[:40]}…» er {len(item_id)} tegn lang; maks er {MAX_ID_LENGTH}",
            "id-en blir et filnavn; velg en kortere id, og bruk den også der andre viser til den",
        )
    stem = item_id.split(".", 1)[0]
    if not nested and stem in WINDOWS_RESERVED:
        return (
            "reserved-id",
            f"«{item_id}» kan ikke brukes som id: Windows godtar ikke «{stem}» som filnavn",
            "velg en annen id; CON, PRN, AUX, NUL, COM0–COM9 og LPT0–LPT9 er reservert, "
            "også med endelse (som «con.txt»)",
        )
    return None


def region_id_problem(region_id: str) -> Problem | None:
    """Why a region id cannot be its site's folder beside the portal, or None."""
    if region_id in TOP_PATHS:
        return (
            "region-portal-path",
            f"«{region_id}» kan ikke være id for en region: portalen bruker «{region_id}» "
            "til sine egne sider, og de ville overskrevet regionens nettsted",
            "gi regionen en annen id, f.eks. regionens navn; portalen bruker "
            + ", ".join(f"«{p}»" for p in TOP_PATHS),
        )
    return id_problem(region_id)


def topic_id_problem(topic_id: str) -> Problem | None:
    """A chapter's comparison page is `sammenlign/<id>/`, beside the comparison's own index."""
    if topic_id == PORTAL_INDEX:
        return (
            "topic-portal-path",
            f"«{topic_id}» kan ikke være id for et emne: portalens sammenligning bruker "
            f"«{topic_id}» til oversikten over alle emnene",
            "gi emnet en annen id, f.eks. et ord fra tittelen",
        )
    return None


def check(handbook: Handbook, today: dt.date) -> Iterator[Diagnostic]:
    for entry in handbook.entries.values():
        parent = entry.parent
        if parent is not None and len(parent.id) > MAX_ID_LENGTH:
            continue  # the parent's id is reported already; this one only repeats it
        problem = id_problem(entry.id, nested=parent is not None)
        if problem is None and entry.kind == "topic":
            problem = topic_id_problem(entry.id)
        if problem is not None:
            yield entry.file.diagnostic((*entry.loc, "id"), *problem)
    view = handbook.region
    if view is not None:
        problem = region_id_problem(view.region.id)
        if problem is not None:
            yield view.region.declaration.diagnostic(("handbook", "id"), *problem)
