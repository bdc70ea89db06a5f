"""The generalisation mechanisms on the real assistant (e5 model + built index).

Table sums with a misprinted total, twin tables, empty template parts, rankings by
change, named columns, "X av Y", owners, the glossary for English questions, exact
dense search and language detection, each asked in new words. Values and lines are
read from the sample documents; every answer also passes ``check_well_formed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from assistant_fixtures import (
    ENKOPING,
    KOMPASS,
    KRAMFORS,
    MARK_PLAN,
    cited_lines,
    cites,
    describe,
    document_lines,
    line_of,
)

from assistant.app import Assistant
from assistant.models import Answer
from corpus.numbers import parse_number

pytestmark = pytest.mark.integration

REFUSAL = "Det framgår inte av dokumenten."
Ask = Callable[[str], Answer]


def table_rows(doc: str, first: str, last: str) -> list[list[str]]:
    """The tab-separated cells of the lines from ``first`` to ``last`` (inclusive)."""
    lines = document_lines(doc)
    return [
        lines[n - 1].split("\t")
        for n in range(line_of(doc, first), line_of(doc, last) + 1)
    ]


def amount(cell: str) -> float:
    parsed = parse_number(cell)
    assert parsed is not None, cell
    return parsed.value


# --- Mark's digitalisation plan: sums and twin tables -----------------------------------


INVEST_FIRST = "Nytt Datacenter\t"
INVEST_TOTAL = "<b>Summa</b>\t<b>17 000 0000</b>"
DRIFT_FIRST = "E-arkiv\t900 000"
DRIFT_TOTAL = "<b>Summa</b>\t<b>15 400 000</b>"


def test_the_investment_rows_add_up_to_17_million() -> None:
    rows = table_rows(MARK_PLAN, INVEST_FIRST, "Säker digital kommunikatio\t")
    assert len(rows) == 5
    assert sum(amount(r[1]) for r in rows) == 17_000_000
    assert parse_number("17 000 0000") is None  # the printed total is a misprint


@pytest.mark.parametrize(
    "question",
    [
        "Vad är den totala summan av investeringarna i Marks digitaliseringsplan?",
        "Hur mycket blir investeringarna i digitaliseringsplanen i Mark totalt?",
    ],
)
def test_investments_are_summed_and_the_misprinted_total_is_flagged(
    ask: Ask, question: str
) -> None:
    a = ask(question)
    first, total = line_of(MARK_PLAN, INVEST_FIRST), line_of(MARK_PLAN, INVEST_TOTAL)
    assert (first, total) == (686, 692)
    assert not a.refused, describe(a)
    assert "summerar de 5 raderna" in a.answer, describe(a)
    assert "17 000 000 kr" in a.answer, describe(a)
    assert '"17 000 0000"' in a.answer and "inte stämmer" in a.answer, describe(a)
    assert "15 400 000" not in a.answer, describe(a)
    # One citation spans the summed rows, the valueless row and the printed total.
    assert any(
        c.doc == MARK_PLAN and (c.line_start, c.line_end) == (first, total)
        for c in a.citations
    ), describe(a)
    (fact,) = a.facts
    assert fact.value == 17_000_000 and fact.is_total


def test_operating_total_asked_in_english(ask: Ask) -> None:
    rows = table_rows(MARK_PLAN, DRIFT_FIRST, "Vidareutveckling av GIS\t")
    assert sum(amount(r[1]) for r in rows) == 15_400_000  # the printed total is right
    a = ask(
        "What is the sum of the operating budget needs in Mark's digitalisation plan?"
    )
    total = line_of(MARK_PLAN, DRIFT_TOTAL)
    assert not a.refused, describe(a)
    assert a.interpreted_query.get("lang") == "en"
    assert "15 400 000" in a.answer, describe(a)
    assert a.answer.startswith("For Kommunstyrelsen in Marks kommun"), describe(a)
    assert "17 000" not in a.answer and "does not match" not in a.answer, describe(a)
    assert cites(a, MARK_PLAN, total), describe(a)


@pytest.mark.parametrize(
    ("question", "which"),
    [
        (
            "Hur mycket kostar Säker digital kommunikation enligt Marks "
            "digitaliseringsplan?",
            "Vilken menar du?",
        ),
        (
            "How much is budgeted for Säker digital kommunikation in Mark?",
            "Which one did you mean?",
        ),
    ],
)
def test_secure_communication_in_both_tables_is_shown_and_asked_back(
    ask: Ask, question: str, which: str
) -> None:
    a = ask(question)
    drift = line_of(MARK_PLAN, "Säker digital kommunikation\t1 000 000")
    invest = line_of(MARK_PLAN, "Säker digital kommunikatio\t800 000")
    assert (drift, invest) == (677, 690)
    assert not a.refused, describe(a)
    assert "1 000 000" in a.answer and "800 000" in a.answer, describe(a)
    assert "(Digitaliseringsplan - drift) " in a.answer, describe(a)
    assert "(Digitaliseringsplan investeringar) " in a.answer, describe(a)
    assert a.answer.rstrip().endswith(which), describe(a)
    assert cites(a, MARK_PLAN, drift) and cites(a, MARK_PLAN, invest), describe(a)


# --- empty template parts ----------------------------------------------------------------


def assert_gap_refusal(a: Answer, line: int, what: str) -> None:
    assert a.refused and not a.facts, describe(a)
    assert a.answer.startswith(REFUSAL), describe(a)
    assert f"Dokumentet har {what}" in a.answer, describe(a)
    assert [(c.doc, c.line_start, c.line_end) for c in a.citations] == [
        (MARK_PLAN, line, line)
    ], describe(a)


def test_operating_budget_per_activity_is_an_empty_row(ask: Ask) -> None:
    line = line_of(MARK_PLAN, "Driftbudget fördelat på verksamhet")
    assert line == 445
    assert set(document_lines(MARK_PLAN)[line - 1].split("\t")[1:]) == {""}
    a = ask("Hur fördelar sig Marks driftbudget per verksamhet?")
    assert_gap_refusal(a, line, 'raden "Driftbudget fördelat på verksamhet"')


def test_section_3_1_is_an_empty_section(ask: Ask) -> None:
    line = line_of(MARK_PLAN, "#### **3.1 Följetal kopplade")
    assert line == 352
    a = ask("Vad innehåller avsnitt 3.1 i Marks nämndplan?")
    assert_gap_refusal(a, line, 'avsnittet "3.1 Följetal kopplade till grunduppdraget"')
    assert "men det är tomt" in a.answer, describe(a)


def test_premises_table_with_only_a_header_is_an_empty_table(ask: Ask) -> None:
    line = line_of(MARK_PLAN, "Behovsbeskrivning\tNär")
    assert line == 619 and not document_lines(MARK_PLAN)[line].strip()
    a = ask(
        "Vilka lokalbehov har Marks kommunstyrelse prioriterat i tabellen i lokalbehovsplanen?"
    )
    assert_gap_refusal(a, line, "tabellen med kolumnerna")
    assert "Nämndens prioritering" in a.answer, describe(a)


def test_chapter_3_with_text_is_not_refused_for_its_empty_subsection(ask: Ask) -> None:
    a = ask("Vad står det om grunduppdraget i kapitel 3 i Marks nämndplan?")
    start = line_of(MARK_PLAN, "### 3 Nämndens grunduppdrag")
    end = line_of(MARK_PLAN, "## 4 Nämndens mål")
    assert not a.refused, describe(a)
    assert any(start < n < end - 2 for _, n in cited_lines(a)), describe(a)


# --- Kommunkompassen: rankings, columns, owners ---------------------------------------------


def area_scores() -> dict[str, tuple[int, int, int]]:
    """Area -> (Mark 2024, Mark 2022, Medel 2020-) from the summary table."""
    rows = table_rows(KOMPASS, "<b>1 Samspel", "<b>8 Chefs")
    return {
        r[0].replace("<b>", "").replace("</b>", ""): (int(r[1]), int(r[2]), int(r[3]))
        for r in rows
    }


def check_owner_is_the_municipality(a: Answer) -> None:
    """Kommunkompassen is SKR's evaluation of Mark: Mark owns the figures."""
    assert "Marks kommun" in a.answer, describe(a)
    assert "SKR" not in a.answer and "extern utvärdering" not in a.answer, describe(a)


