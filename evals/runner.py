"""Run a question set through one or more systems and write the run folder.

The folder (``results.jsonl``, ``summary.json``, ``report.md``, the charts and,
per baseline, ``<baseline>_results.jsonl``) is built in a temporary sibling folder
and renamed into place at the end, so a crash never leaves a half report.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.models import Answer, Filters
from evals.cases import CaseError, CaseProblem, EvalCase, load_cases
from evals.documents import resolve_sources
from evals.metrics import (
    CaseScore,
    LinesOf,
    LineSpan,
    Reply,
    score_case,
    summarize,
)


class AnswersQuestions(Protocol):
    """What the runner needs: ``Assistant.ask`` (the baseline has the same shape)."""

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer: ...


@dataclass(frozen=True)
class PreparedCase:
    case: EvalCase
    source_spans: tuple[tuple[LineSpan, ...], ...]


@dataclass(frozen=True)
class CaseRun:
    case: EvalCase
    answer: Answer
    score: CaseScore


@dataclass(frozen=True)
class SystemRun:
    name: str  # "assistant" | "structured dense baseline" | "LangChain baseline"
    runs: tuple[CaseRun, ...]
    summary: dict[str, Any]


@dataclass(frozen=True)
class EvalRun:
    questions_file: str
    set_name: str
    systems: tuple[SystemRun, ...]
    skipped: tuple[CaseProblem, ...]
    info: dict[str, Any] = field(default_factory=dict)  # generator, folders, times


class InputProblemsError(Exception):
    """``--strict`` and the question file has problems; nothing was written."""

    def __init__(self, problems: Sequence[CaseProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


def prepare_cases(
    path: Path, lines_of: LinesOf, strict: bool = False, limit: int | None = None
) -> tuple[tuple[PreparedCase, ...], tuple[CaseProblem, ...]]:
    """Load and check a question file: format, then every quote against its document.

    With ``strict`` any problem raises ``InputProblemsError``; otherwise the bad lines
    are returned as problems and left out.
    """
    loaded = load_cases(path)
    problems = list(loaded.problems)
    prepared: list[PreparedCase] = []
    for case in loaded.cases:
        try:
            prepared.append(PreparedCase(case, resolve_sources(case, lines_of)))
        except CaseError as exc:
            problems.append(CaseProblem(str(path), case.line, str(exc)))
    problems.sort(key=lambda p: p.line)
    if strict and problems:
        raise InputProblemsError(problems)
    if limit is not None:
        prepared = prepared[:limit]
    return tuple(prepared), tuple(problems)


def run_system(
    name: str,
    system: AnswersQuestions,
    cases: Sequence[PreparedCase],
    lines_of: LinesOf,
    progress: bool = True,
) -> SystemRun:
    """Ask every question (with its history); an exception scores as a wrong answer."""
    from tqdm import tqdm

    runs: list[CaseRun] = []
    for prepared in tqdm(
        cases, desc=name, unit="q", disable=not progress, file=sys.stderr
    ):
        case = prepared.case
        error = ""
        started = time.perf_counter()
        try:
            answer = system.ask(case.question, history=case.history)
        except Exception as exc:  # one failing question must not hide the others
            answer = Answer(question=case.question, answer="", refused=False)
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        score = score_case(
            case, Reply(answer, latency_ms, error), prepared.source_spans, lines_of
        )
        runs.append(CaseRun(case, answer, score))
    return SystemRun(name, tuple(runs), summarize([r.score for r in runs]))


def result_line(run: CaseRun) -> dict[str, Any]:
    """One ``results.jsonl`` object: the question, the answer object and its scores."""
    scores = asdict(run.score)
    scores["hits"] = (
        {f"hit@{k}": v for k, v in run.score.hits.items()} if run.score.hits else None
    )
    scores["missing_groups"] = [list(g) for g in run.score.missing_groups]
    scores["citation_problems"] = list(run.score.citation_problems)
    for key in ("id", "type", "lang", "error"):
        scores.pop(key)
    return {
        "id": run.case.id,
        "type": run.case.type,
        "lang": run.case.lang,
        "question": run.case.question,
        "history": list(run.case.history),
        "reference": run.case.answer,
        "answer": run.answer.to_json(),
        "scores": scores,
        "error": run.score.error,
    }


def summary_object(run: EvalRun) -> dict[str, Any]:
    return {
        "questions_file": run.questions_file,
        "set": run.set_name,
        **run.info,
        "cases": len(run.systems[0].runs) if run.systems else 0,
        "skipped": [asdict(p) for p in run.skipped],
        "systems": {s.name: s.summary for s in run.systems},
    }


def results_file(system: str) -> str:
    """``results.jsonl`` for the assistant, ``<system_slug>_results.jsonl`` else."""
    if system == "assistant":
        return "results.jsonl"
    return re.sub(r"\W+", "_", system.lower()).strip("_") + "_results.jsonl"


def write_run(run: EvalRun, out_dir: Path) -> Path:
    """Write every file into a temporary folder, then swap it into ``out_dir``."""
    from evals.plot import draw_charts
    from evals.report import render_report

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for system in run.systems:
            with open(tmp / results_file(system.name), "w", encoding="utf-8") as fh:
                for case_run in system.runs:
                    fh.write(
                        json.dumps(result_line(case_run), ensure_ascii=False) + "\n"
                    )
        summary = summary_object(run)
        (tmp / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        charts = draw_charts(run, tmp)
        (tmp / "report.md").write_text(render_report(run, charts), encoding="utf-8")
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{time.time_ns()}")
        out_dir.rename(old)
    tmp.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
