"""A ruled table continued on the next page is joined back into one table.

The last thing on a page (page furniture aside) is a table and the first thing
on the next page is a table with the same columns (count and left edges; a
column left empty on the new page is put back) and no caption of its own: the
second continues the first. Then

- a header printed again (Word's "repeat as header row") stays, for the table
  parser to drop; when it is the header of the first of two tables Word set as
  one grid, it is replaced by the continued table's own; a header printed again
  but clipped (the repeated row cut to the height the layout gives it, so each
  cell shows only its start) is the header too;
- without a repeated header, the first grid row is data when it holds figures,
  is plain under a bold header above, or is the rest of a split row (below); a
  header of its own printed like the header above starts a new table;
- a row split by the page break (its cells go on at the top of the next page,
  the cells that were finished left empty) is one row again: the first row on
  the new page has a cell left empty beyond the label column where the last row
  above has text, text only where that row has text too, no lone figure, and
  no label starting with a capital.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from corpus.numbers import parse_number
from corpus.pdf_cells import EDGE_BREAK, EDGE_END
from corpus.pdf_layout import Segment
from corpus.pdf_tables import PageTable, has_figure

# Column edges of the two parts agree within this many points.
COLUMN_TOLERANCE_PT = 2.0
# A cell text ending so goes on (a bullet whose item follows, a list in a sentence).
_UNFINISHED = ("•", ",", "\uf0b7")
# A cell text starting so goes on the one above ("Tydliggör ..." / "– En koncern").
_CONTINUING = ("–", "-", ")")
_SENTENCE_END = (".", "!", "?", ":")


def _last_table(segs: Sequence[Segment]) -> int | None:
    """Index of the table that nothing on the page follows, if any."""
    if not segs:
        return None
    last = max(segs, key=lambda s: s.bottom)
    if last.table is None or any(
        s.top >= last.bottom - 1 for s in segs if s is not last
    ):
        return None
    return last.table


def _first_table(segs: Sequence[Segment], repeated: Collection[str] = ()) -> int | None:
    """Index of the table that nothing on the page precedes, if any; lines in
    ``repeated`` (a header row printed again as lines) may precede it."""
    segs = [s for s in segs if s.table is not None or s.text not in repeated]
    if not segs:
        return None
    first = min(segs, key=lambda s: s.top)
    if first.table is None or any(
        s.bottom <= first.top + 1 for s in segs if s is not first
    ):
        return None
    return first.table


def _lines_on_top(segs: Sequence[Segment], table: int) -> set[str]:
    """The lines stacked right on top of ``table`` (no gap wider than a line):
    one-cell rows of its grid read as lines ("Poäng" over a "Styrkor" table),
    which Word prints again over the table's part on the next page."""
    top = next(s.top for s in segs if s.table == table)
    found: set[str] = set()
    for seg in sorted(
        (s for s in segs if s.table is None and s.bottom <= top + 1),
        key=lambda s: -s.bottom,
    ):
        if top - seg.bottom > seg.bottom - seg.top:
            break
        found.add(seg.text)
        top = seg.top
    return found


def same_columns(a: PageTable, b: PageTable) -> bool:
    return len(a.columns) == len(b.columns) >= 2 and all(
        abs(x - y) <= COLUMN_TOLERANCE_PT
        for x, y in zip(a.columns, b.columns, strict=True)
    )


def widened(above: PageTable, below: PageTable) -> PageTable | None:
    """``below`` with the columns it left out as empty (a label column spanning
    down the whole table prints empty on the next page) put back, when the two
    grids have the same frame and ``below``'s columns are some of ``above``'s."""
    if len(below.columns) >= len(above.columns) or any(
        abs(above.bbox[i] - below.bbox[i]) > COLUMN_TOLERANCE_PT for i in (0, 2)
    ):
        return None
    positions: list[int] = []
    k = 0
    for x in below.columns:
        while (
            k < len(above.columns) and abs(above.columns[k] - x) > COLUMN_TOLERANCE_PT
        ):
            k += 1
        if k == len(above.columns):
            return None
        positions.append(k)
        k += 1

    def widen(cells: Sequence[str]) -> tuple[str, ...]:
        out = [""] * len(above.columns)
        for at, text in zip(positions, cells, strict=True):
            out[at] = text
        return tuple(out)

    return replace(
        below,
        header=widen(below.header) if below.header else (),
        rows=tuple(map(widen, below.rows)),
        header_rows=tuple(map(widen, below.header_rows)),
        columns=above.columns,
    )


