"""SQLite table store on hand-built records: round trips and cell lookups."""

from __future__ import annotations

import sqlite3

import pytest
from test_index_helpers import MARK_META, MARK_TABLE, kramfors_parsed, mark_parsed

from index.tablestore import (
    SCHEMA_VERSION,
    SqliteTableStore,
    TableStoreError,
    normalize_label,
    scale_of,
)


@pytest.fixture
def store() -> SqliteTableStore:
    s = SqliteTableStore(":memory:")
    s.write(mark_parsed())
    s.write(kramfors_parsed())
    return s


def test_documents_lines_and_chunks_round_trip(store):
    assert [m.doc for m in store.documents()] == ["kramfors.txt", "mark.txt"]
    assert store.documents()[1] == MARK_META
    parsed = mark_parsed()
    assert store.document_lines("mark.txt") == parsed.document.lines
    assert store.all_chunks()[-len(parsed.chunks) :] == list(parsed.chunks)
    first = parsed.chunks[0]
    assert store.chunk(first.chunk_id) == first
    ids = [parsed.chunks[2].chunk_id, "nope", first.chunk_id]
    assert store.chunks(ids) == [parsed.chunks[2], first]
    assert store.chunk_meta(first.chunk_id) == {
        "municipality": "Marks kommun", "year": 2024, "collection": "default"
    }  # fmt: skip


def test_sections_and_tables_rebuild_the_structure(store):
    parsed = mark_parsed()
    assert store.sections("mark.txt") == list(parsed.sections)
    assert store.tables("mark.txt") == [MARK_TABLE]
    assert store.tables("kramfors.txt") == []


def test_cells_carry_value_scale_and_citation(store):
    cells = store.cells(municipality="Marks kommun", years=[2024], kinds=["budget"])
    net = next(c for c in cells if c.is_total)
    assert (net.value, net.unit, net.scale) == (-205.6, "mnkr", 1e6)
    assert net.row_label == "Nettokostnader"
    assert net.row_label_norm == normalize_label("nettokostnader")
    assert (net.line, net.header_line, net.column_label) == (6, 3, "Budget 2024")
    assert store.document_lines("mark.txt")[net.line - 1].endswith("<b>-205,6</b>")
    assert net.table_id == "mark:t1" and net.section_path.endswith("5.1 Driftbudget")
    assert store.cells(docs=["kramfors.txt"]) == []
    assert len(store.cells(docs=["mark.txt"])) == 9
    assert {c.kind for c in store.cells(years=[2023])} == {"budget", "prognos"}


def test_rewriting_a_document_replaces_it(store):
    store.write(mark_parsed(extra_line="Ny rad."))
    assert len(store.cells(docs=["mark.txt"])) == 9
    assert store.document_lines("mark.txt")[-1] == "Ny rad."
    assert store.counts()["documents"] == 2


def test_unknown_records_give_clear_errors(store):
    with pytest.raises(TableStoreError, match="no chunk 'x'"):
        store.chunk("x")
    with pytest.raises(TableStoreError, match=r"no document 'x\.txt'"):
        store.document_lines("x.txt")


def test_read_only_store_and_schema_versions(tmp_path):
    path = tmp_path / "store.sqlite"
    with SqliteTableStore(path) as s:
        s.write(mark_parsed())
    with SqliteTableStore(path, read_only=True) as ro:
        assert len(ro.all_chunks()) == len(mark_parsed().chunks)
        with pytest.raises(sqlite3.OperationalError):
            ro.write(mark_parsed())
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(TableStoreError, match="newer than this code"):
        SqliteTableStore(path)
    with pytest.raises(TableStoreError, match="no table store"):
        SqliteTableStore(tmp_path / "missing.sqlite", read_only=True)


def test_label_normalisation_and_scales():
    assert normalize_label("<b>Summa:</b>") == normalize_label("summa")
    assert normalize_label("**Personalkostnader**") == "personalkostnad"
    assert [scale_of(u) for u in ("kr", "tkr", "mnkr", "%", None)] == [
        1,
        1e3,
        1e6,
        1,
        1,
    ]


def test_a_row_under_a_group_row_carries_the_group_with_the_key_header():
    """ "deltagartillfällen" with no values heads the rows below it: their cells
    say what they count ("Statistik simskola deltagartillfällen"), so a question
    naming the measure finds them; the rows before the group row do not get it."""
    from dataclasses import replace as with_

    from corpus.models import Cell, TableRow

    empty = (Cell("Bokslut 2025", "", ""),)
    table = with_(
        MARK_TABLE,
        header=("Statistik simskola", "Bokslut 2025"),
        rows=(
            TableRow("Alla bad", (Cell("Bokslut 2025", "9", "9", 9.0),), 4, 4),
            TableRow("deltagartillfällen", empty, 5, 5),
            TableRow(
                "Tobisviksbadet", (Cell("Bokslut 2025", "1310", "1310", 1310.0),), 6, 6
            ),
        ),
    )
    assert table.groups() == {6: "deltagartillfällen"}
    parsed = mark_parsed()
    store = SqliteTableStore(":memory:")
    store.write(with_(parsed, tables=(table,)))
    keys = {c.row_label: c.key_header for c in store.cells(docs=["mark.txt"])}
    assert keys == {
        "Alla bad": "Statistik simskola",
        "Tobisviksbadet": "Statistik simskola deltagartillfällen",
    }
