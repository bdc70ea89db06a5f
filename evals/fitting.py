"""Fit the answering weights on the question sets, with cross-validation grouped by
document (fit on the other documents' questions, test on this one's).

    python -m evals fit-answerability [--sets ...] [--write]
    python -m evals fit-units [--sets ...] [--write]
    python -m evals fit-passages [--sets ...] [--write]

*Answerability*: every single-part question that reaches the answer-or-refuse stage
gives one example: its evidence features (from the trace), labelled 1 when the
question is answerable. *Units*: every answerable single-part question answered from
text gives its candidate sentences with their features, labelled 1 when the sentence
lies on the source quote's lines. *Passages*: the same questions give their
``PASSAGE_POOL`` retrieved passages with their features, labelled 1 when the passage
holds a source line. All are logistic regressions (scikit-learn,
standardised features; units and passages from pairs within a question); each fold compares the fitted weights with
the shipped hand-set ones. ``--write`` stores the weights (raw feature units) in
``assistant/answering/data/`` and the report in ``evals/<name>.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.answerability import FEATURES, WEIGHTS_FILE, Answerability
from assistant.answering.compose import (
    UNIT_FEATURES,
    UNIT_PASSAGES,
    UNIT_WEIGHTS_FILE,
    UnitRanker,
    answer_units,
    topic_terms,
)
from assistant.answering.passages import (
    PASSAGE_FEATURES,
    PASSAGE_POOL,
    PASSAGE_WEIGHTS_FILE,
    PassageRanker,
    passage_features,
)
from assistant.reading.plan import make_plan

QUESTIONS = Path(__file__).parent / "questions"
DEFAULT_SETS = ("dev", "dev3", "dev4", "blind5")  # never the held-out test set


# A decision that answers whatever the evidence: fitting sees every answer.
ALWAYS_ANSWER = Answerability(weights={}, bias=50.0)


@dataclass(frozen=True)
class Example:
    """One labelled feature vector; ``key`` groups the units of one question."""

    group: str  # source document: the unit of the folds
    key: str
    features: tuple[float, ...]
    label: bool


def _cases(sets: Sequence[str], library: Any) -> list[Any]:
    from evals.runner import prepare_cases

    out = []
    for name in sets:
        cases, _ = prepare_cases(QUESTIONS / f"{name}.jsonl", library)
        out += [(name, c) for c in cases]
    return out


def _group(case: Any) -> str:
    docs = [doc for doc, _ in case.sources]
    return docs[0] if docs else "(none)"


def collect_decisions(assistant: Any, cases: Sequence[Any]) -> list[Example]:
    """Answer-or-refuse examples from an assistant whose decision always answers:
    the evidence features of each single-part question that reaches it, labelled
    "answer" when the question is answerable and the answer given is right, and
    "refuse" when the question is unanswerable. An answerable question answered
    wrongly is left out: refusing it is as wrong, so it cannot teach the choice."""
    from evals.metrics import is_refusal, missing_groups

    examples = []
    for name, prepared in cases:
        case = prepared.case
        answer = assistant.ask(case.question, history=case.history)
        parts = answer.trace.get("parts", [])
        if len(parts) != 1 or not parts[0].get("features"):
            continue
        right = not is_refusal(answer) and not missing_groups(
            answer.answer, case.must_contain
        )
        if not case.expect_refusal and not right:
            continue
        features = parts[0]["features"]
        examples.append(
            Example(
                _group(case),
                f"{name}:{case.id}",
                tuple(float(features[k]) for k in FEATURES),
                not case.expect_refusal,
            )
        )
    return examples


@dataclass(frozen=True)
class _TextCase:
    """An answerable single-part question that reached the text stage."""

    key: str  # "<set>:<id>"
    group: str  # the source document (the CV fold)
    question: str
    history: tuple[str, ...]
    answer: Any
    query: Any
    options: Any
    spans: list[Any]


def _text_cases(
    assistant: Any, cases: Sequence[Any], stages: tuple[str, ...]
) -> Iterator[_TextCase]:
    """The answerable single-part questions whose answer was decided at ``stages``."""
    for name, prepared in cases:
        case = prepared.case
        if case.expect_refusal:
            continue
        answer = assistant.ask(case.question, history=case.history)
        parts = answer.trace.get("parts", [])
        if len(parts) != 1 or parts[0].get("stage") not in stages:
            continue
        part = make_plan(case.question, case.history, assistant.catalog).parts[0]
        yield _TextCase(
            f"{name}:{case.id}",
            _group(case),
            case.question,
            tuple(case.history),
            answer,
            part.query,
            assistant.text_options(part.answer_type),
            [s for spans in prepared.source_spans for s in spans],
        )


def _mixed(labelled: list[Example]) -> list[Example]:
    """``labelled`` if it has a right and a wrong example (else nothing to learn)."""
    labels = {e.label for e in labelled}
    return labelled if labels == {True, False} else []


def collect_units(assistant: Any, cases: Sequence[Any]) -> list[Example]:
    """Sentence examples of answerable single-part questions answered from text."""
    examples = []
    for tc in _text_cases(assistant, cases, ("text",)):
        opt = tc.options
        terms = topic_terms(tc.query, opt.ignore, opt.known, opt.split)
        hits = list(tc.answer.retrieved)
        units = answer_units(tc.query, hits, opt, terms)
        examples += _mixed(
            [
                Example(
                    tc.group,
                    tc.key,
                    tuple(u.features[k] for k in UNIT_FEATURES),
                    any(
                        s.doc == hits[u.sentence.hit_rank - 1].doc
                        and s.start <= u.sentence.line <= s.end
                        for s in tc.spans
                    ),
                )
                for u in units
            ]
        )
    return examples


def collect_passages(assistant: Any, cases: Sequence[Any]) -> list[Example]:
    """Passage examples of answerable single-part questions that reach the text
    stage: the first ``PASSAGE_POOL`` retrieved passages in retrieval order."""
    examples = []
    for tc in _text_cases(assistant, cases, ("text", "answerability")):
        hits = assistant.retrieve(
            tc.question, tc.history, top_k=PASSAGE_POOL, reranked=False
        )
        features = passage_features(tc.query, hits, tc.options)
        examples += _mixed(
            [
                Example(
                    tc.group,
                    tc.key,
                    tuple(f[k] for k in PASSAGE_FEATURES),
                    any(
                        s.doc == h.doc
                        and h.line_start <= s.end
                        and s.start <= h.line_end
                        for s in tc.spans
                    ),
                )
                for h, f in zip(hits, features, strict=True)
            ]
        )
    return examples


def _fit(examples: Sequence[Example]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
    return model.fit([e.features for e in examples], [e.label for e in examples])


def _fit_pairwise(examples: Sequence[Example]) -> Any:
    """A linear ranker from within-question pairs (RankSVM-style with a logistic
    loss): each right unit against each wrong unit of the same question."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    by_key: dict[str, list[Example]] = {}
    for e in examples:
        by_key.setdefault(e.key, []).append(e)
    diffs, labels = [], []
    for units in by_key.values():
        for p in (e for e in units if e.label):
            for n in (e for e in units if not e.label):
                d = [a - b for a, b in zip(p.features, n.features, strict=True)]
                diffs += [d, [-v for v in d]]
                labels += [True, False]
    scaler = StandardScaler(with_mean=False)
    model = make_pipeline(scaler, LogisticRegression(fit_intercept=False))
    return model.fit(diffs, labels)


