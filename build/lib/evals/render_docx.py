"""Render a parsed text document as a Word file, the way a municipality writes one.

Used by the format parity benchmark (``scripts/bench_formats.py``): the text
parse decides what is a heading, a table, a list item or a table of contents; the
DOCX gets the Word equivalents, so parsing it back can be compared with the text:
- headings: "Heading N" styles (with their outline levels), N = depth of the
  section path; numbered headings keep their number in the text;
- tables: Word tables ("Table Grid"); a header whose value columns share a first
  word ("Budget 2024", "Budget 2025") becomes a grouped two-row header, the group
  merged across its columns and the other header cells merged down;
- bulleted and numbered lines: "List Bullet" / "List Number" paragraphs;
- the table of contents: "TOC N" paragraphs with a tab before the page number;
- a page header with the title and the dnr line, a footer "Sida X (Y)" made of
  PAGE / NUMPAGES fields, and the widest table in a landscape section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.models import ParsedDocument, Table
from corpus.sections import find_headings
from corpus.space_tables import tab_view
from corpus.text import clean_inline, plain

_BULLET_RE = re.compile(r"^\s*(?:[-*•●■▪◦○]|<li>)\s+")
_NUMBERED_ITEM_RE = re.compile(r"^\s*\d{1,2}[.)]\s+")
_DNR_RE = re.compile(
    r"\b(?:dnr|diarienummer)\.?:?\s*([A-ZÅÄÖ]{1,5}[ .]?\d{4}[/.-]\d+)", re.I
)
MAX_HEADING_LEVEL = 9
STATUS_ICON = "●"  # stands in for a traffic-light picture before a status word


@dataclass(frozen=True)
class RenderPlan:
    """What each original line becomes (1-based line numbers)."""

    headings: dict[int, tuple[int, str]]  # line -> (level, text)
    tables: tuple[Table, ...]  # tables with a header row, in line order
    toc: frozenset[int]
    widest: str | None  # table_id of the widest table (landscape section)


def plan(parsed: ParsedDocument) -> RenderPlan:
    """Headings with their depth, the tables and the table of contents."""
    lines = tab_view(parsed.document.lines)
    toc = frozenset(parsed.toc_lines)
    heading_lines = {h.line for h in find_headings(lines, set(toc))}
    headings: dict[int, tuple[int, str]] = {}
    for section in parsed.sections:
        if section.line_start in heading_lines:
            title = (
                f"{section.number} {section.title}" if section.number else section.title
            )
            level = min(len(section.path), MAX_HEADING_LEVEL)
            headings[section.line_start] = (level, title)
    # Label/value pairs ("Poäng" over "68") are prose lines, not tab rows.
    tables = tuple(
        t for t in parsed.tables if t.header_line and "\t" in lines[t.header_line - 1]
    )
    widest = max(tables, key=lambda t: len(t.header), default=None)
    return RenderPlan(headings, tables, toc, widest.table_id if widest else None)


def group_header(header: list[str]) -> tuple[list[str], list[str]] | None:
    """(top row, bottom row) when 2+ adjacent value columns share a first word.

    ``["Verksamhet", "Budget 2024", "Budget 2025"]`` gives ``(["Verksamhet",
    "Budget", "Budget"], ["", "2024", "2025"])``; a cell without a group keeps its
    name on top with an empty bottom (merged down when rendered).
    """
    firsts = [h.split(" ", 1) if " " in h else [h, ""] for h in header]
    top, bottom = list(header), [""] * len(header)
    grouped = False
    j = 1
    while j < len(header):
        k = j
        while k + 1 < len(header) and firsts[k + 1][0] == firsts[j][0] and firsts[j][1]:
            k += 1
        if k > j and all(firsts[i][1] for i in range(j, k + 1)):
            for i in range(j, k + 1):
                top[i], bottom[i] = firsts[i]
            grouped = True
        j = k + 1
    return (top, bottom) if grouped else None


def _set_landscape(section: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT

    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _page_furniture(document: Any, title: str, dnr: str) -> None:
    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.text = title
    section.header.add_paragraph(f"Dnr {dnr}")
    foot = section.footer.paragraphs[0]
    foot.add_run("Sida ")
    _field(foot, "PAGE")
    foot.add_run(" (")
    _field(foot, "NUMPAGES")
    foot.add_run(")")


def _toc_style(document: Any, level: int) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    name = f"TOC {level}"
    try:
        return document.styles[name]
    except KeyError:
        return document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _add_table(document: Any, rows: list[list[str]], header: bool) -> None:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    grouped = group_header(rows[0]) if header else None
    head = [grouped[0], grouped[1]] if grouped else rows[:1]
    body = rows[1:]
    table = document.add_table(rows=len(head) + len(body), cols=width)
    table.style = document.styles["Table Grid"]
    for r, values in enumerate(head + body):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    if grouped:
        top, bottom = grouped
        c = 0
        while c < width:
            end = c
            while (
                end + 1 < width
                and bottom[c]
                and top[end + 1] == top[c]
                and bottom[end + 1]
            ):
                end += 1
            if end > c:
                merged = table.cell(0, c).merge(table.cell(0, end))
                merged.text = top[c]
            elif not bottom[c]:
                table.cell(0, c).merge(table.cell(1, c)).text = top[c]
            c = end + 1
    for r in range(len(head) if header else 0):
        _mark_header_row(table.rows[r])


def _mark_header_row(row: Any) -> None:
    """Bold text and "repeat as header row", as Word's table tools write a header."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _cells(raw: str, header: bool = False) -> list[str]:
    """Cell texts as Word shows them: labels and headers plain, values cleaned."""
    parts = raw.split("\t")
    cells = [
        plain(c) if header or i == 0 else " ".join(clean_inline(c).split())
        for i, c in enumerate(parts)
    ]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    return cells


