"""The 21 parser traps of /work/shared/notes/documents.md, on the real lines.

Each test names the trap it covers. The rules under test are general; the sample
documents' lines are only the examples.
"""

from __future__ import annotations

import pytest
from corpus_fixtures import (
    ALL_DOCS,
    ENKOPING,
    KOMPASS,
    KRAMFORS,
    MARK_PLAN,
    cell,
    chunks_covering,
    parsed,
    row_at,
    section_path_at,
)

from corpus.text import clean_inline


# 1. No page numbers: cite by section path + line range.
@pytest.mark.parametrize("name", ALL_DOCS)
def test_01_chunks_cite_section_and_lines_not_pages(name):
    doc = parsed(name)
    for chunk in doc.chunks:
        assert chunk.page is None
        assert chunk.section_path
        assert chunk.text == doc.document.text_of(chunk.line_start, chunk.line_end)


# 2. TOCs look like tables: recognised and kept out of chunks and tables.
@pytest.mark.parametrize(
    ("name", "first", "last"),
    [(MARK_PLAN, 12, 53), (KOMPASS, 9, 24), (KRAMFORS, 14, 60), (ENKOPING, 77, 89)],
)
def test_02_toc_detected_and_excluded(name, first, last):
    doc = parsed(name)
    assert doc.toc_lines[0] == first and doc.toc_lines[-1] == last
    toc = set(doc.toc_lines)
    assert not any(set(range(c.line_start, c.line_end + 1)) & toc for c in doc.chunks)
    assert not any(t.line_start in toc for t in doc.tables)


def test_02_misspelled_toc_title_never_reaches_a_chunk():
    assert not any("kommundemensamma" in c.text for c in parsed(MARK_PLAN).chunks)


# 3. Headings: paths from the numbering, not the # depth.
@pytest.mark.parametrize(
    ("name", "line", "path"),
    [
        (MARK_PLAN, 316, "3 Nämndens grunduppdrag"),  # chapter written as ###
        (
            MARK_PLAN,
            296,
            "2 Nämndens övergripande styrning > 2.4 Uppdrag från ks och ksau",
        ),
        (
            MARK_PLAN,
            530,
            "6 Nämndens internkontroll > 6.3 Internkontrollplan > Personal",
        ),
        (MARK_PLAN, 547, "6 Nämndens internkontroll > 6.3 Internkontrollplan > IT"),
        (MARK_PLAN, 623, "10 Nämndens kompetensförsörjningsplan, behov och åtgärder"),
        (MARK_PLAN, 110, "1 Kommunfullmäktiges övergripande styrning > 1.3 Värdegrund"),
        (
            KRAMFORS,
            149,
            "5 Mål och nyckeltal > 5.2 Mål 2 - I Kramfors kommun får barn och unga "
            "en trygg uppväxt, god utbildning och möjligheter till en meningsfull "
            "fritid > 5.2.2 Uppdrag kopplade till målet",
        ),
        (ENKOPING, 297, "7 Uppföljning ekonomi > 7.1 Resultaträkning"),
        (
            KOMPASS,
            226,
            "3 Detaljerad genomgång per område > Område 4 Effektivitet > "
            "Utvärderade delområden",
        ),
        (
            KOMPASS,
            55,
            "1 Vad är Kommunkompassen?",
        ),  # "5. Brukarens fokus" is a list item
    ],
)
def test_03_section_paths_follow_the_numbering(name, line, path):
    assert section_path_at(name, line) == path


def test_03_numbered_list_items_are_not_headings():
    numbers = [s.number for s in parsed(KRAMFORS).sections if s.number]
    assert "5" in numbers and numbers.count("5") == 1  # L149 "5. Implementera …"
    assert not any(s.line_start in range(51, 59) for s in parsed(KOMPASS).sections)


def test_03_front_matter_is_a_section():
    first = parsed(ENKOPING).sections[0]
    assert (first.line_start, first.line_end) == (1, 90)
    assert first.path == (parsed(ENKOPING).meta.title,)


# 4. Units: unit rows, "mnr", kr vs mnkr, free-text ranges.
def test_04_unit_row_below_the_header_gives_tkr():
    table, row = row_at(KRAMFORS, 321)
    assert row.label == "Kommunfullmäktige"
    assert cell(row, "Budget helår 2024").unit == "tkr"
    assert not any(r.line_start == 319 for r in table.rows)


