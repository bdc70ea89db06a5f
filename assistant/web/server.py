"""Gradio web chat: ``build_ui(assistant, settings)`` and ``serve(settings)``.

One assistant is built at start-up and shared read-only by all sessions; the
queue bounds how many answers are computed at once. Per-session data (earlier
questions, answers that can be rated) lives in ``gr.State``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr

from assistant.settings import Settings
from assistant.web.auth import AccessPolicy, load_access
from assistant.web.brief import brief_handlers, brief_tab
from assistant.web.chat import (
    MAX_QUESTION_CHARS,
    WRONG_SOURCE,
    AssistantLike,
    ChatHandlers,
    Pacing,
)
from assistant.web.feedback import FeedbackStore
from assistant.web.filters import (
    ALL,
    document_choices,
    example_questions,
    municipality_choices,
    year_choices,
)
from assistant.web.render import CHAT_CSS, render_notice
from assistant.web.upload import UploadHandlers, upload_tab

log = logging.getLogger(__name__)

STREAMS_PER_SLOT = 4  # answer events in flight per compute slot (see build_ui)

TITLE = "Plansvar – frågor om kommunala planer"
INTRO = (
    "Ställ frågor om kommunernas planer, budgetar och uppföljningar. Svaret kommer "
    "direkt ur dokumenten, med numrerade källor: klicka på en källa för att se "
    "stycket i originaltexten. Du kan skriva på svenska eller engelska och ställa "
    "följdfrågor."
)


@dataclass(frozen=True)
class _ChatTab:
    """The chat tab's parts that the other tabs and the page load use."""

    municipality: Any
    document: Any
    year: Any
    chatbot: Any
    # Wires a trigger to a turn: accept (not queued), then respond (queued).
    wire: Callable[[Any, Any, list[Any]], None]


def build_ui(
    assistant: AssistantLike | None,
    settings: Settings,
    *,
    unavailable: str = "",
    stream_delay: float = 0.03,
    access: AccessPolicy | None = None,
) -> gr.Blocks:
    """The chat and document browser; ``assistant=None`` shows ``unavailable``.

    With ``access`` (login on) the page is built without any document names; each
    user's filters, document list and overview are filled in when the page loads.
    """
    handlers = ChatHandlers(
        assistant,
        FeedbackStore(settings.ui.feedback_db),
        unavailable=unavailable,
        access=access,
        pacing=Pacing(stream_delay, settings.ui.concurrency),
    )
    # Answer events in flight: most of a turn is the reveal of a finished answer,
    # so more may run than are computed at once (the handlers' compute slots).
    in_flight = STREAMS_PER_SLOT * settings.ui.concurrency
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        if handlers.unavailable:
            gr.HTML(
                render_notice(handlers.unavailable, error=True), elem_id="unavailable"
            )
        with gr.Tabs() as tabs:
            with gr.Tab("Chatt", id="chat"):
                chat = _chat_tab(handlers, in_flight)
            with gr.Tab("Dokument"):
                overview, pick = _documents_tab(handlers, in_flight, access)
            with gr.Tab("Introduktion", id="intro"):

                def ask_in_chat(button: Any, doc: Any) -> None:
                    # The question was answered within the document: ask it there.
                    scoped = button.click(
                        lambda d: (gr.Tabs(selected="chat"), d or ALL, ALL, ALL),
                        doc,
                        [tabs, chat.document, chat.municipality, chat.year],
                        queue=False,
                        api_visibility="private",
                    )
                    chat.wire(scoped.then, handlers.accept, [button, chat.chatbot])

                brief_tab(brief_handlers(assistant, settings, access), ask_in_chat)
            # Built only when someone may upload; with login it stays hidden until
            # the page load finds an admin (the handler checks again).
            uploads = UploadHandlers(settings, handlers, access)
            tab = None
            if access is not None or settings.ui.allow_upload:
                tab = upload_tab(uploads, visible=access is None)
        if access is not None or tab is not None:
            # Per user, and after an upload the new documents on every page load.
            demo.load(
                _user_page(handlers),
                None,
                [chat.municipality, chat.document, chat.year, overview, pick],
                queue=False,
                api_visibility="private",
            )
            if tab is not None:
                demo.load(
                    uploads.tab_update,
                    None,
                    tab,
                    queue=False,
                    api_visibility="private",
                )
    return demo


