"""The real assistant (e5 model + built index) on questions with known answers.

Values and lines are read from the sample documents; every answer also passes the
generic checks of ``assistant_fixtures.check_well_formed``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from assistant_fixtures import (
    ENKOPING,
    KOMPASS,
    KRAMFORS,
    MARK_PLAN,
    check_well_formed,
    cited_lines,
    cites,
    describe,
    document_lines,
    line_of,
)

from assistant.models import Answer

pytestmark = pytest.mark.integration

MARK_NET_2024 = "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"
KRAMFORS_SICK = "Hur hög var sjukfrånvaron i Kramfors per sista september?"


@pytest.fixture(scope="module")
def ask(real_assistant):
    def _ask(question: str, history: Sequence[str] = ()) -> Answer:
        answer = real_assistant.ask(question, history=list(history))
        check_well_formed(answer)
        return answer

    return _ask


def net_cost_row() -> int:
    line = line_of(MARK_PLAN, "<b>Nettokostnader</b>")
    assert line == 444  # the row "Nettokostnader -188,9 -195,0 -205,6 -207,0"
    return line


def chapter_start(doc: str, heading: str) -> int:
    return line_of(doc, heading)


# --- numbers -------------------------------------------------------------------


def test_mark_net_cost_2024_is_the_budget_2024_column(ask) -> None:
    a = ask(MARK_NET_2024)
    assert not a.refused, describe(a)
    assert "205,6" in a.answer and "mnkr" in a.answer, describe(a)
    assert "207,0" not in a.answer and "195,0" not in a.answer, describe(a)
    assert cites(a, MARK_PLAN, net_cost_row()), describe(a)


def test_follow_up_year_keeps_municipality_and_metric(ask) -> None:
    a = ask("Och 2025?", history=[MARK_NET_2024])
    assert not a.refused, describe(a)
    assert "207,0" in a.answer and "205,6" not in a.answer, describe(a)
    assert cites(a, MARK_PLAN, net_cost_row()), describe(a)
    assert a.interpretation.startswith("Tolkat som:"), a.interpretation
    assert "Mark" in a.interpretation and "2025" in a.interpretation


def test_follow_up_year_without_history_does_not_borrow_marks_figure(ask) -> None:
    a = ask("Och 2025?")
    assert "207,0" not in a.answer, describe(a)
    assert a.interpretation == ""


def test_follow_up_row_keeps_municipality_and_year(ask) -> None:
    # "Och intäkterna?" after the 2024 net cost: Intäkter, Budget 2024 = 17,7.
    a = ask("Och intäkterna?", history=[MARK_NET_2024])
    row = line_of(MARK_PLAN, "Intäkter\t12,8")
    assert not a.refused, describe(a)
    assert "17,7" in a.answer, describe(a)
    assert "18,0" not in a.answer and "12,8" not in a.answer, describe(a)
    assert cites(a, MARK_PLAN, row), describe(a)
    assert a.interpretation.startswith("Tolkat som:"), a.interpretation


def test_enkoping_operating_budget_2023(ask) -> None:
    a = ask("Hur stor är kommunstyrelsens driftsbudget 2023 i Enköping?")
    stated = {
        n for n, line in enumerate(document_lines(ENKOPING), start=1) if "237,2" in line
    }
    assert not a.refused, describe(a)
    assert "237,2" in a.answer, describe(a)
    assert {(ENKOPING, n) for n in stated} & cited_lines(a), describe(a)


def test_enkoping_operating_budget_does_not_mix_in_chapter_11(ask) -> None:
    a = ask("Hur stor är kommunstyrelsens driftsbudget 2023 i Enköping?")
    chapter_11 = chapter_start(ENKOPING, "11 Kommunfullmäktige och revision")
    assert "13,1" not in a.answer, describe(a)
    assert all(c.line_start < chapter_11 for c in a.citations), describe(a)


def test_enkoping_operating_budget_reworded(ask) -> None:
    a = ask("Hur stor är driftsbudgeten 2023 för kommunstyrelsen i Enköping?")
    assert "237,2" in a.answer, describe(a)


def test_enkoping_forecast_surplus(ask) -> None:
    a = ask("Vilket överskott visar kommunstyrelsens prognos för 2023 i Enköping?")
    stated = {
        n
        for n, line in enumerate(document_lines(ENKOPING), start=1)
        if "överskott på 5,9 mnkr" in line or "överskott med 5,9 mnkr" in line
    }
    assert not a.refused, describe(a)
    assert "5,9" in a.answer, describe(a)
    assert {(ENKOPING, n) for n in stated} & cited_lines(a), describe(a)


def test_kramfors_sick_leave(ask) -> None:
    a = ask(KRAMFORS_SICK)
    line = line_of(KRAMFORS, "Den ackumulerade sjukfrånvaron")
    assert not a.refused, describe(a)
    assert "5,16" in a.answer, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)


def test_follow_up_about_women_keeps_kramfors_and_topic(ask) -> None:
    a = ask("Och för kvinnorna?", history=[KRAMFORS_SICK])
    line = line_of(KRAMFORS, "Den ackumulerade sjukfrånvaron")
    assert not a.refused, describe(a)
    assert "6,10" in a.answer, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)
    assert "Kramfors" in a.interpretation, a.interpretation


def test_kommunkompassen_total(ask) -> None:
    a = ask("Vilken totalpoäng fick Mark i Kommunkompassen?")
    line = line_of(KOMPASS, "<b>Totalt</b>")
    assert not a.refused, describe(a)
    assert "510" in a.answer, describe(a)
    assert cites(a, KOMPASS, line), describe(a)


def test_near_duplicate_tables_chapter_7_not_chapter_11(ask) -> None:
    # Chapter 7 (Kommunstyrelsen) and chapter 11 (Kommunfullmäktige och revision)
    # print the same "Resultaträkning" table; the KS question must get chapter 7.
    a = ask(
        "Vad är prognosen för personalkostnader helår 2023 för kommunstyrelsen "
        "i Enköping?"
    )
    ks_row = line_of(ENKOPING, "Personalkostnader\t-103,0")
    kf_row = line_of(ENKOPING, "Personalkostnader\t-4,4")
    assert ks_row < chapter_start(ENKOPING, "11 Kommunfullmäktige") < kf_row
    assert not a.refused, describe(a)
    assert "121,3" in a.answer, describe(a)
    assert "8,8" not in a.answer, describe(a)
    assert cites(a, ENKOPING, ks_row), describe(a)
    assert not cites(a, ENKOPING, kf_row), describe(a)


# --- lists and English ------------------------------------------------------------


def strategic_areas() -> list[tuple[int, str]]:
    heading = line_of(MARK_PLAN, "### **Strategiska områden**")
    end = line_of(MARK_PLAN, "### **Kommungemensamma mål**")
    lines = document_lines(MARK_PLAN)
    return [(n, lines[n - 1]) for n in range(heading + 1, end) if lines[n - 1].strip()]


def test_list_of_the_four_strategic_areas(ask) -> None:
    areas = strategic_areas()
    assert len(areas) == 4
    a = ask("Vilka fyra strategiska områden har Marks kommun?")
    assert not a.refused, describe(a)
    for n, text in areas:
        assert text in a.answer, f"{text!r} missing: {describe(a)}"
        assert cites(a, MARK_PLAN, n), describe(a)


def test_list_question_without_count(ask) -> None:
    a = ask("Vilka är Marks strategiska områden?")
    for _, text in strategic_areas():
        assert text in a.answer, f"{text!r} missing: {describe(a)}"


def test_english_question_gets_english_answer(ask) -> None:
    a = ask("What is Mark's total score in Kommunkompassen?")
    assert not a.refused, describe(a)
    assert a.interpreted_query.get("lang") == "en"
    assert "510" in a.answer, describe(a)
    assert " is " in a.answer and "För " not in a.answer, describe(a)
    assert cites(a, KOMPASS, line_of(KOMPASS, "<b>Totalt</b>")), describe(a)


def test_english_sick_leave(ask) -> None:
    a = ask("What was the sick leave in Kramfors at the end of September?")
    assert "5,16" in a.answer, describe(a)


# --- refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "Hur stor är kommunstyrelsens nettokostnad 2024 i Luleå?",
            id="municipality-not-in-corpus",
        ),
        pytest.param(
            "Hur stor är kommunstyrelsens nettokostnad 2031 i Mark?",
            id="year-not-covered",
        ),
        pytest.param("Vem är kommundirektör i Mark?", id="person-not-named"),
        pytest.param(
            "Vilken sjukfrånvaro hade Kramfors 2019?",
            id="year-not-in-document",
        ),
    ],
)
def test_unanswerable_question_is_refused(ask, question: str) -> None:
    a = ask(question)
    assert a.refused, describe(a)
    assert a.answer.startswith("Det framgår inte av dokumenten"), describe(a)
    for figure in ("205,6", "207,0", "5,16"):
        assert figure not in a.answer, describe(a)