def test_04_mnr_means_mnkr_and_kr_stays_kr():
    _, row = row_at(ENKOPING, 348)
    assert cell(row, "Budget 2023").unit == "mnkr"
    _, row = row_at(MARK_PLAN, 674)
    assert (cell(row, "Budgetbehov kr").value, cell(row, "Budgetbehov kr").unit) == (
        900_000,
        "kr",
    )


def test_04_free_text_range_is_not_a_value():
    _, row = row_at(KRAMFORS, 362)
    description = cell(row, "Beskrivning")
    assert description.value is None and "5-10 mnkr" in description.text


# 5. Totals in odd places.
def test_05_kramfors_first_row_is_the_total_of_the_rows_below():
    table, row = row_at(KRAMFORS, 320)
    assert row.label == "Kommunledningsförvaltningen" and row.is_total
    assert not any(r.is_total for r in table.rows[1:])


def test_05_summa_in_second_column_is_a_total():
    _, row = row_at(KRAMFORS, 364)
    assert row.is_total
    assert (cell(row, "2025").value, cell(row, "2025").unit) == (18_800, "tkr")


def test_05_mark_summa_is_total_but_exploateringsram_below_is_not():
    assert row_at(MARK_PLAN, 490)[1].is_total
    assert not row_at(MARK_PLAN, 491)[1].is_total


def test_05_subtotal_with_empty_label_cells():
    _, row = row_at(KOMPASS, 439)
    assert row.is_total and cell(row, "Uppnått").value == 68


# 6. The misprinted total is not 170 million, nor attributed to the row above.
def test_06_misprinted_total_has_no_value():
    _, total = row_at(MARK_PLAN, 692)
    amount = cell(total, "Budgetbehov kr")
    assert (
        total.is_total and amount.raw == "<b>17 000 0000</b>" and amount.value is None
    )
    _, above = row_at(MARK_PLAN, 691)
    assert above.label.startswith("Kortlösningen")
    assert all(c.value is None for c in above.cells)


# 7. Thousands spaces vs adjacent numbers: per cell, and 3-digit groups in prose.
def test_07_cells_parse_separately_and_prose_keeps_year_apart():
    _, row = row_at(MARK_PLAN, 376)
    assert [c.value for c in row.cells if c.value] == [35201, 35347, 35508]
    from corpus.numbers import find_numbers

    line = parsed(MARK_PLAN).document.line(601)
    values = [n.value for n in find_numbers(line)]
    assert values[values.index(2023) : values.index(2023) + 4] == [
        2023,
        27219,
        2024,
        28281,
    ]


# 8. Near-duplicates: chapter 7 and chapter 11 tables stay distinct.
def test_08_enkoping_chapter_7_and_11_personalkostnader_are_distinct():
    table7, row7 = row_at(ENKOPING, 297)
    table11, row11 = row_at(ENKOPING, 405)
    assert cell(row7, "Prognos helår 2023").value == -121.3
    assert cell(row7, "Prognos helår 2023").unit == "mnkr"
    assert cell(row7, "Prognos helår 2023").kind == "prognos"
    assert cell(row11, "Prognos helår 2023").value == -8.8
    assert table7.section_path.startswith("7 Uppföljning ekonomi")
    assert table11.section_path.startswith("11 Kommunfullmäktige och revision")
    chunk7 = chunks_covering(ENKOPING, 297)[0]
    assert "7.1 Resultaträkning" in chunk7.embed_text
    assert "-121,3 mnkr" in chunk7.embed_text


# 9. Status lines detached from the goal table are attached by order.
def test_09_enkoping_goal_statuses_attached_in_order():
    table, _ = row_at(ENKOPING, 131)
    statuses = [cell(r, "Status").text for r in table.rows]
    assert len(statuses) == 11
    assert statuses.count("På rätt väg") == 7
    assert statuses.count("Delvis på rätt väg") == 4
    _, row = row_at(ENKOPING, 159)  # Mål 17, its status is the glyph-less L167
    assert cell(row, "Status").text == "Delvis på rätt väg"


def test_09_leading_space_status_cells_are_cleaned():
    _, row = row_at(MARK_PLAN, 154)
    status = cell(row, "Status")
    assert status.raw == " Pågående" and status.text == "Pågående"


# 10. Cells split across page breaks are merged; repeated headers dropped.
def test_10_split_cell_merged_into_previous_row():
    _, row = row_at(ENKOPING, 179)
    assert (row.line_start, row.line_end) == (161, 179)
    analysis = cell(row, "Analys av måloppfyllelsen").text
    assert "ligger även ute" in analysis and "på intranät" in analysis
    assert row_at(ENKOPING, 278)[1].line_start == 275
    risk_table, _ = row_at(ENKOPING, 378)
    assert not any(r.line_start == 382 for r in risk_table.rows)


