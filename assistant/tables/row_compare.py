"""Rows kept by a comparison: "Vilken post minskar från 2024 till 2025?", "I vilka
områden ligger Mark under medelvärdet?", "Which schools have more than 100 places?".

A question asking which rows (``vilka``, ``which``) and no superlative keeps the
rows of a table on one side of a reference:

- a change with a sign ("minskar", "ökar") between two year columns: the rows whose
  value falls (rises) from the earlier year to the later;
- a comparison word ("under", "högre", "more") before a figure the question writes:
  the rows whose value column is below (above) that figure;
- a comparison word and a column the question names ("medelvärdet" for "Medel
  2020-"): the rows whose value column is below (above) that column's cell.

The value column is, among the other numeric columns, the one of an asked year
(or kind), else of the reference's year, else the first: a table is read from
the left, where the figure it is about usually stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.language.vocabulary import words
from assistant.models import Query
from assistant.reading.operators import (
    ABOVE_WORDS,
    BELOW_WORDS,
    COMPARISON_WORDS,
    DECREASE_WORDS,
    INCREASE_WORDS,
    change_pair,
    is_deviation_column,
    superlative,
)
from corpus.numbers import parse_number
from index.tablestore import CellRecord

Rows = Mapping[int, Sequence[CellRecord]]  # by line (of one document's frame)
# A figure in the question that is not a year ("fler än 100", "over 5,5"), nor a
# paragraph of the document ("under § 17").
_FIGURE_RE = re.compile(
    r"(?<![\w,.§])(?<!§\s)(\d{1,3}(?:[  ]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])"
)
_ROW_QUESTION = frozenset({"vilka", "vilken", "vilket", "which"})


@dataclass(frozen=True)
class Compared:
    """The kept rows' cells (value cell, then the reference's or the earlier
    year's) and what was compared, for the answer's lead. No row kept is an
    answer too ("none"): then ``cells`` are the compared rows' value cells."""

    cells: tuple[CellRecord, ...]
    side: str  # "below" or "above"
    value: str  # the value column (the later year's, for a change)
    reference: str  # the column or the figure compared with
    change: bool = False  # compared the later year with the earlier
    none: bool = False  # no row is on the asked side

    @property
    def ranking(self) -> str:
        """How the answer's lead reads it: "below-change", "above:Medel 2020-",
        "below-none:Mål 2023"."""
        side = f"{self.side}-none" if self.none else self.side
        return f"{side}-change" if self.change else f"{side}:{self.reference}"


def comparison_side(text: str) -> str | None:
    """ "below" or "above" when a row question compares, else None."""
    # "över- eller underskott": a word's first part, not a comparison.
    ws = set(words(" ".join(t for t in text.split() if not t.endswith("-"))))
    if not ws & _ROW_QUESTION or superlative(text):
        return None
    if ws & (DECREASE_WORDS | BELOW_WORDS):
        return "below"
    if ws & ABOVE_WORDS:
        return "above"
    return None


def split_at_cue(text: str) -> tuple[str, str]:
    """``text`` before and after its first comparison word: what is compared, and
    what it is compared with ("prognosen" | "budget")."""
    cues = COMPARISON_WORDS | DECREASE_WORDS
    tokens = text.split()
    for i, token in enumerate(tokens):
        if words(token) and words(token)[0] in cues:
            return " ".join(tokens[:i]), " ".join(tokens[i + 1 :])
    return text, ""


def compare_rows(
    rows: Rows,
    query: Query,
    value_named: Callable[[str], bool],
    reference_named: Callable[[str], bool],
) -> Compared | None:
    """The rows on the asked side of the reference, or None when the question
    compares nothing this table has (no change pair, figure or named column).
    The reference is a column named after the comparison word ("över budget"),
    the value a column named before it ("prognosen"), else see ``_value_column``."""
    side = comparison_side(query.text)
    kinds = {c.kind for r in rows.values() for c in r}
    if side is None or len(rows) < 2 or not set(query.metrics) <= kinds:
        return None  # "prognosen över budget" in a table without a forecast
    ws = set(words(query.text))
    changing = ws & (DECREASE_WORDS | INCREASE_WORDS)
    years = {c.year for r in rows.values() for c in r if c.year is not None}
    pair = change_pair(query, years) if changing and len(query.years) >= 2 else None
    if pair:
        return _by_change(rows, pair, side)
    # A deviation column is neither a value nor a reference: it is their difference.
    columns = [
        col
        for col in dict.fromkeys(c.column_label for r in rows.values() for c in r)
        if not is_deviation_column(col)
    ]
    references = [c for c in columns if reference_named(c)]
    values = [c for c in columns if value_named(c) and c not in references]
    figure = _figure(query)
    if figure is not None:
        # "riskvärde över 12": the named column holds the value, else the asked
        # year's ("mer än 1 000 tkr 2025").
        dated = [
            col
            for col in columns
            if any(
                c.column_label == col and c.year in query.years
                for r in rows.values()
                for c in r
            )
        ]
        named = values or references or dated
        value = named[-1] if named else None
        return _by_reference(rows, side, value, lambda _: figure, _show(figure))
    if not references:
        return None
    chosen = values[-1] if values else None
    reference = _reference(rows, references, query, chosen)
    value = chosen or _value_column(rows, columns, query, reference)
    return _by_reference(rows, side, value, _cell_in(reference), reference)


