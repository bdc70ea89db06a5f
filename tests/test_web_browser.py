"""End to end: the real web chat driven by headless Debian Chromium (Playwright).

Run with ``pytest -m browser``. The main test uses the real index and model
(``build_assistant(load_settings())``); the other two use a fake assistant or
none, to check the page's behaviour on bad input and without an index.
"""

from __future__ import annotations

import re
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from test_web_support import MARK_DOC, FakeAssistant, find_row, sample_documents

from assistant.settings import Settings, UiSettings, load_settings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost"}
BOT = '[data-testid="bot"]'

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing (`make browser` installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(assistant: Any, settings: Settings, **ui: Any) -> tuple[Any, str]:
    from assistant.web.server import build_ui, launch

    demo = build_ui(assistant, settings, **ui)
    port = free_port()
    launch(demo, settings, port=port, prevent_thread_lock=True)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            # The last flag stops Chromium's own background lookups of Google hosts.
            args=[
                "--no-sandbox",
                "--headless=new",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records every request and blocks any that leaves loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    blocked: list[str] = []

    def guard(route: Any) -> None:
        if urlparse(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    context.close()
    assert requests, "the page made no requests at all"
    outside = [u for u in requests if urlparse(u).hostname not in LOOPBACK]
    assert not outside and not blocked, (
        f"requests leaving loopback: {outside + blocked}"
    )


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def send(page: Any, question: str) -> None:
    box = page.locator("#msg textarea")
    sync_api.expect(box).to_be_editable(timeout=60_000)
    box.fill(question)
    box.press("Enter")


def choose(page: Any, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    settings = load_settings()
    if not (settings.index_dir.exists() or settings.index_dir.is_symlink()):
        pytest.skip(f"no index at {settings.index_dir}: run `make setup` first")
    if settings.embedder.kind == "e5" and not settings.embedder.model_dir.exists():
        pytest.skip(
            f"no model at {settings.embedder.model_dir}: run `make setup` first"
        )
    from assistant.app import build_assistant
    from index.build import IndexOpenError

    db = tmp_path_factory.mktemp("web") / "feedback.sqlite"
    settings = settings.model_copy(
        update={"ui": settings.ui.model_copy(update={"feedback_db": db})}
    )
    try:
        assistant = build_assistant(settings)
    except IndexOpenError as exc:
        pytest.skip(f"the index cannot be opened: {exc}")
    demo, url = start(assistant, settings)
    yield url, db
    demo.close()


def test_chat_with_the_real_index(page: Any, real_server: tuple[str, Path]) -> None:
    chat_scenario(page, *real_server, prefix="")


def test_chat_scenario_with_a_fake_assistant(page: Any, tmp_path: Path) -> None:
    """The same steps against the fake: checks the page apart from answer quality."""
    settings = Settings(ui=UiSettings(feedback_db=tmp_path / "fb.sqlite"))
    demo, url = start(FakeAssistant(), settings)
    try:
        chat_scenario(page, url, settings.ui.feedback_db, prefix="fake-")
    finally:
        demo.close()


def chat_scenario(page: Any, url: str, db: Path, prefix: str) -> None:
    """Ask, check value and source, open it, filter, follow up, rate."""
    expect = sync_api.expect
    page.goto(url, wait_until="load")
    expect(page.locator("#msg textarea")).to_be_visible(timeout=30_000)
    shot(page, prefix + "01-start")

    send(page, "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?")
    answer = page.locator(BOT).last
    expect(answer.locator(".ps-sources")).to_be_visible(timeout=60_000)
    expect(answer.locator(".ps-body")).to_contain_text("205,6")
    _, row_line, _ = find_row(MARK_DOC, "Nettokostnader", "Budget 2024")
    summaries = answer.locator("details.ps-source summary").all_inner_texts()
    ranges = [
        (int(m.group(1)), int(m.group(2) or m.group(1)))
        for s in summaries
        if MARK_DOC in s
        for m in [re.search(r"rader (\d+)(?:–(\d+))?", s)]
        if m
    ]
    assert any(a <= row_line <= b for a, b in ranges), summaries
    shot(page, prefix + "02-answer")

    source = answer.locator("details.ps-source").filter(has_text=MARK_DOC).first
    passage = source.locator(".ps-passage mark").filter(has_text="Nettokostnader")
    expect(passage.first).to_be_hidden()
    source.locator("summary").click()
    expect(passage.first).to_be_visible()
    shot(page, prefix + "03-source-open")

    choose(page, "filter-kommun", "Marks kommun")
    send(page, "Och 2025?")
    follow = page.locator(BOT).nth(1)
    expect(follow.locator(".ps-sources")).to_be_visible(timeout=60_000)
    expect(follow.locator(".ps-body")).to_contain_text("207,0")
    shot(page, prefix + "04-follow-up")

    page.get_by_role("button", name="Like", exact=True).last.click()
    expect(page.locator("#feedback-status")).to_contain_text("sparades", timeout=10_000)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT question, history_json, rating FROM feedback"
        ).fetchall()
    assert rows == [
        (
            "Och 2025?",
            '["Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?"]',
            "up",
        )
    ]
    shot(page, prefix + "05-feedback")

    page.get_by_role("tab", name="Dokument").click()
    expect(page.locator("#doc-overview")).to_contain_text(MARK_DOC)
    title = next(
        f"{d.title} ({d.doc})" for d in sample_documents() if d.doc == MARK_DOC
    )
    choose(page, "doc-pick", title)
    expect(page.locator("#doc-sections")).to_contain_text("Ekonomi", timeout=10_000)
    shot(page, prefix + "06-documents")


def test_bad_input_never_leaves_a_stuck_page(page: Any, tmp_path: Path) -> None:
    fake = FakeAssistant()
    settings = Settings(ui=UiSettings(feedback_db=tmp_path / "fb.sqlite"))
    demo, url = start(fake, settings, stream_delay=0.05)
    try:
        expect = sync_api.expect
        page.goto(url, wait_until="load")
        box = page.locator("#msg textarea")
        expect(box).to_be_visible(timeout=30_000)
        box.press("Enter")  # empty
        page.wait_for_timeout(500)
        assert page.locator(BOT).count() == 0 and fake.calls == []

        box.fill("Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?")
        box.press("Enter")
        box.press("Enter")  # rapid double submit
        page.locator("#send").click(force=True)
        expect(page.locator(BOT).last).to_contain_text("205,6", timeout=20_000)
        expect(box).to_be_editable(timeout=10_000)
        assert len(fake.calls) == 1

        choose(page, "filter-kommun", "Kramfors kommun")
        choose(
            page,
            "filter-document",
            next(
                f"{d.title} ({d.doc})" for d in sample_documents() if d.doc == MARK_DOC
            ),
        )
        send(page, "Och 2025?")
        expect(page.locator(BOT).last).to_contain_text(
            "Inga dokument matchar", timeout=10_000
        )
        expect(box).to_be_editable()

        box.fill("<script>document.title='hacked'</script>" + "x" * 1100)
        box.press("Enter")
        expect(page.locator(BOT).last).to_contain_text("för lång", timeout=10_000)
        expect(page.locator('[data-testid="user"]').last).to_contain_text("<script>")
        assert page.title() != "hacked" and len(fake.calls) == 1
        shot(page, "07-bad-input")
    finally:
        demo.close()


def test_page_without_an_index_says_how_to_build_it(page: Any, tmp_path: Path) -> None:
    from assistant.web.server import startup_message
    from index.build import NoIndexError

    settings = Settings(ui=UiSettings(feedback_db=tmp_path / "fb.sqlite"))
    message = startup_message(NoIndexError(f"no index at {tmp_path / 'index'}"))
    demo, url = start(None, settings, unavailable=message)
    try:
        expect = sync_api.expect
        page.goto(url, wait_until="load")
        expect(page.locator("#unavailable")).to_contain_text(
            "make setup", timeout=30_000
        )
        send(page, "Vad är Kommunkompassen?")
        expect(page.locator(BOT).last).to_contain_text("make setup", timeout=10_000)
        expect(page.locator("#msg textarea")).to_be_editable()
        shot(page, "08-no-index")
    finally:
        demo.close()
