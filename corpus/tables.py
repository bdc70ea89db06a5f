"""Tab-separated tables → typed ``Table`` / ``TableRow`` / ``Cell`` records.

General rules (see docs in the tests for real examples):
- A table is a run of tab-separated lines; its first row is the header.
- A later run continues the table when it repeats the header (page break) or,
  after blank lines only, has the same column count and no header of its own.
- A row right after a repeated header whose first text starts in lower case is
  the rest of a cell split by the page break: it is merged into the row above.
- Empty key cells are forward-filled (vertically merged cells).
- Short status lines printed after a block of rows (lost traffic-light icons)
  are attached to those rows by order, as a "Status" cell.
- A short label line followed by a line holding only a number ("Poäng" / "68")
  becomes a one-cell table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache

from corpus.first_page import words
from corpus.models import Cell, Table, TableRow
from corpus.numbers import (
    KIND_RE as _KIND_RE,
)
from corpus.numbers import (
    UNIT_WORD_RE as _UNIT_WORD_RE,
)
from corpus.numbers import (
    YEAR_RE as _YEAR_RE,
)
from corpus.numbers import (
    column_meta as _column_meta,
)
from corpus.numbers import (
    normalize_unit,
    parse_number,
)
from corpus.numbers import (
    unit_in as _unit_in,
)
from corpus.text import clean_inline, is_blank, plain

_TOTAL_RE = re.compile(r"^(summa|totalt?|totalsumma)\b", re.IGNORECASE)
# A row's numbering cell before its name: "1.1", "3.", "b)", "e)*" (a note's star).
_ENUM_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-zåäö][.)])\*?$")
_STATUS_GLYPHS = " \u00a0●■◆▲○◯◐◑◼•"
_SEPARATOR_RE = re.compile(r"^[\s\-:|]*$")


@dataclass
class _Row:
    cells: list[str]
    line_start: int
    line_end: int
    label: str = ""
    is_total: bool = False
    status: str | None = None
    status_raw: str = ""
    own_end: int = 0  # last line of the row as printed, before page-break merges


@dataclass
class _Draft:
    header: list[str]
    header_line: int
    rows: list[_Row] = field(default_factory=list)
    line_end: int = 0
    column_units: dict[int, str] = field(default_factory=dict)
    blocks: list[list[_Row]] = field(default_factory=list)


def _cells(raw: str) -> list[str]:
    cells = raw.split("\t")
    while len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    return cells


def _texts(cells: list[str]) -> list[str]:
    return [plain(c) for c in cells]


def _is_number(text: str) -> bool:
    return parse_number(text) is not None


def _same_header(a: list[str], b: list[str]) -> bool:
    ta, tb = _texts(a), _texts(b)
    if len(ta) != len(tb) or not any(ta):
        return False
    return all(
        x.lower() == y.lower()
        or SequenceMatcher(None, x.lower(), y.lower()).ratio() >= 0.85
        for x, y in zip(ta, tb, strict=True)
    )


def _header_like(cells: list[str], bold_only: bool = False) -> bool:
    """All-bold cells without data, or short column labels such as "Budget 2024"."""
    filled = [c for c in cells if c.strip()]
    texts = _texts(filled)
    if not filled or _TOTAL_RE.match(texts[0]):
        return False
    if any(_is_number(t) and not _YEAR_RE.fullmatch(t) for t in texts):
        return False
    if all(re.match(r"^\s*<b>.*</b>\s*$", c) for c in filled):
        return True
    if bold_only or any(len(t) > 40 or re.search(r"\d{4}-\d\d-\d\d", t) for t in texts):
        return False
    return any(_KIND_RE.search(t) or _YEAR_RE.search(t) for t in texts[1:])


def _data_row(cells: list[str]) -> bool:
    """A name followed by figures ("Fordringar | 9 | 47 669"): a row of a table
    whose header is elsewhere or not printed, never a header."""
    texts = _texts(cells)
    return (
        bool(texts[0])
        and not _is_number(texts[0])
        and any(_is_number(t) and not _YEAR_RE.fullmatch(t) for t in texts[1:])
    )


# A group's name between blocks of rows is short: longer lines are prose.
MAX_GROUP_LINE = 60
# Between two blocks of one table: a group's name and a sub-group's (at most two
# lines of text), with the blank lines around them.
MAX_GROUP_LINES = 2
MAX_GROUP_GAP = 6


def _group_line(raw: str) -> bool:
    """A short name between two blocks of a table's rows ("Omsättningstillgångar",
    "2 Verksamhetens kostnader"): it heads the rows below it, it is no sentence."""
    text = plain(raw)
    return (
        bool(text)
        and "\t" not in raw
        and len(text) <= MAX_GROUP_LINE
        and not text.endswith((".", ":", "!", "?"))
    )


def _is_status_line(raw: str) -> bool:
    text = plain(raw)
    return (
        bool(text)
        and "\t" not in raw
        and raw[0] in _STATUS_GLYPHS
        and len(text) <= 40
        and text[0].isupper()
        and not text.endswith(".")
    )


def find_label_values(lines: tuple[str, ...], skip: set[int]) -> list[tuple[int, int]]:
    """(label line, value line) pairs such as "Poäng" followed by "68"."""
    pairs: list[tuple[int, int]] = []
    for i in range(len(lines) - 1):
        label_raw, value_raw = lines[i], lines[i + 1]
        if i + 1 in skip or i + 2 in skip or label_raw.lstrip().startswith("#"):
            continue
        if any(c.strip() for c in label_raw.split("\t")[1:]):
            continue
        if any(c.strip() for c in value_raw.split("\t")[1:]):
            continue
        label = plain(label_raw.replace("\t", " "))
        words = label.split()
        if not (1 <= len(words) <= 3) or len(label) > 30 or re.search(r"[\d.]", label):
            continue
        value = value_raw.replace("\t", " ").strip()
        if _is_number(value) and not _YEAR_RE.fullmatch(plain(value)):
            pairs.append((i + 1, i + 2))
    return pairs


def _label_value_table(
    lines: tuple[str, ...], pair: tuple[int, int], table_id: str, doc: str
) -> Table:
    label_line, value_line = pair
    label = plain(lines[label_line - 1].replace("\t", " "))
    raw = lines[value_line - 1].strip("\t ")
    number = parse_number(raw)
    unit = number.unit if number and number.unit else normalize_unit(label)
    unit = unit if unit in {"poäng", "%", "kr", "tkr", "mnkr", "st", "h"} else None
    cell = Cell(
        column=label,
        raw=raw,
        text=clean_inline(raw),
        value=number.value if number else None,
        unit=unit,
        comparator=number.comparator if number else None,
    )
    row = TableRow(label, (cell,), label_line, value_line)
    return Table(
        table_id,
        doc,
        "",
        label,
        (label,),
        label_line,
        unit,
        (row,),
        label_line,
        value_line,
    )


def _runs(lines: tuple[str, ...], skip: set[int]) -> list[list[int]]:
    """Runs of consecutive tab-separated lines (1-based line numbers)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for n, raw in enumerate(lines, start=1):
        if "\t" in raw and n not in skip and any(c.strip() for c in raw.split("\t")):
            current.append(n)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _gap_ok(
    lines: tuple[str, ...], start: int, end: int, headings: set[int]
) -> tuple[bool, bool]:
    """(may continue, only blank lines) for the lines strictly between two runs."""
    gap = range(start + 1, end)
    if any(n in headings for n in gap) or len(gap) > 25:
        return False, False
    only_blank = all(is_blank(lines[n - 1]) for n in gap)
    ok = all(is_blank(lines[n - 1]) or _is_status_line(lines[n - 1]) for n in gap)
    return ok, only_blank and len(gap) <= 3


