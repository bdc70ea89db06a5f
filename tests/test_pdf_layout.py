"""Layout-aware PDF reading: headings from fonts, page furniture, reading order,
list items and broken words. Each test builds a small PDF with fpdf2."""

from __future__ import annotations

from pathlib import Path

from pdf_builders import line, new_pdf, paragraph, save

from corpus.load import load_document
from corpus.parse import parse_document

FILLER = (
    "Nämnden arbetar med uppdraget under hela året och redovisar resultatet "
    "i delårsrapporten och i årsredovisningen till kommunfullmäktige."
)


def _header(pdf, page: int) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("Helvetica", size=8)
    pdf.set_xy(20, 10)
    pdf.cell(120, 5, "Dnr KS 2024/628")
    pdf.set_xy(160, 10)
    pdf.cell(30, 5, f"{page} (3)", align="R")


def _footer(pdf, page: int) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("Helvetica", size=8)
    pdf.set_xy(20, -18)
    pdf.cell(0, 4, "Provs kommun, Storgatan 1, 123 45 Provstad", align="C")
    pdf.set_xy(20, -13)
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 5, f"Sida {page} av 3", align="C")


def _report(path: Path) -> Path:
    """Three pages: title page, headings by size and weight, header and footer."""
    pdf = new_pdf(_header, _footer)
    pdf.add_page()
    line(pdf, "Årsrapport 2024", size=22, bold=True)
    line(pdf, "Socialnämnden", size=14)
    line(pdf, "Datum: 2025-02-11")
    pdf.ln(4)
    line(pdf, "Inledning", size=16, bold=True)
    paragraph(pdf, FILLER)
    line(pdf, "Bakgrund", size=11, bold=True)
    paragraph(pdf, "Text på sida ett om bakgrunden till rapporten.")
    pdf.add_page()
    line(pdf, "1 Ekonomi", size=16, bold=True)
    paragraph(pdf, "Text på sida två om ekonomin i balans.")
    line(pdf, "1.1 Driftredovisning", size=13, bold=True)
    paragraph(pdf, FILLER)
    pdf.add_page()
    line(pdf, "2 Personal", size=16, bold=True)
    paragraph(pdf, "Text på sida tre om personalen.")
    return save(pdf, path)


def test_headings_from_font_size_and_weight_build_the_section_tree(tmp_path):
    parsed = parse_document(load_document(_report(tmp_path / "rapport.pdf")))
    paths = [s.section_path for s in parsed.sections]
    assert paths == [
        "Årsrapport 2024",
        "Årsrapport 2024 > Inledning",
        "Årsrapport 2024 > Inledning > Bakgrund",
        "1 Ekonomi",
        "1 Ekonomi > 1.1 Driftredovisning",
        "2 Personal",
    ]


def test_same_tree_as_the_markdown_text_of_the_same_document(tmp_path):
    pdf_doc = parse_document(load_document(_report(tmp_path / "rapport.pdf")))
    text = tmp_path / "rapport.md"
    text.write_text(
        "Årsrapport 2024\nSocialnämnden\n\n# Inledning\n"
        f"{FILLER}\n## Bakgrund\nText.\n# 1 Ekonomi\nText.\n## 1.1 Driftredovisning\n"
        f"{FILLER}\n# 2 Personal\nText.\n",
        encoding="utf-8",
    )
    text_doc = parse_document(load_document(text))
    assert [s.section_path for s in pdf_doc.sections] == [
        s.section_path for s in text_doc.sections
    ]


def test_title_from_page_one_not_the_page_marker(tmp_path):
    meta = load_document(_report(tmp_path / "rapport.pdf")).meta
    assert meta.title == "Årsrapport 2024"
    assert meta.organ == "Socialnämnden"
    assert meta.decided == "2025-02-11"
    assert meta.dnr == "KS 2024/628"
    assert meta.year == 2024


