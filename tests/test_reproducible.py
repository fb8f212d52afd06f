"""The same content gives the same site, byte for byte: under any PYTHONHASHSEED, from any working
folder, with the content folder at any absolute path; and no machine path gets into any file.

Two builds of one region (Agder: its «Regionale tilpasninger» page once listed its own decision
steps in the order of a set) in separate processes, differing in all three, compared file by
file. Neither sets SOURCE_DATE_EPOCH: the dates MkDocs writes must come from the content.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from generator.core.editions import edition_view
from generator.core.handbook import Entry
from generator.core.pipeline import load_handbook

from .conftest import FIXTURES, ROOT

REGION = "agder"
FIXTURE = FIXTURES / "regions"  # small: for what one region of any content shows
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def _build(content: Path | None, out: Path, cwd: Path, seed: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    env["HANDBOOK_CACHE"] = "0"  # each build makes every page and card: none from the other
    command = [sys.executable, "-m", "generator.cli", "build", "--region", REGION]
    command += ["--config", str(ROOT / "mkdocs.yml"), "--out", str(out)]
    if content is not None:
        command += ["--content", str(content)]
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def _files(site: Path) -> dict[str, bytes]:
    files = sorted(p for p in site.rglob("*") if p.is_file())
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files}


def _readable(data: bytes) -> list[bytes]:
    """The file, and what is compressed inside it (gzip: Pagefind, sitemap.xml.gz; PDF streams)."""
    forms = [data]
    if data[:2] == b"\x1f\x8b":
        forms.append(gzip.decompress(data))
    if data[:5] == b"%PDF-":
        for stream in _PDF_STREAM.findall(data):
            try:
                forms.append(zlib.decompressobj().decompress(stream))
            except zlib.error:
                continue
    return forms


def test_two_builds_in_different_places_are_byte_identical(tmp_path: Path) -> None:
    day = dt.date.today()
    elsewhere = tmp_path / "ein" / "annan" / "stad"
    shutil.copytree(ROOT / "content", elsewhere / "content")
    cwd = tmp_path / "arbeidsmappe"
    cwd.mkdir()
    first, second = tmp_path / "first", tmp_path / "second"
    _build(None, first, ROOT, seed="1")  # as `make site` does: the content in mkdocs.yml
    _build(elsewhere / "content", second, cwd, seed="2")
    if dt.date.today() != day:
        pytest.skip("midnight passed between the builds: the cards' print date differs")

    a, b = _files(first), _files(second)
    differing = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
    assert not differing, f"{len(differing)} of {len(a)} files differ: {differing}"
    assert any(name.endswith(".pdf") for name in a)  # the cards were compared too

    paths = {str(ROOT), str(tmp_path), os.path.realpath(ROOT), os.path.realpath(tmp_path)}
    needles = {form for p in paths for form in (p.encode(), p.replace("/", "\\/").encode())}
    found = [
        (name, needle.decode())
        for site in (a, b)
        for name, data in site.items()
        for form in _readable(data)
        for needle in needles
        if needle in form
    ]
    assert not found, f"machine paths in the output: {sorted(set(found))}"


def test_the_dates_mkdocs_writes_come_from_the_content(tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH: the newest review date of the edition, not the day of the build;
    with it: its day (MkDocs' own reading of it)."""
    loaded = load_handbook(FIXTURE, region="nord").handbook
    assert loaded is not None
    handbook = edition_view(loaded, "public")
    newest = max(e.entity.review.last_reviewed for e in handbook.entries.values() if _reviewed(e))
    for epoch, expected in ((None, newest), ("1800000000", dt.date(2027, 1, 15))):
        out = tmp_path / f"site-{epoch}"
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = epoch
        command = [sys.executable, "-m", "generator.cli", "build", "--region", "nord"]
        command += ["--config", str(ROOT / "mkdocs.yml"), "--content", str(FIXTURE)]
        run = subprocess.run(
            [*command, "--out", str(out)], env=env, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
        sitemap = (out / "nord" / "sitemap.xml").read_text(encoding="utf-8")
        assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {expected.isoformat()}
        stamp = int.from_bytes((out / "nord" / "sitemap.xml.gz").read_bytes()[4:8], "little")
        assert dt.datetime.fromtimestamp(stamp, dt.UTC).date() == expected


def _reviewed(entry: Entry) -> bool:
    return getattr(entry.entity, "review", None) is not None
