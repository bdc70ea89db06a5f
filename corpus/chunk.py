"""Chunks: prose per section (never across sections) and one chunk per table row.

``Chunk.text`` is exactly the original lines ``line_start..line_end``. The
``embed_text`` starts with the document label line and the section path, then the
cleaned text, and stays under ``EMBED_LIMIT`` characters (about 450 e5 tokens).
A single original line longer than that yields several chunks with the same line
range, each embedding one window of it. Duplicated passages in a document (a memo
repeating a report summary) are kept as separate chunks.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpus.models import Cell, Chunk, Document, Section, Table, TableRow
from corpus.text import clean_block, clean_inline, is_blank, slug, split_sentences

CHUNKER_VERSION = "corpus-chunk-13"
EMBED_LIMIT = 1100


def document_label(doc: Document) -> str:
    """ "Marks kommun · Kommunstyrelsen · nämndplan 2024-2025" (title as fallback)."""
    meta = doc.meta
    kind = f"{meta.kind} {meta.period}".strip()
    parts = [p for p in (meta.municipality, meta.organ, kind) if p]
    return " · ".join(parts) if parts else meta.title


def section_key(section: Section) -> str:
    """Readable id part: the section number, or nearest number + slug of the title."""
    if section.number:
        return section.number
    numbered = [p.split(" ", 1)[0] for p in section.path if re.match(r"\d", p)]
    title_slug = slug(section.title, 30)
    return f"{numbered[-1]}-{title_slug}" if numbered else title_slug


@dataclass(frozen=True)
class _Place:
    """Where a section's or a table's chunks belong; the same for all of them."""

    key: str  # the section's key, numbered per chunk in the chunk id
    section_path: str
    kind: str  # "text" or "table"
    table_id: str | None = None


class _ChunkMaker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.stem = Path(doc.doc).stem
        self.label = document_label(doc)
        self.counters: Counter[str] = Counter()
        self.chunks: list[Chunk] = []

    def prefix(self, section_path: str) -> str:
        return f"{self.label}\n{section_path}\n"

    def add(self, place: _Place, start: int, end: int, body: str) -> None:
        """One chunk over lines ``start``..``end``, embedded as ``body``."""
        self.counters[place.key] += 1
        text = self.doc.text_of(start, end)
        self.chunks.append(
            Chunk(
                chunk_id=f"{self.stem}:{place.key}:{self.counters[place.key]}",
                doc=self.doc.doc,
                section_path=place.section_path,
                line_start=start,
                line_end=end,
                text=text,
                embed_text=self.prefix(place.section_path) + body,
                kind=place.kind,
                content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
                table_id=place.table_id,
                page=self.doc.page_of(start),
            )
        )


def _paragraphs(lines: tuple[str, ...], numbers: list[int]) -> list[list[int]]:
    """Group contiguous line numbers into paragraphs split by blank lines."""
    paragraphs: list[list[int]] = []
    current: list[int] = []
    previous = None
    for n in numbers:
        if is_blank(lines[n - 1]) or (previous is not None and n != previous + 1):
            if current:
                paragraphs.append(current)
            current = [] if is_blank(lines[n - 1]) else [n]
        else:
            current.append(n)
        previous = n
    if current:
        paragraphs.append(current)
    return paragraphs


def _prose(maker: _ChunkMaker, section: Section, excluded: set[int]) -> None:
    lines = maker.doc.lines
    numbers = [
        n for n in range(section.line_start, section.line_end + 1) if n not in excluded
    ]
    budget = EMBED_LIMIT - len(maker.prefix(section.section_path))
    place = _Place(section_key(section), section.section_path, "text")
    pending: list[int] = []

    def flush() -> None:
        if pending:
            body = clean_block(
                [lines[n - 1] for n in range(pending[0], pending[-1] + 1)]
            )
            maker.add(place, pending[0], pending[-1], body)
            pending.clear()

    for paragraph in _paragraphs(lines, numbers):
        for piece in _split_paragraph(lines, paragraph, budget):
            text = clean_block([lines[n - 1] for n in piece])
            joined = (
                clean_block([lines[n - 1] for n in range(pending[0], piece[-1] + 1)])
                if pending
                else text
            )
            contiguous = not pending or all(
                n not in excluded for n in range(pending[-1], piece[0])
            )
            if pending and (len(joined) > budget or not contiguous):
                flush()
            if len(text) > budget:  # one very long line: several windows, same range
                for window in split_sentences(text, budget):
                    maker.add(place, piece[0], piece[-1], window)
                continue
            pending.extend(piece)
    flush()


def _split_paragraph(
    lines: tuple[str, ...], paragraph: list[int], budget: int
) -> list[list[int]]:
    """Split a long multi-line paragraph (a list) into line groups within budget."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for n in paragraph:
        length = len(clean_inline(lines[n - 1])) + 1
        if current and size + length > budget:
            groups.append(current)
            current, size = [], 0
        current.append(n)
        size += length
    if current:
        groups.append(current)
    return groups


