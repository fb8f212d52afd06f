"""The second line of defence: with the validator's markup check switched off, no payload in any
text field of the model reaches a reader as live markup.

Content with every text field (`tests/payloads.py`) is built a few times, each time with other
payloads in each field, so that over the builds every field gets every payload; each build
makes the public and the internal edition (pages, cards, handbook.json). Chromium then loads
every page, fires mouse and focus events at every element, and the DOM is searched for what a
payload would leave behind. Markdown fields carry the payloads the sanitizer lets through (in
the same builds) and, in one more build, those it refuses: that build must stop with an error.

A failure prints a table of (build, field, payload, page, finding, the HTML it produced).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
from pydantic import TypeAdapter, ValidationError

from tests import payloads as P

from .conftest import DESKTOP, ROOT, serve

pytestmark = pytest.mark.browser

BUILDS = 3  # rotations of the payloads over the fields
EDITIONS = ("public", "internal")

# The first line off: the validator's markup check (the test hook) and its Markdown check (no
# hook: replaced by an empty check), then the ordinary command line. The build's forked worker
# inherits both.
RUNNER = """
import sys
try:
    import generator.core.plain_text as plain_text
    plain_text.REFUSE_MARKUP = False
except ImportError:
    pass
import generator.core.text_rules as text_rules
text_rules.markdown_problems = lambda text: []
if sys.argv[1] == "--lenient":
    import mkdocs.config
    load = mkdocs.config.load_config
    mkdocs.config.load_config = lambda *a, **k: load(*a, **{**k, "strict": False})
    del sys.argv[1]
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""
# When a build fails, it is built again without MkDocs' strict mode (as plain `mkdocs build` and
# `mkdocs serve` would publish it), so the browser still sees what a reader would get. The
# failure itself stays a failure (test_every_build_succeeds_with_the_markup_check_off).


