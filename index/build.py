"""Build all index stores into a fresh directory and swap it in atomically;
open a built index for reading.

Layout: ``var/index`` is a symlink to a sibling build directory
``var/index-<timestamp>-<id>`` holding ``store.sqlite``, ``keyword/``, ``chroma/``
and, written last, ``manifest.json``. A build that dies half-way never becomes the
target of the link, so readers always see the previous complete build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from corpus.models import Chunk, ParsedDocument
from index.embed import Embedder
from index.keyword import KeywordIndex
from index.manifest import MANIFEST_FILE, IndexManifest, ManifestError, corpus_hash
from index.reuse import KeptDocuments, copy_store_rows, kept_documents
from index.tablestore import SqliteTableStore
from index.vectors import ChromaVectorStore, VectorStore

STORE_FILE = "store.sqlite"
KEYWORD_DIR = "keyword"
CHROMA_DIR = "chroma"
EMBED_BATCH = 64
INGEST_HINT = "run `make setup` or `python -m assistant ingest`"
REBUILD_HINT = "rebuild with `python -m assistant ingest --force`"
# index-<UTC timestamp>-<random>, or the pre-symlink layout moved aside.
BUILD_SUFFIX = r"-(\d{8}T\d{6}-[0-9a-f]{6}|0-legacy)"

# (build directory, collection name) → a store to fill.
VectorFactory = Callable[[Path, str], VectorStore]


class IndexOpenError(RuntimeError):
    """Base class: the index cannot be used as it is."""


class NoIndexError(IndexOpenError):
    """Nothing has been built at the index path yet."""


class IndexMismatchError(IndexOpenError):
    """The index was built with another embedder or an older format."""


class IndexCorruptError(IndexOpenError):
    """The directory is not a complete Plansvar index."""


def _persistent_factory(build_dir: Path, collection: str) -> VectorStore:
    return ChromaVectorStore.persistent(build_dir / CHROMA_DIR, collection)


@dataclass(frozen=True)
class HttpVectors:
    """Vector factory writing each build to its own collection on a Chroma server,
    so the previous build's collection stays intact until the swap."""

    host: str
    port: int

    def __call__(self, build_dir: Path, collection: str) -> VectorStore:
        return ChromaVectorStore.http(self.host, self.port, collection)

    def drop(self, collection: str) -> None:
        with contextlib.suppress(Exception):
            ChromaVectorStore.http(self.host, self.port, collection).drop()


def chunk_metadata(chunk: Chunk, parsed: ParsedDocument) -> dict[str, object]:
    meta = parsed.meta
    return {
        "doc": chunk.doc,
        "municipality": meta.municipality,
        "year": meta.year,
        "section_path": chunk.section_path,
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "kind": chunk.kind,
        "collection": meta.collection,
    }


def _progress(iterable, *, enabled: bool, desc: str, total: int | None = None):
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, disable=not enabled, unit="")


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index path (released by the OS if we are killed)."""
    lock_path = index_dir.parent / f".{index_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexOpenError(
                f"another ingest is already building {index_dir}; wait for it to finish"
            ) from None
        yield


def _build_dirs(index_dir: Path) -> list[Path]:
    """Sibling directories written by build_index (never other user folders)."""
    pattern = re.compile(re.escape(index_dir.name) + BUILD_SUFFIX)
    return sorted(
        p
        for p in index_dir.parent.glob(f"{index_dir.name}-*")
        if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink()
    )


def _current_target(index_dir: Path) -> Path | None:
    if index_dir.is_symlink():
        return (index_dir.parent / os.readlink(index_dir)).resolve()
    return None


@dataclass(frozen=True)
class BuildOptions:
    """How to build: the chunker version to record, where vectors go, progress bars,
    and the documents of the current build to carry over unchanged (``keep``)."""

    chunker_version: str
    vectors: str | VectorFactory = "persistent"  # or a factory (Chroma server)
    progress: bool = True
    keep: Collection[str] = ()


@dataclass(frozen=True)
class _Build:
    """One build in progress: its folder, vector collection and settings."""

    build_dir: Path
    collection: str
    factory: VectorFactory
    options: BuildOptions
    start: float  # perf_counter at the start, for the build time

    @property
    def vectors(self) -> str:
        """The manifest's name of the vector store kind."""
        return "persistent" if self.options.vectors == "persistent" else "http"


