"""``assistant.langchain.answer_chain``: the ``ask --json`` object as a Runnable
(invoke, stream, batch, composition, bad input), on the hash index and the real one."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from assistant_fixtures import ANSWER_KEYS, check_well_formed
from langchain_core.runnables import RunnableLambda

from assistant.langchain import AnswerChain, answer_chain
from assistant.models import Answer, Citation, Filters, Hit

FOLLOW_UP = {
    "question": "Och för 2024?",
    "history": ["Hur stor är kommunstyrelsens driftsbudget 2025?"],
}
QUESTIONS = (
    "Vad är Kommunkompassen?",
    "Hur stor är driftsbudgeten 2025?",
    "What is the sick leave?",
)


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Equal answer objects apart from the time they took."""
    assert set(a) == set(b) == ANSWER_KEYS
    assert {k: v for k, v in a.items() if k != "latency_ms"} == {
        k: v for k, v in b.items() if k != "latency_ms"
    }


@pytest.fixture(scope="module")
def chain(hash_assistant: Any) -> AnswerChain:
    return answer_chain(assistant=hash_assistant)


@pytest.mark.parametrize("question", QUESTIONS)
def test_invoke_returns_the_ask_json_object(
    chain: AnswerChain, hash_assistant: Any, question: str
) -> None:
    out = chain.invoke({"question": question, "history": [], "filters": {}})
    _same(out, hash_assistant.ask(question).to_plain_json())
    json.dumps(out, ensure_ascii=False)  # plain JSON, like the CLI prints
    _same(chain.invoke(question), out)  # a bare question string works too


