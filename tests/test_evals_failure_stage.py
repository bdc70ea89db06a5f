"""The failure anatomy in the eval report: wrong answers by deciding stage."""

from __future__ import annotations

from types import SimpleNamespace

from evals.report import failure_stage


def _run(trace: dict) -> SimpleNamespace:
    return SimpleNamespace(answer=SimpleNamespace(trace=trace))


def test_a_refusal_is_counted_with_the_kind_of_its_reason() -> None:
    trace = {
        "stage": "answerability",
        "parts": [
            {"stage": "answerability", "reason": "P(answerable) 0.31 < 0.5 (topic 0.3)"}
        ],
    }
    assert failure_stage(_run(trace)) == ("answerability", "P(answerable)")
    scope = {"stage": "scope", "parts": [{"reason": "year 2026 not in the documents"}]}
    assert failure_stage(_run(scope)) == ("scope", "year 2026 not in the documents")


def test_a_wrong_answer_without_refusal_says_so() -> None:
    trace = {
        "stage": "table lookup",
        "parts": [{"stage": "table lookup", "reason": ""}],
    }
    assert failure_stage(_run(trace)) == (
        "table lookup",
        "answered, but wrong or incomplete",
    )
    assert failure_stage(_run({})) == (
        "(no trace)",
        "answered, but wrong or incomplete",
    )
