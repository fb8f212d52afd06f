"""The production set-up (deploy/): nginx's headers, compression, 404 pages and the login for
/intern/, over HTTP on 127.0.0.1; atomic publishing under load; deploy/check; the CI templates."""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from generator.build import publish
from tests.browser.conftest import serve as plain_server
from tests.deploy_support import REGION, ROOT, Server, built_editions, handbook, serve

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    site, internal = built_editions(tmp_path_factory.getbasetemp())
    assert (site / REGION / "sw.js").is_file()  # the build writes it (generator/build/offline.py)
    return site, internal


@pytest.fixture(scope="module")
def server(editions: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    site, internal = editions
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serve(log, "--site", str(site), "--internal", str(internal)) as running:
        yield running


def fetch(url: str, *, auth: tuple[str, str] | None = None, gzip_ok: bool = False):
    """(status, headers, body) of a GET; errors are answers too."""
    request = urllib.request.Request(url)
    if gzip_ok:
        request.add_header("Accept-Encoding", "gzip")
    if auth:
        request.add_header("Authorization", "Basic " + _basic(*auth))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _bundle(site: Path) -> str:
    return next((site / REGION / "assets" / "javascripts").glob("bundle.*.min.js")).name


# --- headers, compression, caching -------------------------------------------------------------


def test_html_has_the_security_headers_and_the_csp_of_its_pages(
    server: Server, editions: tuple[Path, Path]
) -> None:
    site, internal = editions
    wanted = publish.csp_policy(publish.inline_hashes(site) | publish.inline_hashes(internal))
    for path in ("/", f"/{REGION}/", f"/{REGION}/sok/", "/sammenlign/"):
        status, headers, _ = fetch(server.url + path)
        assert status == 200, path
        for name, value in SECURITY.items():
            assert headers[name] == value, (path, name)
        assert "camera=()" in headers["Permissions-Policy"]
        csp = headers["Content-Security-Policy"]
        assert csp == wanted, path
        script_src = re.search(r"script-src([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
        assert "frame-ancestors 'none'" in csp
        assert headers["Cache-Control"] == "no-cache", path
        assert headers["X-Robots-Tag"] is None, path


def test_assets_are_cached_by_whether_their_name_has_a_hash(
    server: Server, editions: tuple[Path, Path]
) -> None:
    site, _ = editions
    meta = next((site / REGION / "pagefind").glob("pagefind.*.pf_meta")).name
    fragment = next((site / REGION / "pagefind" / "fragment").iterdir()).name
    cache = {
        f"/{REGION}/assets/javascripts/{_bundle(site)}": IMMUTABLE,
        f"/{REGION}/pagefind/{meta}": IMMUTABLE,
        f"/{REGION}/pagefind/fragment/{fragment}": IMMUTABLE,
        f"/{REGION}/pagefind/pagefind.js": "no-cache",
        f"/{REGION}/pagefind/pagefind-entry.json": "no-cache",
        f"/{REGION}/sw.js": "no-cache",
        f"/{REGION}/assets/handbook.css": "no-cache",
    }
    for path, wanted in cache.items():
        status, headers, _ = fetch(server.url + path)
        assert status == 200, path
        assert headers["Cache-Control"] == wanted, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert "frame-ancestors" in headers["Content-Security-Policy"], path


def test_text_comes_from_the_precompressed_file(
    server: Server, editions: tuple[Path, Path]
) -> None:
    site, _ = editions
    for path in (f"/{REGION}/", f"/{REGION}/assets/javascripts/{_bundle(site)}", "/portal.css"):
        file = site / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        assert file.with_name(file.name + ".gz").exists(), path
        status, headers, body = fetch(server.url + path, gzip_ok=True)
        assert (status, headers["Content-Encoding"]) == (200, "gzip"), path
        assert "Accept-Encoding" in headers["Vary"], path
        assert gzip.decompress(body) == file.read_bytes(), path
        _, plain_headers, plain = fetch(server.url + path)
        assert plain_headers["Content-Encoding"] is None and plain == file.read_bytes(), path


def test_a_missing_page_gets_its_regions_404_page(server: Server) -> None:
    status, headers, body = fetch(f"{server.url}/{REGION}/emner/finnes-ikke/")
    assert status == 404
    assert b'"base": "/agder/"' in body and b"<title>" in body  # the region's own (MkDocs)
    assert headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = fetch(f"{server.url}/finnes-ikke.html")
    assert status == 404 and b"Siden finnes ikke" in body  # the portal's
    status, _, body = fetch(f"{server.url}/{REGION}")  # a folder without its slash
    assert status == 200 and b'"base": "."' in body  # followed to /agder/


def test_the_internal_edition_needs_a_login_and_is_never_indexed(server: Server) -> None:
    for auth in (None, ("intern", "feil-passord")):
        status, headers, body = fetch(f"{server.url}/intern/{REGION}/", auth=auth)
        assert status == 401 and b"intern)" not in body
        assert headers["X-Robots-Tag"] == "noindex, nofollow"
    login = ("intern", server.password)
    for path in ("/intern/", f"/intern/{REGION}/", f"/intern/{REGION}/pagefind/pagefind.js"):
        status, headers, body = fetch(server.url + path, auth=login)
        assert status == 200, path
        assert headers["X-Robots-Tag"] == "noindex, nofollow", path
    status, headers, body = fetch(f"{server.url}/intern/{REGION}/finnes-ikke/", auth=login)
    assert status == 404 and headers["X-Robots-Tag"] == "noindex, nofollow"
    assert b"(intern)" in body  # the internal edition's own 404 page
    # ... whose links stay in the internal edition (its site_url ends in /intern/<region>/)
    links = re.findall(rb'href="(/[^"]*)"', body)
    assert links and all(link.startswith(f"/intern/{REGION}/".encode()) for link in links), links


def test_deploy_check_passes_here_and_fails_without_the_headers(
    server: Server, editions: tuple[Path, Path]
) -> None:
    check = [sys.executable, str(ROOT / "deploy" / "check")]
    ok = subprocess.run(
        [*check, server.url + "/", "--user", "intern", "--password", server.password],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: alt svarte" in ok.stdout and "søkeindekser" in ok.stdout
    with plain_server(editions[0]) as plain:  # python's http.server: no headers, no login
        bad = subprocess.run([*check, plain + "/"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "mangler Content-Security-Policy" in bad.stdout
    assert "ventet 401" in bad.stdout


# --- publishing --------------------------------------------------------------------------------


def _variant(site: Path, folder: Path, marker: str) -> Path:
    """A copy of the build that says which it is, in its pages and in its search index."""
    copy = folder / marker
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.gz"))
    for page in (copy / REGION).rglob("index.html"):
        page.write_text(page.read_text() + f"\n<!-- release: {marker} -->\n")
    entry = copy / REGION / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps({**json.loads(entry.read_text()), "release": marker}))
    return copy


def _publish(to: Path, site: Path, *more: str) -> None:
    handbook("publish", "--to", str(to), "--site", str(site), "--internal", "-", *more)


class Reader(threading.Thread):
    """A reader with cookies, like a browser: a page, then the search index and its meta file,
    again and again; bounded in time and requests, and only on 127.0.0.1."""

    def __init__(self, url: str, seconds: float = 10, limit: int = 2000) -> None:
        super().__init__(daemon=True)
        self.url, self.deadline, self.limit = url, time.monotonic() + seconds, limit
        self.stop = threading.Event()
        self.requests = 0
        self.errors: list[str] = []
        self.mixed: list[tuple[str, str]] = []
        self.seen: Counter[str] = Counter()
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> bytes | None:
        self.requests += 1
        try:
            with self.opener.open(self.url + path, timeout=10) as response:
                return response.read()
        except (urllib.error.URLError, OSError) as error:
            self.errors.append(f"{path}: {getattr(error, 'code', '')} {error}")
            return None

    def run(self) -> None:
        pages = (f"/{REGION}/sok/", f"/{REGION}/", f"/{REGION}/telefonvei/")
        turn = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            if self.requests + 3 > self.limit:
                break
            page = self.get(pages[turn % len(pages)])
            turn += 1
            entry = self.get(f"/{REGION}/pagefind/pagefind-entry.json")
            if page is None or entry is None:
                continue
            shown = re.search(rb"<!-- release: (\w+) -->", page).group(1).decode()
            index = json.loads(entry)
            self.seen[shown] += 1
            if index["release"] != shown:
                self.mixed.append((shown, index["release"]))
            meta = next(iter(index["languages"].values()))["hash"]
            self.get(f"/{REGION}/pagefind/pagefind.{meta}.pf_meta")
            time.sleep(0.01)  # paced, so the request budget lasts through the publishes


def test_publishing_and_rolling_back_under_load_never_mixes_or_breaks(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    site, _ = editions
    a, b, c = (_variant(site, tmp_path / "builds", m) for m in ("A", "B", "C"))
    to = tmp_path / "srv"
    _publish(to, a)
    with serve(tmp_path / "serve.log", "--published", str(to)) as server:
        reader = Reader(server.url)
        reader.start()
        time.sleep(0.5)
        _publish(to, b)
        time.sleep(0.3)
        _publish(to, c)
        time.sleep(0.3)
        handbook("publish", "--to", str(to), "--rollback")
        time.sleep(0.5)
        reader.stop.set()
        reader.join(timeout=20)
        # A reader whose page came from A gets A's index, though B is current now.
        pinned = urllib.request.Request(
            f"{server.url}/{REGION}/pagefind/pagefind-entry.json",
            headers={"Cookie": f"handbok_release={publish.releases(to)[0]}"},
        )
        with urllib.request.urlopen(pinned, timeout=10) as response:
            assert json.loads(response.read())["release"] == "A"
    print(
        f"\npublish loop: {reader.requests} requests, {len(reader.errors)} errors, "
        f"{len(reader.mixed)} mixed, pages seen per release {dict(reader.seen)}"
    )
    assert not reader.errors, reader.errors[:5]
    assert not reader.mixed, reader.mixed[:5]
    assert reader.requests > 30
    assert set(reader.seen) >= {"A", "B", "C"}  # every switch reached the reader
    assert publish.current(to) == publish.releases(to)[1]  # back on B
    assert len(publish.releases(to)) == 3


def test_publish_keeps_n_releases_and_says_what_went_wrong(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    site, internal = editions
    to = tmp_path / "srv"
    first = handbook("publish", "--to", str(to), "--rollback", check=False)
    assert first.returncode == 1 and "ingen utgave er publisert" in first.stderr
    missing = handbook("publish", "--to", str(to), "--site", str(tmp_path / "x"), check=False)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    for _ in range(3):
        handbook(
            "publish",
            "--to",
            str(to),
            "--site",
            str(site),
            "--internal",
            str(internal),
            "--keep",
            "2",
        )
    kept = publish.releases(to)
    assert len(kept) == 2 and publish.current(to) == kept[-1]
    release = to / "current"
    assert (release / "site" / "404.html").exists()
    assert (release / "internal" / "intern" / REGION / "index.html.gz").exists()
    assert "set $handbok_csp" in (to / "csp.conf").read_text()
    back = handbook("publish", "--to", str(to), "--rollback")
    assert publish.current(to) == kept[0] and "tilbake til" in back.stderr
    again = handbook("publish", "--to", str(to), "--rollback", check=False)
    assert again.returncode == 1 and "ingen eldre utgave" in again.stderr


# --- CI templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "schema"),
    [
        ("deploy/ci/gitlab-ci.yml", "vendor.gitlab-ci"),
        ("deploy/ci/github-workflow.yml", "vendor.github-workflows"),
    ],
)
def test_ci_templates_match_their_schema(template: str, schema: str) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", schema, str(ROOT / template)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (ROOT / template).read_text()
    for step in ("handbook validate", "--edition internal", "test_editions.py", "test_site.py"):
        assert step in text, (template, step)
