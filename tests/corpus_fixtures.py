"""Shared helpers for the corpus tests: the sample documents, parsed once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from corpus.load import load_document
from corpus.models import Chunk, ParsedDocument, Table, TableRow
from corpus.parse import parse_document

DOCUMENTS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARK_PLAN = "000_965797b1dd14ccdb.txt"
KOMPASS = "001_044694e4ac685f9b.txt"
KRAMFORS = "002_1a38c4bd8c4b403d.txt"
ENKOPING = "003_034fdc850437dc3c.txt"
ALL_DOCS = (MARK_PLAN, KOMPASS, KRAMFORS, ENKOPING)


@cache
def parsed(name: str) -> ParsedDocument:
    return parse_document(load_document(DOCUMENTS / name))


def row_at(name: str, line: int) -> tuple[Table, TableRow]:
    """The table row whose line range holds ``line``."""
    for table in parsed(name).tables:
        for row in table.rows:
            if row.line_start <= line <= row.line_end:
                return table, row
    raise AssertionError(f"no table row at {name} line {line}")


def cell(row: TableRow, column: str):  # type: ignore[no-untyped-def]
    return next(c for c in row.cells if c.column == column)


def chunks_covering(name: str, line: int) -> list[Chunk]:
    return [c for c in parsed(name).chunks if c.line_start <= line <= c.line_end]


def section_path_at(name: str, line: int) -> str:
    doc = parsed(name)
    return next(
        s.section_path for s in doc.sections if s.line_start <= line <= s.line_end
    )