def run_cli(*args: str, lenient: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *(["--lenient"] if lenient else []), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


# --- which payloads get into a build -----------------------------------------------------------


def _hook_off() -> Callable[[], None]:
    try:
        import generator.core.plain_text as plain_text
    except ImportError:
        return lambda: None
    before = plain_text.REFUSE_MARKUP
    plain_text.REFUSE_MARKUP = False

    def restore() -> None:
        plain_text.REFUSE_MARKUP = before

    return restore


def _accepted_by(field: P.TextField) -> Callable[[str], bool]:
    """Whether a value passes what is left of the first line with the hook off (e.g. the URL
    parser), or, for Markdown, the renderer's sanitizer."""
    if field.kind == "markdown":
        from generator.site.safe_text import unsafe_difference

        return lambda value: unsafe_difference(value) is None
    adapter = TypeAdapter(P.typing_hint(field))

    def ok(value: str) -> bool:
        restore = _hook_off()
        try:
            adapter.validate_python(value)
            return True
        except ValidationError:
            return False
        finally:
            restore()

    return ok


def _split(items: list[tuple[int, P.Payload]], ok: Callable[[str], bool]):
    accepted: list[tuple[int, P.Payload]] = []
    refused: list[tuple[int, P.Payload]] = []
    for item in items:
        (accepted if ok(P.joined([*accepted, item])) else refused).append(item)
    return accepted, refused


# --- builds ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Build:
    name: str
    content: Path
    values: dict[P.Slot, str]  # the payload-carrying values
    markers: dict[int, tuple[P.Slot, P.Payload]]
    sites: dict[str, Path] = dataclasses.field(default_factory=dict)
    result: subprocess.CompletedProcess[str] | None = None  # the first edition's build
    failed: list[subprocess.CompletedProcess[str]] = dataclasses.field(default_factory=list)
    refused_at_build: list[str] = dataclasses.field(default_factory=list)  # field paths


def _make(
    root: Path,
    name: str,
    values: dict[P.Slot, str],
    markers: dict,
    editions: tuple[str, ...] = EDITIONS,
    lenient: bool = True,
) -> Build:
    all_slots = P.slots()
    clean = {
        s.key: P.clean_token(i, s.field.kind)
        for i, s in enumerate(all_slots)
        if s.field.kind in P.TEXT_KINDS
    }
    values = dict(values)
    build = Build(name, root / name / "content", values, markers)
    for _attempt in range(4):
        content = root / name / "content"
        lines = P.write_content(content, P.fill({**clean, **{s.key: v for s, v in values.items()}}))
        build.sites, build.result = {}, None
        for edition in editions:
            out = root / name / edition
            args = ("build", "--content", str(content), "--out", str(out), "--edition", edition)
            result = run_cli(*args)
            if result.returncode != 0:
                build.failed.append(result)
                if lenient:
                    result = run_cli(*args, lenient=True)
            if result.returncode == 0:
                build.sites[edition] = out
            build.result = build.result or result
        if build.sites or not lenient:
            return build
        # A build error (e.g. the sanitizer refusing a plain value that reached Markdown): take
        # the payloads out of the items it names and build again, so the others are still seen.
        named = _items_named(build.failed[-1].stdout, content, lines)
        dropped = [s for s in values if (s.file, s.where[:2]) in named]
        if not dropped:
            return build
        for slot in dropped:
            build.refused_at_build.append(slot.field.path)
            del values[slot]
    return build


def _items_named(output: str, content: Path, lines: dict) -> set[tuple[str, tuple]]:
    """(file, (collection, index)) of every item an error line of `output` points into."""
    at_line: dict[tuple[str, int], tuple] = {}
    for (file, where), line in lines.items():
        at_line[(file, line)] = where
    named = set()
    for match in re.finditer(r"^(\S+?):(\d+):\d+: error:", output, re.MULTILINE):
        try:
            file = Path(match[1]).resolve().relative_to(content.resolve()).as_posix()
        except ValueError:
            continue
        line = int(match[2])
        where = next(
            (at_line[(file, n)] for n in range(line, line + 5) if (file, n) in at_line), None
        )
        if where is not None:
            named.add((file, tuple(where[:2])))
    return named


@dataclasses.dataclass
class Plan:
    builds: list[Build]
    clean: Build
    refused_markdown: Build | None
    tried: int  # (field, payload) pairs put into some build
    refused_first: list[tuple[str, str]]  # refused by the validator even with the hook off
    refused_sanitizer: list[tuple[str, str]]  # Markdown payloads the sanitizer refuses


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    root = tmp_path_factory.mktemp("payloads")
    checks: dict[str, Callable[[str], bool]] = {}
    builds, tried, refused_first, refused_md = [], 0, [], {}
    for k, cells in enumerate(P.rotation(BUILDS)):
        values: dict[P.Slot, str] = {}
        markers: dict[int, tuple[P.Slot, P.Payload]] = {}
        for slot, items in cells.items():
            ok = checks.setdefault(slot.field.path, _accepted_by(slot.field))
            accepted, refused = _split(items, ok)
            for n, payload in refused:
                if slot.field.kind == "markdown":
                    refused_md.setdefault(slot, []).append((n, payload))
                else:
                    refused_first.append((slot.field.path, payload.name))
            if accepted:
                values[slot] = P.joined(accepted)
                markers.update({n: (slot, p) for n, p in accepted})
                tried += len(accepted)
        builds.append(_make(root, f"build{k + 1}", values, markers))
    clean = _make(root, "clean", {}, {})
    assert not clean.failed and clean.sites, [r.stdout for r in clean.failed]
    refused_build = None
    if refused_md:
        values = {slot: P.joined(items) for slot, items in refused_md.items()}
        markers = {n: (s, p) for s, items in refused_md.items() for n, p in items}
        refused_build = _make(
            root, "markdown-refused", values, markers, editions=("public",), lenient=False
        )
    return Plan(
        builds,
        clean,
        refused_build,
        tried,
        refused_first,
        [(s.field.path, p.name) for s, items in refused_md.items() for _, p in items],
    )


# --- the clean build: where each slot is shown, and the theme's own scripts -------------------


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.srcs: list[str] = []
        self.inline: list[str] = []
        self._in: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.srcs.append(src)
            else:
                self._in = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in is not None:
            self.inline.append("".join(self._in))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._in.append(data)


def page_paths(site: Path) -> dict[str, Path]:
    found = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site)
        if {"assets", "pagefind"} & set(rel.parts):
            continue
        if rel.name == "index.html":
            parent = rel.parent.as_posix()
            found["/" if parent == "." else f"/{parent}/"] = html
        else:
            found[f"/{rel.as_posix()}"] = html
    return found


