"""The plain LangChain baseline: splitter offsets mapped to lines, e5 prefixes,
Chroma dense top-4 answers with valid citations, offline."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from corpus.load import load_corpus
from corpus.models import Document, DocumentMeta
from evals.documents import DocumentLibrary
from evals.langchain_baseline import (
    CHUNK_OVERLAP,
    CHUNK_SIZE,
    LangChainBaseline,
    LineOffsets,
    build_langchain_baseline,
    split_documents,
)
from evals.metrics import citation_problems, is_refusal
from index.embed import HashEmbedder
from index.langchain_embeddings import ProjectEmbeddings

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
LIB = DocumentLibrary(DOCS)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    loaded, errors = load_corpus([DOCS])
    assert loaded and not errors
    return loaded


@pytest.fixture(scope="module")
def baseline(documents: list[Document]) -> LangChainBaseline:
    return LangChainBaseline(documents, ProjectEmbeddings(HashEmbedder()))


@pytest.fixture
def no_network() -> Iterator[None]:
    """Any socket use fails (pytest-socket, installed with langchain-tests)."""
    from pytest_socket import disable_socket, enable_socket

    disable_socket(allow_unix_socket=True)
    try:
        yield
    finally:
        enable_socket()


def test_line_offsets_map_characters_to_lines() -> None:
    offsets = LineOffsets.of(["ab", "", "cde"])  # "ab\n\ncde"
    assert [offsets.line_of(i) for i in range(7)] == [1, 1, 1, 2, 3, 3, 3]


def test_chunks_keep_their_exact_line_ranges(documents: list[Document]) -> None:
    chunks = split_documents(documents)
    by_doc = {d.doc: d for d in documents}
    assert {c.metadata["doc"] for c in chunks} == set(by_doc)
    for chunk in chunks:
        meta, text = chunk.metadata, chunk.page_content
        lines = by_doc[meta["doc"]].lines
        assert 0 < len(text) <= CHUNK_SIZE
        covered = "\n".join(lines[meta["line_start"] - 1 : meta["line_end"]])
        # The chunk lies inside its lines, starting on the first, ending on the last.
        at = covered.find(text)
        assert at >= 0 and at <= len(lines[meta["line_start"] - 1])
        last_line_start = len(covered) - len(lines[meta["line_end"] - 1])
        assert last_line_start <= at + len(text) - 1 < len(covered)


def test_consecutive_chunks_overlap_as_configured(documents: list[Document]) -> None:
    chunks = [
        c for c in split_documents(documents) if c.metadata["doc"] == documents[0].doc
    ]
    assert len(chunks) > 10
    overlaps = []
    for a, b in pairwise(chunks):
        start_a, start_b = a.metadata["start_index"], b.metadata["start_index"]
        assert start_b > start_a
        overlaps.append(start_a + len(a.page_content) - start_b)
    assert max(overlaps) <= CHUNK_OVERLAP
    # Chunks cut inside a long paragraph share text; at paragraph breaks they don't.
    assert any(o > 0 for o in overlaps)


def test_answer_is_the_top_four_joined_with_their_lines(
    baseline: LangChainBaseline, no_network: None
) -> None:
    answer = baseline.ask("Hur stor är driftsbudgeten 2025?", history=["ignored"])
    assert not answer.refused
    assert len(answer.citations) == len(answer.retrieved) == 4
    assert answer.answer == "\n\n".join(h.text for h in answer.retrieved)
    scores = [h.score for h in answer.retrieved]
    assert scores == sorted(scores, reverse=True)
    assert [c.n for c in answer.citations] == [1, 2, 3, 4]
    for c, h in zip(answer.citations, answer.retrieved, strict=True):
        assert (c.doc, c.line_start, c.line_end) == (h.doc, h.line_start, h.line_end)
        assert h.text in c.text  # the cited lines hold the passage
    assert citation_problems(answer, LIB) == ()


def test_never_refuses(baseline: LangChainBaseline) -> None:
    answer = baseline.ask("Vad är budgeten för månbasen 2091?")
    assert not answer.refused and not is_refusal(answer)
    assert len(answer.citations) == 4
    assert baseline.ask("   ").answer == ""


def test_a_document_without_text_adds_no_chunks(documents: list[Document]) -> None:
    empty = Document(DocumentMeta(doc="tom.txt", title="Tom"), (), "0")
    base = LangChainBaseline([empty], ProjectEmbeddings(HashEmbedder()))
    assert base.chunk_count == 0
    assert base.ask("budget").citations == ()


class _Recorder:
    """An ``index.embed.Embedder`` that records which side was embedded."""

    model_id, dim = "rec", 2

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def embed_documents(self, texts: Any) -> list[list[float]]:
        self.calls.append(("documents", tuple(texts)))
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        self.calls.append(("query", (text,)))
        return [1.0, 0.0]


def test_passages_and_queries_take_their_own_side(no_network: None) -> None:
    recorder = _Recorder()
    doc = Document(DocumentMeta(doc="a.txt", title="A"), ("Budget 2025", "Mål"), "h")
    LangChainBaseline([doc], ProjectEmbeddings(recorder)).ask("budget?")
    assert recorder.calls == [
        ("documents", ("Budget 2025\nMål",)),
        ("query", ("budget?",)),
    ]


def test_build_reads_the_documents_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    settings = load_settings()
    built = build_langchain_baseline(settings, DOCS)
    assert built.chunk_count == len(split_documents(load_corpus([DOCS])[0]))
    with pytest.raises(ValueError, match="no loadable documents in"):
        build_langchain_baseline(settings, tmp_path)


@pytest.mark.integration
def test_e5_prefixes_are_applied(no_network: None) -> None:
    """Queries are encoded as "query: ...", passages as "passage: ..." (e5)."""
    from assistant.settings import load_settings
    from index.embed import SentenceTransformerEmbedder

    model_dir = Path(load_settings().embedder.model_dir)
    if not model_dir.is_dir():
        pytest.skip(f"model {model_dir} is missing; run `make setup` first")
    embedder = SentenceTransformerEmbedder(model_dir)
    wrapped = ProjectEmbeddings(embedder)
    query, passage = "Hur stor är driftsbudgeten?", "Driftsbudgeten är 205,6 mnkr."
    raw = embedder._model.encode(
        [f"query: {query}", f"passage: {passage}", passage], normalize_embeddings=True
    )
    got_query = wrapped.embed_query(query)
    got_passage = wrapped.embed_documents([passage])[0]
    assert sum(a * b for a, b in zip(got_query, raw[0], strict=True)) > 0.9999
    assert sum(a * b for a, b in zip(got_passage, raw[1], strict=True)) > 0.9999
    assert sum(a * b for a, b in zip(got_passage, raw[2], strict=True)) < 0.999
