"""Read the plain-text source guideline into chapters and bullets, for coverage tests.

The text is a PDF extraction: bullets (•, −, o) are broken over lines, sometimes across a blank
line. A bullet continues until the next bullet marker, a chapter heading, or a blank line that is
not followed by a continuation: a line starting in lower case, a digit or "(", or any line when
the bullet has not ended its sentence yet. Sub-headings (lines ending in ":") never continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CHAPTER = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
MARKERS = ("•", "−", "o ")
URL = re.compile(r"^\s*https?://")


@dataclass
class Chapter:
    number: int
    title: str
    bullets: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


def _is_marker(line: str) -> bool:
    return line.strip().startswith(MARKERS)


def _continues(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and (stripped[0].islower() or stripped[0].isdigit() or stripped[0] == "(")


def parse(path: Path) -> list[Chapter]:
    lines = path.read_text(encoding="utf-8").splitlines()
    chapters: list[Chapter] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = CHAPTER.match(line)
        if heading and int(heading.group(1)) == len(chapters) + 1:
            title = heading.group(2)
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if following.strip() and not _is_marker(following):
                title += " " + following.strip()  # a title broken over two lines (5 and 10)
                index += 1
            chapters.append(Chapter(int(heading.group(1)), title))
            index += 1
            continue
        if chapters and _is_marker(line):
            parts = [line.strip().lstrip("•−").removeprefix("o ").strip()]
            index += 1
            while index < len(lines):
                nxt = lines[index]
                if _is_marker(nxt) or CHAPTER.match(nxt) or URL.match(nxt):
                    break
                if not nxt.strip():
                    ahead = index + 1
                    while ahead < len(lines) and not lines[ahead].strip():
                        ahead += 1
                    unfinished = not parts[-1].rstrip().endswith((".", ":"))
                    if (
                        ahead < len(lines)
                        and not _is_marker(lines[ahead])
                        and not CHAPTER.match(lines[ahead])
                        and not URL.match(lines[ahead])
                        and not lines[ahead].rstrip().endswith(":")
                        and (_continues(lines[ahead]) or unfinished)
                    ):
                        index = ahead
                        continue
                    break
                parts.append(nxt.strip())
                index += 1
            chapters[-1].bullets.append(" ".join(parts))
            continue
        if chapters and line.strip() and not URL.match(line):
            chapters[-1].prose.append(line.strip())
        index += 1
    return chapters


def sentences(prose_lines: list[str]) -> list[str]:
    text = " ".join(prose_lines)
    return [s.strip() for s in re.split(r"(?<=[.])\s+(?=[A-ZÆØÅ])", text) if s.strip()]


def words(text: str) -> list[str]:
    return re.findall(r"[a-zæøå0-9]+", text.lower())
