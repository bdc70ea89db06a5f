"""The SQLite feedback store behind the thumbs and "fel källa" buttons."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.web.feedback import FeedbackError, FeedbackStore, RatedTurn

CITATION = {
    "n": 1,
    "doc": "000_965797b1dd14ccdb.txt",
    "line_start": 439,
    "line_end": 444,
}


def test_schema_is_exactly_the_exported_contract(tmp_path: Path) -> None:
    FeedbackStore(tmp_path / "fb.sqlite")
    with sqlite3.connect(tmp_path / "fb.sqlite") as conn:
        columns = [
            (r[1], r[2], r[5]) for r in conn.execute("PRAGMA table_info(feedback)")
        ]
    assert columns == [
        ("id", "INTEGER", 1),
        ("ts", "TEXT", 0),
        ("question", "TEXT", 0),
        ("history_json", "TEXT", 0),
        ("answer", "TEXT", 0),
        ("citations_json", "TEXT", 0),
        ("rating", "TEXT", 0),
        ("comment", "TEXT", 0),
    ]


def test_rating_and_comment_round_trip(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "fb.sqlite")  # parent is created
    turn = RatedTurn(
        question="Och 2025?",
        history=["Hur stor är nettokostnaden 2024 i Mark?"],
        answer="… 207,0 mnkr [1].",
        citations=[CITATION],
    )
    row_id = store.record(turn, "wrong_source")
    store.set_comment(row_id, "Källan är fel tabell")
    (row,) = store.rows()
    assert row.id == row_id and row.rating == "wrong_source"
    assert row.history == ("Hur stor är nettokostnaden 2024 i Mark?",)
    assert row.citations == (CITATION,)
    assert row.comment == "Källan är fel tabell"
    with sqlite3.connect(tmp_path / "sub" / "fb.sqlite") as conn:
        raw = conn.execute("SELECT history_json FROM feedback").fetchone()[0]
    assert "nettokostnaden" in raw  # stored as readable UTF-8 JSON


def test_bad_rating_unknown_row_and_unwritable_path_are_clear_errors(
    tmp_path: Path,
) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite")
    with pytest.raises(FeedbackError, match="unknown rating 'meh'"):
        store.record(RatedTurn("q", [], "a", []), "meh")
    with pytest.raises(FeedbackError, match="no feedback row with id 99"):
        store.set_comment(99, "x")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(FeedbackError, match="ASSISTANT_UI__FEEDBACK_DB"):
        FeedbackStore(blocker / "fb.sqlite")


def test_concurrent_ratings_are_all_stored(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite")

    def rate(i: int) -> None:
        store.record(RatedTurn(f"q{i}", [], "a", []), "up")

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.question for r in store.rows()) == sorted(
        f"q{i}" for i in range(20)
    )