@dataclasses.dataclass
class Baseline:
    shown: dict[str, dict[int, set[str]]]  # edition -> slot index -> pages that show it
    in_card: dict[str, set[int]]
    in_json: dict[str, set[int]]
    script_srcs: set[str]
    inline_scripts: set[str]


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_TOKEN = re.compile(r"Q(\d+)Z")


def pdf_text(path: Path) -> str:
    """The card's text without Typst's hyphenation points and the break points (zero-width
    spaces) the card template puts into a long token."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace("\u00ad", "").replace("\u200b", "")


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def baseline(plan: Plan) -> Baseline:
    shown: dict[str, dict[int, set[str]]] = {}
    in_card: dict[str, set[int]] = {}
    in_json: dict[str, set[int]] = {}
    srcs: set[str] = set()
    inline: set[str] = set()
    for edition, site in plan.clean.sites.items():
        where: dict[int, set[str]] = {}
        for path, html in page_paths(site).items():
            text = html.read_text(encoding="utf-8")
            for index in map(int, _TOKEN.findall(_SCRIPT.sub("", text))):
                where.setdefault(index, set()).add(path)
            parser = _Scripts()
            parser.feed(text)
            srcs.update(urljoin(path, src) for src in parser.srcs)
            inline.update(parser.inline)
        shown[edition] = where
        in_card[edition] = {
            int(i) for pdf in site.rglob("*.pdf") for i in _TOKEN.findall(pdf_text(pdf))
        }
        in_json[edition] = {
            int(i)
            for exported in site.rglob("handbook.json")
            for s in _strings(json.loads(exported.read_text(encoding="utf-8")))
            for i in _TOKEN.findall(s)
        }
    return Baseline(shown, in_card, in_json, srcs, inline)


# --- the browser ---------------------------------------------------------------------------

_SCAN = r"""() => {
  const findings = [];
  const scripts = [];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
                            "srcdoc", "poster", "background", "ping"]);
  const payloadAttrs = new Set(["x", "autofocus"]);
  const badTags = new Set(["iframe", "frame", "object", "embed", "base", "meta"]);
  // The element's own tag with its attributes (what names the payload), then some context.
  const snippet = el => [el.cloneNode(false).outerHTML.slice(0, 400), el.outerHTML.slice(0, 300)];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    // Pagefind's search box sets autofocus and action="javascript:void(0);" itself.
    if (el.closest(".pagefind-ui") && !el.cloneNode(false).outerHTML.includes("alert(")) continue;
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) findings.push(["event attribute " + name, snippet(el)]);
      else if (payloadAttrs.has(name)) findings.push(["payload attribute " + name, snippet(el)]);
      if (urlAttrs.has(name)) {
        const v = a.value.replace(/[\s\u0000-\u001f]+/g, "").toLowerCase();
        if (/^(javascript|vbscript|data):/.test(v))
          findings.push(["script URL in " + name, snippet(el)]);
      }
    }
    if (tag === "script") scripts.push([el.src || null, el.src ? null : el.textContent]);
    if (tag === "img" && el.getAttribute("src") === "x")
      findings.push(["payload img", snippet(el)]);
    if (badTags.has(tag) && !(tag === "meta" && el.closest("head") && !el.httpEquiv))
      findings.push(["payload tag " + tag, snippet(el)]);
  }
  const parts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const p = walker.currentNode.parentElement;
    if (p && !p.closest("script, style, noscript, template")) parts.push(walker.currentNode.data);
  }
  parts.push(document.title);
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (["title", "aria-label", "alt", "content", "placeholder", "value", "href",
           "data-md-component"].includes(a.name)) parts.push(a.value);
      // The theme shows a `title` as a tooltip made from it as HTML: its text is what a reader
      // reads (the generator escapes tooltips twice for that, see generator/site/escape.py).
      if (a.name === "title") {
        const decode = document.createElement("textarea");
        decode.innerHTML = a.value;
        parts.push(decode.value);
      }
    }
  }
  return {findings, scripts, text: parts.join(" \u0001 ")};
}"""

_RECORD_DIALOGS = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (message) => {
    (window.__dialogs = window.__dialogs || []).push(String(message));
  };
}
"""

