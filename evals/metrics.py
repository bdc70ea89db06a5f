"""Pure metric functions over (case, answer); see evals/README.md for the definitions.

A metric that does not apply to a case returns ``None`` and is left out of that
metric's denominator, so no score is inflated by vacuous passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.models import Answer
from evals.cases import EvalCase

REFUSAL_SENTENCES = ("Det framgår inte av dokumenten", "The documents do not say")
# The composer may put its reading of a follow-up on the first line, before a refusal
# (possibly in bold markdown).
_INTERPRETATION = re.compile(r"^\W*(?:Tolkat som|Interpreted as)\b", re.IGNORECASE)
HIT_KS = (1, 5, 10)

_WHITESPACE = re.compile(
    r"\s+"
)  # str patterns: Unicode whitespace, incl. U+00A0, U+2009
_MARKER = re.compile(r"\[(\d+)\]")

LinesOf = Callable[[str], Sequence[str] | None]  # document file name -> original lines


@dataclass(frozen=True)
class LineSpan:
    """1-based inclusive line range in one document."""

    doc: str
    start: int
    end: int

    def overlaps(self, doc: str, start: int, end: int) -> bool:
        return same_doc(self.doc, doc) and start <= self.end and self.start <= end


@dataclass(frozen=True)
class CaseScore:
    """Per-question scores; ``None`` = not applicable to this question."""

    id: str
    type: str
    lang: str
    expect_refusal: bool
    refused: bool
    correct: bool  # answer_correct, or refusal_correct for expect_refusal questions
    answer_correct: bool | None
    missing_groups: tuple[tuple[str, ...], ...]
    refusal_correct: bool | None
    false_refusal: bool | None
    citation_supported: bool | None
    retrieval_rank: int | None  # rank at which the last source was found; None = missed
    hits: dict[int, bool] | None  # k -> every source within the top k
    reciprocal_rank: float | None
    citation_valid: bool | None
    citation_problems: tuple[str, ...]
    latency_ms: float
    error: str = ""


def normalize_text(text: str) -> str:
    """Case-fold and collapse every whitespace kind to one space.

    ``normalize_text("46,8\\u00a0MNKR") == "46,8 mnkr"``
    """
    return _WHITESPACE.sub(" ", text).strip().casefold()


def missing_groups(
    text: str, groups: Iterable[Sequence[str]]
) -> tuple[tuple[str, ...], ...]:
    """The ``must_contain`` groups with no alternative present in ``text``."""
    haystack = normalize_text(text)
    return tuple(
        tuple(group)
        for group in groups
        if not any(normalize_text(alt) in haystack for alt in group)
    )


def is_refusal(answer: Answer) -> bool:
    """Refused flag, or the answer opens with the fixed refusal sentence."""
    if answer.refused:
        return True
    lines = answer.answer.strip().splitlines()
    if lines and _INTERPRETATION.match(lines[0]):
        lines = lines[1:]
    opening = normalize_text("\n".join(lines))
    return opening.startswith(tuple(normalize_text(s) for s in REFUSAL_SENTENCES))


def same_doc(a: str, b: str) -> bool:
    """Names match by file name: "dir/x.txt" and "x.txt" are one document."""
    return a.rsplit("/", 1)[-1] == b.rsplit("/", 1)[-1]


def locate_quote(doc: str, lines: Sequence[str], quote: str) -> tuple[LineSpan, ...]:
    """Every line span where ``quote`` occurs, whitespace-insensitively.

    The quote may cross line breaks; tabs, runs of spaces and newlines all match one
    space. Case is kept: a quote is exact text from the document.
    """
    chars: list[str] = []
    line_of: list[int] = []
    for number, line in enumerate(lines, start=1):
        for ch in line + "\n":
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            line_of.append(number)
    text = "".join(chars)
    needle = _WHITESPACE.sub(" ", quote).strip()
    spans: list[LineSpan] = []
    start = text.find(needle) if needle else -1
    while start >= 0:
        spans.append(LineSpan(doc, line_of[start], line_of[start + len(needle) - 1]))
        start = text.find(needle, start + 1)
    return tuple(dict.fromkeys(spans))


def source_supported(
    spans: Sequence[LineSpan], cited: Iterable[tuple[str, int, int]]
) -> bool:
    """True when one of the cited (doc, start, end) ranges overlaps one of ``spans``."""
    cited = list(cited)
    return any(span.overlaps(*c) for span in spans for c in cited)


def citation_support(
    source_spans: Sequence[Sequence[LineSpan]], answer: Answer
) -> bool | None:
    """Every source document is supported by at least one citation.

    ``source_spans`` holds, per source, the quote's spans; a source without a quote is
    given as one span over the whole document (any citation of it counts).
    """
    if not source_spans:
        return None
    cited = [(c.doc, c.line_start, c.line_end) for c in answer.citations]
    return all(source_supported(spans, cited) for spans in source_spans)


def retrieval_rank(
    source_spans: Sequence[Sequence[LineSpan]], answer: Answer
) -> int | None:
    """1-based rank where the last source was first retrieved; None if one is missed."""
    if not source_spans:
        return None
    ranks: list[int] = []
    for spans in source_spans:
        rank = next(
            (
                i
                for i, hit in enumerate(answer.retrieved, start=1)
                if source_supported(spans, [(hit.doc, hit.line_start, hit.line_end)])
            ),
            None,
        )
        if rank is None:
            return None
        ranks.append(rank)
    return max(ranks)


def citation_problems(answer: Answer, lines_of: LinesOf) -> tuple[str, ...]:
    """Markers that resolve to no citation, and citations that misquote their lines."""
    problems: list[str] = []
    numbers = {c.n for c in answer.citations}
    for marker in dict.fromkeys(int(m) for m in _MARKER.findall(answer.answer)):
        if marker not in numbers:
            problems.append(f"marker [{marker}] has no citation")
    for c in answer.citations:
        lines = lines_of(c.doc)
        if lines is None:
            problems.append(f"[{c.n}] cites unknown document {c.doc!r}")
        elif not 1 <= c.line_start <= c.line_end <= len(lines):
            problems.append(
                f"[{c.n}] lines {c.line_start}-{c.line_end} outside {c.doc} "
                f"(1-{len(lines)})"
            )
        elif c.text != "\n".join(lines[c.line_start - 1 : c.line_end]):
            problems.append(
                f"[{c.n}] text differs from {c.doc} lines {c.line_start}-{c.line_end}"
            )
    return tuple(problems)


@dataclass(frozen=True)
class Reply:
    """What a system gave back for one question, how fast, and its error if it
    raised (then ``answer`` is empty and scores as wrong)."""

    answer: Answer
    latency_ms: float
    error: str = ""


def score_case(
    case: EvalCase,
    reply: Reply,
    source_spans: Sequence[Sequence[LineSpan]],
    lines_of: LinesOf,
) -> CaseScore:
    """All per-question metrics for one answer."""
    answer = reply.answer
    refused = is_refusal(answer)
    missing = missing_groups(answer.answer, case.must_contain)
    answer_correct = None if case.expect_refusal else (not refused and not missing)
    refusal_correct = refused if case.expect_refusal else None
    has_citations = bool(answer.citations) or bool(_MARKER.search(answer.answer))
    problems = citation_problems(answer, lines_of)
    rank = None if case.expect_refusal else retrieval_rank(source_spans, answer)
    scored_retrieval = bool(source_spans) and not case.expect_refusal
    return CaseScore(
        id=case.id,
        type=case.type,
        lang=case.lang,
        expect_refusal=case.expect_refusal,
        refused=refused,
        correct=bool(refusal_correct if case.expect_refusal else answer_correct),
        answer_correct=answer_correct,
        missing_groups=missing,
        refusal_correct=refusal_correct,
        false_refusal=None if case.expect_refusal else refused,
        citation_supported=(
            None if case.expect_refusal else citation_support(source_spans, answer)
        ),
        retrieval_rank=rank,
        hits=(
            {k: rank is not None and rank <= k for k in HIT_KS}
            if scored_retrieval
            else None
        ),
        reciprocal_rank=(1.0 / rank if rank else 0.0) if scored_retrieval else None,
        citation_valid=(not problems) if has_citations else None,
        citation_problems=problems,
        latency_ms=reply.latency_ms,
        error=reply.error,
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0..100), as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# Question types answered by a figure from a table or the text.
NUMERIC_TYPES = frozenset({"number", "table_lookup"})


def _rate(flags: Iterable[bool | None]) -> dict[str, float | int | None]:
    applicable = [f for f in flags if f is not None]
    value = sum(applicable) / len(applicable) if applicable else None
    return {"value": value, "n": len(applicable)}


def aggregate(scores: Sequence[CaseScore]) -> dict[str, object]:
    """Means over the questions each metric applies to, with their counts."""
    latencies = [s.latency_ms for s in scores]
    rrs = [s.reciprocal_rank for s in scores if s.reciprocal_rank is not None]
    result: dict[str, object] = {
        "questions": len(scores),
        "correct": _rate(s.correct for s in scores),
        "answer_accuracy": _rate(s.answer_correct for s in scores),
        "numeric_accuracy": _rate(
            s.answer_correct for s in scores if s.type in NUMERIC_TYPES
        ),
        "refusal_accuracy": _rate(s.refusal_correct for s in scores),
        "false_refusal_rate": _rate(s.false_refusal for s in scores),
        "citation_support": _rate(s.citation_supported for s in scores),
        # Right AND citing the source lines: what a reader can verify.
        "supported": _rate(
            None
            if s.answer_correct is None
            else bool(s.answer_correct and s.citation_supported)
            for s in scores
        ),
        "citation_validity": _rate(s.citation_valid for s in scores),
    }
    for k in HIT_KS:
        result[f"hit@{k}"] = _rate(s.hits[k] if s.hits else None for s in scores)
    result["mrr"] = {"value": sum(rrs) / len(rrs) if rrs else None, "n": len(rrs)}
    result["latency_ms"] = {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "n": len(latencies),
    }
    result["errors"] = sum(1 for s in scores if s.error)
    return result


def summarize(scores: Sequence[CaseScore]) -> dict[str, object]:
    """``aggregate`` overall, by question type and by language."""
    by_type = sorted({s.type for s in scores})
    by_lang = sorted({s.lang for s in scores})
    return {
        "overall": aggregate(scores),
        "by_type": {t: aggregate([s for s in scores if s.type == t]) for t in by_type},
        "by_lang": {g: aggregate([s for s in scores if s.lang == g]) for g in by_lang},
    }
