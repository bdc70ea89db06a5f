"""The structured dense baseline: Plansvar's own index, dense top-10, top chunk.

It searches the project's structured index (section-aware text chunks and one chunk
per table row, embedded with e5) by the dense ranking alone, answers with the top
chunk and never refuses; no keyword ranking, lookup or refusal. It answers through
the same ``Answer`` record as the assistant, so every metric applies unchanged and
the report can put the systems side by side. It ignores the chat history on purpose:
that is what a plain retriever does. (``evals/langchain_baseline.py`` is the other
baseline: plain LangChain over the raw text.)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from assistant.models import Answer, Citation, Filters, Hit
from assistant.settings import Settings
from corpus.models import Chunk


class DenseSearch(Protocol):
    """The part of ``index.build.IndexReader`` the baseline needs."""

    def dense(
        self, query: str, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]: ...


class ChunkLookup(Protocol):
    def chunk(self, chunk_id: str) -> Chunk: ...


class StructuredDenseBaseline:
    """``ask`` like ``Assistant.ask``: dense-only retrieval, top chunk as the answer."""

    def __init__(
        self,
        search: DenseSearch,
        chunks: ChunkLookup,
        top_k: int = 10,
        n_citations: int = 3,
    ) -> None:
        self._search = search
        self._chunks = chunks
        self.top_k = top_k
        self.n_citations = n_citations

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer:
        started = time.perf_counter()
        ranked = self._search.dense(question, self.top_k, None)
        hits: list[Hit] = []
        for chunk_id, similarity in ranked[: self.top_k]:
            c = self._chunks.chunk(chunk_id)
            hits.append(
                Hit.from_chunk(
                    c, similarity, dense_rank=len(hits) + 1, dense_similarity=similarity
                )
            )
        citations = tuple(
            Citation(
                n=n,
                doc=h.doc,
                title=h.doc,
                section=h.section_path,
                line_start=h.line_start,
                line_end=h.line_end,
                text=h.text,
                page=h.page,
            )
            for n, h in enumerate(hits[: self.n_citations], start=1)
        )
        return Answer(
            question=question,
            answer=hits[0].text if hits else "",
            refused=False,
            citations=citations,
            retrieved=tuple(hits),
            latency_ms=(time.perf_counter() - started) * 1000,
        )


def build_baseline(settings: Settings) -> StructuredDenseBaseline:
    """Open the built index with the configured embedder (the real one by default)."""
    # Imported here: opening the index loads Chroma and possibly the model.
    from assistant.ingest_root import build_indexer

    reader = build_indexer(settings).open()
    return StructuredDenseBaseline(reader, reader.store, top_k=settings.retrieval.top_k)
