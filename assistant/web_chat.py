"""Chat event handlers for the web UI, kept free of layout so they can be tested.

A turn has two steps: ``accept`` (not queued) shows the question and locks the input;
``respond`` (queued) streams the answer into the last bubble and always unlocks it.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr

from assistant.feedback import FeedbackStore
from assistant.models import Answer, Filters
from assistant.web_documents import (
    render_document_overview,
    render_sections,
    render_tables,
)
from assistant.web_render import (
    render_answer,
    render_answer_text,
    render_notice,
    render_pending,
    render_user_message,
)
from corpus.models import DocumentMeta, Section, Table

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
ALL = ""  # dropdown value meaning "no restriction"
# (question, municipality it needs or None); only those the index can answer are shown.
DEFAULT_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?", "Mark"),
    ("Och 2024?", "Mark"),
    ("Vad är Kommunkompassen?", None),
    ("Vilka fyra strategiska områden har Marks kommun?", "Mark"),
    ("Hur hög är sjukfrånvaron i Kramfors?", "Kramfors"),
    ("What is the forecast result for Enköping's KS in 2023?", "Enköping"),
    ("Vem är kommundirektör i Mark?", "Mark"),
)
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


def example_questions(docs: Sequence[DocumentMeta]) -> list[str]:
    """Default examples the indexed documents can answer; generic ones otherwise."""
    names = [d.municipality for d in docs if d.municipality]
    # "Mark" matches "Marks kommun": Swedish names take a genitive -s before "kommun".
    chosen = [
        q
        for q, m in DEFAULT_EXAMPLES
        if m is None or any(name.startswith(m) for name in names)
    ]
    if len(chosen) >= 3:
        return chosen
    return [f"Vilka mål finns i {d.title}?" for d in docs[:4]] or chosen


def document_years(meta: DocumentMeta) -> set[int]:
    """Years a document covers: its year plus the span of its period ("2024-2025")."""
    years = {meta.year} if meta.year else set()
    found = [int(y) for y in meta.period.replace("–", "-").split("-") if y.isdigit()]
    if len(found) == 2 and 0 <= found[1] - found[0] <= 10:
        years.update(range(found[0], found[1] + 1))
    years.update(y for y in found if 1900 < y < 2200)
    return years


def matching_documents(
    docs: Sequence[DocumentMeta], filters: Filters
) -> list[DocumentMeta]:
    """The documents a filter combination leaves (empty = nothing to search)."""
    return [
        d
        for d in docs
        if (not filters.municipality or d.municipality == filters.municipality)
        and (not filters.doc or d.doc == filters.doc)
        and (filters.year is None or filters.year in document_years(d))
    ]


def municipality_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    names = sorted({d.municipality for d in docs if d.municipality})
    return [("Alla kommuner", ALL)] + [(m, m) for m in names]


def document_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    return [("Alla dokument", ALL)] + [(f"{d.title} ({d.doc})", d.doc) for d in docs]


def year_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    years = sorted({y for d in docs for y in document_years(d)})
    return [("Alla år", ALL)] + [(str(y), str(y)) for y in years]


def filters_from(
    municipality: str | None, doc: str | None, year: str | None
) -> Filters:
    return Filters(
        municipality=municipality or None,
        doc=doc or None,
        year=int(year) if year and str(year).isdigit() else None,
    )


class ChatHandlers:
    """Event handlers of the chat, kept free of layout so they can be unit tested."""

    def __init__(
        self,
        assistant: AssistantLike | None,
        store: FeedbackStore,
        *,
        unavailable: str = "",
        stream_delay: float = 0.03,
    ) -> None:
        self.assistant = assistant
        self.store = store
        self.unavailable = unavailable or (
            "" if assistant else "Assistenten är inte startad."
        )
        self.stream_delay = stream_delay
        self.docs: list[DocumentMeta] = assistant.documents() if assistant else []
        self.lines_for = lru_cache(maxsize=64)(self._lines)

    def _lines(self, doc: str) -> tuple[str, ...]:
        try:
            return tuple(self.assistant.document_lines(doc)) if self.assistant else ()
        except Exception:  # an unknown document only loses the context lines
            log.warning("no original lines for %s", doc, exc_info=True)
            return ()

    def accept(self, message: str | None, chat: list[Any] | None) -> tuple[Any, ...]:
        """First step of a turn (not queued): show the question, lock the input.

        Returns (textbox, chatbot, pending question or None, send button).
        """
        chat = list(chat or [])
        text = (message or "").strip()
        if not text:
            return gr.update(), chat, None, gr.update()
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
        chat += [_user(text), _bot(render_pending())]
        locked = gr.update(interactive=False)
        return gr.update(value="", interactive=False), chat, text, locked

    def respond(
        self,
        pending: str | None,
        chat: list[Any] | None,
        asked: list[str] | None,
        turns: dict[int, dict[str, Any]] | None,
        municipality: str | None,
        doc: str | None,
        year: str | None,
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
        filters = filters_from(municipality, doc, year)
        if self.docs and not matching_documents(self.docs, filters):
            chat[-1] = _bot(render_notice(_no_documents_message(filters)))
            yield chat, asked, turns, unlock, unlock
            return
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
            chat[-1] = _bot(render_answer(answer, self.lines_for))
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
        items = (
            stream(question, history, filters)
            if callable(stream)
            else iter([self.assistant.ask(question, history, filters)])
        )
        streamed = False
        for item in items:
            if isinstance(item, Answer) and not streamed:
                words = item.answer.split(" ")
                step = max(1, len(words) // 8)
                for i in range(0, len(words) - step, step):
                    yield ("" if i == 0 else " ") + " ".join(words[i : i + step])
                    time.sleep(self.stream_delay)
            streamed = streamed or isinstance(item, str)
            yield item

    def chat_api(
        self,
        question: str,
        history: list[str] | None = None,
        municipality: str = ALL,
        doc: str = ALL,
        year: str = ALL,
    ) -> Iterator[str]:
        """Stateless endpoint (``/chat``) for scripts and load tests: the same two
        steps as the page, streaming the HTML of the answer bubble."""
        _, chat, pending, _ = self.accept(question, [])
        yield chat[-1]["content"] if chat else ""
        asked = [h for h in (history or []) if isinstance(h, str) and h.strip()]
        steps = self.respond(pending, chat, asked, {}, municipality, doc, year)
        for bubbles, *_ in steps:
            yield bubbles[-1]["content"] if bubbles else ""

    def rate(
        self, turns: dict[int, dict[str, Any]] | None, evt: gr.LikeData
    ) -> tuple[str, int | None]:
        """Thumbs / "Fel källa" on an answer -> one feedback row; returns status, id."""
        rating = WRONG_SOURCE if evt.liked == WRONG_SOURCE else evt.liked
        rating = "wrong_source" if rating == WRONG_SOURCE else RATING_FOR.get(rating)
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = (turns or {}).get(int(index)) if index is not None else None
        if rating is None:
            return "Betyget togs bort.", None
        if turn is None:
            return "Betyg kan bara ges på svar från assistenten.", None
        row_id = self.store.record(**turn, rating=rating)
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

    def show_document(self, doc: str | None) -> tuple[str, str]:
        """Sections tree and tables of one document (document browser)."""
        if not doc or self.assistant is None:
            return "", ""
        try:
            return (
                render_sections(self.assistant.sections(doc)),
                render_tables(self.assistant.tables(doc)),
            )
        except Exception as exc:
            log.exception("document browser failed for %s", doc)
            return render_notice(_error_message(exc), error=True), ""

    def overview(self) -> str:
        if self.assistant is None:
            return render_notice(self.unavailable, error=True)
        counts = {}
        for d in self.docs:
            try:
                counts[d.doc] = (
                    len(self.assistant.sections(d.doc)),
                    len(self.assistant.tables(d.doc)),
                )
            except Exception:
                log.warning("cannot count the structure of %s", d.doc, exc_info=True)
        return render_document_overview(self.docs, counts)


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
