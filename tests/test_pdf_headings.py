"""Which PDF lines become headings (corpus/pdf_headings.py), the contents-based
heading check (evals/heading_check.py) and metadata from headers/footers. Each
test builds a small PDF with fpdf2."""

from __future__ import annotations

from pathlib import Path

from pdf_builders import line, new_pdf, paragraph, save

from corpus.first_page import PageLine, read_first_page
from corpus.load import load_document
from corpus.parse import parse_document
from evals.heading_check import check_pdf, lines_of, normalise, toc_entries

PROSE = (
    "Kommunen arbetar systematiskt med att analysera risker och sårbarheter i "
    "alla verksamheter, och resultatet redovisas för nämnden varje år så att "
    "åtgärderna kan följas upp och förbättras över tid i hela organisationen."
)


def _titles(path: Path) -> list[str]:
    return [s.title for s in parse_document(load_document(path)).sections]


def _two_size_body(path: Path) -> Path:
    """Body text in 11 pt and in 12 pt (two paragraph styles), headings in 16 pt
    bold, a short bold heading at body size and a numbered one."""
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Riskanalys 2025", size=24, bold=True)
    line(pdf, "1 Inledning", size=16, bold=True)
    for _ in range(3):
        paragraph(pdf, PROSE, size=11)
        paragraph(pdf, PROSE, size=12)
    line(pdf, "Syfte", bold=True)
    paragraph(pdf, PROSE, size=11)
    line(pdf, "2 Metod", size=16, bold=True)
    line(pdf, "2.1 Avgränsningar", size=13, bold=True)
    paragraph(pdf, PROSE, size=12)
    paragraph(pdf, PROSE, size=11)
    return save(pdf, path)


def test_a_second_body_size_is_running_text_not_headings(tmp_path):
    titles = _titles(_two_size_body(tmp_path / "rsa.pdf"))
    assert titles == ["Riskanalys 2025", "Inledning", "Syfte", "Metod", "Avgränsningar"]


def test_a_short_bold_heading_and_a_numbered_heading_stay(tmp_path):
    parsed = parse_document(load_document(_two_size_body(tmp_path / "rsa.pdf")))
    paths = [s.section_path for s in parsed.sections]
    assert "1 Inledning > Syfte" in paths
    assert "2 Metod > 2.1 Avgränsningar" in paths