def raw_weights(model: Any, names: Sequence[str]) -> tuple[dict[str, float], float]:
    """Weights undone from the scaler: w / sd, and b - sum(w * mean / sd)."""
    scaler, lr = model[0], model[-1]
    scale = [s if s > 0 else 1.0 for s in scaler.scale_]
    means = scaler.mean_ if scaler.with_mean else [0.0] * len(scale)
    intercept = float(lr.intercept_[0]) if lr.fit_intercept else 0.0
    w = [c / s for c, s in zip(lr.coef_[0], scale, strict=True)]
    b = intercept - sum(
        c * m / s for c, m, s in zip(lr.coef_[0], means, scale, strict=True)
    )
    return {k: float(v) for k, v in zip(names, w, strict=True)}, b


Score = Callable[[Sequence[Example], Callable[[tuple[float, ...]], float]], float]


def decision_accuracy(
    examples: Sequence[Example], score: Callable[[tuple[float, ...]], float]
) -> float:
    """Share of questions answered or refused rightly (answer when score >= 0)."""
    return sum((score(e.features) >= 0) == e.label for e in examples) / len(examples)


def top1_accuracy(
    examples: Sequence[Example], score: Callable[[tuple[float, ...]], float]
) -> float:
    """Share of questions whose best-scored unit lies on the source quote."""
    by_key: dict[str, list[Example]] = {}
    for e in examples:
        by_key.setdefault(e.key, []).append(e)
    right = sum(
        max(units, key=lambda e: score(e.features)).label for units in by_key.values()
    )
    return right / len(by_key)


def in_top(count: int) -> Score:
    """Share of questions with a right example among their ``count`` best-scored
    (the passages the answer is read from); ties keep the examples' order."""

    def measure(
        examples: Sequence[Example], score: Callable[[tuple[float, ...]], float]
    ) -> float:
        by_key: dict[str, list[Example]] = {}
        for e in examples:
            by_key.setdefault(e.key, []).append(e)
        right = 0
        for items in by_key.values():
            order = sorted(
                range(len(items)), key=lambda i: (-score(items[i].features), i)
            )
            right += any(items[i].label for i in order[:count])
        return right / len(by_key)

    return measure


def linear(
    weights: dict[str, float], bias: float, names: Sequence[str]
) -> Callable[[tuple[float, ...]], float]:
    return lambda x: (
        bias + sum(weights.get(k, 0.0) * v for k, v in zip(names, x, strict=True))
    )


