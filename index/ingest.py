"""Load, parse and index documents incrementally; a no-op when nothing changed.

The caller chooses the index folder, the embedder and the Chroma connection
(``assistant.ingest_root.build_indexer`` is the one place that does); this module
keeps no defaults of its own. The files named are added or replace the document of the same name; documents
already indexed and not named stay as they are (copied, not re-embedded).
``remove`` drops documents the same way: a new build, swapped in atomically.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus.load import CorpusError
from corpus.models import Document, DocumentMeta, ParsedDocument
from index.build import (
    BuildOptions,
    HttpVectors,
    IndexOpenError,
    VectorFactory,
    build_index,
    read_manifest,
)
from index.embed import Embedder
from index.manifest import FORMAT_VERSION, IndexManifest

META_FLAGS = ("title", "municipality", "organ", "kind", "year", "collection")


@dataclass(frozen=True)
class IndexTarget:
    """The index documents go into: its folder, its embedder, and the Chroma server
    (host, port) that holds its vectors (None: on disk inside the folder)."""

    index_dir: Path
    embedder: Embedder
    chroma_http: tuple[str, int] | None = None

    def vectors(self) -> str | VectorFactory:
        """The vector store argument of ``build_index``."""
        return HttpVectors(*self.chroma_http) if self.chroma_http else "persistent"


@dataclass(frozen=True)
class IngestReport:
    """Outcome of one ingest (or remove) run."""

    built: bool
    reason: str
    documents: int
    chunks: int
    cells: int
    errors: list[CorpusError] = field(default_factory=list)
    seconds: float = 0.0
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    # Metadata of added/replaced documents, with where it came from, to confirm.
    metadata: tuple[tuple[DocumentMeta, str], ...] = ()

    def summary(self) -> str:
        verb = "built" if self.built else "kept"
        changes = ", ".join(
            f"{len(names)} {label}"
            for label, names in (
                ("added", self.added), ("replaced", self.replaced),
                ("unchanged", self.unchanged), ("removed", self.removed),
            )
            if names
        )  # fmt: skip
        lines = [
            f"{verb} index: {self.reason}{f' ({changes})' if changes else ''} — "
            f"{self.documents} documents, {self.chunks} chunks, {self.cells} "
            f"numeric cells ({self.seconds:.1f} s)"
        ]
        for meta, source in self.metadata:
            lines.append(f"  {meta.doc}: {_describe(meta)} [{source}]")
        lines += [f"skipped {e}" for e in self.errors]
        indexed = len(self.added) + len(self.replaced) if self.built else 0
        lines.append(f"indexed {indexed}, skipped {len(self.errors)}")
        return "\n".join(lines)


def _describe(meta: DocumentMeta) -> str:
    fields = ("title", "municipality", "organ", "kind", "year", "collection")
    return ", ".join(f"{k}={getattr(meta, k)!r}" for k in fields)


GUESSED = (
    "guessed from the text — check it; correct it with a <stem>.meta.toml sidecar "
    "or --title/--municipality/--organ/--kind/--year/--collection"
)


@dataclass(frozen=True)
class _Loaded:
    doc: Document
    path: Path
    source: str  # where the metadata came from


def _with_meta(doc: Document, meta: Mapping[str, Any]) -> Document:
    """Apply command-line metadata; it changes the content hash like a sidecar."""
    extra = json.dumps(dict(meta), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{doc.content_hash}\n{extra}".encode()).hexdigest()
    return replace(doc, meta=replace(doc.meta, **meta), content_hash=digest)


def _load(
    paths: Sequence[Path], meta: Mapping[str, object], indexed: Mapping[str, str]
) -> tuple[list[_Loaded], list[CorpusError]]:
    """Load every file once; duplicates and clashing names become errors."""
    from corpus.load import expand_paths, load_document, sidecar_path

    loaded: list[_Loaded] = []
    errors: list[CorpusError] = []
    seen_paths: set[Path] = set()
    seen_text: dict[str, str] = {}
    seen_stem: dict[str, str] = {}
    by_hash = {h: name for name, h in indexed.items()}
    for path in expand_paths(paths):
        if path.resolve() in seen_paths:
            continue
        seen_paths.add(path.resolve())
        try:
            doc = load_document(path)
        except CorpusError as exc:
            errors.append(exc)
            continue
        source = "from sidecar" if sidecar_path(path).exists() else GUESSED
        if meta:
            doc, source = _with_meta(doc, meta), f"flags {sorted(meta)}; rest {source}"
        name, stem = doc.doc, Path(doc.doc).stem
        text_hash = hashlib.sha256("\n".join(doc.lines).encode()).hexdigest()
        twin = seen_text.get(text_hash) or (
            by_hash.get(doc.content_hash) if name not in indexed else None
        )
        if twin:
            errors.append(
                CorpusError(
                    path, f"duplicate of {twin} (same text) — indexed once; remove one"
                )
            )
            continue
        clash = seen_stem.get(stem) or next(
            (d for d in indexed if Path(d).stem == stem and d != name), None
        )
        if clash:
            errors.append(
                CorpusError(
                    path,
                    f"same name as {clash} apart from the extension — rename one of "
                    "them (citations and chunk ids use the name without extension)",
                )
            )
            continue
        seen_text[text_hash], seen_stem[stem] = name, name
        loaded.append(_Loaded(doc, path, source))
    return loaded, errors


def _current(index_dir: Path) -> IndexManifest | None:
    try:
        return read_manifest(index_dir)
    except IndexOpenError:
        return None


def _counts(manifest: IndexManifest | None) -> tuple[int, int, int]:
    if manifest is None:
        return 0, 0, 0
    counts = manifest.counts
    return len(manifest.documents), counts.get("chunks", 0), counts.get("cells", 0)


def _reusable(
    manifest: IndexManifest, embedder: Embedder, chunker: str, http: bool
) -> bool:
    """Can stored chunks and vectors be copied into a build made now?"""
    return (
        manifest.format_version == FORMAT_VERSION
        and manifest.built_with(embedder.model_id, embedder.dim)
        and manifest.chunker_version == chunker
        and (manifest.vectors == "http") == http
    )


def _stored(
    index_dir: Path, names: set[str], errors: list[CorpusError]
) -> list[Document]:
    """Indexed documents not named now, from their stored lines (for re-parsing)."""
    import sqlite3

    from index.build import STORE_FILE
    from index.reuse import stored_documents

    try:
        return stored_documents(Path(index_dir).resolve() / STORE_FILE, names)
    except (sqlite3.Error, OSError, KeyError, ValueError) as exc:
        errors.append(
            CorpusError(
                index_dir,
                f"cannot re-read {len(names)} stored documents ({exc}); ingest "
                "their files again",
            )
        )
        return []


def _parse_all(
    docs: Sequence[Document], progress: bool
) -> tuple[list[ParsedDocument], list[CorpusError]]:
    from tqdm import tqdm

    from corpus.parse import parse_document

    parsed, errors = [], []
    for doc in tqdm(docs, desc="parsing", disable=not progress, unit="doc"):
        try:
            parsed.append(parse_document(doc))
        except CorpusError as exc:
            errors.append(exc)
        except Exception as exc:  # one broken document must not stop the rest
            errors.append(
                CorpusError(doc.doc, f"cannot parse ({type(exc).__name__}: {exc})")
            )
    return parsed, errors


def ingest(
    paths: Sequence[Path],
    target: IndexTarget,
    *,
    force: bool = False,
    progress: bool = True,
    meta: Mapping[str, object] | None = None,
) -> IngestReport:
    """Add or replace the documents under ``paths``; keeps the old index on failure.

    Only files whose content hash changed are parsed and embedded; the other
    indexed documents are copied from the current build. ``meta`` (keys of
    ``META_FLAGS``) overrides sidecar and guessed metadata of the files named.
    """
    from corpus.chunk import CHUNKER_VERSION

    index_dir, embedder = target.index_dir, target.embedder
    start = time.perf_counter()
    current = _current(index_dir)
    indexed = dict(current.documents) if current else {}
    loaded, errors = _load([Path(p) for p in paths], meta or {}, indexed)

    def report(built: bool, reason: str, **kw: Any) -> IngestReport:
        counts = _counts(read_manifest(index_dir) if built else current)
        return IngestReport(
            built, reason, *counts, errors, time.perf_counter() - start, **kw
        )

    if not loaded:
        return report(False, "no loadable documents; previous index kept")
    names = {item.doc.doc for item in loaded}
    reuse = (
        current is not None
        and not force
        and _reusable(
            current, embedder, CHUNKER_VERSION, target.chroma_http is not None
        )
    )
    if reuse:
        todo = [i.doc for i in loaded if indexed.get(i.doc.doc) != i.doc.content_hash]
        unchanged = tuple(sorted(names - {d.doc for d in todo}))
        if not todo:
            return report(False, "index up to date", unchanged=unchanged)
        carried = set(indexed) - {d.doc for d in todo}
    else:
        # Other embedder, chunker or --force: nothing stored can be copied, so the
        # indexed documents not named now are re-parsed from their stored lines.
        todo = [i.doc for i in loaded] + _stored(
            index_dir, set(indexed) - names, errors
        )
        unchanged, carried = (), set()
    parsed, parse_errors = _parse_all(todo, progress)
    errors += parse_errors
    if reuse:  # a replacement that fails to parse leaves the indexed version
        carried |= ({d.doc for d in todo} - {p.meta.doc for p in parsed}) & set(indexed)
    if not parsed:
        return report(False, "no document could be parsed; previous index kept")
    options = BuildOptions(CHUNKER_VERSION, target.vectors(), progress, carried)
    build_index(parsed, embedder, index_dir, options)
    new = sorted(p.meta.doc for p in parsed if p.meta.doc in names)
    sources = {i.doc.doc: i.source for i in loaded}
    if current is None:
        reason = "new index"
    elif force:
        reason = "forced rebuild"
    elif not reuse:
        reason = "model, chunker or index format changed; all documents re-parsed"
    else:
        reason = "documents changed"
    return report(
        True,
        reason,
        added=tuple(d for d in new if d not in indexed),
        replaced=tuple(d for d in new if d in indexed),
        unchanged=unchanged,
        metadata=tuple(
            (p.meta, sources[p.meta.doc]) for p in parsed if p.meta.doc in names
        ),
    )


def remove(
    docs: Sequence[str], target: IndexTarget, *, progress: bool = False
) -> IngestReport:
    """Drop documents by file name: a new build without them, swapped in atomically."""
    index_dir = target.index_dir
    start = time.perf_counter()
    current = read_manifest(index_dir)
    names = [Path(d).name for d in docs]
    unknown = [d for d in names if d not in current.documents]
    if unknown:
        raise IndexOpenError(
            f"no document {unknown[0]!r} in {index_dir} — see `python -m assistant list`"
        )
    keep = set(current.documents) - set(names)
    if not keep:
        raise IndexOpenError(
            "refusing to remove every document; ingest the new documents first, "
            "then remove the old ones"
        )
    options = BuildOptions(current.chunker_version, target.vectors(), progress, keep)
    build_index([], target.embedder, index_dir, options)
    counts = _counts(read_manifest(index_dir))
    return IngestReport(
        True, "documents removed", *counts, [], time.perf_counter() - start,
        removed=tuple(sorted(set(names))), unchanged=tuple(sorted(keep)),
    )  # fmt: skip