def test_running_header_footer_and_page_markers_are_removed(tmp_path):
    doc = load_document(_report(tmp_path / "rapport.pdf"))
    text = "\n".join(doc.lines)
    for furniture in ("Dnr KS", "(3)", "Sida", "Storgatan", "Provstad"):
        assert furniture not in text
    # Every remaining line keeps its own page.
    pages = dict(zip(doc.lines, doc.pages, strict=True))
    assert pages["Text på sida ett om bakgrunden till rapporten."] == 1
    assert pages["Text på sida två om ekonomin i balans."] == 2
    assert pages["Text på sida tre om personalen."] == 3


def test_a_page_number_is_never_a_heading(tmp_path):
    # The bold 14 pt "Sida N av 3" footer is larger than the body text.
    parsed = parse_document(load_document(_report(tmp_path / "rapport.pdf")))
    assert not any(
        any(ch.isdigit() for ch in s.title) and len(s.title) < 6
        for s in parsed.sections
    )
    assert all("Sida" not in s.title for s in parsed.sections)


def test_single_page_marker_without_repetition_is_removed(tmp_path):
    def marker(pdf, page):  # type: ignore[no-untyped-def]
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(170, 8)
        pdf.cell(20, 5, f"{page} (1)", align="R")

    pdf = new_pdf(marker)
    pdf.add_page()
    line(pdf, "Verksamhetsplan 2025", size=20)
    paragraph(pdf, FILLER)
    doc = load_document(save(pdf, tmp_path / "plan.pdf"))
    assert doc.meta.title == "Verksamhetsplan 2025"
    assert "1 (1)" not in doc.lines


def _two_columns(path: Path) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Två spalter", size=18, bold=True)
    top = pdf.get_y() + 4
    left = " ".join(
        f"Vänster mening nummer {n} handlar om skolan." for n in range(1, 7)
    )
    right = " ".join(f"Höger mening nummer {n} handlar om vården." for n in range(1, 7))
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, top)
    pdf.multi_cell(80, 5.5, left)
    pdf.set_xy(110, top)
    pdf.multi_cell(80, 5.5, right)
    pdf.set_y(max(pdf.get_y(), top + 60))
    paragraph(pdf, "Sista stycket går över hela sidan och kommer efter båda spalterna.")
    return save(pdf, path)


def test_two_columns_are_read_column_by_column(tmp_path):
    doc = load_document(_two_columns(tmp_path / "spalter.pdf"))
    text = " ".join(doc.lines)
    left_end = text.index("nummer 6 handlar om skolan")
    right_start = text.index("Höger mening nummer 1")
    assert left_end < right_start
    assert text.index("Vänster mening nummer 1") < left_end
    assert text.index("nummer 6 handlar om vården") < text.index("Sista stycket")
    assert not any("\t" in ln for ln in doc.lines)  # no column pair read as a row


def test_justified_columns_a_font_size_apart_are_read_as_paragraphs(tmp_path):
    # A report's two justified columns 4 mm (about one font size) apart, below a
    # full-width paragraph and with baselines offset between the columns: each
    # column is read alone and its lines are joined into one paragraph line.
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Årsredogörelse", size=18, bold=True)
    paragraph(pdf, FILLER + " " + FILLER)
    top = pdf.get_y() + 6
    left = (
        "Stadsrevisionen har under året granskat hur nämnderna styr och följer upp "
        "sina verksamheter. Granskningen visar att de flesta nämnder bedriver en "
        "ändamålsenlig verksamhet men att det finns brister i den interna kontrollen. "
        "Under hösten tillträdde en ny revisionsdirektör med lång erfarenhet."
    )
    right = (
        "Kvalitetskontroller genomförs årligen tillsammans med revisionskontoren i "
        "de största kommunerna. De externa kontrollerna bidrar till att säkerställa "
        "att granskningen bedrivs i enlighet med god revisionssed i kommunal "
        "verksamhet och att rapporterna håller hög kvalitet."
    )
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, top)
    pdf.multi_cell(83, 5.5, left, align="J")
    pdf.set_xy(107, top + 0.8)
    pdf.multi_cell(83, 5.5, right, align="J")
    doc = load_document(save(pdf, tmp_path / "spalter.pdf"))
    assert left in doc.lines
    assert right in doc.lines