def _chat_tab(handlers: ChatHandlers, in_flight: int) -> _ChatTab:
    """Filters, the chat with its input, example questions and rating controls."""
    docs = handlers.public_docs
    with gr.Row():
        municipality, document, year = (
            gr.Dropdown(choices, value=ALL, label=label, elem_id=elem)
            for choices, label, elem in (
                (municipality_choices(docs), "Kommun", "filter-kommun"),
                (document_choices(docs), "Dokument", "filter-document"),
                (year_choices(docs), "År", "filter-year"),
            )
        )
    chatbot = gr.Chatbot(
        elem_id="chatbot",
        height=560,
        show_label=False,
        feedback_options=("Like", "Dislike", WRONG_SOURCE),
        latex_delimiters=[],
        placeholder="Ställ en fråga, eller välj en exempelfråga nedan.",
    )
    with gr.Row():
        textbox = gr.Textbox(
            elem_id="msg",
            show_label=False,
            placeholder="Skriv en fråga och tryck Enter …",
            max_length=MAX_QUESTION_CHARS + 200,
            autofocus=True,
            scale=8,
        )
        send = gr.Button("Skicka", variant="primary", elem_id="send", scale=1)
    pending = gr.State(None)
    asked = gr.State([])
    turns = gr.State({})
    last_rating = gr.State(None)

    def wire(trigger: Any, accept: Any, inputs: list[Any]) -> None:
        trigger(
            accept,
            inputs,
            [textbox, chatbot, pending, send],
            queue=False,
            trigger_mode="once",
        ).then(
            handlers.respond,
            [pending, chatbot, asked, turns, municipality, document, year],
            [chatbot, asked, turns, textbox, send],
            show_progress="hidden",
            api_visibility="private",
            concurrency_limit=in_flight,
            concurrency_id="answer",
        )

    wire(textbox.submit, handlers.accept, [textbox, chatbot])
    wire(send.click, handlers.accept, [textbox, chatbot])
    gr.Markdown("**Exempelfrågor** (klicka för att fråga)")
    with gr.Row(elem_id="examples"):
        for question in example_questions(docs):
            button = gr.Button(question, size="sm")
            wire(button.click, _accept_fixed(handlers, question), [chatbot])
    _rating_controls(handlers, chatbot, asked, turns, last_rating)
    return _ChatTab(municipality, document, year, chatbot, wire)


def _rating_controls(
    handlers: ChatHandlers, chatbot: Any, asked: Any, turns: Any, last_rating: Any
) -> None:
    """Thumbs and "Fel källa" on answers, a comment on the latest, a new chat."""
    feedback_status = gr.Markdown(elem_id="feedback-status")
    with gr.Accordion("Kommentar till ditt senaste betyg", open=False):
        comment = gr.Textbox(
            show_label=False,
            lines=2,
            placeholder="Vad var fel eller bra?",
            elem_id="comment",
        )
        save_comment = gr.Button("Spara kommentar", size="sm")
    new_chat = gr.Button("Ny chatt", size="sm")
    chatbot.like(
        handlers.rate,
        [turns],
        [feedback_status, last_rating],
        api_visibility="private",
    )
    save_comment.click(
        handlers.comment,
        [last_rating, comment],
        [feedback_status, comment],
        api_visibility="private",
    )
    new_chat.click(
        lambda: ([], [], {}, None, ""),
        None,
        [chatbot, asked, turns, last_rating, feedback_status],
        queue=False,
        api_visibility="private",
    )


