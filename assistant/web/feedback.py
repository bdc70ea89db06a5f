"""User feedback on answers (thumbs up/down, "fel källa"), stored in SQLite.

The table layout is a contract: the evals helper exports reviewed feedback from
exactly this schema.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RATINGS = ("up", "down", "wrong_source")

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts TEXT,
    question TEXT,
    history_json TEXT,
    answer TEXT,
    citations_json TEXT,
    rating TEXT,
    comment TEXT
)
"""
# Who rated (when login is on) lives beside the exported table, so its layout stays
# the contract above.
SCHEMA_USER = """
CREATE TABLE IF NOT EXISTS feedback_user (
    feedback_id INTEGER PRIMARY KEY REFERENCES feedback(id),
    username TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class RatedTurn:
    """The answer a rating is about, as it was shown (question, earlier questions)."""

    question: str
    history: Sequence[str]
    answer: str
    citations: Sequence[dict[str, Any]]


@dataclass(frozen=True)
class FeedbackRow:
    """One stored rating; ``history`` holds the earlier user questions of the chat."""

    id: int
    ts: str
    question: str
    history: tuple[str, ...]
    answer: str
    citations: tuple[dict[str, Any], ...]
    rating: str
    comment: str
    user: str = ""  # the logged-in user; empty without login


class FeedbackError(ValueError):
    """Feedback that cannot be stored (unknown rating, unknown row)."""


class FeedbackStore:
    """Append-only feedback log; safe to share between the server's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute(SCHEMA)
                conn.execute(SCHEMA_USER)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(
                f"cannot open the feedback database {self.path}: {exc}; "
                "set ASSISTANT_UI__FEEDBACK_DB to a writable file"
            ) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per call: sqlite3 connections are not meant to
        # be shared across threads, and feedback is rare enough not to need pooling.
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            with conn:  # commits, or rolls back on error
                yield conn
        finally:
            conn.close()

    def record(
        self, turn: RatedTurn, rating: str, *, comment: str = "", user: str = ""
    ) -> int:
        """Store one rating (by ``user`` when logged in) and return its row id."""
        if rating not in RATINGS:
            raise FeedbackError(f"unknown rating {rating!r}; expected one of {RATINGS}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            turn.question,
            json.dumps(list(turn.history), ensure_ascii=False),
            turn.answer,
            json.dumps(list(turn.citations), ensure_ascii=False),
            rating,
            comment,
        )
        with self._lock, self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (ts, question, history_json, answer, "
                "citations_json, rating, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            row_id = int(cur.lastrowid or 0)
            if user:
                conn.execute(
                    "INSERT INTO feedback_user (feedback_id, username) VALUES (?, ?)",
                    (row_id, user),
                )
            return row_id

    def set_comment(self, row_id: int, comment: str) -> None:
        """Attach (or replace) the free-text comment of a stored rating."""
        with self._lock, self._connect() as conn:
            cur = conn.execute(
                "UPDATE feedback SET comment = ? WHERE id = ?", (comment, row_id)
            )
            if cur.rowcount == 0:
                raise FeedbackError(f"no feedback row with id {row_id}")

    def rows(self) -> list[FeedbackRow]:
        """All stored ratings, oldest first."""
        with self._lock, self._connect() as conn:
            cur = conn.execute(
                "SELECT id, ts, question, history_json, answer, citations_json, "
                "rating, comment, username FROM feedback "
                "LEFT JOIN feedback_user ON feedback_user.feedback_id = feedback.id "
                "ORDER BY id"
            )
            return [
                FeedbackRow(
                    id=r[0],
                    ts=r[1],
                    question=r[2],
                    history=tuple(json.loads(r[3] or "[]")),
                    answer=r[4],
                    citations=tuple(json.loads(r[5] or "[]")),
                    rating=r[6],
                    comment=r[7] or "",
                    user=r[8] or "",
                )
                for r in cur.fetchall()
            ]
