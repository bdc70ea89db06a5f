"""Answering features on the real index: rankings, shares, comparisons, lists,
definitions, columns named by the question, ambiguity between two tables."""

from __future__ import annotations

import pytest
from assistant_fixtures import check_well_formed, cites, describe, line_of

pytestmark = pytest.mark.integration

MARK_PLAN = "000_965797b1dd14ccdb.txt"
KOMPASS = "001_044694e4ac685f9b.txt"
KRAMFORS = "002_1a38c4bd8c4b403d.txt"
ENKOPING = "003_034fdc850437dc3c.txt"


@pytest.fixture(scope="module")
def ask(real_assistant):
    def _ask(question: str, history: list[str] | None = None):
        answer = real_assistant.ask(question, history=history or [])
        check_well_formed(answer)
        return answer

    return _ask


def test_superlative_ranks_the_rows_of_a_table(ask) -> None:
    a = ask("Vilket område fick lägst poäng för Mark i Kommunkompassen 2024?")
    assert not a.refused, describe(a)
    assert "Kvalitetsutveckling" in a.answer and "52" in a.answer, describe(a)
    assert cites(a, KOMPASS, line_of(KOMPASS, "<b>6 Kvalitetsutveckling</b>")), (
        describe(a)
    )


def test_highest_risk_values_are_listed_with_ties(ask) -> None:
    a = ask("Vilka risker har högst totalpoäng i Kramfors riskvärdering?")
    assert not a.refused, describe(a)
    assert "12" in a.answer and "Strömavbrott" not in a.answer, describe(a)
    assert len(a.facts) >= 2 and all(f.value == 12 for f in a.facts), describe(a)


def test_share_of_budget_is_computed_with_its_inputs(ask) -> None:
    a = ask(
        "Hur stor del av Enköpings kommunstyrelses investeringsbudget 2023 "
        "hade använts till och med augusti?"
    )
    assert "3,5 / 15,3 = 22,9 %" in a.answer, describe(a)
    assert cites(a, ENKOPING, line_of(ENKOPING, "Totalt (mnr)")), describe(a)


def test_two_municipalities_are_answered_each_from_its_own_documents(ask) -> None:
    a = ask("Jämför sjukfrånvaron i Kramfors och Enköping.")
    assert "Kramfors kommun:" in a.answer and "Enköpings kommun:" in a.answer
    assert "5,16" in a.answer, describe(a)
    assert {c.doc for c in a.citations} == {KRAMFORS, ENKOPING}, describe(a)


def test_two_equally_good_tables_are_both_shown_and_the_user_is_asked(ask) -> None:
    a = ask("Vad är budgeten för personalkostnader 2023 i Enköpings delårsrapport?")
    assert "124,8" in a.answer and "8,8" in a.answer, describe(a)
    assert "Vilken menar du?" in a.answer, describe(a)


def test_question_about_one_organ_avoids_the_other_organs_table(ask) -> None:
    a = ask(
        "Vad är prognosen för personalkostnader helår 2023 för kommunstyrelsen i Enköping?"
    )
    assert "121,3" in a.answer and "8,8" not in a.answer, describe(a)


def test_a_column_named_by_the_question_is_answered(ask) -> None:
    a = ask(
        "Vilket medelvärde för området Kvalitetsutveckling redovisas i Kommunkompassen?"
    )
    assert not a.refused, describe(a)
    assert "57" in a.answer, describe(a)


def test_list_from_the_asked_column_of_a_list_table(ask) -> None:
    a = ask(
        "Vilka förbättringsmöjligheter finns inom effektivitet enligt Kommunkompassen?"
    )
    assert not a.refused, describe(a)
    assert "effektivitetsvinster" in a.answer, describe(a)
    assert "Samspel mellan förtroendevalda" not in a.answer, describe(a)


def test_definition_sentence_is_preferred(ask) -> None:
    a = ask("Vad är Chefoskopet?")
    assert "Chefoskopet är ett verktyg" in a.answer, describe(a)


def test_number_found_in_prose_also_cites_the_prose_line(ask) -> None:
    a = ask("Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?")
    assert "207,0" in a.answer, describe(a)
    assert cites(a, MARK_PLAN, line_of(MARK_PLAN, "<b>Nettokostnader</b>")), describe(a)
    assert cites(a, MARK_PLAN, line_of(MARK_PLAN, "Driftbudgeten uppgår")), describe(a)


def test_a_year_no_document_mentions_is_refused(ask) -> None:
    a = ask("Hur stor var kommunstyrelsens nettokostnad 2031 i Mark?")
    assert a.refused and "207,0" not in a.answer, describe(a)


def test_name_of_a_thing_is_not_a_person_question(ask) -> None:
    a = ask("Vad heter Enköpings projektstyrningsmodell?")
    assert not a.refused and "Em3" in a.answer, describe(a)