def test_area_with_the_largest_increase(ask: Ask) -> None:
    scores = area_scores()
    best = max(scores, key=lambda area: scores[area][0] - scores[area][1])
    assert best == "6 Kvalitetsutveckling" and scores[best][:2] == (52, 38)
    a = ask(
        "Vilket område i Kommunkompassen hade störst ökning av poängen från 2022 "
        "till 2024 för Mark?"
    )
    assert not a.refused, describe(a)
    assert a.answer.startswith("Störst ökning 2022–2024"), describe(a)
    assert "Kvalitetsutveckling" in a.answer, describe(a)
    assert "52 − 38 = 14" in a.answer, describe(a)
    assert cites(a, KOMPASS, line_of(KOMPASS, "<b>6 Kvalitetsutveckling")), describe(a)
    check_owner_is_the_municipality(a)


def test_area_with_the_largest_increase_asked_in_english(ask: Ask) -> None:
    a = ask(
        "In which Kommunkompassen area did Mark's score increase the most from "
        "2022 to 2024?"
    )
    assert not a.refused, describe(a)
    assert "Kvalitetsutveckling" in a.answer, describe(a)


def test_area_that_decreased_most_is_not_the_largest_increase(ask: Ask) -> None:
    a = ask("Vilket område i Kommunkompassen minskade mest mellan 2022 och 2024?")
    assert "Kvalitetsutveckling" not in a.answer, describe(a)