def _reference(
    rows: Rows, references: Sequence[str], query: Query, value: str | None
) -> str:
    """Of the columns named as the reference, the one of an asked year, else the
    one nearest in year to the value column ("Mål 2023" for "Utfall 2022"), else
    the last named."""
    year_of = {c.column_label: c.year for r in rows.values() for c in r}
    asked = [r for r in references if year_of.get(r) in query.years]
    if asked:
        return asked[0]
    base = year_of.get(value) if value else None
    dated = [r for r in references if year_of.get(r) is not None]
    if base is not None and dated:
        return min(dated, key=lambda r: abs((year_of[r] or 0) - base))
    return references[-1]


def _figure(query: Query) -> float | None:
    years = {str(y) for y in query.years}
    for match in _FIGURE_RE.finditer(query.text):
        parsed = parse_number(match[1]) if match[1] not in years else None
        if parsed is not None:
            return parsed.value
    return None


def _show(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _cell_in(column: str) -> Callable[[Sequence[CellRecord]], CellRecord | None]:
    def cell(row: Sequence[CellRecord]) -> CellRecord | None:
        return next((c for c in row if c.column_label == column), None)

    return cell


def _value_column(
    rows: Rows, columns: Sequence[str], query: Query, reference: str | None
) -> str | None:
    cells = [
        c
        for r in rows.values()
        for c in r
        if c.column_label != reference and c.column_label in columns
    ]
    ref_years = {
        c.year for r in rows.values() for c in r if c.column_label == reference
    }
    for keep in (
        lambda c: c.year in query.years,
        lambda c: bool(query.metrics) and c.kind in query.metrics,
        lambda c: c.year is not None and c.year in ref_years,
        lambda c: True,
    ):
        found = {c.column_label for c in cells if keep(c)}
        if found:
            return next(col for col in columns if col in found)
    return None


def _by_reference(
    rows: Rows,
    side: str,
    value: str | None,
    reference_of: Callable[[Sequence[CellRecord]], CellRecord | float | None],
    reference: str,
) -> Compared | None:
    if value is None:
        return None
    kept: list[CellRecord] = []
    compared: list[CellRecord] = []
    for row in rows.values():
        cell = _cell_in(value)(row)
        ref = reference_of(row)
        if cell is None or ref is None:
            continue
        compared.append(cell)
        base = ref if isinstance(ref, float) else ref.value
        if _on_side(cell.value, base, side):
            kept.append(cell)
            if not isinstance(ref, float):
                kept.append(ref)
    if kept or not compared:
        return Compared(tuple(kept), side, value, reference) if kept else None
    return Compared(tuple(compared), side, value, reference, none=True)


def year_pair_cells(
    row: Sequence[CellRecord], pair: tuple[int, int]
) -> tuple[CellRecord, CellRecord] | None:
    """The row's cells of the later and the earlier year of ``pair``, of one kind
    where the row has it ("Budget 2024" against "Budget 2023", not "Prognos
    2023"); a target ("Mål 2023") only when the year has nothing else."""
    earlier, later = pair

    def of_year(year: int) -> list[CellRecord]:
        cells = [c for c in row if c.year == year]
        return [c for c in cells if c.kind != "mål"] or cells

    lasts, firsts = of_year(later), of_year(earlier)
    if not lasts or not firsts:
        return None
    last = lasts[0]
    first = next((c for c in firsts if c.kind == last.kind), firsts[0])
    return last, first


def _on_side(value: float, base: float, side: str) -> bool:
    """``value`` below (above) ``base``; two costs printed negative are compared
    by size ("the forecast is above budget" for -124,8 against -121,3)."""
    if value < 0 and base < 0:
        value, base = -value, -base
    return value < base if side == "below" else value > base


def _by_change(rows: Rows, pair: tuple[int, int], side: str) -> Compared | None:
    earlier, later = pair
    kept: list[CellRecord] = []
    compared: list[CellRecord] = []
    for row in rows.values():
        cells = year_pair_cells(row, pair)
        if cells is not None:
            last, first = cells
            compared.append(last)
            if _on_side(last.value, first.value, side):
                kept += [last, first]
    if not compared:
        return None
    found = kept or compared
    return Compared(
        tuple(found), side, str(later), str(earlier), change=True, none=not kept
    )