def _grouped_gap(
    lines: tuple[str, ...], start: int, end: int, headings: set[int]
) -> list[int]:
    """The group lines strictly between two runs when the gap holds only blank
    lines and at most two of them (a balance sheet's "Omsättningstillgångar"
    between its blocks of rows); [] otherwise."""
    gap = range(start + 1, end)
    if len(gap) > MAX_GROUP_GAP or any(n in headings for n in gap):
        return []
    filled = [n for n in gap if not is_blank(lines[n - 1])]
    if len(filled) > MAX_GROUP_LINES or not all(
        _group_line(lines[n - 1]) for n in filled
    ):
        return []
    return filled


# Tables of rows that may stand between a block of header lines and the rows
# it heads (the block over an income statement, then a block of revenue rows
# whose merged cells make it narrower, then the cost rows).
MAX_BETWEEN_HEAD = 3
# Lines a block of header lines may stand above the rows it heads (as between
# two parts of one table, ``_gap_ok``).
MAX_HEAD_DISTANCE = 25


def _stacked_header(
    lines_of: tuple[str, ...],
    before: list[_Draft],
    width: int,
    start: int,
    headings: set[int],
) -> list[str] | None:
    """The header that a block of header lines printed over the value columns
    gives a run of rows one column wider ("Utfall | Budget | Utfall", "Belopp i
    tkr", "2025 | 2025 | 2024" over "IT-kostnader | 6 449 | 4 896 | 5 793"):
    each column's lines joined, a unit line as the key column's header. None
    unless such a block is among ``before``, near above ``start``, with no
    heading between but a group's name ("INTÄKTER")."""
    for block in reversed(before):
        lines = [block.header, *(r.cells for r in block.rows)]
        texts = [_texts(cells) for cells in lines]
        if (
            len(block.header) + 1 != width
            or start - block.line_end > MAX_HEAD_DISTANCE
            or any(
                n in headings
                for n in range(block.line_end + 1, start)
                if not _group_line(lines_of[n - 1])
            )
            or any(
                _is_number(t) and not _YEAR_RE.fullmatch(t) for r in texts for t in r
            )
        ):
            continue
        key = ""
        names: list[list[str]] = [[] for _ in range(width - 1)]
        for row in texts:
            filled = [t for t in row if t]
            if (
                len(filled) == 1
                and _unit_in(filled[0])
                and not _YEAR_RE.search(filled[0])
            ):
                key = filled[0]  # "Belopp i tkr": the unit of the whole table
                continue
            for j, text in enumerate(row[: width - 1]):
                if text:
                    names[j].append(text)
        return [key, *(" ".join(name) for name in names)]
    return None


