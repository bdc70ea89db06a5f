"""Rows kept by a comparison: a change with a sign between two year columns, a
figure the question writes, or a column it names after the comparison word."""

from __future__ import annotations

from assistant_fixtures import compare_in, named_rows_in, ranked_in

from assistant.models import Fact
from assistant.tables.row_compare import comparison_side, split_at_cue
from corpus.models import DocumentMeta

META = DocumentMeta(
    doc="plan.txt",
    title="Verksamhetsplan 2025",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="verksamhetsplan",
    period="2025",
)
TEXT = """# Verksamhetsplan 2025

## Detaljbudget

Område (tkr)\tBudget helår 2024\tBudget helår 2025
Kansli\t3 800\t4 100
Valnämnd\t650\t54
Ekonomi\t7 200\t7 900
Summa\t11 650\t12 054

## Utvärdering

Område\tProv 2024\tProv 2022\tMedel 2020-
1 Styrning\t70\t61\t66
2 Effektivitet\t63\t55\t64
3 Kvalitet\t52\t49\t57

## Resultaträkning

Post (mnkr)\tBudget 2025\tPrognos 2025\tAvvikelse mot budget
Intäkter\t20,3\t19,0\t-1,3
Personalkostnader\t-124,8\t-121,3\t3,5
Lokalhyror\t-7,9\t-8,4\t-0,5
"""


def _labels(question: str) -> list[str]:
    found = compare_in(TEXT, META, question)
    assert found is not None, question
    return list(dict.fromkeys(f.label for f in found.facts))


def _facts(question: str) -> tuple[Fact, ...]:
    found = compare_in(TEXT, META, question)
    assert found is not None, question
    return found.facts


def test_a_change_with_a_sign_keeps_the_rows_that_fall_or_rise():
    assert _labels("Vilken post i detaljbudgeten minskar från 2024 till 2025?") == [
        "Valnämnd"
    ]
    assert _labels(
        "Which items of the detailed budget increase from 2024 to 2025?"
    ) == [
        "Kansli",
        "Ekonomi",
    ]  # the total row is not an item


def test_a_column_named_after_the_comparison_word_is_the_reference():
    facts = _facts("I vilka områden ligger Prov 2024 under medelvärdet?")
    assert [f.label for f in facts] == [
        "2 Effektivitet",
        "2 Effektivitet",
        "3 Kvalitet",
        "3 Kvalitet",
    ]
    assert {f.column for f in facts} == {"Prov 2024", "Medel 2020-"}


def test_costs_printed_negative_are_compared_by_size():
    # "Above budget": the cost forecast is larger than the budgeted cost.
    assert _labels("Vilka poster har en prognos över budget?") == ["Lokalhyror"]
    assert _labels("Vilka poster har en prognos under budget?") == [
        "Intäkter",
        "Personalkostnader",
    ]


def test_a_figure_in_the_question_is_the_threshold_for_the_named_column():
    assert _labels("Vilka områden har fler än 7 000 tkr i budget helår 2025?") == [
        "Ekonomi"
    ]


def test_a_paragraph_number_is_no_threshold():
    # "under § 17" names where the fees stand, not a figure to compare with.
    question = "Vilka områden har budget helår 2025 under § 17?"
    assert compare_in(TEXT, META, question) is None
    assert compare_in(TEXT, META, question.replace("§ ", "")) is not None


def test_no_row_on_the_asked_side_is_said_from_the_best_ranked_table():
    question = "Vilka områden har över 80 i Prov 2022?"
    found = compare_in(TEXT, META, question, tables=slice(1, None))
    assert found is not None and found.ranking == "above-none:80"
    assert len({f.line for f in found.facts}) == 3  # the rows compared, cited


