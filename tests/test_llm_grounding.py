"""The grounding check on real lines from the sample documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm.grounding import (
    INVENTED_NUMBER,
    NO_CITATION,
    NOTHING_SUPPORTED,
    REFUSAL,
    UNKNOWN_CITATION,
    build_passages,
    check_answer,
)
from assistant.models import Citation, Fact, Hit

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
MARK = "000_965797b1dd14ccdb.txt"
KRAMFORS = "002_1a38c4bd8c4b403d.txt"
ENKOPING = "003_034fdc850437dc3c.txt"


def lines(doc: str, start: int, end: int) -> str:
    return "\n".join(
        (DOCS / doc).read_text(encoding="utf-8").split("\n")[start - 1 : end]
    )


def citation(n: int, doc: str, start: int, end: int, section: str = "S") -> Citation:
    return Citation(
        n, doc, f"Titel {doc[:3]}", section, start, end, lines(doc, start, end)
    )


def hit(doc: str, start: int, end: int, section: str = "S") -> Hit:
    text = lines(doc, start, end)
    return Hit(f"{doc}:{start}", doc, section, start, end, text, "text", 0.5)


# Enköping 7.1 Resultaträkning: header + rows, "Lokalhyror ... -7,9 -7,9" on line 300.
RESULT = citation(1, ENKOPING, 292, 300, "7 Uppföljning ekonomi > 7.1 Resultaträkning")
# Kramfors 8.3: "av de 27 medarbetare som är 60 år eller äldre".
STAFF = hit(KRAMFORS, 298, 298, "8 Medarbetare > 8.3 Kompetensförsörjning")
# Kramfors: "... var 5,16 %. ... 6,10 % och männens 3,60 %."
SICK = hit(KRAMFORS, 290, 290, "8 Medarbetare > 8.2 Sjukfrånvaro")
# Mark följetal: "Antal jobb\t12 593" (a thousands space).
JOBS = hit(MARK, 563, 565, "8 Följetal > 8.1 Kommunstyrelsens följetal")


@pytest.fixture
def passages():
    return build_passages([RESULT], [STAFF, SICK, JOBS], [])


def test_build_passages_keeps_extractive_numbers_then_numbers_new_hits():
    covered = hit(ENKOPING, 300, 300)  # inside the extractive citation: not repeated
    ps = build_passages([RESULT], [covered, STAFF, SICK], [])
    assert [(p.n, p.citation.doc, p.citation.line_start) for p in ps] == [
        (1, ENKOPING, 292),
        (2, KRAMFORS, 298),
        (3, KRAMFORS, 290),
    ]
    assert ps[1].citation.text == STAFF.text  # the hit's exact lines, not model text
    assert ps[1].citation.title == KRAMFORS  # no known title: the file name
    assert len(build_passages([RESULT], [STAFF, SICK, JOBS], [], max_passages=2)) == 2


def test_supported_answer_is_kept(passages):
    text = (
        "Kommunstyrelsen har en kostnad på 7,9 mnkr för lokalhyror i budget 2023 [1]."
    )
    result = check_answer(text, passages)
    assert result.problem is None and result.dropped == 0
    assert result.text == text
    assert result.citations == (RESULT,)


@pytest.mark.parametrize(
    "printed",
    [
        "12 593",
        "12\u00a0593",
        "12\u2009593",
        "12593",
    ],
)
def test_thousands_separators_are_normalised(passages, printed):
    result = check_answer(f"Antalet jobb var {printed} år 2021 [4].", passages)
    assert result.problem is None
    assert printed in result.text


@pytest.mark.parametrize("printed", ["5,16 %", "5.16 %", "5,160 %"])
def test_decimal_comma_or_point_and_percent(passages, printed):
    result = check_answer(f"Sjukfrånvaron var {printed} [3].", passages)
    assert result.problem is None


@pytest.mark.parametrize("printed", ["-7,9", "−7,9", "–7,9", "7,9"])
def test_signs_are_ignored_so_a_cost_may_be_written_positive(passages, printed):
    result = check_answer(f"Lokalhyror: {printed} mnkr i budget 2023 [1].", passages)
    assert result.problem is None


def test_invented_number_rejects_the_whole_answer(passages):
    text = "Lokalhyror kostar 7,9 mnkr [1]. Prognosen är 8,4 mnkr [1]."
    assert check_answer(text, passages).problem == INVENTED_NUMBER


def test_invented_year_rejects_the_whole_answer(passages):
    assert check_answer("Budget 2031 är 7,9 mnkr [1].", passages).problem == (
        INVENTED_NUMBER
    )


def test_number_from_another_passage_drops_only_that_sentence(passages):
    text = "Lokalhyror kostar 7,9 mnkr [1]. Av medarbetarna är 27 över 60 år [1]."
    result = check_answer(text, passages)
    assert result.problem is None and result.dropped == 1
    assert result.text == "Lokalhyror kostar 7,9 mnkr [1]."


def test_unknown_citation_rejects_the_whole_answer(passages):
    text = "Lokalhyror kostar 7,9 mnkr [1]. Mer finns i [7]."
    assert check_answer(text, passages).problem == UNKNOWN_CITATION
    assert check_answer("Kostnad 7,9 mnkr [0].", passages).problem == UNKNOWN_CITATION


def test_answer_without_any_citation_is_rejected(passages):
    assert check_answer("Lokalhyror kostar 7,9 mnkr.", passages).problem == NO_CITATION


def test_uncited_sentence_is_dropped_and_nothing_left_is_rejected(passages):
    text = "Lokalhyror kostar 7,9 mnkr [1]. Det är en hög kostnad."
    result = check_answer(text, passages)
    assert result.text == "Lokalhyror kostar 7,9 mnkr [1]." and result.dropped == 1
    only_wrong = "Av medarbetarna är 27 över 60 år [1]."
    assert check_answer(only_wrong, passages).problem == NOTHING_SUPPORTED


def test_citations_are_renumbered_in_order_of_use(passages):
    text = "Av medarbetarna är 27 äldre än 60 år [2]. Sjukfrånvaron var 5,16 % [3, 2]."
    result = check_answer(text, passages)
    assert result.text == (
        "Av medarbetarna är 27 äldre än 60 år [1]. Sjukfrånvaron var 5,16 % [2][1]."
    )
    assert [(c.n, c.line_start) for c in result.citations] == [(1, 298), (2, 290)]
    assert [c.text for c in result.citations] == [STAFF.text, SICK.text]


def test_markers_after_the_full_stop_stay_with_their_sentence(passages):
    text = "Sjukfrånvaron var 5,16 %. [3] Av medarbetarna är 27 över 60 år. [2]"
    result = check_answer(text, passages)
    assert result.problem is None and result.dropped == 0
    assert result.text == (
        "Sjukfrånvaron var 5,16 % [1]. Av medarbetarna är 27 över 60 år [2]."
    )


def test_abbreviation_does_not_split_a_sentence(passages):
    text = "Kostnader, t.ex. Lokalhyror med 7,9 mnkr, ingår [1]."
    assert check_answer(text, passages).text == text


def test_refusal_is_reported_as_such(passages):
    result = check_answer("Det framgår inte av dokumenten.", passages)
    assert result.problem == REFUSAL


def test_question_back_and_lead_in_need_no_citation(passages):
    text = "Kramfors anger två värden [3]:\n- 6,10 % för kvinnor [3]\nVilket menar du?"
    result = check_answer(text, passages)
    assert result.problem is None and result.dropped == 0
    assert (
        result.text
        == "Kramfors anger två värden [1]:\n- 6,10 % för kvinnor [1]\n"
        + ("Vilket menar du?")
    )


def test_list_markers_are_not_numbers(passages):
    text = "Två värden [3]:\n1. 6,10 % för kvinnor [3]\n2. 3,60 % för män [3]"
    assert check_answer(text, passages).problem is None


def test_models_own_source_list_and_interpretation_line_are_removed(passages):
    text = (
        "Tolkat som: lokalhyror i budget 2023.\n"
        "Lokalhyror kostar 7,9 mnkr [1].\n\nKällor:\n[1] Delårsrapport 2099, rad 999"
    )
    result = check_answer(text, passages)
    assert result.text == "Lokalhyror kostar 7,9 mnkr [1]." and result.dropped == 0


def test_numbers_from_the_question_are_allowed(passages):
    text = "Under 2023 kostar lokalhyror 7,9 mnkr [1]."
    assert check_answer(text, passages, question="Lokalhyror 2023?").problem is None


def test_shown_computation_is_supported(passages):
    # Personalkostnader: budget -124,8, prognos -121,3, avvikelse 3,5 (line 297).
    text = "Prognosen är 121,3 mnkr mot budget 124,8 mnkr: 124,8 − 121,3 = 3,5 [1]."
    assert check_answer(text, passages).problem is None
    wrong = "Prognosen 121,3 mnkr mot budget 124,8 mnkr: skillnad 4,5 [1]."
    assert check_answer(wrong, passages).problem == INVENTED_NUMBER


def test_fact_values_support_numbers_and_are_inserted_verbatim():
    fact = Fact(
        label="Antal jobb",
        column="Utfall 2021",
        value=12593.0,
        raw="12 593",
        unit="st",
        period="utfall 2021",
        year=2021,
        kind="utfall",
        doc=MARK,
        line=565,
        table_id="000:t9",
        section_path="8 Följetal > 8.1 Kommunstyrelsens följetal",
        caption="",
        header_line=563,
    )
    ps = build_passages([], [JOBS], [fact])
    assert ps[0].facts == (fact,)
    result = check_answer("Antal jobb var 12593 år 2021 [1].", ps, [fact])
    assert result.text == "Antal jobb var 12 593 år 2021 [1]."


def test_markdown_table_keeps_head_only_with_cited_rows(passages):
    table = "| Mått | Värde | Källa |\n|---|---|---|\n| Sjukfrånvaro | 5,16 % | [3] |"
    assert check_answer(table, passages).text == table.replace("[3]", "[1]")
    uncited = (
        "Sjukfrånvaron var 5,16 % [3].\n| Mått | Värde |\n|---|---|\n| Män | 3,60 % |"
    )
    result = check_answer(uncited, passages)
    assert result.text == "Sjukfrånvaron var 5,16 % [1]." and result.dropped == 1
