"""Headless Chromium: the "Introduktion" tab and a chart under a multi-year answer.

Real index and model (``pytest -m browser``); screenshots go to test-output/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_browser import BOT, browser, page, send, shot, start  # noqa: F401

from assistant.settings import load_settings

pytestmark = [pytest.mark.browser, pytest.mark.integration]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def brief_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    settings = load_settings()
    if not (settings.index_dir / "manifest.json").is_file():
        pytest.skip(f"no index at {settings.index_dir}: run `make setup` first")
    from assistant.app import build_assistant

    tmp = tmp_path_factory.mktemp("brief-web")
    settings = settings.model_copy(
        update={
            "brief_cache_dir": tmp / "briefs",
            "ui": settings.ui.model_copy(update={"feedback_db": tmp / "fb.sqlite"}),
        }
    )
    assistant = build_assistant(settings)
    demo, url = start(assistant, settings)
    yield url, assistant
    demo.close()


def _first_doc_with_chart(assistant: Any, cache_dir: Path) -> Any:
    """A document whose brief has a chart, chosen from the brief itself."""
    from assistant.brief.cache import BriefCache

    cache = BriefCache(cache_dir)
    for meta in assistant.documents():
        brief = cache.get(assistant, meta.doc)
        if brief.charts and brief.questions:
            return meta, brief
    pytest.skip("no indexed document has a chart and questions")


def test_introduction_tab_brief_chart_and_question(
    page: Any,  # noqa: F811
    brief_server: tuple[str, Any],
    tmp_path: Path,
) -> None:
    url, assistant = brief_server
    meta, brief = _first_doc_with_chart(assistant, tmp_path)
    expect = sync_api.expect
    page.goto(url, wait_until="load")
    page.get_by_role("tab", name="Introduktion").click()
    page.locator("#brief-doc input").click()
    page.get_by_role("option", name=f"{meta.title} ({meta.doc})", exact=True).click()
    brief_page = page.locator("#brief-page")
    expect(brief_page.locator(".brief-part").first).to_be_visible(timeout=60_000)
    for part in brief.parts:
        expect(brief_page).to_contain_text(part.title)
    expect(brief_page.locator(".brief-chart img").first).to_be_visible()
    buttons = page.locator(".brief-question:visible")
    expect(buttons.first).to_be_visible()
    assert buttons.count() == len(brief.questions)
    shot(page, "brief-01-introduction")

    question = brief.questions[0]
    page.get_by_role("button", name=question, exact=True).click()
    answer = page.locator(BOT).last
    expect(answer.locator(".ps-sources")).to_be_visible(timeout=60_000)
    expect(answer.locator(".ps-refused")).to_have_count(0)
    expect(page.locator("#chatbot")).to_contain_text(question)
    chosen = f"{meta.title} ({meta.doc})"
    expect(page.locator("#filter-document input")).to_have_value(chosen)
    shot(page, "brief-02-question-answered")


def test_chart_under_a_multi_year_answer(
    page: Any,  # noqa: F811
    brief_server: tuple[str, Any],
) -> None:
    url, _ = brief_server
    expect = sync_api.expect
    page.goto(url, wait_until="load")
    send(page, "Hur stora är nettokostnaderna i Mark budget 2023, 2024 och 2025?")
    answer = page.locator(BOT).last
    expect(answer.locator(".ps-sources")).to_be_visible(timeout=60_000)
    expect(answer.locator(".ps-chart img")).to_be_visible()
    shot(page, "brief-03-chart-in-chat")