def test_dotted_contents_lines_are_no_answer_text_wherever_they_are(tmp_path):
    from corpus.sections import contents_lines

    lines = (
        "Årsrapport",
        "",
        "Nämnden har granskat verksamheten under året.",
        "",
        "Bilagor",
        "Revisorernas granskning ........................ 23",
        "Rapportering och kommunikation ................. 24",
        "",
        "Granskningen visar att verksamheten bedrivs ändamålsenligt.",
    )
    assert contents_lines(lines) == (6, 7)


def test_a_box_beside_text_is_read_as_its_own_block(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Rapport med faktaruta", size=18, bold=True)
    top = pdf.get_y() + 4
    body = " ".join(
        f"Brödtexten fortsätter med mening {n} om budgeten." for n in range(1, 9)
    )
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, top)
    pdf.multi_cell(110, 5.5, body)
    pdf.rect(140, top - 2, 50, 40)
    pdf.set_xy(142, top)
    pdf.multi_cell(
        46, 5.5, "Faktaruta: kommunen har fyra skolor och två bibliotek i centrum."
    )
    doc = load_document(save(pdf, tmp_path / "ruta.pdf"))
    text = " ".join(doc.lines)
    box = text.index("Faktaruta: kommunen har")
    assert text.index("mening 8 om budgeten") < box  # body text is not cut by the box
    box_line = next(ln for ln in doc.lines if ln.startswith("Faktaruta"))
    assert "Brödtexten" not in box_line and "mening" not in box_line
    assert "fyra skolor och två bibliotek i centrum." in text[box:]


def test_a_one_column_text_box_stays_text(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Plan med ram", size=18)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "Viktigt: planen gäller från 1 januari.\nDen följs upp varje kvartal.",
        border=1,
    )
    doc = load_document(save(pdf, tmp_path / "ram.pdf"))
    parsed = parse_document(doc)
    assert "Viktigt: planen gäller från 1 januari." in doc.lines
    assert "Den följs upp varje kvartal." in doc.lines
    assert not parsed.tables


