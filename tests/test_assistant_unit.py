"""The answering pipeline without the model: the sample documents indexed with the
hashing fake embedder (session-scoped, a few seconds), real lookup and composition."""

from __future__ import annotations

import json

from assistant_fixtures import (
    ANSWER_KEYS,
    MARK_PLAN,
    check_well_formed,
    cites,
    describe,
    line_of,
)

from assistant.models import Filters

MARK_NET_2024 = "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"


def test_number_lookup_answers_from_the_budget_2024_cell(hash_assistant) -> None:
    a = hash_assistant.ask(MARK_NET_2024)
    check_well_formed(a)
    assert not a.refused, describe(a)
    assert "205,6" in a.answer and "207,0" not in a.answer, describe(a)
    row = line_of(MARK_PLAN, "<b>Nettokostnader</b>")
    assert cites(a, MARK_PLAN, row), describe(a)
    assert any(
        f.value == -205.6 and f.year == 2024 and f.line == row for f in a.facts
    ), a.facts


def test_follow_up_carries_municipality_and_metric(hash_assistant) -> None:
    a = hash_assistant.ask("Och 2025?", history=[MARK_NET_2024])
    check_well_formed(a)
    assert "207,0" in a.answer and "205,6" not in a.answer, describe(a)
    assert "municipality" in a.interpreted_query.get("carried", ()), a.interpreted_query
    assert a.interpreted_query.get("years") == (2025,)


def test_interpretation_line_only_when_something_was_carried(hash_assistant) -> None:
    fresh = hash_assistant.ask(MARK_NET_2024)
    assert fresh.interpretation == ""
    follow = hash_assistant.ask("Och 2025?", history=[MARK_NET_2024])
    assert follow.interpretation.startswith("Tolkat som: ")
    assert "Marks kommun" in follow.interpretation
    assert "2025" in follow.interpretation and "2024" not in follow.interpretation


def test_english_follow_up_is_interpreted_in_english(hash_assistant) -> None:
    a = hash_assistant.ask(
        "And for 2025?", history=["What is the net cost 2024 in Mark?"]
    )
    assert a.interpretation.startswith("Interpreted as: "), describe(a)


def test_unknown_municipality_is_refused(hash_assistant) -> None:
    a = hash_assistant.ask("Hur stor är kommunstyrelsens nettokostnad 2024 i Luleå?")
    check_well_formed(a)
    assert a.refused and not a.facts, describe(a)
    assert a.answer.startswith("Det framgår inte av dokumenten"), describe(a)
    assert "205,6" not in a.answer


def test_filter_to_another_municipality_hides_marks_figure(hash_assistant) -> None:
    a = hash_assistant.ask(
        "Hur stor är kommunstyrelsens nettokostnad 2024?",
        filters=Filters(municipality="Kramfors kommun"),
    )
    check_well_formed(a)
    assert all(c.doc != MARK_PLAN for c in a.citations), describe(a)
    assert "205,6" not in a.answer, describe(a)


def test_to_json_has_the_contract_keys(hash_assistant) -> None:
    for a in (
        hash_assistant.ask(MARK_NET_2024),
        hash_assistant.ask("Och 2025?", history=[MARK_NET_2024]),
        hash_assistant.ask("Hur stor är nettokostnaden 2024 i Luleå?"),
        hash_assistant.ask(""),
    ):
        data = a.to_json()
        assert set(data) == ANSWER_KEYS
        assert json.loads(json.dumps(data))["answer"] == a.answer
        assert data["question"] == a.question and data["refused"] is a.refused
        assert [c["n"] for c in data["citations"]] == [c.n for c in a.citations]
        assert data["latency_ms"] >= 0
