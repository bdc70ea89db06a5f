"""``assistant.langchain.PlansvarRetriever``: LangChain's standard retriever tests,
then the metadata and filters contract (hash index), then the real index."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from assistant_fixtures import document_lines, original_text
from langchain_core.documents import Document
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.langchain import PlansvarRetriever
from assistant.models import Filters

METADATA_KEYS = {
    "doc",
    "title",
    "section",
    "line_start",
    "line_end",
    "page",
    "score",
    "chunk_id",
}
QUESTIONS = (
    "Hur stor är driftsbudgeten 2025?",
    "Vilka mål har kommunstyrelsen?",
    "What is the sick leave?",
)


class TestPlansvarRetrieverStandard(RetrieversIntegrationTests):
    """LangChain's own suite (``k`` in the constructor and per call, sync, async)."""

    _backend: Any = None

    @pytest.fixture(autouse=True)
    def _hash_backend(self, hash_assistant: Any) -> None:
        type(self)._backend = hash_assistant

    @property
    def retriever_constructor(self) -> type[PlansvarRetriever]:
        return PlansvarRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"assistant": self._backend}

    @property
    def retriever_query_example(self) -> str:
        return "Hur stor är driftsbudgeten 2025?"


@pytest.fixture(scope="module")
def retriever(hash_assistant: Any) -> PlansvarRetriever:
    return PlansvarRetriever(assistant=hash_assistant, k=8)


def _check_document(d: Document, titles: dict[str, str]) -> None:
    meta = d.metadata
    assert set(meta) == METADATA_KEYS
    assert meta["doc"] in titles and meta["title"] == titles[meta["doc"]]
    assert 1 <= meta["line_start"] <= meta["line_end"]
    assert meta["line_end"] <= len(document_lines(meta["doc"]))
    # The passage is exactly the lines its metadata names.
    assert d.page_content == original_text(
        meta["doc"], meta["line_start"], meta["line_end"]
    )
    assert d.id == meta["chunk_id"]
    assert isinstance(meta["score"], float) and meta["score"] > 0


@pytest.mark.parametrize("question", QUESTIONS)
def test_documents_carry_the_citation_metadata(
    retriever: PlansvarRetriever, hash_assistant: Any, question: str
) -> None:
    titles = {m.doc: m.title for m in hash_assistant.documents()}
    docs = retriever.invoke(question)
    assert len(docs) == 8
    for d in docs:
        _check_document(d, titles)
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    assert len({d.metadata["chunk_id"] for d in docs}) == len(docs)


@pytest.mark.parametrize("question", QUESTIONS)
def test_returns_what_the_chat_retrieves(
    retriever: PlansvarRetriever, hash_assistant: Any, question: str
) -> None:
    hits = hash_assistant.retrieve(question, top_k=8)
    docs = retriever.invoke(question)
    assert [d.metadata["chunk_id"] for d in docs] == [h.chunk_id for h in hits]
    assert [d.metadata["score"] for d in docs] == [h.score for h in hits]


def test_text_question_matches_the_answers_retrieved_passages(
    hash_assistant: Any,
) -> None:
    """For a question answered from text, ``ask`` reports the same ranking."""
    question = "Vad är Kommunkompassen?"
    answer = hash_assistant.ask(question)
    assert not answer.facts  # a text answer: no table rows moved ahead
    top = len(answer.retrieved)
    docs = PlansvarRetriever(assistant=hash_assistant, k=top).invoke(question)
    assert [d.metadata["chunk_id"] for d in docs] == [
        h.chunk_id for h in answer.retrieved
    ]


def test_filters_restrict_like_the_chat(
    retriever: PlansvarRetriever, hash_assistant: Any
) -> None:
    metas = hash_assistant.documents()
    for meta in metas:
        docs = retriever.invoke("budget mål uppföljning", filters={"doc": meta.doc})
        assert docs and {d.metadata["doc"] for d in docs} == {meta.doc}
    place = metas[0].municipality
    allowed = {m.doc for m in metas if m.municipality == place}
    scoped = PlansvarRetriever(
        assistant=hash_assistant, k=8, filters={"municipality": place}
    )
    docs = scoped.invoke("budget mål uppföljning")
    assert docs and {d.metadata["doc"] for d in docs} <= allowed
    assert scoped.filters == Filters(municipality=place)
    # A per-call filter replaces the constructor's.
    other = next(m.doc for m in metas if m.doc not in allowed)
    docs = scoped.invoke("budget", filters={"doc": other})
    assert {d.metadata["doc"] for d in docs} == {other}
    assert scoped.invoke("budget", filters={"year": 1901}) == []


def test_a_question_naming_a_document_stays_in_it(
    retriever: PlansvarRetriever, hash_assistant: Any
) -> None:
    """The question's own municipality narrows the search, as in the chat."""
    metas = hash_assistant.documents()
    place = metas[-1].municipality
    short = place.removesuffix(" kommun").removesuffix("s")
    docs = retriever.invoke(f"Vad är budgeten i {short}?")
    expected = {m.doc for m in metas if m.municipality == place}
    assert docs and {d.metadata["doc"] for d in docs} <= expected


def test_async_gives_the_sync_result_and_passes_arguments(
    retriever: PlansvarRetriever,
) -> None:
    sync = retriever.invoke("driftsbudget", k=2, filters={"year": 2025})
    result = asyncio.run(retriever.ainvoke("driftsbudget", k=2, filters={"year": 2025}))
    assert [d.id for d in result] == [d.id for d in sync]
    assert len(result) == 2
    batch = asyncio.run(retriever.abatch(["driftsbudget", "mål"]))
    assert [len(b) for b in batch] == [8, 8]


def test_empty_question_gives_no_documents(retriever: PlansvarRetriever) -> None:
    assert retriever.invoke("  ?! ") == []


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"kommun": "Mark"}, "unknown filter key(s) 'kommun'"),
        ({"year": "tjugo"}, "filter 'year' must be a year"),
        ({"collections": "default"}, "'collections' must be a list"),
        (["doc"], "filters must be a mapping"),
    ],
)
def test_bad_filters_are_named(hash_assistant: Any, filters: Any, message: str) -> None:
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        PlansvarRetriever(assistant=hash_assistant, filters=filters)
    with pytest.raises(ValueError, match="k must be at least 1"):
        PlansvarRetriever(assistant=hash_assistant).invoke("budget", k=0)


@pytest.mark.integration
def test_real_index_retriever(real_assistant: Any) -> None:
    """The e5 + BM25 index built by ``make setup``: metadata names the real lines."""
    titles = {m.doc: m.title for m in real_assistant.documents()}
    retriever = PlansvarRetriever(assistant=real_assistant, k=5)
    for question in QUESTIONS:
        docs = retriever.invoke(question)
        assert len(docs) == 5
        for d in docs:
            _check_document(d, titles)
        hits = real_assistant.retrieve(question, top_k=5)
        assert [d.id for d in docs] == [h.chunk_id for h in hits]
    first = real_assistant.documents()[0].doc
    docs = asyncio.run(retriever.ainvoke("budget", filters={"doc": first}))
    assert docs and {d.metadata["doc"] for d in docs} == {first}
