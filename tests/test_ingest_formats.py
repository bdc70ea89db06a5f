"""PDF and DOCX ingest: generated plan documents with numbered headings and a
budget table answer a numeric question with a cited page (PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_gen import (
    BUDGET_HEADER,
    BUDGET_ROWS,
    make_budget_docx,
    make_budget_pdf,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_junk_docx,
)

from corpus.load import CorpusError, load_document
from corpus.parse import parse_document
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest


def _budget_table(parsed):  # type: ignore[no-untyped-def]
    (table,) = [t for t in parsed.tables if t.header == BUDGET_HEADER]
    return table


@pytest.mark.parametrize("maker", [make_budget_pdf, make_budget_docx])
def test_headings_and_budget_table_are_parsed(tmp_path, maker):
    suffix = ".pdf" if maker is make_budget_pdf else ".docx"
    parsed = parse_document(load_document(maker(tmp_path / f"plan{suffix}")))
    paths = [s.section_path for s in parsed.sections]
    assert "1 Ekonomi > 1.1 Driftbudget" in paths
    table = _budget_table(parsed)
    assert table.section_path == "1 Ekonomi > 1.1 Driftbudget"
    assert table.unit == "mnkr"
    net = next(r for r in table.rows if r.label == "Nettokostnader")
    by_column = {c.column: c for c in net.cells}
    assert by_column["Budget 2025"].value == -212.8
    assert (by_column["Budget 2025"].year, by_column["Budget 2025"].kind) == (
        2025,
        "budget",
    )
    # The row's address points at its original line.
    assert "Nettokostnader" in parsed.document.line(net.line_start)


def test_pdf_lines_carry_their_page(tmp_path):
    doc = load_document(make_budget_pdf(tmp_path / "plan.pdf"))
    assert len(doc.pages) == len(doc.lines)
    assert doc.page_of(1) == 1
    # A PDF heading is written as a markdown heading ("# 1 Ekonomi").
    heading = next(
        n for n, line in enumerate(doc.lines, 1) if line.endswith("1 Ekonomi")
    )
    assert doc.page_of(heading) == 2
    table_chunks = [
        c for c in parse_document(doc).chunks if c.kind == "table" and c.page
    ]
    assert table_chunks and {c.page for c in table_chunks} == {2}


def test_docx_word_numbered_headings_get_their_number_written_out(tmp_path):
    doc = load_document(make_budget_docx(tmp_path / "p.docx", word_numbering=True))
    assert "# 1 Ekonomi" in doc.lines and "## 1.1 Driftbudget" in doc.lines
    paths = [s.section_path for s in parse_document(doc).sections]
    assert "1 Ekonomi > 1.1 Driftbudget" in paths


@pytest.mark.parametrize(
    ("maker", "name", "expected"),
    [
        (make_image_only_pdf, "scan.pdf", r"scan\.pdf: no text layer .*run OCR"),
        (make_encrypted_pdf, "locked.pdf", r"locked\.pdf: the PDF is encrypted"),
        (make_junk_docx, "junk.docx", r"junk\.docx: not a readable DOCX"),
    ],
)
def test_unreadable_documents_fail_with_a_reason(tmp_path, maker, name, expected):
    with pytest.raises(CorpusError, match=expected):
        load_document(maker(tmp_path / name))


def test_pdf_page_limit(tmp_path, monkeypatch):
    path = make_budget_pdf(tmp_path / "plan.pdf")
    monkeypatch.setenv("ASSISTANT_INGEST_MAX_PAGES", "1")
    with pytest.raises(CorpusError, match=r"2 pages, more than the limit 1"):
        load_document(path)


def test_utf16_text_is_rejected_with_a_fix(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("1 Ekonomi\nBudget 2025".encode("utf-16"))
    with pytest.raises(CorpusError, match=r"UTF-16 .*re-save the file as UTF-8"):
        load_document(path)


def assistant_store(assistant):  # type: ignore[no-untyped-def]
    """The table store behind an Assistant (found by type, not by attribute name)."""
    from index.tablestore import SqliteTableStore

    for value in vars(assistant).values():
        if isinstance(value, SqliteTableStore):
            return value
        store = getattr(value, "store", None)
        if isinstance(store, SqliteTableStore):
            return store
    raise AssertionError("no table store on the assistant")


@pytest.fixture
def assistant_on(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from assistant.app import build_assistant
    from assistant.settings import load_settings

    def build(*files: Path):  # type: ignore[no-untyped-def]
        index_dir = tmp_path / "index"
        report = ingest(
            list(files), IndexTarget(index_dir, HashEmbedder()), progress=False
        )
        assert report.built and not report.errors, report.summary()
        monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
        monkeypatch.setenv("ASSISTANT_LLM__PROVIDER", "none")
        return build_assistant(load_settings(index_dir=index_dir))

    return build


@pytest.mark.parametrize(
    ("maker", "page"), [(make_budget_pdf, 2), (make_budget_docx, None)]
)
def test_numeric_question_is_answered_from_the_table_with_page(
    tmp_path, assistant_on, maker, page
):
    suffix = ".pdf" if maker is make_budget_pdf else ".docx"
    path = maker(tmp_path / f"plan{suffix}")
    assistant = assistant_on(path)
    answer = assistant.ask("Hur stor är driftbudgeten 2025?")
    assert not answer.refused, answer.answer
    # The answer states a 2025 budget value of the table, cited to its row.
    budget_2025 = {row[0]: row[2] for row in BUDGET_ROWS}
    assert answer.facts and all(f.column == "Budget 2025" for f in answer.facts)
    fact = answer.facts[0]
    assert fact.raw == budget_2025[fact.label] and fact.raw in answer.answer
    cited = [c for c in answer.citations if fact.raw in c.text]
    assert cited and cited[0].doc == path.name
    assert cited[0].section == "1 Ekonomi > 1.1 Driftbudget"
    # The indexed row chunk at the cited line carries the PDF page.
    store = assistant_store(assistant)
    (row_chunk,) = [
        c
        for c in store.all_chunks()
        if c.kind == "table" and c.line_start <= cited[0].line_start <= c.line_end
    ]
    assert row_chunk.page == page


def test_fact_citation_from_a_pdf_carries_its_page(tmp_path, assistant_on):
    assistant = assistant_on(make_budget_pdf(tmp_path / "plan.pdf"))
    answer = assistant.ask("Hur stor är driftbudgeten 2025?")
    assert answer.citations and answer.citations[0].page == 2