def test_lowest_area_in_2024_with_its_2022_score(ask: Ask) -> None:
    scores = area_scores()
    lowest = min(scores, key=lambda area: scores[area][0])
    assert lowest == "6 Kvalitetsutveckling"
    a = ask(
        "Vilket av de åtta områdena fick minst poäng 2024 i Kommunkompassen för "
        "Mark, och vad var poängen 2022?"
    )
    assert not a.refused, describe(a)
    assert a.answer.startswith('Lägst "Mark 2024"'), describe(a)
    assert '"6 Kvalitetsutveckling" 52 i Mark 2024; 38 i Mark 2022' in a.answer, (
        describe(a)
    )
    assert cites(a, KOMPASS, line_of(KOMPASS, "<b>6 Kvalitetsutveckling")), describe(a)
    check_owner_is_the_municipality(a)


@pytest.mark.parametrize(
    ("question", "row", "expected"),
    [
        (
            "Vilken poäng fick Mark på delfrågan Ekologisk hållbarhet i "
            "Kommunkompassen, och vad är maxpoängen?",
            "2.3\tEkologisk hållbarhet\t18\t30",
            "18 av 30 (Uppnått; Max)",
        ),
        (
            "Hur många poäng fick Mark av maxpoängen på delområdet Lära av goda "
            "exempel?",
            "6.4\tLära av goda exempel\t17\t30",
            "17 av 30 (Uppnått; Max)",
        ),
    ],
)
def test_sub_area_score_out_of_its_maximum(
    ask: Ask, question: str, row: str, expected: str
) -> None:
    a = ask(question)
    assert not a.refused, describe(a)
    assert expected in a.answer, describe(a)
    assert cites(a, KOMPASS, line_of(KOMPASS, row)), describe(a)
    check_owner_is_the_municipality(a)


@pytest.mark.parametrize(
    ("question", "area"),
    [
        (
            "Vad är medelvärdet sedan 2020 för Kvalitetsutveckling i Kommunkompassen?",
            "6 Kvalitetsutveckling",
        ),
        ("Vilket medelvärde har Arbetsliv i Kommunkompassen?", "7 Arbetsliv"),
    ],
)
def test_the_average_column_is_chosen_for_medelvarde(
    ask: Ask, question: str, area: str
) -> None:
    mark_2024, mark_2022, average = area_scores()[area]
    a = ask(question)
    assert not a.refused, describe(a)
    assert f'"{area}" {average} i Medel 2020-' in a.answer, describe(a)
    assert f" {mark_2024} " not in a.answer and f" {mark_2022} " not in a.answer
    assert cites(a, KOMPASS, line_of(KOMPASS, f"<b>{area}")), describe(a)
    check_owner_is_the_municipality(a)


def test_the_average_column_is_chosen_for_genomsnitt(ask: Ask) -> None:
    mark_2024, mark_2022, average = area_scores()["2. Samhällsutveckling"]
    a = ask(
        "Hur högt är genomsnittet för området Samhällsutveckling i Kommunkompassen?"
    )
    assert f"{average} i Medel 2020-" in a.answer, describe(a)
    assert f" {mark_2024} " not in a.answer and f" {mark_2022} " not in a.answer


def test_an_area_row_beats_the_total_row_for_its_average(ask: Ask) -> None:
    *_, average = area_scores()["4 Effektivitet"]
    a = ask("Vilket genomsnitt har området Effektivitet i Kommunkompassen?")
    assert f'"4 Effektivitet" {average} i Medel 2020-' in a.answer, describe(a)
    assert "Totalt" not in a.answer, describe(a)


def test_a_compound_question_word_is_split_to_find_the_table_sum(ask: Ask) -> None:
    a = ask("Vad blir summan av digitaliseringsinvesteringarna i Marks nämndplan?")
    assert "17 000 000 kr" in a.answer and "800 000 kr" not in a.answer, describe(a)


def test_a_named_column_kind_without_a_year_is_looked_up(ask: Ask) -> None:
    a = ask("Vilket budgetbehov har säker digital kommunikation i Mark?")
    assert "1 000 000 kr" in a.answer and "800 000 kr" in a.answer, describe(a)
    assert a.facts, describe(a)


# --- English questions: glossary, exact dense search, language --------------------------------


