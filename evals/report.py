"""Markdown report of a run: metrics side by side, breakdowns, failures, skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.metrics import percentile
from evals.runner import CaseRun, EvalRun, SystemRun

# (label, summary key); rates are shown as percentages with their denominators.
RATE_METRICS = (
    ("Correct (answer or refusal)", "correct"),
    ("Answer accuracy", "answer_accuracy"),
    ("Numeric accuracy (number, table_lookup)", "numeric_accuracy"),
    ("Refusal accuracy", "refusal_accuracy"),
    ("False-refusal rate (lower is better)", "false_refusal_rate"),
    ("Citation support", "citation_support"),
    ("Supported (right and cited)", "supported"),
    ("Citation validity", "citation_validity"),
    ("Retrieval hit@1", "hit@1"),
    ("Retrieval hit@5", "hit@5"),
    ("Retrieval hit@10", "hit@10"),
)
BREAKDOWN_METRICS = (
    ("correct", "Correct"),
    ("citation_support", "Cit. support"),
    ("hit@10", "hit@10"),
)


def render_report(run: EvalRun, charts: Sequence[tuple[str, str]] = ()) -> str:
    """The whole ``report.md``; ``charts`` are (caption, file name) pairs shown
    right below the overall table."""
    out: list[str] = [f"# Evaluation: {run.set_name}", ""]
    out += [f"- Questions file: `{run.questions_file}`"]
    out += [
        f"- {key.replace('_', ' ').capitalize()}: {value}"
        for key, value in run.info.items()
    ]
    cases = len(run.systems[0].runs) if run.systems else 0
    out += [f"- Questions run: {cases}; skipped lines: {len(run.skipped)}", ""]
    out += _overall_table(run.systems)
    out += [f"![{caption}]({name})" for caption, name in charts]
    out += [""] if charts else []
    out += _breakdown(run.systems, "by_type", "By question type")
    out += _breakdown(run.systems, "by_lang", "By language")
    out += _failures_by_stage(run.systems[0])
    for other in run.systems[1:]:
        out += _differences(run.systems[0], other)
    for system in run.systems:
        out += _failures(system)
    out += _skipped(run)
    return "\n".join(out).rstrip() + "\n"


def fmt_rate(metric: dict[str, Any] | None) -> str:
    """``{"value": 0.5, "n": 4}`` → ``"50.0% (2/4)"``; nothing applicable → ``"–"``."""
    if not metric or metric.get("value") is None:
        return "–"
    value, n = metric["value"], metric["n"]
    return f"{100 * value:.1f}% ({round(value * n)}/{n})"


def _delta(
    a: dict[str, Any] | None, b: dict[str, Any] | None, scale: float = 100
) -> str:
    if not a or not b or a.get("value") is None or b.get("value") is None:
        return "–"
    d = (a["value"] - b["value"]) * scale
    unit = " pp" if scale == 100 else ""
    return f"{d:+.1f}{unit}" if scale == 100 else f"{d:+.3f}{unit}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _overall_table(systems: Sequence[SystemRun]) -> list[str]:
    names = [s.name for s in systems]
    header = ["Metric", *names]
    if len(systems) > 1:
        header.append(f"Δ {names[0]} − {names[1]}")
    rows: list[list[str]] = []
    overall = [s.summary["overall"] for s in systems]
    for label, key in RATE_METRICS:
        row = [label, *(fmt_rate(o[key]) for o in overall)]
        if len(systems) > 1:
            row.append(_delta(overall[0][key], overall[1][key]))
        rows.append(row)
    mrr = [o["mrr"] for o in overall]
    row = ["Retrieval MRR", *(_fmt_number(m.get("value"), 3) for m in mrr)]
    if len(systems) > 1:
        row.append(_delta(mrr[0], mrr[1], scale=1))
    rows.append(row)
    for p in ("p50", "p95"):
        row = [
            f"Latency {p} (ms)",
            *(_fmt_number(o["latency_ms"][p], 1) for o in overall),
        ]
        if len(systems) > 1:
            a, b = overall[0]["latency_ms"][p], overall[1]["latency_ms"][p]
            row.append("–" if a is None or b is None else f"{a - b:+.1f}")
        rows.append(row)
    lengths = [answer_length_p50(s) for s in systems]
    row = ["Answer length p50 (characters)", *(_fmt_number(n, 0) for n in lengths)]
    if len(systems) > 1:
        a, b = lengths[0], lengths[1]
        row.append("–" if a is None or b is None else f"{a - b:+.0f}")
    rows.append(row)
    errors = ["Errors (exceptions)", *(str(o["errors"]) for o in overall)]
    if len(systems) > 1:
        errors.append("")
    rows.append(errors)
    return ["## Overall", "", *_table(header, rows)]


def answer_length_p50(system: SystemRun) -> float | None:
    """Median length of the answer texts, refusals included (what a reader reads)."""
    return percentile([len(r.answer.answer) for r in system.runs], 50)


def _fmt_number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _breakdown(systems: Sequence[SystemRun], key: str, title: str) -> list[str]:
    groups = sorted({g for s in systems for g in s.summary[key]})
    header = ["Group", "n"]
    for _, label in BREAKDOWN_METRICS:
        header += [f"{label} ({s.name})" for s in systems]
    rows = []
    for group in groups:
        parts = [s.summary[key].get(group) for s in systems]
        row = [group, str(next(p["questions"] for p in parts if p))]
        for metric, _ in BREAKDOWN_METRICS:
            row += [fmt_rate(p[metric]) if p else "–" for p in parts]
        rows.append(row)
    return [f"## {title}", "", *_table(header, rows)]


def _differences(a: SystemRun, b: SystemRun) -> list[str]:
    b_by_id = {r.case.id: r for r in b.runs}
    only_a = [
        r for r in a.runs if r.score.correct and not b_by_id[r.case.id].score.correct
    ]
    only_b = [
        r for r in a.runs if not r.score.correct and b_by_id[r.case.id].score.correct
    ]
    out = [f"## Differences ({a.name} vs {b.name})", ""]
    out += [
        f"Correct only for {a.name}: {len(only_a)}; only for {b.name}: {len(only_b)}.",
        "",
    ]
    for title, runs in (
        (f"Only {a.name} correct", only_a),
        (f"Only {b.name} correct", only_b),
    ):
        if runs:
            out += [f"### {title}", ""]
            out += [
                f"- `{r.case.id}` ({r.case.type}, {r.case.lang}): {r.case.question}"
                for r in runs
            ]
            out.append("")
    return out


def failure_reasons(run: CaseRun) -> list[str]:
    """Why one question did not pass, in words."""
    s = run.score
    reasons = []
    if s.error:
        reasons.append(f"error: {s.error}")
    if s.expect_refusal and not s.refused:
        reasons.append("should have refused")
    if not s.expect_refusal and s.refused:
        reasons.append("refused an answerable question")
    if s.missing_groups:
        missing = "; ".join(" / ".join(g) for g in s.missing_groups)
        reasons.append(f"missing: {missing}")
    if s.citation_supported is False:
        reasons.append("no citation covers the source lines")
    if s.hits is not None and s.retrieval_rank is None:
        reasons.append("source not retrieved")
    reasons += [f"invalid citation: {p}" for p in s.citation_problems]
    return reasons


def _failures(system: SystemRun) -> list[str]:
    failed = [
        r
        for r in system.runs
        if not r.score.correct
        or r.score.citation_supported is False
        or r.score.citation_valid is False
    ]
    out = [f"## Problems: {system.name} ({len(failed)} questions)", ""]
    for r in failed:
        answer = " ".join(r.answer.answer.split())
        if len(answer) > 160:
            answer = answer[:157] + "..."
        out.append(f"- `{r.case.id}` ({r.case.type}, {r.case.lang}) {r.case.question}")
        out.append(f"  - {'; '.join(failure_reasons(r)) or 'see scores'}")
        out.append(f"  - answered: {answer or '(empty)'}")
    return [*out, ""]


def failure_stage(run: CaseRun) -> tuple[str, str]:
    """The stage that decided a wrong answer, and its refusal reason (from the
    trace); a wrong answer with no refusal reason answered the wrong thing."""
    trace = run.answer.trace or {}
    parts = trace.get("parts", [])
    refusing = [p for p in parts if p.get("reason")]
    reason = refusing[0]["reason"] if refusing else "answered, but wrong or incomplete"
    # "period 2026 not in ..." and "P(answerable) 0.31 < 0.5 ..." group by their kind.
    kind = reason.split(" (")[0].split(" 0.")[0].split(" < ")[0]
    return trace.get("stage", "(no trace)"), kind


def _failures_by_stage(system: SystemRun) -> list[str]:
    """The failure anatomy: wrong answers counted by the stage that decided them."""
    counts: dict[tuple[str, str], int] = {}
    for r in system.runs:
        if not r.score.correct:
            key = failure_stage(r)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return []
    rows = [
        [stage, reason, str(n)]
        for (stage, reason), n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    title = f"## Failures by stage: {system.name}"
    return [title, "", *_table(["stage", "why", "questions"], rows)]


def _skipped(run: EvalRun) -> list[str]:
    out = [f"## Skipped lines ({len(run.skipped)})", ""]
    if not run.skipped:
        return [*out, "None.", ""]
    return [*out, *(f"- {p}" for p in run.skipped), ""]