def _is_fragment(last: Sequence[str], first: Sequence[str]) -> bool:
    """``first`` holds the rest of ``last``'s cells after a page break: a cell
    beyond the label column finished above is empty (or, the label empty, every
    cell goes on in lower case), text goes on only where
    ``last`` has text, no cell is a lone figure (figures do not wrap) and a
    label part does not start a new one (a capital letter)."""
    if len(last) != len(first) or not any(first):
        return False
    finished = any(last[j] and not first[j] for j in range(1, len(last)))
    # Every cell going on ("utvecklas", "företag, ...", or after a cell ending
    # in a bullet or comma) is the rest of a sentence even when no cell beyond
    # the label was finished.
    going_on = [
        _goes_on(above, below) for above, below in zip(last, first, strict=True)
    ]
    every = all(going_on[j] for j in range(len(first)) if first[j])
    return (
        (finished or every)
        and all(last[j] for j in range(len(first)) if first[j])
        and not any(parse_number(text) for text in first if text)
        and (not first[0][:1].isupper() or going_on[0])
    )


def _goes_on(above: str, below: str) -> bool:
    """``below`` continues the cell text ``above``: it starts in lower case or
    with a dash, or with a figure after a text without a closing stop ("... av"
    / "2022 och ..."), or ``above`` stops where no cell text ends (a bullet, a
    comma)."""
    above = above.rstrip()
    return bool(below) and (
        below[:1].islower()
        or below.startswith(_CONTINUING)
        or (below[:1].isdigit() and not above.endswith(_SENTENCE_END))
        or above.endswith(_UNFINISHED)
    )


def _join_cells(last: Sequence[str], first: Sequence[str]) -> tuple[str, ...]:
    """Each cell's start and rest joined by a space, or by a possible edge break
    when the start's last word reached the cell edge (``EDGE_END``) and the rest
    goes on with letters ("samhällsbyggnadsproc" / "essen")."""

    def join(a: str, b: str) -> str:
        if a.endswith(EDGE_END) and b[:1].isalpha():
            return f"{a[: -len(EDGE_END)]}{EDGE_BREAK}{b}"
        return " ".join(t for t in (a.removesuffix(EDGE_END), b) if t)

    return tuple(join(a, b) for a, b in zip(last, first, strict=True))


def _clipped_reprint(
    rows: Sequence[Sequence[str]], header_rows: Sequence[Sequence[str]]
) -> bool:
    """``rows`` are ``header_rows`` printed again with each cell cut short: the
    same shape, every cell the start of the header's, and some cell whole."""
    if not rows or len(rows) != len(header_rows):
        return False
    pairs = [
        (" ".join(a.split()), " ".join(b.split()))
        for row, head in zip(rows, header_rows, strict=True)
        if len(row) == len(head)
        for a, b in zip(row, head, strict=True)
    ]
    return (
        len(pairs) == sum(len(h) for h in header_rows)
        and all(b.startswith(a) and (a or not b) for a, b in pairs)
        and any(a == b and a for a, b in pairs)
    )


def continues(
    above: PageTable,
    below: PageTable,
    header_rows: tuple[tuple[str, ...], ...],
    repeated: Collection[str] = (),
    last_row: Sequence[str] = (),
) -> bool:  # header_rows: those of the table being continued
    """``below`` (first on its page) continues ``above`` (last on the page before);
    captions of ``below`` in ``repeated`` are lines on top of ``above`` printed
    again; ``last_row`` is the continued table's last row (``above``'s, or an
    earlier page's when all of ``above`` went on one row split over pages)."""
    last_row = last_row or (above.rows[-1] if above.rows else ())
    if set(below.captions) - set(repeated) or not same_columns(above, below):
        return False
    if below.header_rows in (header_rows, above.grid_header_rows):
        return True  # the header printed again
    if _clipped_reprint(below.header_rows, header_rows):
        return True
    # A different header of its own, printed as a header like the one above, is
    # a new table; a first row with figures, or plain under a bold header, is data.
    first = below.header_rows[0] if below.header_rows else ()
    return (
        has_figure(first)
        or (above.bold_header and not below.bold_header)
        or bool(last_row and _is_fragment(last_row, first))
    )