def test_english_question_about_a_risk_row_of_the_control_plan(ask: Ask) -> None:
    row = line_of(MARK_PLAN, "Inköp\tAtt inköp görs utanför upphandlade ramavtal.")
    assert document_lines(MARK_PLAN)[row - 1].split("\t")[4] == "12"
    a = ask(
        "What risk value does the control plan in Mark assign to purchases made "
        "outside procured framework agreements?"
    )
    assert not a.refused, describe(a)
    assert a.interpreted_query.get("lang") == "en"
    # The row's figure with its column, as a looked-up cell or as the row read.
    assert re.search(r"Riskvärde: 12\b|\b12 in the Riskvärde", a.answer), describe(a)
    assert cites(a, MARK_PLAN, row), describe(a)


def test_english_question_about_the_total_score(ask: Ask) -> None:
    a = ask(
        "How many points did Mark score overall in the Kommunkompassen evaluation of 2024?"
    )
    assert not a.refused, describe(a)
    assert a.answer.startswith('For Marks kommun, "Totalt" is 510'), describe(a)
    assert "438" not in a.answer and "515" not in a.answer, describe(a)
    assert cites(a, KOMPASS, line_of(KOMPASS, "<b>Totalt</b>")), describe(a)


def test_english_question_answered_from_prose_found_by_dense_search(ask: Ask) -> None:
    lines = document_lines(ENKOPING)
    stated = [n for n, t in enumerate(lines, 1) if "minskat med 10,3 %" in t]
    assert stated == [275]
    a = ask(
        "What share of electricity consumption has Enköping cut in its properties since 2018?"
    )
    assert not a.refused, describe(a)
    assert a.interpreted_query.get("lang") == "en"
    assert "Sedan 2018 har elförbrukningen minskat med 10,3 %" in a.answer, describe(a)
    assert cites(a, ENKOPING, 275), describe(a)
    # The dense ranking (exact cosine search) puts the passage first.
    dense = [h.dense_rank for h in a.retrieved if h.line_start <= 275 <= h.line_end]
    assert 1 in dense, [(h.line_start, h.dense_rank) for h in a.retrieved]


def test_english_question_with_a_swedish_place_name_is_answered_in_english(
    ask: Ask,
) -> None:
    # Chapter 7 (Kommunstyrelsen), not chapter 11's "Totalt (mnkr)\t-8,3 ...".
    row = line_of(ENKOPING, "Totalt (mnkr)\t-211,2")
    assert "-237,2" in document_lines(ENKOPING)[row - 1].split("\t")
    a = ask("What was the executive board's operating budget for 2023 in Enköping?")
    assert a.interpreted_query.get("lang") == "en"
    assert not a.refused, describe(a)
    assert a.answer.startswith("For Kommunstyrelsen in Enköpings kommun"), describe(a)
    assert "237,2 mnkr (million SEK) in the budget 2023" in a.answer, describe(a)
    assert "För " not in a.answer and " i budget" not in a.answer, describe(a)
    assert cites(a, ENKOPING, row), describe(a)


# --- scope, roles, dates, deviations -------------------------------------------------


def test_a_municipality_only_mentioned_as_a_partner_is_not_answered(ask: Ask) -> None:
    # Falkenberg occurs in Mark's plan (a partner), but has no documents here.
    a = ask("Hur stora är personalkostnaderna för kommunstyrelsen i Falkenberg 2024?")
    assert a.refused and "framgår inte" in a.answer, describe(a)
    assert not a.facts, describe(a)


def test_a_who_question_is_answered_by_the_responsible_unit(ask: Ask) -> None:
    a = ask("Vem har ansvaret för verktyget för avslut av anställningar i Kramfors?")
    line = line_of(KRAMFORS, "Avslut av anställning\tBristande")
    assert not a.refused and "HR ansvarar" in a.answer, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)


def test_forecast_against_budget_brings_the_printed_deviation(ask: Ask) -> None:
    row = line_of(ENKOPING, "Personalkostnader\t-103,0")
    a = ask(
        "How does the 2023 full-year forecast for staff costs compare with the "
        "budget in the Enköping executive board's income statement?"
    )
    assert "124,8" in a.answer and "121,3" in a.answer, describe(a)
    assert "surplus of 3,5" in a.answer, describe(a)
    assert cites(a, ENKOPING, row), describe(a)


def test_a_board_indicator_is_not_taken_from_the_whole_municipality_table(
    ask: Ask,
) -> None:
    board = line_of(ENKOPING, "Sjukfrånvaro, KS")
    first = "Vilken sjukfrånvaro hade kommunledningsförvaltningen i Enköping 2022?"
    a = ask(first)
    assert "4,3" in a.answer and cites(a, ENKOPING, board), describe(a)


def test_a_row_label_keeps_its_term_against_the_label_column_header(ask: Ask) -> None:
    # Every row of the table sits under "Intäkter / Kostnader (mnkr)"; the income
    # row, not the grand total, answers a question about income.
    row = line_of(ENKOPING, "Summa intäkter\t20,2")
    a = ask("Vilka intäkter hade kommunstyrelsen i Enköping i budgeten för 2023?")
    assert '"Summa intäkter" 20,3 mnkr i budget 2023' in a.answer, describe(a)
    assert cites(a, ENKOPING, row), describe(a)


