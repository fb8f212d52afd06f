"""The arguments of `handbook audit`, apart from the audit itself: the CLI builds its parser
for every command, and importing the audit (its text matching, patterns and dataclasses) costs
`handbook validate` about 2 % of its time."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

THRESHOLD = 0.5  # see the report of tests/test_audit.py: a gap in the real scores lies below it


def _threshold(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et tall") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("må være mellom 0 og 1, f.eks. 0,5")
    return value


def add_command(commands: Any) -> None:
    """`handbook audit`: the arguments (the CLI adds this to its subcommands)."""
    audit = commands.add_parser(
        "audit", help="sammenlign hvert punkt med avsnittet i kilden det viser til"
    )
    audit.add_argument(
        "--sources",
        type=Path,
        default=None,
        metavar="MAPPE",
        help="mappen med kildedokumentene som tekstfiler (påkrevd)",
    )
    audit.add_argument(
        "--content", type=Path, default=Path("content"), metavar="MAPPE", help="innholdsmappen"
    )
    audit.add_argument("--region", default=None, help="bare denne regionen (standard: alle)")
    audit.add_argument(
        "--html", type=Path, default=None, metavar="FIL", help="skriv også en HTML-side hit"
    )
    audit.add_argument(
        "--threshold",
        type=_threshold,
        default=THRESHOLD,
        metavar="ANDEL",
        help=f"under denne andelen er samsvaret lite (standard {_comma(THRESHOLD)})",
    )
    audit.add_argument(
        "--fail-on-findings", action="store_true", help="avslutt med 1 hvis noe er funnet (for CI)"
    )


def _comma(value: float) -> str:
    """0,50: as Norwegian writes decimals (as the audit's report shows scores)."""
    return f"{value:.2f}".replace(".", ",")
