"""Parts read from typed tables: goals and indicators, economy, risks, assignments.

Columns are chosen by what the table parser typed (kind, year, value) and by the
header words in ``parts.toml``; every item cites its row's lines and states the
cells as printed.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from assistant.brief.models import BriefChart, BriefItem
from assistant.brief.source import DocumentView
from assistant.brief.text_parts import ListItem, heading_text
from assistant.brief.vocabulary import PartWords, any_term_in
from assistant.charts import Series
from corpus.models import Cell, Section, Table, TableRow
from corpus.text import plain


def _cells(row: TableRow) -> list[Cell]:
    return [c for c in row.cells if plain(c.text)]


def _values(
    view: DocumentView, row: TableRow, cells: Sequence[Cell]
) -> tuple[str, ...]:
    return _values_in(view, row.line_start, row.line_end, cells)


def _values_in(
    view: DocumentView, start: int, end: int, cells: Sequence[Cell]
) -> tuple[str, ...]:
    """Cell texts with digits that the cited lines print (numbers, dates, periods)."""
    cited = view.text(start, end)
    found = [
        plain(c.text)
        for c in cells
        if any(ch.isdigit() for ch in c.text) and plain(c.text) in cited
    ]
    return tuple(dict.fromkeys(found))


def _label(row: TableRow) -> str:
    return plain(row.label)


def _section_at(sections: Sequence[Section], line: int) -> Section | None:
    inside = [s for s in sections if s.line_start <= line <= s.line_end]
    return inside[-1] if inside else None


def _clip(text: str, limit: int = 160) -> str:
    """A long cell cut at a word, for an item's text (fields keep it whole)."""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(" ,;:") + " …"


def _describe(cells: Sequence[Cell]) -> str:
    return "; ".join(f"{plain(c.column)}: {plain(c.text)}" for c in cells)


def _latest(cells: Sequence[Cell], kinds: tuple[str, ...]) -> Cell | None:
    """The cell of the latest year among the given kinds (first kind wins a tie)."""
    found = [c for c in cells if c.kind in kinds and c.value is not None]
    if not found:
        return None
    return max(found, key=lambda c: (c.year or 0, -kinds.index(c.kind or "")))


# --- goals and indicators -----------------------------------------------------------


def goal_items(
    view: DocumentView,
    tables: Sequence[Table],
    listed: Sequence[ListItem],
    words: PartWords,
    status_words: tuple[str, ...],
) -> list[BriefItem]:
    """Rows of goal/indicator tables (target and outcome columns first), then the
    indicators a plan lists under a goal heading."""

    def rank(t: Table) -> int:
        kinds = {c.kind for r in t.rows for c in r.cells}
        return 0 if "mål" in kinds else 1

    sources: list[list[BriefItem]] = []
    for table in sorted(tables, key=rank):
        section = _section_at(view.sections, table.line_start)
        goal_name = heading_text(section) if section else plain(table.caption)
        rows = []
        for row in table.rows:
            item = _goal_row(view, table, row, goal_name, status_words)
            if item is not None:
                rows.append(item)
        sources.append(rows)
    for section_line in dict.fromkeys(i.section.line_start for i in listed):
        entries = [i for i in listed if i.section.line_start == section_line]
        parent = _parent(view.sections, entries[0].section)
        goal_name = heading_text(parent) if parent else ""
        sources.append(
            [
                BriefItem(
                    i.text,
                    (),
                    (view.cite(i.line),),
                    (("Mål", goal_name), ("Indikator", i.text)),
                )
                for i in entries
            ]
        )
    # Indicators with a target are the goals; figures without one only fill up.
    targeted = [s for s in sources if any(dict(i.fields).get("Målvärde") for i in s)]
    rest = [s for s in sources if s not in targeted]
    chosen = _spread(targeted, words.max_items)
    return chosen + _spread(rest, words.max_items - len(chosen))


def _goal_row(
    view: DocumentView,
    table: Table,
    row: TableRow,
    goal_name: str,
    status_words: tuple[str, ...],
) -> BriefItem | None:
    cells = _cells(row)
    target = _latest(cells, ("mål",))
    # An outcome is what happened; a forecast stands in only where none is printed.
    outcome = _latest(cells, ("utfall", "bokslut")) or _latest(cells, ("prognos",))
    status = next(
        (c for c in cells if any_term_in(status_words, c.column.lower())), None
    )
    goal_text = next(
        (c for c in cells if c.kind == "mål" and c.value is None and len(c.text) > 20),
        None,
    )
    label = _label(row)
    if goal_text is not None:  # a table of goals in words ("KF mål 2023")
        goal_name, indicator = plain(goal_text.text), ""
    else:
        indicator = label
    shown = [c for c in (outcome, target, status) if c is not None]
    if (not indicator and goal_text is None) or not (shown or goal_text):
        return None
    fields = [("Mål", goal_name), ("Indikator", indicator)]
    fields += [
        (name, f"{plain(c.column)}: {plain(c.text)}" if c else "")
        for name, c in (
            ("Målvärde", target),
            ("Senaste utfall", outcome),
            ("Status", status),
        )
    ]
    text = indicator or goal_name
    if shown:
        text = f"{text} – {_describe(shown)}"
    return BriefItem(
        text,
        _values(view, row, shown),
        (view.cite(row.line_start, row.line_end),),
        tuple(fields),
    )


