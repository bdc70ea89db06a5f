"""The "Introduktion" tab: choose a document (optionally municipality and body first)
and read its onboarding brief; a suggested question is asked in the chat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.brief.cache import BriefCache
from assistant.brief.render import to_html
from assistant.brief.source import BriefSource
from assistant.settings import Settings
from assistant.web.render import render_notice
from corpus.models import DocumentMeta

log = logging.getLogger(__name__)

QUESTION_BUTTONS = 5
ALL = "Alla"
INTRO = (
    "En introduktion till ett dokument för dig som är ny: uppdrag, vision, mål, "
    "ekonomi, risker, uppdrag och förkortningar, med källa till varje punkt. "
    "Klicka på en fråga för att ställa den i chatten."
)


class BriefHandlers:
    """Event handlers of the tab, free of layout (unit-testable)."""

    def __init__(
        self,
        source: BriefSource | None,
        cache: BriefCache,
        unavailable: str = "Assistenten är inte startad.",
    ) -> None:
        self.source = source
        self.cache = cache
        self.unavailable = unavailable
        self.docs: list[DocumentMeta] = source.documents() if source else []

    def choices(
        self, municipality: str | None, organ: str | None
    ) -> list[tuple[str, str]]:
        """(label, file name) of the documents matching the chosen filters."""
        return [
            (f"{d.title} ({d.doc})", d.doc)
            for d in self.docs
            if municipality in (None, "", ALL, d.municipality)
            and organ in (None, "", ALL, d.organ)
        ]

    def narrow(self, municipality: str | None, organ: str | None) -> Any:
        return gr.update(choices=self.choices(municipality, organ), value=None)

    def show(self, doc: str | None) -> tuple[Any, ...]:
        """The brief's HTML (charts included) and the question buttons."""
        hidden = [gr.update(visible=False, value="")] * QUESTION_BUTTONS
        if not doc:
            return ("", *hidden)
        if self.source is None:
            return (render_notice(self.unavailable, error=True), *hidden)
        try:
            brief = self.cache.get(self.source, doc)
            page = to_html(brief, self.cache.charts(brief), standalone=False)
        except Exception as exc:  # shown on the page; the traceback goes to the log
            log.exception("brief of %s failed", doc)
            return (
                render_notice(f"Introduktionen kunde inte göras: {exc}", error=True),
                *hidden,
            )
        buttons = [
            gr.update(visible=True, value=q) for q in brief.questions[:QUESTION_BUTTONS]
        ]
        buttons += hidden[len(buttons) :]
        title = (
            '<h3 class="brief-part" id="brief-questions">Frågor att ställa härnäst</h3>'
        )
        if not brief.questions:
            title += f"<p><em>{brief.part('questions').note}</em></p>"
        return (page + title, *buttons)


def brief_handlers(
    source: Any, settings: Settings, access: Any = None
) -> BriefHandlers:
    """The tab's handlers; with login on, briefs are off (documents are per user
    and the tab's list is built before anyone logs in)."""
    from assistant.brief.command import cache_dir

    if access is not None:
        off = "Introduktionen är avstängd när inloggning används."
        return BriefHandlers(None, BriefCache(cache_dir(settings)), off)
    return BriefHandlers(source, BriefCache(cache_dir(settings)))


def brief_tab(
    handlers: BriefHandlers, ask_in_chat: Callable[[gr.Button, gr.Dropdown], None]
) -> None:
    """Lay out the tab inside an open ``gr.Tab``; ``ask_in_chat(button, doc)`` wires
    a question button to ask within the chosen document in the chat."""
    gr.Markdown(INTRO)
    docs = handlers.docs
    with gr.Row():
        municipality = gr.Dropdown(
            [ALL, *sorted({d.municipality for d in docs if d.municipality})],
            value=ALL,
            label="Kommun",
            elem_id="brief-kommun",
        )
        organ = gr.Dropdown(
            [ALL, *sorted({d.organ for d in docs if d.organ})],
            value=ALL,
            label="Nämnd eller organ",
            elem_id="brief-organ",
        )
        doc = gr.Dropdown(
            handlers.choices(None, None),
            value=None,
            label="Dokument",
            elem_id="brief-doc",
        )
    page = gr.HTML(elem_id="brief-page")
    with gr.Row(elem_id="brief-questions-row"):
        buttons = [
            gr.Button("", visible=False, size="sm", elem_classes=["brief-question"])
            for _ in range(QUESTION_BUTTONS)
        ]
    for button in buttons:
        ask_in_chat(button, doc)
    for dropdown in (municipality, organ):
        dropdown.change(
            handlers.narrow,
            [municipality, organ],
            doc,
            queue=False,
            api_visibility="private",
        )
    doc.change(
        handlers.show,
        doc,
        [page, *buttons],
        api_visibility="private",
        concurrency_limit=2,
        concurrency_id="brief",
    )
