"""At the point of care: «Foreslå endring» as a prefilled message, the Atom feed of changes and
the accessibility statement's link, on sites built from the real content (with the region's
channel filled in where the test needs one)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from generator.build.swap import build_site
from generator.core.changelog import Change, Changelog
from generator.core.model import HandbookInfo
from generator.core.pipeline import load_handbook
from generator.site.feed import atom_feed
from generator.site.feedback import feedback_href

from .conftest import ROOT

AGDER = "agder"
ADDRESS = "redaksjonen@handbok.example"  # a reserved domain (RFC 2606): never a real inbox
STATEMENT = "https://uustatus.no/nb/erklaringer/publisert/test-eksempel"
REVISION = "Førstegangsrevisjon 2024"


def _with_region_fields(tmp: Path, **fields: str) -> Path:
    """A copy of the real content with fields added to Agder's `handbook:` block."""
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    region = content / "regions" / AGDER / "region.yaml"
    region.write_text(
        region.read_text(encoding="utf-8")
        + "".join(f"  {key}: {value}\n" for key, value in fields.items()),
        encoding="utf-8",
    )
    return content


@pytest.fixture(scope="module")
def with_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("channel")
    content = _with_region_fields(tmp, feedback_email=ADDRESS, accessibility_statement=STATEMENT)
    return build_site(ROOT / "mkdocs.yml", tmp / "site", content, regions=[AGDER]) / AGDER


@pytest.fixture(scope="module")
def without_channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("plain")
    return build_site(ROOT / "mkdocs.yml", tmp / "site", regions=[AGDER]) / AGDER


def _pages(site: Path) -> list[Path]:
    return [
        p
        for p in sorted(site.rglob("index.html"))
        if p.relative_to(site).parts[0] not in ("assets", "pagefind")
    ]


def _mail(href: str) -> tuple[str, dict[str, str]]:
    """A mailto: link -> (address, {subject, body}), decoded."""
    parts = urlsplit(html.unescape(href))
    assert parts.scheme == "mailto", href
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert set(query) == {"subject", "body"}, query
    return unquote(parts.path), {key: values[0] for key, values in query.items()}


def _page_link(site: Path, page: Path) -> str:
    folder = page.parent.relative_to(site).as_posix()
    return f"https://handbok.example/{AGDER}/" + ("" if folder == "." else folder + "/")


def _title(page_html: str) -> str:
    title = re.search(r"<title>(.*?) - ", page_html)
    assert title is not None
    return html.unescape(title.group(1))


# --- «Foreslå endring» -------------------------------------------------------------------------


def test_every_page_suggests_a_change_by_a_prefilled_mail(with_channel: Path) -> None:
    pages = _pages(with_channel)
    assert len(pages) >= 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        aside = re.search(r'hb-page-meta__suggest">\s*<a href="([^"]+)">Foreslå endring', text)
        assert aside is not None, page
        address, mail = _mail(aside.group(1))
        assert address == ADDRESS
        if page.parent == with_channel:  # the start page's <title> is the site's name
            continue
        title = _title(text)
        assert title in mail["subject"], (page, mail)
        assert f"Side: {title}\r\n" in mail["body"]
        assert f"Lenke: {_page_link(with_channel, page)}\r\n" in mail["body"]
        assert f"Revisjon: {REVISION}\r\n" in mail["body"]


def test_every_statement_and_route_suggests_a_change_with_its_id(with_channel: Path) -> None:
    checked = 0
    for page in _pages(with_channel):
        text = page.read_text(encoding="utf-8")
        link = _page_link(with_channel, page)
        for kind in ("hb-statement", "hb-route"):
            for block in text.split(f'<div class="{kind}"')[1:]:
                item_id = re.match(r' id="([^"]+)"', block)
                if kind == "hb-route":  # a route's anchor is its heading, just before
                    item_id = re.search(r'<h3 id="([^"]+)"', text.split(block)[0][-600:])
                assert item_id is not None, page
                href = re.search(r'<a class="hb-suggest" href="([^"]+)">', block.split("</div>")[0])
                assert href is not None, (page, item_id.group(1))
                _, mail = _mail(href.group(1))
                assert f"({item_id.group(1)})" in mail["subject"]
                assert f"Utsagn: {item_id.group(1)}\r\n" in mail["body"]
                assert f"Lenke: {link}#{item_id.group(1)}\r\n" in mail["body"]
                assert f"Revisjon: {REVISION}\r\n" in mail["body"]
                checked += 1
    assert checked >= 50  # the real content's statements and routes