def _cell_text(cell: Cell) -> str:
    text = cell.text.replace("\n", " ")
    return f"{cell.column}: {cell.with_unit(text)}"


def _clipped(text: str, limit: int) -> str:
    """``text`` cut at the last space before ``limit`` characters, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip() + "…"


def _row_bodies(table: Table, row: TableRow, budget: int) -> list[str]:
    head = [f"Tabell: {table.caption}" if table.caption else "Tabell"]
    if len(table.header) > 1:
        head.append("Kolumner: " + " | ".join(h or "–" for h in table.header))
    key_name = table.header[0] if table.header and table.header[0] else "Rad"
    total = row.is_total and not re.match(r"(?i)(summa|total)", row.label)
    label = row.label + (" (summa)" if total else "")
    head.append(f"{key_name}: {label}" if len(table.header) > 1 else "")
    # A long caption or row label (a risk described at length, inherited by each
    # of its rows) must not take the window: the row's own cells are what its
    # chunk is found by, so the head gets at most half of it.
    head_text = _clipped("\n".join(h for h in head if h), budget // 2)
    room = budget - len(head_text) - 1
    pieces: list[str] = []
    for cell in row.cells:
        if cell.text:
            pieces.extend(split_sentences(_cell_text(cell), room))
    if not pieces:
        return [head_text[:budget]]
    bodies: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 1 + len(piece) > room:
            bodies.append(f"{head_text}\n{current}")
            current = piece
        else:
            current = f"{current}\n{piece}" if current else piece
    bodies.append(f"{head_text}\n{current}")
    return [body[:budget] for body in bodies]


def _table(maker: _ChunkMaker, table: Table, section: Section) -> set[int]:
    """Row chunks (the first one starts at the header line); returns covered lines."""
    budget = EMBED_LIMIT - len(maker.prefix(table.section_path))
    place = _Place(section_key(section), table.section_path, "table", table.table_id)
    covered: set[int] = set()
    for index, row in enumerate(table.rows):
        start = (
            table.header_line if index == 0 and table.header_line else row.line_start
        )
        for body in _row_bodies(table, row, budget):
            maker.add(place, start, row.line_end, body)
        covered.update(range(start, row.line_end + 1))
    if not table.rows and table.header_line:
        body = f"Tabell: {table.caption}\nKolumner: " + " | ".join(table.header)
        maker.add(place, table.header_line, table.header_line, body[:budget])
        covered.add(table.header_line)
    leftovers = [
        n
        for n in range(table.line_start, table.line_end + 1)
        if n not in covered and not is_blank(maker.doc.lines[n - 1])
    ]
    for group in _runs_of(maker.doc.lines, leftovers):
        body = f"Tabell: {table.caption}\n" + clean_block(
            [maker.doc.lines[n - 1] for n in range(group[0], group[-1] + 1)]
        )
        for window in split_sentences(body, budget):
            maker.add(place, group[0], group[-1], window)
    return set(range(table.line_start, table.line_end + 1))


def _runs_of(lines: tuple[str, ...], numbers: list[int]) -> list[list[int]]:
    """Group line numbers that are separated only by blank lines."""
    groups: list[list[int]] = []
    for n in numbers:
        if groups and all(is_blank(lines[m - 1]) for m in range(groups[-1][-1] + 1, n)):
            groups[-1].append(n)
        else:
            groups.append([n])
    return groups


def make_chunks(
    doc: Document,
    sections: tuple[Section, ...],
    tables: tuple[Table, ...],
    toc_lines: tuple[int, ...],
) -> tuple[Chunk, ...]:
    """All chunks of a document, in line order."""
    maker = _ChunkMaker(doc)
    excluded = set(toc_lines)
    by_line = {}
    for section in sections:
        for n in range(section.line_start, section.line_end + 1):
            by_line[n] = section
    for table in tables:
        section = by_line.get(table.header_line or table.line_start, sections[0])
        excluded |= _table(maker, table, section)
    for section in sections:
        _prose(maker, section, excluded)
    return tuple(sorted(maker.chunks, key=lambda c: (c.line_start, c.line_end)))