def _paragraph(document: Any, raw: str) -> None:
    text = clean_inline(raw.replace("\t", " "))
    if not text:
        return
    for part in text.split("\n"):
        if _BULLET_RE.match(part):
            document.add_paragraph(_BULLET_RE.sub("", part), style="List Bullet")
        elif _NUMBERED_ITEM_RE.match(part):
            document.add_paragraph(_NUMBERED_ITEM_RE.sub("", part), style="List Number")
        else:
            document.add_paragraph(part)


def render_docx(parsed: ParsedDocument, out: Path) -> Path:
    """Write ``parsed`` (a text document) as a Word file at ``out``."""
    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    layout = plan(parsed)
    lines = tab_view(parsed.document.lines)
    meta = parsed.meta
    found = _DNR_RE.search("\n".join(lines))
    _page_furniture(
        document, meta.title or Path(meta.doc).stem, found[1] if found else "–"
    )
    table_at = {t.line_start: t for t in layout.tables}
    n = 1
    blank = False
    while n <= len(lines):
        raw = lines[n - 1]
        if n in table_at:
            table = table_at[n]
            landscape = table.table_id == layout.widest
            if landscape:
                _set_landscape(document.add_section(WD_SECTION.NEW_PAGE), True)
            _render_table_lines(document, lines, table)
            if landscape:
                _set_landscape(document.add_section(WD_SECTION.NEW_PAGE), False)
            n = table.line_end + 1
            continue
        if not raw.strip():
            if not blank:
                document.add_paragraph("")
            blank = True
            n += 1
            continue
        blank = False
        if n in layout.headings:
            level, title = layout.headings[n]
            document.add_heading(title, level=level)
        elif n in layout.toc:
            cells = _cells(raw)
            if "\t" in raw and len(cells) > 1:
                document.add_paragraph(
                    f"{' '.join(cells[:-1])}\t{cells[-1]}",
                    style=_toc_style(document, 1),
                )
            else:
                document.add_paragraph(clean_inline(raw))
        else:
            _paragraph(document, raw)
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def _render_table_lines(document: Any, lines: tuple[str, ...], table: Table) -> None:
    """The table's lines: each run of tab rows a Word table, other lines paragraphs."""
    header = [plain(h) for h in table.header]
    n = table.line_start
    while n <= table.line_end:
        raw = lines[n - 1]
        if "\t" not in raw:
            if raw[:1].isspace() and raw.strip():
                # A status line whose icon the text export lost: Word shows a symbol.
                document.add_paragraph(f"{STATUS_ICON} {raw.strip()}")
            elif raw.strip():
                _paragraph(document, raw)
            n += 1
            continue
        rows: list[list[str]] = []
        start = n
        while n <= table.line_end and "\t" in lines[n - 1]:
            rows.append(_cells(lines[n - 1], header=not rows))
            n += 1
        first = rows[0] + [""] * (len(header) - len(rows[0]))
        is_header = start == table.header_line or first[: len(header)] == header
        if not is_header:
            rows[0] = _cells(lines[start - 1])
        _add_table(document, rows, header=is_header)