def test_without_a_channel_pages_point_to_the_section_on_the_about_page(
    without_channel: Path,
) -> None:
    for page in _pages(without_channel):
        text = page.read_text(encoding="utf-8")
        assert "mailto:" + ADDRESS not in text
        assert 'class="hb-suggest"' not in text, page
        aside = re.search(r'hb-page-meta__suggest">\s*<a href="([^"]+)">', text)
        assert aside is not None
        about = page.parent.name == "om-handboka"  # the about page links to its own section
        expected = "#foresla-endring" if about else "om-handboka/#foresla-endring"
        assert aside.group(1).endswith(expected), page


def _info(**fields: str) -> HandbookInfo:
    return HandbookInfo(
        id="vest",
        title="Vest",
        region="Vest",
        health_community="Vest",
        revision="Utgave 2 & 3?",
        maintainer="utvalg",
        primary_source="kilde",
        **fields,
    )


def test_every_part_of_the_message_is_encoded_on_its_own() -> None:
    hostile = "Tittel & mer?cc=x@y.example#frag\r\nBcc: x@y.example"
    href = feedback_href(_info(feedback_email=ADDRESS), hostile, "https://h.example/a/", "s.1")
    assert href is not None
    assert not set(href) & set(" \r\n\"'<>#"), href
    address, mail = _mail(href)
    assert address == ADDRESS
    assert mail["subject"] == f"Forslag til endring: {hostile} (s.1)"
    assert "Revisjon: Utgave 2 & 3?\r\n" in mail["body"]
    assert "Lenke: https://h.example/a/#s.1\r\n" in mail["body"]


def test_an_issue_form_gets_title_and_body() -> None:
    info = _info(feedback_url="https://git.example/handbok/-/issues/new?template=forslag")
    href = feedback_href(info, "Side & tittel", "https://h.example/a/", "s.1")
    assert href is not None
    parts = urlsplit(href)
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["template"] == ["forslag"]
    assert query["title"] == ["Forslag til endring: Side & tittel (s.1)"]
    assert (
        "Utsagn: s.1\nLenke: https://h.example/a/#s.1\nRevisjon: Utgave 2 & 3?"
        in (query["body"][0])
    )
    assert feedback_href(_info(), "Side", "https://h.example/a/") is None


# --- the accessibility statement ---------------------------------------------------------------


def _footer(page_html: str) -> str:
    footer = re.search(r'<p class="hb-footer-links">(.*?)</p>', page_html, re.S)
    assert footer is not None
    return footer.group(1)


def test_the_footer_names_the_statement_and_the_feedback_channel(with_channel: Path) -> None:
    for page in _pages(with_channel):
        footer = _footer(page.read_text(encoding="utf-8"))
        assert f'<a href="{STATEMENT}">Tilgjengelighetserklæring</a>' in footer, page
        href = re.search(r'<a href="([^"]+)">Meld fra om feil eller forslag</a>', footer)
        assert href is not None, page
        assert _mail(href.group(1))[0] == ADDRESS
    about = (with_channel / "om-handboka" / "index.html").read_text(encoding="utf-8")
    section = about.split('id="tilgjengelighet"')[1].split("<h2")[0]
    assert f'<a href="{STATEMENT}">{STATEMENT}</a>' in section
    assert f'href="mailto:{ADDRESS}?subject=Tilgjengelighet%3A%20' in section


