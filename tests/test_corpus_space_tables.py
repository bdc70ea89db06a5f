"""Tables aligned by spaces (copied from a PDF viewer or a web page), and prose
with double spaces that must stay prose."""

from __future__ import annotations

from dataclasses import replace

import pytest
from corpus_fixtures import ALL_DOCS, parsed

from corpus.models import Document, DocumentMeta, Table
from corpus.parse import parse_document
from corpus.space_tables import find_space_tables, tab_view
from corpus.text import plain


def _doc(lines: list[str], name: str = "plan.txt") -> Document:
    return Document(DocumentMeta(doc=name, title="Plan"), tuple(lines), "h")


COPIED = [
    "# 1 Ekonomi",
    "",
    "Driftbudget per verksamhet (mnkr)",
    "Verksamhet              Budget 2024    Budget 2025    Prognos 2024",
    "Kommunstyrelse               -205,6         -212,8          -201,0",
    "Fritid och kultur             -41,2          -43,0           -40,9",
    "Summa                        -246,8         -255,8          -241,9",
    "",
    "Budgeten följs upp varje månad.",
]


def test_space_aligned_table_is_read_with_its_header_and_values():
    parsed_doc = parse_document(_doc(COPIED))
    (table,) = parsed_doc.tables
    assert table.header == ("Verksamhet", "Budget 2024", "Budget 2025", "Prognos 2024")
    assert table.caption == "Driftbudget per verksamhet (mnkr)"
    assert table.unit == "mnkr"
    rows = {r.label: r for r in table.rows}
    culture = {c.column: c.value for c in rows["Fritid och kultur"].cells}
    assert culture == {
        "Budget 2024": -41.2,
        "Budget 2025": -43.0,
        "Prognos 2024": -40.9,
    }
    assert rows["Summa"].is_total
    # Citations keep the original line (spaces, not tabs).
    row = rows["Kommunstyrelse"]
    assert parsed_doc.document.line(row.line_start) == COPIED[4]
    chunk = next(c for c in parsed_doc.chunks if c.line_end == row.line_end)
    assert (chunk.kind, chunk.text) == ("table", "\n".join(COPIED[3:5]))


def test_right_aligned_numbers_and_an_empty_cell_find_their_columns():
    lines = (
        "Nyckeltal            2023      2024      2025",
        "Sjukfrånvaro (%)      7,1       6,8       6,5",
        "Antal anställda       812     1 024",
        "Kostnad (tkr)      12 345     9 876    10 001",
    )
    cells = find_space_tables(lines)
    assert cells[2] == ["Antal anställda", "812", "1 024", ""]
    assert cells[3] == ["Kostnad (tkr)", "12 345", "9 876", "10 001"]
    assert tab_view(lines)[0] == "Nyckeltal\t2023\t2024\t2025"


def test_prose_with_double_spaces_is_not_a_table():
    prose = (
        "Nämnden ska under året  arbeta vidare med  digitalisering och service.",
        "Arbetet följs upp  i delårsrapporten  och i verksamhetsberättelsen.",
        "Målen gäller  för hela perioden  och revideras vid behov av nämnden.",
        "Se även bilaga 2  för en  sammanställning av uppdragen.",
    )
    assert find_space_tables(prose) == {}
    assert tab_view(prose) == prose


def test_aligned_words_without_numbers_are_not_a_table():
    words = (
        "Ansvar        Roll           Kontakt",
        "Ekonomi       Controller     Ekonomienheten",
        "Personal      HR-partner     HR-enheten",
    )
    assert find_space_tables(words) == {}


def test_two_lines_are_too_few_and_misaligned_columns_do_not_count():
    assert find_space_tables(("Budget  2024", "Intäkter  12,5")) == {}
    misaligned = (
        "Område  Budget 2024  Budget 2025",
        "Kommunstyrelse            -205,6  -212,8",
        "Kultur  -41,2                            -43,0",
    )
    assert find_space_tables(misaligned) == {}


def test_documents_with_tabs_parse_exactly_as_before():
    # The view only rewrites lines without tabs that form aligned numeric blocks;
    # the sample documents have none, so the view is the document itself.
    for name in ALL_DOCS:
        lines = parsed(name).document.lines
        assert tab_view(lines) is lines


def _space_aligned(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Each run of tab rows re-printed as a PDF viewer copies it: labels padded
    left, values right-aligned, columns three spaces apart."""
    out = list(lines)
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [[plain(c) for c in lines[k].split("\t")] for k in range(i, j)]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        sizes = [max(len(r[c]) for r in rows) for c in range(width)]
        for k, row in enumerate(rows):
            cells = [row[0].ljust(sizes[0])]
            cells += [row[c].rjust(sizes[c]) for c in range(1, width)]
            out[i + k] = "   ".join(cells).rstrip()
        i = j
    return tuple(out)


def _numeric(table: Table) -> bool:
    cells = [c for r in table.rows for c in r.cells if c.text]
    values = [c for c in cells if c.value is not None]
    return len(table.header) > 1 and len(values) >= 0.6 * max(1, len(cells))


def _triples(tables) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {
        (r.label, c.column, c.text)
        for t in tables
        for r in t.rows
        for c in r.cells
        if c.text
    }


@pytest.mark.parametrize("name", ALL_DOCS)
def test_sample_number_tables_reprinted_with_spaces_keep_every_cell(name):
    original = parsed(name)
    numeric = [t for t in original.tables if _numeric(t)]
    assert numeric
    document = original.document
    spaced = parse_document(replace(document, lines=_space_aligned(document.lines)))
    assert "\t" not in "".join(spaced.document.lines)
    assert _triples(numeric) <= _triples(spaced.tables)