def test_questions_that_do_not_compare_rows_are_left_to_the_lookup():
    assert comparison_side("Hur stor är budgeten för Kansli 2025?") is None
    assert comparison_side("Vilket område har högst poäng?") is None  # a ranking
    assert comparison_side("Vilka områden ligger under medelvärdet?") == "below"
    assert split_at_cue("har prognosen över budget?") == ("har prognosen", "budget?")
    # Tables without the compared column compare nothing.
    assert compare_in(TEXT, META, "Vilka områden ligger under målet?") is None
    # "över- eller underskott" is a word's first part, not a comparison.
    assert comparison_side("Vilket resultat blir det, över- eller underskott?") is None


INVESTMENTS = """# Investeringsbudget 2025

## Investeringar (tkr)

Projekt\t2025\t2026\tAnsvarig
Tak Bollhallen\t\t100\tFritid
Sportgolv Bollhallen\t\t1 000\tFritid
Konstgräs IP\t4 500\t\tFritid
Träningsmaskiner Bollhallen\t150\t\tFritid
IT investeringar\t5 000\t5 000\tIT
"""


def test_a_list_question_gets_every_row_that_names_the_asked_thing():
    found = named_rows_in(INVESTMENTS, META, "Vilka investeringar görs i Bollhallen?")
    assert found is not None and found.ranking == "listed:Bollhallen"
    rows = {(f.label, f.column, f.value) for f in found.facts}
    assert rows == {
        ("Tak Bollhallen", "2026", 100.0),
        ("Sportgolv Bollhallen", "2026", 1000.0),
        ("Träningsmaskiner Bollhallen", "2025", 150.0),
    }
    # A common word is no name: a list question about it is left to the text.
    assert named_rows_in(INVESTMENTS, META, "Vilka investeringar görs inom it?") is None


def test_rows_named_only_by_their_kind_are_ranked_in_the_best_ranked_table():
    # No row label says "post" or "område": retrieval chose the table.
    found = ranked_in(TEXT, META, "Vilket område ökar mest från 2024 till 2025?")
    assert found is not None and found.ranking == "max-change"
    assert found.facts[0].label == "Ekonomi"  # +700 tkr; the total row is left out
    found = ranked_in(TEXT, META, "Which item is the biggest in 2025?")
    assert found is not None and found.facts[0].label == "Ekonomi"
    # A table without the asked year is passed over; none has 2030.
    assert ranked_in(TEXT, META, "Vilket område är störst 2030?") is None


SCORES = """# Utvärdering 2024

## Poäng per delområde

Delområde\tUppnått\tMax
1.1 Strategi\t12\t20
1.2 Information\t7\t10
1.3 Dialog\t20\t30
1.4 Transparens\t4\t10
"""


def test_a_ranking_relative_to_the_maximum_ranks_the_share():
    found = ranked_in(
        SCORES, META, "Vilket delområde fick lägst poäng i förhållande till max?"
    )
    assert found is not None
    assert [(f.label, f.column, f.value) for f in found.facts[:2]] == [
        ("1.4 Transparens", "Uppnått", 4.0),
        ("1.4 Transparens", "Max", 10.0),
    ]
    # By points alone the lowest is the same row here; the highest share is not
    # the highest score (20 of 30 against 7 of 10).
    found = ranked_in(
        SCORES, META, "Which sub-area scored best relative to its maximum?"
    )
    assert found is not None and found.facts[0].label == "1.2 Information"


BUDGET = """# Nämndplan 2024

## Driftbudget

Driftbudget (mnkr)\tBudget 2023\tPrognos 2023\tBudget 2024
Intäkter\t12,8\t14,7\t13,9
Personalkostnader\t-83\t-79,6\t-94,3
"""


def test_a_change_compares_the_same_kind_of_column_in_both_years():
    # Intäkter rise from budget to budget (12,8 -> 13,9), not from the forecast.
    found = compare_in(BUDGET, META, "Vilka poster ökar från 2023 till 2024?")
    assert found is not None
    assert [(f.label, f.column) for f in found.facts] == [
        ("Intäkter", "Budget 2024"),
        ("Intäkter", "Budget 2023"),
        ("Personalkostnader", "Budget 2024"),
        ("Personalkostnader", "Budget 2023"),
    ]
