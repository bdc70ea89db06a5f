"""Fit the answer-or-refuse decision on the question sets, with grouped CV.

    python -m evals fit-answerability [--sets dev dev3 dev4 blind5] [--write]

Every question that reaches the answerability stage (single-part questions whose
figure lookup did not answer) gives one example: its evidence features from the
trace, labelled 1 when the question is answerable. A logistic regression
(scikit-learn, standardised features, balanced classes) is fitted; folds are grouped
by the question's source document (fit on the other documents, test on this one),
and the fitted decision is compared with the former hand-set rule (coverage >= 0.5)
on every fold. ``--write`` stores the weights (in raw feature units) and the figures
in ``assistant/answering/data/answerability.toml``; the report goes to
``evals/answerability.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.answerability import FEATURES, WEIGHTS_FILE

QUESTIONS = Path(__file__).parent / "questions"
REPORT = Path(__file__).parent / "answerability.md"
DEFAULT_SETS = ("dev", "dev3", "dev4", "blind5")  # never the held-out test set


@dataclass(frozen=True)
class Example:
    set: str
    id: str
    group: str  # source document, the unit of the cross-validation folds
    features: tuple[float, ...]
    answerable: bool


def collect(assistant: Any, sets: Sequence[str], library: Any) -> list[Example]:
    """Ask every question and keep those decided by evidence features."""
    from evals.runner import prepare_cases

    examples = []
    for name in sets:
        cases, _ = prepare_cases(QUESTIONS / f"{name}.jsonl", library)
        for prepared in cases:
            case = prepared.case
            answer = assistant.ask(case.question, history=case.history)
            parts = answer.trace.get("parts", [])
            if len(parts) != 1 or not parts[0].get("features"):
                continue
            features = parts[0]["features"]
            docs = [doc for doc, _ in case.sources] or ["(none)"]
            examples.append(
                Example(
                    name,
                    case.id,
                    docs[0],
                    tuple(float(features[k]) for k in FEATURES),
                    not case.expect_refusal,
                )
            )
    return examples


def _hand_rule(x: Sequence[float]) -> bool:
    return x[FEATURES.index("coverage")] >= 0.5


def _fit(xs: list[tuple[float, ...]], ys: list[bool]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
    return model.fit(xs, ys)


def _scores(predicted: Sequence[bool], ys: Sequence[bool]) -> dict[str, float | None]:
    pos = [p for p, y in zip(predicted, ys, strict=True) if y]
    neg = [p for p, y in zip(predicted, ys, strict=True) if not y]
    return {
        "n": len(ys),
        "accuracy": sum(p == y for p, y in zip(predicted, ys, strict=True)) / len(ys),
        "refusal_accuracy": (sum(not p for p in neg) / len(neg)) if neg else None,
        "false_refusals": (sum(not p for p in pos) / len(pos)) if pos else None,
    }


def cross_validate(examples: Sequence[Example]) -> list[dict[str, Any]]:
    """Leave one document out: fitted decision against the hand rule per fold."""
    folds = []
    for group in sorted({e.group for e in examples}):
        train = [e for e in examples if e.group != group]
        test = [e for e in examples if e.group == group]
        if len({e.answerable for e in train}) < 2 or not test:
            continue
        model = _fit([e.features for e in train], [e.answerable for e in train])
        ys = [e.answerable for e in test]
        fitted = [bool(p) for p in model.predict([e.features for e in test])]
        folds.append(
            {
                "held_out": group,
                "fitted": _scores(fitted, ys),
                "hand_rule": _scores([_hand_rule(e.features) for e in test], ys),
            }
        )
    return folds


def raw_weights(model: Any) -> tuple[dict[str, float], float]:
    """The fitted weights undone from the scaler: w_raw = w / sd, b_raw = b - sum(w mu / sd)."""
    scaler, lr = model[0], model[-1]
    w = lr.coef_[0] / scaler.scale_
    b = float(lr.intercept_[0] - sum(lr.coef_[0] * scaler.mean_ / scaler.scale_))
    return {k: float(v) for k, v in zip(FEATURES, w, strict=True)}, b


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f} %"


def render(
    examples: Sequence[Example],
    folds: list[dict[str, Any]],
    weights: dict[str, float],
    bias: float,
) -> str:
    n_pos = sum(e.answerable for e in examples)
    lines = [
        "# Answerability: fitted decision and grouped cross-validation",
        "",
        f"Examples: {len(examples)} questions that reached the answerability stage "
        f"({n_pos} answerable, {len(examples) - n_pos} not), from "
        f"{', '.join(sorted({e.set for e in examples}))}. Folds: leave one source "
        "document out. Fitted = logistic regression on "
        f"{', '.join(FEATURES)}; hand rule = topic coverage >= 0.5 (the former constant).",
        "",
        "| held-out document | n | accuracy fitted | accuracy hand | refusal acc. fitted | refusal acc. hand | false refusals fitted | false refusals hand |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in folds:
        a, h = f["fitted"], f["hand_rule"]
        lines.append(
            f"| {f['held_out']} | {a['n']} | {_pct(a['accuracy'])} | {_pct(h['accuracy'])}"
            f" | {_pct(a['refusal_accuracy'])} | {_pct(h['refusal_accuracy'])}"
            f" | {_pct(a['false_refusals'])} | {_pct(h['false_refusals'])} |"
        )
    for name in ("fitted", "hand_rule"):
        accs = [f[name]["accuracy"] for f in folds]
        if accs:
            lines.append("")
            lines.append(
                f"{name}: mean fold accuracy {_pct(sum(accs) / len(accs))}, "
                f"worst fold {_pct(min(accs))}"
            )
    lines += ["", "Weights on all examples (raw feature units):", ""]
    lines += [f"- {k}: {v:+.3f}" for k, v in weights.items()]
    lines.append(f"- bias: {bias:+.3f}")
    return "\n".join(lines) + "\n"


def write_weights(
    path: Path, weights: dict[str, float], bias: float, summary: str
) -> None:
    body = [
        "# Fitted by `python -m evals fit-answerability` (see evals/answerability.md).",
        f"# {summary}",
        f"bias = {bias:.6f}",
        "[weights]",
        *(f"{k} = {v:.6f}" for k, v in weights.items()),
    ]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")


def main(sets: Sequence[str], write: bool, settings: Any) -> int:
    from assistant.app import build_assistant
    from evals.documents import DocumentLibrary

    assistant = build_assistant(settings)
    library = DocumentLibrary(settings.documents_dir)
    examples = collect(assistant, sets, library)
    folds = cross_validate(examples)
    model = _fit([e.features for e in examples], [e.answerable for e in examples])
    weights, bias = raw_weights(model)
    report = render(examples, folds, weights, bias)
    print(report)
    if write:
        accs = [f["fitted"]["accuracy"] for f in folds]
        summary = (
            f"{len(examples)} examples; leave-one-document-out accuracy mean "
            f"{_pct(sum(accs) / len(accs))}, worst {_pct(min(accs))}"
        )
        write_weights(WEIGHTS_FILE, weights, bias, summary)
        REPORT.write_text(report, encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE} and {REPORT}")
    return 0
