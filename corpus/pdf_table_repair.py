"""PDF tables put right after extraction: columns, header rows, wrapped labels.

A PDF grid can hold more columns than the printed table: LibreOffice paints a
padding frame on either side of each cell's text, so a label column spans three
grid columns ("Mått | Mått" in the header, the labels one column further right)
and the figures of a taller row, or a header word centred over its figures, land
in a padding column ("Kolumn 3"). The repairs read the cells' text only, so they
hold whatever wrote the PDF:

- Neighbouring columns that never both hold text in one row, named alike (one
  name spanning both) or one of them unnamed, are one column.
- Rows at the top without figures and without a row label continue the header:
  their texts go under the column names, so a group row over sub-names becomes
  one name per column ("Period" over "Budget" gives "Period Budget").
- A row holding only a label that starts in lower case or with "(", or sits
  under a label ending in "," or "-", is the rest of the label above.

A table continued on the next page (no header of its own) gets the column
grouping of the table it continues.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from corpus.hyphenation import join_in_cell, vocabulary
from corpus.numbers import UNIT_WORD_RE
from corpus.pdf_tables import PageTable, has_figure, merge_header

Groups = tuple[tuple[int, ...], ...]  # the grid columns making each table column

_CONTINUES = (",", "-", "–", "&", "/")  # a label ending so goes on below


def _join(texts: Sequence[str], known: Collection[str]) -> str:
    # Lines of one cell: a word broken at a hyphen is whole again ("Budget-" /
    # "avvikelse"), an elided compound stays ("Demokrati- och").
    return join_in_cell("\n".join(t for t in texts if t), known)


def column_groups(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Groups:
    """Neighbouring columns that are one: never both filled in a row, and the
    same name or one unnamed. Greedy from the left."""
    groups: list[list[int]] = [[j] for j in range(len(header))]
    names = list(header)
    filled = [[bool(row[j]) for row in rows] for j in range(len(header))]
    k = 0
    while k < len(groups) - 1:
        a, b = names[k], names[k + 1]
        clash = any(x and y for x, y in zip(filled[k], filled[k + 1], strict=True))
        if not clash and (a == b or not a or not b):
            groups[k] += groups.pop(k + 1)
            names[k] = a or b
            names.pop(k + 1)
            filled[k] = [
                x or y for x, y in zip(filled[k], filled.pop(k + 1), strict=True)
            ]
        else:
            k += 1
    return tuple(tuple(g) for g in groups)


def _regroup(
    row: Sequence[str], groups: Groups, known: Collection[str]
) -> tuple[str, ...]:
    return tuple(_join([row[j] for j in g if j < len(row)], known) for g in groups)


def _regroup_header(header: Sequence[str], groups: Groups) -> tuple[str, ...]:
    # A name spanning grouped columns is printed once.
    return tuple(next((header[j] for j in g if header[j]), "") for g in groups)


def _is_unit_row(row: Sequence[str]) -> bool:
    filled = [c for c in row if c]
    return bool(filled) and all(UNIT_WORD_RE.fullmatch(c) for c in filled)


def _header_rows(rows: Sequence[Sequence[str]]) -> int:
    """How many leading rows continue the header: rows without figures holding
    text beside the label, up to the last one without a label or naming every
    column that holds figures below (a labelled row between them is a line of a
    header cell spanning rows)."""
    numeric = {
        j for row in rows for j, cell in enumerate(row) if j and has_figure([cell])
    }
    if not numeric:
        return 0  # a table of text: nothing tells a header line from a row
    count = 0
    for n, row in enumerate(rows):
        if has_figure(row) or not any(row[1:]) or _is_unit_row(row):
            break  # a unit row ("tkr | tkr") stays a row: the table parser reads it
        if not row[0] or all(row[j] for j in numeric):
            count = n + 1
    return count


def _spread_groups(
    header: Sequence[str], below: Sequence[Sequence[str]]
) -> tuple[str, ...]:
    """A group name printed once over several sub-names names each of them: an
    unnamed column takes the name on its left when the rows below name it (the
    label column's name stays its own)."""
    names = list(header)
    group = ""
    for j in range(1, len(names)):
        if names[j]:
            group = names[j]
        elif group and any(row[j] for row in below):
            names[j] = group
    return tuple(names)


def _wraps(above: Sequence[str], below: Sequence[str]) -> bool:
    """``below`` is the rest of the label of ``above``."""
    label, prev = below[0], above[0]
    if not label or not prev or any(below[1:]):
        return False  # only a label line: cells beside it make it a row
    return label[0].islower() or label[0] == "(" or prev.endswith(_CONTINUES)


def _join_wrapped(
    rows: Sequence[tuple[str, ...]], known: Collection[str]
) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for row in rows:
        if out and _wraps(out[-1], row):
            out[-1] = tuple(
                _join([a, b], known) for a, b in zip(out[-1], row, strict=True)
            )
        else:
            out.append(row)
    return out


@dataclass(frozen=True)
class Layout:
    """How a table was repaired, for the parts of it on later pages."""

    groups: Groups  # the grid columns making each table column
    header_rows: int  # leading rows taken into the header


def repair_table(
    table: PageTable, like: Layout | None = None
) -> tuple[PageTable, Layout]:
    """The table with its columns, header and wrapped labels put right, and how
    (pass it as ``like`` for a later part of the same table)."""
    known = vocabulary([*table.header, *(c for row in table.rows for c in row)])
    width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    header = (*table.header, *[""] * (width - len(table.header)))
    rows = [(*row, *[""] * (width - len(row))) for row in table.rows]
    groups = like.groups if like else column_groups(header, rows)
    rows = [_regroup(row, groups, known) for row in rows]
    new_header = _regroup_header(header, groups) if table.header else ()
    count = 0
    if table.header:
        count = like.header_rows if like else _header_rows(rows)
        if count:
            spanned = _spread_groups(new_header, rows[:count])
            merged = merge_header([spanned, *rows[:count]])
            new_header = tuple(
                join_in_cell(n.replace("- ", "-\n"), known) for n in merged
            )
            rows = rows[count:]
    rows = _join_wrapped(rows, known)
    fixed = replace(table, header=new_header, rows=tuple(rows))
    return fixed, Layout(groups, count)


def repair_tables(pages: Sequence[Sequence[PageTable]]) -> list[list[PageTable]]:
    """Every page's tables repaired. A part of the table before it (continued
    without a header, or under the same header printed again after a page
    break) is repaired like that table: the same columns, and as many header
    rows, so a row split by the page break is not taken for a header line."""
    out: list[list[PageTable]] = []
    last: tuple[tuple[str, ...], Layout] | None = None
    for tables in pages:
        fixed: list[PageTable] = []
        for table in tables:
            continued = bool(getattr(table, "continued", False)) and not table.header
            repeated = (
                bool(table.header) and last is not None and last[0] == table.header
            )
            like = last[1] if last is not None and (continued or repeated) else None
            repaired, layout = repair_table(table, like)
            if not continued:
                last = (table.header, layout)
            fixed.append(repaired)
        out.append(fixed)
    return out
