"""How well the tables of PDFs come out: one Markdown row per file.

Counts, over the tables the parser finds: tables, data rows, rows with an empty
label, rows without a single cell (a label line cut off its row), columns named
"Kolumn N" (no header text above them), cells holding a number, and numeric cells
whose column gives a kind (budget, utfall, ...) or a year. Run it on the same
files before and after a change of the PDF table code.

Usage: python scripts/pdf_table_stats.py FILE.pdf [FILE.pdf ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = (
    "tables",
    "rows",
    "empty label",
    "rows without cells",
    "'Kolumn N' columns",
    "numeric cells",
    "with kind",
    "with year",
)


def table_stats(path: Path) -> dict[str, int]:
    from corpus.load import load_document
    from corpus.parse import parse_document

    parsed = parse_document(load_document(path))
    rows = [row for table in parsed.tables for row in table.rows]
    numeric = [c for row in rows for c in row.cells if c.value is not None]
    unnamed = {
        (table.table_id, c.column)
        for table in parsed.tables
        for row in table.rows
        for c in row.cells
        if c.column.startswith("Kolumn ")
    }
    return {
        "tables": len(parsed.tables),
        "rows": len(rows),
        "empty label": sum(not row.label.strip() for row in rows),
        "rows without cells": sum(not any(c.text for c in row.cells) for row in rows),
        "'Kolumn N' columns": len(unnamed),
        "numeric cells": len(numeric),
        "with kind": sum(c.kind is not None for c in numeric),
        "with year": sum(c.year is not None for c in numeric),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    print("| file | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for path in args.files:
        stats = table_stats(path)
        print(f"| {path.name} | " + " | ".join(str(stats[c]) for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