def _continuation(
    lines: tuple[str, ...],
    draft: _Draft | None,
    first: list[str],
    start: int,
    headings: set[int],
) -> tuple[bool, list[int]]:
    """Whether the run starting at line ``start`` (its first row ``first``)
    continues ``draft``, and the group lines between them that head its rows."""
    if draft is None or not draft.rows:
        return False, []
    ok, only_blank = _gap_ok(lines, draft.line_end, start, headings)
    same_width = len(first) == len(draft.header) and not _header_like(first)
    if (ok and _same_header(first, draft.header)) or (only_blank and same_width):
        return True, []
    if same_width and _data_row(first):
        groups = _grouped_gap(lines, draft.line_end, start, headings)
        return bool(groups), groups
    return False, []


def _drafts(
    lines: tuple[str, ...], runs: list[list[int]], headings: set[int]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    for run in runs:
        first = _cells(lines[run[0] - 1])
        draft = drafts[-1] if drafts else None
        rest = run
        continues, groups = _continuation(lines, draft, first, run[0], headings)
        if not continues:
            # A run that starts with a row has no header of its own: the header
            # lines printed over its value columns above it are, if any.
            header = first
            if _data_row(first):
                header = _stacked_header(
                    lines, drafts[-MAX_BETWEEN_HEAD:], len(first), run[0], headings
                ) or [""] * len(first)
            draft = _Draft(header, run[0], line_end=run[0])
            drafts.append(draft)
            rest = run if header is not first else run[1:]
        assert draft is not None
        draft.blocks.append([])
        for n in groups:
            _add_row(draft, [lines[n - 1]], n, after_repeat=False)
        after_repeat = continues and _same_header(first, draft.header)
        for n in rest:
            cells = _cells(lines[n - 1])
            if _same_header(cells, draft.header):
                after_repeat = True
                draft.line_end = n
                continue
            # A header after rows starts a table of its own: printed bold, or
            # any header under rows that had none ("Nyckeltal | År 2023 | …").
            headed = _header_like(cells, bold_only=any(draft.header))
            if draft.rows and headed and len(cells) >= 2:
                draft = _Draft(cells, n, line_end=n)
                drafts.append(draft)
                draft.blocks.append([])
                continue
            _add_row(draft, cells, n, after_repeat)
            after_repeat = False
    return drafts


def _add_row(draft: _Draft, cells: list[str], n: int, after_repeat: bool) -> None:
    draft.line_end = n
    texts = _texts(cells)
    if all(_SEPARATOR_RE.match(c) for c in cells) and any("-" in c for c in cells):
        return  # markdown separator remnant
    units = {i: normalize_unit(t) for i, t in enumerate(texts) if t}
    if not texts[0] and units and all(_UNIT_WORD_RE.fullmatch(t) for t in texts if t):
        draft.column_units.update({i: u for i, u in units.items() if u})
        return  # a unit row such as "\ttkr\ttkr"
    first_text = next((t for t in texts if t), "")
    if after_repeat and draft.rows and first_text[:1].islower():
        # Each split cell continues the last non-empty cell of its column.
        for row in draft.rows:
            row.cells += [""] * (len(cells) - len(row.cells))
        for i, cell in enumerate(cells):
            if cell.strip():
                target = next(
                    (r for r in reversed(draft.rows) if r.cells[i].strip()),
                    draft.rows[-1],
                )
                target.cells[i] = f"{target.cells[i]} {cell}".strip()
        draft.rows[-1].line_end = n
        return
    row = _Row(cells, n, n, own_end=n)
    draft.rows.append(row)
    draft.blocks[-1].append(row)


def attach_statuses(lines: tuple[str, ...], drafts: list[_Draft]) -> None:
    """Status lines after each block of rows go to those rows, in order."""
    for draft in drafts:
        block_ends = [block[-1].own_end for block in draft.blocks if block]
        blocks = [block for block in draft.blocks if block]
        for block, end in zip(blocks, block_ends, strict=True):
            statuses: list[int] = []
            n = end + 1
            while n <= len(lines) and (
                is_blank(lines[n - 1]) or _is_status_line(lines[n - 1])
            ):
                if not is_blank(lines[n - 1]):
                    statuses.append(n)
                n += 1
            for row, line_no in zip(block, statuses, strict=False):
                row.status = plain(lines[line_no - 1])
                row.status_raw = lines[line_no - 1]
            if statuses and block is blocks[-1]:
                draft.line_end = max(draft.line_end, statuses[-1])


def _finish(draft: _Draft, table_id: str, doc: str, caption: str) -> Table:
    header = [plain(h) for h in draft.header]
    # "1.1 | Strategi för … | 12 | 20", "d) | Bostadsenhetsavgift | 10 509 kr": a
    # numbering column (headed by a number or by nothing) plus a name column.
    enum_rows = sum(bool(_ENUM_RE.match(plain(r.cells[0]))) for r in draft.rows)
    enumerated = (
        bool(header)
        and (not header[0] or bool(_ENUM_RE.match(header[0])))
        and enum_rows >= 0.6 * len(draft.rows)
    )
    key_cols = 2 if draft.rows and enumerated else 1
    table_unit = _unit_in(header[0]) or _unit_in(caption)
    columns = _Columns(header, draft.column_units, table_unit)
    named_by = _naming_column(draft.rows, header, key_cols)
    previous_label = ""
    rows: list[TableRow] = []
    for index, row in enumerate(draft.rows):
        texts = _texts(row.cells)
        label = " ".join(t for t in texts[:key_cols] if t)
        value_texts = texts[key_cols:]
        numeric = [t for t in value_texts if _is_number(t)]
        words = [t for t in value_texts if t and not _is_number(t)]
        is_total = bool(_TOTAL_RE.match(label))
        if not label:
            total_word = next((t for t in words if _TOTAL_RE.match(t)), None)
            if total_word or (numeric and not words and index > 0):
                label, is_total = (total_word or "Summa").rstrip(":"), True
            else:
                label = previous_label  # vertically merged key cell
        previous_label = label
        if (
            named_by is not None
            and named_by < len(texts)
            and texts[named_by]
            and not is_total
        ):
            label = f"{label} \u2013 {texts[named_by]}"
        cells = tuple(
            _typed_cell(columns, i, row.cells[i], label)
            for i in range(key_cols, len(row.cells))
        )
        if row.status is not None:
            cells += (Cell("Status", row.status_raw, row.status),)
        rows.append(TableRow(label, cells, row.line_start, row.line_end, is_total))
    rows = _mark_leading_total(rows)
    # The key columns are one column of the table, so their headers are one
    # header ("7. | Arbetsliv" names the group its rows belong to).
    key_header = " ".join(h for h in header[:key_cols] if h)
    return Table(
        table_id,
        doc,
        "",
        caption,
        (key_header, *header[key_cols:]) if header else (),
        draft.header_line,
        table_unit,
        tuple(rows),
        draft.header_line,
        draft.line_end,
    )


@dataclass(frozen=True)
class _Columns:
    """What a table says about its columns: headers and units (per column, whole)."""

    header: list[str]
    units: dict[int, str]  # a unit printed under a column's header
    table_unit: str | None  # in the first header cell or the caption

    @property
    def key_kind(self) -> str | None:
        """The kind the key column's header names for the figures of a table
        whose columns name only years ("Budget (tkr) | 2025 | 2026 | 2027")."""
        return _column_meta(self.header[0])[0] if self.header else None


def _typed_cell(columns: _Columns, i: int, raw: str, label: str) -> Cell:
    header, table_unit = columns.header, columns.table_unit
    column = header[i] if i < len(header) and header[i] else f"Kolumn {i + 1}"
    number = parse_number(raw)
    kind, year = _column_meta(column)
    if year is None and _YEAR_RE.fullmatch(label.strip()):
        year = int(label)  # a row per year ("2025 | 312 510 | 99,5 %")
    if kind is None and year is not None and _YEAR_RE.fullmatch(column.strip()):
        kind = columns.key_kind
    if number is None:
        return Cell(column, raw, clean_inline(raw), kind=kind, year=year)
    unit = (
        number.unit
        or _unit_in(label)
        or (_unit_in(column) if i < len(header) else None)
        or columns.units.get(i)
        or table_unit
    )
    return Cell(
        column,
        raw,
        clean_inline(raw),
        number.value,
        unit,
        number.comparator,
        year,
        kind,
    )


def _naming_column(rows: list[_Row], header: list[str], key_cols: int) -> int | None:
    """The column that names each row when the key column only groups them: the
    key repeats ("KS", "KS", "SOC"; or is merged down) and text columns stand
    between it and the figures ("Nämnd | Mål | Indikator | Senast uppmätt |
    Mål 2025", "Huvudprocess | Risker | Sannolikhet | Riskvärde"): of those, the
    one with the most different values (the indicator, the risk; not a grade
    such as "Sannolik"). None for a table whose key names its rows, or without
    figures after the text."""
    # An empty key is merged down from the row above and repeats it, unless the
    # row is a total ("| Summa: | 9 575").
    keys = [
        " ".join(_texts(r.cells)[:key_cols]).strip()
        for r in rows
        if not any(_TOTAL_RE.match(t) for t in _texts(r.cells))
    ]
    if len(keys) < 2 or ("" not in keys[1:] and len(set(keys)) == len(keys)):
        return None
    width = min(len(r.cells) for r in rows)
    columns = [[plain(r.cells[i]) for r in rows] for i in range(width)]

    def figures(i: int) -> bool:
        # A column of figures has a year in its header or mostly starts with one
        # ("218 (2020)", "-1 400 kg", "2 av 8"), whatever words follow.
        filled = [t for t in columns[i] if t]
        led = sum(bool(_FIGURE_START.match(t)) for t in filled)
        named = i < len(header) and bool(_YEAR_IN.search(header[i]))
        return named or (bool(filled) and led >= 0.5 * len(filled))

    texts: list[int] = []
    for i in range(key_cols, width):
        if figures(i):
            break
        texts.append(i)
    else:
        return None  # no figures after the text
    if not texts:
        return None
    return max(texts, key=lambda i: len({t for t in columns[i] if t}))


_FIGURE_START = re.compile(r"^[-−–+<>~]?\s*\d")
_YEAR_IN = re.compile(r"\b(?:19|20)\d\d\b")


def _mark_leading_total(rows: list[TableRow]) -> list[TableRow]:
    """A first row whose values equal the sum of the rows below it is a total."""
    body = [r for r in rows[1:] if not r.is_total]
    if len(body) < 2 or rows[0].is_total:
        return rows
    matched = 0
    for i, cell in enumerate(rows[0].cells):
        if cell.value is None:
            continue
        below = [r.cells[i].value for r in body if i < len(r.cells)]
        values = [v for v in below if v is not None]
        if sum(v != 0 for v in values) < 2:
            continue  # one figure and zeros sum to that figure: no evidence
        if abs(sum(values) - cell.value) > max(1.0, abs(cell.value) * 0.001):
            return rows
        matched += 1
    return [replace(rows[0], is_total=True), *rows[1:]] if matched else rows


@cache
def _caption_re() -> re.Pattern[str]:
    names = "|".join(re.escape(w) for w in words()["caption_words"])
    return re.compile(rf"^(?:{names})\s*\d+\b", re.IGNORECASE)


def numbered_caption(text: str) -> bool:
    """ "Tabell 2 Uppdrag och tillsättningsgrad", "Figur 12 …": a caption as a
    word processor numbers it."""
    return bool(_caption_re().match(text.strip()))


def _take_caption_below(lines: tuple[str, ...], draft: _Draft) -> str:
    """A numbered caption printed under the table: read into it as a last row of
    one cell (it is taken out of the rows), or the first text line after it when
    no table follows that line at once (then it is the next table's caption)."""
    if draft.rows:
        texts = [t for t in _texts(draft.rows[-1].cells) if t]
        if len(texts) == 1 and numbered_caption(texts[0]):
            draft.rows.pop()
            return texts[0]
    after = [n for n in range(draft.line_end + 1, len(lines) + 1)][:6]
    filled = [n for n in after if not is_blank(lines[n - 1])][:2]
    if not filled or "\t" in lines[filled[0] - 1]:
        return ""
    text = plain(lines[filled[0] - 1])
    next_is_table = len(filled) > 1 and "\t" in lines[filled[1] - 1]
    return text if numbered_caption(text) and not next_is_table else ""


def caption_for(lines: tuple[str, ...], header_line: int, floor: int) -> str:
    """Nearest short non-table text line above the header (not above ``floor``)."""
    for n in range(header_line - 1, max(floor, 1) - 1, -1):
        raw = lines[n - 1]
        if is_blank(raw):
            continue
        text = clean_inline(raw).replace("\n", " ")
        if "\t" in raw:
            return ""
        if len(text) > 150:
            # An introducing sentence ("Nedan visas ... per område") names the table.
            text = re.split(r"(?<=[.:!?])\s", text, maxsplit=1)[0]
            text = text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"
        return text
    return ""


def find_tables(
    lines: tuple[str, ...], skip: set[int], headings: set[int], doc_stem: str, doc: str
) -> list[Table]:
    """All tables (label/value pairs included), in line order, without section path."""
    pairs = find_label_values(lines, skip)
    pair_lines = {n for pair in pairs for n in pair}
    drafts = _drafts(lines, _runs(lines, skip | pair_lines), headings)
    attach_statuses(lines, drafts)
    items: list[tuple[int, object]] = [(d.header_line, d) for d in drafts]
    items += [(p[0], p) for p in pairs]
    tables: list[Table] = []
    for number, (_, item) in enumerate(sorted(items, key=lambda x: x[0]), start=1):
        table_id = f"{doc_stem}:t{number}"
        if isinstance(item, _Draft):
            caption = _take_caption_below(lines, item) or caption_for(
                lines, item.header_line, item.header_line - 12
            )
            tables.append(_finish(item, table_id, doc, caption))
        else:
            tables.append(_label_value_table(lines, item, table_id, doc))  # type: ignore[arg-type]
    return tables
