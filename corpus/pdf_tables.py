"""Ruled PDF tables → a caption, one header row of merged column names, data rows.

pdfplumber finds the grid; each grid position gets the text of the cell covering
it, so cells spanning columns or rows are known. Header rows (leading bold rows,
or a group row with gaps above a sub-header row without figures) are merged
into one row of column names: the group cell's text is put in front of every
sub-header it spans ("Årsprognos" over "Resultat Netto" gives "Årsprognos
Resultat Netto"), unless the sub-header already starts with the group's first
word ("Ack Utfall/resultat" over "Ack Budget jan - dec" stays as printed); when
both name a column kind, the group's kind word is left out ("Ack Utfall/resultat"
over "Avvikelse jan - dec" gives "Ack Avvikelse jan - dec"), so the column's kind
is the sub-header's. A unit row ("tkr | tkr") stays its own row, as the table parser reads it.
Empty spacer columns go; a grid with fewer than two columns (a framed text box)
is not a table, unless its one filled column is not the first: the rest of a row
split by a page break, joined by ``corpus.pdf_continued``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from corpus.numbers import KIND_RE, UNIT_WORD_RE, YEAR_RE, parse_number
from corpus.pdf_cells import cell_texts
from corpus.pdf_layout import is_bold
from corpus.pdf_wrapped_rows import fold_wrapped, wrapped_rows

MAX_HEADER_ROWS = 3


@dataclass(frozen=True)
class PageTable:
    bbox: tuple[float, float, float, float]
    captions: tuple[str, ...]  # full-width title rows printed inside the grid
    header: tuple[str, ...]  # merged column names
    rows: tuple[tuple[str, ...], ...]  # unit row (if any) and data rows
    bold_header: bool = False  # the header is printed in bold
    # The printed header rows (before merging) and each kept column's left edge:
    # what a table continued on the next page is matched against.
    header_rows: tuple[tuple[str, ...], ...] = ()
    columns: tuple[float, ...] = ()
    continued: bool = False  # continues the table above: no header line of its own
    grid_header_rows: tuple[tuple[str, ...], ...] = ()  # of the grid's first table

    def mapped(self, fn: Callable[[str], str]) -> PageTable:
        """The same table with ``fn`` applied to every caption, name and cell."""
        return replace(
            self,
            captions=tuple(map(fn, self.captions)),
            header=tuple(map(fn, self.header)),
            rows=tuple(tuple(map(fn, row)) for row in self.rows),
            header_rows=tuple(tuple(map(fn, row)) for row in self.header_rows),
        )

    def texts(self) -> list[str]:
        return [*self.captions, *self.header, *(c for row in self.rows for c in row)]

    def lines(self) -> list[str]:
        """The table as the text parsers read it: captions, then tab rows. A bold
        header keeps its <b> marks, as in the text exports, so the table parser
        tells it from the rows of a table just above."""
        if self.continued and not self.header:
            return [*self.captions, *("\t".join(row) for row in self.rows)]
        header = self.header
        if self.bold_header:
            header = tuple(f"<b>{h}</b>" if h else h for h in header)
        return [
            *self.captions,
            "\t".join(header),
            *("\t".join(row) for row in self.rows),
        ]


@dataclass(frozen=True)
class _Grid:
    texts: list[list[str]]  # text of the cell covering each position
    origin: list[list[bool]]  # True where that cell starts (top-left)
    row_tops: list[tuple[float, float]]  # y-range of each grid row
    col_lefts: list[float]  # x of each grid column's left edge
    # Rows that are the wrapped line of the row above (a painted cell box spans
    # their boundary and no rule is drawn along it; see corpus.pdf_wrapped_rows).
    wrapped: frozenset[int] = frozenset()
    keep: tuple[int, ...] = ()  # the columns that hold text (empty spacers dropped)
    bold: tuple[bool, ...] = ()  # per row: printed bold
    x_range: tuple[float, float] = (0.0, 0.0)  # the table's left and right edge


def _grid(table: Any) -> _Grid | None:
    text_of: dict[tuple[float, ...], str] = {
        tuple(box): text for box, text in cell_texts(table).items()
    }
    cells = list(text_of)
    if not cells:
        return None
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    x_end, y_end = max(c[2] for c in cells), max(c[3] for c in cells)
    xb, yb = [*xs, x_end], [*ys, y_end]
    texts: list[list[str]] = []
    origin: list[list[bool]] = []
    for r in range(len(ys)):
        cy = (yb[r] + yb[r + 1]) / 2
        row_texts, row_origin = [], []
        for j in range(len(xs)):
            cx = (xb[j] + xb[j + 1]) / 2
            cell = next(
                (
                    c
                    for c in cells
                    if c[0] - 0.5 <= cx <= c[2] + 0.5 and c[1] - 0.5 <= cy <= c[3] + 0.5
                ),
                None,
            )
            row_texts.append(text_of[cell] if cell else "")
            row_origin.append(
                cell is not None
                and round(cell[0], 1) == xs[j]
                and round(cell[1], 1) == ys[r]
            )
        texts.append(row_texts)
        origin.append(row_origin)
    return _Grid(texts, origin, [(yb[r], yb[r + 1]) for r in range(len(ys))], xs)


def has_figure(cells: Sequence[str]) -> bool:
    return any(
        parse_number(c) is not None and not YEAR_RE.fullmatch(c.strip())
        for c in cells
        if c
    )


def _is_unit_row(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(UNIT_WORD_RE.fullmatch(c) for c in filled)


def _row_bold(
    words: Sequence[dict[str, Any]], bbox: Sequence[float], y: tuple[float, float]
) -> bool:
    inside = [
        w
        for w in words
        if bbox[0] <= (w["x0"] + w["x1"]) / 2 <= bbox[2]
        and y[0] <= (w["top"] + w["bottom"]) / 2 <= y[1]
        and any(ch.isalpha() for ch in w["text"])
    ]
    return bool(inside) and all(is_bold(str(w.get("fontname", ""))) for w in inside)


def _years_under_group(grid: _Grid, n: int) -> bool:
    """Row ``n`` holds only years (no letters, so no weight to read) under a
    group row whose cells span columns: "Utfall" over "2021 | 2022"."""
    return not all(grid.origin[n - 1]) and not any(
        ch.isalpha()
        for text, starts in zip(grid.texts[n], grid.origin[n], strict=True)
        if starts  # a cell spanning down from the row above is not this row's
        for ch in text
    )


def _header_count(
    grid: _Grid, first: int, bold: Sequence[bool], end: int | None = None
) -> int:
    """How many printed rows from ``first`` (up to ``end``) form the header (at
    least one)."""
    rows = grid.texts[: len(grid.texts) if end is None else end]
    last = min(len(rows) - 1, first + MAX_HEADER_ROWS)
    n = first
    if bold[first]:
        while (
            n < last
            and not has_figure(rows[n])
            and (bold[n] or (n > first and _years_under_group(grid, n)))
        ):
            n += 1
        return max(n - first, 1)
    n = first + 1
    while (
        n < last
        and not all(grid.origin[n - 1])  # a group row: cells span or are empty
        and not has_figure(rows[n])
        and not _is_unit_row(rows[n])
        and any(has_figure(r) for r in rows[n + 1 :])
    ):
        n += 1
    return n - first


def _first_word(text: str) -> str:
    return text.split()[0].lower() if text.split() else ""


def merge_header(rows: Sequence[Sequence[str]]) -> list[str]:
    names: list[str] = []
    for j in range(len(rows[0])):
        parts: list[str] = []
        for row in rows:
            text = row[j]
            if not text or (parts and text == parts[-1]):
                continue  # empty, or the same cell spanning rows
            if parts and _first_word(text) == _first_word(parts[-1]):
                parts[-1] = text  # the sub-header names the column itself
            elif parts and KIND_RE.search(text) and KIND_RE.search(parts[-1]):
                # Both name a kind (utfall, budget, ...): the sub-header's is the
                # column's; the group keeps only its other words ("Ack").
                rest = [w for w in parts[-1].split() if not KIND_RE.search(w)]
                parts[-1:] = [*([" ".join(rest)] if rest else []), text]
            else:
                parts.append(text)
        names.append(" ".join(parts))
    return names


def _header_splits(
    grid: _Grid, keep: Sequence[int], bold: Sequence[bool], start: int
) -> list[int]:
    """Rows after the first data row that start a table of their own inside the
    same grid: printed bold like a header, two or more names, no figures (two
    Word tables set one under the other print as one grid)."""
    splits: list[int] = []
    seen_data = False
    for r in range(start, len(grid.texts)):
        names = [
            grid.texts[r][j] for j in keep if grid.origin[r][j] and grid.texts[r][j]
        ]
        header_like = bold[r] and len(names) >= 2 and not has_figure(names)
        if header_like and seen_data:
            splits.append(r)
            seen_data = False
        elif not header_like and not _years_under_group(grid, r):
            seen_data = True
    return splits


def _part(grid: _Grid, rows_range: range, captions: Sequence[str]) -> PageTable:
    """The grid rows ``rows_range`` as one table: header rows merged, data rows."""
    first, end = rows_range.start, rows_range.stop
    keep, bold, x_range = grid.keep, grid.bold, grid.x_range
    count = _header_count(grid, first, bold, end)
    header_rows = [
        [grid.texts[r][j] for j in keep] for r in range(first, first + count)
    ]
    cells = (
        (r, tuple(grid.texts[r][j] if grid.origin[r][j] else "" for j in keep))
        for r in range(first + count, end)
    )
    rows = fold_wrapped(cells, grid.wrapped, ())
    top, bottom = grid.row_tops[first][0], grid.row_tops[end - 1][1]
    return PageTable(
        (x_range[0], top, x_range[1], bottom),
        tuple(captions),
        tuple(merge_header(header_rows)),
        tuple(rows),
        all(
            bold[r] or _years_under_group(grid, r) for r in range(first, first + count)
        ),
        tuple(tuple(row) for row in header_rows),
        tuple(grid.col_lefts[j] for j in keep),
    )


def page_table(table: Any, words: Sequence[dict[str, Any]]) -> list[PageTable]:
    """One pdfplumber table as ``PageTable`` s (more than one when a header
    printed again inside the grid starts a new table); none for a framed text
    box."""
    grid = _grid(table)
    if grid is None:
        return []
    width = len(grid.texts[0])
    captions: list[str] = []
    first = 0
    # A row holding one cell across the whole width is a caption printed in the grid.
    while first < len(grid.texts) - 1 and sum(grid.origin[first]) == 1 and width > 1:
        text = grid.texts[first][0]
        if text and all(t == text for t in grid.texts[first]):
            captions.append(text)
            first += 1
        else:
            break
    keep = [
        j
        for j in range(width)
        if any(
            grid.origin[r][j] and grid.texts[r][j]
            for r in range(first, len(grid.texts))
        )
    ]
    # One filled column beside empty ruled ones (the label column empty) is the
    # rest of a row split by a page break, kept for the table it continues; a
    # framed box of text has its text in the first column.
    if not keep or (len(keep) == 1 and (keep[0] == 0 or width < 2)):
        return []
    bold = [_row_bold(words, table.bbox, y) for y in grid.row_tops]
    grid = replace(
        grid,
        wrapped=frozenset(wrapped_rows(table, grid.row_tops)),
        keep=tuple(keep),
        bold=tuple(bold),
        x_range=(float(table.bbox[0]), float(table.bbox[2])),
    )
    starts = [first, *_header_splits(grid, keep, bold, first), len(grid.texts)]
    parts = [
        _part(grid, range(a, b), captions if a == first else ())
        for a, b in pairwise(starts)
    ]
    # Word repeats the grid's first header on a new page, whichever table it is in.
    return [replace(p, grid_header_rows=parts[0].header_rows) for p in parts]


def page_tables(page: Any, words: Sequence[dict[str, Any]]) -> list[PageTable]:
    """The page's tables, top to bottom (framed text boxes left out)."""
    found = [part for t in page.find_tables() for part in page_table(t, words)]
    return sorted(found, key=lambda t: t.bbox[1])


def clean_cell(text: str) -> str:
    # A tab or newline inside a cell would split it into columns or rows.
    return re.sub(r"\s+", " ", text).strip()
