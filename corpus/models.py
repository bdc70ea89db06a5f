"""Typed, immutable records for parsed plan documents.

Every record carries its provenance: the document file name (``doc``), the section
path (numbers and titles joined with " > ") and the 1-based, inclusive line range
in the original file. That address is the citation used everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """Sidecar metadata for one document.

    Example: ``DocumentMeta(doc="000_x.txt", title="Nämndplan 2024-2025",
    municipality="Marks kommun", organ="Kommunstyrelsen", kind="nämndplan",
    period="2024-2025", year=2024)``.
    """

    doc: str
    title: str
    municipality: str = ""
    organ: str = ""
    kind: str = ""
    period: str = ""
    year: int | None = None
    decided: str = ""
    collection: str = "default"
    dnr: str = ""  # case number (diarienummer), "KS 2024/628"


@dataclass(frozen=True)
class Document:
    """A loaded document: metadata plus the original lines (1-based via ``line``)."""

    meta: DocumentMeta
    lines: tuple[str, ...]
    content_hash: str
    # Page number per line (1-based) for paginated sources such as PDF; empty otherwise.
    pages: tuple[int, ...] = ()

    @property
    def doc(self) -> str:
        return self.meta.doc

    def line(self, n: int) -> str:
        """Return original line ``n`` (1-based)."""
        return self.lines[n - 1]

    def text_of(self, start: int, end: int) -> str:
        """Exact original text of lines ``start..end`` (inclusive), joined by newlines."""
        return "\n".join(self.lines[start - 1 : end])

    def page_of(self, n: int) -> int | None:
        return self.pages[n - 1] if self.pages else None


@dataclass(frozen=True)
class Section:
    """A numbered (or unnumbered) section; ``path`` runs from the chapter down."""

    doc: str
    number: str  # "7.3", or "" for unnumbered headings
    title: str  # "Personal"
    path: tuple[str, ...]  # ("7 Ekonomi", "7.3 Personal")
    line_start: int  # the heading line (or first line for the front matter)
    line_end: int  # last line before the next section starts

    @property
    def section_path(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Cell:
    """One table cell, typed.

    Example: raw ``"-205,6"`` under header ``"Budget 2024"`` in a table in mnkr gives
    ``value=-205.6, unit="mnkr", year=2024, kind="budget"``.
    """

    column: str  # column header label, as printed (tags stripped)
    raw: str  # the cell text as printed, tags included
    text: str  # cleaned text (tags and emphasis stripped)
    value: float | None = None
    unit: str | None = None  # mnkr, tkr, kr, %, st, poäng, ...
    comparator: str | None = None  # "≥", "≤", "<", ">" when printed before the value
    year: int | None = None
    kind: str | None = (
        None  # budget, utfall, prognos, mål, avvikelse, bokslut, startläge
    )

    def with_unit(self, text: str) -> str:
        """``text`` (this cell's, as shown) with the unit when it does not print it
        (the caption or header does: "10 000" in a table "Belopp i tkr")."""
        if self.value is not None and self.unit and self.unit not in text:
            return f"{text} {self.unit}"
        return text


@dataclass(frozen=True)
class TableRow:
    """A data row, merged across page breaks, with its own line range."""

    label: str  # row label (key column), forward-filled for continuation rows
    cells: tuple[Cell, ...]  # the non-label cells, in column order
    line_start: int
    line_end: int
    is_total: bool = False

    def in_label(self, cell: Cell) -> bool:
        """The label already holds ``cell``: it names a row the key column only
        groups ("KS \u2013 Antal fastigheter ...", ``tables._naming_column``)."""
        return bool(cell.text) and self.label.endswith(f" \u2013 {cell.text}")


@dataclass(frozen=True)
class Table:
    """A parsed table with header, unit and rows; lines are original line numbers."""

    table_id: str  # "<doc stem>:t<n>"
    doc: str
    section_path: str
    caption: str  # nearest caption/heading text above the table
    header: tuple[str, ...]  # column labels, key column first
    header_line: int  # line number of the header row (0 if none)
    unit: str | None
    rows: tuple[TableRow, ...]
    line_start: int
    line_end: int

    def groups(self) -> dict[int, str]:
        """The group each row is under, by its first line: a row with a label and
        no values ("deltagartillfällen", "Driftbudget fördelat på verksamhet") heads
        the rows below it, up to the next such row."""
        out: dict[int, str] = {}
        group = ""
        for row in self.rows:
            if row.label.strip() and not any(c.text.strip() for c in row.cells):
                group = row.label.strip()
            elif group:
                out[row.line_start] = group
        return out

    def key_headers(self) -> dict[int, str]:
        """What the key column says each row is, by its first line: the column's
        header and the group the row is under ("Statistik simskola
        deltagartillfällen")."""
        key = self.header[0] if self.header else ""
        groups = self.groups()
        return {
            row.line_start: f"{key} {groups.get(row.line_start, '')}".strip()
            for row in self.rows
        }


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit of text.

    ``text`` is exactly the original lines ``line_start..line_end`` (what a citation
    quotes). ``embed_text`` adds context (document label, section path, table header
    and caption) and is what embedders and the keyword index see.
    """

    chunk_id: str  # "<doc stem>:<section number or slug>:<n>", stable and readable
    doc: str
    section_path: str
    line_start: int
    line_end: int
    text: str
    embed_text: str
    kind: str  # "text" | "table"
    content_hash: str
    table_id: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """Everything parsed from one document."""

    document: Document
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    chunks: tuple[Chunk, ...]
    toc_lines: tuple[int, ...] = field(default=())

    @property
    def meta(self) -> DocumentMeta:
        return self.document.meta
