"""The first line of defence: `handbook validate` refuses every markup payload in every text field
of the model at its own line (`tests/payloads.py` finds the fields and makes the content)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from tests import payloads as P
from tests.conftest import ROOT

BUILDS = 3  # the same rotation as the browser suite
EXPECTED_CODE = {"plain": "markup-in-plain-text", "url": "bad-url", "markdown": None}
_DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: error: .*\[(?P<code>[a-z-]+)\]$")


def test_every_text_field_of_the_model_gets_payloads() -> None:
    assert not P.uncovered_fields(), (
        "text fields no payload reaches; give them a value in tests/payloads.py: "
        f"{P.uncovered_fields()}"
    )
    assert P.text_fields(), "the walk over the model found no text fields"


def test_ids_and_formatted_fields_refuse_every_payload() -> None:
    """Ids, references, phone numbers and key sequences get no payloads in the content: their
    pattern or format refuses every one of them, which this asserts instead."""
    accepted = []
    for field in P.walk_fields():
        if field.kind not in ("id", "format"):
            continue
        adapter = TypeAdapter(P.typing_hint(field))
        for payload in (*P.PAYLOADS, *P.URL_PAYLOADS):
            try:
                adapter.validate_python(payload.text(1000000))
            except ValidationError:
                continue
            accepted.append((field.path, payload.name))
    assert not accepted, accepted


@pytest.mark.parametrize("build", range(BUILDS))
def test_validate_reports_every_markup_payload_at_its_line(tmp_path: Path, build: int) -> None:
    cells = P.rotation(BUILDS)[build]
    values = {slot.key: P.joined(items) for slot, items in cells.items()}
    content = tmp_path / "content"
    lines = P.write_content(content, P.fill(values))
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == 1, output[-3000:]
    reported: dict[tuple[str, int], set[str]] = {}
    for text in result.stdout.splitlines():
        match = _DIAGNOSTIC.match(text)
        if match:
            file = Path(match["path"]).resolve().relative_to(content.resolve()).as_posix()
            reported.setdefault((file, int(match["line"])), set()).add(match["code"])
    missed = []
    for slot, items in cells.items():
        kind = slot.field.kind
        must = [p for _, p in items if p.refuse_markdown] if kind == "markdown" else None
        if kind != "markdown":
            must = [p for _, p in items if p.refuse_plain]
        if not must:
            continue
        line = lines[slot.key]
        codes = reported.get((slot.file, line), set())
        expected = EXPECTED_CODE[kind]
        if not codes or (expected is not None and expected not in codes):
            names = ", ".join(p.name for p in must)
            missed.append(f"{slot.file}:{line} {slot.field.path} [{names}] got {sorted(codes)}")
    assert not missed, f"{len(missed)} values not refused at their line:\n" + "\n".join(missed)
