"""Grid rows that are a wrapped line of the row above, not a row of their own.

Some writers paint a table's cells as filled boxes: LibreOffice Draw a text frame
inside each cell, Word a shaded box behind every line of a cell's text. The edges
of those boxes split one printed row into several grid rows, so a wrapped label
("- Kommunikation," / "ledning och styrning") came out as two rows, the second
without figures. A boundary between two grid rows is no row boundary when a box
of the table spans across it (the whole cell) and no rule is drawn along it: the
grid row below holds the next lines of the row above. Geometry only: the words
are never read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from corpus.hyphenation import join_in_cell
from corpus.numbers import YEAR_RE, parse_number

RULE_MAX = 1.5  # pt: a filled box at most this thin is a drawn rule
SLACK = 1.0  # pt: drawing tolerance


def _within(obj: dict[str, Any], bbox: Sequence[float]) -> bool:
    return (
        obj["x0"] >= bbox[0] - SLACK
        and obj["x1"] <= bbox[2] + SLACK
        and obj["top"] >= bbox[1] - SLACK
        and obj["bottom"] <= bbox[3] + SLACK
    )


def _rule_ys(page: Any, bbox: Sequence[float]) -> list[float]:
    """Heights at which a horizontal rule is drawn inside the table."""
    ys: list[float] = []
    for rect in page.rects:
        if not _within(rect, bbox) or rect["x1"] - rect["x0"] <= RULE_MAX:
            continue
        if rect["bottom"] - rect["top"] <= RULE_MAX:
            ys.append((rect["top"] + rect["bottom"]) / 2)
        elif rect.get("stroke"):
            ys += [rect["top"], rect["bottom"]]  # a stroked frame draws its edges
    ys += [
        (ln["top"] + ln["bottom"]) / 2
        for ln in page.lines
        if _within(ln, bbox) and ln["bottom"] - ln["top"] <= RULE_MAX
    ]
    return ys


def wrapped_rows(table: Any, row_tops: Sequence[tuple[float, float]]) -> set[int]:
    """Indices of the grid rows that continue the row above (see module doc)."""
    bbox = table.bbox
    height = bbox[3] - bbox[1]
    boxes = [
        (rect["top"], rect["bottom"])
        for rect in table.page.rects
        if _within(rect, bbox)
        and RULE_MAX < rect["bottom"] - rect["top"] < height - SLACK
        and rect["x1"] - rect["x0"] > RULE_MAX
    ]
    rules = _rule_ys(table.page, bbox)
    found: set[int] = set()
    for r in range(1, len(row_tops)):
        y = row_tops[r][0]
        spanned = any(top < y - SLACK and bottom > y + SLACK for top, bottom in boxes)
        if spanned and not any(abs(ry - y) <= RULE_MAX + SLACK for ry in rules):
            found.add(r)
    return found


def _figure(text: str) -> bool:
    return parse_number(text) is not None and not YEAR_RE.fullmatch(text.strip())


def join_lines(
    above: Sequence[str], below: Sequence[str], known: Collection[str]
) -> tuple[str, ...] | None:
    """Two printed lines of one row as one row, cell by cell; None when both hold
    a figure in one column (two rows of data, whatever the drawing says)."""
    if any(_figure(a) and _figure(b) for a, b in zip(above, below, strict=True)):
        return None
    return tuple(
        join_in_cell(f"{a}\n{b}", known) if a and b else a or b
        for a, b in zip(above, below, strict=True)
    )


def fold_wrapped(
    rows: Iterable[tuple[int, tuple[str, ...]]],
    wrapped: Collection[int],
    known: Collection[str],
) -> list[tuple[str, ...]]:
    """Grid rows (index, cells) with each wrapped line joined to the row above it;
    empty rows left out."""
    out: list[tuple[str, ...]] = []
    last = -2  # grid index of the row ``out[-1]`` ends with
    for r, cells in rows:
        joined = (
            join_lines(out[-1], cells, known)
            if out and r in wrapped and last == r - 1
            else None
        )
        if joined is not None:
            out[-1] = joined
            last = r
        elif any(cells):
            out.append(cells)
            last = r
        elif r in wrapped and last == r - 1:
            last = r  # an empty line inside the row above
    return out