def test_areas_above_the_average_are_kept_by_the_comparison(ask: Ask) -> None:
    scores = area_scores()
    above = [area for area, (now, _, mean) in scores.items() if now > mean]
    a = ask(
        "Which areas of Kommunkompassen scored higher for Mark in 2024 than the "
        "average since 2020?"
    )
    assert not a.refused, describe(a)
    listed = [line for line in a.answer.splitlines() if line.startswith("- ")]
    assert len(listed) == len(above) == 3, describe(a)
    for area, line in zip(above, listed, strict=True):
        now, _, mean = scores[area]
        assert area in line and f"{now} " in line and f"{mean} " in line, describe(a)


def test_a_sentence_of_other_years_does_not_answer_an_asked_year(ask: Ask) -> None:
    # The text gives the cost per workplace for 2023 and 2024 only.
    line = line_of(MARK_PLAN, "Kommunstyrelsen disponerar idag 103")
    a = ask("Hur mycket kostar en kontorsarbetsplats i Mark 2026?")
    assert a.refused, describe(a)
    assert cites(a, MARK_PLAN, line), describe(a)  # shown as the nearest passage
    a = ask("Vad kostar en kontorsarbetsplats per år i Mark 2024?")
    assert not a.refused and "28 281" in a.answer, describe(a)


def test_a_name_the_asked_places_documents_never_write_is_refused(ask: Ask) -> None:
    # Only Mark's evaluation is in the corpus: Enköping's documents never name it.
    a = ask("Hur många poäng fick Enköpings kommun i Kommunkompassen?")
    assert a.refused, describe(a)
    assert a.trace["stage"] == "scope", describe(a)
    # Where the name is written, in case the user meant that place.
    assert '"Kommunkompassen" nämns bara i dokumenten om Marks kommun.' in a.answer
    a = ask("Hur många poäng fick Mark totalt i Kommunkompassen 2024?")
    assert not a.refused and "510" in a.answer, describe(a)


def test_a_target_does_not_answer_what_happened(ask: Ask) -> None:
    # The ranking row has targets for 2024 and 2025 only.
    line = line_of(MARK_PLAN, "Sammanfattande omdöme svenskt näringslivs")
    a = ask("Vilken placering fick Mark i Svenskt Näringslivs ranking 2024?")
    assert a.refused and cites(a, MARK_PLAN, line), describe(a)
    a = ask("Vilket mål har Mark för Svenskt Näringslivs ranking 2024?")
    assert not a.refused and "3,5" in a.answer, describe(a)


def test_a_table_row_of_other_years_does_not_answer_an_asked_year(ask: Ask) -> None:
    # "Antal företagsbesök" has figures for 2021, 2022 and a 2023 forecast.
    a = ask("Blev det några företagsbesök i Mark 2020?")
    assert a.refused, describe(a)
    a = ask("Hur många företagsbesök gjordes i Mark 2022?")
    assert not a.refused and "77" in a.answer, describe(a)


def test_a_word_naming_the_document_does_not_hide_the_passage_asked_about(
    ask: Ask,
) -> None:
    """ "Kommunkompassen" is in most passages of the evaluation and pulls in its
    introduction; the figure sits in the passage on how it was done, found by
    the question's own topic words when the first passages hold no figure."""
    line = line_of(KOMPASS, "Utvärderingsgruppen har studerat dokument")
    a = ask("Hur många personer intervjuade utvärderarna i Kommunkompassen?")
    assert not a.refused and "25" in a.answer, describe(a)
    assert cites(a, KOMPASS, line), describe(a)
    assert [c.n for c in a.citations] == [1], describe(a)  # the refusal's is gone


def test_an_english_measure_and_body_head_do_not_hide_the_row(ask: Ask) -> None:
    """ "rate" (andel, nivå) says what figure is asked and "administration" whose
    it is, as "hur hög" and "förvaltningen" do in Swedish: neither has to be in
    the row's label ("Extern personalomsättning, KS")."""
    a = ask("What is the staff turnover rate at Enköping's executive administration?")
    assert not a.refused and "18,4" in a.answer, describe(a)
    assert a.trace["stage"] == "table lookup", describe(a)


def test_respektive_joins_the_places_compared_and_is_no_topic_word(ask: Ask) -> None:
    a = ask("Hur mycket satsar Mark respektive Kramfors på IT-investeringar 2025?")
    assert "12" in a.answer and "5 000" in a.answer, describe(a)
    assert REFUSAL not in a.answer, describe(a)


