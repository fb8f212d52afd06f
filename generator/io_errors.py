"""Problems with the file system and the configuration, in words an editor understands.

Why: a folder that cannot be written, a file where a folder should be or a full disk is not a bug
in the generator, and not a mistake in the content either; the command says which path and what
to do about it, without a traceback (exit 2, like a mistake in the command itself).
An OSError without an errno is not the operating system's: it stays an internal error.
"""

from __future__ import annotations

import errno
import urllib.parse
from pathlib import Path

Explained = tuple[str, str | None]  # message, hint


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest of `path` and the folders above it that exists and is not a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return None if candidate.is_dir() else candidate
    return None


def explain(exc: OSError, fallback: Path | None = None) -> Explained:
    """The message and hint for an OSError; `fallback` names the path when the error has none
    (a failed write, such as a full disk, often does not say which file it was)."""
    name = exc.filename if exc.filename is not None else fallback
    path = Path(str(name)) if name is not None else None
    where = f"«{path}»" if path is not None else "filen"
    code = exc.errno
    if code in (errno.ENOTDIR, errno.EEXIST) and path is not None:
        blocker = _file_in_the_way(path)
        if blocker is not None:
            return (
                f"«{blocker}» er en fil, men må være en mappe",
                "velg en annen mappe, eller flytt eller slett filen",
            )
        if code == errno.EEXIST:
            return f"{where} finnes allerede", "velg et annet navn, eller fjern det som er der"
    denied = code in (errno.EACCES, errno.EPERM, errno.EROFS)
    if denied and path is not None and not path.exists() and path.parent.is_dir():
        where = f"mappen «{path.parent}»"  # what could not be made there
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"har ikke tilgang til {where}",
            "sjekk at du har lov til å lese og skrive der (ls -l), eller velg en annen mappe",
        )
    if code == errno.EROFS:
        return f"{where} ligger på en disk som bare kan leses", "velg en mappe du kan skrive i"
    if code in (errno.ENOSPC, errno.EDQUOT):
        what = "disken er full" if code == errno.ENOSPC else "diskkvoten din er brukt opp"
        return (
            f"{what}; fikk ikke skrevet {where}",
            "frigjør plass og prøv igjen, eller velg en mappe på en annen disk",
        )
    if code == errno.EISDIR:
        return f"{where} er en mappe, men må være en fil", "velg en fil, ikke en mappe"
    if code == errno.ENOENT:
        return f"finner ikke {where}", "sjekk at stien er skrevet riktig"
    if code == errno.ENAMETOOLONG:
        return f"navnet er for langt for filsystemet: {where}", "velg en kortere sti"
    if code == errno.ELOOP:
        return f"{where} er en symbolsk lenke som går i ring", "rett eller fjern lenken"
    if code == errno.EIO:
        return f"lese- eller skrivefeil på disken ved {where}", "sjekk disken, og prøv igjen"
    return f"kunne ikke lese eller skrive {where} ({exc.strerror or 'ukjent feil'})", None


def report(exc: OSError, fallback: Path | None = None) -> str:
    message, hint = explain(exc, fallback)
    return f"handbook: {message}" + (f"\n    hint: {hint}" if hint else "")


def site_url_problem(url: str) -> str | None:
    """Why `site_url` is not an address QR codes and links can use, or None (empty is allowed:
    the tools warn about a missing address where it matters)."""
    if not url:
        return None
    if any(c.isspace() or c in "\"'<>\\`" or ord(c) < 32 or ord(c) == 127 for c in url):
        return "den har mellomrom, anførselstegn, vinkelparenteser eller kontrolltegn"
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return "den kan ikke leses som en nettadresse"
    if parts.scheme not in ("https", "http"):
        return "den må begynne med https://"
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        return "den mangler et vertsnavn som «handbok.sshf.no»"
    if parts.query or parts.fragment:
        return "den kan ikke ha «?» eller «#»"
    return None
