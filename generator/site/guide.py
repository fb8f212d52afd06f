"""Examples for the editor's guide, read from the golden bad-input fixtures.

Why the fixtures: each one is a real editor mistake with the exact output the tests prove the
validator gives, so the guide can never show a message the tool does not print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXPECT = "# expect: "
HINT = "#   hint: "


@dataclass(frozen=True)
class ErrorExample:
    mistake: str  # the fixture's first comment line, in Norwegian
    output: str  # the diagnostic line, as `handbook validate` prints it
    hint: str | None
    code: str


def error_examples(folder: Path) -> list[ErrorExample]:
    """One example per fixture that expects an error, in file-name order."""
    examples: list[ErrorExample] = []
    for path in sorted(folder.glob("*.yaml")):
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
        if not lines or not lines[0].startswith("# "):
            continue
        mistake = lines[0][2:].strip()
        for index, line in enumerate(lines):
            if line.startswith(EXPECT) and ": error: " in line:
                output = line[len(EXPECT) :]
                following = lines[index + 1] if index + 1 < len(lines) else ""
                hint = following[len(HINT) :] if following.startswith(HINT) else None
                code = output.rsplit("[", 1)[-1].rstrip("]")
                examples.append(ErrorExample(mistake, output, hint, code))
                break
    return examples