def test_10_repeated_header_is_not_a_row():
    table, _ = row_at(MARK_PLAN, 165)
    assert table.line_start == 152 and table.line_end == 168
    assert not any(r.label == "Uppdrag" for r in table.rows)
    assert len(table.rows) == 14  # L153-162 and L165-168


# 11. Vertically merged key cells are forward-filled; a key that only groups
# rows (a process over its risks) is followed by the column naming each row.
def test_11_empty_key_cells_forward_filled():
    assert row_at(MARK_PLAN, 526)[1].label == (
        "Inköp \u2013 Att förvaltningarna inte har rutin för hantering av statsbidrag"
    )
    assert row_at(MARK_PLAN, 542)[1].label == (
        "Beslutsprocess \u2013 Att beslut inte verkställs inklusive beslutade "
        "riktlinjer m.m."
    )
    assert row_at(ENKOPING, 136)[1].label == "Delaktighet och demokrati"


# 12. HTML remnants stripped for text, list items kept, raw kept for citation.
def test_12_html_list_items_become_bullets():
    _, row = row_at(KOMPASS, 138)
    improvements = cell(row, "Förbättringsmöjligheter")
    assert improvements.raw.startswith("<ul")
    assert improvements.text.startswith("• Vitalisera demokratiberedningen\n• ")
    assert "<" not in improvements.text


@pytest.mark.parametrize("name", ALL_DOCS)
def test_12_no_html_tags_in_embed_text(name):
    for chunk in parsed(name).chunks:
        for tag in ("<b>", "<p>", "<li", "<ul", "<i>", "</"):
            assert tag not in chunk.embed_text, (chunk.chunk_id, tag)


# 13. "Poäng" and its score on the next line belong together, in their area.
@pytest.mark.parametrize(
    ("line", "score", "area"),
    [(135, 68, "Område 1"), (212, 72, "Område 3"), (293, 58, "Område 5")],
)
def test_13_score_attached_to_its_label_and_area(line, score, area):
    table, row = row_at(KOMPASS, line)
    assert row.label == "Poäng" and (row.line_start, row.line_end) == (line, line + 1)
    assert row.cells[0].value == score and row.cells[0].unit == "poäng"
    assert area in table.section_path
    chunk = next(c for c in parsed(KOMPASS).chunks if c.table_id == table.table_id)
    assert f"Poäng: {score}" in chunk.embed_text and area in chunk.embed_text


# 14. Different names for the same thing are kept verbatim (both findable).
def test_14_both_area_names_are_kept():
    _, row = row_at(KOMPASS, 75)
    assert row.label == "1 Samspel mellan förtroendevalda och medborgare"
    sub, _ = row_at(KOMPASS, 434)
    # The numbering and name columns are one key column with one header.
    assert sub.header == ("1. Offentlighet och demokrati", "Uppnått", "Max")
    assert cell(row_at(MARK_PLAN, 536)[1], "Väsentlighet").text == "Allvarlig"
    assert cell(row_at(MARK_PLAN, 509)[1], "Väsentlighet").text == "Allvarig"


# 15. Broken lines: layout breaks joined, real compound hyphens kept.
def test_15_within_word_breaks_joined_real_compounds_kept():
    lines = parsed(ENKOPING).document
    assert "samarbete med föreningsliv" in clean_inline(lines.line(150))
    assert "Informationssäkerhet" in clean_inline(parsed(KRAMFORS).document.line(394))
    assert "KOMMUNGEMENSAM UPPFÖLJNING" in clean_inline(
        parsed(MARK_PLAN).document.line(525)
    )
    assert "personal- och kompetensförsörjning" in clean_inline(
        parsed(MARK_PLAN).document.line(138)
    )


def test_15_hard_break_and_split_paragraph_stay_in_one_chunk():
    chunk = chunks_covering(KOMPASS, 331)[0]
    assert chunk.line_end >= 332 and "största resultat förflyttning" in chunk.embed_text
    chunk = chunks_covering(MARK_PLAN, 214)[0]
    assert chunk.line_end >= 216