def build_index(
    parsed: Sequence[ParsedDocument],
    embedder: Embedder,
    index_dir: Path,
    options: BuildOptions,
) -> IndexManifest:
    """Build every store into a fresh sibling directory, then swap it in.

    ``options.keep`` names documents of the current build to carry over unchanged:
    their rows and vectors are copied, not re-parsed or re-embedded.
    """
    index_dir = Path(index_dir).absolute()
    vectors = options.vectors
    factory = _persistent_factory if vectors == "persistent" else vectors
    if not callable(factory):
        raise ValueError(f"vectors must be 'persistent' or a factory, not {vectors!r}")
    start = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    build_id = f"{stamp}-{uuid.uuid4().hex[:6]}"
    build_dir = index_dir.parent / f"{index_dir.name}-{build_id}"
    build = _Build(build_dir, f"chunks-{build_id}", factory, options, start)
    with build_lock(index_dir):
        _remove_unfinished(index_dir)
        kept = _kept(index_dir, options.keep, embedder, factory)
        build_dir.mkdir(parents=True)
        try:
            manifest = _fill(build, parsed, embedder, kept)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            if isinstance(factory, HttpVectors):
                factory.drop(build.collection)
            raise
        previous = _current_target(index_dir)
        _swap(index_dir, build_dir)
        _prune(index_dir, {build_dir.resolve(), previous}, factory)
    return manifest


def _fill(
    build: _Build,
    parsed: Sequence[ParsedDocument],
    embedder: Embedder,
    kept: tuple[Path, KeptDocuments] | None,
) -> IndexManifest:
    build_dir, collection = build.build_dir, build.collection
    progress = build.options.progress
    chunker_version = build.options.chunker_version
    store = SqliteTableStore(build_dir / STORE_FILE)
    try:
        for doc in _progress(parsed, enabled=progress, desc="writing tables"):
            store.write(doc)
    finally:
        store.close()
    if kept:
        copy_store_rows(kept[0] / STORE_FILE, build_dir / STORE_FILE, kept[1].hashes)
    with SqliteTableStore(build_dir / STORE_FILE) as store:
        counts = store.counts()
    pairs = [(c, p) for p in parsed for c in p.chunks]
    # Similar lengths per batch: padding to the longest text dominates encoder time.
    pairs.sort(key=lambda pair: len(pair[0].embed_text))
    ids = [c.chunk_id for c, _ in pairs]
    texts = [c.embed_text for c, _ in pairs]
    vector_store = build.factory(build_dir, collection)
    batches = range(0, len(pairs), EMBED_BATCH)
    for i in _progress(batches, enabled=progress, desc="embedding", total=len(batches)):
        part = pairs[i : i + EMBED_BATCH]
        vector_store.add(
            ids[i : i + EMBED_BATCH],
            embedder.embed_documents(texts[i : i + EMBED_BATCH]),
            [chunk_metadata(c, p) for c, p in part],
            [c.text for c, _ in part],
        )
    doc_hashes = {p.meta.doc: p.document.content_hash for p in parsed}
    if kept:
        old = kept[1]
        old_ids = [c.chunk_id for c in old.chunks]
        for i in range(0, len(old_ids), EMBED_BATCH * 16):
            window = slice(i, i + EMBED_BATCH * 16)
            vector_store.add(
                old_ids[window], old.vectors[window], old.metadatas[window],
                [c.text for c in old.chunks[window]],
            )  # fmt: skip
        ids += old_ids
        texts += [c.embed_text for c in old.chunks]
        doc_hashes = {**old.hashes, **doc_hashes}
    KeywordIndex().build(ids, texts).save(build_dir / KEYWORD_DIR)
    manifest = IndexManifest(
        embedder_id=embedder.model_id,
        embedder_dim=embedder.dim,
        chunker_version=chunker_version,
        corpus_hash=corpus_hash(
            doc_hashes,
            embedder_id=embedder.model_id,
            embedder_dim=embedder.dim,
            chunker_version=chunker_version,
        ),
        documents=doc_hashes,
        counts={**counts, "vectors": vector_store.count()},
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - build.start, 3),
        vectors=build.vectors,
        collection=collection,
    )
    manifest.write(build_dir)  # last: its presence marks the build complete
    return manifest


def _kept(
    index_dir: Path, keep: Collection[str], embedder: Embedder, factory: VectorFactory
) -> tuple[Path, KeptDocuments] | None:
    """The current build and what it stores for ``keep``, read before building."""
    if not keep:
        return None
    manifest = read_manifest(index_dir)
    if not manifest.built_with(embedder.model_id, embedder.dim):
        raise IndexMismatchError(
            f"cannot copy documents from {index_dir}: it was built with "
            f"{manifest.embedder_id}; {REBUILD_HINT}"
        )
    missing = sorted(set(keep) - set(manifest.documents))
    if missing:
        raise IndexOpenError(f"{index_dir} holds no document {missing[0]!r}")
    source = index_dir.resolve()
    if manifest.vectors == "http":
        if not isinstance(factory, HttpVectors):
            raise IndexMismatchError(
                f"index at {index_dir} keeps its vectors on a Chroma server; "
                "pass the server's host and port"
            )
        old_vectors: VectorStore = ChromaVectorStore.http(
            factory.host, factory.port, manifest.collection
        )
    else:
        old_vectors = ChromaVectorStore.persistent(
            source / CHROMA_DIR, manifest.collection
        )
    hashes = {doc: manifest.documents[doc] for doc in keep}
    return source, kept_documents(source / STORE_FILE, old_vectors, hashes)


