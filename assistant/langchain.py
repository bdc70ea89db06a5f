"""Plansvar for LangChain users: a ``BaseRetriever`` and an answering ``Runnable``.

``PlansvarRetriever`` returns the passages the chat retrieves (hybrid dense + keyword
search, restricted by the same ``Filters`` and by the municipality or document the
question names) as LangChain ``Document``s. ``answer_chain(settings)`` answers like
``python -m assistant ask --json``: it takes ``{"question", "history", "filters"}``
and returns that answer object. Both are built through ``build_assistant`` (the one
composition root); one assistant is shared per settings in a process, since each
holds the embedding model and the index.

The module is ``assistant.langchain``; it does not shadow the ``langchain`` package
because imports are absolute (``python -m`` puts the project root on the path, not
``assistant/``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import run_in_executor
from pydantic import ConfigDict, Field, field_validator, model_validator

from assistant.models import Answer, Filters, Hit
from assistant.settings import Settings, load_settings

if TYPE_CHECKING:
    from corpus.models import DocumentMeta

FILTER_KEYS = ("municipality", "doc", "year", "collections")
INPUT_KEYS = ("question", "history", "filters")


class PlansvarBackend(Protocol):
    """The part of ``assistant.app.Assistant`` these adapters use."""

    def documents(self) -> list[DocumentMeta]: ...

    def retrieve(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        top_k: int | None = None,
    ) -> list[Hit]: ...

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer: ...

    def stream(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]: ...


_shared: dict[str, PlansvarBackend] = {}
_shared_lock = threading.Lock()


def shared_assistant(settings: Settings) -> PlansvarBackend:
    """``build_assistant(settings)``, built once per distinct settings."""
    from assistant.app import build_assistant

    key = settings.model_dump_json()
    with _shared_lock:
        if key not in _shared:
            _shared[key] = build_assistant(settings)
        return _shared[key]


def _reject_unknown(
    value: Mapping[str, Any], allowed: Sequence[str], what: str
) -> None:
    """A ValueError naming the unknown keys and the ones to use."""
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown {what} key(s) {', '.join(map(repr, unknown))}; "
            f"use {', '.join(allowed)}"
        )


def filters_from(value: Filters | Mapping[str, Any] | None) -> Filters | None:
    """``Filters`` from a mapping such as ``{"municipality": "Marks kommun",
    "year": 2025}``; raises ``ValueError`` naming a key or value that is wrong."""
    if value is None or isinstance(value, Filters):
        return value
    if not isinstance(value, Mapping):
        raise ValueError(
            f"filters must be a mapping with keys {', '.join(FILTER_KEYS)}, "
            f"not {type(value).__name__}"
        )
    _reject_unknown(value, FILTER_KEYS, "filter")
    year = value.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)):
        if not (isinstance(year, str) and year.strip().isdigit()):
            raise ValueError(f"filter 'year' must be a year such as 2025, not {year!r}")
        year = int(year)
    collections = value.get("collections")
    if collections is not None:
        if isinstance(collections, str) or not all(
            isinstance(c, str) for c in collections
        ):
            raise ValueError("filter 'collections' must be a list of collection names")
        collections = tuple(collections)
    for key in ("municipality", "doc"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise ValueError(f"filter {key!r} must be a string, not {value[key]!r}")
    return Filters(
        municipality=value.get("municipality") or None,
        doc=value.get("doc") or None,
        year=year,
        collections=collections,
    )


def to_document(hit: Hit, titles: Mapping[str, str]) -> Document:
    """A retrieved passage as a LangChain ``Document`` (text = the chunk)."""
    return Document(
        id=hit.chunk_id,
        page_content=hit.text,
        metadata={
            "doc": hit.doc,
            "title": titles.get(hit.doc, hit.doc),
            "section": hit.section_path,
            "line_start": hit.line_start,
            "line_end": hit.line_end,
            "page": hit.page,
            "score": hit.score,
            "chunk_id": hit.chunk_id,
        },
    )


class PlansvarRetriever(BaseRetriever):
    """The chat's hybrid retrieval as a LangChain retriever.

    ``PlansvarRetriever(k=4, filters={"municipality": "Marks kommun"})`` uses the
    default settings (``var/index``); pass ``settings=`` or a built ``assistant=``
    instead. ``invoke(query, k=..., filters=..., history=[...])`` overrides per call.
    Metadata: doc, title, section, line_start, line_end, page, score, chunk_id.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any = Field(default=None, exclude=True)
    """A built ``Assistant`` (or anything with its ``retrieve``/``documents``)."""
    settings: Settings | None = Field(default=None, exclude=True)
    k: int = Field(default=4, ge=1)
    filters: Filters | None = None

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any) -> Filters | None:
        return filters_from(value)

    @model_validator(mode="after")
    def _backend(self) -> PlansvarRetriever:
        if self.assistant is None:
            self.assistant = shared_assistant(self.settings or load_settings())
        return self

    @classmethod
    def from_settings(cls, settings: Settings, **fields: Any) -> PlansvarRetriever:
        return cls(settings=settings, **fields)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | Mapping[str, Any] | None = None,
        history: Sequence[str] = (),
    ) -> list[Document]:
        if k is not None and k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        scope = filters_from(filters) if filters is not None else self.filters
        hits = self.assistant.retrieve(
            query, history=tuple(history), filters=scope, top_k=k or self.k
        )
        titles = {d.doc: d.title for d in self.assistant.documents()}
        return [to_document(h, titles) for h in hits[: k or self.k]]

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | Mapping[str, Any] | None = None,
        history: Sequence[str] = (),
    ) -> list[Document]:
        # Retrieval is CPU work (embedding, BM25): run it off the event loop.
        return await run_in_executor(
            None,
            self._get_relevant_documents,
            query,
            run_manager=run_manager.get_sync(),
            k=k,
            filters=filters,
            history=history,
        )