_PROVOKE = r"""() => {
  for (const el of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "mouseenter", "focusin", "toggle", "animationstart"]) {
      try { el.dispatchEvent(new Event(type, {bubbles: type !== "mouseenter"})); } catch (e) {}
    }
    try { el.focus({preventScroll: true}); } catch (e) {}
  }
}"""


@dataclasses.dataclass
class Finding:
    build: str
    edition: str
    page: str
    what: str
    html: str
    field: str = "?"
    payload: str = "?"
    own: str = ""  # the element's own start tag: its markers name the payload


@dataclasses.dataclass
class Visited:
    findings: list[Finding]
    texts: dict[tuple[str, str, str], str]  # (build, edition, page) -> page text
    pages: int


_NUMBER = re.compile(r"\d{7}")


def _attribute(build: Build, finding: Finding) -> list[Finding]:
    """One finding per payload marker in it (or the finding as it is, when it has none)."""
    found = []
    for n in sorted({int(x) for x in _NUMBER.findall(finding.own or finding.html)}):
        if n in build.markers:
            slot, payload = build.markers[n]
            found.append(dataclasses.replace(finding, field=slot.field.path, payload=payload.name))
    return found or [finding]


def visit(browser, build: Build, baseline: Baseline) -> tuple[list[Finding], dict, int]:
    findings: list[Finding] = []
    texts: dict[tuple[str, str, str], str] = {}
    count = 0
    for edition, site in build.sites.items():
        with serve(site) as url:
            context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
            context.set_default_timeout(15_000)
            # A modal alert stops the page: record every call instead (a dialog that still
            # opens is caught by the handler below).
            context.add_init_script(_RECORD_DIALOGS)
            page = context.new_page()
            current = {"path": ""}

            def on_dialog(dialog, edition=edition, current=current) -> None:
                findings.append(
                    Finding(build.name, edition, current["path"], "dialog", dialog.message)
                )
                with contextlib.suppress(Exception):  # one already handled by the browser
                    dialog.dismiss()

            def on_error(error, edition=edition, current=current) -> None:
                findings.append(
                    Finding(build.name, edition, current["path"], "pageerror", str(error)[:300])
                )

            page.on("dialog", on_dialog)
            page.on("pageerror", on_error)
            for path in page_paths(site):
                current["path"] = path
                count += 1
                try:
                    page.goto(url + path, wait_until="load")
                except Exception as exc:  # e.g. a dialog loop: the finding names it
                    findings.append(Finding(build.name, edition, path, "no load", str(exc)[:200]))
                    continue
                page.evaluate(_PROVOKE)
                for _ in range(3):
                    page.keyboard.press("Tab")
                header = page.locator("header a, header label").first
                if header.count():
                    with contextlib.suppress(Exception):  # covered or hidden: events fired above
                        header.hover(timeout=2_000)
                scan = page.evaluate(_SCAN)
                for message in page.evaluate("() => window.__dialogs || []"):
                    findings.append(Finding(build.name, edition, path, "dialog", message))
                for what, (own, html) in scan["findings"]:
                    findings.append(Finding(build.name, edition, path, what, html, own=own))
                for src, inline in scan["scripts"]:
                    if src is not None:
                        local = src.removeprefix(url)
                        if local not in baseline.script_srcs:
                            findings.append(
                                Finding(build.name, edition, path, "unknown script", src)
                            )
                    elif inline not in baseline.inline_scripts:
                        findings.append(
                            Finding(build.name, edition, path, "unknown inline script", inline)
                        )
                texts[(build.name, edition, path)] = scan["text"]
            context.close()
    attributed = [a for f in findings for a in _attribute(build, f)]
    return attributed, texts, count