def test_same_object_as_the_command_line(
    chain: AnswerChain,
    hash_index: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    monkeypatch.setenv("ASSISTANT_LLM__PROVIDER", "none")
    argv = ["--index-dir", str(hash_index), "ask", FOLLOW_UP["question"], "--json"]
    argv += ["--history", FOLLOW_UP["history"][0], "--year", "2025"]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    _same(chain.invoke({**FOLLOW_UP, "filters": {"year": 2025}}), printed)


def test_history_and_filters_reach_the_assistant(
    chain: AnswerChain, hash_assistant: Any
) -> None:
    out = chain.invoke(FOLLOW_UP)
    _same(
        out,
        hash_assistant.ask(FOLLOW_UP["question"], FOLLOW_UP["history"]).to_plain_json(),
    )
    assert out["interpretation"]  # the follow-up was read from the history
    doc = hash_assistant.documents()[0].doc
    scoped = chain.invoke({"question": "Vad är budgeten?", "filters": {"doc": doc}})
    _same(
        scoped,
        hash_assistant.ask(
            "Vad är budgeten?", filters=Filters(doc=doc)
        ).to_plain_json(),
    )
    assert {h["doc"] for h in scoped["retrieved"]} == {doc}
    assert {c["doc"] for c in scoped["citations"]} <= {doc}


@pytest.mark.parametrize("question", QUESTIONS)
def test_stream_yields_text_then_the_answer_object(
    chain: AnswerChain, question: str
) -> None:
    chunks = list(chain.stream({"question": question}))
    *pieces, final = chunks
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert isinstance(final, dict)
    _same(final, chain.invoke({"question": question}))
    assert "".join(pieces) == final["answer"]  # extractive: composed in one piece


def test_async_streams_and_answers_like_sync(chain: AnswerChain) -> None:
    import asyncio

    async def collect() -> tuple[list[Any], dict[str, Any], list[dict[str, Any]]]:
        chunks = [c async for c in chain.astream(FOLLOW_UP)]
        return chunks, await chain.ainvoke(FOLLOW_UP), await chain.abatch([FOLLOW_UP])

    chunks, single, batch = asyncio.run(collect())
    sync = list(chain.stream(FOLLOW_UP))
    assert chunks[:-1] == sync[:-1]
    for out in (chunks[-1], single, *batch):
        _same(out, sync[-1])
    streaming = AnswerChain(_StreamingBackend())
    async_pieces = asyncio.run(_all(streaming.astream({"question": "q"})))
    assert async_pieces == list(streaming.stream({"question": "q"}))
    with pytest.raises(ValueError, match="needs 'question'"):
        asyncio.run(_all(chain.astream({"history": []})))


async def _all(chunks: Any) -> list[Any]:
    return [c async for c in chunks]


def test_batch_answers_each_input_in_order(
    chain: AnswerChain, hash_assistant: Any
) -> None:
    inputs = [{"question": q} for q in QUESTIONS] + [FOLLOW_UP]
    outs = chain.batch(inputs)
    assert [o["question"] for o in outs] == [i["question"] for i in inputs]
    for out, given in zip(outs, inputs, strict=True):
        expected = hash_assistant.ask(given["question"], given.get("history", ()))
        _same(out, expected.to_plain_json())


def test_composes_with_other_runnables(chain: AnswerChain) -> None:
    """Downstream steps get the whole answer object, also when streaming."""
    text = chain | RunnableLambda(lambda a: a["answer"])
    question = {"question": QUESTIONS[0]}
    assert text.invoke(question) == chain.invoke(question)["answer"]
    assert list(text.stream(question)) == [chain.invoke(question)["answer"]]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"history": []}, "needs 'question'"),
        ({"question": "x", "histroy": []}, "unknown input key"),
        ({"question": "x", "history": "Och 2024?"}, "'history' must be a list"),
        ({"question": "x", "filters": {"år": 2025}}, "unknown filter key"),
        (42, "answer_chain input must be"),
    ],
)
def test_bad_input_says_what_to_fix(
    chain: AnswerChain, value: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        chain.invoke(value)
    with pytest.raises(ValueError, match=message):
        list(chain.stream(value))


class _StreamingBackend:
    """A fake assistant whose answer arrives in pieces (like the optional LLM)."""

    def __init__(self) -> None:
        self.final = Answer(
            question="q",
            answer="Budgeten är 5 mnkr [1].",  # the checked text replaces the stream
            refused=False,
            citations=(Citation(1, "a.txt", "A", "1 Budget", 3, 3, "Budget 5"),),
            retrieved=(Hit("a:1", "a.txt", "1 Budget", 3, 3, "Budget 5", "text", 0.5),),
        )

    def stream(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        yield from ("Budgeten ", "är 5 mnkr ", "[1]")
        yield self.final

    def ask(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Answer:
        return self.final


def test_stream_passes_generated_pieces_through() -> None:
    chain = AnswerChain(_StreamingBackend())
    chunks = list(chain.stream({"question": "q"}))
    assert chunks == [
        "Budgeten ",
        "är 5 mnkr ",
        "[1]",
        _StreamingBackend().final.to_plain_json(),
    ]


def test_answer_chain_builds_through_the_composition_root(
    hash_index: Path, monkeypatch: pytest.MonkeyPatch, hash_assistant: Any
) -> None:
    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    monkeypatch.setenv("ASSISTANT_LLM__PROVIDER", "none")
    settings = load_settings(index_dir=hash_index)
    built = answer_chain(settings)
    assert answer_chain(settings).assistant is built.assistant  # shared per settings
    _same(
        built.invoke(FOLLOW_UP),
        answer_chain(assistant=hash_assistant).invoke(FOLLOW_UP),
    )


@pytest.mark.integration
def test_real_index_answer_chain(real_assistant: Any) -> None:
    chain = answer_chain(assistant=real_assistant)
    outs = chain.batch([{"question": q} for q in QUESTIONS])
    for question, out in zip(QUESTIONS, outs, strict=True):
        _same(out, real_assistant.ask(question).to_plain_json())
        check_well_formed(real_assistant.ask(question))
        *pieces, final = chain.stream({"question": question})
        _same(final, out)
        assert "".join(pieces) == out["answer"]
