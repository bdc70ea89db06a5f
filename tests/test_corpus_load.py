"""Loading documents: exact lines, sidecar metadata, clear errors for bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus_fixtures import ALL_DOCS, DOCUMENTS, ENKOPING, MARK_PLAN

import corpus.load as load_module
from corpus.load import (
    CorpusError,
    LoadedText,
    guess_meta,
    load_corpus,
    load_document,
    register_loader,
)


@pytest.mark.parametrize("name", ALL_DOCS)
def test_last_line_without_newline_is_kept(name):
    raw = (DOCUMENTS / name).read_bytes()
    assert not raw.endswith(b"\n")
    doc = load_document(DOCUMENTS / name)
    assert len(doc.lines) == raw.count(b"\n") + 1
    assert doc.lines[-1] == raw.decode("utf-8").split("\n")[-1]


def test_enkoping_last_line_is_the_forecast_sentence():
    doc = load_document(DOCUMENTS / ENKOPING)
    assert len(doc.lines) == 422
    assert doc.line(422) == "Prognosen är enligt budget."


def test_sidecar_metadata_and_content_hash():
    doc = load_document(DOCUMENTS / MARK_PLAN)
    assert doc.meta.municipality == "Marks kommun"
    assert doc.meta.kind == "nämndplan"
    assert doc.meta.year == 2024
    assert doc.meta.decided == "2023-10-25"
    assert len(doc.content_hash) == 64


def test_content_hash_changes_with_the_sidecar(tmp_path):
    target = tmp_path / MARK_PLAN
    shutil.copy(DOCUMENTS / MARK_PLAN, target)
    without = load_document(target).content_hash
    (tmp_path / MARK_PLAN.replace(".txt", ".meta.toml")).write_text('title = "X"\n')
    assert load_document(target).content_hash != without


def test_meta_guessed_without_sidecar(tmp_path):
    target = tmp_path / "plan.txt"
    shutil.copy(DOCUMENTS / ENKOPING, target)
    meta = load_document(target).meta
    assert meta.municipality == "Enköpings kommun"
    assert meta.kind == "delårsrapport"
    assert meta.year == 2023


def test_guess_meta_general_rules():
    lines = ("", "# Årsredovisning 2022", "Härryda kommun", "Socialnämnden")
    meta = guess_meta("x.md", lines)
    assert meta.title == "Årsredovisning 2022"
    assert (meta.municipality, meta.organ, meta.kind, meta.year) == (
        "Härryda kommun",
        "Socialnämnden",
        "årsredovisning",
        2022,
    )


def test_windows_line_ends_and_final_newline(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"1 Inledning\r\nText\r\n")
    assert load_document(path).lines == ("1 Inledning", "Text")


@pytest.mark.parametrize(
    ("data", "reason", "line"),
    [
        (b"", "empty", None),
        (b"   \n \n\t\n", "whitespace", None),
        (b"Rad ett\nRad tv\x00a\n", "binary", 2),
        (b"Rad ett\nRad tv\xe5\nRad tre", "invalid UTF-8 (byte 0xe5)", 2),
        ("Rad ett\nRad två".encode("utf-16"), "UTF-16", None),
    ],
)
def test_bad_input_raises_corpus_error_with_file_line_and_reason(
    tmp_path, data, reason, line
):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(CorpusError) as info:
        load_document(path)
    error = info.value
    assert error.path == str(path)
    assert reason in error.reason
    assert error.line == line
    message = str(error)
    assert "\n" not in message and str(path) in message
    if line:
        assert f"line {line}:" in message


def test_non_utf8_message_tells_what_to_do(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Första\nÄndrad".encode("latin-1"))
    with pytest.raises(CorpusError) as info:
        load_document(path)
    message = str(info.value)
    assert message == (
        f"{path} line 1: invalid UTF-8 (byte 0xf6) — re-save the file as UTF-8"
    )


def test_bad_sidecar_is_reported(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("1 Inledning\n", encoding="utf-8")
    (tmp_path / "doc.meta.toml").write_text('title = "x"\nyear = "tjugo"\n')
    with pytest.raises(CorpusError, match="year must be an integer"):
        load_document(path)


def test_load_corpus_keeps_good_documents_when_some_are_bad(tmp_path):
    for name in (MARK_PLAN, ENKOPING):
        shutil.copy(DOCUMENTS / name, tmp_path / name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "utf16.txt").write_bytes("hej".encode("utf-16"))
    (tmp_path / "notes.csv").write_text("ignored")
    docs, errors = load_corpus([tmp_path])
    assert [d.doc for d in docs] == [MARK_PLAN, ENKOPING]
    assert sorted(Path(e.path).name for e in errors) == ["empty.txt", "utf16.txt"]


def test_unsupported_suffix_and_registered_loader(tmp_path, monkeypatch):
    monkeypatch.setattr(load_module, "_LOADERS", dict(load_module._LOADERS))
    path = tmp_path / "plan.xyz"
    path.write_bytes(b"whatever")
    with pytest.raises(CorpusError, match=r"unsupported file type \.xyz"):
        load_document(path)
    register_loader(".xyz", lambda p, data: LoadedText(("1 Rubrik", "text"), (1, 2)))
    doc = load_document(path)
    assert doc.lines == ("1 Rubrik", "text")
    assert doc.page_of(2) == 2
