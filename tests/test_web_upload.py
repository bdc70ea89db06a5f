"""Admin-only upload in the web chat: stage, ingest, keep and swap the assistant.

A real (hash-embedded) index of two small generated plans; each test uploads into
its own copy, so the chat must answer from what was uploaded, not from fixtures.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.app import build_assistant
from assistant.settings import Settings, load_settings
from assistant.web.auth import AccessPolicy, hash_password, load_access
from assistant.web.chat import ChatHandlers, Pacing
from assistant.web.feedback import FeedbackStore
from assistant.web.upload import MAX_FILES, NOT_ALLOWED, UploadHandlers, may_upload
from index.build import read_manifest
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest

BASE = {
    "lerum": (
        "Nämndplan 2025 för Kommunstyrelsen i Lerums kommun\n\n"
        "1 Inledning\n"
        "Kommunstyrelsen i Lerum bygger om torget i Gråbo under 2025.\n\n"
        "2 Ekonomi\n"
        "Tabell 1 Driftbudget per verksamhet (mnkr)\n"
        "Verksamhet\tBudget 2024\tBudget 2025\n"
        "Torget Gråbo\t4,2\t6,1\n"
        "Nettokostnader\t-151,3\t-158,9\n",
        "Lerums kommun",
    ),
    "alingsas": (
        "Verksamhetsplan 2025 för Kultur- och fritidsnämnden i Alingsås kommun\n\n"
        "1 Inledning\n"
        "Nämnden öppnar en ny ishall i Alingsås hösten 2025.\n\n"
        "2 Ekonomi\n"
        "Tabell 1 Driftbudget per verksamhet (mnkr)\n"
        "Verksamhet\tBudget 2024\tBudget 2025\n"
        "Ishallen\t8,8\t11,4\n"
        "Nettokostnader\t-88,0\t-91,5\n",
        "Alingsås kommun",
    ),
}
UPLOADED = (
    "Budget 2025 för Bildningsnämnden\n\n"
    "1 Inledning\n"
    "Bildningsnämnden driver stadsbiblioteket och musikskolan.\n\n"
    "2 Ekonomi\n"
    "Tabell 1 Driftbudget per verksamhet (mnkr)\n"
    "Verksamhet\tBudget 2024\tBudget 2025\n"
    "Stadsbiblioteket\t17,3\t19,6\n"
    "Musikskolan\t5,5\t5,9\n"
)
LIBRARY_QUESTION = "Hur stor är driftbudgeten för Stadsbiblioteket 2025 i Ulricehamn?"
BASE_QUESTION = "Hur stor är driftbudgeten för Ishallen 2025 i Alingsås?"
PW = "bibliotek-2025"


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> AccessPolicy:
    pw = hash_password(PW)
    path = tmp_path_factory.mktemp("auth") / "auth.toml"
    path.write_text(
        f'[users.anna]\npassword = "{pw}"\ngroups = ["alla"]\nadmin = true\n'
        f'[users.bert]\npassword = "{pw}"\ngroups = ["alla"]\n'
        '[groups.alla]\ncollections = ["default"]\n',
        encoding="utf-8",
    )
    return load_access(path)


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    docs = tmp_path / "documents"
    docs.mkdir()
    for stem, (text, municipality) in BASE.items():
        (docs / f"{stem}.txt").write_text(text, encoding="utf-8")
        (docs / f"{stem}.meta.toml").write_text(
            f'title = "Plan {stem}"\nmunicipality = "{municipality}"\n'
            'kind = "nämndplan"\nperiod = "2025"\nyear = 2025\n',
            encoding="utf-8",
        )
    index = tmp_path / "index"
    report = ingest([docs], IndexTarget(index, HashEmbedder()), progress=False)
    assert report.built and report.documents == 2, report.summary()
    return load_settings(
        index_dir=index,
        documents_dir=docs,
        ui={"feedback_db": tmp_path / "fb.sqlite"},
    )


def uploads_for(settings: Settings, access=None) -> UploadHandlers:
    chat = ChatHandlers(
        build_assistant(settings),
        FeedbackStore(settings.ui.feedback_db),
        pacing=Pacing(stream_delay=0),
        access=access,
    )
    return UploadHandlers(settings, chat, access)


def upload_file(tmp_path: Path, name: str, text: str | bytes) -> Path:
    folder = tmp_path / "client"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def user(name: str) -> SimpleNamespace:
    return SimpleNamespace(username=name, session_hash=f"tab-{name}")


def test_an_admins_upload_is_indexed_and_answered_from_at_once(
    settings, policy, tmp_path
) -> None:
    uploads = uploads_for(settings, policy)
    before = uploads.chat.assistant
    assert before.ask(LIBRARY_QUESTION).refused  # not in the index yet
    path = upload_file(tmp_path, "bildning.txt", UPLOADED)
    html = uploads.upload(
        [str(path)], "Ulricehamns kommun", "Bildningsnämnden", "budget", "2025",
        user("anna"),
    )  # fmt: skip
    assert "ps-error" not in html and "bildning.txt" in html, html
    assert "indexed 1, skipped 0" in html and "Ulricehamns kommun" in html
    assert (settings.documents_dir / "bildning.txt").read_text(
        encoding="utf-8"
    ) == UPLOADED
    assert uploads.chat.assistant is not before  # swapped
    meta = {d.doc: d for d in uploads.chat.docs}["bildning.txt"]
    assert (meta.municipality, meta.organ, meta.year) == (
        "Ulricehamns kommun",
        "Bildningsnämnden",
        2025,
    )
    answer = uploads.chat.assistant.ask(LIBRARY_QUESTION)
    assert not answer.refused and "19,6" in answer.answer, answer.answer
    assert answer.citations[0].doc == "bildning.txt"
    page = "".join(uploads.chat.chat_api(LIBRARY_QUESTION, request=user("anna")))
    assert "19,6" in page  # the running chat's handlers use the new assistant
    assert not before.ask(BASE_QUESTION).refused  # old object still usable
    assert "11,4" in uploads.chat.assistant.ask(BASE_QUESTION).answer


def test_a_non_admin_is_refused_and_nothing_is_written(
    settings, policy, tmp_path
) -> None:
    uploads = uploads_for(settings, policy)
    before = uploads.chat.assistant
    listing = sorted(p.name for p in settings.documents_dir.iterdir())
    manifest = read_manifest(settings.index_dir)
    path = upload_file(tmp_path, "bildning.txt", UPLOADED)
    for request in (user("bert"), user("okänd"), None):
        html = uploads.upload([str(path)], "", "", "", "", request)
        assert NOT_ALLOWED in html and "ps-error" in html
    assert sorted(p.name for p in settings.documents_dir.iterdir()) == listing
    assert read_manifest(settings.index_dir).documents == manifest.documents
    assert uploads.chat.assistant is before
    assert uploads.tab_update(user("bert"))["visible"] is False
    assert uploads.tab_update(user("anna"))["visible"] is True


def test_without_login_upload_needs_allow_upload(settings) -> None:
    assert not may_upload(None, False, None)
    assert may_upload(None, True, None)
    uploads = uploads_for(settings)
    assert NOT_ALLOWED in uploads.upload(["x.txt"])


def test_a_client_path_lands_as_a_plain_name_inside_documents_dir(
    settings, policy, tmp_path
) -> None:
    uploads = uploads_for(settings, policy)
    path = upload_file(tmp_path, "upload.bin", UPLOADED)
    item = SimpleNamespace(path=str(path), orig_name="../../etc/passwd.txt")
    html = uploads.upload([item], "Ulricehamns kommun", "", "", "", user("anna"))
    assert "indexed 1" in html, html
    assert (settings.documents_dir / "passwd.txt").read_text(
        encoding="utf-8"
    ) == UPLOADED
    assert not (settings.documents_dir.parent.parent / "etc").exists()
    assert "passwd.txt" in read_manifest(settings.index_dir).documents


def test_a_junk_pdf_is_reported_and_the_previous_index_still_answers(
    settings, policy, tmp_path
) -> None:
    uploads = uploads_for(settings, policy)
    before = uploads.chat.assistant
    manifest = read_manifest(settings.index_dir)
    junk = upload_file(tmp_path, "trasig.pdf", b"%PDF-1.4\n\x00\x01 not a real pdf")
    html = uploads.upload([str(junk)], "", "", "", "", user("anna"))
    assert "ps-error" in html and "skipped" in html and "trasig.pdf" in html
    reason = next(line for line in html.splitlines() if "trasig.pdf" in line)
    assert len(reason.split("trasig.pdf", 1)[1].strip(" :—")) > 10, reason
    assert reason.startswith("skipped trasig.pdf")  # no server-side staging path
    assert not (settings.documents_dir / "trasig.pdf").exists()
    assert read_manifest(settings.index_dir).documents == manifest.documents
    assert uploads.chat.assistant is before
    answer = uploads.chat.assistant.ask(BASE_QUESTION)
    assert not answer.refused and "11,4" in answer.answer


def test_bad_requests_are_refused_before_anything_is_read(
    settings, policy, tmp_path
) -> None:
    uploads = uploads_for(settings, policy)
    anna = user("anna")
    many = [str(upload_file(tmp_path, f"d{i}.txt", UPLOADED)) for i in range(21)]
    assert f"högst {MAX_FILES}" in uploads.upload(many, "", "", "", "", anna)
    assert "ett årtal" in uploads.upload(many[:1], "", "", "", "tjugo", anna)
    assert "minst en fil" in uploads.upload([], "", "", "", "", anna)
    html = uploads.upload(
        [str(upload_file(tmp_path, "bild.png", b"\x89PNG"))], "", "", "", "", anna
    )
    assert "bild.png: only .txt .md .pdf .docx" in html
    assert not list(settings.documents_dir.glob("d*.txt"))


def test_the_page_has_the_upload_tab_only_when_someone_may_upload(
    settings, policy
) -> None:
    from assistant.web.server import build_ui

    assistant = build_assistant(settings)

    def page(s: Settings, access=None) -> str:
        config = build_ui(assistant, s, access=access).get_config_file()
        return json.dumps(config, ensure_ascii=False, default=str)

    assert "Ladda upp" not in page(settings)
    allowed = settings.model_copy(
        update={"ui": settings.ui.model_copy(update={"allow_upload": True})}
    )
    assert "Ladda upp" in page(allowed)
    assert "Ladda upp" in page(settings, policy)  # hidden until an admin logs in
