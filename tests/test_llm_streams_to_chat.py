"""An LLM's streamed tokens reach the web chat through Assistant.stream, checked."""

from __future__ import annotations

from pathlib import Path

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.app import build_assistant
from assistant.llm.generator import LlmGenerator
from assistant.settings import load_settings
from assistant.web.chat import ChatHandlers, Pacing
from assistant.web.feedback import FeedbackStore

QUESTION = "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"


def _chat(reply: str, hash_index: Path, tmp_path: Path, monkeypatch) -> list:
    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    assistant = build_assistant(
        load_settings(index_dir=hash_index), generator=LlmGenerator(model, 5.0)
    )
    handlers = ChatHandlers(
        assistant, FeedbackStore(tmp_path / "f.sqlite"), pacing=Pacing(stream_delay=0)
    )
    _, chat, pending, _ = handlers.accept(QUESTION, [])
    return list(handlers.respond(pending, chat, [], {}, "", "", ""))


def test_grounded_llm_answer_streams_into_the_chat(hash_index, tmp_path, monkeypatch):
    reply = "Nettokostnaden för kommunstyrelsen i Mark är 205,6 mnkr i budget 2024 [1]."
    steps = _chat(reply, hash_index, tmp_path, monkeypatch)
    bubbles = [step[0][-1]["content"] for step in steps]
    partial = [b for b in bubbles[:-1] if "Nettokostnaden" in b]
    assert partial, "no streamed piece reached the chat before the final answer"
    assert "205,6" in bubbles[-1] and "<details" in bubbles[-1]


def test_invented_number_falls_back_to_the_extractive_answer(
    hash_index, tmp_path, monkeypatch
):
    reply = "Nettokostnaden är 999,9 mnkr [1]."
    final = _chat(reply, hash_index, tmp_path, monkeypatch)[-1][0][-1]["content"]
    assert "999,9" not in final
    assert "205,6" in final and "kunde inte beläggas" in final
