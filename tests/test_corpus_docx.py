"""DOCX loading: outline levels, merged cells, grouped headers, lists, headers and
footers. Each test builds a small Word file with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from corpus.load import load_document
from corpus.parse import parse_document


def _outline(element, level: int) -> None:  # type: ignore[no-untyped-def]
    node = OxmlElement("w:outlineLvl")
    node.set(qn("w:val"), str(level))
    element.get_or_add_pPr().append(node)


def _save(document, path: Path):  # type: ignore[no-untyped-def]
    document.save(str(path))
    return parse_document(load_document(path))


def _budget_table(document, rows):  # type: ignore[no-untyped-def]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
    return table


def test_outline_levels_on_paragraph_and_style_make_the_section_tree(tmp_path):
    document = docx.Document()
    chapter = document.styles.add_style("Kapitelrubrik", WD_STYLE_TYPE.PARAGRAPH)
    _outline(chapter.element, 0)
    document.add_paragraph("Plan 2025 för Provs kommun")
    document.add_paragraph("3 Ekonomi", style="Kapitelrubrik")
    document.add_paragraph("Ekonomin är i balans.")
    sub = document.add_paragraph("Investeringar")
    _outline(sub._p, 1)
    document.add_paragraph("Investeringarna ökar.")
    body = document.add_paragraph("Bara brödtext, inte en rubrik", style="Heading 2")
    _outline(body._p, 9)  # "body text" on the paragraph beats the style
    parsed = _save(document, tmp_path / "plan.docx")
    paths = [s.section_path for s in parsed.sections]
    assert paths[1:] == ["3 Ekonomi", "3 Ekonomi > Investeringar"]
    assert "## Investeringar" in parsed.document.lines
    assert "Bara brödtext, inte en rubrik" in parsed.document.lines


def test_grouped_two_row_header_becomes_one_row_of_column_names(tmp_path):
    document = docx.Document()
    document.add_paragraph("Driftredovisning (mnkr)")
    table = _budget_table(
        document,
        [
            ["Område", "Budget", None, "Årsprognos", None],
            [None, "2024", "2025", "Resultat Netto", "Avvikelse"],
            ["Kultur", "-41,2", "-43,0", "-40,1", "1,1"],
            ["Fritid", "-12,0", "-12,5", "-12,9", "-0,4"],
        ],
    )
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Budget"
    table.cell(0, 3).merge(table.cell(0, 4)).text = "Årsprognos"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Område"
    parsed = _save(document, tmp_path / "grupp.docx")
    (parsed_table,) = parsed.tables
    assert parsed_table.header == (
        "Område",
        "Budget 2024",
        "Budget 2025",
        "Årsprognos Resultat Netto",
        "Årsprognos Avvikelse",
    )
    assert [r.label for r in parsed_table.rows] == ["Kultur", "Fritid"]
    culture = {c.column: c for c in parsed_table.rows[0].cells}
    assert culture["Budget 2025"].value == -43.0
    assert (culture["Budget 2025"].year, culture["Budget 2025"].kind) == (
        2025,
        "budget",
    )
    assert culture["Årsprognos Resultat Netto"].value == -40.1


def test_merged_cells_count_for_each_column_and_continue_down(tmp_path):
    document = docx.Document()
    document.add_paragraph("Nyckeltal")
    table = _budget_table(
        document,
        [
            ["Verksamhet", "Mål 2024", "Mål 2025", "Utfall 2024"],
            ["Skola", "90", None, "88"],
            [None, "80", "82", "79"],
        ],
    )
    table.cell(1, 1).merge(table.cell(1, 2)).text = "90"  # one target for both years
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Skola"  # label merged down
    (parsed_table,) = _save(document, tmp_path / "merged.docx").tables
    first, second = parsed_table.rows
    assert (first.label, second.label) == ("Skola", "Skola")
    assert {c.column: c.value for c in first.cells} == {
        "Mål 2024": 90.0,
        "Mål 2025": 90.0,
        "Utfall 2024": 88.0,
    }
    assert {c.column: c.value for c in second.cells}["Mål 2025"] == 82.0


def test_a_header_row_repeated_inside_the_table_is_not_data(tmp_path):
    document = docx.Document()
    document.add_paragraph("Investeringar (tkr)")
    header = ["Projekt", "Budget 2024", "Budget 2025"]
    _budget_table(
        document,
        [header, ["Skola", "100", "120"], header, ["Väg", "50", "60"]],
    )
    (parsed_table,) = _save(document, tmp_path / "repeat.docx").tables
    assert [r.label for r in parsed_table.rows] == ["Skola", "Väg"]
    assert all(c.value is not None for r in parsed_table.rows for c in r.cells)


def test_two_adjacent_word_tables_with_bold_headers_stay_two_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Poäng per område")
    for area, score in (("Demokrati", "12"), ("Samhälle", "7")):
        table = _budget_table(
            document, [[area, "Uppnått", "Max"], ["Strategi", score, "20"]]
        )
        for cell in table.rows[0].cells:
            cell.paragraphs[0].runs[0].bold = True
    tables = _save(document, tmp_path / "two.docx").tables
    assert [t.header[0] for t in tables] == ["Demokrati", "Samhälle"]
    assert [t.rows[0].cells[0].value for t in tables] == [12.0, 7.0]


def test_bulleted_and_numbered_paragraphs_stay_list_items(tmp_path):
    document = docx.Document()
    document.add_heading("1 Uppdrag", level=1)
    document.add_paragraph("Nämnden ska:")
    document.add_paragraph("Minska sjukfrånvaron", style="List Bullet")
    document.add_paragraph("Öka digitaliseringen", style="List Bullet")
    document.add_paragraph("Ta fram en plan", style="List Number")
    document.add_paragraph("Följa upp planen", style="List Number")
    parsed = _save(document, tmp_path / "lists.docx")
    lines = parsed.document.lines
    assert "• Minska sjukfrånvaron" in lines and "• Öka digitaliseringen" in lines
    assert "1) Ta fram en plan" in lines and "2) Följa upp planen" in lines
    assert [s.section_path for s in parsed.sections][-1] == "1 Uppdrag"
    prose = " ".join(c.text for c in parsed.chunks)
    assert "Minska sjukfrånvaron" in prose and "Följa upp planen" in prose


def test_page_header_and_footer_are_not_part_of_the_body(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Dnr KS 2024/123"
    section.footer.paragraphs[0].text = "Sida 1 (3)"
    document.add_heading("1 Inledning", level=1)
    document.add_paragraph("Planen gäller 2025.")
    lines = _save(document, tmp_path / "furniture.docx").document.lines
    assert lines == ("# 1 Inledning", "Planen gäller 2025.")
