"""The format benchmark's renderer: a small text plan written as Word and parsed
back keeps its sections and table cells (fast; no LibreOffice, no model)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from corpus.docx_tables import header_rows, table_grid
from corpus.models import Document, DocumentMeta
from corpus.parse import parse_document
from evals.format_bench import quote_variants
from evals.format_parity import cell_keys, compare, section_keys
from evals.render_docx import group_header, render_docx

PLAN = """Nämndplan 2025 för Provs kommun
Dnr KS 2024/77

# 1 Inledning

Planen beskriver nämndens uppdrag.

## 1.1 Uppdrag

- Minska sjukfrånvaron
- Öka digitaliseringen

### Prioriteringar

Nämnden prioriterar skolan.

# 2 Ekonomi

Driftbudget (mnkr)
Verksamhet\tBudget 2024\tBudget 2025\tPrognos 2024\tAvvikelse mot budget
Kultur\t-41,2\t-43,0\t-40,9\t0,3
Fritid\t-12,0\t-12,5\t-12,9\t-0,9
Summa\t-53,2\t-55,5\t-53,8\t-0,6

## 2.1 Nyckeltal

Nyckeltal\tUtfall\tMål
Sjukfrånvaro (%)\t7,1\t6,5
"""


@pytest.fixture
def rendered(tmp_path):  # type: ignore[no-untyped-def]
    lines = tuple(PLAN.rstrip("\n").split("\n"))
    meta = DocumentMeta(doc="plan.txt", title="Nämndplan 2025 för Provs kommun")
    text = parse_document(Document(meta, lines, "h"))
    path = render_docx(text, tmp_path / "plan.docx")
    return text, path


def test_rendered_docx_parses_back_to_the_same_sections_and_cells(rendered):
    from corpus.load import load_document

    text, path = rendered
    back = parse_document(load_document(path))
    assert section_keys(back) == section_keys(text)
    assert cell_keys(back) == cell_keys(text)
    parity = compare(text, back, "docx")
    assert (parity.section_recall, parity.cell_recall, parity.table_recall) == (
        1.0,
        1.0,
        1.0,
    )
    assert "1 Inledning > 1.1 Uppdrag > Prioriteringar" in [
        s.section_path for s in back.sections
    ]
    assert "• Minska sjukfrånvaron" in back.document.lines


def test_rendered_docx_uses_word_structures(rendered):
    _, path = rendered
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs if p.text.strip()]
    assert {"Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= set(styles)
    budget, key_figures = document.tables
    assert header_rows(table_grid(budget)) == 2  # "Budget" over 2024 and 2025
    assert header_rows(table_grid(key_figures)) == 1
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == [
        "Nämndplan 2025 för Provs kommun",
        "Dnr KS 2024/77",
    ]
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Sida" in footer
    orientations = [s.orientation for s in document.sections]
    assert len(orientations) == 3 and orientations[1] != orientations[0]


def test_group_header_needs_two_adjacent_columns_with_one_first_word():
    assert group_header(["Område", "Budget 2024", "Budget 2025", "Prognos 2024"]) == (
        ["Område", "Budget", "Budget", "Prognos 2024"],
        ["", "2024", "2025", ""],
    )
    assert group_header(["Nyckeltal", "Utfall 2023", "Mål 2024"]) is None


def test_quotes_are_found_without_markup_in_rendered_files():
    assert quote_variants("<b>Summa</b>\t<b>10</b>") == [
        "<b>Summa</b>\t<b>10</b>",
        "Summa 10",
    ]
    assert quote_variants("1. Ta fram en plan.")[-1] == "Ta fram en plan."


def test_renderer_needs_no_sample_document(tmp_path: Path):
    lines = ("Kort plan", "", "# 1 Mål", "Målet är nöjda invånare.")
    text = parse_document(Document(DocumentMeta(doc="k.txt", title="Kort"), lines, "h"))
    path = render_docx(text, tmp_path / "k.docx")
    assert [p.text for p in docx.Document(str(path)).paragraphs if p.text] == [
        "Kort plan",
        "1 Mål",
        "Målet är nöjda invånare.",
    ]