def test_a_bold_sentence_fragment_in_body_text_is_no_heading(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Rapport", size=22, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Bakgrund", size=16, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Nämnden har därför beslutat att", bold=True)
    line(pdf, "uppdra åt förvaltningen att utreda frågan vidare.")
    line(pdf, "Det är av betydande vikt att den", bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Resultat", size=16, bold=True)
    paragraph(pdf, PROSE)
    assert _titles(save(pdf, tmp_path / "fragment.pdf")) == [
        "Rapport",
        "Bakgrund",
        "Resultat",
    ]


def test_a_dotted_leader_contents_line_is_never_a_heading(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Verksamhetsplan 2025", size=22, bold=True)
    line(pdf, "Innehåll", size=16, bold=True)
    for entry in ("1 Inledning", "2 Ekonomi", "3 Personal"):
        line(pdf, f"{entry} {'.' * 60} 2", bold=True)
    pdf.add_page()
    # A second contents page: bold entries with leaders, no contents title.
    line(pdf, f"4 Avslutning {'.' * 60} 3", bold=True)
    line(pdf, f"5 Bilagor {'.' * 60} 3", bold=True)
    line(pdf, "1 Inledning", size=16, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "2 Ekonomi", size=16, bold=True)
    paragraph(pdf, PROSE)
    titles = _titles(save(pdf, tmp_path / "toc.pdf"))
    assert not [t for t in titles if "...." in t]
    assert "Avslutning" not in titles and "Bilagor" not in titles
    assert titles[-2:] == ["Inledning", "Ekonomi"]


def test_a_wrapped_heading_is_one_and_two_short_headings_stay_two(tmp_path):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Årsbokslut 2025", size=24, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Identifierade risker för kommunen och det", size=16, bold=True)
    line(pdf, "geografiska området", size=16, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Driftredovisning", size=16, bold=True)
    line(pdf, "Investeringsredovisning", size=16, bold=True)
    paragraph(pdf, PROSE)
    assert _titles(save(pdf, tmp_path / "wrapped.pdf")) == [
        "Årsbokslut 2025",
        "Identifierade risker för kommunen och det geografiska området",
        "Driftredovisning",
        "Investeringsredovisning",
    ]


def _with_contents(path: Path, extra_heading: bool) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Delårsrapport 2025", size=22, bold=True)
    line(pdf, "Innehåll", size=16, bold=True)
    line(pdf, f"1 Inledning {'.' * 60} 2")
    line(pdf, f"2 Ekonomi {'.' * 60} 2")
    line(pdf, f"2.1 Driftbudget {'.' * 60} 2")
    pdf.add_page()
    line(pdf, "1 Inledning", size=16, bold=True)
    paragraph(pdf, PROSE)
    if extra_heading:
        line(pdf, "Det är av betydande vikt", size=16, bold=True)
        paragraph(pdf, PROSE)
    line(pdf, "2 Ekonomi", size=16, bold=True)
    line(pdf, "2.1 Driftbudget", size=13, bold=True)
    paragraph(pdf, PROSE)
    return save(pdf, path)


def test_heading_check_counts_contents_entries_found_and_extra_sections(tmp_path):
    clean = check_pdf(_with_contents(tmp_path / "ok.pdf", extra_heading=False))
    assert (clean.entries, clean.found, clean.recall, clean.precision) == (
        3,
        3,
        1.0,
        1.0,
    )
    noisy = check_pdf(_with_contents(tmp_path / "noisy.pdf", extra_heading=True))
    assert (noisy.found, noisy.sections, noisy.matching) == (3, 4, 3)
    assert noisy.extra == ("Det är av betydande vikt",)


def test_contents_entries_are_read_from_text_wrapped_and_without_leaders():
    page = "\n".join(
        [
            "Innehållsförteckning",
            "1 Inledning 3",
            "1.1 Budget 2024-2027 4",
            "2 Mål 1 – Alla barn ska ha en trygg",
            "uppväxt 5",
            "3 Riskvärdering17",
            "Sida 1 (9)",
        ]
    )
    entries, last_page = toc_entries([lines_of(page), lines_of("1 Inledning\nText.")])
    assert [(e.key, e.page, e.number) for e in entries] == [
        ("inledning", 3, (1,)),
        ("budget 2024 2027", 4, (1, 1)),
        ("mål 1 alla barn ska ha en trygg uppväxt", 5, (2,)),
        ("riskvärdering", 17, (3,)),
    ]
    assert last_page == 1
    assert normalise("5.2.10 Ras och skred ........ 41") == "ras och skred"


def test_metadata_from_headers_footers_and_the_whole_text():
    meta = read_first_page(
        [
            PageLine("Verksamhetsberättelse"),
            PageLine("Region Skåne bidrar till Simrishamns kommuns museum."),
        ],
        running=("2025 ÅRSBOKSLUT 2026-01-29",),
        rest=(
            "Nyförvärv 2024 visades.",
            "Simrishamns kommuns kulturpris delades ut.",
            "Simrishamns kommun ansvarar för biblioteket.",
            "Museet i Simrishamns kommun har öppet.",
            "Region Skåne bidrar.",
        ),
    )
    assert (meta.year, meta.municipality) == (2025, "Simrishamns kommun")


def test_municipality_forms_and_the_named_body():
    cases = {
        "Borlänge kommuns risk- och sårbarhetsanalys 2023-2026": "Borlänge kommun",
        "Göteborgs Stads budget": "Göteborgs Stad",
        "Region Skåne": "Region Skåne",
        "Vår stad växer": "",
    }
    for title, municipality in cases.items():
        assert read_first_page([PageLine(title, 20)]).municipality == municipality
    organ = read_first_page(
        [PageLine("Delårsrapport mars 2026", 28), PageLine("Nämnden för Intraservice")]
    ).organ
    assert organ == "Nämnden för Intraservice"
    # The title's year wins over a later date or year on the page.
    assert (
        read_first_page([PageLine("Årsbokslut 2025", 20), PageLine("2024")]).year
        == 2025
    )


def test_sections_below_an_unnumbered_contents_deepest_level_are_not_counted(
    tmp_path,
):
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, "Årsbokslut 2025", size=22, bold=True)
    line(pdf, "Innehåll", size=16, bold=True)
    for text, indent in (("Ekonomi", 20), ("Driftredovisning", 30), ("Bilder", 20)):
        pdf.set_x(indent)
        pdf.set_font("Helvetica", size=11)
        pdf.cell(150, 5.5, f"{text} {'.' * 50} 2", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    line(pdf, "Ekonomi", size=16, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Driftredovisning", size=14, bold=True)
    paragraph(pdf, PROSE)
    line(pdf, "Museer", size=12, bold=True)  # below the contents' deepest level
    paragraph(pdf, PROSE)
    line(pdf, "Bilder", size=16, bold=True)
    paragraph(pdf, PROSE)
    result = check_pdf(save(pdf, tmp_path / "indent.pdf"))
    assert (result.found, result.sections, result.matching) == (3, 4, 3)
    assert (result.deep_sections, result.deep_matching) == (3, 3)


def test_a_numbered_list_of_sentences_is_no_chapter_but_a_goal_heading_is(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text(
        "Verksamhetsplan 2025\n\nBiblioteket har två uppdrag:\n\n"
        "1. Att verka för det demokratiska samhällets utveckling genom bildning.\n\n"
        "2. Att främja litteraturens ställning och intresset för bildning.\n\n"
        "1 Mål\n\n1.1 Mål 1 – Kommunen är en klimatsmart och hållbar kommun.\n\n"
        "Nämnden arbetar med målet.\n",
        encoding="utf-8",
    )
    sections = parse_document(load_document(text)).sections
    assert [s.section_path for s in sections][1:] == [
        "1 Mål",
        "1 Mål > 1.1 Mål 1 – Kommunen är en klimatsmart och hållbar kommun.",
    ]


def test_a_numbered_footnote_in_a_document_with_unnumbered_headings_is_text() -> None:
    """A PDF whose style-marked headings carry no numbers: a numbered sentence in
    it is a footnote, not a section heading; without marked headings (plain text)
    a numbered line continuing the numbering still is one."""
    from corpus.sections import find_headings

    lines = (
        "## Inledning",
        "",
        "Förbundet mäter engagemanget fyra gånger om året.",
        "",
        "1 Hållbart medarbetarengagemang (HME) är ett index som väger samman svar.",
        "",
        "## Ekonomi",
    )
    titles = [h.title for h in find_headings(lines, set())]
    assert titles == ["Inledning", "Ekonomi"]
    plain = ("1 Inledning", "", "Text.", "", "2 Ekonomi", "", "Mer text.")
    assert [h.title for h in find_headings(plain, set())] == ["Inledning", "Ekonomi"]


def test_a_numbered_subsection_ending_with_an_abbreviation_stays_a_heading() -> None:
    """ "1.1 Tilläggsisolera, byta fönster osv." ends with a stop but its number
    has two levels: a section's, which a footnote's never has."""
    from corpus.sections import find_headings

    lines = (
        "# Åtgärdsplan",
        "",
        "1 Minskad energianvändning",
        "",
        "Målet är 50 procent effektivare energianvändning till år 2030.",
        "",
        "1.1 Tilläggsisolera, byta fönster osv.",
        "",
        "Vid större åtgärder tilläggsisoleras fastigheterna.",
    )
    titles = [h.title for h in find_headings(lines, set())]
    assert titles == [
        "Åtgärdsplan",
        "Minskad energianvändning",
        "Tilläggsisolera, byta fönster osv.",
    ]
