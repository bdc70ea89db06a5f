"""Optional follow-up rewrite with fake chat models."""

from __future__ import annotations

from langchain_core.language_models import FakeListChatModel
from pydantic import Field

from assistant.llm.rewrite import rewrite_followup

HISTORY = [
    {
        "role": "user",
        "content": "Vilket resultat fick kommunstyrelsen i Enköping på chefsfrågorna "
        "i medarbetarenkäten i augusti 2023?",
    },
    {
        "role": "assistant",
        "content": 'Kommunstyrelsens indikator "Chefsfrågor medarbetarenkät KS" hade '
        "utfallet 80 i augusti 2023; målet är 85 [1].",
    },
]
STANDALONE = (
    "Vilket resultat fick hela Enköpings kommun på chefsfrågorna i "
    "medarbetarenkäten i augusti 2023?"
)


class Recording(FakeListChatModel):
    """Remembers the messages it was sent."""

    seen: list = Field(default_factory=list)

    def invoke(self, messages, *args, **kwargs):
        self.seen.append(messages)
        return super().invoke(messages, *args, **kwargs)


def test_rewrite_returns_the_models_standalone_question():
    model = Recording(
        responses=[f'Fristående fråga: "{STANDALONE}"\n\nFörklaring: ...']
    )
    assert rewrite_followup(model, "Och för hela kommunen?", HISTORY) == STANDALONE
    prompt = model.seen[-1][1].content
    assert "Last question: Och för hela kommunen?" in prompt
    assert "utfallet 80 i augusti 2023" in prompt


def test_pairs_history_is_accepted():
    pairs = [(HISTORY[0]["content"], HISTORY[1]["content"])]
    model = FakeListChatModel(responses=[STANDALONE])
    assert rewrite_followup(model, "Och för hela kommunen?", pairs) == STANDALONE


def test_no_history_means_no_call():
    model = Recording(responses=["should not be used"])
    assert (
        rewrite_followup(model, "Vad är Ledarakademin?", []) == "Vad är Ledarakademin?"
    )
    assert model.seen == []


class Broken:
    def invoke(self, messages):
        raise ConnectionError("Failed to connect to Ollama.")


def test_errors_and_implausible_replies_keep_the_question():
    question = "Och för hela kommunen?"
    assert rewrite_followup(Broken(), question, HISTORY) == question
    too_long = FakeListChatModel(responses=["x" * 2000])
    assert rewrite_followup(too_long, question, HISTORY) == question
    empty = FakeListChatModel(responses=["  \n "])
    assert rewrite_followup(empty, question, HISTORY) == question


def test_non_text_history_items_are_skipped():
    history = [*HISTORY, {"role": "assistant", "content": {"component": "image"}}]
    model = Recording(responses=[STANDALONE])
    assert rewrite_followup(model, "Och för hela kommunen?", history) == STANDALONE
    prompt = model.seen[-1][1].content
    assert "component" not in prompt and prompt.count("Assistant:") == 1