def _parent(sections: Sequence[Section], section: Section) -> Section | None:
    parents = [s for s in sections if s.path == section.path[:-1]]
    return parents[0] if parents else None


def _spread(sources: list[list[BriefItem]], limit: int) -> list[BriefItem]:
    """Items taken in turn from each source, so one long table does not fill a part."""
    out: list[BriefItem] = []
    depth = 0
    while len(out) < limit and any(depth < len(s) for s in sources):
        for source in sources:
            if depth < len(source) and len(out) < limit:
                out.append(source[depth])
        depth += 1
    # Keep document order within the chosen items' sources.
    return out


# --- economy ------------------------------------------------------------------------


def economy_items(
    view: DocumentView,
    tables: Sequence[Table],
    words: PartWords,
    core: frozenset[str] = frozenset(),
) -> tuple[list[BriefItem], list[BriefChart]]:
    """The bottom-line rows of each money table (net cost, totals, investments) and
    a chart of the bottom line's multi-year figures per table. Tables of the
    economy sections (``core`` ids) show their first rows when no row is a total."""
    items: list[BriefItem] = []
    charts: list[BriefChart] = []
    key_rows = words.words("key_rows")
    for table in tables:
        numeric = [r for r in table.rows if any(c.value is not None for c in r.cells)]
        keys = [
            r for r in numeric if r.is_total or any_term_in(key_rows, _label(r).lower())
        ] or (numeric if table.table_id in core else [])
        for row in keys[: words.max_rows_per_table]:
            cells = [c for c in _cells(row) if c.value is not None]
            unit = _unit(table)
            label = _label(row)
            if unit and unit.lower() not in label.lower():
                label = f"{label} ({unit})"
            items.append(
                BriefItem(
                    f"{label} – {_describe(cells)}",
                    _values(view, row, cells),
                    (view.cite(row.line_start, row.line_end),),
                    tuple((plain(c.column), plain(c.text)) for c in cells),
                )
            )
        # The bottom line is the last printed total ("Summa totalt" after the parts).
        totals = [r for r in keys if r.is_total]
        chart = _chart(view, table, [*totals[::-1], *keys])
        if chart is not None:
            charts.append(chart)
    return items[: words.max_items], charts


def _unit(table: Table) -> str:
    units = {c.unit for r in table.rows for c in r.cells if c.unit}
    return table.unit or (units.pop() if len(units) == 1 else "")


def _axis_label(text: str) -> str:
    """Long column headers wrapped so the chart's axis labels do not overlap."""
    return "\n".join(textwrap.wrap(text, 12)) or text


def _chart(
    view: DocumentView, table: Table, keys: Sequence[TableRow]
) -> BriefChart | None:
    """The first key row's figures over its dated columns (deviations left out)."""
    for row in keys:
        cells = [
            c
            for c in row.cells
            if c.value is not None and c.year and c.kind != "avvikelse"
        ]
        if len(cells) >= 2 and len({c.year for c in cells}) >= 2:
            series = Series(
                _label(row),
                tuple(_axis_label(plain(c.column)) for c in cells),
                tuple(float(c.value or 0.0) for c in cells),
            )
            caption = plain(table.header[0]) if table.header else plain(table.caption)
            return BriefChart(
                f"{_label(row)} – {caption}"[:90],
                (series,),
                _unit(table),
                (view.cite(row.line_start, row.line_end),),
            )
    return None


# --- risks --------------------------------------------------------------------------


def _first_paragraph(raw: str) -> str:
    """A cell's first paragraph: the name of a risk or an assignment, where the
    cell goes on to describe it ("<p>Bristande X</p> <p><i>Om ...</i></p>")."""
    match = re.match(r"\s*<p>(.*?)</p>", raw)
    return plain(match[1] if match else raw)


def _row_name(view: DocumentView, row: TableRow, described: set[str]) -> str:
    cells = _cells(row)
    cell = next((c for c in cells if c.column.strip().lower() in described), None)
    if cell is not None:
        return _first_paragraph(cell.raw)
    raw = view.lines[row.line_start - 1].split("\t")[0]
    if not plain(raw):
        return ""  # the key cell is empty: the row goes on with the risk above
    label = _label(row)
    return _first_paragraph(raw) if plain(raw)[:20] == label[:20] else label


