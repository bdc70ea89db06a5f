"""Parity of a document parsed from another format against its text parse.

- section recall: the share of the text parse's sections (title and section path)
  that the other parse has too;
- table cell recall: the share of the text parse's (row label, column header,
  value) triples that the other parse has too;
- table recall: the share of the text parse's tables (header and row count) that
  the other parse has too, so a table split or merged differently shows.
Text is compared after collapsing whitespace, so line breaks inside a cell or a
heading do not count as differences.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from corpus.models import ParsedDocument

_SPACE_RE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def section_keys(parsed: ParsedDocument) -> Counter[tuple[str, str]]:
    return Counter(
        (_norm(s.title), " > ".join(_norm(p) for p in s.path)) for s in parsed.sections
    )


def cell_keys(parsed: ParsedDocument) -> Counter[tuple[str, str, str]]:
    return Counter(
        (_norm(row.label), _norm(cell.column), _norm(cell.text))
        for table in parsed.tables
        for row in table.rows
        for cell in row.cells
        if cell.text.strip()
    )


def table_keys(parsed: ParsedDocument) -> Counter[tuple[str, int]]:
    """Each table as (header, number of rows): splits and merges change these."""
    return Counter(
        (" | ".join(_norm(h) for h in table.header), len(table.rows))
        for table in parsed.tables
    )


def recall(expected: Counter[Any], found: Counter[Any]) -> float | None:
    """Share of ``expected`` (with multiplicity) that ``found`` holds."""
    total = sum(expected.values())
    if not total:
        return None
    return sum((expected & found).values()) / total


@dataclass(frozen=True)
class Parity:
    """Recall of one rendered document against its text parse."""

    doc: str
    fmt: str
    sections: int
    section_recall: float | None
    cells: int
    cell_recall: float | None
    tables: int
    table_recall: float | None
    missing_sections: tuple[str, ...]
    missing_cells: tuple[str, ...]


def compare(text: ParsedDocument, other: ParsedDocument, fmt: str) -> Parity:
    """How much of the text parse's structure ``other`` (the rendered file) keeps."""
    sections, found_sections = section_keys(text), section_keys(other)
    cells, found_cells = cell_keys(text), cell_keys(other)
    tables, found_tables = table_keys(text), table_keys(other)
    missing_s = sorted((sections - found_sections).elements())
    missing_c = sorted((cells - found_cells).elements())
    return Parity(
        doc=text.meta.doc,
        fmt=fmt,
        sections=sum(sections.values()),
        section_recall=recall(sections, found_sections),
        cells=sum(cells.values()),
        cell_recall=recall(cells, found_cells),
        tables=sum(tables.values()),
        table_recall=recall(tables, found_tables),
        missing_sections=tuple(path for _, path in missing_s),
        missing_cells=tuple(" | ".join(c) for c in missing_c),
    )
