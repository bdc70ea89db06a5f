"""Ruled PDF tables: merged multi-row headers, spans, page breaks, spacer columns,
wrapped row labels; parsed by the same table parser as text documents."""

from __future__ import annotations

from pathlib import Path

from pdf_builders import line, new_pdf, save, table

from corpus.load import load_document
from corpus.parse import parse_document

SPAN2 = {"colspan": 2}
GROUP_HEADER = (
    ("Verksamhet", {"rowspan": 2}),
    ("Ack Utfall/resultat", {"colspan": 3}),
    "Årsprognos",
)
SUB_HEADER = (
    "Ack Utfall jan - dec",
    "Ack Budget jan - dec",
    "Avvikelse jan - dec",
    "Resultat Netto",
)
ROWS = (
    ("Kommunstyrelsen", "-12 400", "-13 000", "600", "-12 500"),
    ("Socialnämnden", "-48 100", "-47 000", "-1 100", "-48 300"),
    ("Summa", "-60 500", "-60 000", "-500", "-60 800"),
)


def _grouped(path: Path, extra_rows: int = 0) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Driftredovisning", size=16, bold=True)
    line(pdf, "Resultat per nämnd (tkr)")
    body = [
        (f"Verksamhet {n}", f"-{n},0", f"-{n},5", "0,5", f"-{n},2")
        for n in range(1, extra_rows + 1)
    ]
    table(
        pdf,
        (GROUP_HEADER, SUB_HEADER, *body, *ROWS),
        widths=(45, 32, 32, 32, 32),
        heading_rows=2,
    )
    line(pdf, "Prognosen bygger på utfallet till och med augusti.")
    return save(pdf, path)


def _the_table(parsed):  # type: ignore[no-untyped-def]
    (found,) = [t for t in parsed.tables if t.header and t.header[0] == "Verksamhet"]
    return found


def test_two_header_rows_merge_into_column_names(tmp_path):
    parsed = parse_document(load_document(_grouped(tmp_path / "drift.pdf")))
    found = _the_table(parsed)
    assert found.header == (
        "Verksamhet",
        "Ack Utfall jan - dec",
        "Ack Budget jan - dec",
        "Ack Avvikelse jan - dec",
        "Årsprognos Resultat Netto",
    )
    assert found.unit == "tkr"
    assert [r.label for r in found.rows] == [
        "Kommunstyrelsen",
        "Socialnämnden",
        "Summa",
    ]
    social = {c.column: c for c in found.rows[1].cells}
    assert social["Ack Budget jan - dec"].value == -47000
    assert social["Ack Budget jan - dec"].kind == "budget"
    assert social["Ack Avvikelse jan - dec"].kind == "avvikelse"
    assert social["Årsprognos Resultat Netto"].value == -48300
    assert found.rows[2].is_total


def test_header_repeated_after_a_page_break_is_not_data(tmp_path):
    doc = load_document(_grouped(tmp_path / "lang.pdf", extra_rows=60))
    found = _the_table(parse_document(doc))
    labels = [r.label for r in found.rows]
    assert len(labels) == 63
    assert labels[:2] == ["Verksamhet 1", "Verksamhet 2"]
    assert labels[-1] == "Summa"
    assert not any("Ack" in label or label == "Verksamhet" for label in labels)
    row_pages = [doc.page_of(r.line_start) for r in found.rows]
    assert row_pages[0] == 1 and row_pages[-1] == max(doc.pages) >= 2
    # The header is printed (and kept as a line) on every page, never as a row.
    repeats = [n for n, text in enumerate(doc.lines, 1) if "Verksamhet</b>\t" in text]
    assert [doc.page_of(n) for n in repeats] == sorted(set(row_pages))