def _merged_rows(
    view: DocumentView, table: Table, described: set[str]
) -> list[tuple[str, list[Cell], int, int]]:
    """Rows of one risk, merged: a risk described over several rows (its name
    forward-filled) is one risk with all its cells and lines."""
    merged: list[tuple[str, list[Cell], int, int]] = []
    for row in table.rows:
        name = _row_name(view, row, described)
        if merged and name in ("", merged[-1][0]):
            first = merged[-1]
            merged[-1] = (first[0], first[1] + _cells(row), first[2], row.line_end)
        elif name:
            merged.append((name, _cells(row), row.line_start, row.line_end))
    return merged


def risk_items(
    view: DocumentView, tables: Sequence[Table], words: PartWords
) -> list[BriefItem]:
    """Risks ranked by the document's own rating: a rating column (riskvärde,
    totalpoäng) or the product of its factors (sannolikhet × konsekvens); unrated
    risks follow in document order with their status or result column."""
    ratings, factors = words.words("ratings"), words.words("factors")
    statuses = words.words("statuses")
    described = set(words.columns) - set(ratings) - set(factors)
    rated: list[tuple[float, int, BriefItem]] = []
    for table in tables:
        for name, cells, start, end in _merged_rows(view, table, described):
            if not any(ch.isalpha() for ch in name) or any(
                ch.isdigit() for ch in name[:2]
            ):
                continue  # a matrix's scale row ("5 Mycket sannolik"), not a risk
            numeric = [c for c in cells if c.value is not None]
            rating = next(
                (c for c in numeric if any_term_in(ratings, c.column.lower())), None
            )
            parts = [c for c in numeric if any_term_in(factors, c.column.lower())]
            shown = [rating] if rating else parts
            status = [
                c
                for c in cells
                if any_term_in(statuses, c.column.lower()) and len(plain(c.text)) <= 80
            ]
            score = None
            if rating is not None:
                score = float(rating.value or 0)
            elif len(parts) >= 2:
                score = float(parts[0].value or 0) * float(parts[1].value or 0)
            if score is None and not status:
                continue  # neither rated nor followed up: a description, not a risk
            stated = [*shown, *status]
            item = BriefItem(
                f"{_clip(name)} – {_describe(stated)}",
                _values_in(view, start, end, shown),
                (view.cite(start, end),),
                (("Risk", name), *((plain(c.column), plain(c.text)) for c in stated)),
            )
            order = -score if score is not None else float("inf")
            rated.append((order, len(rated), item))
    rated.sort(key=lambda x: (x[0], x[1]))
    return [item for *_, item in rated[: words.max_items]]


# --- assignments --------------------------------------------------------------------


def assignment_items(
    view: DocumentView,
    tables: Sequence[Table],
    listed: Sequence[ListItem],
    words: PartWords,
) -> list[BriefItem]:
    """Assignments with the columns that name their owner, deadline and status."""
    kinds = {
        "owners": words.words("owners"),
        "deadlines": words.words("deadlines"),
        "statuses": words.words("statuses"),
    }
    sources: list[list[BriefItem]] = []
    for table in tables:
        header = [h.lower() for h in table.header]
        own = next(
            (
                h
                for h in header[1:]
                if any_term_in(words.columns, h) and h not in kinds["owners"]
            ),
            None,
        )
        rows = []
        for row in table.rows:
            cells = _cells(row)
            name = (
                next((plain(c.text) for c in cells if c.column.lower() == own), "")
                if own
                else _label(row)
            )
            if len(name) < 8:
                continue  # a continuation row or an empty one
            shown = [
                c
                for c in cells
                if c.column.lower() != own
                and any(any_term_in(v, c.column.lower()) for v in kinds.values())
                and len(plain(c.text)) <= 80
            ]
            text = _clip(name) if not shown else f"{_clip(name)} – {_describe(shown)}"
            rows.append(
                BriefItem(
                    text,
                    _values(view, row, shown),
                    (view.cite(row.line_start, row.line_end),),
                    (
                        ("Uppdrag", name),
                        *((plain(c.column), plain(c.text)) for c in shown),
                    ),
                )
            )
        sources.append(rows)
    for section_line in dict.fromkeys(i.section.line_start for i in listed):
        entries = [i for i in listed if i.section.line_start == section_line]
        sources.append(
            [
                BriefItem(i.text, (), (view.cite(i.line),), (("Uppdrag", i.text),))
                for i in entries
            ]
        )
    return _spread(sources, words.max_items)
