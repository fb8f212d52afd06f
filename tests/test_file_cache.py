"""The cache between runs (`generator.core.file_cache`) never changes what the validator says.

Every golden mistake and the real content are validated three ways, in fresh state each time:
with nothing kept (HANDBOOK_CACHE=0), with an empty cache (which fills it) and from the filled
cache; the diagnostics must be the same. The kept validator of the content model must accept
and refuse exactly what `ContentFile.model_validate` does. A saved file is read again, and a
cache that is broken, foreign or not writable is only slower.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.core import file_cache, pipeline, user_cache
from generator.core.editions import edition_view
from generator.core.export import export, export_text
from generator.core.model import COLLECTIONS, ContentFile
from generator.core.pipeline import load_handbook, load_regions
from generator.core.provenance import share_line
from generator.core.region_reports import check_regions, ok_line
from generator.core.yaml_loader import LoadedFile, load_file
from generator.editor.schema import kept_schema_text, schema_text

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 6, 1)
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
CONTENT_FILES = sorted((ROOT / "content").rglob("*.yaml"))


def _fresh() -> None:
    """As a new process: nothing in memory, the validator and serializer made again."""
    pipeline._FILE_CACHE.clear()
    file_cache.content_validator.cache_clear()
    file_cache.content_serializer.cache_clear()
    file_cache._content_schema.cache_clear()
    user_cache._PRUNED.clear()
    user_cache._FOLDERS.clear()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("HANDBOOK_CACHE", raising=False)
    _fresh()
    yield home
    _fresh()


def _three_ways(load, monkeypatch: pytest.MonkeyPatch) -> list:
    """The diagnostics with nothing kept, with an empty cache, and from the filled cache."""
    seen = []
    for setting in ("0", "1", "1"):
        monkeypatch.setenv("HANDBOOK_CACHE", setting)
        _fresh()
        seen.append(load())
    return seen


def _entries(home: Path) -> list[Path]:
    return sorted(home.glob("samhandlingshandboka/results-*/*.file"))


def test_every_golden_mistake_is_reported_the_same_from_the_cache(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    differ = []
    for fixture in BAD:
        content = tmp_path / fixture.stem
        shutil.copytree(FIXTURES / "minimal", content)
        shutil.copyfile(fixture, content / fixture.name)
        cold, filling, kept = _three_ways(
            lambda c=content: load_handbook(c, today=TODAY).diagnostics, monkeypatch
        )
        if not cold == filling == kept:
            differ.append(fixture.name)
    assert not differ
    assert len(_entries(cache_home)) >= len(BAD)  # the cache was really used


def test_the_real_content_is_validated_the_same_from_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def load() -> tuple:
        result = load_regions(ROOT / "content", today=TODAY)
        handbooks = {
            region: None if hb is None else sorted(hb.entries)
            for region, hb in result.handbooks.items()
        }
        return result.diagnostics, handbooks

    cold, filling, kept = _three_ways(load, monkeypatch)
    assert cold == filling == kept
    assert len(_entries(cache_home)) == len(CONTENT_FILES)


@pytest.mark.parametrize("source", ["content", "bad"])
def test_the_kept_validator_accepts_and_refuses_as_the_model_does(
    source: str, cache_home: Path
) -> None:
    paths = CONTENT_FILES if source == "content" else BAD
    for kept_already in (False, True):  # built (and written), then read from the cache
        _fresh()
        validator = file_cache.content_validator()
        assert (cache_home / "samhandlingshandboka").exists() or not kept_already
        for path in paths:
            loaded, _ = load_file(path, path.name)
            if loaded is None or not isinstance(loaded.data, dict):
                continue
            expected = _outcome(lambda d=loaded.data: ContentFile.model_validate(d))
            actual = _outcome(lambda d=loaded.data, v=validator: v.validate_python(d))
            assert actual == expected, path


def _outcome(validate) -> object:
    try:
        return validate().model_dump(mode="json")
    except ValidationError as exc:
        return [(e["type"], e["loc"], e["msg"]) for e in exc.errors(include_url=False)]


def test_a_saved_file_is_read_again(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    assert load_handbook(content, today=TODAY).ok
    target = next(p for p in sorted(content.rglob("*.yaml")) if "last_reviewed:" in p.read_text())
    text = target.read_text(encoding="utf-8")
    # The same size, and a date that is not one: only the bytes tell the two apart.
    broken = text.replace("last_reviewed: 20", "last_reviewed: x0", 1)
    target.write_text(broken, encoding="utf-8")
    _fresh()
    changed = load_handbook(content, today=TODAY)
    target.write_text(text, encoding="utf-8")
    _fresh()
    assert load_handbook(content, today=TODAY).ok
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    target.write_text(broken, encoding="utf-8")
    _fresh()
    assert not changed.ok
    assert changed.diagnostics == load_handbook(content, today=TODAY).diagnostics


def test_broken_entries_are_misses(cache_home: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    expected = load_handbook(content, today=TODAY).diagnostics
    folder = user_cache.results_folder()
    assert folder is not None
    for entry in folder.iterdir():
        entry.write_bytes(b"not a pickle" if entry.suffix == ".file" else b"\x80\x05N.")
    _fresh()
    assert load_handbook(content, today=TODAY).diagnostics == expected


def test_a_cache_that_cannot_be_written_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would be
    monkeypatch.delenv("HANDBOOK_CACHE", raising=False)
    _fresh()
    try:
        result = load_handbook(FIXTURES / "minimal", today=TODAY)
    finally:
        _fresh()
    assert result.ok


def test_older_generations_are_removed(cache_home: Path) -> None:
    folder = cache_home / "samhandlingshandboka"
    for age in range(5):
        old = folder / f"results-old{age}"
        old.mkdir(parents=True)
        (old / "x.file").write_bytes(b"")
        os.utime(old, (1_000_000 + age, 1_000_000 + age))
    own = user_cache.results_folder()
    assert own is not None and own.is_dir()
    left = sorted(p.name for p in folder.glob("results-*") if p != own)
    assert left == [f"results-old{4 - i}" for i in range(user_cache.KEEP_GENERATIONS - 1)][::-1]


def test_entries_past_the_limit_are_pruned(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_cache, "MAX_ENTRIES", 4)
    for n in range(12):
        content = tmp_path / f"c{n}"
        shutil.copytree(FIXTURES / "minimal", content)
        _fresh()  # each run a process of its own: each prunes once
        load_handbook(content, today=TODAY)
    assert len(_entries(cache_home)) <= 4 + len(list((FIXTURES / "minimal").rglob("*.yaml")))


def test_validate_in_a_new_process_uses_the_cache(tmp_path: Path) -> None:
    """Two runs of the command: the second reads every file's result from the cache (an entry
    per file after the first) and prints the same."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HANDBOOK_CACHE": "1"}
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "validate",
        "--content",
        str(ROOT / "content"),
    ]
    runs = [
        subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT) for _ in "ab"
    ]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout + runs[0].stderr == runs[1].stdout + runs[1].stderr
    assert len(_entries(tmp_path / "cache")) == len(CONTENT_FILES)


