"""`handbook publish`: a finished build goes live in one rename, and back again with --rollback.

    DIR/releases/<id>/site/               the public edition (the portal and every region)
    DIR/releases/<id>/internal/intern/    the internal edition, served under /intern/
    DIR/releases/<id>/release.json        id, revision, time, the CSP hashes of its pages
    DIR/current -> releases/<id>          the web server's root; switched with os.replace
    DIR/csp.conf                          the Content-Security-Policy nginx includes

Why the internal edition sits in `internal/intern/`: nginx then serves `/intern/...` with a plain
`root`, so `try_files`, `index` and `error_page` work as for the public edition (no `alias`).

Why one csp.conf for all kept releases: nginx reads an `include` when it starts or reloads, not
per request. The policy allows the inline scripts of every kept release, so a rollback never
needs a reload; only a release with a new inline script does (`--reload` runs the command
before the switch, so nginx knows the new hashes before any reader gets the new pages).

Only the standard library: `deploy/serve` imports this module from a plain Python too.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

RELEASES, CURRENT, CSP_CONF, RELEASE_JSON = "releases", "current", "csp.conf", "release.json"
PUBLIC, INTERNAL = "site", "internal/intern"
# Text worth compressing; Pagefind's index files and the PDFs are compressed already.
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".svg", ".map", ".txt", ".webmanifest"}
NOT_FOUND_TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "404.html"
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


class PublishError(Exception):
    """Publishing stopped; the message says why (in Norwegian), and `current` is unchanged."""


# --- the content security policy ---------------------------------------------------------------


# Why regular expressions and not html.parser: these pages come from our own build (MkDocs and
# Material), and the parser took seconds per release. A script ends at the first `</script`, as
# in the HTML standard. A hash too many only allows more of our own code; one too few is caught
# by the browser test (tests/browser/test_deploy_browser.py counts CSP violations).
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_STYLE_ATTR = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
_SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)


def _inline_code(text: str) -> tuple[set[str], set[str]]:
    """The inline scripts a browser would run, and the inline styles (elements, attributes)."""
    scripts = set()
    for match in _SCRIPT.finditer(text):
        attrs, body = match.groups()
        kind = _TYPE_ATTR.search(attrs)
        if not _SRC_ATTR.search(attrs) and (kind.group(1) if kind else "").lower() in JS_TYPES:
            scripts.add(body)
    rest = _SCRIPT.sub("", text)
    styles = {m.group(1) for m in _STYLE.finditer(rest)}
    styles |= {html.unescape(a if a is not None else b) for a, b in _STYLE_ATTR.findall(rest)}
    return scripts, styles


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


@dataclass
class InlineHashes:
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)

    def __or__(self, other: InlineHashes) -> InlineHashes:
        return InlineHashes(self.scripts | other.scripts, self.styles | other.styles)


def inline_hashes(site: Path) -> InlineHashes:
    """The sha256 of every inline script and style in the HTML under `site`."""
    found = InlineHashes()
    for page in sorted(site.rglob("*.html")):
        scripts, styles = _inline_code(page.read_text(encoding="utf-8"))
        found.scripts |= {_sha256(s) for s in scripts}
        found.styles |= {_sha256(s) for s in styles}
    return found


def csp_policy(hashes: InlineHashes) -> str:
    """The policy: only this origin, the theme's inline scripts by hash, no frames, no plugins.

    'wasm-unsafe-eval' lets Pagefind compile its WebAssembly (it allows no JavaScript eval).
    Styles: the pages have `style="..."` attributes (Markdown tables' alignment) and Material
    sets styles from script; 'unsafe-hashes' allows exactly the attribute values found here."""
    quoted = lambda values: "".join(f" '{v}'" for v in sorted(values))  # noqa: E731
    styles = f" 'unsafe-hashes'{quoted(hashes.styles)}" if hashes.styles else ""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'wasm-unsafe-eval'{quoted(hashes.scripts)}; "
        f"style-src 'self'{styles}; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
        "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def csp_conf(hashes: InlineHashes) -> str:
    """csp.conf: the nginx `set` the server block includes (deploy/nginx/headers.conf sends it)."""
    return (
        "# Written by `handbook publish` / deploy/serve from the built pages; do not edit.\n"
        f'set $handbok_csp "{csp_policy(hashes)}";\n'
    )


# --- preparing a build for the web server ------------------------------------------------------


def precompress(site: Path) -> int:
    """Write `<file>.gz` beside every text file (gzip -9, no timestamp) for nginx's gzip_static.
    Returns how many were written; an up-to-date .gz is left alone."""
    written = 0
    for path in sorted(site.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        target = path.with_name(path.name + ".gz")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        target.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        written += 1
    return written


def add_not_found_page(site: Path, home: str) -> None:
    """A 404 page for the portal level (MkDocs makes one per region only)."""
    page = site / "404.html"
    if not page.exists():
        text = Template(NOT_FOUND_TEMPLATE.read_text(encoding="utf-8")).substitute(home=home)
        page.write_text(text, encoding="utf-8")


def prepare(public: Path, internal: Path | None) -> InlineHashes:
    """Make a build ready for nginx (404 page, .gz files); the CSP hashes of its pages."""
    hashes = InlineHashes()
    for site, home in ((public, "/"), (internal, "/intern/")):
        if site is None:
            continue
        add_not_found_page(site, home)
        precompress(site)
        hashes |= inline_hashes(site)
    return hashes


# --- releases ----------------------------------------------------------------------------------


def _revision() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def releases(to: Path) -> list[str]:
    """The release ids in DIR/releases, oldest first (ids begin with their UTC time)."""
    folder = to / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current(to: Path) -> str | None:
    link = to / CURRENT
    if not link.is_symlink():
        if link.exists():
            raise PublishError(f"«{link}» er ikke en symbolsk lenke; flytt den bort først")
        return None
    return Path(os.readlink(link)).name


def _switch(to: Path, release: str) -> None:
    """Point DIR/current at the release in one atomic rename."""
    staging = to / f".{CURRENT}.new-{os.getpid()}"
    staging.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{release}", staging)
    os.replace(staging, to / CURRENT)


def _hashes_of(to: Path, release: str) -> InlineHashes:
    data = json.loads((to / RELEASES / release / RELEASE_JSON).read_text(encoding="utf-8"))
    return InlineHashes(set(data["csp"]["scripts"]), set(data["csp"]["styles"]))


def _update_csp(to: Path, kept: list[str], reload: str | None) -> list[str]:
    """Write DIR/csp.conf for the kept releases; run `reload` if the policy allows more than
    before. Returns the messages for the operator."""
    union = InlineHashes()
    for release in kept:
        union |= _hashes_of(to, release)
    path = to / CSP_CONF
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    wanted = csp_conf(union)
    if old == wanted:
        return []
    first = not old
    staging = path.with_name(f".{CSP_CONF}.new-{os.getpid()}")
    staging.write_text(wanted, encoding="utf-8")
    os.replace(staging, path)
    if reload:
        result = subprocess.run(reload, shell=True, capture_output=True, text=True)
        if result.returncode != 0:
            raise PublishError(
                f"«{reload}» feilet ({result.returncode}): {result.stderr.strip()}; "
                "nettstedet er ikke byttet"
            )
        return [f"CSP-en er oppdatert, og «{reload}» er kjørt."]
    if first:
        return [f"Skrev {path}; nginx-oppsettet tar den med (se deploy/README.md)."]
    return [
        f"CSP-en i {path} er endret: last inn nginx på nytt (f.eks. «systemctl reload nginx»); "
        "til da kan nye sider få innebygde skript blokkert."
    ]


@dataclass
class Published:
    release: str
    previous: str | None
    removed: list[str]
    messages: list[str]


def publish(
    to: Path, public: Path, internal: Path | None, keep: int = 5, reload: str | None = None
) -> Published:
    """Copy the build into a new release, prepare it, and switch `current` to it."""
    if not (public / "index.html").is_file():
        raise PublishError(f"«{public}» ser ikke ut som et ferdig bygg (mangler index.html)")
    if internal is not None and not (internal / "index.html").is_file():
        raise PublishError(f"«{internal}» ser ikke ut som et ferdig bygg (mangler index.html)")
    previous = current(to)
    now = dt.datetime.now(dt.UTC)
    release = now.strftime("%Y%m%dT%H%M%S%fZ")
    if revision := _revision():
        release += f"-{revision}"
    (to / RELEASES).mkdir(parents=True, exist_ok=True)
    incoming = to / RELEASES / f".incoming-{release}"
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        shutil.copytree(public, incoming / PUBLIC, symlinks=False)
        if internal is not None:
            shutil.copytree(internal, incoming / INTERNAL, symlinks=False)
        hashes = prepare(incoming / PUBLIC, incoming / INTERNAL if internal is not None else None)
        info = {
            "id": release,
            "revision": revision,
            "published": now.isoformat(timespec="seconds"),
            "editions": ["public", *(["internal"] if internal is not None else [])],
            "csp": {"scripts": sorted(hashes.scripts), "styles": sorted(hashes.styles)},
        }
        (incoming / RELEASE_JSON).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        incoming.rename(to / RELEASES / release)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    kept = releases(to)[-keep:]
    # The policy also covers the release readers have now, until the switch is done.
    live = [previous] if previous is not None and previous not in kept else []
    messages = _update_csp(to, live + kept, reload)
    _switch(to, release)
    removed = [r for r in releases(to) if r not in kept]
    for old in removed:
        shutil.rmtree(to / RELEASES / old, ignore_errors=True)
    return Published(release, previous, removed, messages)


def rollback(to: Path) -> Published:
    """Switch `current` back to the release before it."""
    now = current(to)
    if now is None:
        raise PublishError(f"ingen utgave er publisert i «{to}»")
    older = [r for r in releases(to) if r < now]
    if not older:
        raise PublishError(f"ingen eldre utgave å gå tilbake til (nå: {now})")
    _switch(to, older[-1])
    return Published(older[-1], now, [], [])


def publish_cli(
    to: Path, public: Path, internal: Path, keep: int, back: bool, reload: str | None
) -> int:
    """`handbook publish`: 0 done, 1 nothing to do or a refused step, 2 a wrong argument or a
    file-system problem. PublishError (exit 1) is left to the caller to print."""
    import sys

    say = lambda text: print(text, file=sys.stderr)  # noqa: E731
    try:
        if back:
            done = rollback(to)
            say(f"OK: tilbake til {done.release} (var {done.previous}); {to / CURRENT} er byttet.")
            return 0
        if not (public / "index.html").is_file():
            say(f"handbook: finner ikke et ferdig bygg i «{public}»; kjør «make site» først")
            return 2
        with_internal = internal if (internal / "index.html").is_file() else None
        done = publish(to, public, with_internal, keep, reload)
    except OSError as exc:
        say(f"handbook: kunne ikke publisere: {exc.strerror or exc} ({exc.filename or to})")
        return 2
    editions = "begge utgavene" if with_internal is not None else "den åpne utgaven"
    say(f"OK: {done.release} er publisert ({editions}); {to / CURRENT} peker dit.")
    if with_internal is None:
        say(f"(ingen intern utgave i «{internal}»: /intern/ gir 404 til den publiseres)")
    if done.removed:
        say(f"Fjernet eldre utgaver: {', '.join(done.removed)}.")
    for message in done.messages:
        say(message)
    return 0