def test_spacer_column_dropped_and_wrapped_label_kept_whole(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Investeringar (mnkr)", size=14, bold=True)
    table(
        pdf,
        (
            ("Projekt", "", "Budget 2025", "Utfall 2025"),
            ("Ombyggnad av kommunhusets entré och reception", "", "4,2", "3,9"),
            ("Gång- och cykelväg", "", "1,5", "1,6"),
        ),
        widths=(40, 8, 30, 30),
    )
    parsed = parse_document(load_document(save(pdf, tmp_path / "inv.pdf")))
    (found,) = parsed.tables
    assert found.header == ("Projekt", "Budget 2025", "Utfall 2025")
    assert found.rows[0].label == "Ombyggnad av kommunhusets entré och reception"
    assert [c.value for c in found.rows[0].cells] == [4.2, 3.9]
    assert found.unit == "mnkr"


def test_cell_spanning_rows_fills_its_rows(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Nyckeltal", size=14, bold=True)
    table(
        pdf,
        (
            ("Område", "Mått", "Utfall 2024"),
            (("Skola", {"rowspan": 2}), "Elever per lärare", "12,1"),
            ("Behörighet (%)", "86"),
            ("Vård", "Väntetid (dagar)", "14"),
        ),
        widths=(40, 60, 30),
    )
    (found,) = parse_document(load_document(save(pdf, tmp_path / "nyckel.pdf"))).tables
    # The area groups the measures: each row is named by both.
    assert [r.label for r in found.rows] == [
        "Skola \u2013 Elever per lärare",
        "Skola \u2013 Behörighet (%)",
        "Vård \u2013 Väntetid (dagar)",
    ]
    assert [r.cells[0].text for r in found.rows] == [
        "Elever per lärare",
        "Behörighet (%)",
        "Väntetid (dagar)",
    ]
    assert [r.cells[1].value for r in found.rows] == [12.1, 86, 14]


def test_caption_row_inside_the_grid_is_a_caption(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Ekonomi", size=14, bold=True)
    table(
        pdf,
        (
            (("Resultaträkning (mnkr)", {"colspan": 3}),),
            ("Post", "Budget 2025", "Prognos 2025"),
            ("Intäkter", "310,2", "305,0"),
            ("Kostnader", "-298,4", "-301,1"),
        ),
        widths=(60, 35, 35),
    )
    doc = load_document(save(pdf, tmp_path / "rr.pdf"))
    assert "Resultaträkning (mnkr)" in doc.lines
    (found,) = parse_document(doc).tables
    assert found.header == ("Post", "Budget 2025", "Prognos 2025")
    assert found.unit == "mnkr"
    assert found.caption == "Resultaträkning (mnkr)"


def _borderless(path: Path) -> Path:
    """A table printed without rulings: a group row centred over three columns,
    right-aligned figures, a wrapped label and a missing figure."""
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Ekonomi", size=14, bold=True)
    line(pdf, "Driftredovisning per nämnd (tkr)")
    pdf.ln(3)
    widths = (45, 28, 28, 28, 28)
    x_of = [20 + sum(widths[:k]) for k in range(len(widths))]

    def row(cells, y):  # type: ignore[no-untyped-def]
        for k, text in enumerate(cells):
            pdf.set_xy(x_of[k], y)
            pdf.cell(widths[k], 5, text, align="L" if k == 0 else "R")

    pdf.set_font("Helvetica", size=10)
    y = pdf.get_y()
    pdf.set_xy(x_of[1], y)
    pdf.cell(sum(widths[1:4]), 5, "Ack Utfall/resultat", align="C")
    pdf.set_xy(x_of[4], y)
    pdf.cell(widths[4], 5, "Årsprognos", align="R")
    row(("Verksamhet", "Utfall", "Budget", "Avvikelse", "Netto"), y + 6)
    row(("Kommunstyrelsen", "-12 400", "-13 000", "600", "-12 500"), y + 12)
    row(("Vård- och", "-48 100", "-47 000", "-1 100", "-48 300"), y + 18)
    row(("omsorgsnämnden", "", "", "", ""), y + 23)
    row(("Tekniska nämnden", "-5 000", "-5 000", "", "-5 100"), y + 29)
    pdf.set_xy(20, y + 40)
    line(pdf, "Nämnderna följer upp budgeten varje månad.")
    return save(pdf, path)


def test_borderless_table_is_aligned_into_columns(tmp_path):
    parsed = parse_document(load_document(_borderless(tmp_path / "utan.pdf")))
    (found,) = parsed.tables
    assert found.header == (
        "Verksamhet",
        "Ack Utfall",
        "Ack Budget",
        "Ack Avvikelse",
        "Årsprognos Netto",
    )
    assert found.unit == "tkr"
    assert [r.label for r in found.rows] == [
        "Kommunstyrelsen",
        "Vård- och omsorgsnämnden",
        "Tekniska nämnden",
    ]
    technical = {c.column: c.value for c in found.rows[2].cells}
    # The missing deviation leaves its cell empty; the forecast stays in its column.
    assert technical == {
        "Ack Utfall": -5000,
        "Ack Budget": -5000,
        "Ack Avvikelse": None,
        "Årsprognos Netto": -5100,
    }


def test_inspect_shows_merged_column_names_and_unit(tmp_path, capsys):
    from corpus.__main__ import main

    assert main(["inspect", str(_grouped(tmp_path / "drift.pdf"))]) == 0
    out = capsys.readouterr().out
    assert "unit=tkr" in out
    assert (
        "header: Verksamhet | Ack Utfall jan - dec | Ack Budget jan - dec | "
        "Ack Avvikelse jan - dec | Årsprognos Resultat Netto"
    ) in out


def test_adjacent_tables_with_bold_headers_stay_apart(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Poäng per område", size=14, bold=True)
    for header, row in (
        (
            ("2.", "Samhällsutveckling", "Uppnått", "Max"),
            ("2.1", "Strategi", "12", "15"),
        ),
        (
            ("3.", "Styrning", "Uppnått", "Max"),
            ("3.1", "Politisk styrning", "20", "30"),
        ),
    ):
        table(pdf, (header, row), widths=(15, 70, 25, 25))
        pdf.ln(4)
    tables = parse_document(load_document(save(pdf, tmp_path / "omr.pdf"))).tables
    # The numbering and name columns are one key column with one header.
    assert [t.header[0] for t in tables] == ["2. Samhällsutveckling", "3. Styrning"]
    assert [[r.label for r in t.rows] for t in tables] == [
        ["2.1 Strategi"],
        ["3.1 Politisk styrning"],
    ]