@dataclass(frozen=True)
class AnswerRequest:
    """One ``answer_chain`` input, checked."""

    question: str
    history: tuple[str, ...] = ()
    filters: Filters | None = None

    @classmethod
    def parse(cls, value: Any) -> AnswerRequest:
        """From ``{"question": str, "history": [str], "filters": {...}}`` or a bare
        question string; raises ``ValueError`` saying what to fix."""
        if isinstance(value, str):
            return cls(value)
        if not isinstance(value, Mapping):
            raise ValueError(
                'answer_chain input must be {"question": str, "history": [str], '
                f'"filters": {{...}}}} or a question string, not {type(value).__name__}'
            )
        _reject_unknown(value, INPUT_KEYS, "input")
        question = value.get("question")
        if not isinstance(question, str):
            raise ValueError("answer_chain input needs 'question' (a string)")
        history = value.get("history") or ()
        if isinstance(history, str) or not all(isinstance(h, str) for h in history):
            raise ValueError("'history' must be a list of earlier questions (strings)")
        return cls(question, tuple(history), filters_from(value.get("filters")))


class AnswerChain(Runnable[Mapping[str, Any], dict[str, Any]]):
    """``invoke`` returns the ``ask --json`` answer object; ``stream`` yields the
    answer text as it is composed (``str`` pieces), then that object as the last
    chunk (pieces and object do not add up, so LangChain keeps the last chunk as
    the output, as it does for any non-addable stream)."""

    def __init__(self, assistant: PlansvarBackend) -> None:
        self.assistant = assistant

    def invoke(
        self,
        input: Mapping[str, Any],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return self._call_with_config(self._answer, input, config)

    def _answer(self, value: Mapping[str, Any]) -> dict[str, Any]:
        request = AnswerRequest.parse(value)
        answer = self.assistant.ask(request.question, request.history, request.filters)
        return answer.to_plain_json()

    def stream(
        self,
        input: Mapping[str, Any],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> Iterator[Any]:
        yield from self.transform(iter([input]), config, **kwargs)

    def transform(
        self,
        input: Iterator[Mapping[str, Any]],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> Iterator[Any]:
        yield from self._transform_stream_with_config(input, self._pieces, config)

    async def astream(
        self,
        input: Mapping[str, Any],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        async def one() -> AsyncIterator[Mapping[str, Any]]:
            yield input

        async for chunk in self.atransform(one(), config, **kwargs):
            yield chunk

    async def atransform(
        self,
        input: AsyncIterator[Mapping[str, Any]],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        async for chunk in self._atransform_stream_with_config(
            input, self._apieces, config
        ):
            yield chunk

    async def _apieces(
        self, inputs: AsyncIterator[Mapping[str, Any]]
    ) -> AsyncIterator[Any]:
        last = [item async for item in inputs][-1:]
        pieces = self._pieces(iter(last))
        done = object()
        # Composing is CPU work (and an LLM stream blocks): step it in a thread.
        while (piece := await run_in_executor(None, next, pieces, done)) is not done:
            yield piece

    def _pieces(self, inputs: Iterator[Mapping[str, Any]]) -> Iterator[Any]:
        last = deque(inputs, maxlen=1)  # input chunks are whole requests: last counts
        request = AnswerRequest.parse(last[0] if last else None)
        streamed = False
        for item in self.assistant.stream(
            request.question, request.history, request.filters
        ):
            if isinstance(item, Answer):
                if not streamed:  # extractive answers come whole: one piece
                    yield item.answer
                yield item.to_plain_json()
                return
            streamed = True
            yield item


def answer_chain(
    settings: Settings | None = None, assistant: PlansvarBackend | None = None
) -> AnswerChain:
    """The answering ``Runnable`` for ``settings`` (default: ``load_settings()``).

    ``assistant`` (a built one, e.g. in tests) replaces building from settings.
    """
    if assistant is None:
        assistant = shared_assistant(settings or load_settings())
    return AnswerChain(assistant)
