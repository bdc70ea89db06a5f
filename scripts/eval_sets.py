"""Every question set in one run of one assistant: a table per set, for before/after.

    python scripts/eval_sets.py [SETS...] [--out results.json] [--markdown]

Prints per set: n, correct, supported (right and cited), refusal accuracy, false
refusals, median answer length, and the failures by deciding stage (from the trace).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

from assistant.app import build_assistant
from assistant.settings import load_settings
from evals.documents import DocumentLibrary
from evals.runner import prepare_cases, run_system

QUESTIONS = Path(__file__).resolve().parent.parent / "evals" / "questions"
DEFAULT_SETS = ("dev", "dev3", "dev4", "blind5")


def _pct(rate: dict) -> str:
    return "–" if rate["value"] is None else f"{100 * rate['value']:.1f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", default=list(DEFAULT_SETS))
    parser.add_argument("--out", type=Path, help="write per-question results (JSON)")
    args = parser.parse_args()
    settings = load_settings()
    assistant = build_assistant(settings)
    library = DocumentLibrary(settings.documents_dir)
    print(
        "| set | n | correct | supported | refusal acc. | false refusals "
        "| median answer chars | failures by stage |"
    )
    print("|---|---|---|---|---|---|---|---|")
    dump = {}
    for name in args.sets:
        cases, _ = prepare_cases(QUESTIONS / f"{name}.jsonl", library)
        run = run_system(name, assistant, cases, library, progress=False)
        o = run.summary["overall"]
        stages = Counter(
            r.answer.trace.get("stage", "?") for r in run.runs if not r.score.correct
        )
        lengths = [len(r.answer.answer) for r in run.runs if not r.answer.refused]
        median = statistics.median(lengths) if lengths else 0
        failures = ", ".join(f"{k} {v}" for k, v in stages.most_common())
        print(
            f"| {name} | {o['questions']} | {_pct(o['correct'])} | {_pct(o['supported'])}"
            f" | {_pct(o['refusal_accuracy'])} | {_pct(o['false_refusal_rate'])}"
            f" | {median:.0f} | {failures} |",
            flush=True,
        )
        dump[name] = [
            {
                "id": r.case.id,
                "correct": r.score.correct,
                "question": r.case.question,
                "answer": r.answer.answer,
                "missing": r.score.missing_groups,
                "trace": r.answer.trace,
            }
            for r in run.runs
        ]
    if args.out:
        args.out.write_text(json.dumps(dump, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