@pytest.fixture(scope="module")
def visited(browser, plan: Plan, baseline: Baseline) -> Visited:
    findings: list[Finding] = []
    texts: dict[tuple[str, str, str], str] = {}
    pages = 0
    for build in [*plan.builds, plan.refused_markdown]:
        if build is None or not build.sites:
            continue
        if build is plan.refused_markdown and build.result and build.result.returncode != 0:
            continue
        found, seen, count = visit(browser, build, baseline)
        findings += found
        texts.update(seen)
        pages += count
    assert pages, "no build made pages to load"
    return Visited(findings, texts, pages)


# --- reporting -------------------------------------------------------------------------------


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    widths = [min(w, 60) for w in widths]
    line = " | ".join(f"{{:{w}.{w}}}" for w in widths[:-1]) + " | {}"
    return "\n".join(line.format(*map(str, r)) for r in [header, *rows])


def live_pairs(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.field, f.payload) for f in findings}


# --- the tests -------------------------------------------------------------------------------


def test_every_build_succeeds_with_the_markup_check_off(plan: Plan) -> None:
    failed = [
        f"{b.name}: exit {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        for b in plan.builds
        for r in b.failed
    ]
    assert not failed, "\n\n".join(failed)


def test_no_dialog_and_no_payload_as_live_markup(plan: Plan, visited: Visited) -> None:
    total = sum(len(P.payloads_for(f.kind)) for f in P.text_fields())
    reached = live_pairs(visited.findings)
    summary = (
        f"payloads x fields: {total} in the model; {visited.pages} pages loaded; "
        f"{plan.tried} put into the builds, {len(plan.refused_first)} refused by the validator "
        f"with the hook off, {len(plan.refused_sanitizer)} Markdown ones refused by the "
        f"sanitizer; values taken out after a build error: "
        f"{sorted({f for b in plan.builds for f in b.refused_at_build})}; "
        f"{len(reached)} (field, payload) pairs reached a page as live markup"
    )
    print("\n" + summary)
    grouped: dict[tuple[str, str, str], list[Finding]] = {}
    for f in visited.findings:
        grouped.setdefault((f.field, f.payload, f.what), []).append(f)
    rows = []
    for (field, payload, what), found in sorted(grouped.items()):
        pages = sorted({f"{f.build}/{f.edition}{f.page}" for f in found})
        first = found[0]
        where = pages[0] + (f" (+{len(pages) - 1} more)" if len(pages) > 1 else "")
        rows.append((field, payload, where, what, (first.own or first.html)[:200]))
    header = ("field", "payload", "page", "finding", "HTML")
    if rows:
        print(table(rows, header))
    assert not rows, summary + "\n" + table(rows, header)


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_each_plain_payload_is_shown_as_its_text(
    plan: Plan, baseline: Baseline, visited: Visited
) -> None:
    """Where the clean build shows a plain-text field, the payload build shows it verbatim."""
    all_slots = P.slots()
    index = {s: i for i, s in enumerate(all_slots)}
    missing = set()
    for build in plan.builds:
        for edition in build.sites:
            for slot, value in build.values.items():
                if slot.field.kind == "markdown":
                    continue
                for page in sorted(baseline.shown[edition].get(index[slot], ())):
                    if slot.field.path == "glossary[].expansion" and "/forkortelser/" not in page:
                        # Elsewhere an expansion explains its abbreviation where the term is
                        # in the text, and the term is a payload too in these builds.
                        continue
                    text = visited.texts.get((build.name, edition, page))
                    if text is None:
                        continue
                    norm = _norm(text)
                    if _norm(value) not in norm and _norm(value) not in _norm(unquote(text)):
                        missing.add((slot.field.path, f"{build.name}/{edition}{page}", value))
    rows = sorted((f, p, v[:90]) for f, p, v in missing)
    assert not rows, "shown altered or not at all:\n" + table(rows, ("field", "page", "value"))


