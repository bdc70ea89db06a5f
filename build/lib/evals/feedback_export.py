"""Turn the web chat's feedback rows into draft question-set lines.

Lines rated "up" carry the assistant's answer as the reference and the first citation
as the source; the others carry only the question and notes. ``must_contain`` is
left empty on purpose: a person picks the words that make an answer right, and the
runner reports such lines as skipped until that is done.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
_SWEDISH_WORDS = (
    "och är hur vad vilken vilket vilka för som det mycket många ska finns när"
)
_ENGLISH_WORDS = "the and is are how what which who for of in does do much many when"


class FeedbackError(Exception):
    """The feedback database is missing or is not in the expected shape."""


def guess_lang(text: str) -> str:
    """ "sv" for Swedish letters or more Swedish than English function words."""
    if _SWEDISH_LETTERS.search(text):
        return "sv"
    words = re.findall(r"\w+", text.casefold())
    swedish = sum(w in _SWEDISH_WORDS.split() for w in words)
    english = sum(w in _ENGLISH_WORDS.split() for w in words)
    return "sv" if swedish > english else "en"


def row_to_case(row: sqlite3.Row) -> dict[str, Any]:
    """One feedback row → one question-set object (see evals/README.md)."""
    rating = row["rating"]
    history = _json_list(row["history_json"])
    citations = _json_list(row["citations_json"])
    first = citations[0] if citations and isinstance(citations[0], dict) else None
    useful = rating == "up"
    notes = [f"feedback #{row['id']} at {row['ts']}: rating={rating}"]
    if row["comment"]:
        notes.append(f"comment: {row['comment']}")
    if not useful:
        notes.append(f"assistant answered: {row['answer']}")
    notes.append("review: fill must_contain before using this line")
    case: dict[str, Any] = {
        "id": f"feedback-{row['id']}",
        "question": row["question"],
        "lang": guess_lang(row["question"] or ""),
        "type": "fact",
        "answer": row["answer"] if useful else "",
        "must_contain": [],
        "source_doc": first.get("doc") if useful and first else None,
        "source_quote": first.get("text") if useful and first else None,
    }
    if history:
        case["history"] = [str(h) for h in history]
    case["notes"] = "; ".join(notes)
    return case


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def iter_feedback(db: Path) -> Iterator[dict[str, Any]]:
    """Question-set objects for every feedback row, oldest first."""
    if not Path(db).is_file():
        raise FeedbackError(
            f"{db}: no feedback database (it is created when a user rates an answer "
            "in the web chat); pass --db PATH"
        )
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT id, ts, question, history_json, answer, citations_json, rating, "
            "comment FROM feedback ORDER BY id"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise FeedbackError(
            f"{db}: cannot read table 'feedback' ({exc}); is this the web chat's "
            "feedback database?"
        ) from exc
    finally:
        conn.close()
    for row in rows:
        yield row_to_case(row)


def export_feedback(db: Path, out: Path | None) -> int:
    """Write the JSONL to ``out`` (atomically) or to stdout; return the line count."""
    lines = [json.dumps(c, ensure_ascii=False) for c in iter_feedback(db)]
    text = "".join(line + "\n" for line in lines)
    if out is None:
        print(text, end="")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    return len(lines)