REGIONAL = sorted((FIXTURES / "bad" / "regions").glob("*.yaml"))
REGIONS_TODAY = dt.date(2026, 12, 1)


def _as_validate_said(result) -> tuple:
    """load_regions' diagnostics and the lines `handbook validate` printed from its handbooks."""
    lines = [
        line
        for name, handbook in result.handbooks.items()
        if handbook is not None
        for line in (ok_line(name, handbook), share_line(name, handbook))
    ]
    return result.diagnostics, lines


def _as_reports_say(report) -> tuple:
    lines = [
        line
        for r in report.reports.values()
        if r is not None and r.ok_line is not None
        for line in (r.ok_line, r.share_line)
    ]
    return report.diagnostics, lines


@pytest.mark.parametrize(
    "fixture", [None, *REGIONAL], ids=lambda f: "content" if f is None else f.stem
)
def test_every_region_is_reported_as_load_regions_does(
    fixture: Path | None, cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real content, and each regional golden mistake: the reports (with nothing kept, an
    empty cache, a filled one) say what load_regions' handbooks say."""
    if fixture is None:
        content, today = ROOT / "content", TODAY
    else:
        content, today = tmp_path / "content", REGIONS_TODAY
        shutil.copytree(FIXTURES / "regions", content)
        (content / "regions" / fixture.stem).mkdir(exist_ok=True)
        shutil.copyfile(fixture, content / "regions" / fixture.stem / "region.yaml")
    monkeypatch.chdir(content)
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    _fresh()
    expected = _as_validate_said(load_regions(Path("."), today=today))
    seen = _three_ways(lambda: check_regions(Path("."), today=today), monkeypatch)
    assert [_as_reports_say(r) for r in seen] == [expected] * 3
    for report in seen[2].reports.values():  # kept, but for one whose hint reads other regions
        if report is not None:
            assert report.kept != any(d.code == "unknown-ref" for d in report.diagnostics)


def test_after_a_save_only_the_regions_made_of_that_file_are_checked_again(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def save_and_check(path: Path, text: str) -> tuple[dict[str, bool], tuple]:
        path.write_text(text, encoding="utf-8")
        _fresh()
        report = check_regions(content, today=TODAY)
        return {r: rep.kept for r, rep in report.reports.items() if rep}, _as_reports_say(report)

    check_regions(content, today=TODAY)  # fills the cache
    routes = content / "regions" / "agder" / "routes.yaml"
    text = routes.read_text(encoding="utf-8")
    # A placeholder left in an agder route (a mistake the checks find, not the schema):
    # agder's report is made again, the others are kept.
    broken = text.replace('title: "', 'title: "TODO ', 1)
    kept, said = save_and_check(routes, broken)
    assert kept == {"agder": False, "oslo": True, "troms-ofoten": True}
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    _fresh()
    assert said == _as_reports_say(check_regions(content, today=TODAY))
    assert any(d.path.endswith("agder/routes.yaml") for d in said[0])
    monkeypatch.setenv("HANDBOOK_CACHE", "1")
    # A base file: every region is made of it.
    base_file = next(p for p in sorted((content / "base").rglob("*.yaml")))
    kept, _ = save_and_check(base_file, base_file.read_text(encoding="utf-8") + "# lagret\n")
    assert kept == {"agder": False, "oslo": False, "troms-ofoten": False}
    # Another day: the review dates' warnings may change, so nothing is kept.
    _fresh()
    report = check_regions(content, today=TODAY + dt.timedelta(days=1))
    assert not any(r.kept for r in report.reports.values() if r is not None)


def test_a_hint_that_names_another_region_follows_that_region(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«finnes i regionen nord (…:12)» reads a region outside the chain: after nord's file
    moves the id two lines down, the hint says so, as with nothing kept."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "regions", content)
    fixture = FIXTURES / "bad" / "regions" / "ref-in-other-region.yaml"
    (content / "regions" / fixture.stem).mkdir()
    shutil.copyfile(fixture, content / "regions" / fixture.stem / "region.yaml")
    monkeypatch.chdir(content)

    def hints() -> list[str | None]:
        _fresh()
        report = check_regions(Path("."), today=REGIONS_TODAY)
        return [d.hint for d in report.diagnostics if d.code == "unknown-ref"]

    assert any("regions/nord/region.yaml:12" in (h or "") for h in hints())
    nord = content / "regions" / "nord" / "region.yaml"
    nord.write_text("# flyttet\n# to linjer ned\n" + nord.read_text(encoding="utf-8"))
    moved = hints()
    assert any("regions/nord/region.yaml:14" in (h or "") for h in moved)
    monkeypatch.setenv("HANDBOOK_CACHE", "0")
    assert hints() == moved


def _model_dump(handbook) -> dict:
    """The export as it was made before the serializer was kept: through the model."""
    merged: dict = {name: [] for name in COLLECTIONS}
    for _, content in handbook.files:
        for name in COLLECTIONS:
            merged[name].extend(getattr(content, name))
    document = ContentFile(handbook=handbook.info, **merged)
    return document.model_dump(mode="json", exclude_none=True)


def test_the_export_is_the_models_dump(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """handbook.json from the kept serializer (and with nothing kept) is, byte for byte, what
    `ContentFile.model_dump` gives, for every region and edition of the real content."""

    def exports() -> dict[tuple[str, str], str]:
        result = load_regions(ROOT / "content", today=TODAY)
        made = {}
        for region, handbook in result.handbooks.items():
            assert handbook is not None
            for edition in ("public", "internal"):
                view = edition_view(handbook, edition)
                made[region, edition] = export_text(view)
                expected = json.dumps(_model_dump(view), ensure_ascii=False, indent=1) + "\n"
                assert made[region, edition] == expected, (region, edition)
                assert json.dumps(export(view), ensure_ascii=False, indent=1) + "\n" == expected
        return made

    cold, filling, kept = _three_ways(exports, monkeypatch)
    assert len(cold) == 6 and cold == filling == kept
    assert (user_cache.results_folder() or Path("-")).joinpath(file_cache._VALIDATOR).exists()


# Every character that JSON writers escape differently somewhere: controls, quotes, the
# backslash, DEL, the line and paragraph separators, a BOM, «<>&/», non-ASCII and astral ones.
TRICKY = "".join(map(chr, range(0x80))) + "\u2028\u2029\ufeff\u00e6\u00f8\u00e5\U0001f4de</>&"


def test_handbook_json_escapes_every_character_as_pythons_json_does(
    cache_home: Path,
) -> None:
    result = load_handbook(ROOT / "content", today=TODAY, region="agder")
    assert result.handbook is not None
    view = edition_view(result.handbook, "public")
    assert view.info is not None
    view.info = view.info.model_copy(update={"title": TRICKY})
    text = export_text(view)
    assert json.loads(text)["handbook"]["title"] == TRICKY
    assert text == json.dumps(export(view), ensure_ascii=False, indent=1) + "\n"


def _kept_results(paths: list[Path]) -> list[tuple[object, object]]:
    """(read now, from the cache) for each file, through the pipeline's own entries."""
    fresh = [pipeline._read_file(p, p.name, p.read_bytes()) for p in paths]
    for path, result in zip(paths, fresh, strict=True):
        file_cache.put(file_cache.key(path, path.name, path.read_bytes()), result)
    _fresh()
    kept = [file_cache.get(file_cache.key(p, p.name, p.read_bytes())) for p in paths]
    return list(zip(fresh, kept, strict=True))


def test_a_kept_file_has_every_position_and_reads_them_only_when_asked(cache_home: Path) -> None:
    """Every content file and golden mistake: the kept result is the one read now, with the
    same data, content, problems and position tables (values, keys, raw text); the tables are
    read from the entry only when something asks for them."""
    pairs = _kept_results(CONTENT_FILES + BAD)
    assert all(kept is not None for _, kept in pairs)
    lazy = [k[0] for _, k in pairs if k[0] is not None]
    assert len(lazy) >= len(CONTENT_FILES)
    assert not any("values" in f.__dict__ or "raw" in f.__dict__ for f in lazy)
    differ = [
        fresh[0].display
        for fresh, kept in pairs
        if kept != fresh
        or (
            fresh[0] is not None
            and (fresh[0].values, fresh[0].keys, fresh[0].raw)
            != (kept[0].values, kept[0].keys, kept[0].raw)
        )
    ]
    assert not differ
    assert sum(len(f.values) + len(f.keys) for f in lazy) > 1000
    assert any(f.raw for f in lazy) and any(p.hidden for f in lazy for p in f.values.values())


def test_a_kept_file_copied_or_read_in_threads_keeps_its_positions(cache_home: Path) -> None:
    path = ROOT / "content" / "regions" / "agder" / "routes.yaml"
    (fresh, kept), (_, other) = _kept_results([path, path])
    assert isinstance(kept[0], LoadedFile) and isinstance(other[0], LoadedFile)
    assert pickle.loads(pickle.dumps(kept[0])) == fresh[0]  # pickled with its tables unread
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda n=n: seen.append(getattr(other[0], n)))
        for n in ("values", "keys", "raw") * 4
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 12 and other[0] == fresh[0]


def test_the_kept_json_schema_is_the_models(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON Schema a build publishes, with nothing kept, made and kept, and read from the
    entry, is `schema_text()`; an entry that cannot be read is made again."""
    expected = schema_text()
    assert _three_ways(kept_schema_text, monkeypatch) == [expected] * 3
    folder = user_cache.results_folder()
    assert folder is not None
    entry = folder / "ContentFile.schema"
    entry.write_bytes(pickle.dumps("read from the entry"))
    assert kept_schema_text() == "read from the entry"
    entry.write_bytes(b"not a pickle")
    assert kept_schema_text() == expected
