"""Cell lookups on the four parsed sample documents (parser + table store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.load import load_corpus
from corpus.parse import parse_document
from index.tablestore import CellRecord, SqliteTableStore, normalize_label

DOCUMENTS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


@pytest.fixture(scope="module")
def store() -> SqliteTableStore:
    docs, errors = load_corpus([DOCUMENTS])
    assert not errors and len(docs) == 4
    s = SqliteTableStore(":memory:")
    for doc in docs:
        s.write(parse_document(doc))
    return s


def _lookup(
    store: SqliteTableStore, municipality: str, label: str, **kw
) -> list[CellRecord]:
    return store.cells(
        municipality=municipality, row_label_norm=normalize_label(label), **kw
    )


def _cited_line(store: SqliteTableStore, cell: CellRecord) -> str:
    line = store.document_lines(cell.doc)[cell.line - 1]
    assert cell.raw in line and cell.row_label.split()[0] in line
    return line


def test_mark_ks_net_cost_budget_2024(store):
    (cell,) = _lookup(
        store, "Marks kommun", "nettokostnader", years=[2024], kinds=["budget"]
    )
    assert (cell.value, cell.unit, cell.scale) == (-205.6, "mnkr", 1e6)
    assert cell.column_label == "Budget 2024"
    assert "-205,6" in _cited_line(store, cell)
    header = store.document_lines(cell.doc)[cell.header_line - 1]
    assert "Budget 2024" in header


def test_kramfors_investment_total_2025(store):
    cells = _lookup(store, "Kramfors kommun", "Summa", years=[2025])
    (cell,) = [c for c in cells if c.unit == "tkr"]
    assert (cell.value, cell.scale, cell.is_total) == (18800.0, 1e3, True)
    assert "18 800" in _cited_line(store, cell)
    assert "nvestering" in cell.section_path


def test_enkoping_staff_cost_forecast_is_told_apart_by_chapter(store):
    cells = _lookup(store, "Enköpings kommun", "Personalkostnader", kinds=["prognos"])
    by_chapter = {c.section_path.split()[0]: c for c in cells}
    assert by_chapter["7"].value == -121.3 and by_chapter["7"].unit == "mnkr"
    assert by_chapter["11"].value == -8.8
    assert "-121,3" in _cited_line(store, by_chapter["7"])


def test_kommunkompassen_total_by_year(store):
    (doc,) = [m.doc for m in store.documents() if "Kommunkompassen" in m.title]
    cells = store.cells(
        docs=[doc], years=[2022, 2024], row_label_norm=normalize_label("Totalt")
    )
    totals = {c.year: c for c in cells}
    assert totals[2024].value == 510 and totals[2022].value == 438
    assert totals[2024].line == totals[2022].line  # one row, two year columns
    assert "510" in _cited_line(store, totals[2024])


def test_every_document_round_trips_lines_and_chunks(store):
    for meta in store.documents():
        lines = store.document_lines(meta.doc)
        for chunk in store.all_chunks():
            if chunk.doc == meta.doc:
                assert chunk.text == "\n".join(
                    lines[chunk.line_start - 1 : chunk.line_end]
                )
        assert store.sections(meta.doc) and store.tables(meta.doc)
