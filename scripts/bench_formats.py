"""Format parity benchmark: the bundled text documents rendered as DOCX and PDF.

Renders every ``*.txt`` in ``--docs`` to DOCX (python-docx) and that DOCX to PDF
(LibreOffice headless) in a temp dir, parses them back, and prints per document and
format the section recall and the table cell recall against the text parse; then
runs the question set on an index built from each format (``--embedder e5`` is
the real model, ``hash`` a quick run). Writes a Markdown table and a JSON file.

Usage: python scripts/bench_formats.py [--docs DIR] [--questions FILE]
       [--embedder e5|hash] [--formats docx,pdf] [--skip-eval] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evals.format_bench import EvalFigures
    from evals.format_parity import Parity

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = "targets: section recall ≥ 95 %, cell recall ≥ 98 % per document and format; "
TARGETS += "dev correct on the PDF index within 3 points of the text index"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "corpus" / "documents")
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "evals" / "questions" / "dev.jsonl"
    )
    parser.add_argument("--embedder", choices=("e5", "hash"), default="e5")
    parser.add_argument("--formats", default="docx,pdf", help="comma-separated")
    parser.add_argument("--skip-eval", action="store_true", help="parity only")
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "runs" / "formats")
    parser.add_argument("--keep", type=Path, help="copy the rendered files here")
    parser.add_argument("--quiet", action="store_true")
    return parser


def _render(
    texts: list[Path], work: Path, formats: list[str]
) -> tuple[dict[str, Path], list[Parity]]:
    """Folders per format (the text copies first) and their parity rows.

    Raises ``ConversionError`` when LibreOffice cannot make the PDFs.
    """
    from evals.format_bench import (
        convert_to_pdf,
        copy_sidecar,
        parity,
        render_folder,
    )

    folders = {"txt": work / "txt"}
    folders["txt"].mkdir()
    for path in texts:
        (folders["txt"] / path.name).write_bytes(path.read_bytes())
        copy_sidecar(path, folders["txt"])
    parities: list[Parity] = []
    docx_files = render_folder(texts, work / "docx")
    if "docx" in formats:
        folders["docx"] = work / "docx"
        parities += parity(texts, folders["docx"], ".docx")
    if "pdf" in formats:
        convert_to_pdf(docx_files, work / "pdf", work / "soffice-profile")
        folders["pdf"] = work / "pdf"
        parities += parity(texts, folders["pdf"], ".pdf")
    return folders, parities


def _keep(folders: dict[str, Path], keep: Path) -> None:
    """Copy the rendered (non-text) files out of the temp dir."""
    for fmt, folder in folders.items():
        if fmt != "txt":
            target = keep / fmt
            target.mkdir(parents=True, exist_ok=True)
            for file in folder.iterdir():
                if file.is_file():
                    (target / file.name).write_bytes(file.read_bytes())


def _evaluate(
    folders: dict[str, Path], work: Path, args: argparse.Namespace
) -> list[EvalFigures]:
    """The question set on an index built from each format's folder."""
    from evals.format_bench import EvalSetup, evaluate

    setup = EvalSetup(args.questions, args.embedder, work, progress=not args.quiet)
    evals: list[EvalFigures] = []
    for fmt, folder in folders.items():
        figures = evaluate(fmt, folder, setup)
        evals.append(figures)
        print(
            f"{fmt}: correct {figures.correct:.3f}, supported "
            f"{figures.supported}", file=sys.stderr, flush=True,
        )  # fmt: skip
    return evals


def _write(
    args: argparse.Namespace, parities: list[Parity], evals: list[EvalFigures]
) -> None:
    from evals.format_bench import as_json, markdown

    info = {
        "finished": datetime.now().isoformat(timespec="seconds"),
        "documents": str(args.docs),
        "questions": str(args.questions),
        "embedder": args.embedder,
        "cpu_threads": os.cpu_count(),
    }
    table = markdown(parities, evals)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_formats.md").write_text(
        f"{table}\n\n{TARGETS}\n", encoding="utf-8"
    )
    (args.out / "bench_formats.json").write_text(
        json.dumps(as_json(parities, evals, info), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    print(f"\n{table}\n\n{TARGETS}\nwritten: {args.out}/bench_formats.{{md,json}}")


def main() -> int:
    from evals.format_bench import ConversionError, markdown

    args = _parser().parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - {"docx", "pdf"})
    if unknown:
        print(f"error: unknown formats {unknown}; use docx and/or pdf", file=sys.stderr)
        return 2
    texts = sorted(args.docs.glob("*.txt"))
    if not texts:
        print(f"error: no .txt documents in {args.docs}", file=sys.stderr)
        return 2
    evals: list[EvalFigures] = []
    with tempfile.TemporaryDirectory(prefix="plansvar-formats-") as tmp:
        work = Path(tmp)
        try:
            folders, parities = _render(texts, work, formats)
        except ConversionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.keep:
            _keep(folders, args.keep)
        print(markdown(parities, []), flush=True)
        if not args.skip_eval:
            evals = _evaluate(folders, work, args)
    _write(args, parities, evals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
