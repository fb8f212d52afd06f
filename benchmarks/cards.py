"""How long all print cards take, against compiling one trivial page with the same engine.

Measured in the same run and interleaved (these machines are noisy): the median time to render
every card of one region (data, QR code, PDF and thumbnail, as the build makes them), and the
median time to compile a one-line, one-page document with Typst and the same font.
Prints both and, last, `ratio: N.NN` (all cards / one trivial page).
Target: at most 10; not reached from cold. Where the time goes (agder's 19 cards, one thread,
callgrind; in CPU time the PNG's share is smaller): Typst's evaluation and layout 30 %, PDF
export 10 % (mostly subsetting the fonts), the thumbnail 57 % (rasterising 16 %, encoding the
PNG 41 %: zlib inside the typst wheel zero-fills its buffer on every row); the card data and
the QR code (segno, pure Python) about a tenth of the CPU time. The thumbnail's compile lays
out nothing again: it reuses the PDF compile's layout (typst's memo cache).
Usage: python benchmarks/cards.py [--runs N] [--region ID] [--quick]
`--quick`: one run (for `make test`: it only has to run).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

import typst
from timing import ROOT, arguments, in_process, interleaved, parse, print_ratios

sys.path.insert(0, str(ROOT))

from generator.cards.render import render_cards
from generator.core.pipeline import load_handbook

TEMPLATES = ROOT / "overrides" / "cards"
TRIVIAL = '#set page(paper: "a6")\n#set text(font: "Inter")\nSamhandlingshåndboka\n'


def main() -> None:
    parser = arguments(runs=9, quick="one run")
    parser.add_argument("--region", default="agder")
    args = parse(parser)
    handbook = load_handbook(ROOT / "content", region=args.region).handbook
    assert handbook is not None, "content has errors"
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.typ"
        trivial.write_text(TRIVIAL, encoding="utf-8")

        def one_page() -> None:
            typst.compile(trivial, font_paths=[TEMPLATES / "fonts"], ignore_system_fonts=True)

        def all_cards() -> int:
            cards, problems = render_cards(handbook, TEMPLATES, "https://handbok.example/", today)
            assert not problems
            return len(cards)

        count = all_cards()
        one_page()
        jobs = {"page": in_process(one_page), "cards": in_process(all_cards)}
        times, cpu = interleaved(jobs, args.runs)
    b, m = statistics.median(times["page"]), statistics.median(times["cards"])
    print(f"medians of {args.runs} runs:")
    print(f"  one trivial page (typst):             {b * 1000:7.1f} ms")
    print(f"  all {count} cards (PDF + thumbnail):     {m * 1000:7.1f} ms")
    print(f"  per card:                             {m / count * 1000:7.1f} ms")
    why_cpu = "; the cards use two threads"
    print_ratios(times["cards"], times["page"], (cpu["cards"], cpu["page"]), why_cpu)


if __name__ == "__main__":
    main()