# 16. Markdown emphasis stripped for embedding, kept in the quoted text.
def test_16_emphasis_stripped_only_in_embed_text():
    chunk = chunks_covering(MARK_PLAN, 266)[0]
    assert "*Hållbara Mark*" in chunk.text
    assert "Hållbara Mark" in chunk.embed_text and "*Hållbara" not in chunk.embed_text
    escaped = chunks_covering(MARK_PLAN, 270)[0]
    assert "\\*" in escaped.text and "\\*" not in escaped.embed_text


# 17. Whitespace-only lines are blank: never the edge of a chunk.
@pytest.mark.parametrize("name", ALL_DOCS)
def test_17_chunks_start_and_end_on_content(name):
    doc = parsed(name)
    for chunk in doc.chunks:
        assert doc.document.line(chunk.line_start).strip(), chunk.chunk_id
        assert doc.document.line(chunk.line_end).strip(), chunk.chunk_id


# 18. Duplicated passages are kept (two hits for the same summary).
def test_18_duplicated_summary_kept_in_memo_and_report():
    memo = chunks_covering(ENKOPING, 36)[0]
    report = chunks_covering(ENKOPING, 98)[0]
    assert memo.chunk_id != report.chunk_id
    sentence = "Kommunstyrelsens driftsbudget för 2023 uppgår till 237,2 mnkr."
    assert sentence in memo.embed_text and sentence in report.embed_text


# 19. Sections that promise missing content stay empty, without borrowed data.
def test_19_empty_section_and_header_only_table():
    section = next(s for s in parsed(MARK_PLAN).sections if s.number == "3.1")
    assert (section.line_start, section.line_end) == (352, 353)
    assert not any(
        section.line_start <= t.line_start <= section.line_end
        for t in parsed(MARK_PLAN).tables
    )
    table = next(t for t in parsed(MARK_PLAN).tables if t.header_line == 619)
    assert table.rows == () and chunks_covering(MARK_PLAN, 619)


# 20. Periods come from the document label and column headers, not guesses.
def test_20_column_kinds_and_years():
    _, row = row_at(ENKOPING, 242)
    assert (cell(row, "Utfall aug 2023").kind, cell(row, "Utfall aug 2023").year) == (
        "utfall",
        2023,
    )
    assert cell(row, "Startläge").kind == "startläge"
    _, row = row_at(ENKOPING, 297)
    assert cell(row, "Utfall jan-aug 2023").year == 2023
    assert cell(row, "Avvikelse prognos mot budget").kind == "avvikelse"
    assert cell(row, "Bokslut 2022").kind == "bokslut"
    chunk = chunks_covering(KRAMFORS, 290)[0]
    assert chunk.embed_text.startswith(
        "Kramfors kommun · Kommunstyrelsen / Kommunledningsförvaltningen · "
        "verksamhetsplan 2025\n"
    )


# 21. The last line of every file is kept and covered.
@pytest.mark.parametrize("name", ALL_DOCS)
def test_21_last_line_is_covered(name):
    doc = parsed(name)
    last = len(doc.document.lines)
    assert any(c.line_end == last for c in doc.chunks)


def test_21_last_lines_carry_data():
    assert cell(row_at(KOMPASS, 491)[1], "Uppnått").value == 61
    assert row_at(KRAMFORS, 452)[1].label == "November/december"


# Headline numbers from the brief.
def test_mark_nettokostnad_budget_2024():
    table, row = row_at(MARK_PLAN, 444)
    value = cell(row, "Budget 2024")
    assert (row.line_start, value.value, value.unit, value.kind, value.year) == (
        444,
        -205.6,
        "mnkr",
        "budget",
        2024,
    )
    assert table.unit == "mnkr"


def test_kommunkompassen_totals():
    _, row = row_at(KOMPASS, 83)
    assert row.is_total
    assert (cell(row, "Mark 2024").value, cell(row, "Mark 2022").value) == (510, 438)
    assert cell(row, "Mark 2024").year == 2024


# 22. A numbered sentence that a PDF wrapped onto the next line is no heading.
def test_22_a_wrapped_numbered_sentence_is_no_heading():
    from corpus.sections import find_headings

    lines = (
        "# Regionala mål",
        "",
        "Strategin har fem mål.",
        "",
        "1 Inledning",
        "",
        "2. År 2025 ska mängden hushållsavfall minska till högst 350 kg per person/år och till år 2030 högst",
        "300 kg per person/år.",
        "",
        "3 Uppföljning",
        "",
        "Målen följs upp varje år.",
    )
    titles = [h.title for h in find_headings(lines, set())]
    assert titles == ["Regionala mål", "Inledning", "Uppföljning"]
