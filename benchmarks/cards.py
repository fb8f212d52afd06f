"""How long an editor waits for the print cards after saving a file, against one trivial page.

Measured in the same run and interleaved (these machines are noisy), in one process, on a copy
of content/ with its own cache folder (`XDG_CACHE_HOME`):
  page:       compiling a one-line, one-page document with Typst and the same font;
  after save: before each run a statement that only one card prints (agder's sheet on
              complicated, composite disorders) gets a new word, the handbook is loaded again
              (timed apart and printed, not in the ratio: `benchmarks/validate.py` measures
              it), then `render_cards` makes every card of the region (data, PDF and
              thumbnail, as the build does): the changed one is compiled, the others come from
              the cache between runs (`generator.cards.kept`), filled by a first run. Each run
              checks that the changed card's PDF differs from the previous run's and no other
              card's does, so a stale hit is never measured;
  cold:       the same with nothing kept (`HANDBOOK_CACHE=0`, as on a first build): every card
              compiled and its QR code made.
Prints the medians, the cold ratio and, last, `ratio: N.NN` (all cards after a save / one
trivial page). Target: at most 10, after a save. Cold is 40 to 80 (as busy as the machine is)
and not the target: a card is 14 ms of Typst or more, and where that goes (agder's 19 cards,
one thread, callgrind) is Typst's evaluation and layout 30 %, PDF export 10 % (mostly
subsetting the fonts), the thumbnail 57 % (rasterising 16 %, encoding the PNG 41 %: zlib
inside the typst wheel zero-fills its buffer on every row), none of it ours to make faster;
the card data and the QR code (segno, pure Python) are about a tenth of the CPU time. A save
changes one card or a few, so only they are compiled.
Usage: python benchmarks/cards.py [--runs N] [--quick]
`--quick`: one run (for `make test`: it only has to run).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import typst
from timing import ROOT, arguments, in_process, interleaved, parse, print_ratios

sys.path.insert(0, str(ROOT))

from generator.cards.render import RenderedCard, render_cards
from generator.core.handbook import Handbook
from generator.core.pipeline import load_handbook

TEMPLATES = ROOT / "overrides" / "cards"
TRIVIAL = '#set page(paper: "a6")\n#set text(font: "Inter")\nSamhandlingshåndboka\n'
REGION = "agder"
SITE_URL = "https://handbok.example/agder/"
# The statement the saves change, and the one card that prints it.
SAVED = Path("regions/agder/topics/13-sammensatte-lidelser.yaml")
SENTENCE = "hvilke behandlingsenheter som er involvert i behandlingen av pasienten."
CHANGED = "ark-sammensatte-lidelser"


def main() -> None:
    parser = arguments(runs=9, quick="one run")
    args = parse(parser)
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        os.environ.pop("HANDBOOK_CACHE", None)
        saved = content / SAVED
        original = saved.read_text(encoding="utf-8")
        assert original.count(SENTENCE) == 1, f"{SAVED} no longer holds the sentence"
        trivial = Path(tmp) / "trivial.typ"
        trivial.write_text(TRIVIAL, encoding="utf-8")
        loads: list[float] = []
        state: dict[str, object] = {"handbook": _load(content, loads, today)}

        def one_page() -> None:
            typst.compile(trivial, font_paths=[TEMPLATES / "fonts"], ignore_system_fonts=True)

        def all_cards() -> dict[str, RenderedCard]:
            handbook = state["handbook"]
            assert isinstance(handbook, Handbook)
            cards, problems = render_cards(handbook, TEMPLATES, SITE_URL, today)
            assert not problems
            return {card.card.id: card for card in cards}

        saves = iter(range(1_000_000))

        def save() -> None:
            n = next(saves)
            saved.write_text(original.replace(SENTENCE, f"{SENTENCE} Lagret {n}."), "utf-8")
            state["handbook"] = _load(content, loads, today)

        def after_save() -> None:
            before = state["cards"]
            assert isinstance(before, dict)
            made = all_cards()
            changed = [i for i, card in made.items() if card.pdf != before[i].pdf]
            assert changed == [CHANGED], f"the save changed {changed}, not only {CHANGED}"
            state["cards"] = made

        def cold() -> None:
            os.environ["HANDBOOK_CACHE"] = "0"
            try:
                all_cards()
            finally:
                os.environ.pop("HANDBOOK_CACHE")

        state["cards"] = all_cards()  # fills the cache between runs
        count = len(state["cards"])  # type: ignore[arg-type]
        one_page()
        measured = in_process(after_save)
        jobs = {
            "page": in_process(one_page),
            "after save": lambda: (save(), measured())[1],
            "cold": in_process(cold),
        }
        times, cpu = interleaved(jobs, args.runs)
    page, after, nothing = (statistics.median(times[name]) for name in jobs)
    load = statistics.median(loads[1:] or loads)  # the first load filled the files' cache
    print(f"medians of {args.runs} runs ({REGION}, {count} cards, PDF + thumbnail):")
    rows = {
        "one trivial page (typst)": page,
        f"all cards after saving {SAVED.name} (1 compiled)": after,
        "all cards, nothing kept (HANDBOOK_CACHE=0)": nothing,
        "per card, nothing kept": nothing / count,
        "loading the handbook after a save (not counted)": load,
    }
    for label, seconds in rows.items():
        print(f"  {label:<66} {seconds * 1000:7.1f} ms")
    cold_cpu = statistics.median(cpu["cold"]) / statistics.median(cpu["page"])
    print(f"  cold: ratio {nothing / page:.2f}, CPU time ratio {cold_cpu:.2f}")
    why_cpu = "; the cards use two threads"
    print_ratios(times["after save"], times["page"], (cpu["after save"], cpu["page"]), why_cpu)


def _load(content: Path, loads: list[float], today: dt.date) -> Handbook:
    start = time.perf_counter()
    handbook = load_handbook(content, today=today, region=REGION).handbook
    loads.append(time.perf_counter() - start)
    assert handbook is not None, "content has errors"
    return handbook


if __name__ == "__main__":
    main()
