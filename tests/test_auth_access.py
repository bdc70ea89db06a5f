"""Access control end to end: two collections in a real (hash-embedded) index.

A user whose groups allow only Kramfors' collection must never see a word of
Mark's plan: not in answers, sources, retrieved passages, facts, the document
browser, the page's initial state or the log.
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.app import Assistant, build_assistant
from assistant.models import Answer, Citation, Filters
from assistant.settings import load_settings
from assistant.web.access import NOT_VISIBLE, user_view
from assistant.web.auth import AccessPolicy, AuthError, hash_password, load_access
from assistant.web.chat import ChatHandlers, Pacing
from assistant.web.feedback import FeedbackStore
from assistant.web.render import render_answer
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest

MARK_TEXT = (
    "Nämndplan 2025 för Kommunstyrelsen i Marks kommun\n\n"
    "1 Inledning\n"
    "Kommunstyrelsen i Mark bygger en ny simhall i Kinna som öppnar hösten 2025.\n\n"
    "2 Ekonomi\n"
    "Tabell 1 Driftbudget per verksamhet (mnkr)\n"
    "Verksamhet\tBudget 2024\tBudget 2025\n"
    "Simhall Kinna\t12,5\t14,8\n"
    "Nettokostnader\t-205,6\t-207,0\n"
)
MARK_META = (
    'title = "Nämndplan 2025, Kommunstyrelsen, Marks kommun"\n'
    'municipality = "Marks kommun"\norgan = "Kommunstyrelsen"\n'
    'kind = "nämndplan"\nperiod = "2025"\nyear = 2025\ncollection = "mark-plans"\n'
)
KRAMFORS_TEXT = (
    "Verksamhetsplan 2025 för Kommunledningsförvaltningen i Kramfors kommun\n\n"
    "1 Inledning\n"
    "Kramfors kommun rustar upp hamnen i Kramfors under 2025.\n\n"
    "2 Ekonomi\n"
    "Tabell 1 Driftbudget per verksamhet (tkr)\n"
    "Verksamhet\tBudget 2024\tBudget 2025\n"
    "Hamnen\t3 400\t3 900\n"
    "Nettokostnader\t-98 100\t-99 500\n"
)
KRAMFORS_META = (
    'title = "Verksamhetsplan 2025, Kommunledningsförvaltningen, Kramfors kommun"\n'
    'municipality = "Kramfors kommun"\norgan = "Kommunstyrelsen"\n'
    'kind = "verksamhetsplan"\nperiod = "2025"\nyear = 2025\n'
    'collection = "kramfors-plans"\n'
)
# Strings only Mark's document holds (none of them is in a question below).
MARK_ONLY = ("mark.txt", "Nämndplan", "öppnar hösten", "14,8", "12,5", "205,6", "207,0")
KRAMFORS_ONLY = ("kramfors.txt", "Verksamhetsplan", "rustar upp", "3 900", "99 500")
QUESTIONS_ABOUT_MARK = (
    "Hur stor är driftbudgeten för Simhall Kinna 2025 i Mark?",
    "Vad kostar simhallen i Kinna 2025?",  # names no municipality
    "Vilken simhall bygger kommunstyrelsen?",
)
PASSWORD = "simhall-2025"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("access")
    docs = root / "docs"
    docs.mkdir()
    for stem, text, meta in (
        ("mark", MARK_TEXT, MARK_META),
        ("kramfors", KRAMFORS_TEXT, KRAMFORS_META),
    ):
        (docs / f"{stem}.txt").write_text(text, encoding="utf-8")
        (docs / f"{stem}.meta.toml").write_text(meta, encoding="utf-8")
    report = ingest([docs], IndexTarget(root / "index", HashEmbedder()), progress=False)
    assert report.built and report.documents == 2, report.summary()
    settings = load_settings(index_dir=root / "index", embedder={"kind": "hash"})
    return build_assistant(settings)


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> AccessPolicy:
    pw = hash_password(PASSWORD)
    path = tmp_path_factory.mktemp("auth") / "auth.toml"
    path.write_text(
        f'[users.kerstin]\npassword = "{pw}"\ngroups = ["kramfors"]\n'
        f'[users.mats]\npassword = "{pw}"\ngroups = ["mark"]\n'
        f'[users.nils]\npassword = "{pw}"\n'
        '[groups.kramfors]\ncollections = ["kramfors-plans"]\n'
        '[groups.mark]\ncollections = ["mark-plans"]\n',
        encoding="utf-8",
    )
    return load_access(path)


def shown(answer: Answer) -> str:
    """Everything of an answer that reaches a user or a log of answers."""
    data = answer.to_json()
    return json.dumps(
        [data[k] for k in ("answer", "citations", "facts", "retrieved")],
        ensure_ascii=False,
    )


def leaked(text: str, markers: tuple[str, ...]) -> list[str]:
    return [m for m in markers if m in text]


def request(user: str) -> SimpleNamespace:
    return SimpleNamespace(username=user, session_hash=f"tab-{user}")


def test_the_other_collection_is_invisible_to_answers_and_logs(
    assistant, policy, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    kramfors = Filters(collections=policy.collections_for("kerstin"))
    mark = Filters(collections=policy.collections_for("mats"))
    for question in QUESTIONS_ABOUT_MARK:
        allowed = assistant.ask(question, filters=mark)
        assert not allowed.refused and leaked(shown(allowed), MARK_ONLY), question
        denied = assistant.ask(question, filters=kramfors)
        assert denied.refused, question
        assert leaked(shown(denied), MARK_ONLY) == [], question
    caplog.clear()
    assistant.ask(QUESTIONS_ABOUT_MARK[0], filters=kramfors)
    assert leaked(caplog.text, MARK_ONLY) == []


def test_a_user_in_no_group_gets_only_refusals(assistant, policy) -> None:
    nobody = Filters(collections=policy.collections_for("nils"))
    assert nobody.collections == ()
    for question in (*QUESTIONS_ABOUT_MARK, "Vad gör kommunen med hamnen?"):
        answer = assistant.ask(question, filters=nobody)
        assert answer.refused and not answer.citations and not answer.retrieved
        assert leaked(shown(answer), MARK_ONLY + KRAMFORS_ONLY) == []


def test_chat_handlers_apply_the_logged_in_users_collections(
    assistant, policy, tmp_path
) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite")
    handlers = ChatHandlers(
        assistant, store, pacing=Pacing(stream_delay=0), access=policy
    )
    question = QUESTIONS_ABOUT_MARK[0]

    def turn(user: str) -> tuple[str, dict]:
        req = request(user)
        _, chat, pending, _ = handlers.accept(question, [], req)
        steps = list(handlers.respond(pending, chat, [], {}, "", "", "", req))
        chat, _, turns, *_ = steps[-1]
        html = "".join(str(step[0][-1]["content"]) for step in steps)
        return html, turns

    html, _ = turn("mats")
    assert "14,8" in html and "mark.txt" in html
    html, turns = turn("kerstin")
    assert "ps-refused" in html and leaked(html, MARK_ONLY) == []
    api_html = "".join(handlers.chat_api(question, request=request("kerstin")))
    assert "ps-refused" in api_html and leaked(api_html, MARK_ONLY) == []

    like = gr.LikeData(None, {"index": 1, "value": "", "liked": False})
    handlers.rate(turns, like, request("kerstin"))
    (row,) = store.rows()
    assert (row.user, row.rating, row.question) == ("kerstin", "down", question)


def test_document_browser_lists_and_opens_only_allowed_documents(
    assistant, policy, tmp_path
) -> None:
    handlers = ChatHandlers(
        assistant, FeedbackStore(tmp_path / "fb.sqlite"), access=policy
    )
    overview = handlers.overview(request("kerstin"))
    assert "kramfors.txt" in overview and leaked(overview, MARK_ONLY) == []
    assert "inga dokument" in handlers.overview(request("nils")).lower()
    sections, tables = handlers.show_document("mark.txt", request("kerstin"))
    assert NOT_VISIBLE in sections and tables == ""
    sections, tables = handlers.show_document("mark.txt", request("mats"))
    assert "Inledning" in sections and "14,8" in tables


def test_source_rendering_shows_no_lines_of_a_forbidden_document(
    assistant, policy
) -> None:
    """Even a (hypothetical) answer citing Mark's plan shows no original Mark lines
    around the quote to a Kramfors user."""
    lines = assistant.document_lines("mark.txt")
    row = next(n for n, line in enumerate(lines, 1) if line.startswith("Simhall"))
    forged = Answer(
        question="q",
        answer="x [1]",
        refused=False,
        citations=(Citation(1, "mark.txt", "", "", row, row, ""),),
    )
    metas = {d.doc: d for d in assistant.documents()}
    view = user_view(policy, request("kerstin"))
    html = render_answer(forged, view.lines(assistant.document_lines, metas.get))
    assert leaked(html, ("öppnar hösten", "14,8", "Nettokostnader")) == []
    full = render_answer(forged, assistant.document_lines)  # without the guard
    assert "14,8" in full and "Nettokostnader" in full


def test_page_built_for_login_carries_no_document_names(
    assistant, policy, tmp_path
) -> None:
    from assistant.web.server import build_ui

    settings = load_settings(ui={"feedback_db": tmp_path / "fb.sqlite"})
    config = json.dumps(
        build_ui(assistant, settings, access=policy).get_config_file(),
        ensure_ascii=False,
        default=str,
    )
    assert leaked(config, MARK_ONLY + KRAMFORS_ONLY) == []
    open_config = json.dumps(
        build_ui(assistant, settings).get_config_file(),
        ensure_ascii=False,
        default=str,
    )
    assert "mark.txt" in open_config  # without login the filters list documents


def test_bad_auth_file_stops_serve_with_one_clear_message(
    tmp_path, monkeypatch, capsys
) -> None:
    from assistant.cli import main

    bad = tmp_path / "auth.toml"
    bad.write_text('[users.anna]\npassword = "hemligt123"\n', encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_UI__AUTH_FILE", str(bad))
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: auth file {bad}: users.anna.password")
    assert "Traceback" not in err and len(err.splitlines()) == 1
    with pytest.raises(AuthError):
        load_access(bad)