def test_a_broad_question_gets_an_overview_of_the_analysis(ask: Ask) -> None:
    """ "Hur går det ekonomiskt ...?" asks for the gist: one point per paragraph
    of the situation analysis, each cited, its first paragraph on the two
    difficult years among them, and no row of figures."""
    first = line_of(KRAMFORS, "Budget och planering för kommande år")
    a = ask("Hur går det ekonomiskt för kommunstyrelsen i Kramfors?")
    assert not a.refused, describe(a)
    points = a.answer.split("\n")
    assert 2 <= len(points) <= 3 and all(p.startswith("- ") for p in points), describe(
        a
    )
    assert cites(a, KRAMFORS, first), describe(a)
    assert len(a.citations) == len(points), describe(a)
    assert "\t" not in "".join(c.text for c in a.citations), describe(a)


def test_a_question_naming_a_row_and_its_figure_column_is_a_table_lookup(
    ask: Ask,
) -> None:
    """ "Vilket riskvärde har ...?" asks no "hur många", yet names the row and the
    column of figures: the cell answers, not the row's long text cells."""
    line = line_of(MARK_PLAN, "Upprätthålla drift\t")
    value = document_lines(MARK_PLAN)[line - 1].split("\t")[4]
    a = ask("Vilket riskvärde har risken Upprätthålla drift i Marks internkontroll?")
    assert not a.refused and value in a.answer, describe(a)
    assert a.trace["stage"] == "table lookup" and cites(a, MARK_PLAN, line), describe(a)


def test_a_signature_block_names_the_person_beside_the_role(ask: Ask) -> None:
    line = line_of(ENKOPING, "Ekonomichef")
    name = document_lines(ENKOPING)[line - 2]
    a = ask("Vem är Enköpings ekonomichef?")
    assert not a.refused and name in a.answer, describe(a)


def test_a_ranking_of_a_year_reads_that_year_column(ask: Ask) -> None:
    rows = table_rows(KRAMFORS, "Byte konstgräs IP\t", "Investeringsreserv och inv")

    def top(col: int) -> list[str]:
        return max(rows, key=lambda r: amount(r[col]) if len(r) > col and r[col] else 0)

    first, last = top(2), top(4)  # label, description, 2025, 2026, 2027
    assert first[0] != last[0]
    # "budget" names a kind no year column has; the year still picks the column.
    a = ask("Vilken post i Kramfors budget för investeringar är störst 2025?")
    assert not a.refused and first[0] in a.answer and first[2] in a.answer, describe(a)
    assert last[0] not in a.answer, describe(a)


def test_a_sentence_above_its_items_is_quoted_with_all_of_them(ask: Ask) -> None:
    first = line_of(KRAMFORS, "- Lednings- och styrfunktion")
    items = [s[2:] for s in document_lines(KRAMFORS)[first - 1 : first + 2]]
    a = ask("Hur beskriver reglementet kommunstyrelsens uppgifter i Kramfors?")
    assert all(item in a.answer for item in items), describe(a)


def test_a_neighbouring_sentence_misses_a_hard_constraint_and_is_refused(
    ask: Ask,
) -> None:
    """Each question below has a sentence near its words that answers something
    else: a goal heading whose "Mål 5" counts no inhabitants, a board's sick
    leave for the whole municipality's, a survey that "kommer genomföras" for
    what it showed, a risk row about side jobs for how many were reported."""
    for question in (
        "antal invånare kramfors?",
        "What is the sickness absence rate for Kramfors municipality as a whole?",
        "Vad visade Enköpings medborgarundersökning hösten 2023?",
        "Hur många bisysslor anmäldes i Marks kommun under 2023?",
    ):
        a = ask(question)
        assert a.refused and a.answer.startswith(("Det framgår", "The documents")), (
            describe(a)
        )
    # The same constraints met: the whole municipality's row, a count stated.
    line = line_of(ENKOPING, "23. a Sjukfrånvarostatistik")
    whole = ask("Hur hög är sjukfrånvaron för hela kommunen i Enköping?")
    assert not whole.refused and cites(whole, ENKOPING, line), describe(whole)


def test_a_name_only_another_places_documents_write_is_refused_in_lower_case(
    ask: Ask,
) -> None:
    a = ask("kommunkompassen poäng kramfors?")
    assert a.refused and "Marks kommun" in a.answer, describe(a)


def test_a_year_the_table_row_lacks_is_read_from_the_sentence_stating_it(
    ask: Ask,
) -> None:
    """The budget table's "Effektiviseringskrav" row has 2023 only; the comment
    below it states the 2024 figure. A year no sentence names stays refused."""
    line = line_of(MARK_PLAN, "Kostnadsutvecklingen innebär")
    figure = re.search(r"vuxit till (\d+,\d)", document_lines(MARK_PLAN)[line - 1])
    assert figure is not None
    a = ask("Hur stort är effektiviseringskravet för Marks kommunstyrelse 2024?")
    assert not a.refused and figure[1] in a.answer, describe(a)
    assert cites(a, MARK_PLAN, line), describe(a)
    later = ask("Hur stort är effektiviseringskravet för Marks kommunstyrelse 2026?")
    assert later.refused, describe(later)


