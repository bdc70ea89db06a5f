"""Counts, foreign municipalities, costs not stated and parts that point back, on the
real assistant.

Each asked in words of its own; values and lines are read from the sample
documents, and every answer passes ``check_well_formed``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from assistant_fixtures import (
    ENKOPING,
    KOMPASS,
    KRAMFORS,
    cites,
    describe,
    document_lines,
    line_of,
)

from assistant.models import Answer
from corpus.numbers import parse_number

pytestmark = pytest.mark.integration

Ask = Callable[[str], Answer]


def _line_with(doc: str, text: str) -> int:
    found = [n for n, line in enumerate(document_lines(doc), 1) if text in line]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    "question",
    [
        "Hur många system har kommunstyrelsen i Kramfors i sin ägo?",
        "How many IT systems is the Kramfors executive board responsible for?",
    ],
)
def test_a_count_is_read_from_the_sentence_that_counts(ask: Ask, question: str):
    """The risk table has a row on IT systems with scores (4, 3, 12); the count
    is in the text beside it ("73 system")."""
    line = _line_with(KRAMFORS, "73 system i sin ägo")
    a = ask(question)
    assert not a.refused and "73" in a.answer, describe(a)
    assert cites(a, KRAMFORS, line), describe(a)


def test_points_in_a_table_introduced_as_points_are_still_a_count(ask: Ask):
    """ "Poäng" is only in the sentence before the table ("Marks totalpoäng ...");
    the table still counts points."""
    row = line_of(KOMPASS, "<b>3 Styrning och kontroll</b>")
    cells = document_lines(KOMPASS)[row - 1].split("\t")
    a = ask("Hur många poäng fick Mark för styrning och kontroll 2024?")
    assert not a.refused and cells[1] in a.answer, describe(a)
    assert cites(a, KOMPASS, row), describe(a)


def test_a_municipality_owning_what_is_asked_is_out_of_scope(ask: Ask):
    """Kungsbacka is named in Mark's plan (as a neighbour) but no document is
    Kungsbacka's: its budget is refused at the scope check, in either language."""
    for question in (
        "Hur stor är Kungsbackas driftbudget för 2024?",
        "How big is Kungsbacka's operating budget?",
    ):
        a = ask(question)
        assert a.refused and a.trace["stage"] == "scope", describe(a)


def test_a_short_question_naming_only_a_neighbour_and_its_budget_is_out_of_scope(
    ask: Ask,
):
    """Kramfors' plan names Härnösand (a partner); a chat's "driftbudget KS
    Härnösand 2025?" names no place of the corpus but what Härnösand owns."""
    assert any("Härnösand" in line for line in document_lines(KRAMFORS))
    a = ask("driftbudget KS Härnösand 2025?")
    assert a.refused and a.trace["stage"] == "scope", describe(a)
    # Asking Kramfors about the partner is no question about Härnösand's own.
    a = ask("Vilken avtalssamverkan har Kramfors med Härnösand?")
    assert not a.refused and "Härnösand" in a.answer, describe(a)


def test_a_cost_the_plan_does_not_state_is_refused_not_quoted(ask: Ask):
    """Kramfors' plan lists an education plan for elected members among its tasks
    but gives no cost for it: the cost question is refused, with the nearest
    passage, instead of quoting the task list."""
    a = ask("Vad kostar utbildningsplanen för förtroendevalda i Kramfors?")
    assert a.refused, describe(a)
    # A cost the plan does state is still answered with it.
    a = ask("Vad kostar en kontorsarbetsplats per år i Mark 2024?")
    assert not a.refused and "28 281 kr" in a.answer, describe(a)


def test_a_count_the_plan_does_not_state_is_refused(ask: Ask):
    """Kramfors' plan names its inhabitants only in goals and tasks, never counts
    them: "how many" is refused. A count written as a word still answers."""
    a = ask("Hur många invånare har Kramfors 2025?")
    assert a.refused and "no count" in a.trace["parts"][0]["reason"], describe(a)
    a = ask("Hur många utvecklingsgrupper startades i Mark 2023?")
    assert not a.refused and "tre utvecklingsgrupper" in a.answer, describe(a)


def test_a_part_pointing_back_is_asked_about_the_row_the_first_part_found(ask: Ask):
    """ "..., och vad förklarar det?": the first part ranks the operations table
    (largest surplus against budget); the second explains that row's deviation."""
    row = document_lines(ENKOPING)[line_of(ENKOPING, "Kommunledningsförvaltning\t") - 1]
    surplus = row.split("\t")[-1]
    reason = _line_with(ENKOPING, "vakanta tjänster")
    a = ask(
        "Vilken verksamhet hos kommunstyrelsen i Enköping har störst överskott "
        "mot budget 2023, och vad förklarar det?"
    )
    assert "Kommunledningsförvaltning" in a.answer and surplus in a.answer, describe(a)
    assert cites(a, ENKOPING, reason), describe(a)


def test_a_part_pointing_back_looks_up_the_row_the_first_part_ranked(ask: Ask):
    """ "..., och vad får den i budget 2025?": "den" is the department the first
    part ranks highest by staff; its budget row is looked up, not the table's
    total that the carried topic ("tillsvidareanställda") would find."""
    lines = document_lines(KRAMFORS)
    staff = [
        cells
        for line in lines
        if len(cells := line.split("\t")) == 4 and cells[1].isdigit()
    ]
    top = max((c for c in staff if c[0] != "Totalt"), key=lambda c: int(c[1]))
    budget = next(
        line.split("\t")[2]
        for line in lines
        if line.startswith(f"{top[0]}\t") and " " in line.split("\t")[1]
    )
    a = ask(
        "Vilken avdelning i Kramfors har flest tillsvidareanställda, "
        "och vad får den i budget 2025?"
    )
    assert top[0] in a.answer and budget in a.answer, describe(a)


def test_the_owners_operating_budget_is_the_total_of_a_table_that_says_no_drift(
    ask: Ask,
):
    """Kramfors prints its operating budget as "Detaljbudget per område", the
    first row the sum of those below; no row or caption says "drift". The board's
    "driftbudget" is that total, not refused and not a row named like the board."""
    lines = document_lines(KRAMFORS)
    start = line_of(KRAMFORS, "Detaljbudget per område\t")
    rows = []  # (line number, cells) of the labelled rows under the header
    for number in range(start + 1, len(lines) + 1):
        cells = lines[number - 1].split("\t")
        if not lines[number - 1].strip():
            break
        if cells[0].strip():
            rows.append((number, cells))
    total_line, total = rows[0]
    below = sum(parse_number(cells[2]).value for _, cells in rows[1:])
    assert below == parse_number(total[2]).value  # the first row sums the rest
    a = ask("Vad är kommunstyrelsens driftbudget i Kramfors för 2025?")
    assert not a.refused and total[2] in a.answer, describe(a)
    assert cites(a, KRAMFORS, total_line), describe(a)