def _swap(index_dir: Path, build_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_symlink():
        if not (index_dir / MANIFEST_FILE).is_file():
            raise IndexCorruptError(
                f"{index_dir} exists and is not a Plansvar index; move it away "
                "or pass another --index-dir"
            )
        # An index from before the symlink layout: move it aside to be pruned.
        index_dir.rename(index_dir.parent / f"{index_dir.name}-0-legacy")
    link_tmp = index_dir.parent / f".{index_dir.name}.link-{uuid.uuid4().hex[:6]}"
    os.symlink(build_dir.name, link_tmp)
    os.replace(link_tmp, index_dir)  # atomic on POSIX


def _remove_unfinished(index_dir: Path) -> None:
    """Drop leftovers of killed builds (no manifest, not linked)."""
    current = _current_target(index_dir)
    for path in _build_dirs(index_dir):
        if path.resolve() != current and not (path / MANIFEST_FILE).is_file():
            shutil.rmtree(path, ignore_errors=True)


def _prune(index_dir: Path, keep: set[Path | None], factory: VectorFactory) -> None:
    """Remove old builds (and their server collections) except current + previous."""
    for path in _build_dirs(index_dir):
        if path.resolve() in keep:
            continue
        if isinstance(factory, HttpVectors):
            with contextlib.suppress(OSError, ManifestError):
                manifest = IndexManifest.read(path)
                if manifest.vectors == "http":
                    factory.drop(manifest.collection)
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class IndexReader:
    """Read access to a complete build: table store, dense and keyword search."""

    manifest: IndexManifest
    store: SqliteTableStore
    vectors: VectorStore
    keyword_index: KeywordIndex
    embedder: Embedder
    path: Path

    def dense(
        self, query: str, k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        return self.vectors.query(self.embedder.embed_query(query), k, where)

    def keyword(
        self, query: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        return self.keyword_index.search(query, k, allowed)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> IndexReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_manifest(index_dir: Path) -> IndexManifest:
    """The manifest of the current build, with clear errors when there is none."""
    index_dir = Path(index_dir)
    if not index_dir.exists():
        raise NoIndexError(f"no index at {index_dir} — {INGEST_HINT}")
    try:
        return IndexManifest.read(index_dir)
    except FileNotFoundError:
        raise IndexCorruptError(
            f"{index_dir} is not a complete Plansvar index (no {MANIFEST_FILE}); "
            f"{REBUILD_HINT}"
        ) from None
    except (ManifestError, OSError) as exc:
        raise IndexCorruptError(
            f"{index_dir / MANIFEST_FILE} is unreadable ({exc}); {REBUILD_HINT}"
        ) from exc


def open_index(
    index_dir: Path,
    embedder: Embedder,
    *,
    chroma_http: tuple[str, int] | None = None,
) -> IndexReader:
    """Open the current build after checking it matches ``embedder``."""
    from index.manifest import FORMAT_VERSION

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index at {index_dir} has format {manifest.format_version}, this code "
            f"reads {FORMAT_VERSION}; {REBUILD_HINT}"
        )
    if not manifest.built_with(embedder.model_id, embedder.dim):
        raise IndexMismatchError(
            f"index at {index_dir} was built with embedder {manifest.embedder_id} "
            f"(dim {manifest.embedder_dim}) but {embedder.model_id} (dim "
            f"{embedder.dim}) is configured; {REBUILD_HINT}"
        )
    root = index_dir.resolve()
    for part in (STORE_FILE, KEYWORD_DIR):
        if not (root / part).exists():
            raise IndexCorruptError(f"{root} lacks {part}; {REBUILD_HINT}")
    if chroma_http is not None:
        vectors: VectorStore = ChromaVectorStore.http(*chroma_http, manifest.collection)
    elif manifest.vectors == "persistent":
        if not (root / CHROMA_DIR).is_dir():
            raise IndexCorruptError(f"{root} lacks {CHROMA_DIR}/; {REBUILD_HINT}")
        vectors = ChromaVectorStore.persistent(root / CHROMA_DIR, manifest.collection)
    else:
        raise IndexMismatchError(
            f"index at {index_dir} keeps its vectors on a Chroma server; "
            "pass the server's host and port"
        )
    if vectors.count() != manifest.counts.get("vectors", vectors.count()):
        raise IndexCorruptError(
            f"vector store holds {vectors.count()} vectors but the manifest lists "
            f"{manifest.counts['vectors']}; {REBUILD_HINT}"
        )
    store = SqliteTableStore(root / STORE_FILE, read_only=True)
    return IndexReader(
        manifest=manifest,
        store=store,
        vectors=vectors,
        keyword_index=KeywordIndex.load(root / KEYWORD_DIR),
        embedder=embedder,
        path=root,
    )
