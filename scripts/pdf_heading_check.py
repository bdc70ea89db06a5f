"""Heading recall and precision of parsed PDFs against their own tables of contents.

Usage: python scripts/pdf_heading_check.py FILE.pdf... [--verbose]
See ``evals/heading_check.py`` for how entries are read and what is counted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from evals.heading_check import check_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--verbose", action="store_true", help="list misses/extras")
    args = parser.parse_args(argv)
    print(
        "| PDF | TOC entries | recall | sections counted | precision "
        "| at TOC depth | precision at TOC depth |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    details: list[str] = []
    for path in args.files:
        c = check_pdf(path)
        if not c.entries:
            print(f"| {path.name} | no contents found | | | | | |")
            continue
        print(
            f"| {path.name} | {c.entries} | {c.found}/{c.entries} = {c.recall:.1%} "
            f"| {c.sections} | {c.matching}/{c.sections} = {c.precision:.1%} "
            f"| {c.deep_sections} | {c.deep_matching}/{c.deep_sections} = "
            f"{c.precision_at_depth:.1%} |"
        )
        details += [f"{path.name} missed: {t}" for t in c.missed]
        details += [f"{path.name} extra: {t[:100]}" for t in c.extra]
    if args.verbose:
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