def _documents_tab(
    handlers: ChatHandlers, in_flight: int, access: AccessPolicy | None
) -> tuple[Any, Any]:
    """Overview and one document's sections and tables; also the /chat endpoint.

    Returns the overview and the document picker (filled per user on page load).
    """
    docs = handlers.public_docs
    gr.Markdown("Dokumenten assistenten har indexerat, och hur de har tolkats.")
    overview = gr.HTML("" if access else handlers.overview(), elem_id="doc-overview")
    pick = gr.Dropdown(
        document_choices(docs)[1:],
        value=None,
        label="Visa dokument",
        elem_id="doc-pick",
    )
    with gr.Row():
        sections_html = gr.HTML(elem_id="doc-sections")
        tables_html = gr.HTML(elem_id="doc-tables")
    gr.api(
        handlers.chat_api,
        api_name="chat",
        concurrency_limit=in_flight,
        concurrency_id="answer",
    )
    pick.change(
        handlers.show_document,
        pick,
        [sections_html, tables_html],
        api_visibility="private",
    )
    return overview, pick


def _user_page(handlers: ChatHandlers) -> Any:
    """Page-load handler: the logged-in user's filter choices and documents."""

    def fill(request: gr.Request) -> tuple[Any, ...]:
        docs = handlers.view(request).documents(handlers.docs)
        return (
            gr.update(choices=municipality_choices(docs), value=ALL),
            gr.update(choices=document_choices(docs), value=ALL),
            gr.update(choices=year_choices(docs), value=ALL),
            handlers.overview(request),
            gr.update(choices=document_choices(docs)[1:], value=None),
        )

    return fill


def _accept_fixed(handlers: ChatHandlers, question: str) -> Any:
    def accept(chat: list[Any] | None) -> tuple[Any, ...]:
        return handlers.accept(question, chat)

    return accept


def launch(
    demo: gr.Blocks,
    settings: Settings,
    *,
    port: int | None = None,
    prevent_thread_lock: bool = False,
    access: AccessPolicy | None = None,
) -> Any:
    """Queue and start the server on the configured host (loopback by default);
    with ``access`` every page and API call needs a login."""
    if settings.ui.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning(
            "the web chat listens on %s, not only on loopback", settings.ui.host
        )
    demo.queue(
        default_concurrency_limit=settings.ui.concurrency,
        max_size=settings.ui.max_queue,
    )
    return demo.launch(
        server_name=settings.ui.host,
        server_port=port or settings.ui.port,
        share=False,
        css=CHAT_CSS,
        prevent_thread_lock=prevent_thread_lock,
        auth=access.verify if access else None,
        auth_message="Logga in för att läsa dina kommuners planer." if access else None,
        footer_links=["api", "settings"],
        enable_monitoring=False,
        mcp_server=False,
        ssr_mode=False,
        pwa=False,
        quiet=True,
    )


def serve(settings: Settings) -> None:
    """``python -m assistant serve``: build the assistant once, then serve the chat.

    Without a usable index the page still starts and says how to build one. A
    configured but unusable auth file stops the start (``AuthError`` names the file
    and the problem): serving without the login asked for would expose documents.
    """
    from assistant.app import build_assistant

    access = load_access(settings.ui.auth_file) if settings.ui.auth_file else None

    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    assistant, unavailable = None, ""
    try:
        assistant = build_assistant(settings)
    except Exception as exc:  # the page explains it; the server keeps running
        unavailable = startup_message(exc)
        log.error("%s", unavailable, exc_info=not _is_index_error(exc))
    demo = build_ui(assistant, settings, unavailable=unavailable, access=access)
    log.info(
        "Plansvar web chat on http://%s:%s/%s",
        settings.ui.host,
        settings.ui.port,
        f" (login on, {len(access.users)} users)" if access else "",
    )
    launch(demo, settings, access=access)


def _is_index_error(exc: Exception) -> bool:
    from index.build import IndexOpenError

    return isinstance(exc, IndexOpenError)


def startup_message(exc: Exception) -> str:
    """What the page and the log say when the assistant cannot be built."""
    if _is_index_error(exc):
        how = (
            "Starta sedan om servern."
            if "make setup" in str(exc)
            else "Bygg indexet med `make setup` och starta sedan om servern."
        )
        return f"Inget användbart index: {exc}\n{how}"
    return (
        f"Assistenten kunde inte startas: {type(exc).__name__}: {exc}\n"
        "Kör `make setup` och starta om servern; se loggen för detaljer."
    )
