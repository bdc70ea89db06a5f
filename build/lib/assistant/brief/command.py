"""``python -m assistant brief DOC [--format md|json|html] [--out FILE]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.brief.cache import CACHE_DIR_NAME, BriefCache
from assistant.brief.render import to_html, to_json_text, to_markdown
from assistant.settings import Settings


def cache_dir(settings: Settings) -> Path:
    """Where briefs are cached: the setting, else a folder of the index directory."""
    return settings.brief_cache_dir or Path(settings.index_dir) / CACHE_DIR_NAME


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("brief", help="onboarding brief of one indexed document")
    p.add_argument("doc", help="document file name (see `list`)")
    p.add_argument("--format", choices=("md", "json", "html"), default="md")
    p.add_argument("--out", type=Path, help="write here (charts beside it for md)")
    p.add_argument(
        "--cache-dir",
        type=Path,
        help=f"where briefs are cached (default: <index dir>/{CACHE_DIR_NAME})",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import build_assistant

    assistant = build_assistant(settings)
    cache = BriefCache(args.cache_dir or cache_dir(settings))
    brief = cache.get(assistant, args.doc)
    if args.format == "json":
        text = to_json_text(brief) + "\n"
    elif args.format == "html":
        text = to_html(brief, cache.charts(brief))
    else:
        pngs = cache.charts(brief)
        folder = args.out.parent if args.out else Path.cwd()
        stem = args.out.stem if args.out else Path(args.doc).stem + ".brief"
        names = []
        for n, png in enumerate(pngs, start=1):
            name = f"{stem}.chart{n}.png"
            (folder / name).write_bytes(png)
            names.append(name)
        text = to_markdown(brief, names)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
