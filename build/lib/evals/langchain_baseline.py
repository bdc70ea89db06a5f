"""The plain LangChain baseline, as a LangChain user would first build it.

``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over each
document's raw text, the project's embedder (e5 with its query/passage prefixes)
wrapped as LangChain ``Embeddings``, an in-memory ``langchain_chroma.Chroma``
(telemetry off), dense top-4; the answer is the four passages joined, the citations
are their line ranges, and it never refuses. It answers through the same ``Answer``
record as the assistant, so every metric applies unchanged. Like the structured
baseline it ignores chat history and filters.
"""

from __future__ import annotations

import bisect
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.models import Answer, Citation, Filters, Hit
from corpus.models import Document

if TYPE_CHECKING:
    from langchain_core.documents import Document as LcDocument
    from langchain_core.embeddings import Embeddings

    from assistant.settings import Settings

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4


@dataclass(frozen=True)
class LineOffsets:
    """Character offset -> 1-based line of a text joined with "\\n"."""

    starts: tuple[int, ...]  # offset of the first character of each line

    @classmethod
    def of(cls, lines: Sequence[str]) -> LineOffsets:
        starts, offset = [], 0
        for line in lines:
            starts.append(offset)
            offset += len(line) + 1  # the "\n" that joins it to the next
        return cls(tuple(starts))

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def split_documents(documents: Sequence[Document]) -> list[LcDocument]:
    """The splitter's chunks of every document, each with its 1-based line range.

    Metadata: doc, title, start_index (from ``add_start_index``), line_start,
    line_end, page (PDFs). Raises ``ValueError`` if a chunk is not found in its
    text (the splitter's offsets would then be wrong).
    """
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    chunks: list[LcDocument] = []
    for document in documents:
        text = "\n".join(document.lines)
        offsets = LineOffsets.of(document.lines)
        meta = {"doc": document.doc, "title": document.meta.title}
        for chunk in splitter.create_documents([text], [meta]):
            start = chunk.metadata["start_index"]
            if start < 0 or text[start : start + len(chunk.page_content)] != (
                chunk.page_content
            ):
                raise ValueError(
                    f"{document.doc}: the splitter's chunk at offset {start} is not "
                    "in the text; cannot map it to lines"
                )
            first = offsets.line_of(start)
            last = offsets.line_of(start + len(chunk.page_content) - 1)
            chunk.metadata |= {
                "line_start": first,
                "line_end": last,
                "page": document.page_of(first) or 0,  # Chroma stores no None
            }
            chunks.append(chunk)
    return chunks


class LangChainBaseline:
    """``ask`` like ``Assistant.ask``: Chroma dense top-4 over splitter chunks."""

    def __init__(
        self,
        documents: Sequence[Document],
        embeddings: Embeddings,
        top_k: int = TOP_K,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        self.top_k = top_k
        self._lines = {d.doc: d.lines for d in documents}
        client = chromadb.EphemeralClient(
            settings=ChromaSettings(anonymized_telemetry=False)
        )
        # A fresh name: ephemeral clients share one in-process system.
        self._store = Chroma(
            collection_name=f"langchain-baseline-{uuid.uuid4().hex[:12]}",
            embedding_function=embeddings,
            client=client,
            collection_metadata={"hnsw:space": "cosine"},
        )
        chunks = split_documents(documents)
        if chunks:
            ids = [f"{c.metadata['doc']}@{c.metadata['start_index']}" for c in chunks]
            self._store.add_documents(chunks, ids=ids)
        self.chunk_count = len(chunks)

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer:
        started = time.perf_counter()
        found = (
            self._store.similarity_search_with_score(question, k=self.top_k)
            if self.chunk_count and question.strip()
            else []
        )
        hits, citations = [], []
        for n, (chunk, distance) in enumerate(found, start=1):
            meta = chunk.metadata
            doc, first, last = meta["doc"], meta["line_start"], meta["line_end"]
            similarity = 1.0 - distance  # cosine space: distance = 1 - cosine
            hits.append(
                Hit(
                    chunk_id=chunk.id or f"{doc}@{meta['start_index']}",
                    doc=doc,
                    section_path="",  # raw text: the splitter knows no sections
                    line_start=first,
                    line_end=last,
                    text=chunk.page_content,
                    kind="text",
                    score=similarity,
                    dense_rank=n,
                    dense_similarity=similarity,
                    page=meta.get("page") or None,
                )
            )
            citations.append(
                Citation(
                    n=n,
                    doc=doc,
                    title=meta.get("title") or doc,
                    section="",
                    line_start=first,
                    line_end=last,
                    text="\n".join(self._lines[doc][first - 1 : last]),
                    page=meta.get("page") or None,
                )
            )
        return Answer(
            question=question,
            answer="\n\n".join(chunk.page_content for chunk, _ in found),
            refused=False,
            citations=tuple(citations),
            retrieved=tuple(hits),
            latency_ms=(time.perf_counter() - started) * 1000,
        )


def build_langchain_baseline(
    settings: Settings, documents_dir: Path | None = None
) -> LangChainBaseline:
    """Load the documents of ``documents_dir`` (default: the settings') and embed
    them with the configured embedder (e5 by default, the hash fake in tests)."""
    from assistant.ingest_root import make_embedder
    from corpus.load import load_corpus
    from index.langchain_embeddings import ProjectEmbeddings

    folder = Path(documents_dir or settings.documents_dir)
    documents, errors = load_corpus([folder])
    if errors:
        # The assistant's index skips such files too; say which, then go on.
        for error in errors:
            print(f"LangChain baseline: skipped {error}", file=sys.stderr)
    if not documents:
        raise ValueError(
            f"no loadable documents in {folder}; pass --documents DIR or add files"
        )
    embeddings: Any = ProjectEmbeddings(make_embedder(settings))
    return LangChainBaseline(documents, embeddings)
