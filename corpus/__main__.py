"""``python -m corpus inspect FILE``: sections tree, typed tables, chunk statistics."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from pathlib import Path

from corpus.chunk import CHUNKER_VERSION
from corpus.load import CorpusError, load_document
from corpus.models import Cell, Document, ParsedDocument, Section
from corpus.parse import parse_document


def _format_cell(cell: Cell) -> str:
    if cell.value is None:
        text = cell.text.replace("\n", " ")
        return f"{cell.column}={text[:40]!r}"
    extras = ",".join(
        str(x) for x in (cell.unit, cell.kind, cell.year, cell.comparator) if x
    )
    return f"{cell.column}={cell.value:g}" + (f" [{extras}]" if extras else "")


def _pages(doc: Document, section: Section) -> str:
    if not doc.pages:
        return ""
    first, last = doc.page_of(section.line_start), doc.page_of(section.line_end)
    return f", p. {first}" if first == last else f", p. {first}-{last}"


def render(parsed: ParsedDocument) -> str:
    meta = parsed.meta
    out = [f"# {meta.doc}: {meta.title}", f"{len(parsed.document.lines)} lines"]
    if parsed.toc_lines:
        out.append(f"TOC: lines {parsed.toc_lines[0]}-{parsed.toc_lines[-1]}")
    found = [
        f"{key}={getattr(meta, key)!r}"
        for key in ("municipality", "organ", "kind", "period", "year", "decided", "dnr")
        if getattr(meta, key)
    ]
    out.append("metadata: " + (", ".join(found) or "(none found)"))
    out.append("\n## Sections")
    doc = parsed.document
    for s in parsed.sections:
        indent = "  " * (len(s.path) - 1)
        out.append(
            f"{indent}{s.path[-1]}  (L{s.line_start}-{s.line_end}{_pages(doc, s)})"
        )
    out.append("\n## Tables")
    for t in parsed.tables:
        out.append(
            f"{t.table_id} L{t.line_start}-{t.line_end} unit={t.unit} "
            f"caption={t.caption!r} in {t.section_path}"
        )
        out.append(f"  header: {' | '.join(t.header)}")
        for r in t.rows:
            total = " TOTAL" if r.is_total else ""
            cells = "; ".join(_format_cell(c) for c in r.cells if c.text)
            out.append(
                f"  L{r.line_start}-{r.line_end}{total} {r.label[:50]!r}: {cells}"
            )
    chunks = parsed.chunks
    kinds = Counter(c.kind for c in chunks)
    longest = max((len(c.embed_text) for c in chunks), default=0)
    out.append(f"\n## Chunks ({CHUNKER_VERSION})")
    out.append(
        f"{len(chunks)} chunks ({', '.join(f'{k}: {v}' for k, v in kinds.items())}); "
        f"longest embed_text {longest} chars"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser("inspect", help="show the parsed structure of a document")
    inspect.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        parsed = parse_document(load_document(args.file))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with contextlib.suppress(BrokenPipeError):  # `| head` closes the pipe early
        print(render(parsed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
