"""The format parity benchmark: the same documents as text, DOCX and PDF.

Each text document is parsed by the project's parser, rendered to DOCX
(``evals.render_docx``) and from that DOCX to PDF by LibreOffice headless; the
rendered files are parsed back with the project's loaders and compared with the
text parse (``evals.format_parity``). Then an index is built from each format's
folder (``build_indexer``, into a temp dir) and the question set is run against
it: citations of rendered files have other line numbers, so "correct" (the
answer text) is the main figure, and source quotes are looked up again in each
rendered document's own lines for "supported".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from corpus.load import load_document, sidecar_path
from corpus.parse import parse_document
from evals.format_parity import Parity, compare
from evals.render_docx import render_docx

SOFFICE_TIMEOUT_S = 600
_LIST_NUMBER_RE = re.compile(r"^\d{1,2}[.)]\s+", re.MULTILINE)


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed to convert a file."""


def render_folder(texts: Sequence[Path], out: Path) -> list[Path]:
    """DOCX of each text document (plus its sidecar) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rendered = []
    for path in texts:
        parsed = parse_document(load_document(path))
        rendered.append(render_docx(parsed, out / f"{path.stem}.docx"))
        copy_sidecar(path, out)
    return rendered


def copy_sidecar(path: Path, folder: Path) -> None:
    side = sidecar_path(path)
    if side.is_file():
        shutil.copyfile(side, folder / side.name)


def convert_to_pdf(docx_files: Sequence[Path], out: Path, profile: Path) -> list[Path]:
    """PDF of each DOCX via ``soffice --headless`` (own profile: runs may overlap)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ConversionError(
            "soffice not found — install LibreOffice (`make bench-formats` installs "
            "the Debian package libreoffice-writer-nogui)"
        )
    out.mkdir(parents=True, exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, docx_files),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S
    )
    pdfs = [out / f"{p.stem}.pdf" for p in docx_files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if done.returncode != 0 or missing:
        raise ConversionError(
            f"soffice failed (exit {done.returncode}; missing {missing}): "
            f"{done.stderr.strip()[-500:]}"
        )
    for source in docx_files:
        copy_sidecar(source, out)
    return pdfs


def parity(texts: Sequence[Path], folder: Path, suffix: str) -> list[Parity]:
    """Recall of every rendered document in ``folder`` against its text parse."""
    results = []
    for path in texts:
        text = parse_document(load_document(path))
        other = parse_document(load_document(folder / f"{path.stem}{suffix}"))
        results.append(compare(text, other, suffix.lstrip(".")))
    return results


@dataclass(frozen=True)
class EvalFigures:
    """The question set on one format's index."""

    fmt: str
    questions: int
    correct: float | None
    answer_accuracy: float | None
    refusal_accuracy: float | None
    supported: float | None
    supported_n: int
    quotes_not_found: int
    build_s: float
    run_s: float
    wrong: tuple[str, ...] = ()  # ids of the questions not answered correctly


def quote_variants(quote: str) -> list[str]:
    """The quote as written, then without markup and list numbers: a rendered
    document shows "<b>Summa</b>" as "Summa" and a "1." item as "1)"."""
    from corpus.text import clean_inline

    # Whitespace does not matter to the quote search, so tabs may become spaces.
    cleaned = "\n".join(clean_inline(part) for part in quote.split("\n"))
    unnumbered = _LIST_NUMBER_RE.sub("", cleaned)
    return list(dict.fromkeys([quote, cleaned, unnumbered]))


def source_spans(case: Any, lines_of: Any) -> tuple[tuple[Any, ...], ...] | None:
    """Per source, where its quote (or a variant) is in the rendered document;
    None when one is not found."""
    from evals.metrics import LineSpan, locate_quote

    resolved = []
    for doc, quote in case.sources:
        lines = lines_of(doc)
        if lines is None:
            return None
        if quote is None:
            resolved.append((LineSpan(doc, 1, max(len(lines), 1)),))
            continue
        spans: list[Any] = []
        for alternative in (quote,) if isinstance(quote, str) else quote:
            spans += next(
                (
                    found
                    for variant in quote_variants(alternative)
                    if (found := locate_quote(doc, lines, variant))
                ),
                (),
            )
        if not spans:
            return None
        resolved.append(tuple(dict.fromkeys(spans)))
    return tuple(resolved)


def _renamed(case: Any, suffix: str) -> Any:
    sources = tuple((f"{Path(doc).stem}{suffix}", q) for doc, q in case.sources)
    return replace(case, sources=sources)


@dataclass(frozen=True)
class EvalSetup:
    """The same for every format: the questions, the embedder kind ("e5" or "hash")
    and the folder the per-format indexes are built in."""

    questions: Path
    embedder: str
    work: Path
    progress: bool = False


def evaluate(fmt: str, folder: Path, setup: EvalSetup) -> EvalFigures:
    """Index ``folder`` into ``index-<fmt>`` under ``setup.work``, run the questions."""
    questions, embedder, progress = setup.questions, setup.embedder, setup.progress
    index_dir = setup.work / f"index-{fmt}"
    from assistant.app import build_assistant
    from assistant.ingest_root import build_indexer
    from assistant.settings import load_settings
    from evals.cases import load_cases
    from evals.documents import DocumentLibrary
    from evals.runner import PreparedCase, run_system

    settings = load_settings(
        index_dir=index_dir,
        documents_dir=folder,
        embedder={"kind": embedder},
        llm={"provider": "none"},
    )
    started = time.perf_counter()
    report = build_indexer(settings).ingest([folder], progress=progress)
    if not report.built:
        raise RuntimeError(f"{fmt}: no index built — {report.summary()}")
    build_s = time.perf_counter() - started
    library = DocumentLibrary(folder)
    suffix = f".{fmt}"
    prepared, not_found = [], 0
    for case in load_cases(questions).cases:
        case = _renamed(case, suffix)
        spans = source_spans(case, library)
        if spans is None:
            # The quote's text is split or reflowed in this format: the answer still
            # counts, support is not scored.
            spans, not_found = (), not_found + 1
        prepared.append(PreparedCase(case, spans))
    started = time.perf_counter()
    assistant = build_assistant(settings)
    run = run_system(fmt, assistant, prepared, library, progress=progress)
    overall = run.summary["overall"]
    return EvalFigures(
        fmt=fmt,
        questions=overall["questions"],
        correct=overall["correct"]["value"],
        answer_accuracy=overall["answer_accuracy"]["value"],
        refusal_accuracy=overall["refusal_accuracy"]["value"],
        supported=overall["citation_support"]["value"],
        supported_n=overall["citation_support"]["n"],
        quotes_not_found=not_found,
        build_s=build_s,
        run_s=time.perf_counter() - started,
        wrong=tuple(r.case.id for r in run.runs if not r.score.correct),
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def markdown(parities: Sequence[Parity], evals: Sequence[EvalFigures]) -> str:
    """The two result tables."""
    lines = [
        "| document | format | sections | section recall | cells | cell recall "
        "| tables | table recall |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in parities:
        lines.append(
            f"| {p.doc} | {p.fmt} | {p.sections} | {_pct(p.section_recall)} | "
            f"{p.cells} | {_pct(p.cell_recall)} | {p.tables} | {_pct(p.table_recall)} |"
        )
    if evals:
        base = next((e.correct for e in evals if e.fmt == "txt"), None)
        lines += [
            "",
            "| index built from | questions | correct | Δ correct vs txt | answer acc. "
            "| refusal acc. | supported (n) | quotes not found | index build s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for e in evals:
            delta = (
                "–"
                if base is None or e.correct is None
                else f"{100 * (e.correct - base):+.1f}"
            )
            lines.append(
                f"| {e.fmt} | {e.questions} | {_pct(e.correct)} | {delta} | "
                f"{_pct(e.answer_accuracy)} | {_pct(e.refusal_accuracy)} | "
                f"{_pct(e.supported)} ({e.supported_n}) | {e.quotes_not_found} | "
                f"{e.build_s:.1f} |"
            )
    return "\n".join(lines)


def as_json(
    parities: Sequence[Parity], evals: Sequence[EvalFigures], info: dict[str, Any]
) -> dict[str, Any]:
    return {
        "info": info,
        "parity": [asdict(p) for p in parities],
        "eval": [asdict(e) for e in evals],
    }
