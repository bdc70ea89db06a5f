"""Documents from outside the corpus, each indexed alone, asked their own questions.

    python -m evals outside --docs DIR --questions FILE [--out DIR] [--embedder e5|hash]

This is how the project is checked after a session: real PDFs of a municipality the
code has never seen. Every document named by a question's ``source_doc`` is copied
alone into a temp folder, indexed there (the ingest composition root, as a user's
upload would be) and asked the questions about it, by the assistant and by the two
baselines (top dense chunk; plain LangChain). Quotes are looked up in the parsed
document when they can be (whitespace and markup may differ from the writer's
extraction); a quote that is not found leaves that question's support unscored.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.cases import EvalCase, load_cases
from evals.format_bench import source_spans
from evals.runner import PreparedCase, SystemRun, run_system

SYSTEMS = ("assistant", "structured dense baseline", "LangChain baseline")


@dataclass(frozen=True)
class DocumentRun:
    """One document's questions, answered by each system on its own index."""

    doc: str
    systems: tuple[SystemRun, ...]


def group_by_document(
    cases: Sequence[EvalCase],
) -> tuple[dict[str, list[EvalCase]], list[str]]:
    """Cases by their (single) source document; the ids of cases that name none or
    several (a document indexed alone cannot answer them)."""
    groups: dict[str, list[EvalCase]] = defaultdict(list)
    skipped = []
    for case in cases:
        docs = {doc for doc, _ in case.sources}
        if len(docs) == 1:
            groups[docs.pop()].append(case)
        else:
            skipped.append(case.id)
    return dict(groups), skipped


def run_document(
    doc: Path, cases: Sequence[EvalCase], embedder: str, work: Path, progress: bool
) -> DocumentRun:
    """Index ``doc`` alone under ``work`` and run ``cases`` on every system."""
    from assistant.app import build_assistant
    from assistant.ingest_root import build_indexer
    from assistant.settings import load_settings
    from evals.baseline import build_baseline
    from evals.documents import DocumentLibrary
    from evals.langchain_baseline import build_langchain_baseline

    folder = work / doc.stem / "documents"
    folder.mkdir(parents=True)
    shutil.copy2(doc, folder / doc.name)
    sidecar = doc.with_suffix(".meta.toml")
    if sidecar.is_file():
        shutil.copy2(sidecar, folder / sidecar.name)
    settings = load_settings(
        index_dir=work / doc.stem / "index",
        documents_dir=folder,
        embedder={"kind": embedder},
        llm={"provider": "none"},
    )
    report = build_indexer(settings).ingest([folder], progress=progress)
    if not report.built:
        raise RuntimeError(f"{doc.name}: no index built — {report.summary()}")
    library = DocumentLibrary(folder)
    prepared = [PreparedCase(c, source_spans(c, library) or ()) for c in cases]
    systems: list[tuple[str, Any]] = [
        (SYSTEMS[0], build_assistant(settings)),
        (SYSTEMS[1], build_baseline(settings)),
        (SYSTEMS[2], build_langchain_baseline(settings, folder)),
    ]
    runs = tuple(
        run_system(name, system, prepared, library, progress=progress)
        for name, system in systems
    )
    return DocumentRun(doc.name, runs)


def _value(summary: dict[str, Any], key: str) -> float | None:
    value = summary["overall"][key]["value"]
    return None if value is None else float(value)


def figures(runs: Sequence[SystemRun]) -> dict[str, Any]:
    """Correct, answer and refusal accuracy, false refusals, supported and the median
    answer length over the runs of one system (pooled across documents)."""
    scores = [r.score for run in runs for r in run.runs]
    answers = [len(r.answer.answer) for run in runs for r in run.runs]

    def rate(flags: list[bool | None]) -> float | None:
        known = [f for f in flags if f is not None]
        return sum(known) / len(known) if known else None

    return {
        "questions": len(scores),
        "correct": rate([s.correct for s in scores]),
        "answer_accuracy": rate([s.answer_correct for s in scores]),
        "refusal_accuracy": rate([s.refusal_correct for s in scores]),
        "false_refusals": rate([s.false_refusal for s in scores]),
        "supported": rate(
            [
                None
                if s.answer_correct is None or s.citation_supported is None
                else bool(s.answer_correct and s.citation_supported)
                for s in scores
            ]
        ),
        "median_chars": statistics.median(answers) if answers else None,
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def markdown(documents: Sequence[DocumentRun]) -> str:
    """Per document and overall, the three systems side by side."""
    lines = [
        "| document | system | n | correct | answer acc. | refusal acc. "
        "| false refusals | supported | median chars |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(d.doc, list(d.systems)) for d in documents]
    rows.append(("**all**", [s for d in documents for s in d.systems]))
    for label, runs in rows:
        for name in SYSTEMS:
            f = figures([r for r in runs if r.name == name])
            lines.append(
                f"| {label} | {name} | {f['questions']} | {_pct(f['correct'])} "
                f"| {_pct(f['answer_accuracy'])} | {_pct(f['refusal_accuracy'])} "
                f"| {_pct(f['false_refusals'])} | {_pct(f['supported'])} "
                f"| {f['median_chars'] or 0:.0f} |"
            )
    return "\n".join(lines) + "\n"


def as_json(documents: Sequence[DocumentRun]) -> dict[str, Any]:
    """Figures per document and system, plus every answer with its trace."""
    return {
        "documents": [
            {
                "doc": d.doc,
                "systems": {
                    s.name: {
                        "figures": figures([s]),
                        "answers": [
                            {
                                "id": r.case.id,
                                "question": r.case.question,
                                "correct": r.score.correct,
                                "missing": [list(g) for g in r.score.missing_groups],
                                "answer": r.answer.answer,
                                "trace": r.answer.trace,
                            }
                            for r in s.runs
                        ],
                    }
                    for s in d.systems
                },
            }
            for d in documents
        ]
    }


def main(docs: Path, questions: Path, out: Path, embedder: str, progress: bool) -> int:
    loaded = load_cases(questions)
    for problem in loaded.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    groups, unplaced = group_by_document(loaded.cases)
    for case_id in unplaced:
        print(f"skipped {case_id}: it names no single source document", file=sys.stderr)
    missing = sorted(d for d in groups if not (docs / d).is_file())
    if missing:
        print(f"error: not in {docs}: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="plansvar-outside-") as tmp:
        runs = [
            run_document(docs / doc, cases, embedder, Path(tmp), progress)
            for doc, cases in sorted(groups.items())
        ]
    table = markdown(runs)
    out.mkdir(parents=True, exist_ok=True)
    (out / "outside.md").write_text(table, encoding="utf-8")
    (out / "outside.json").write_text(
        json.dumps(as_json(runs), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(table)
    print(f"written: {out / 'outside.md'}, {out / 'outside.json'}")
    return 0
