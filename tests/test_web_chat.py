"""Chat event handlers with a fake assistant: streaming, bad input, feedback."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from test_web_support import FakeAssistant, sample_documents

from assistant.models import Filters
from assistant.settings import Settings, UiSettings
from assistant.web.chat import MAX_QUESTION_CHARS, ChatHandlers, Pacing
from assistant.web.feedback import FeedbackStore
from assistant.web.filters import document_years, example_questions, matching_documents

QUESTION = "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "fb.sqlite")


def ask(
    handlers: ChatHandlers, question: str, chat=None, asked=None, turns=None, **flt
):
    """Run both steps of a turn like the page does; return every streamed state."""
    _, chat, pending, _ = handlers.accept(question, chat or [])
    filters = (flt.get("municipality", ""), flt.get("doc", ""), flt.get("year", ""))
    return list(handlers.respond(pending, chat, asked or [], turns or {}, *filters))


def test_answer_streams_then_renders_sources_and_unlocks_input(store) -> None:
    handlers = ChatHandlers(FakeAssistant(), store, pacing=Pacing(stream_delay=0))
    _, chat, pending, send = handlers.accept(f"  {QUESTION} ", [])
    assert pending["q"] == QUESTION and send["interactive"] is False
    assert chat[-1]["content"].startswith('<div class="ps-pending">')
    steps = list(handlers.respond(pending, chat, [], {}, "", "", ""))
    assert len(steps) > 2  # partial text before the final render
    assert "ps-pending" in steps[0][0][-1]["content"]
    chat, asked, turns, textbox, send = steps[-1]
    assert "205,6" in chat[-1]["content"] and "<details" in chat[-1]["content"]
    assert textbox["interactive"] is True and send["interactive"] is True
    assert asked == [QUESTION]
    assert turns[1]["question"] == QUESTION and turns[1]["citations"][0]["n"] == 1


def test_follow_up_passes_earlier_questions_as_history(store) -> None:
    fake = FakeAssistant()
    handlers = ChatHandlers(fake, store, pacing=Pacing(stream_delay=0))
    chat, asked, turns, *_ = ask(handlers, QUESTION)[-1]
    chat, asked, turns, *_ = ask(handlers, "Och 2025?", chat, asked, turns)[-1]
    assert fake.calls[1][:2] == ("Och 2025?", (QUESTION,))
    assert "207,0" in chat[-1]["content"]
    assert sorted(turns) == [1, 3] and asked == [QUESTION, "Och 2025?"]


def test_empty_and_too_long_messages_never_reach_the_assistant(store) -> None:
    fake = FakeAssistant()
    handlers = ChatHandlers(fake, store, pacing=Pacing(stream_delay=0))
    assert handlers.accept("   ", []) == (gr.skip(),) * 4  # nothing changes
    long = "x" * (MAX_QUESTION_CHARS + 1)
    textbox, chat, pending, _ = handlers.accept(long, [])
    assert pending is None and textbox["value"] == long  # kept so it can be shortened
    assert "för lång" in chat[-1]["content"]
    steps = list(handlers.respond(pending, chat, [], {}, "", "", ""))
    assert len(steps) == 1 and steps[0][3]["interactive"] is True
    assert fake.calls == []


def test_a_double_submit_in_one_session_is_answered_once(store) -> None:
    fake = FakeAssistant()
    handlers = ChatHandlers(fake, store, pacing=Pacing(stream_delay=0))
    tab = SimpleNamespace(session_hash="tab-1")
    _, chat, first, _ = handlers.accept(QUESTION, [], tab)
    assert handlers.accept(QUESTION, [], tab) == (gr.skip(),) * 4
    other = handlers.accept(QUESTION, [], SimpleNamespace(session_hash="tab-2"))
    assert other[2]["token"] != first["token"]  # other sessions are not held up
    runs = [handlers.respond(first, chat, [], {}, "", "", "", tab) for _ in range(2)]
    steps = [list(r) for r in runs]
    assert steps[1] == [(gr.skip(),) * 5]
    assert steps[0][-1][3]["interactive"] is True and len(fake.calls) == 1
    assert handlers.accept("Och 2025?", chat, tab)[2]["q"] == "Och 2025?"  # free again


def test_filter_matching_no_document_gives_a_friendly_message(store) -> None:
    fake = FakeAssistant()
    handlers = ChatHandlers(fake, store, pacing=Pacing(stream_delay=0))
    chat, *_, textbox, _ = ask(
        handlers, QUESTION, municipality="Kramfors kommun", year="2023"
    )[-1]
    assert "Inga dokument matchar filtret" in chat[-1]["content"]
    assert "Kramfors kommun" in chat[-1]["content"] and textbox["interactive"] is True
    assert fake.calls == []
    ask(handlers, QUESTION, municipality="Marks kommun", year="2025")
    assert fake.calls[0][2] == Filters(municipality="Marks kommun", year=2025)


def test_assistant_error_becomes_a_message_not_a_traceback(store) -> None:
    handlers = ChatHandlers(FakeAssistant(fail=RuntimeError("index saknas")), store)
    chat, asked, turns, textbox, _ = ask(handlers, QUESTION)[-1]
    assert (
        "Något gick fel" in chat[-1]["content"]
        and "index saknas" in chat[-1]["content"]
    )
    assert textbox["interactive"] is True and asked == [] and turns == {}


def test_without_an_assistant_the_chat_explains_how_to_build_the_index(store) -> None:
    handlers = ChatHandlers(None, store, unavailable="Inget index. Kör `make setup`.")
    _, chat, pending, _ = handlers.accept(QUESTION, [])
    assert pending is None and "make setup" in chat[-1]["content"]
    assert "make setup" in handlers.overview()


def test_thumbs_and_wrong_source_are_stored_with_question_and_history(store) -> None:
    handlers = ChatHandlers(FakeAssistant(), store, pacing=Pacing(stream_delay=0))
    chat, asked, turns, *_ = ask(handlers, QUESTION)[-1]
    chat, asked, turns, *_ = ask(handlers, "Och 2025?", chat, asked, turns)[-1]

    def like(index, liked):
        return gr.LikeData(None, {"index": index, "value": "", "liked": liked})

    status, first = handlers.rate(turns, like(1, True))
    assert "sparades" in status
    _, second = handlers.rate(turns, like(3, "Fel källa"))
    status, none = handlers.rate(turns, like(0, False))  # a user message
    assert none is None and "bara" in status
    handlers.comment(second, "Fel tabell")
    up, wrong = store.rows()
    assert (up.id, up.rating, up.question, up.history) == (first, "up", QUESTION, ())
    assert (wrong.rating, wrong.history, wrong.comment) == (
        "wrong_source",
        (QUESTION,),
        "Fel tabell",
    )
    assert (
        "207,0" in wrong.answer
        and wrong.citations[0]["doc"] == "000_965797b1dd14ccdb.txt"
    )


def test_comment_needs_a_rating_first(store) -> None:
    handlers = ChatHandlers(FakeAssistant(), store)
    status, _ = handlers.comment(None, "Bra svar")
    assert "Ge först ett betyg" in status and store.rows() == []


def test_chat_api_runs_the_same_steps_and_streams_html(store) -> None:
    handlers = ChatHandlers(FakeAssistant(), store, pacing=Pacing(stream_delay=0))
    pieces = list(handlers.chat_api("Och 2025?", [QUESTION]))
    assert "ps-pending" in pieces[0] and "207,0" in pieces[-1]


def test_year_filter_covers_the_whole_plan_period() -> None:
    docs = sample_documents()
    mark = next(d for d in docs if d.period == "2024-2025")
    assert {2024, 2025} <= document_years(mark)
    assert mark in matching_documents(docs, Filters(year=2025))
    assert matching_documents(
        docs, Filters(municipality="Marks kommun", doc=docs[-1].doc)
    ) == [] or (docs[-1].municipality == "Marks kommun")


def test_examples_follow_the_indexed_municipalities() -> None:
    docs = sample_documents()
    assert "Hur hög är sjukfrånvaron i Kramfors?" in example_questions(docs)
    only_mark = [d for d in docs if d.municipality == "Marks kommun"]
    assert not any("Kramfors" in q for q in example_questions(only_mark))
    other = [replace_meta(d, municipality="Ale kommun") for d in docs[:2]]
    assert example_questions(other) == [f"Vilka mål finns i {d.title}?" for d in other]


def replace_meta(meta, **changes):
    from dataclasses import replace

    return replace(meta, **changes)


def test_build_ui_wires_a_chat_api_and_starts_without_an_assistant(
    tmp_path: Path,
) -> None:
    from assistant.web.server import build_ui, startup_message
    from index.build import NoIndexError

    settings = Settings(ui=UiSettings(feedback_db=tmp_path / "fb.sqlite"))
    demo = build_ui(FakeAssistant(), settings)
    assert "chat" in {d.api_name for d in demo.fns.values()}
    message = startup_message(NoIndexError("no index at var/index"))
    assert "make setup" in message and "no index at var/index" in message
    assert isinstance(build_ui(None, settings, unavailable=message), gr.Blocks)