def _continuing_header(
    above: PageTable, below: PageTable, chain: PageTable
) -> PageTable:
    """``below`` with the header it continues ``chain`` under."""
    if below.header_rows == chain.header_rows:
        return below  # printed again: the table parser drops it
    if _clipped_reprint(below.header_rows, chain.header_rows):
        return replace(below, header=chain.header, header_rows=chain.header_rows)
    if below.header_rows == above.grid_header_rows:
        # The grid's first header printed again over a later table of the grid:
        # that table's own header instead, for the parser to drop.
        return replace(below, header=chain.header, bold_header=chain.bold_header)
    # The "header" found on the new page is data of the table above.
    return replace(below, header=(), rows=(*below.header_rows, *below.rows))


def _join_split_row(holder: PageTable, below: PageTable) -> tuple[PageTable, PageTable]:
    """A row split over the break (maybe over whole pages) made one row again:
    ``holder`` holds the row's start, ``below`` its rest."""
    if holder.rows and below.rows and _is_fragment(holder.rows[-1], below.rows[0]):
        joined = _join_cells(holder.rows[-1], below.rows[0])
        holder = replace(holder, rows=(*holder.rows[:-1], joined))
        below = replace(below, rows=below.rows[1:])
    return holder, below


def _stacked(segs: Sequence[Segment], a: int, b: int) -> bool:
    """Table ``b`` starts right under table ``a`` on the page, nothing between."""
    box = {s.table: s for s in segs if s.table in (a, b)}
    if len(box) != 2 or box[b].top < box[a].bottom - 1:
        return False
    return not any(
        s.table is None and box[a].bottom - 1 <= s.top and s.bottom <= box[b].top + 1
        for s in segs
    )


def _widen_stacked(tables: list[PageTable], segs: Sequence[Segment]) -> list[PageTable]:
    """A table right under another in the same frame with a column left empty
    (a label cell merged down from the table above) gets that column back, as
    on the next page (``widened``)."""
    out = list(tables)
    for k in range(1, len(out)):
        if _stacked(segs, k - 1, k):
            out[k] = widened(out[k - 1], out[k]) or out[k]
    return out


def _facing_tables(
    page: Sequence[Segment], nxt: Sequence[Segment]
) -> tuple[int, int, set[str]] | None:
    """The table ending ``page``, the one opening ``nxt`` and the lines on top
    of the first that may be printed again over the second."""
    i = _last_table(page)
    if i is None:
        return None
    repeated = _lines_on_top(page, i)
    j = _first_table(nxt, repeated)
    return None if j is None else (i, j, repeated)


def join_continued(
    tables: list[list[PageTable]], segments: Sequence[Sequence[Segment]]
) -> list[list[PageTable]]:
    """Each page's tables with those continued from the page before marked and
    their split rows joined (the lists keep their lengths and order)."""
    out = [list(page) for page in tables]
    chain: PageTable | None = None  # the part that starts the table being continued
    tail: tuple[int, int] | None = None  # the part holding the chain's last row
    for k in range(len(out) - 1):
        # Page k's first table is final now (widened when it continues a table).
        out[k] = _widen_stacked(out[k], segments[k])
        pair = _facing_tables(segments[k], segments[k + 1])
        if pair is None:
            continue
        i, j, repeated = pair
        above, below = out[k][i], out[k + 1][j]
        below = widened(above, below) or below
        if not above.continued or chain is None:
            chain, tail = above, (k, i)
        assert tail is not None
        held = out[tail[0]][tail[1]] if tail != (k, i) else above
        last_row = held.rows[-1] if held.rows else ()
        if not continues(above, below, chain.header_rows, repeated, last_row):
            continue
        below = replace(
            _continuing_header(above, below, chain), continued=True, captions=()
        )
        if above.rows:
            tail = (k, i)
        assert tail is not None
        holder = out[tail[0]][tail[1]] if tail != (k, i) else above
        holder, below = _join_split_row(holder, below)
        if not below.rows:
            below = replace(below, header=())  # a header printed again over nothing
        if tail == (k, i):
            above = holder
        else:
            out[tail[0]][tail[1]] = holder
        out[k][i], out[k + 1][j] = above, below
        if below.rows:
            tail = (k + 1, j)
    if out:
        out[-1] = _widen_stacked(out[-1], segments[-1])
    return out