def test_without_a_statement_the_footer_links_to_the_about_page(without_channel: Path) -> None:
    for page in _pages(without_channel):
        footer = _footer(page.read_text(encoding="utf-8"))
        assert "uustatus" not in footer
        about = "" if page.parent.name == "om-handboka" else "om-handboka/"
        assert re.search(rf'href="[^"]*{about}#tilgjengelighet">', footer), page
        assert re.search(rf'href="[^"]*{about}#foresla-endring">Meld fra', footer), page


# --- the Atom feed -----------------------------------------------------------------------------

A = "{http://www.w3.org/2005/Atom}"
SITE = f"https://handbok.example/{AGDER}/"


def _local(site: Path, href: str) -> Path:
    """The built file an absolute link into the region's site names."""
    assert href.startswith(SITE), href
    path = href.removeprefix(SITE).split("#")[0]
    return site / path / "index.html" if not path or path.endswith("/") else site / path


def test_the_feed_is_atom_with_the_changes_that_whats_new_shows(without_channel: Path) -> None:
    feed = ET.parse(without_channel / "feed.xml").getroot()
    assert feed.tag == f"{A}feed"
    for tag in ("title", "id", "updated", "author"):
        assert feed.find(f"{A}{tag}") is not None, tag
    self_link = feed.find(f"{A}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == SITE + "feed.xml"
    entries = feed.findall(f"{A}entry")
    whats_new = (without_channel / "hva-er-nytt" / "index.html").read_text(encoding="utf-8")
    changed = re.search(r"(\d+) nye, (\d+) endret og\s+(\d+) fjernet", whats_new)
    assert changed is not None
    assert len(entries) == sum(int(n) for n in changed.groups()) > 0
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", entry.findtext(f"{A}updated") or "")
        title = entry.findtext(f"{A}title") or ""
        assert title.split(": ", 1)[1] in html.unescape(whats_new), title
        link = entry.find(f"{A}link")
        assert link is not None and _local(without_channel, link.get("href", "")).is_file()
        assert entry.findtext(f"{A}content")


def test_every_page_links_the_feed_and_whats_new_does_too(without_channel: Path) -> None:
    head = re.compile(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"')
    for page in _pages(without_channel):
        found = head.search(page.read_text(encoding="utf-8"))
        assert found is not None, page
        target = (page.parent / found.group(1)).resolve()
        assert target == (without_channel / "feed.xml").resolve(), page
    whats_new = (without_channel / "hva-er-nytt" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../feed.xml" type="application/atom+xml">' in whats_new


def test_content_with_markup_stays_text_in_the_feed() -> None:
    result = load_handbook(ROOT / "content", today=dt.date(2026, 12, 1), region=AGDER)
    assert result.handbook is not None
    hostile = "a <b>&amp; ]]> <![CDATA[x]]> &lt;c"
    changes = Changelog(
        since=dt.date(2026, 11, 1),
        added=[Change("route", "akutt-psykisk-helse", f"T {hostile}", None, hostile)],
        changed=[Change("statement", "henvisning.elektronisk", hostile, f"{hostile}\n1", hostile)],
        removed=[Change("message_type", "borte", f"<script>{hostile}", hostile, None)],
    )
    text = atom_feed(result.handbook, changes, SITE)
    assert "<b>" not in text and "<script>" not in text and "<![CDATA[" not in text
    entries = ET.fromstring(text).findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [
        f"Nytt – Telefonvei: T {hostile}",
        f"Endret – Utsagn: {hostile}",
        f"Fjernet – Meldingstype: <script>{hostile}",
    ]
    assert entries[0].findtext(f"{A}content") == hostile
    assert entries[1].findtext(f"{A}content") == f"Før:\n{hostile}\n1\n\nNå:\n{hostile}"
    links = [e.find(f"{A}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links == [
        SITE + "telefonvei/#akutt-psykisk-helse",
        SITE + "emner/henvisning/#henvisning.elektronisk",
        SITE + "hva-er-nytt/",
    ]
    assert atom_feed(result.handbook, changes, SITE) == text  # the same content, the same feed
