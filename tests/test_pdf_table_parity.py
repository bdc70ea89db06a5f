"""PDF tables as Word prints them: words broken by a narrow cell, a grouped
header over a row of years, a table continued on the next page with or without
its header, a row split by the page break, two tables set as one grid, heading
levels told apart by italics, a wrapped heading ending with a stop.

Small PDFs built with fpdf2 (ruled tables), one feature each, with negatives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdf_builders import line, new_pdf, paragraph, save

from corpus.load import load_document
from corpus.parse import parse_document
from corpus.pdf_cells import (
    EDGE_BREAK,
    HYPHEN_BREAK,
    cell_text,
    close_breaks,
    whole_words,
)


@dataclass(frozen=True)
class _Style:
    """How a test table is printed: header rows, the header repeated on a new
    page, rows printed bold (indices into the rows)."""

    headings: int = 1
    repeat: bool = True
    bold_rows: Sequence[int] = ()


def _table(
    pdf: Any,
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    style: _Style = _Style(),
) -> None:
    """A ruled table printed in ``style``."""
    headings, repeat, bold_rows = style.headings, style.repeat, style.bold_rows
    from fpdf.fonts import FontFace

    pdf.set_font("Helvetica", size=10)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        num_heading_rows=headings,
        first_row_as_headings=headings > 0,
        repeat_headings=1 if repeat else 0,
        text_align="LEFT",
        v_align="TOP",  # as Word: a cell spanning rows prints at its top
    ) as grid:
        for n, values in enumerate(rows):
            style = FontFace(emphasis="BOLD") if n in bold_rows else None
            row = grid.row(style=style)
            for value in values:
                if isinstance(value, tuple):
                    row.cell(value[0], **value[1])
                else:
                    row.cell(value)


def _parse(pdf: Any, path: Path) -> Any:
    return parse_document(load_document(save(pdf, path)))


# --- words broken by the cell edge ---------------------------------------


def test_edge_break_is_closed_unless_the_rest_is_a_word_of_the_document():
    known = whole_words(["Personalkostnader och övriga kostnader i kommunen."])
    assert close_breaks(f"Personalkost{EDGE_BREAK}nader", known) == "Personalkostnader"
    # Neither piece nor the whole known: a fragment, closed up.
    assert close_breaks(f"Indikat{EDGE_BREAK}orer", known) == "Indikatorer"
    # The rest is a word the document uses: an ordinary wrap.
    assert close_breaks(f"sammanställning{EDGE_BREAK}och mer", known) == (
        "sammanställning och mer"
    )
    # "t.ex." and "m.m." give no one-letter words: "t" is a fragment.
    abbreviations = whole_words(["t.ex. m.m. i i i i i"])
    assert "t" not in abbreviations and abbreviations["i"] == 5
    assert (
        close_breaks(f"Kontrollmomen{EDGE_BREAK}t", abbreviations) == "Kontrollmoment"
    )
    assert (
        close_breaks(f"Regionen{EDGE_BREAK}i länet", abbreviations)
        == "Regionen i länet"
    )
    assert close_breaks(f"investeringar{EDGE_BREAK}m.m.", Counter()) == (
        "investeringar m.m."
    )


def test_word_broken_by_a_narrow_cell_is_one_word_again(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Driftbudget", size=14, bold=True)
    paragraph(pdf, "Personalkostnaderna ökar och övriga kostnader minskar i år.")
    _table(
        pdf,
        (
            ("Verksamhet", "Budget 2025", "Utfall 2025"),
            ("Personalkostnaderna", "-83,0", "-79,6"),
            ("Övriga kostnader", "-127,4", "-130,1"),
        ),
        widths=(16, 30, 30),
    )
    (found,) = _parse(pdf, tmp_path / "smal.pdf").tables
    # Printed as "Personal" / "kostnad" / "erna" and "Övriga" / "kostnad" / "er"
    # in the 16 mm column; read back whole, a wrap between two words a space.
    assert [r.label for r in found.rows] == ["Personalkostnaderna", "Övriga kostnader"]
    assert [c.value for c in found.rows[0].cells] == [-83.0, -79.6]


# --- grouped header over a row of years ------------------------------------


def test_group_row_over_years_names_each_column_with_its_year(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Indikatorer", size=14, bold=True)
    _table(
        pdf,
        (
            (
                ("Indikator", {"rowspan": 2}),
                ("Utfall", {"colspan": 2}),
                ("Prognos 2024", {"rowspan": 2}),
                ("Mål", {"colspan": 2}),
            ),
            ("2022", "2023", "2024", "2025"),
            ("Andel nöjda invånare (%)", "71", "74", "73", "75", "78"),
            ("Antal besök", "1 200", "1 350", "1 300", "1 400", "1 500"),
        ),
        widths=(50, 22, 22, 25, 22, 22),
        style=_Style(headings=2),
    )
    (found,) = _parse(pdf, tmp_path / "grupp.pdf").tables
    assert found.header == (
        "Indikator",
        "Utfall 2022",
        "Utfall 2023",
        "Prognos 2024",
        "Mål 2024",
        "Mål 2025",
    )
    assert [r.label for r in found.rows] == ["Andel nöjda invånare (%)", "Antal besök"]
    first = {c.column: c for c in found.rows[0].cells}
    assert (first["Utfall 2023"].value, first["Utfall 2023"].year) == (74, 2023)
    assert first["Mål 2025"].kind == "mål"


# --- a table continued on the next page --------------------------------------

_HEADER = ("Uppdrag", "Startdatum", "Status", "Kommentar")


def _long_table(path: Path, rows: int, repeat: bool) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Uppdrag från fullmäktige", size=14, bold=True)
    body = [
        (
            f"Uppdrag nummer {n}",
            f"2024-01-{n % 28 + 1:02d}",
            "Pågående",
            f"Kommentar {n}",
        )
        for n in range(1, rows + 1)
    ]
    _table(pdf, (_HEADER, *body), widths=(60, 30, 30, 50), style=_Style(repeat=repeat))
    line(pdf, "Uppföljning sker i årsredovisningen.")
    return save(pdf, path)


def test_table_continued_without_its_header_is_one_table(tmp_path):
    doc = load_document(_long_table(tmp_path / "utan.pdf", rows=70, repeat=False))
    (found,) = parse_document(doc).tables
    assert found.header == _HEADER
    assert [r.label for r in found.rows] == [
        f"Uppdrag nummer {n}" for n in range(1, 71)
    ]
    assert max(doc.pages) >= 2
    assert doc.page_of(found.rows[-1].line_start) == max(doc.pages)


def test_table_continued_with_its_header_repeated_is_one_table(tmp_path):
    (found,) = parse_document(
        load_document(_long_table(tmp_path / "med.pdf", rows=70, repeat=True))
    ).tables
    labels = [r.label for r in found.rows]
    assert labels == [f"Uppdrag nummer {n}" for n in range(1, 71)]
    assert "Uppdrag" not in labels  # the repeated header is not data


def _two_pages(path: Path, second: Sequence[Sequence[str]], bold_first: bool) -> Path:
    """A table ending page 1 and another table (same columns) opening page 2."""
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Uppdrag", size=14, bold=True)
    _table(
        pdf,
        (
            _HEADER,
            ("Utreda framtida lokaler", "2024-02-01", "Pågående", "Arbetet har"),
        ),
        widths=(60, 30, 30, 50),
    )
    pdf.add_page()
    _table(
        pdf,
        second,
        widths=(60, 30, 30, 50),
        style=_Style(bold_rows=(0,) if bold_first else (), headings=0),
    )
    return save(pdf, path)


def test_row_split_by_the_page_break_is_one_row(tmp_path):
    second = (
        ("för skolan", "", "", "påbörjats under våren."),
        ("Se över taxan", "2024-03-01", "Avslutad", "Klart."),
    )
    (found,) = _parse_path(_two_pages(tmp_path / "delad.pdf", second, bold_first=False))
    assert [r.label for r in found.rows] == [
        "Utreda framtida lokaler för skolan",
        "Se över taxan",
    ]
    first = {c.column: c.text for c in found.rows[0].cells}
    assert first == {
        "Startdatum": "2024-02-01",
        "Status": "Pågående",
        "Kommentar": "Arbetet har påbörjats under våren.",
    }


def test_a_full_row_at_the_top_of_the_next_page_stays_its_own_row(tmp_path):
    second = (
        ("Se över taxan", "2024-03-01", "Avslutad", "Klart."),
        ("Ta fram en plan", "2024-04-01", "Pågående", "Under arbete."),
    )
    (found,) = _parse_path(_two_pages(tmp_path / "hel.pdf", second, bold_first=False))
    assert [r.label for r in found.rows] == [
        "Utreda framtida lokaler",
        "Se över taxan",
        "Ta fram en plan",
    ]


def test_two_different_tables_on_consecutive_pages_stay_two(tmp_path):
    second = (
        ("Investering", "Beslutad", "Status", "Ansvarig"),
        ("Ny förskola", "2024-05-01", "Pågående", "Fastighet"),
    )
    tables = _parse_path(_two_pages(tmp_path / "tva.pdf", second, bold_first=True))
    assert [t.header[0] for t in tables] == ["Uppdrag", "Investering"]
    assert [[r.label for r in t.rows] for t in tables] == [
        ["Utreda framtida lokaler"],
        ["Ny förskola"],
    ]


def test_text_between_the_pages_keeps_the_tables_apart(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    _table(
        pdf,
        (_HEADER, ("Utreda lokaler", "2024-02-01", "Pågående", "Arbetet har")),
        widths=(60, 30, 30, 50),
    )
    pdf.add_page()
    paragraph(pdf, "Nästa tabell visar uppdragen från styrelsen.")
    _table(
        pdf,
        (("för skolan", "", "", "påbörjats."),),
        widths=(60, 30, 30, 50),
        style=_Style(headings=0),
    )
    lines = load_document(save(pdf, tmp_path / "text.pdf")).lines
    # The second grid is not glued onto the first: its row is not merged.
    assert not any("Utreda lokaler för skolan" in text for text in lines)


def _parse_path(path: Path) -> Any:
    return parse_document(load_document(path)).tables


# --- two tables set as one grid ---------------------------------------------


def test_a_bold_header_inside_one_grid_starts_a_new_table(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Medarbetarmål", size=14, bold=True)
    _table(
        pdf,
        (
            ("Fullmäktiges indikatorer", "Utfall 2022", "Mål"),
            ("Medarbetarengagemang", "77", "84"),
            ("Nämndens indikatorer", "Utfall 2022", "Mål"),
            ("Medarbetarengagemang i nämnden", "75", "84"),
        ),
        widths=(70, 30, 30),
        style=_Style(bold_rows=(2,)),
    )
    tables = _parse(pdf, tmp_path / "grid.pdf").tables
    assert [t.header[0] for t in tables] == [
        "Fullmäktiges indikatorer",
        "Nämndens indikatorer",
    ]
    assert [[r.label for r in t.rows] for t in tables] == [
        ["Medarbetarengagemang"],
        ["Medarbetarengagemang i nämnden"],
    ]


def test_a_bold_total_row_does_not_start_a_new_table(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Resultat (mnkr)", size=14, bold=True)
    _table(
        pdf,
        (
            ("Verksamhet", "Budget 2025", "Utfall 2025"),
            ("Skola", "-10,0", "-9,5"),
            ("Summa", "-10,0", "-9,5"),
        ),
        widths=(70, 30, 30),
        style=_Style(bold_rows=(2,)),
    )
    (found,) = _parse(pdf, tmp_path / "summa.pdf").tables
    assert [r.label for r in found.rows] == ["Skola", "Summa"]


# --- headings --------------------------------------------------------------


def _heading(pdf: Any, text: str, style: str, size: float = 11) -> None:
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def test_italic_heading_of_the_same_size_is_one_level_down(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    _heading(pdf, "1 Budget", "B", 16)
    paragraph(pdf, "Budgeten beskrivs i detta kapitel för året som kommer.")
    _heading(pdf, "Politiska prioriteringar", "B")
    paragraph(pdf, "Prioriteringarna gäller hela mandatperioden och följs upp.")
    _heading(pdf, "Jobb och företagande", "BI")
    paragraph(pdf, "Fler ska ha ett arbete att gå till och fler företag ska växa.")
    _heading(pdf, "Hela kommunen ska leva", "BI")
    paragraph(pdf, "Service ska finnas i alla delar av kommunen under året.")
    sections = parse_document(load_document(save(pdf, tmp_path / "niva.pdf"))).sections
    paths = [" > ".join(s.path) for s in sections]
    assert "1 Budget > Politiska prioriteringar > Jobb och företagande" in paths
    assert "1 Budget > Politiska prioriteringar > Hela kommunen ska leva" in paths


def test_wrapped_heading_ending_with_a_stop_keeps_its_last_line(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    _heading(pdf, "1 Mål och nyckeltal", "B", 16)
    paragraph(pdf, "Målen följs upp varje år i årsredovisningen och delårsrapporten.")
    _heading(pdf, "1.1 Mål 1 - Kommunen är en klimatsmart och", "B", 14)
    _heading(pdf, "ekologiskt hållbar kommun.", "B", 14)
    paragraph(pdf, "Utsläppen ska minska med hälften till år 2030 enligt planen.")
    sections = parse_document(load_document(save(pdf, tmp_path / "lang.pdf"))).sections
    titles = [s.title for s in sections]
    assert "Mål 1 - Kommunen är en klimatsmart och ekologiskt hållbar kommun." in titles
    # The paragraph after it stays body text.
    assert not any(t.startswith("Utsläppen") for t in titles)


def test_a_kind_word_ending_a_compound_types_the_column():
    from corpus.numbers import column_meta

    assert column_meta("Årsprognos Resultat Netto") == ("prognos", None)
    assert column_meta("Helårsbudget 2025") == ("budget", 2025)
    assert column_meta("Prognos helår 2023") == ("prognos", 2023)
    # "mål" ends too many words to be read from a compound.
    assert column_meta("Ändamål") == (None, None)


def test_a_row_with_figures_at_the_top_of_the_next_page_is_not_a_split_row(tmp_path):
    widths = (40, 45, 25, 25, 35)
    header = ("Projekt", "Beskrivning", "2026", "2027", "Ansvarig")
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Investeringar (tkr)", size=14, bold=True)
    _table(
        pdf,
        (header, ("Torget", "Detaljplan", "5 000", "5 000", "Planering")),
        widths=widths,
    )
    pdf.add_page()
    # An empty label (the text parser repeats the one above) and one year empty:
    # a row of its own, not the rest of the row above.
    _table(
        pdf,
        (("", "Markköp", "2 000", "", "Planering"),),
        widths=widths,
        style=_Style(headings=0),
    )
    (found,) = _parse_path(save(pdf, tmp_path / "fig.pdf"))
    assert [[c.raw for c in r.cells] for r in found.rows] == [
        ["Detaljplan", "5 000", "5 000", "Planering"],
        ["Markköp", "2 000", "", "Planering"],
    ]


def test_edge_break_before_an_elided_compound_and_one_letter_hyphen():
    from corpus.hyphenation import join_parts

    # "läs- och skrivstöd": a word ending in a hyphen is whole, not a fragment...
    assert close_breaks(f"NPF-anpassade{EDGE_BREAK}läs- och", Counter()) == (
        "NPF-anpassade läs- och"
    )
    # ...but a lone "s-" is the end of the word broken before it.
    assert close_breaks(f"trygghet{EDGE_BREAK}s- och", Counter()) == "trygghets- och"
    # A one-letter first part keeps its hyphen at a line end: "e-" / "tjänst".
    assert join_parts("e", "tjänst", set()) == "e-tjänst"
    assert join_parts("kommun", "styrelsen", set()) == "kommunstyrelsen"


def test_hyphen_at_a_cell_line_end_is_decided_with_the_whole_document():
    known = whole_words(["Utfall jan-aug 2022 för kommunstyrelsen"])
    # The document writes "jan-aug" elsewhere (another page): the hyphen stays.
    assert close_breaks(f"Utfall jan-{HYPHEN_BREAK}aug 2023", known) == (
        "Utfall jan-aug 2023"
    )
    assert close_breaks(f"kommun-{HYPHEN_BREAK}styrelsen", known) == "kommunstyrelsen"
    assert close_breaks(f"personal-{HYPHEN_BREAK}och ekonomi", known) == (
        "personal- och ekonomi"
    )


def _chars(text: str, x: float, top: float, width: float = 5.0) -> list[dict[str, Any]]:
    """Characters of one printed line (10 pt, ``width`` each) as pdfplumber gives them."""
    out = []
    for ch in text:
        out.append(
            {"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + 10,
             "doctop": top, "upright": True, "size": 10.0}
        )  # fmt: skip
        x += width
    return out


def test_cell_lines_marked_from_their_geometry():
    # "Personalkost" reaches the inner edge (66) and "n" would not fit: marked.
    broken = _chars("Personalkost", 5, 0) + _chars("nader", 5, 12)
    assert cell_text(broken, inner_right=66) == f"Personalkost{EDGE_BREAK}nader"
    # In a wider cell the next letter would have fitted: an ordinary wrap.
    assert cell_text(broken, inner_right=90) == "Personalkost nader"
    # A space glyph ends the line ("Kommunstyrelse " / "politisk"): the layout
    # wrapped at a word's end, however full the line, so no break is marked.
    spaced = _chars("Kommunstyrelse ", 5, 0) + _chars("politisk", 5, 12)
    assert cell_text(spaced, inner_right=76) == "Kommunstyrelse politisk"
    unspaced = _chars("Kommunstyrelse", 5, 0) + _chars("politisk", 5, 12)
    assert cell_text(unspaced, inner_right=76) == f"Kommunstyrelse{EDGE_BREAK}politisk"
    # Two words on the line: never an edge break.
    two = _chars("Ny kost", 5, 0) + _chars("nader", 5, 12)
    assert cell_text(two, inner_right=41) == "Ny kost nader"
    # A stop carried to the next line closes up; a hyphen is marked.
    assert cell_text(_chars("processen", 5, 0) + _chars(".", 5, 12), 51) == "processen."
    hyphen = _chars("kommun-", 5, 0) + _chars("styrelsen", 5, 12)
    assert cell_text(hyphen, inner_right=200) == f"kommun-{HYPHEN_BREAK}styrelsen"
    # A range of years broken after its dash closes up; a dash after a word not.
    years = _chars("planen 2023–", 5, 0) + _chars("2027 gäller", 5, 12)
    assert cell_text(years, inner_right=200) == "planen 2023–2027 gäller"
    words = _chars("Mål –", 5, 0) + _chars("2027 gäller", 5, 12)
    assert cell_text(words, inner_right=200) == "Mål – 2027 gäller"


def test_split_row_going_on_in_lower_case_in_every_cell_is_one_row(tmp_path):
    widths = (40, 60, 70)
    header = ("Område", "Mål", "Analys")
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Mål", size=14, bold=True)
    first = ("Lärande", "Mål 3: Den som bor på landet känner att", "Ett program har")
    _table(pdf, (header, first), widths=widths)
    pdf.add_page()
    rest = ("", "orten också utvecklas", "tagits fram i samverkan.")
    own = ("", "Mål 4: Skolan är attraktiv", "Arbetet fortsätter.")
    _table(pdf, (rest, own), widths=widths, style=_Style(headings=0))
    (found,) = _parse_path(save(pdf, tmp_path / "gemener.pdf"))
    assert [[c.text for c in r.cells] for r in found.rows] == [
        [
            "Mål 3: Den som bor på landet känner att orten också utvecklas",
            "Ett program har tagits fram i samverkan.",
        ],
        # An empty label with capitalised cells is a row of its own (the label
        # above is repeated for it).
        ["Mål 4: Skolan är attraktiv", "Arbetet fortsätter."],
    ]
    assert [r.label for r in found.rows] == ["Lärande", "Lärande"]


def test_a_wrapped_paragraph_is_one_line_and_short_lines_stay_apart(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Personal", size=16, bold=True)
    paragraph(
        pdf,
        "Kommunstyrelsens sammanlagda kostnader för frånvaro för perioden januari "
        "till september uppgår till 9 052 989 kronor. I det inkluderas bland annat "
        "semester, sjukdom och övrig frånvaro under hela perioden för alla anställda "
        "inom förvaltningen och dess avdelningar.",
    )
    pdf.ln(4)
    for text in ("Kommunledningsförvaltningen", "Storgatan 1", "123 45 Staden"):
        line(pdf, text)
    lines = load_document(save(pdf, tmp_path / "stycke.pdf")).lines
    # The sentence cut by the layout's line end is whole on one line...
    assert any(
        "för perioden januari till september uppgår till 9 052 989 kronor." in text
        for text in lines
    )
    # ...and lines that end by choice (an address) stay lines of their own.
    assert {"Kommunledningsförvaltningen", "Storgatan 1", "123 45 Staden"} <= set(lines)


def test_split_row_going_on_after_a_bullet_or_comma_is_one_row(tmp_path):
    widths = (80, 90)
    header = ("Styrkor", "Förbättringsmöjligheter")

    def rows_of(first: tuple[str, str], rest: tuple[str, str]) -> list[list[str]]:
        pdf = new_pdf()
        pdf.add_page()
        line(pdf, "Område 4", size=14, bold=True)
        _table(pdf, (header, first), widths=widths)
        pdf.add_page()
        _table(pdf, (rest,), widths=widths, style=_Style(headings=0))
        (found,) = _parse_path(save(pdf, tmp_path / "punkt.pdf"))
        return [[r.label, *(c.text for c in r.cells)] for r in found.rows]

    # The label ends with a bullet whose item is on the next page, the other
    # cell with a comma: the capitalised rest is no row of its own.
    assert rows_of(
        ("Tydlig styrmodell •", "Identifiera kunskap som inte är nyckeltal,"),
        ("Funktionell internkontroll", "siffror. Använd vid uppföljning."),
    ) == [
        [
            "Tydlig styrmodell • Funktionell internkontroll",
            "Identifiera kunskap som inte är nyckeltal, siffror. Använd vid uppföljning.",
        ]
    ]
    # Both cells finished above: a capitalised row at the top is its own.
    assert rows_of(
        ("Tydlig styrmodell.", "Identifiera kunskap."),
        ("Funktionell internkontroll", "Siffror används vid uppföljning."),
    ) == [
        ["Tydlig styrmodell.", "Identifiera kunskap."],
        ["Funktionell internkontroll", "Siffror används vid uppföljning."],
    ]


def test_lines_on_top_of_a_table_printed_again_do_not_hide_its_continuation():
    from corpus.pdf_continued import _first_table, _lines_on_top
    from corpus.pdf_layout import Segment

    def seg(text: str, top: float, table: int | None = None) -> Segment:
        return Segment(text, 90, 300, top, top + 11, 10, False, 1, table=table)

    # Page 1: a one-cell row "Poäng" and its figure read as lines over the grid.
    above = [seg("Inledning", 500), seg("Poäng", 594), seg("63", 608), seg("", 622, 0)]
    below = [seg("Poäng", 73), seg("", 87, 0), seg("Område 5", 212)]
    repeated = _lines_on_top(above, 0)
    assert repeated == {"Poäng", "63"}  # "Inledning" stands apart (a gap)
    assert _first_table(below, repeated) == 0
    # Other text over the table on the new page keeps it from continuing.
    assert _first_table([seg("Tabell 2", 73), *below[1:]], repeated) is None


def _stacked_tables(path: Path, between: str | None) -> list[Any]:
    """A table whose label column is merged down, and right under it a table in
    the same frame with that column left empty (Word's second table)."""
    widths = (50, 50, 70)
    header = ("", "Uppdrag", "Kommentar")
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Uppföljning av uppdragen", size=14, bold=True)
    _table(
        pdf, (header, ("Från fullmäktige", "Frigör resurser", "Beslut i juni.")), widths
    )
    pdf.ln(3)  # a grid of its own, as Word's next table
    if between:
        paragraph(pdf, between)
    _table(pdf, (header, ("", "Öka tempot", "Arbetet pågår.")), widths)
    return _parse_path(save(pdf, path))


def test_table_right_under_another_gets_its_empty_label_column_back(tmp_path):
    tables = _stacked_tables(tmp_path / "stack.pdf", between=None)
    rows = [(r.label, *(c.text for c in r.cells)) for t in tables for r in t.rows]
    assert ("Från fullmäktige", "Öka tempot", "Arbetet pågår.") in rows
    # Text between the two: the second is a table of its own, its first filled
    # column the label.
    tables = _stacked_tables(tmp_path / "text.pdf", between="Övriga uppdrag.")
    rows = [(r.label, *(c.text for c in r.cells)) for t in tables for r in t.rows]
    assert ("Öka tempot", "Arbetet pågår.") in rows


def test_split_row_going_on_with_a_dash_or_a_figure_after_an_open_text(tmp_path):
    widths = (60, 110)
    header = ("Uppdrag", "Kommentar")
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Uppdrag", size=14, bold=True)
    _table(pdf, (header, ("Tydliggör En kommun", "Under senare delen av")), widths)
    pdf.add_page()
    rest = ("– En koncern", "2022 har arbetet pågått.")
    own = ("Brott i välfärden", "Samverkan är påbörjad.")
    _table(pdf, (rest, own), widths, style=_Style(headings=0))
    (found,) = _parse_path(save(pdf, tmp_path / "streck.pdf"))
    assert [[r.label, *(c.text for c in r.cells)] for r in found.rows] == [
        [
            "Tydliggör En kommun – En koncern",
            "Under senare delen av 2022 har arbetet pågått.",
        ],
        ["Brott i välfärden", "Samverkan är påbörjad."],
    ]


def test_rest_of_a_split_row_in_one_column_is_not_read_as_text(tmp_path):
    widths = (40, 60, 70)
    header = ("Område", "Mål", "Analys")
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Mål", size=14, bold=True)
    first = ("Lärande", "Mål 3: Landet utvecklas", "Ett program har")
    _table(pdf, (header, first), widths=widths)
    pdf.add_page()
    # Only the last cell goes on: the grid on the new page has one filled column.
    _table(pdf, (("", "", "tagits fram i samverkan."),), widths, _Style(headings=0))
    paragraph(pdf, "Nästa avsnitt handlar om ekonomi.")
    doc = load_document(save(pdf, tmp_path / "rest.pdf"))
    (found,) = parse_document(doc).tables
    assert [[r.label, *(c.text for c in r.cells)] for r in found.rows] == [
        [
            "Lärande",
            "Mål 3: Landet utvecklas",
            "Ett program har tagits fram i samverkan.",
        ]
    ]
    assert not any("tagits fram" in line and "\t" not in line for line in doc.lines)


def test_framed_box_of_text_in_a_ruled_grid_stays_text(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Sammanfattning", size=14, bold=True)
    # Text in the first column of a grid whose other columns are empty: a box.
    _table(pdf, (("Kommunen har god ekonomi i år.", "", ""),), (60, 40, 40), _Style(0))
    parsed = parse_document(load_document(save(pdf, tmp_path / "ruta.pdf")))
    assert not parsed.tables


def test_a_word_broken_by_the_cell_edge_and_the_page_break_is_one_word():
    """The last line of a split row's cell is one word set from the left edge
    that reached the right one: marked, and joined to its rest on the next page
    like an edge break on one page ("samhällsbyggnadsproc" / "essen")."""
    from corpus.pdf_cells import EDGE_END
    from corpus.pdf_continued import _join_cells

    cut = _chars("Ny", 5, 0) + _chars("proce", 5, 12)
    assert cell_text(cut, inner_right=31, inner_left=5) == f"Ny proce{EDGE_END}"
    # Right-aligned (not from the left edge), or not the table's last row: no mark.
    assert cell_text(_chars("proce", 5, 0), 31, inner_left=2) == "proce"
    assert cell_text(cut, inner_right=31) == "Ny proce"
    # A last word that left room for a letter: no mark.
    assert cell_text(cut, inner_right=60, inner_left=5) == "Ny proce"

    joined = _join_cells(("Uppdrag", f"Samordna proce{EDGE_END}"), ("", "ssen"))
    assert joined == ("Uppdrag", f"Samordna proce{EDGE_BREAK}ssen")
    known = whole_words(["processen", "Samordna"])
    assert close_breaks(joined[1], known) == "Samordna processen"
    # A rest that is a figure or empty is joined as before: a space, no mark.
    assert _join_cells((f"proce{EDGE_END}",), ("",)) == ("proce",)
    assert _join_cells((f"Text{EDGE_END}",), ("2024",)) == ("Text 2024",)