def cross_validate(
    examples: Sequence[Example],
    names: Sequence[str],
    measure: Score,
    shipped: Callable[[tuple[float, ...]], float],
    fit: Callable[[Sequence[Example]], Any],
) -> list[dict[str, Any]]:
    """Leave one document out: the fitted weights against the shipped ones."""
    folds = []
    for group in sorted({e.group for e in examples}):
        train = [e for e in examples if e.group != group]
        test = [e for e in examples if e.group == group]
        if len({e.label for e in train}) < 2 or not test:
            continue
        weights, bias = raw_weights(fit(train), names)
        folds.append(
            {
                "held_out": group,
                "n": len({e.key for e in test}),
                "fitted": measure(test, linear(weights, bias, names)),
                "shipped": measure(test, shipped),
            }
        )
    return folds


def _pct(v: float) -> str:
    return f"{100 * v:.1f} %"


def render(
    title: str,
    what: str,
    folds: list[dict[str, Any]],
    weights: dict[str, float],
    bias: float,
) -> str:
    lines = [
        f"# {title}",
        "",
        what,
        "",
        "| held-out document | questions | fitted | shipped (hand-set) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {f['held_out']} | {f['n']} | {_pct(f['fitted'])} | {_pct(f['shipped'])} |"
        for f in folds
    ]
    for name in ("fitted", "shipped"):
        values = [f[name] for f in folds]
        lines += [
            "",
            f"{name}: mean {_pct(sum(values) / len(values))}, worst fold {_pct(min(values))}",
        ]
    lines += ["", "Weights fitted on all examples (raw feature units):", ""]
    lines += [f"- {k}: {v:+.4f}" for k, v in weights.items()] + [f"- bias: {bias:+.4f}"]
    return "\n".join(lines) + "\n"


def _write_toml(
    path: Path, weights: dict[str, float], bias: float | None, summary: str
) -> None:
    body = [f"# Fitted by `python -m evals` ({summary})."]
    if bias is not None:
        body.append(f"bias = {bias:.6f}")
    body += ["[weights]", *(f"{k} = {v:.6f}" for k, v in weights.items())]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")


def main(kind: str, sets: Sequence[str], write: bool, settings: Any) -> int:
    """Fit ``kind`` ("answerability", "units" or "passages"), print the report,
    maybe store it."""
    from assistant.app import build_assistant
    from evals.documents import DocumentLibrary

    cases = _cases(sets, DocumentLibrary(settings.documents_dir))
    names: tuple[str, ...]
    measure: Score
    if kind == "answerability":
        # The decision open (always answer), so every answer it would allow is seen.
        assistant = build_assistant(settings, answerability=ALWAYS_ANSWER)
        names, path, measure, fit = FEATURES, WEIGHTS_FILE, decision_accuracy, _fit
        examples = collect_decisions(assistant, cases)
        rule = Answerability.load()
        shipped = linear(dict(rule.weights), rule.bias, names)
        what = (
            "Answer or refuse: accuracy of the decision on the questions that reach it."
        )
    elif kind == "passages":
        assistant = build_assistant(settings)
        names, path, fit = PASSAGE_FEATURES, PASSAGE_WEIGHTS_FILE, _fit_pairwise
        measure = in_top(UNIT_PASSAGES)
        examples = collect_passages(assistant, cases)
        shipped = linear(dict(PassageRanker.load().weights), 0.0, names)
        what = (
            f"Passages: share of text-answered questions whose source passage is "
            f"among the {UNIT_PASSAGES} the answer is read from, after re-ranking "
            f"the first {PASSAGE_POOL} retrieved."
        )
    else:
        assistant = build_assistant(settings)
        names, path, measure = UNIT_FEATURES, UNIT_WEIGHTS_FILE, top1_accuracy
        fit = _fit_pairwise
        examples = collect_units(assistant, cases)
        shipped = linear(dict(UnitRanker.load().weights), 0.0, names)
        what = "Answer units: share of questions whose top-ranked sentence is on the source quote."
    folds = cross_validate(examples, names, measure, shipped, fit)
    weights, bias = raw_weights(fit(examples), names)
    n = len({e.key for e in examples})
    what += (
        f" {n} questions ({len(examples)} examples) from {', '.join(sets)}; "
        f"features: {', '.join(names)}; folds: leave one source document out."
    )
    report = render(f"Fitted weights: {kind}", what, folds, weights, bias)
    print(report)
    fitted = sum(f["fitted"] for f in folds) / len(folds)
    hand = sum(f["shipped"] for f in folds) / len(folds)
    if write:
        summary = (
            f"{n} questions; grouped CV mean {_pct(fitted)} vs hand-set {_pct(hand)}"
        )
        _write_toml(path, weights, bias if kind == "answerability" else None, summary)
        (Path(__file__).parent / f"fit-{kind}.md").write_text(report, encoding="utf-8")
        print(f"wrote {path}")
    return 0