def test_broken_words_are_joined_and_elided_compounds_kept(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Avstavning", size=18)
    for text in (
        "Beslutet fattas av kommunstyrelsen i mars.",
        "Ärendet bereds och går sedan till kommun-",
        "styrelsen för beslut i april.",
        "Ansvaret ligger hos personal-",
        "och ekonomiavdelningen under året.",
        "Arbetet med den nya IT-",
        "strategin fortsätter.",
    ):
        line(pdf, text)
    lines = load_document(save(pdf, tmp_path / "avstavning.pdf")).lines
    # Wrapped lines of a paragraph are one line (as in a text export).
    text = " ".join(lines)
    assert "går sedan till kommunstyrelsen för beslut i april." in text
    assert "Ansvaret ligger hos personal- och ekonomiavdelningen" in text
    assert "Arbetet med den nya IT-strategin fortsätter." in text


def test_bullets_are_list_items_and_wrapped_items_stay_whole(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Uppdrag", size=18)
    line(pdf, "Nämnden ska under året:")
    pdf.set_font("Helvetica", size=11)
    for glyph, text in (
        ("•", "ta fram en plan för lokalerna"),
        ("–", "följa upp sjukfrånvaron"),
        (
            "-",
            "minska kostnaderna för inhyrd personal inom äldreomsorgen och "
            "hemtjänsten under hela planperioden",
        ),
    ):
        y = pdf.get_y()
        pdf.set_xy(25, y)
        pdf.cell(5, 5.5, glyph)
        pdf.set_xy(32, y)
        pdf.multi_cell(100, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    lines = load_document(save(pdf, tmp_path / "lista.pdf")).lines
    assert "• ta fram en plan för lokalerna" in lines
    assert "• följa upp sjukfrånvaron" in lines
    assert (
        "• minska kostnaderna för inhyrd personal inom äldreomsorgen och "
        "hemtjänsten under hela planperioden"
    ) in lines


def test_first_page_metadata_in_a_text_file_and_sidecar_wins(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Dnr KS2023/623\nVerksamhetsplan 2024-2026\nBarn- och utbildningsnämnden\n"
        "Härryda kommun\nAntagen 14 december 2023\n\nText.\n",
        encoding="utf-8",
    )
    meta = load_document(path).meta
    assert (meta.title, meta.organ, meta.municipality) == (
        "Verksamhetsplan 2024-2026",
        "Barn- och utbildningsnämnden",
        "Härryda kommun",
    )
    assert (meta.dnr, meta.decided, meta.period, meta.year) == (
        "KS 2023/623",
        "2023-12-14",
        "2024-2026",
        2024,
    )
    (tmp_path / "plan.meta.toml").write_text('title = "Egen titel"\n', encoding="utf-8")
    meta = load_document(path).meta
    assert meta.title == "Egen titel" and meta.dnr == "KS 2023/623"


def test_running_footer_with_the_dnr_is_removed_and_pages_kept(tmp_path):
    def footer(pdf, page):  # type: ignore[no-untyped-def]
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, -15)
        pdf.cell(0, 4, "Dnr KS 2024/628")

    pdf = new_pdf(footer=footer)
    pdf.add_page()
    line(pdf, "Delårsrapport augusti 2024", size=20)
    paragraph(pdf, "Rapporten beskriver läget i augusti.")
    for page in (2, 3):
        pdf.add_page()
        paragraph(pdf, f"Uppföljningen fortsätter på sidan {page}.")
    doc = load_document(save(pdf, tmp_path / "delar.pdf"))
    assert not any("Dnr" in line for line in doc.lines)
    pages = dict(zip(doc.lines, doc.pages, strict=True))
    assert pages["Uppföljningen fortsätter på sidan 2."] == 2
    assert pages["Uppföljningen fortsätter på sidan 3."] == 3
    assert doc.meta.dnr == "KS 2024/628"  # read from page 1 before the removal


def test_inspect_shows_pages_metadata_and_merged_columns(tmp_path, capsys):
    from corpus.__main__ import main

    assert main(["inspect", str(_report(tmp_path / "rapport.pdf"))]) == 0
    out = capsys.readouterr().out
    assert "organ='Socialnämnden'" in out
    assert "dnr='KS 2024/628'" in out
    assert "1 Ekonomi  (L" in out and ", p. 2)" in out


def test_bold_numbered_list_is_not_a_run_of_chapters(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Mål och uppdrag", size=20)
    line(pdf, "1 Mål", size=16, bold=True)
    paragraph(pdf, "Nämnden har tre mål för perioden.")
    for goal in ("1. Ökad trygghet", "2. Bättre skolresultat", "3. Fler i arbete"):
        line(pdf, goal, bold=True)
    line(pdf, "2 Ekonomi", size=16, bold=True)
    paragraph(pdf, "Ekonomin är i balans.")
    parsed = parse_document(load_document(save(pdf, tmp_path / "mal.pdf")))
    assert [s.section_path for s in parsed.sections] == [
        "Mål och uppdrag",
        "1 Mål",
        "2 Ekonomi",
    ]


def test_without_a_cover_title_the_first_chapter_stays_a_heading(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "1 Inledning", size=18, bold=True)
    paragraph(pdf, FILLER)
    line(pdf, "2 Resultat", size=18, bold=True)
    paragraph(pdf, "Resultatet är positivt.")
    doc = load_document(save(pdf, tmp_path / "utan_titel.pdf"))
    paths = [s.section_path for s in parse_document(doc).sections]
    assert paths == ["1 Inledning", "2 Resultat"]
    assert doc.meta.title == "utan_titel"  # no title printed: the file name
