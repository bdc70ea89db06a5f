"""python -m evals run QUESTIONS.jsonl | outside | fit-* | export-feedback  (see evals/README.md)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evals.cases import CaseError, CaseProblem

if TYPE_CHECKING:
    from assistant.settings import Settings
    from evals.documents import DocumentLibrary
    from evals.runner import AnswersQuestions, PreparedCase

RUNS_DIR = Path(__file__).resolve().parent / "runs"
EXIT_INPUT = 2  # bad question file with --strict, or bad arguments
STRUCTURED_BASELINE = "structured dense baseline"
LANGCHAIN_BASELINE = "LangChain baseline"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a question set and write a report")
    run.add_argument("questions", type=Path, help="question set (JSONL)")
    run.add_argument(
        "--out", type=Path, help="run folder (default evals/runs/<set>-<time>)"
    )
    run.add_argument(
        "--baseline",
        action="store_true",
        help="also run the two baselines (structured dense; plain LangChain)",
    )
    run.add_argument(
        "--strict", action="store_true", help="stop (exit 2) on any bad line"
    )
    run.add_argument("--limit", type=int, help="run only the first N valid questions")
    run.add_argument(
        "--generator",
        choices=("extractive", "llm"),
        default="extractive",
        help="llm = the provider set in ASSISTANT_LLM__* (default extractive)",
    )
    run.add_argument(
        "--documents", type=Path, help="documents folder (default: settings)"
    )
    run.add_argument("--config", type=Path, help="assistant settings TOML file")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    for kind, what in (
        ("answerability", "the answer-or-refuse decision"),
        ("units", "the answer-unit (sentence) ranker"),
        ("passages", "the passage re-ranker"),
    ):
        fit = sub.add_parser(f"fit-{kind}", help=f"fit {what} (grouped CV)")
        fit.add_argument("--sets", nargs="+", help="question sets (default: not test)")
        fit.add_argument("--write", action="store_true", help="store the weights")
        fit.add_argument("--config", type=Path, help="assistant settings TOML file")
    outside = sub.add_parser(
        "outside", help="documents outside the corpus, each indexed alone"
    )
    outside.add_argument("--docs", type=Path, required=True, help="their folder")
    outside.add_argument("--questions", type=Path, required=True, help="JSONL")
    outside.add_argument(
        "--out", type=Path, default=RUNS_DIR / "outside", help="report folder"
    )
    outside.add_argument("--embedder", choices=("e5", "hash"), default="e5")
    outside.add_argument("--quiet", action="store_true", help="no progress bars")
    fb = sub.add_parser("export-feedback", help="feedback rows → draft question lines")
    fb.add_argument("--db", type=Path, help="feedback SQLite (default: settings)")
    fb.add_argument("--out", type=Path, help="output JSONL (default: stdout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command.startswith("fit-"):
        from evals.fitting import DEFAULT_SETS
        from evals.fitting import main as fit

        kind = args.command.removeprefix("fit-")
        return fit(kind, args.sets or DEFAULT_SETS, args.write, _settings(args))
    if args.command == "outside":
        from evals.outside import main as outside

        return outside(
            args.docs, args.questions, args.out, args.embedder, not args.quiet
        )
    return _export(args)


def _settings(args: argparse.Namespace) -> Settings:
    from assistant.settings import load_settings

    settings = load_settings(getattr(args, "config", None))
    if getattr(args, "generator", None) == "extractive":
        llm = settings.llm.model_copy(update={"provider": "none"})
        settings = settings.model_copy(update={"llm": llm})
    return settings


class _Stop(Exception):
    """Ends a run before any question is asked: messages for stderr, an exit code."""

    def __init__(self, *lines: str, code: int = EXIT_INPUT) -> None:
        super().__init__(*lines)
        self.lines = lines
        self.code = code


def _check_arguments(args: argparse.Namespace) -> None:
    if args.limit is not None and args.limit < 1:
        raise _Stop("error: --limit must be at least 1")
    if not args.questions.is_file():
        raise _Stop(f"error: {args.questions}: no such question file")


def _documents_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The documents folder, once the generator asked for can run."""
    if args.generator == "llm" and settings.llm.provider == "none":
        raise _Stop(
            "error: --generator llm needs ASSISTANT_LLM__PROVIDER (ollama or openai) "
            "and ASSISTANT_LLM__MODEL in the environment or the config file"
        )
    documents_dir = Path(args.documents or settings.documents_dir)
    if not documents_dir.is_dir():
        raise _Stop(f"error: documents folder {documents_dir} does not exist")
    return documents_dir


