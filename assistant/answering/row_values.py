"""The other values of a table row that the question names by their column.

"Vad är budgetbehovet för brandväggar, och under vilken period?" is answered from
one row: the looked-up figure plus the row's "Period" cell. Columns are matched by
the stems of their headers, so any table's own column names work.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache

from assistant.language.lexicon import words_of
from assistant.language.textmatch import match_strength, stems
from assistant.language.vocabulary import fold
from corpus.models import Cell, TableRow

YEAR_HEADER_DIGITS = 4


def _is_year_header(column: str) -> bool:
    # Year columns are chosen by the asked years, not by header words.
    return any(w.isdigit() and len(w) == YEAR_HEADER_DIGITS for w in column.split())


@cache
def _period_cues() -> re.Pattern[str]:
    cues = "|".join(map(re.escape, words_of("question_words", "period_cues")))
    return re.compile(rf"\b(?:{cues})\b")


def asks_period(question: str) -> bool:
    """ "..., och över vilka år?", "when ...": the question asks for a period."""
    return bool(_period_cues().search(fold(question)))


def _is_period_header(column: str) -> bool:
    heads = words_of("question_words", "period_headers")
    return any(w in heads for w in fold(column).split())


def asked_cells(
    terms: Sequence[str],
    row: TableRow,
    shown_columns: Collection[str],
    period: bool = False,
) -> list[Cell]:
    """Filled cells of ``row`` whose header a question term names in full (or a
    period column, when ``period`` is asked), other than the columns already
    shown and the year columns."""
    out = []
    for cell in row.cells:
        if not cell.text.strip() or cell.column in shown_columns:
            continue
        if _is_year_header(cell.column):
            continue
        header = set(stems(cell.column))
        named = header and any(match_strength(t, header) >= 1.0 for t in terms)
        if named or (period and _is_period_header(cell.column)):
            out.append(cell)
    return out