def test_handbook_json_holds_every_payload_exactly(plan: Plan, baseline: Baseline) -> None:
    index = {s: i for i, s in enumerate(P.slots())}
    problems = []
    for build in plan.builds:
        for edition, site in build.sites.items():
            exported = list(site.rglob("handbook.json"))
            assert exported, f"{build.name}/{edition}: no handbook.json"
            strings = set()
            for path in exported:
                strings.update(_strings(json.loads(path.read_text(encoding="utf-8"))))
            for slot, value in build.values.items():
                if index[slot] in baseline.in_json[edition] and value not in strings:
                    problems.append((slot.field.path, f"{build.name}/{edition}", value[:90]))
    assert not problems, table(problems, ("field", "build", "value not found exactly"))


def test_cards_show_payloads_as_text_and_run_no_code(plan: Plan, baseline: Baseline) -> None:
    index = {s: i for i, s in enumerate(P.slots())}
    problems = []
    for build in plan.builds:
        for edition, site in build.sites.items():
            pdfs = list(site.rglob("*.pdf"))
            assert pdfs, f"{build.name}/{edition}: no cards"
            text = "".join("".join(pdf_text(p).split()) for p in pdfs)
            for slot, value in build.values.items():
                if index[slot] not in baseline.in_card[edition]:
                    continue
                if slot.field.kind == "markdown":
                    continue
                markers = [m for m, (s, _) in build.markers.items() if s == slot]
                if not any(str(m) in text for m in markers):
                    continue  # not on the card in this build (a fallback such as a title shows)
                # Its start, as written: a long word without a break may run off the card's
                # edge at the end of a line (the card check measures pages, not line widths).
                start = "".join(value.split())[:30]
                if start not in text:
                    problems.append((slot.field.path, f"{build.name}/{edition}", value[:90]))
    assert not problems, table(problems, ("field", "build", "value not on the card as text"))


def test_no_template_or_typst_code_ran(plan: Plan) -> None:
    """`{{ 7*n }}` and `#eval("7*n")` would leave 7*n behind: it appears in no output."""
    problems = []
    for build in plan.builds:
        products = {n * 7: (slot, p) for n, (slot, p) in build.markers.items()}
        for site in build.sites.values():
            files = [f for f in site.rglob("*") if f.suffix in (".html", ".json")]
            texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
            texts += [pdf_text(f) for f in site.rglob("*.pdf")]
            for text in texts:
                for number in map(int, re.findall(r"\d{7}", text)):
                    if number in products:
                        slot, p = products[number]
                        problems.append((slot.field.path, p.name, build.name))
    assert not problems, table(sorted(set(problems)), ("field", "payload", "build"))


def test_markdown_payloads_the_sanitizer_refuses_stop_the_build(plan: Plan) -> None:
    build = plan.refused_markdown
    assert build is not None and build.result is not None
    result = build.result
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == 1, (
        f"the build with Markdown payloads the sanitizer refuses exited {result.returncode}; "
        "if it built, the browser test above checked its pages\n" + output[-3000:]
    )
