"""Word tables → tab-separated lines, with merged cells resolved.

- A cell merged across columns (``w:gridSpan``) counts for each column it spans.
- A cell merged down (``w:vMerge``) continues its value into the rows below.
- Header rows: a first row with a cell spanning columns, followed by rows naming
  the parts of that span (no data), is a grouped header; the rows merge into one
  row of column names, "Budget" over "2024" giving "Budget 2024".
- A header row repeated further down (after a page break) is not data: dropped.
- A header Word marks as one (bold text, or "repeat as header row") is written
  bold (``<b>…</b>``), as the text exports mark it, so the table parser starts a
  new table there even when the columns match the table above.
- A row that is one cell across the whole table (a group label) keeps its text
  once, in the first column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus.numbers import YEAR_RE, parse_number

MAX_HEADER_ROWS = 3
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = {"0", "false", "off"}


@dataclass(frozen=True)
class GridCell:
    """One grid position of a Word table."""

    text: str
    spanned: bool = False  # part of a cell merged across columns
    continued: bool = False  # continuation of a cell merged down from above


def _cell_text(tc: Any, table: Any) -> str:
    from docx.table import _Cell

    return " ".join(_Cell(tc, table).text.split())


def table_grid(table: Any) -> list[list[GridCell]]:
    """Rows of grid cells, every row as wide as the widest one."""
    rows: list[list[GridCell]] = []
    for tr in table._tbl.tr_lst:
        row: list[GridCell] = []
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            column = len(row)
            above = rows[-1][column] if rows and column < len(rows[-1]) else None
            if tc.vMerge == "continue" and above is not None:
                cell = GridCell(above.text, above.spanned, continued=True)
            else:
                cell = GridCell(_cell_text(tc, table), spanned=span > 1)
            row.extend([cell] * span)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [GridCell("")] * (width - len(r)) for r in rows]


def _bold(run: Any) -> bool:
    props = run.find(f"{_W}rPr")
    flag = props.find(f"{_W}b") if props is not None else None
    return flag is not None and flag.get(f"{_W}val", "1") not in _OFF


def marked_header(table: Any) -> bool:
    """The first row is "repeat as header row", or all its text is bold."""
    rows = table._tbl.tr_lst
    if not rows:
        return False
    props = rows[0].trPr
    if props is not None and props.find(f"{_W}tblHeader") is not None:
        flag = props.find(f"{_W}tblHeader").get(f"{_W}val", "1")
        if flag not in _OFF:
            return True
    runs = [
        r
        for r in rows[0].iter(f"{_W}r")
        if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()
    ]
    return bool(runs) and all(_bold(r) for r in runs)


def _is_data(text: str) -> bool:
    return parse_number(text) is not None and not YEAR_RE.fullmatch(text)


def header_rows(grid: list[list[GridCell]]) -> int:
    """How many rows the header takes (1 unless groups span columns)."""
    count = 1
    while count < min(MAX_HEADER_ROWS, len(grid) - 1):
        above, row = grid[count - 1], grid[count]
        if not any(c.spanned and not c.continued for c in above):
            break
        own = [c for c in row if not c.continued and c.text]
        if any(_is_data(c.text) for c in own):
            break
        names_parts = any(
            top.spanned and not top.continued and sub.text and not sub.continued
            for top, sub in zip(above, row, strict=True)
        )
        if not names_parts:
            break
        count += 1
    return count


def merged_header(grid: list[list[GridCell]], rows: int) -> list[str]:
    """Column names from the header rows, top to bottom ("Budget 2024")."""
    names: list[str] = []
    for column in range(len(grid[0]) if grid else 0):
        parts: list[str] = []
        for r in range(rows):
            cell = grid[r][column]
            if cell.text and not cell.continued and cell.text not in parts:
                parts.append(cell.text)
        names.append(" ".join(parts))
    return names


def table_lines(table: Any) -> list[str]:
    """The table as tab-separated lines: header first, then the data rows."""
    grid = table_grid(table)
    if not grid:
        return []
    count = header_rows(grid)
    header = merged_header(grid, count)
    repeats = {tuple(c.text for c in grid[r]) for r in range(count)}
    if marked_header(table):
        header = [f"<b>{name}</b>" if name else "" for name in header]
    lines = ["\t".join(header)] if any(header) else []
    for row in grid[count:]:
        texts = [c.text for c in row]
        if tuple(texts) in repeats and any(texts):
            continue  # the header again, after a page break
        if len(row) > 1 and all(c is row[0] for c in row) and row[0].spanned:
            texts = [texts[0]] + [""] * (len(row) - 1)
        if any(texts):
            lines.append("\t".join(texts))
    return lines
