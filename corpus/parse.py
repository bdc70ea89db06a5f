"""``parse_document``: the one entry point from a loaded document to its structure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from corpus.chunk import make_chunks
from corpus.models import Document, ParsedDocument, Section, Table
from corpus.sections import build_sections, contents_lines, find_headings
from corpus.space_tables import tab_view
from corpus.tables import caption_for, find_tables, numbered_caption


def _front_title(doc: Document) -> str:
    return doc.meta.title or "Inledning"


def _place_tables(
    lines: tuple[str, ...], tables: list[Table], sections: list[Section]
) -> tuple[Table, ...]:
    """Give each table its section path; keep the caption inside that section."""
    placed: list[Table] = []
    for table in tables:
        anchor = table.header_line or table.line_start
        section = next(
            (s for s in sections if s.line_start <= anchor <= s.line_end), sections[0]
        )
        caption = table.caption
        if table.rows and len(table.header) > 1 and not numbered_caption(caption):
            caption = caption_for(lines, anchor, section.line_start) or section.title
        placed.append(
            replace(table, section_path=section.section_path, caption=caption)
        )
    return tuple(placed)


def parse_document(doc: Document) -> ParsedDocument:
    """Sections, tables and chunks of one document, all with line provenance."""
    toc = contents_lines(doc.lines)
    skip = set(toc)
    # Space-aligned tables read as tab rows; the original lines stay for citations.
    lines = tab_view(doc.lines)
    headings = find_headings(lines, skip)
    sections = build_sections(doc.doc, lines, headings, _front_title(doc))
    heading_lines = {h.line for h in headings}
    tables = find_tables(lines, skip, heading_lines, Path(doc.doc).stem, doc.doc)
    placed = _place_tables(lines, tables, sections)
    chunks = make_chunks(doc, tuple(sections), placed, toc)
    return ParsedDocument(doc, tuple(sections), placed, chunks, toc)
