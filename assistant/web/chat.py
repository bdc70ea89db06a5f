"""Chat event handlers for the web UI, kept free of layout so they can be tested.

A turn has two steps: ``accept`` (not queued) shows the question and locks the input;
``respond`` (queued) streams the answer into the last bubble and always unlocks it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr

from assistant.models import Answer, Filters
from assistant.web.access import NOT_VISIBLE, CollectionPolicy, UserView, user_view
from assistant.web.documents import (
    render_document_overview,
    render_sections,
    render_tables,
)
from assistant.web.feedback import FeedbackStore, RatedTurn
from assistant.web.filters import ALL, filters_from, matching_documents
from assistant.web.render import (
    render_answer,
    render_answer_text,
    render_notice,
    render_pending,
    render_user_message,
)
from assistant.web.turns import TurnGuard
from corpus.models import DocumentMeta, Section, Table

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
RATING_FOR = {True: "up", False: "down", "Like": "up", "Dislike": "down"}
WRONG_SOURCE = "Fel källa"


class AssistantLike(Protocol):
    """The part of ``assistant.app.Assistant`` the web chat uses."""

    def ask(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Answer: ...
    def documents(self) -> list[DocumentMeta]: ...
    def document_lines(self, doc: str) -> tuple[str, ...]: ...
    def sections(self, doc: str) -> list[Section]: ...
    def tables(self, doc: str) -> list[Table]: ...


@dataclass(frozen=True)
class Pacing:
    """How answers reach the page: at most ``compute_slots`` computed at once, an
    answer that arrives whole revealed in steps ``stream_delay`` seconds apart."""

    stream_delay: float = 0.03
    compute_slots: int = 4


@dataclass(frozen=True)
class _Turn:
    """One question to answer, with the filters and what the asking user may see."""

    question: str
    filters: Filters
    view: UserView


def _session(request: gr.Request | None) -> str:
    return (getattr(request, "session_hash", None) or "") if request else ""


class ChatHandlers:
    """Event handlers of the chat, kept free of layout so they can be unit tested."""

    def __init__(
        self,
        assistant: AssistantLike | None,
        store: FeedbackStore,
        *,
        unavailable: str = "",
        access: CollectionPolicy | None = None,
        pacing: Pacing = Pacing(),
    ) -> None:
        self.assistant = assistant
        self.access = access
        self.store = store
        self.unavailable = unavailable or (
            "" if assistant else "Assistenten är inte startad."
        )
        self.stream_delay = pacing.stream_delay
        # Bounds answers computed at once (CPU); the word-by-word reveal of a finished
        # answer only sleeps, so it runs outside and does not hold others up.
        self.slots = threading.BoundedSemaphore(max(1, pacing.compute_slots))
        self.docs: list[DocumentMeta] = assistant.documents() if assistant else []
        self._meta = {d.doc: d for d in self.docs}
        # Shown before anyone logs in (page layout); per-user lists come on page load.
        self.public_docs: list[DocumentMeta] = [] if access else self.docs
        self.lines_for = lru_cache(maxsize=64)(self._lines)
        self.guard = TurnGuard()

    def _lines(self, doc: str) -> tuple[str, ...]:
        try:
            return tuple(self.assistant.document_lines(doc)) if self.assistant else ()
        except Exception:  # an unknown document only loses the context lines
            log.warning("no original lines for %s", doc, exc_info=True)
            return ()

    def accept(
        self,
        message: str | None,
        chat: list[Any] | None,
        request: gr.Request | None = None,
    ) -> tuple[Any, ...]:
        """First step of a turn (not queued): show the question, lock the input.

        Returns (textbox, chatbot, pending turn or None, send button). A submit
        while this session's previous question is still running changes nothing.
        """
        skip = (gr.skip(), gr.skip(), gr.skip(), gr.skip())
        chat = list(chat or [])
        text = (message or "").strip()
        if not text:
            return skip
        if len(text) > MAX_QUESTION_CHARS:
            notice = (
                f"Frågan är för lång ({len(text)} tecken; högst {MAX_QUESTION_CHARS}). "
                "Korta ner den till en fråga och skicka igen."
            )
            chat += [_user(text[:300] + " …"), _bot(render_notice(notice, error=True))]
            return gr.update(value=text), chat, None, gr.update()
        if self.unavailable:
            chat += [_user(text), _bot(render_notice(self.unavailable, error=True))]
            return gr.update(value=""), chat, None, gr.update()
        token = self.guard.begin(_session(request))
        if token is None:
            return skip
        chat += [_user(text), _bot(render_pending())]
        locked = gr.update(interactive=False)
        pending = {"q": text, "token": token}
        return gr.update(value="", interactive=False), chat, pending, locked

    # Gradio passes one argument per input component (the turn's states, then the
    # three filters), so this signature mirrors the event's input list.
    def respond(  # noqa: PLR0913
        self,
        pending: dict[str, str] | None,
        chat: list[Any] | None,
        asked: list[str] | None,
        turns: dict[int, dict[str, Any]] | None,
        municipality: str | None,
        doc: str | None,
        year: str | None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Second step (queued): stream the answer into the last bubble.

        Yields (chatbot, asked, turns, textbox, send button); the last yield always
        unlocks the input, whatever happened.
        """
        chat, asked, turns = list(chat or []), list(asked or []), dict(turns or {})
        unlock = gr.update(interactive=True)
        if not pending or not chat:
            yield chat, asked, turns, unlock, unlock
            return
        session = _session(request)
        if not self.guard.claim(session, pending["token"]):
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()  # a duplicate
            return
        try:
            filters = filters_from(municipality, doc, year)
            turn = _Turn(pending["q"], filters, self.view(request))
            yield from self._respond(turn, chat, asked, turns)
        finally:
            self.guard.end(session, pending["token"])

    def view(self, request: gr.Request | None) -> UserView:
        """What the user behind ``request`` may see (everything without login)."""
        return user_view(self.access, request)

    def _respond(
        self,
        turn: _Turn,
        chat: list[Any],
        asked: list[str],
        turns: dict[int, dict[str, Any]],
    ) -> Iterator[tuple[Any, ...]]:
        pending, filters, view = turn.question, turn.filters, turn.view
        unlock = gr.update(interactive=True)
        chosen = filters.municipality or filters.doc or filters.year
        if chosen and not matching_documents(view.documents(self.docs), filters):
            chat[-1] = _bot(render_notice(_no_documents_message(filters)))
            yield chat, asked, turns, unlock, unlock
            return
        # A user's collections bound every search; no collections = nothing found.
        filters = replace(filters, collections=view.collections)
        lines_for = view.lines(self.lines_for, self._meta.get)
        locked = gr.update(interactive=False)
        try:
            answer, partial = None, ""
            for item in self._stream(pending, tuple(asked), filters):
                if isinstance(item, Answer):
                    answer = item
                    continue
                partial += item
                chat[-1] = _bot(_render_partial(partial))
                yield list(chat), asked, turns, locked, locked
            if answer is None:
                raise RuntimeError("the assistant returned no answer")
            chat[-1] = _bot(render_answer(answer, lines_for))
            turns[len(chat) - 1] = {
                "question": pending,
                "history": list(asked),
                "answer": answer.answer,
                "citations": answer.to_json()["citations"],
            }
            asked.append(pending)
        except Exception as exc:  # shown in the chat; the traceback goes to the log
            log.exception("answering %r failed", pending)
            chat[-1] = _bot(render_notice(_error_message(exc), error=True))
        yield chat, asked, turns, unlock, unlock

    def _stream(
        self, question: str, history: tuple[str, ...], filters: Filters
    ) -> Iterator[str | Answer]:
        """Text pieces (deltas), then the final Answer. Uses the assistant's own
        stream when it has one; an answer that arrives whole is revealed in steps."""
        assert self.assistant is not None
        stream = getattr(self.assistant, "stream", None)
        answer, streamed = None, False
        with self.slots:
            items = (
                stream(question, history, filters)
                if callable(stream)
                else iter([self.assistant.ask(question, history, filters)])
            )
            for item in items:
                if isinstance(item, Answer):
                    answer = item
                    break
                streamed = True
                yield item
        if answer is None:
            return
        if not streamed:
            words = answer.answer.split(" ")
            step = max(1, len(words) // 8)
            for i in range(0, len(words) - step, step):
                yield ("" if i == 0 else " ") + " ".join(words[i : i + step])
                time.sleep(self.stream_delay)
        yield answer

    # The /chat endpoint's parameters, one per API input (scripts call it by name).
    def chat_api(  # noqa: PLR0913
        self,
        question: str,
        history: list[str] | None = None,
        municipality: str = ALL,
        doc: str = ALL,
        year: str = ALL,
        request: gr.Request | None = None,
    ) -> Iterator[str]:
        """Stateless endpoint (``/chat``) for scripts and load tests: the same two
        steps as the page, streaming the HTML of the answer bubble."""
        _, chat, pending, _ = self.accept(question, [])
        if not isinstance(chat, list):  # nothing to ask
            yield render_notice("Skriv en fråga.", error=True)
            return
        yield chat[-1]["content"]
        if not pending:  # a notice (too long, no index) is the whole reply
            return
        asked = [h for h in (history or []) if isinstance(h, str) and h.strip()]
        filters = filters_from(municipality, doc, year)
        turn = _Turn(pending["q"], filters, self.view(request))
        steps = self._respond(turn, chat, asked, {})
        for bubbles, *_ in steps:
            yield bubbles[-1]["content"] if bubbles else ""

    def rate(
        self,
        turns: dict[int, dict[str, Any]] | None,
        evt: gr.LikeData,
        request: gr.Request | None = None,
    ) -> tuple[str, int | None]:
        """Thumbs / "Fel källa" on an answer -> one feedback row; returns status, id."""
        liked = evt.liked
        rating = "wrong_source" if liked == WRONG_SOURCE else RATING_FOR.get(liked)
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = (turns or {}).get(int(index)) if index is not None else None
        if rating is None:
            return "Betyget togs bort.", None
        if turn is None:
            return "Betyg kan bara ges på svar från assistenten.", None
        user = self.view(request).username
        row_id = self.store.record(RatedTurn(**turn), rating, user=user)
        shown = {"up": "👍", "down": "👎", "wrong_source": "fel källa"}[rating]
        return (
            f"Tack! Ditt betyg ({shown}) sparades. Skriv gärna en kommentar nedan.",
            row_id,
        )

    def comment(self, row_id: int | None, text: str | None) -> tuple[str, Any]:
        """Attach a comment to the latest rating of this session."""
        text = (text or "").strip()[:2000]
        if not text:
            return "Skriv en kommentar först.", gr.update()
        if row_id is None:
            return (
                "Ge först ett betyg (tumme upp/ner eller fel källa) på ett svar.",
                gr.update(),
            )
        self.store.set_comment(row_id, text)
        return "Tack! Kommentaren sparades.", gr.update(value="")

    def show_document(
        self, doc: str | None, request: gr.Request | None = None
    ) -> tuple[str, str]:
        """Sections tree and tables of one document (document browser)."""
        if not doc or self.assistant is None:
            return "", ""
        if not self.view(request).may_read(self._meta.get(doc)):
            return render_notice(NOT_VISIBLE, error=True), ""
        try:
            return (
                render_sections(self.assistant.sections(doc)),
                render_tables(self.assistant.tables(doc)),
            )
        except Exception as exc:
            log.exception("document browser failed for %s", doc)
            return render_notice(_error_message(exc), error=True), ""

    def overview(self, request: gr.Request | None = None) -> str:
        """The indexed documents the user may see, with their structure counts."""
        if self.assistant is None:
            return render_notice(self.unavailable, error=True)
        docs = self.view(request).documents(self.docs)
        counts = {}
        for d in docs:
            try:
                counts[d.doc] = (
                    len(self.assistant.sections(d.doc)),
                    len(self.assistant.tables(d.doc)),
                )
            except Exception:
                log.warning("cannot count the structure of %s", d.doc, exc_info=True)
        return render_document_overview(docs, counts)


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": render_user_message(text)}


def _bot(html: str) -> dict[str, str]:
    return {"role": "assistant", "content": html}


def _render_partial(text: str) -> str:
    return (
        f'<div class="ps-answer">{render_answer_text(text)}{render_pending("…")}</div>'
    )


def _no_documents_message(filters: Filters) -> str:
    chosen = [
        f"kommun {filters.municipality}" if filters.municipality else "",
        f"dokument {filters.doc}" if filters.doc else "",
        f"år {filters.year}" if filters.year else "",
    ]
    return (
        f"Inga dokument matchar filtret ({', '.join(c for c in chosen if c)}). "
        "Välj ”Alla” i något av filtren och ställ frågan igen."
    )


def _error_message(exc: Exception) -> str:
    return (
        f"Något gick fel när svaret togs fram: {exc}\n"
        "Försök igen. Om felet kvarstår, se serverns logg."
    )
