"""Command line: ``python -m assistant ingest | ask | serve | list``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from assistant.models import Answer, Filters
from assistant.settings import Settings, load_settings

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    p.add_argument("--config", type=Path, help="TOML settings file")
    p.add_argument("--index-dir", type=Path, help="index directory (default var/index)")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="build or update the index")
    ing.add_argument("paths", nargs="*", type=Path, help="files or folders")
    ing.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    for flag in ("title", "municipality", "organ", "kind", "collection"):
        ing.add_argument(f"--{flag}", help=f"{flag} of the files named (over sidecar)")
    ing.add_argument("--year", type=int, help="year of the files named")

    rm = sub.add_parser("remove", help="remove documents from the index")
    rm.add_argument("docs", nargs="+", help="document file names (see `list`)")

    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer object")
    ask.add_argument("--history", action="append", default=[], help="earlier question")
    ask.add_argument("--municipality")
    ask.add_argument("--doc")
    ask.add_argument("--year", type=int)

    serve = sub.add_parser("serve", help="start the web chat")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    sub.add_parser("list", help="list indexed documents")
    from assistant.brief.command import add_parser as add_brief

    add_brief(sub)
    return p


def render_plain(answer: Answer) -> str:
    """Human-readable answer with its sources block."""
    out = []
    if answer.interpretation:
        out.append(answer.interpretation)
    out.append(answer.answer)
    if answer.notice:
        out.append(f"({answer.notice})")
    if answer.citations:
        out.append("\nKällor:")
        for c in answer.citations:
            page = f", s. {c.page}" if c.page else ""
            out.append(
                f"[{c.n}] {c.title} ({c.doc}) › {c.section}, rad {c.line_start}"
                f"–{c.line_end}{page}"
            )
            out.extend(f"    {line}" for line in c.text.split("\n"))
    return "\n".join(out)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"index_dir": args.index_dir} if args.index_dir else {}
    return load_settings(args.config, **overrides)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = _settings(args)
    command = _COMMANDS.get(args.command)
    if command is None:
        return 1
    try:
        return command(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the edge: one clear sentence, no traceback
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest_root import build_indexer
    from index.ingest import META_FLAGS

    meta = {k: getattr(args, k) for k in META_FLAGS if getattr(args, k) is not None}
    report = build_indexer(settings).ingest(args.paths, force=args.force, meta=meta)
    print(report.summary())
    return 0 if report.built or report.unchanged or not report.errors else 2


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest_root import build_indexer

    report = build_indexer(settings).remove(args.docs)
    print(report.summary())
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_assistant

    assistant = build_assistant(settings)
    filters = Filters(municipality=args.municipality, doc=args.doc, year=args.year)
    answer = assistant.ask(args.question, history=args.history, filters=filters)
    if args.json:
        print(json.dumps(answer.to_plain_json(), ensure_ascii=False, indent=1))
    else:
        print(render_plain(answer))
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.server import serve

    if args.host:
        settings.ui.host = args.host
    if args.port:
        settings.ui.port = args.port
    serve(settings)
    return 0


def _brief(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.brief.command import run as run_brief

    return run_brief(args, settings)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_assistant

    for meta in build_assistant(settings).documents():
        print(
            f"{meta.doc}\t{meta.municipality}\t{meta.kind}\t{meta.period}\t{meta.title}"
        )
    return 0


# One handler per subcommand; heavy imports stay inside the handlers (fast --help).
_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "ingest": _ingest,
    "remove": _remove,
    "ask": _ask,
    "serve": _serve,
    "brief": _brief,
    "list": _list,
}