def test_an_undated_figure_of_a_plan_for_later_years_answers_no_earlier_year(
    ask: Ask,
) -> None:
    """Kramfors' plan for 2025 states sick leave "per sista september" with no
    year: it answers for the year the plan was written, not for 2022."""
    earlier = ask("Hur hög var sjukfrånvaron i Kramfors 2022?")
    assert earlier.refused, describe(earlier)
    line = line_of(KRAMFORS, "Den ackumulerade sjukfrånvaron i % av arbetstid")
    figure = re.search(r"september var (\d+,\d+ %)", document_lines(KRAMFORS)[line - 1])
    assert figure is not None
    now = ask("Hur hög var sjukfrånvaron i Kramfors 2024?")
    assert not now.refused and figure[1] in now.answer, describe(now)


def test_a_light_verb_does_not_hide_the_row_a_question_names(ask: Ask) -> None:
    """ "har Mark gett risken ..." : "gett" names nothing, so the risk row the
    rest of the question names answers with its risk value."""
    line = line_of(MARK_PLAN, "Inköp\tAtt inköp görs utanför upphandlade ramavtal.")
    value = document_lines(MARK_PLAN)[line - 1].split("\t")[4]
    a = ask("Vilket riskvärde har Mark gett risken att inköp görs utanför ramavtal?")
    assert a.trace["stage"] == "table lookup" and value in a.answer, describe(a)
    assert cites(a, MARK_PLAN, line), describe(a)


def test_a_bare_topic_is_answered_by_the_sentence_stating_its_figure(
    ask: Ask,
) -> None:
    """ "avtalstrohet?" typed alone asks where contract loyalty stands: the
    sentence with its share, not the one saying it matters."""
    found = [
        re.search(r"Avtalstroheten är (\d+ ?%)", t) for t in document_lines(ENKOPING)
    ]
    shares = [m for m in found if m]
    assert len(shares) == 1
    share = shares[0]
    a = ask("avtalstrohet?")
    assert not a.refused and share[1] in a.answer, describe(a)


def test_a_broad_question_about_a_measure_gets_its_gist(ask: Ask) -> None:
    """A newcomer's broad question about the budget: Mark's plan comments on it in
    prose (the frame for 2025 among the points); Kramfors' evidence is its budget
    table only, so its row answers, not a list of indicator names."""
    line = line_of(MARK_PLAN, "Driftbudgeten uppgår till en nettokostnad om")
    frame = re.search(r"(\d+,\d) mnkr för 2025", document_lines(MARK_PLAN)[line - 1])
    assert frame is not None
    mark = ask(
        "Vad ska jag som ny chef på kommunstyrelsen i Mark känna till om budgeten 2025?"
    )
    assert not mark.refused and frame[1] in mark.answer, describe(mark)
    assert cites(mark, MARK_PLAN, line), describe(mark)
    row = line_of(KRAMFORS, "Kommunledningsförvaltningen\t")
    kramfors = ask("Vad ska jag känna till om budgeten i Kramfors?")
    assert not kramfors.refused and cites(kramfors, KRAMFORS, row), describe(kramfors)


def line_with(doc: str, text: str) -> int:
    """The one line of ``doc`` that holds ``text``."""
    found = [n for n, t in enumerate(document_lines(doc), start=1) if text in t]
    assert len(found) == 1, (doc, text, found)
    return found[0]


def test_a_change_asked_is_not_answered_by_one_periods_level(ask: Ask) -> None:
    """ "Hur mycket ökade budgeten efter ändringsbudgeten?" asks for the increase
    the text states, not the year's budget the table holds (a neighbouring
    number); the question's "ökade" is found as the text's "ökat"."""
    line = line_with(ENKOPING, "Efter beslut om ändringsbudget har budgeten ökat med")
    found = re.search(r"ökat med (\d+,\d mnkr)", document_lines(ENKOPING)[line - 1])
    assert found is not None
    a = ask(
        "Hur mycket ökade kommunstyrelsens budget i Enköping 2023 efter ändringsbudget?"
    )
    assert not a.refused and found[1] in a.answer, describe(a)
    assert a.trace["stage"] != "table lookup" and cites(a, ENKOPING, line), describe(a)


