"""Feedback export: rows written by the web chat's store become question-set lines."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from assistant.web.feedback import FeedbackStore, RatedTurn
from evals.__main__ import main
from evals.cases import CaseError, parse_case
from evals.feedback_export import FeedbackError, export_feedback, guess_lang

CITATION = {
    "n": 1,
    "doc": "000_965797b1dd14ccdb.txt",
    "title": "Nämndplan",
    "section": "5 Ekonomi",
    "line_start": 444,
    "line_end": 444,
    "text": "<b>Nettokostnader</b>\t<b>-188,9</b>",
}


def make_db(path: Path) -> Path:
    store = FeedbackStore(path)
    first = RatedTurn(
        question="Vad är nettokostnaden 2024?",
        history=["Vilken nämnd?"],
        answer="Nettokostnaden är 205,6 mnkr [1].",
        citations=[CITATION],
    )
    store.record(first, "up")
    second = RatedTurn(
        question="What is the sick leave target?",
        history=[],
        answer="The documents do not say.",
        citations=[],
    )
    store.record(second, "wrong_source", comment="it is in section 7")
    return path


def test_export_turns_rows_into_question_lines(tmp_path: Path) -> None:
    db = make_db(tmp_path / "feedback.sqlite")
    out = tmp_path / "fb.jsonl"
    assert export_feedback(db, out) == 2
    up, wrong = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())

    assert up["id"] == "feedback-1" and up["type"] == "fact" and up["lang"] == "sv"
    assert up["answer"] == "Nettokostnaden är 205,6 mnkr [1]."
    assert up["source_doc"] == CITATION["doc"]
    assert up["source_quote"] == CITATION["text"]
    assert up["history"] == ["Vilken nämnd?"]
    assert "rating=up" in up["notes"]

    assert wrong["lang"] == "en" and wrong["answer"] == ""
    assert wrong["source_doc"] is None and wrong["source_quote"] is None
    assert "rating=wrong_source" in wrong["notes"]
    assert "it is in section 7" in wrong["notes"]
    assert "The documents do not say." in wrong["notes"]


def test_exported_lines_need_must_contain_before_they_run(tmp_path: Path) -> None:
    db = make_db(tmp_path / "feedback.sqlite")
    export_feedback(db, tmp_path / "fb.jsonl")
    up = json.loads((tmp_path / "fb.jsonl").read_text(encoding="utf-8").splitlines()[0])
    with pytest.raises(CaseError, match="must_contain"):
        parse_case(up)
    reviewed = parse_case(up | {"must_contain": [["205,6"], "mnkr"]})
    assert reviewed.sources == ((CITATION["doc"], CITATION["text"]),)


def test_missing_or_foreign_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FeedbackError, match="no feedback database"):
        export_feedback(tmp_path / "nope.sqlite", None)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(FeedbackError, match="table 'feedback'"):
        export_feedback(other, None)
    assert main(["export-feedback", "--db", str(tmp_path / "nope.sqlite")]) == 1


def test_cli_export_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_db(tmp_path / "feedback.sqlite")
    assert main(["export-feedback", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["feedback-1", "feedback-2"]


def test_guess_lang() -> None:
    assert guess_lang("Hur mycket kostar det?") == "sv"
    assert guess_lang("Vad är budgeten?") == "sv"
    assert guess_lang("What is the budget for 2024?") == "en"
