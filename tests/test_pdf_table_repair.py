"""PDF tables whose cells are painted boxes (LibreOffice Draw text frames, Word
line shading), and the repairs after extraction: padding columns, cells shifted
off their header, group rows over sub-names, wrapped labels. Small PDFs drawn
here with fpdf2 the way those writers draw them; unit tests on the text rules."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pdf_builders import line, new_pdf, save, table

from corpus.load import load_document
from corpus.parse import parse_document
from corpus.pdf_continued import continues
from corpus.pdf_table_repair import column_groups, repair_table, repair_tables
from corpus.pdf_tables import PageTable
from corpus.pdf_wrapped_rows import fold_wrapped, wrapped_rows

LINE = 5.0  # mm per text line
PAD = 1.9  # mm: LibreOffice's text frame inset (5.4 pt)
WHITE, BLACK = (255, 255, 255), (0, 0, 0)
SHADES = ((189, 227, 255), (225, 242, 255))  # Word's banded row shading


def _box(pdf: Any, rect: tuple[float, float, float, float], rgb: tuple) -> None:
    pdf.set_fill_color(*rgb)
    pdf.rect(*rect, style="F")


def _draw_table(
    pdf: Any, rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[float]
) -> None:
    """Rows of cells of text lines, painted as LibreOffice Draw does: per cell a
    white frame, a text frame inset by PAD (one per line in a wrapped cell, one
    line high beside it), thin black rules around the cells."""
    y = 40.0
    for r, cells in enumerate(rows):
        height = LINE * max(len(c) for c in cells)
        x = 20.0
        for lines, w in zip(cells, widths, strict=True):
            _box(pdf, (x, y, w, height), WHITE)
            if len(lines) > 1:
                for k in range(len(lines)):
                    _box(pdf, (x + PAD, y + k * LINE, w - 2 * PAD, LINE), WHITE)
            else:
                inner = LINE if height > LINE else height
                _box(pdf, (x + PAD, y, w - 2 * PAD, inner), WHITE)
            pdf.set_font("Helvetica", style="B" if r == 0 else "", size=9)
            for k, text in enumerate(lines):
                pdf.text(x + PAD + 0.5, y + k * LINE + 3.6, text)
            _box(pdf, (x - 0.1, y, 0.2, height), BLACK)
            x += w
        _box(pdf, (x - 0.1, y, 0.2, height), BLACK)
        _box(pdf, (20.0, y - 0.1, sum(widths), 0.2), BLACK)
        y += height
    _box(pdf, (20.0, y - 0.1, sum(widths), 0.2), BLACK)


def _word_table(
    pdf: Any, rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[float]
) -> None:
    """Rows painted as Word exports shaded tables: per cell a shaded box, a box of
    the same shade behind every text line, banded rows, no rules."""
    y = 40.0
    for r, cells in enumerate(rows):
        shade = SHADES[r % 2]
        height = LINE * max(len(c) for c in cells) + 2
        x = 20.0
        for lines, w in zip(cells, widths, strict=True):
            _box(pdf, (x, y, w, height), shade)
            for k, text in enumerate(lines):
                _box(pdf, (x + 1, y + 1 + k * LINE, w - 2, LINE), shade)
                pdf.set_font("Helvetica", style="B" if r == 0 else "", size=9)
                pdf.text(x + 1.5, y + 1 + k * LINE + 3.6, text)
            x += w
        y += height


def _parsed_table(path: Path):  # type: ignore[no-untyped-def]
    (found,) = parse_document(load_document(path)).tables
    return found


SERVICES = (
    (("Tjänst",), ("Utfall",), ("Budget",)),
    (("Ekonomi",), ("20,5",), ("-20,7",)),
    (("Kommunikation,", "ledning och styrning"), ("24,5",), ("-24,6",)),
    (("Totalt",), ("45,0",), ("-45,3",)),
)


def test_draw_frames_give_one_row_per_printed_row_under_its_header(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Resultat per tjänst (mnkr)", size=12, bold=True)
    _draw_table(pdf, SERVICES, widths=(50, 25, 25))
    found = _parsed_table(save(pdf, tmp_path / "draw.pdf"))
    assert found.header == ("Tjänst", "Utfall", "Budget")
    assert [r.label for r in found.rows] == [
        "Ekonomi",
        "Kommunikation, ledning och styrning",
        "Totalt",
    ]
    assert [[c.value for c in r.cells] for r in found.rows] == [
        [20.5, -20.7],
        [24.5, -24.6],
        [45.0, -45.3],
    ]
    assert [c.kind for c in found.rows[1].cells] == ["utfall", "budget"]


def test_draw_rows_with_a_rule_between_them_stay_apart(tmp_path):
    # A label-only row (a group heading) over a data row: each its own frame,
    # a rule between them, so not one row even though the first has no figures.
    pdf = new_pdf()
    pdf.add_page()
    rows = (
        (("Tjänst",), ("Utfall",), ("Budget",)),
        (("Gemensamma tjänster",), ("",), ("",)),
        (("Ekonomi",), ("20,5",), ("-20,7",)),
    )
    _draw_table(pdf, rows, widths=(50, 25, 25))
    found = _parsed_table(save(pdf, tmp_path / "draw2.pdf"))
    assert [r.label for r in found.rows] == ["Gemensamma tjänster", "Ekonomi"]


def test_word_line_shading_keeps_a_wrapped_label_in_its_row(tmp_path):
    # The second line starts in upper case: only the drawing tells it is wrapped.
    pdf = new_pdf()
    pdf.add_page()
    rows = (
        (("Projekt",), ("Budget 2025",), ("Utfall 2025",)),
        (("Ny teknik bowlinghall", "Korsavad (6154)"), ("3,000",), ("2,117",)),
        (("Konstnärlig utsmyckning",), ("0,500",), ("0,003",)),
    )
    _word_table(pdf, rows, widths=(50, 25, 25))
    found = _parsed_table(save(pdf, tmp_path / "word.pdf"))
    assert [r.label for r in found.rows] == [
        "Ny teknik bowlinghall Korsavad (6154)",
        "Konstnärlig utsmyckning",
    ]
    assert [c.value for c in found.rows[0].cells] == [3.0, 2.117]


def test_word_rows_each_in_their_own_box_stay_apart(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    rows = (
        (("Statistik",), ("Bokslut 2024",), ("Bokslut 2025",)),
        (("Bibliotek och buss",), ("117 271",), ("116 000",)),
        (("Antal bibliotekslån",), ("",), ("",)),
        (("Bibliotekslån",), ("95 414",), ("93 666",)),
    )
    _word_table(pdf, rows, widths=(50, 25, 25))
    found = _parsed_table(save(pdf, tmp_path / "word2.pdf"))
    assert [r.label for r in found.rows] == [
        "Bibliotek och buss",
        "Antal bibliotekslån",
        "Bibliotekslån",
    ]


def test_group_row_over_sub_names_names_every_column(tmp_path):
    # Only the group row is bold, so the sub-names arrive as a row without a label.
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Resultaträkning", size=12, bold=True)
    table(
        pdf,
        (
            (
                "Belopp i mnkr",
                ("Period", {"colspan": 2}),
                ("Helår", {"colspan": 2}),
            ),
            ("", "Utfall", "Budget", "Prognos", "Budget"),
            ("Intäkter", "373,6", "375,7", "1 513,3", "1 506,8"),
            ("Kostnader", "-360,5", "-382,1", "-1 550,7", "-1 549,1"),
        ),
        widths=(40, 25, 25, 25, 25),
    )
    found = _parsed_table(save(pdf, tmp_path / "grupp.pdf"))
    assert found.header == (
        "Belopp i mnkr",
        "Period Utfall",
        "Period Budget",
        "Helår Prognos",
        "Helår Budget",
    )
    assert found.unit == "mnkr"
    assert [r.label for r in found.rows] == ["Intäkter", "Kostnader"]
    assert [c.kind for c in found.rows[0].cells] == [
        "utfall",
        "budget",
        "prognos",
        "budget",
    ]


def _table(header: Sequence[str], *rows: Sequence[str]) -> PageTable:
    return PageTable((0, 0, 1, 1), (), tuple(header), tuple(map(tuple, rows)))


def test_padding_columns_and_shifted_cells_become_one_column():
    # The label sits one grid column right of its spanning name; a taller row's
    # figures sit in the padding column left of their header.
    raw = _table(
        ("Mått", "Mått", "", "Utfall", "Prognos", "Prognos"),
        ("", "Intäkter", "", "7,8 %", "", "6,0 %"),
        ("", "IT-tjänster", "-2,7 %", "", "9,9 %", ""),
    )
    fixed, layout = repair_table(raw)
    assert fixed.header == ("Mått", "Utfall", "Prognos")
    assert fixed.rows == (
        ("Intäkter", "7,8 %", "6,0 %"),
        ("IT-tjänster", "-2,7 %", "9,9 %"),
    )
    assert layout.groups == ((0, 1), (2, 3), (4, 5))


def test_columns_named_apart_or_both_filled_stay_apart():
    # "Ja"/"Nej" are never both marked in a row, but they are named apart.
    assert column_groups(("Fråga", "Ja", "Nej"), [("A", "x", ""), ("B", "", "x")]) == (
        (0,),
        (1,),
        (2,),
    )
    # An unnamed column that shares rows with its neighbour is a column of its own.
    assert column_groups(("", "Utfall"), [("Antal", "12"), ("", "13")]) == ((0,), (1,))


def test_text_rows_at_the_top_of_a_table_without_figures_stay_rows():
    raw = _table(
        ("Mål", "Indikator", "Kommentar"),
        ("Trygg kommun", "Andel trygga", "Mäts 2025"),
        ("", "Andel nöjda", "Ny enkät"),
    )
    fixed, _ = repair_table(raw)
    assert fixed.header == raw.header
    assert len(fixed.rows) == 2


def test_labelled_first_row_with_text_is_data_not_header():
    raw = _table(
        ("Projekt", "Status", "Budget"),
        ("Bibliotek", "Pågår", ""),
        ("Simhall", "Klar", "4,2"),
    )
    fixed, _ = repair_table(raw)
    assert fixed.header == raw.header
    assert [r[0] for r in fixed.rows] == ["Bibliotek", "Simhall"]


def test_wrapped_label_joined_only_when_the_text_says_so():
    raw = _table(
        ("Bidrag", "2024", "2025"),
        ("Arrangörsbidrag för", "-718", "-718"),
        ("kulturföreningar", "", ""),
        ("Studieförbund", "-400", "-391"),
        ("Antal besökare", "", ""),  # a group heading: capital, no comma above
        ("Museet", "62 225", "60 000"),
    )
    fixed, _ = repair_table(raw)
    assert [r[0] for r in fixed.rows] == [
        "Arrangörsbidrag för kulturföreningar",
        "Studieförbund",
        "Antal besökare",
        "Museet",
    ]


@dataclass(frozen=True)
class _Continued(PageTable):
    continued: bool = True  # continues the table above, no header of its own


def test_continued_table_is_grouped_like_the_table_it_continues():
    head = _table(
        ("Tjänst", "Tjänst", "", "Utfall"),
        ("", "Ekonomi", "", "20,5"),
        ("", "HR", "35,8", ""),
    )
    # Alone, the continuation's rows would keep all four columns.
    rest = _Continued((0, 0, 1, 1), (), (), (("", "Lön", "", "9,1"),))
    pages = repair_tables([[head], [rest]])
    assert pages[0][0].rows == (("Ekonomi", "20,5"), ("HR", "35,8"))
    assert pages[1][0].rows == (("Lön", "9,1"),)
    assert pages[1][0].header == ()


class _FakePage:
    def __init__(self, rects: list[dict[str, Any]]) -> None:
        self.rects = rects
        self.lines: list[dict[str, Any]] = []


class _FakeTable:
    def __init__(self, rects: list[dict[str, Any]]) -> None:
        self.bbox = (0.0, 0.0, 200.0, 100.0)
        self.page = _FakePage(rects)


def _rect(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "stroke": False}


def test_wrapped_rows_need_a_box_across_and_no_rule_along():
    rows = [(0.0, 20.0), (20.0, 30.0), (30.0, 50.0), (50.0, 100.0)]
    cell = _rect(0, 0, 100, 30)  # one cell box over grid rows 0 and 1
    assert wrapped_rows(_FakeTable([cell]), rows) == {1}
    rule = _rect(0, 19.8, 200, 20.2)  # a drawn rule along the boundary
    assert wrapped_rows(_FakeTable([cell, rule]), rows) == set()
    # The table's own background box spans every boundary: not a cell.
    assert wrapped_rows(_FakeTable([_rect(0, 0, 200, 100)]), rows) == set()


def test_fold_keeps_two_rows_of_figures_apart():
    rows = [(0, ("Intäkter", "12")), (1, ("varav bidrag", "3"))]
    assert fold_wrapped(rows, {1}, set()) == [("Intäkter", "12"), ("varav bidrag", "3")]
    rows = [(0, ("Kommunikation,", "24,5")), (1, ("ledning", ""))]
    assert fold_wrapped(rows, {1}, set()) == [("Kommunikation, ledning", "24,5")]


EXT_DOCS = Path(os.environ.get("ASSISTANT_OUTSIDE_PDFS", "/work/ext/docs"))


@pytest.mark.skipif(
    not list(EXT_DOCS.glob("*.pdf")),
    reason="no outside PDFs to read (set ASSISTANT_OUTSIDE_PDFS)",
)
def test_real_pdfs_tables_have_labels_and_named_figure_columns():
    for path in sorted(EXT_DOCS.glob("*.pdf")):
        parsed = parse_document(load_document(path))
        rows = [row for t in parsed.tables for row in t.rows]
        assert rows, path.name
        assert all(row.label.strip() for row in rows), path.name
        unnamed = [
            c
            for row in rows
            for c in row.cells
            if c.value is not None and c.column.startswith("Kolumn ")
        ]
        assert not unnamed, (path.name, unnamed[:3])


def test_unit_row_under_the_header_stays_a_row_for_the_table_parser():
    raw = _table(
        ("Område", "Budget 2024", "Budget 2025"),
        ("", "tkr", "tkr"),
        ("Kommunstyrelse", "4 154", "4 255"),
    )
    fixed, _ = repair_table(raw)
    assert fixed.header == raw.header
    assert fixed.rows[0] == ("", "tkr", "tkr")


def test_header_printed_again_takes_no_split_row_into_it():
    head = _table(
        ("Projekt", "Beskrivning", "2025"),
        ("Bibliotek", "Uppgradering,", "240"),
    )
    # After the page break: the header again, then the rest of the cell above.
    again = _table(
        ("Projekt", "Beskrivning", "2025"),
        ("", "konvertering och drift", ""),
        ("Simhall", "Nytt golv", "200"),
    )
    pages = repair_tables([[head], [again]])
    assert pages[1][0].header == ("Projekt", "Beskrivning", "2025")
    assert pages[1][0].rows[0] == ("", "konvertering och drift", "")
    # The same table alone would take that row for a header line.
    assert repair_table(again)[0].header[1] == "Beskrivning konvertering och drift"


def _part(header_rows: Sequence[Sequence[str]], *rows: Sequence[str]) -> PageTable:
    head = tuple(map(tuple, header_rows))
    return PageTable(
        (0, 0, 1, 1),
        (),
        head[-1],
        tuple(map(tuple, rows)),
        bold_header=True,
        header_rows=head,
        columns=(50.0, 150.0, 210.0),
    )


def test_header_printed_again_but_clipped_is_the_header_not_a_new_table():
    header = (("Intäkter / Kostnader (mnkr)", "Budget 2023", "Avvikelse mot budget"),)
    above = _part(header, ("Taxor och avgifter", "0,5", ""))
    # The repeated row cut to the height the page gives it: each cell's start.
    clipped = (("Intäkter / Kostna", "Budget 2023", "Avvikelse"),)
    below = _part(clipped, ("Personalkostnader", "-8,8", "0,0"))
    assert continues(above, below, header)
    # A header of its own, even one sharing a column name, is a new table.
    other = _part((("Verksamhet", "Budget 2023", "Avvikelse"),), ("KS", "-6,7", "-0,3"))
    assert not continues(above, other, header)
    # Nothing of the header printed is not a reprint of it.
    blank = _part((("", "", ""),), ("Personalkostnader", "-8,8", "0,0"))
    assert not continues(above, blank, header)


def test_a_row_split_over_three_pages_takes_its_last_part_too():
    """The middle page holds only the row's middle (its part joined the row
    above): the third page's rest is judged against the row, not against the
    empty middle table, and is not lost."""
    header = (("Verksamhet", "Mål", "Analys"),)
    row = ("Näringsliv", "Mål 19: attraktiv kommun", "Årets fokus är")
    above = _part(header, row)
    middle = _part(header)  # its only row went into the row above
    rest = _part((("", "", "regelbundet hos olika branscher"),))
    assert not continues(middle, rest, header)  # nothing left above to go on
    assert continues(middle, rest, header, last_row=row)
    assert continues(above, rest, header)