def test_a_column_of_an_average_since_a_year_is_no_score_of_that_year(
    ask: Ask,
) -> None:
    """ "Medel 2020-" is the average of evaluations since 2020: Mark was not
    evaluated in 2020, so its 2020 score is not in the documents; asked how far
    below that average an area is, the row's latest score and the average are
    subtracted."""
    a = ask("Hur många poäng fick Mark totalt i Kommunkompassen 2020?")
    assert a.refused, describe(a)
    mark_2024, _, average = area_scores()["7 Arbetsliv"]
    below = ask("Hur långt under medelvärdet ligger Mark i området Arbetsliv?")
    assert f"{average} \u2212 {mark_2024} = {average - mark_2024}." in below.answer, (
        describe(below)
    )


def test_when_the_document_itself_was_decided_is_read_from_its_cover(
    ask: Ask,
) -> None:
    """ "När fattade ... beslut om nämndplanen?" asks when the plan was adopted:
    the cover's decision line, not a passage sharing the word "beslut"."""
    for doc, question in (
        (MARK_PLAN, "När fattade Marks kommunstyrelse beslut om nämndplanen?"),
        (KRAMFORS, "När antogs Kramfors verksamhetsplan?"),
    ):
        lines = document_lines(doc)
        decided = [
            n
            for n, t in enumerate(lines[:60], start=1)
            if re.search(r"[Bb]eslut\w*\s.*\d{4}-\d\d-\d\d", t)
        ]
        assert decided, doc
        date = re.search(r"\d{4}-\d\d-\d\d", lines[decided[0] - 1])
        assert date is not None
        a = ask(question)
        assert date[0] in a.answer and cites(a, doc, decided[0]), describe(a)
    budget = ask("När beslutades budgetramarna för kommunstyrelsen i Mark?")
    assert budget.trace["stage"] != "decision", describe(budget)


def test_a_number_written_as_a_word_answers_a_follow_up(
    real_assistant: Assistant,
) -> None:
    """ "och presidiedagar?" after a count of something else asks how many
    presidium days there are: "fem presidiedagar" states it in a word."""
    line = line_with(KOMPASS, "fem presidiedagar")
    a = real_assistant.ask(
        "och presidiedagar per år?",
        history=["Hur många intervjuer gjordes i Kommunkompassen för Mark?"],
    )
    assert not a.refused and "fem presidiedagar" in a.answer, describe(a)
    assert cites(a, KOMPASS, line), describe(a)


def test_how_many_were_not_done_is_computed_from_the_whole_and_the_part(
    ask: Ask,
) -> None:
    """The interim report gives the plan's controls and how many were done: the
    ones not done are their difference, computed under the quote and said as
    controls, the noun the report writes after the whole."""
    line = line_with(ENKOPING, "8 av kontrollerna har genomförts")
    found = re.search(
        r"(\d+) kontroller .*?(\d+) av kontrollerna har genomförts",
        document_lines(ENKOPING)[line - 1],
    )
    assert found is not None
    whole, done = int(found[1]), int(found[2])
    a = ask(
        "Hur många av kontrollerna i Enköpings internkontrollplan hade inte "
        "genomförts vid delåret?"
    )
    assert f"{whole} \u2212 {done} = {whole - done} kontroller." in a.answer, describe(
        a
    )
    assert cites(a, ENKOPING, line), describe(a)


def test_a_count_of_what_a_tables_header_excludes_is_read_from_the_text(
    ask: Ask,
) -> None:
    """Kramfors' staff table is "Medarbetare per avdelning exkl. chefer": its
    total counts no managers, the sentence beside it does ("Av de 15 cheferna")."""
    line = line_with(KRAMFORS, "Av de 15 cheferna")
    a = ask("Hur många chefer arbetar på kommunledningsförvaltningen i Kramfors?")
    assert "15" in a.answer and "138" not in a.answer, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)


def test_a_figure_is_quoted_with_the_paragraph_that_says_what_it_is(ask: Ask) -> None:
    """Mark's frame: one paragraph says what the chair may reallocate without a
    political decision, the next gives the amounts; both answer together."""
    line = line_with(MARK_PLAN, "Kommunstyrelsens ordförande disponerar")
    a = ask(
        "Hur stor del av kommunstyrelsens budgetram i Mark kan ordföranden "
        "fördela om utan att politikerna beslutar?"
    )
    assert "5,5 mnkr" in a.answer, describe(a)
    assert cites(a, MARK_PLAN, line), describe(a)


def test_a_question_typed_without_swedish_letters_is_read_as_the_documents_spell_it(
    ask: Ask,
) -> None:
    """A chat question typed on a keyboard without å, ä, ö ("adalshallen") names
    the investment row the documents spell "Ådalshallen"."""
    line = line_with(KRAMFORS, "Ådalshallen\tTotal översyn")
    cells = document_lines(KRAMFORS)[line - 1].split("\t")
    last = next(c for c in reversed(cells) if re.search(r"\d", c))
    a = ask("adalshallen budget 2027 i kramfors?")
    assert last in a.answer and not a.refused, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)
