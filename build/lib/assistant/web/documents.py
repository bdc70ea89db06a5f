"""Pure HTML for the document browser tab: what the assistant has indexed.

Shows the parsed structure (sections tree, tables) so a person can check what the
assistant knows. All document text is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.web.render import esc, strip_tags
from corpus.models import DocumentMeta, Section, Table

MAX_TABLE_ROWS = 200  # a table longer than this is cut, with a note


def render_document_overview(
    docs: Sequence[DocumentMeta], counts: dict[str, tuple[int, int]] | None = None
) -> str:
    """One row per indexed document; ``counts`` maps doc -> (sections, tables)."""
    if not docs:
        return '<p class="ps-notice">Inga dokument är indexerade.</p>'
    counts = counts or {}
    head = (
        "<tr><th>Titel</th><th>Fil</th><th>Kommun</th><th>Organ</th><th>Typ</th>"
        "<th>Period</th><th>År</th><th>Beslutad</th><th>Avsnitt</th><th>Tabeller</th></tr>"
    )
    rows = []
    for d in docs:
        n_sections, n_tables = counts.get(d.doc, ("", ""))
        cells = (
            d.title,
            d.doc,
            d.municipality,
            d.organ,
            d.kind,
            d.period,
            "" if d.year is None else str(d.year),
            d.decided,
            str(n_sections),
            str(n_tables),
        )
        rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="ps-md ps-docs">{head}{"".join(rows)}</table>'


def render_sections(sections: Sequence[Section]) -> str:
    """The section tree, indented by depth, with each section's line range."""
    if not sections:
        return "<p>Inga avsnitt hittades i dokumentet.</p>"
    items = []
    for s in sections:
        depth = max(len(s.path) - 1, 0)
        label = (
            s.path[-1] if s.path else (f"{s.number} {s.title}".strip() or "(inledning)")
        )
        items.append(
            f'<div class="ps-sec" style="padding-left:{depth * 1.2:.1f}em">'
            f"{esc(label)} "
            f'<span class="ps-lines">rader {s.line_start}–{s.line_end}</span></div>'
        )
    return f'<div class="ps-sections">{"".join(items)}</div>'


def render_tables(tables: Sequence[Table]) -> str:
    """Every parsed table as a collapsed block: caption, section, unit and rows."""
    if not tables:
        return "<p>Inga tabeller hittades i dokumentet.</p>"
    return "".join(render_table(t) for t in tables)


def render_table(table: Table) -> str:
    unit = f" · enhet {esc(table.unit)}" if table.unit else ""
    summary = (
        f"{esc(table.caption or table.table_id)} · {esc(table.section_path)} · "
        f"rader {table.line_start}–{table.line_end} · {len(table.rows)} rader{unit}"
    )
    header = ""
    if table.header:
        header = (
            "<thead><tr>"
            + "".join(f"<th>{esc(strip_tags(h))}</th>" for h in table.header)
            + "<th>rad</th></tr></thead>"
        )
    rows = []
    for row in table.rows[:MAX_TABLE_ROWS]:
        label_cls = ' class="ps-total"' if row.is_total else ""
        cells = [f"<td{label_cls}>{esc(row.label)}</td>"]
        cells += [f"<td>{esc(c.text)}</td>" for c in row.cells]
        span = f"{row.line_start}" + (
            f"–{row.line_end}" if row.line_end != row.line_start else ""
        )
        cells.append(f'<td class="ps-lines">{span}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(table.rows) > MAX_TABLE_ROWS:
        more = f"<p>… och {len(table.rows) - MAX_TABLE_ROWS} rader till.</p>"
    return (
        f'<details class="ps-table"><summary>{summary}</summary>'
        f'<table class="ps-md">{header}<tbody>{"".join(rows)}</tbody></table>{more}'
        "</details>"
    )
