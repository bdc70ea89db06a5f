"""Load, parse and index documents; a no-op when nothing changed.

``python -m index.ingest [--index-dir D] [--embedder hash|e5] [--force] PATHS``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.load import CorpusError
from corpus.models import ParsedDocument
from index.build import HttpVectors, IndexOpenError, build_index, read_manifest
from index.embed import Embedder, HashEmbedder, ModelMissingError
from index.manifest import corpus_hash

DEFAULT_DOCUMENTS = Path("corpus/documents")
DEFAULT_INDEX_DIR = Path("var/index")
DEFAULT_MODEL_DIR = Path("models/multilingual-e5-small")


@dataclass(frozen=True)
class IngestReport:
    """Outcome of one ingest run."""

    built: bool
    reason: str
    documents: int
    chunks: int
    cells: int
    errors: list[CorpusError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        verb = "built" if self.built else "kept"
        lines = [
            f"{verb} index: {self.reason} — {self.documents} documents, "
            f"{self.chunks} chunks, {self.cells} numeric cells ({self.seconds:.1f} s)"
        ]
        lines += [f"skipped {e}" for e in self.errors]
        return "\n".join(lines)


def _current_hash(index_dir: Path) -> str | None:
    try:
        return read_manifest(index_dir).corpus_hash
    except IndexOpenError:
        return None


def _parse_all(
    docs: Sequence, progress: bool
) -> tuple[list[ParsedDocument], list[CorpusError]]:
    from tqdm import tqdm

    from corpus.parse import parse_document

    parsed, errors = [], []
    for doc in tqdm(docs, desc="parsing", disable=not progress, unit="doc"):
        try:
            parsed.append(parse_document(doc))
        except CorpusError as exc:
            errors.append(exc)
    return parsed, errors


def ingest(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    *,
    force: bool = False,
    progress: bool = True,
    chroma_http: tuple[str, int] | None = None,
) -> IngestReport:
    """Index the documents under ``paths``; keeps the old index if anything fails."""
    from corpus.chunk import CHUNKER_VERSION
    from corpus.load import load_corpus

    start = time.perf_counter()
    docs, errors = load_corpus([Path(p) for p in paths])
    errors = list(errors)
    if not docs:
        return IngestReport(
            False, "no loadable documents; previous index kept", 0, 0, 0, errors,
            time.perf_counter() - start,
        )  # fmt: skip
    wanted = corpus_hash(
        {d.doc: d.content_hash for d in docs},
        embedder_id=embedder.model_id,
        embedder_dim=embedder.dim,
        chunker_version=CHUNKER_VERSION,
    )
    if not force and _current_hash(index_dir) == wanted:
        manifest = read_manifest(index_dir)
        return IngestReport(
            False, "index up to date", len(manifest.documents),
            manifest.counts.get("chunks", 0), manifest.counts.get("cells", 0),
            errors, time.perf_counter() - start,
        )  # fmt: skip
    parsed, parse_errors = _parse_all(docs, progress)
    errors += parse_errors
    if not parsed:
        return IngestReport(
            False, "no document could be parsed; previous index kept", 0, 0, 0,
            errors, time.perf_counter() - start,
        )  # fmt: skip
    manifest = build_index(
        parsed,
        embedder,
        index_dir,
        chunker_version=CHUNKER_VERSION,
        vectors=HttpVectors(*chroma_http) if chroma_http else "persistent",
        progress=progress,
    )
    return IngestReport(
        True, "forced rebuild" if force else "corpus, model or chunker changed",
        manifest.counts["documents"], manifest.counts["chunks"],
        manifest.counts["cells"], errors, time.perf_counter() - start,
    )  # fmt: skip


def make_embedder(kind: str, model_dir: Path = DEFAULT_MODEL_DIR) -> Embedder:
    """ "hash" → HashEmbedder (tests), "e5" → the converted multilingual-e5-small."""
    if kind == "hash":
        return HashEmbedder()
    if kind == "e5":
        from index.embed import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model_dir)
    raise ValueError(f"unknown embedder {kind!r}; use 'hash' or 'e5'")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.ingest")
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_DOCUMENTS])
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX_DIR)
    parser.add_argument(
        "--embedder",
        choices=("hash", "e5"),
        default=os.environ.get("ASSISTANT_EMBEDDER__KIND", "e5"),
    )
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    try:
        embedder = make_embedder(args.embedder, args.model_dir)
        report = ingest(
            args.paths, args.index_dir, embedder, force=args.force,
            progress=not args.quiet,
        )  # fmt: skip
    except (ModelMissingError, IndexOpenError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0 if report.built or report.documents else 1


if __name__ == "__main__":
    raise SystemExit(main())
