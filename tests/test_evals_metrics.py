"""Metrics on hand-made cases, including the ones that must fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models import Answer, Citation, Hit
from evals.cases import EvalCase
from evals.documents import DocumentLibrary
from evals.metrics import (
    LineSpan,
    Reply,
    aggregate,
    citation_problems,
    citation_support,
    is_refusal,
    locate_quote,
    missing_groups,
    normalize_text,
    percentile,
    retrieval_rank,
    score_case,
    summarize,
)

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARKS = "000_965797b1dd14ccdb.txt"
ENKOPING = "003_034fdc850437dc3c.txt"

# A tiny in-memory corpus for the citation checks: doc -> lines.
LINES = {
    "a.txt": ("# Budget", "Rad\tBudget 2024", "Nettokostnader\t-205,6", "Slut"),
    "b.txt": ("Intro", "Sjukfrånvaro 4,5 %"),
}


def lines_of(doc: str) -> tuple[str, ...] | None:
    return LINES.get(doc)


def cite(n: int, doc: str, start: int, end: int, text: str | None = None) -> Citation:
    if text is None:
        text = "\n".join(LINES[doc][start - 1 : end])
    return Citation(n, doc, doc, "", start, end, text)


def hit(doc: str, start: int, end: int) -> Hit:
    return Hit(f"{doc}:{start}", doc, "", start, end, "", "text", 0.5)


def answer(text: str, refused: bool = False, citations=(), retrieved=()) -> Answer:
    return Answer(
        "q", text, refused, citations=tuple(citations), retrieved=tuple(retrieved)
    )


def case(**kw) -> EvalCase:
    base = dict(
        id="q1",
        question="Vad är nettokostnaden 2024?",
        lang="sv",
        type="number",
        answer="-205,6 mnkr",
        must_contain=(("205,6",),),
        sources=(("a.txt", "Nettokostnader\t-205,6"),),
    )
    base.update(kw)
    return EvalCase(**base)


SPANS_A = ((LineSpan("a.txt", 3, 3),),)


# --- must_contain -----------------------------------------------------------------


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u2009", "\u202f", "\t", "  \n "])
def test_must_contain_treats_every_whitespace_kind_as_one_space(space: str) -> None:
    text = f"Kostnaden per arbetsplats är 27{space}219 KR år 2023."
    assert missing_groups(text, [["27 219 kr"]]) == ()
    assert missing_groups("Kostnaden är 27 219 kr", [[f"27{space}219"]]) == ()


def test_must_contain_needs_every_group_and_any_alternative() -> None:
    groups = [["46,8", "46.8"], "mnkr"]
    assert (
        missing_groups("Nettokostnad 46.8 MNKR", [tuple(g) for g in groups[:1]]) == ()
    )
    assert missing_groups("Nettokostnad 46,8 mnkr", [("46,8", "46.8"), ("mnkr",)]) == ()
    assert missing_groups("Nettokostnad 46,8 tkr", [("46,8", "46.8"), ("mnkr",)]) == (
        ("mnkr",),
    )
    assert missing_groups("Nettokostnad 46 mnkr", [("46,8",)]) == (("46,8",),)


def test_normalize_text_casefolds_and_collapses() -> None:
    assert normalize_text("  Budget\u00a02024\u2009MNKR\n") == "budget 2024 mnkr"


# --- refusal ----------------------------------------------------------------------


def test_refusal_by_flag_or_by_the_fixed_sentence() -> None:
    assert is_refusal(answer("anything", refused=True))
    assert is_refusal(answer("Det framgår inte av dokumenten. Närmast relaterat: …"))
    assert is_refusal(answer("the documents do not say."))
    assert is_refusal(
        answer("**Interpreted as:** Enköping, 2024\n\nThe documents do not say.")
    )
    assert is_refusal(
        answer(
            "Tolkat som: budget 2025, Kommunstyrelsen\nDet framgår inte av dokumenten."
        )
    )


def test_refusal_sentence_in_the_middle_is_not_a_refusal() -> None:
    assert not is_refusal(
        answer("Budgeten är 205,6 mnkr [1]; det framgår inte av dokumenten för 2026.")
    )


def test_correct_text_but_refused_is_wrong_and_a_false_refusal() -> None:
    a = answer(
        "Det framgår inte av dokumenten. Närmast: -205,6 [1]",
        citations=[cite(1, "a.txt", 3, 3)],
    )
    s = score_case(case(), Reply(a, 10.0), SPANS_A, lines_of)
    assert s.answer_correct is False
    assert s.false_refusal is True
    assert s.correct is False
    assert s.refusal_correct is None


def test_expected_refusal_scores_refusal_accuracy_only() -> None:
    c = case(type="unanswerable", expect_refusal=True, must_contain=(), sources=())
    refused = score_case(
        c, Reply(answer("Det framgår inte av dokumenten."), 1.0), (), lines_of
    )
    assert refused.refusal_correct is True and refused.correct is True
    assert refused.answer_correct is None and refused.false_refusal is None
    assert refused.citation_supported is None and refused.hits is None
    invented = score_case(c, Reply(answer("Budgeten är 12 mnkr."), 1.0), (), lines_of)
    assert invented.refusal_correct is False and invented.correct is False


# --- citation support -------------------------------------------------------------


def test_right_number_but_wrong_document_cited_is_unsupported() -> None:
    a = answer("Nettokostnaden är 205,6 mnkr [1].", citations=[cite(1, "b.txt", 2, 2)])
    s = score_case(case(), Reply(a, 1.0), SPANS_A, lines_of)
    assert s.answer_correct is True
    assert s.citation_supported is False


def test_citation_outside_the_source_lines_is_unsupported() -> None:
    outside = answer("205,6 [1]", citations=[cite(1, "a.txt", 1, 2)])
    assert citation_support(SPANS_A, outside) is False
    covering = answer("205,6 [1]", citations=[cite(1, "a.txt", 2, 4)])
    assert citation_support(SPANS_A, covering) is True


def test_every_source_document_must_be_supported() -> None:
    spans = ((LineSpan("a.txt", 3, 3),), (LineSpan("b.txt", 2, 2),))
    one = answer("x [1]", citations=[cite(1, "a.txt", 3, 3)])
    both = answer(
        "x [1] [2]", citations=[cite(1, "a.txt", 3, 3), cite(2, "b.txt", 2, 2)]
    )
    assert citation_support(spans, one) is False
    assert citation_support(spans, both) is True
    assert citation_support((), both) is None


# --- quotes in real documents -----------------------------------------------------


def test_locate_quote_across_lines_and_whitespace_in_a_real_table() -> None:
    lines = DocumentLibrary(DOCS).lines(MARKS)
    assert lines is not None
    # A table row (tabs, trailing empty cells) followed by the next row's label.
    spans = locate_quote(
        MARKS, lines, "Effektiviseringskrav 8,7\n<b>Nettokostnader</b>"
    )
    assert spans == (LineSpan(MARKS, 443, 444),)
    nbsp = locate_quote(MARKS, lines, "arbetsplats är 2023 27\u00a0219 kr")
    assert nbsp == (LineSpan(MARKS, 601, 601),)
    assert locate_quote(MARKS, lines, "arbetsplats är 2023 99 999 kr") == ()


def test_locate_quote_returns_every_occurrence() -> None:
    lines = DocumentLibrary(DOCS).lines(ENKOPING)
    assert lines is not None
    quote = "sjukfrånvaron på kommunledningsförvaltningen är fortsatt låg"
    spans = locate_quote(ENKOPING, lines, quote)
    assert len(spans) >= 2
    for span in spans:
        assert quote in lines[span.start - 1]


# --- retrieval --------------------------------------------------------------------


def test_retrieval_rank_hits_and_mrr() -> None:
    retrieved = [hit("b.txt", 1, 2), hit("a.txt", 1, 1), hit("a.txt", 2, 3)]
    a = answer("205,6", retrieved=retrieved)
    assert retrieval_rank(SPANS_A, a) == 3
    s = score_case(case(), Reply(a, 1.0), SPANS_A, lines_of)
    assert s.hits == {1: False, 5: True, 10: True}
    assert s.reciprocal_rank == pytest.approx(1 / 3)


def test_retrieval_miss_and_multi_document_rank() -> None:
    miss = answer("x", retrieved=[hit("a.txt", 1, 2)] + [hit("b.txt", 1, 1)] * 12)
    s = score_case(case(), Reply(miss, 1.0), SPANS_A, lines_of)
    assert s.retrieval_rank is None and s.reciprocal_rank == 0.0
    assert s.hits == {1: False, 5: False, 10: False}
    spans = ((LineSpan("a.txt", 3, 3),), (LineSpan("b.txt", 2, 2),))
    both = answer(
        "x", retrieved=[hit("a.txt", 3, 3), hit("b.txt", 1, 1), hit("b.txt", 2, 2)]
    )
    assert retrieval_rank(spans, both) == 3  # complete only once both are found


# --- citation validity ------------------------------------------------------------


def test_valid_citations_have_no_problems() -> None:
    a = answer("205,6 mnkr [1]", citations=[cite(1, "a.txt", 3, 3)])
    assert citation_problems(a, lines_of) == ()
    assert score_case(case(), Reply(a, 1.0), SPANS_A, lines_of).citation_valid is True


def test_invalid_citations_are_named() -> None:
    a = answer(
        "205,6 [1] och [4] och [2] [3]",
        citations=[
            cite(1, "a.txt", 3, 3, text="Nettokostnader -205,6"),  # not the exact lines
            cite(2, "a.txt", 4, 9, text="Slut"),
            cite(3, "missing.txt", 1, 1, text="x"),
        ],
    )
    problems = citation_problems(a, lines_of)
    assert any("[4] has no citation" in p for p in problems)
    assert any("[1] text differs" in p for p in problems)
    assert any("[2] lines 4-9 outside" in p for p in problems)
    assert any("unknown document 'missing.txt'" in p for p in problems)
    assert score_case(case(), Reply(a, 1.0), SPANS_A, lines_of).citation_valid is False


def test_no_citations_at_all_is_not_counted_as_valid() -> None:
    s = score_case(case(), Reply(answer("205,6"), 1.0), SPANS_A, lines_of)
    assert s.citation_valid is None


# --- aggregation ------------------------------------------------------------------


def test_percentile_interpolates() -> None:
    assert percentile([], 50) is None
    assert percentile([10.0], 95) == 10.0
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_aggregate_counts_only_applicable_questions() -> None:
    good = answer(
        "205,6 [1]", citations=[cite(1, "a.txt", 3, 3)], retrieved=[hit("a.txt", 3, 3)]
    )
    wrong = answer("12 mnkr")
    unans = case(
        id="u",
        type="unanswerable",
        lang="en",
        expect_refusal=True,
        must_contain=(),
        sources=(),
    )
    scores = [
        score_case(case(id="a"), Reply(good, 100.0), SPANS_A, lines_of),
        score_case(case(id="b"), Reply(wrong, 300.0), SPANS_A, lines_of),
        score_case(
            unans, Reply(answer("The documents do not say."), 200.0), (), lines_of
        ),
    ]
    agg = aggregate(scores)
    assert agg["correct"] == {"value": pytest.approx(2 / 3), "n": 3}
    assert agg["answer_accuracy"] == {"value": 0.5, "n": 2}
    # Both answerable cases are of type "number"; the unanswerable one is not counted.
    assert agg["numeric_accuracy"] == {"value": 0.5, "n": 2}
    assert agg["refusal_accuracy"] == {"value": 1.0, "n": 1}
    assert agg["false_refusal_rate"] == {"value": 0.0, "n": 2}
    assert agg["citation_support"] == {"value": 0.5, "n": 2}
    assert agg["citation_validity"] == {"value": 1.0, "n": 1}
    assert agg["hit@1"] == {"value": 0.5, "n": 2}
    assert agg["mrr"] == {"value": 0.5, "n": 2}
    assert agg["latency_ms"]["p50"] == 200.0
    summary = summarize(scores)
    assert set(summary["by_type"]) == {"number", "unanswerable"}
    assert summary["by_lang"]["en"]["questions"] == 1
    assert summary["by_type"]["number"]["answer_accuracy"]["value"] == 0.5