def _cases(
    args: argparse.Namespace, library: DocumentLibrary
) -> tuple[tuple[PreparedCase, ...], tuple[CaseProblem, ...]]:
    """The usable cases and the problems of the skipped lines."""
    from evals.runner import InputProblemsError, prepare_cases

    try:
        cases, skipped = prepare_cases(args.questions, library, args.strict, args.limit)
    except InputProblemsError as exc:
        raise _Stop(
            *(f"error: {problem}" for problem in exc.problems),
            f"{len(exc.problems)} bad line(s); fix them or run without --strict "
            "to skip them. No report was written.",
        ) from exc
    except CaseError as exc:
        raise _Stop(f"error: {exc}") from exc
    for problem in skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    if not cases:
        raise _Stop("error: no usable questions; nothing to run")
    return cases, skipped


def _systems(
    args: argparse.Namespace, settings: Settings, documents_dir: Path
) -> list[tuple[str, AnswersQuestions]]:
    """The assistant, and with ``--baseline`` the two baselines, by name."""
    systems: list[tuple[str, AnswersQuestions]] = []
    try:
        from assistant.app import build_assistant

        systems.append(("assistant", build_assistant(settings)))
        if args.baseline:
            from evals.baseline import build_baseline
            from evals.langchain_baseline import build_langchain_baseline

            systems.append((STRUCTURED_BASELINE, build_baseline(settings)))
            langchain = build_langchain_baseline(settings, documents_dir)
            systems.append((LANGCHAIN_BASELINE, langchain))
    except Exception as exc:  # the edge: say what to do instead of a traceback
        raise _Stop(
            f"error: could not start the assistant ({type(exc).__name__}: {exc}). "
            "Build the index with `python -m assistant ingest` (or `make setup`).",
            code=1,
        ) from exc
    return systems


def _run(args: argparse.Namespace) -> int:
    from evals.documents import DocumentLibrary
    from evals.runner import EvalRun, SystemRun, run_system, write_run

    try:
        _check_arguments(args)
        settings = _settings(args)
        documents_dir = _documents_dir(args, settings)
        library = DocumentLibrary(documents_dir)
        cases, skipped = _cases(args, library)
        systems = _systems(args, settings, documents_dir)
    except _Stop as stop:
        for line in stop.lines:
            print(line, file=sys.stderr)
        return stop.code

    started = datetime.now().isoformat(timespec="seconds")
    runs: list[SystemRun] = [
        run_system(name, system, cases, library, progress=not args.quiet)
        for name, system in systems
    ]
    info = {
        "started": started,
        "finished": datetime.now().isoformat(timespec="seconds"),
        "generator": args.generator,
        "documents_dir": str(documents_dir),
        "index_dir": str(settings.index_dir),
    }
    run = EvalRun(str(args.questions), args.questions.stem, tuple(runs), skipped, info)
    out = (
        args.out or RUNS_DIR / f"{args.questions.stem}-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    write_run(run, out)
    overall = runs[0].summary["overall"]
    correct = overall["correct"]
    print(
        f"{out}: {correct['n']} questions, "
        f"correct {100 * (correct['value'] or 0):.1f}%, "
        f"{len(skipped)} skipped; see {out / 'report.md'}"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from evals.feedback_export import FeedbackError, export_feedback

    db = args.db or _settings(args).ui.feedback_db
    try:
        count = export_feedback(db, args.out)
    except FeedbackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        print(f"wrote {count} line(s) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
