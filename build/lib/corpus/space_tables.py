"""Tables whose columns are aligned by runs of spaces instead of tabs.

Text copied from a PDF viewer or a web page keeps a table's columns as runs of
two or more spaces. A block of such lines is read as a table when:
- at least ``MIN_ROWS`` consecutive lines split into 2+ cells on runs of 2+ spaces,
- every value column lines up (its cells overlap one common character position,
  so left-, right- and centre-aligned columns all count) and columns do not overlap,
- most cells beyond the first column (header row excluded) are numbers.
Prose that happens to hold double spaces fails the alignment or the number test.

``tab_view`` returns the lines with such blocks rewritten as tab-separated rows,
line for line, so the tab-table parser reads them while line numbers (citations)
stay those of the original file. Lines holding a tab are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from corpus.numbers import YEAR_RE, parse_number

MIN_ROWS = 3  # header + two rows; a header + one all-number row needs 3+ columns
MAX_LABEL_CHARS = 100  # a label-only row (a line without values) inside a table
MIN_NUMERIC_SHARE = 0.6
ALIGN_SLACK = 1  # characters a column may wobble (PDF viewers round positions)
_CELL_RE = re.compile(r"\S+(?: \S+)*")


@dataclass(frozen=True)
class SpanCell:
    start: int
    end: int
    text: str


def split_cells(line: str) -> list[SpanCell]:
    """Cells of one line, split on runs of 2+ spaces (single spaces stay inside)."""
    if "\t" in line:
        return []
    return [SpanCell(m.start(), m.end(), m[0]) for m in _CELL_RE.finditer(line)]


def _columns(rows: list[list[SpanCell]]) -> list[tuple[int, int]] | None:
    """Column extents from the widest rows, or None when they do not line up."""
    width = max(len(r) for r in rows)
    full = [r for r in rows if len(r) == width]
    extents: list[tuple[int, int]] = []
    for j in range(width):
        starts = [r[j].start for r in full]
        ends = [r[j].end for r in full]
        if j > 0 and max(starts) > min(ends) + ALIGN_SLACK:
            return None  # no common position: not a column
        extents.append((min(starts), max(ends)))
    for (_, end), (start, _) in pairwise(extents):
        if end + 1 >= start:
            return None  # columns run into each other
    return extents


def _place(row: list[SpanCell], extents: list[tuple[int, int]]) -> list[str] | None:
    """Put each cell of a shorter row into the column it overlaps; None if unclear."""
    texts = [""] * len(extents)
    for cell in row:
        hits = [
            j
            for j, (start, end) in enumerate(extents)
            if cell.start <= end + ALIGN_SLACK and cell.end >= start - ALIGN_SLACK
        ]
        if len(hits) != 1 or texts[hits[0]]:
            return None
        texts[hits[0]] = cell.text
    return texts


def _is_value(text: str) -> bool:
    return parse_number(text) is not None


def _as_table(rows: list[list[SpanCell]]) -> list[list[str]] | None:
    extents = _columns(rows)
    if extents is None:
        return None
    placed = [_place(r, extents) for r in rows]
    if any(p is None for p in placed):
        return None
    grid = [p for p in placed if p is not None]
    body = grid[1:] if not _all_values(grid[0][1:]) else grid
    values = [t for row in body for t in row[1:] if t]
    numeric = sum(_is_value(t) and not YEAR_RE.fullmatch(t) for t in values)
    if not values or numeric < MIN_NUMERIC_SHARE * len(values) or numeric < 2:
        return None
    return grid


def _all_values(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and all(
        _is_value(t) and not YEAR_RE.fullmatch(t) for t in filled
    )


def _label_only(cells: list[SpanCell]) -> bool:
    """A row with a label and no values ("Taxor och avgifter" before the figures)."""
    if len(cells) != 1:
        return False
    text = cells[0].text
    return (
        len(text) <= MAX_LABEL_CHARS
        and not text.startswith("#")
        and not (text.endswith((".", ":")))
    )


def find_space_tables(lines: tuple[str, ...]) -> dict[int, list[str]]:
    """0-based line index → the cells of that line, for every space-aligned table."""
    found: dict[int, list[str]] = {}
    run: list[int] = []
    for index in range(len(lines) + 1):
        cells = split_cells(lines[index]) if index < len(lines) else []
        if len(cells) >= 2 or (run and _label_only(cells)):
            run.append(index)
            continue
        while run and len(split_cells(lines[run[-1]])) < 2:
            run.pop()  # label-only lines count only between rows with values
        found.update(_tables_in_run(lines, run))
        run = []
    return found


def _tables_in_run(lines: tuple[str, ...], run: list[int]) -> dict[int, list[str]]:
    """The longest aligned table in the run; a caption line above it stays prose."""
    for skip in range(len(run) - 1):
        part = run[skip:]
        if len(split_cells(lines[part[0]])) < 2:
            continue
        grid = _as_table([split_cells(lines[i]) for i in part])
        if grid is not None and (len(part) >= MIN_ROWS or _one_row_table(grid)):
            return dict(zip(part, grid, strict=True))
    return {}


def _one_row_table(grid: list[list[str]]) -> bool:
    """A header and one row of numbers only, three columns or more."""
    return len(grid) == 2 and len(grid[0]) >= 3 and _all_values(grid[1][1:])


def tab_view(lines: tuple[str, ...]) -> tuple[str, ...]:
    """``lines`` with space-aligned table rows rewritten as tab-separated rows."""
    tables = find_space_tables(lines)
    if not tables:
        return lines
    return tuple(
        "\t".join(tables[i]) if i in tables else line for i, line in enumerate(lines)
    )
