"""The other values of a table row that the question names by their column.

"Vad är budgetbehovet för brandväggar, och under vilken period?" is answered from
one row: the looked-up figure plus the row's "Period" cell. Columns are matched by
the stems of their headers, so any table's own column names work.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from assistant.language.textmatch import match_strength, stems
from corpus.models import Cell, TableRow

YEAR_HEADER_DIGITS = 4


def _is_year_header(column: str) -> bool:
    # Year columns are chosen by the asked years, not by header words.
    return any(w.isdigit() and len(w) == YEAR_HEADER_DIGITS for w in column.split())


def asked_cells(
    terms: Sequence[str], row: TableRow, shown_columns: Collection[str]
) -> list[Cell]:
    """Filled cells of ``row`` whose header a question term names in full, other
    than the columns already shown and the year columns."""
    out = []
    for cell in row.cells:
        if not cell.text.strip() or cell.column in shown_columns:
            continue
        if _is_year_header(cell.column):
            continue
        header = set(stems(cell.column))
        if header and any(match_strength(t, header) >= 1.0 for t in terms):
            out.append(cell)
    return out
