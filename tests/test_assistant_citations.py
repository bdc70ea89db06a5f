"""Generic answer checks over a fixed, varied question list (real model + index).

Each check is a property every answer must have, whatever the question: markers
resolve, citations are the exact original lines, numeric answers state only cited
figures, ten or more passages are retrieved best first, the --json keys hold.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from assistant_fixtures import GENERIC_CHECKS

from assistant.models import Answer

pytestmark = pytest.mark.integration

MARK = "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"
KRAMFORS = "Hur hög var sjukfrånvaron i Kramfors per sista september?"
ENKOPING = "Hur stor är kommunstyrelsens driftsbudget 2023 i Enköping?"

# (question, history): numbers, prose, lists, English, follow-ups, refusals.
QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (MARK, ()),
    ("Och 2025?", (MARK,)),
    ("Och intäkterna?", (MARK,)),
    ("Vad var prognosen för 2023 för kommunstyrelsens intäkter i Mark?", ()),
    ("Hur stora är personalkostnaderna i Marks budget 2025?", ()),
    ("Vilka fyra strategiska områden har Marks kommun?", ()),
    ("Vilka är Marks kommungemensamma mål?", ()),
    ("Vad är Marks värdegrund?", ()),
    ("Hur mycket ingår för överförmyndarverksamheten i budgetramen i Mark?", ()),
    ("Vilken totalpoäng fick Mark i Kommunkompassen?", ()),
    ("Hur många poäng fick Mark i Kommunkompassen 2022?", ()),
    ("Vilka styrkor lyfter Kommunkompassen fram för Mark?", ()),
    (KRAMFORS, ()),
    # Multi-part questions: one numbering across the parts.
    (
        "Hur många kontorsarbetsplatser har kommunstyrelsen i Mark, och vad "
        "kostar en arbetsplats per år?",
        (),
    ),
    ("Vad är Kommunkompassen och vilket resultat fick Mark?", ()),
    ("Vem är kommundirektör i Kramfors, och vilka risker har högst riskvärde?", ()),
    ("Och för kvinnorna?", (KRAMFORS,)),
    ("Vilka kostnader för frånvaro hade kommunstyrelsen i Kramfors?", ()),
    ("Vad är kommunledningsförvaltningens uppdrag i Kramfors?", ()),
    (ENKOPING, ()),
    ("Och utfallet?", (ENKOPING,)),
    ("Vilket överskott visar kommunstyrelsens prognos för 2023 i Enköping?", ()),
    ("Hur stor är investeringsbudgeten för kommunstyrelsen i Enköping?", ()),
    (
        "Vad är prognosen för personalkostnader helår 2023 för kommunstyrelsen "
        "i Enköping?",
        (),
    ),
    ("Hur stora är lokalhyrorna i Enköping enligt budget 2023?", ()),
    ("What is Mark's total score in Kommunkompassen?", ()),
    ("What is the 2024 budget for net costs in Mark?", ()),
    ("Which are the four strategic areas in Mark?", ()),
    ("What was the sick leave in Kramfors at the end of September?", ()),
    ("Vem är kommundirektör i Mark?", ()),
    ("Hur stor är kommunstyrelsens nettokostnad 2024 i Luleå?", ()),
    ("Hur stor är kommunstyrelsens nettokostnad 2031 i Mark?", ()),
    ("Vad kostar en ny simhall i Kramfors?", ()),
)


@pytest.fixture(scope="module")
def answers(real_assistant) -> dict[int, Answer]:
    """Every question asked once; each check then runs over all answers."""
    return {
        i: real_assistant.ask(q, history=list(h)) for i, (q, h) in enumerate(QUESTIONS)
    }


def test_question_list_is_varied(answers: dict[int, Answer]) -> None:
    # The checks below only mean something if the list exercises every path.
    got = list(answers.values())
    assert len(got) >= 30
    assert any(a.refused for a in got) and any(not a.refused for a in got)
    assert any(a.facts for a in got), "no numeric (lookup) answer"
    assert any(not a.facts and not a.refused for a in got), "no prose answer"
    assert any(a.interpretation for a in got), "no follow-up was carried"
    assert any(a.interpreted_query.get("lang") == "en" for a in got)


@pytest.mark.parametrize("check", GENERIC_CHECKS, ids=lambda c: c.__name__)
def test_every_answer_passes(
    answers: dict[int, Answer], check: Callable[[Answer], None]
) -> None:
    failures = []
    for i, answer in answers.items():
        try:
            check(answer)
        except AssertionError as error:
            failures.append(f"{QUESTIONS[i][0]!r}: {error}")
    assert not failures, "\n".join(failures)
