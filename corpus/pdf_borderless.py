"""Tables without rulings: consecutive rows of several segments aligned into columns.

A run of visual rows that each hold two or more segments (label, figures...) is a
table printed without lines. Its columns come from the rows with the most
segments; every segment goes to the columns it overlaps, so a group header
centred over three columns spans them and merges with the sub-headers below it
as in a ruled table (``corpus.pdf_tables.merge_header``) — a group row with gaps
names every column up to its next group; a figure missing in a
row leaves its cell empty instead of shifting the row left. A single segment
inside the label column continues the label above when it starts in lower case
(a wrapped label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from corpus.pdf_layout import Segment
from corpus.pdf_tables import MAX_HEADER_ROWS, has_figure, merge_header

# Above this share of data cells spanning columns or sharing one, the rows are
# not a table (text set with tab stops, say) and stay as printed.
MAX_MISFIT_SHARE = 0.15


@dataclass(frozen=True)
class AlignedRow:
    text: str  # tab-separated cells
    top: float
    bottom: float


def _columns(rows: Sequence[Sequence[Segment]]) -> list[tuple[float, float]] | None:
    # The most common number of segments (the larger on a tie) sets the columns.
    counts = Counter(len(r) for r in rows if len(r) >= 2)
    width = max(counts, key=lambda w: (counts[w], w))
    base = [r for r in rows if len(r) == width]
    columns = [
        (min(r[k].x0 for r in base), max(r[k].x1 for r in base)) for k in range(width)
    ]
    if any(a[1] > b[0] for a, b in pairwise(columns)):
        return None  # the widest rows do not line up: not a table
    return columns


def _territories(columns: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Each column's share of the width: up to the middle of the gaps beside it."""
    cuts = [(a[1] + b[0]) / 2 for a, b in pairwise(columns)]
    return list(zip([float("-inf"), *cuts], [*cuts, float("inf")], strict=True))


def _place(seg: Segment, territories: Sequence[tuple[float, float]]) -> list[int]:
    return [k for k, (x0, x1) in enumerate(territories) if seg.x0 < x1 and seg.x1 > x0]


def _fill_groups(cells: list[str], starts: list[bool]) -> None:
    """A group row names every column up to the next group: "Ack Utfall/resultat"
    centred over three columns is printed over only one or two of them."""
    current = ""
    for k, text in enumerate(cells):
        if starts[k]:
            current = text
        elif not text and current:
            cells[k] = current


def _header_rows(texts: Sequence[Sequence[str]]) -> int:
    """Leading rows without figures above rows with figures (at least one, at
    most ``MAX_HEADER_ROWS``)."""
    count = 0
    while (
        count < min(MAX_HEADER_ROWS, len(texts) - 1)
        and not has_figure(texts[count])
        and any(has_figure(r) for r in texts[count + 1 :])
    ):
        count += 1
    return max(count, 1)


def align_rows(rows: Sequence[Sequence[Segment]]) -> list[AlignedRow] | None:
    """The rows as tab-separated table lines (header merged), or None if they
    do not form columns."""
    if len(rows) < 2:
        return None
    columns = _columns(rows)
    if columns is None:
        return None
    width = len(columns)
    territories = _territories(columns)
    texts: list[list[str]] = []  # each segment's text in the first column it covers
    origin: list[list[bool]] = []
    misfits: list[int] = []  # segments per row spanning columns or sharing a cell
    spans: list[tuple[float, float]] = []
    for row in rows:
        cells, starts = [""] * width, [False] * width
        misfit = 0
        for seg in row:
            where = _place(seg, territories)
            misfit += len(where) > 1 or starts[where[0]]
            cells[where[0]] = f"{cells[where[0]]} {seg.text}".strip()
            starts[where[0]] = True
        if len(row) == 1 and texts and starts[0] and row[0].text[:1].islower():
            texts[-1][0] = f"{texts[-1][0]} {row[0].text}".strip()  # wrapped label
            spans[-1] = (spans[-1][0], row[0].bottom)
            continue
        texts.append(cells)
        origin.append(starts)
        misfits.append(misfit)
        spans.append((min(s.top for s in row), max(s.bottom for s in row)))
    count = _header_rows(texts)
    data = range(count, len(texts))
    placed = sum(sum(origin[r]) for r in data) or 1
    if sum(misfits[r] for r in data) > MAX_MISFIT_SHARE * placed:
        return None  # the rows do not keep to columns: leave them as printed
    for r in range(count - 1):
        if sum(origin[r]) < width:
            _fill_groups(texts[r], origin[r])
    header = "\t".join(merge_header(texts[:count]))
    out = [AlignedRow(header, spans[0][0], spans[count - 1][1])]
    for r in data:
        out.append(AlignedRow("\t".join(texts[r]), *spans[r]))
    return out
