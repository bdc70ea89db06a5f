"""``build_indexer(settings)``: the composition root for building the index.

The embedder (``assistant.app.make_embedder``) and the Chroma connection (a local
persistent store, or the server named in ``settings.chroma``) are chosen here and
nowhere else; ``index.ingest`` takes both as arguments. The CLI ``ingest`` and
``remove``, the web upload tab, the eval baseline and the format benchmark all go
through an ``Indexer``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evidence.similarity import SENTENCE_VECTORS, SentenceVectors
from assistant.settings import Settings

if TYPE_CHECKING:
    from index.build import IndexReader
    from index.ingest import IngestReport


def _sentence_progress(batches: Iterable[int]) -> Iterable[int]:
    from tqdm import tqdm

    return tqdm(batches, desc="Embedding sentences", unit="batch")


def chroma_http(settings: Settings) -> tuple[str, int] | None:
    """(host, port) of the Chroma server, or None for the index's own store."""
    if settings.chroma.mode == "http":
        return settings.chroma.host, settings.chroma.port
    return None


@dataclass(frozen=True)
class Indexer:
    """Builds, updates and opens one index with one embedder and one Chroma target."""

    index_dir: Path
    documents_dir: Path
    embedder: Any  # index.embed.Embedder
    chroma_http: tuple[str, int] | None = None

    def ingest(
        self,
        paths: Sequence[Path] = (),
        *,
        force: bool = False,
        progress: bool = True,
        meta: Mapping[str, object] | None = None,
    ) -> IngestReport:
        """Add or replace the files under ``paths`` (default: the documents folder)."""
        from index.ingest import IndexTarget, ingest

        previous = self._sentence_vectors()
        report = ingest(
            list(paths) or [self.documents_dir],
            IndexTarget(self.index_dir, self.embedder, self.chroma_http),
            force=force,
            progress=progress,
            meta=meta,
        )
        self._embed_sentences(previous, progress=progress)
        return report

    def remove(self, docs: Sequence[str], *, progress: bool = False) -> IngestReport:
        """Drop documents by file name (a new build without them)."""
        from index.ingest import IndexTarget, remove

        previous = self._sentence_vectors()
        report = remove(
            docs,
            IndexTarget(self.index_dir, self.embedder, self.chroma_http),
            progress=progress,
        )
        self._embed_sentences(previous, progress=progress)
        return report

    def _embed_sentences(
        self, previous: SentenceVectors | None = None, *, progress: bool = False
    ) -> int:
        """Store the vector of every passage sentence of the built index beside it
        (answering reads them instead of running the model); vectors of
        ``previous`` (the build before) are reused. Returns how many were
        embedded now; 0 without an index."""
        from assistant.answering.compose import passage_sentences
        from index.build import IndexOpenError

        try:
            reader = self.open()
        except IndexOpenError:
            return 0
        with reader:
            path = reader.path / SENTENCE_VECTORS
            texts = {
                s for c in reader.store.all_chunks() for s in passage_sentences(c.text)
            }
            # The build's own vectors when it has them (nothing was rebuilt),
            # otherwise those of the build before.
            have = SentenceVectors.load(path) or previous or SentenceVectors.empty()
            kept = have.only(texts)
            new = sorted(texts - set(kept.texts))
            if not new and len(kept.texts) == len(have.texts) and path.exists():
                return 0
            bar = _sentence_progress if progress else None
            fresh = SentenceVectors.embed(self.embedder, new, progress=bar)
            kept.merged(fresh).save(path)
            return len(new)

    def _sentence_vectors(self) -> SentenceVectors | None:
        """The sentence vectors of the current build (None without one): the
        index folder resolves to it, so nothing needs opening."""
        return SentenceVectors.load(self.index_dir.resolve() / SENTENCE_VECTORS)

    def open(self) -> IndexReader:
        """The built index, read with the same embedder and Chroma connection."""
        from index.build import open_index

        return open_index(self.index_dir, self.embedder, chroma_http=self.chroma_http)


def make_embedder(settings: Settings) -> Any:
    """The embedder named in settings (real e5 model or the hashing fake); the one
    place that chooses it, for ingest and for answering."""
    from index.embed import HashEmbedder, SentenceTransformerEmbedder

    if settings.embedder.kind == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(settings.embedder.model_dir)


def build_indexer(settings: Settings, embedder: Any | None = None) -> Indexer:
    """The ``Indexer`` for ``settings``; ``embedder`` replaces the configured one
    (a caller that already loaded the model passes it, so it loads once)."""
    return Indexer(
        index_dir=settings.index_dir,
        documents_dir=settings.documents_dir,
        embedder=embedder if embedder is not None else make_embedder(settings),
        chroma_http=chroma_http(settings),
    )
