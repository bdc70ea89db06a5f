"""Question-set cases: parsing and validating the JSONL format (the public contract).

One JSON object per line::

    {"id": "q1", "question": "Vad är ...?", "lang": "sv", "type": "number",
     "answer": "46,8 mnkr", "must_contain": [["46,8", "46.8"], "mnkr"],
     "source_doc": "000_x.txt", "source_quote": "Summa\\t-46,8"}

Every problem is reported as ``CaseProblem(file, line, message)`` so the runner can
name the file and line, then skip the case or stop (``--strict``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One quote, alternative quotes for the same document (any one supports), or None.
Quote = str | tuple[str, ...] | None

QUESTION_TYPES = frozenset(
    {
        "fact",
        "number",
        "table_lookup",
        "list",
        "definition",
        "multi_hop",
        "comparison_across_docs",
        "unanswerable",
        "follow_up",
    }
)
LANGUAGES = frozenset({"sv", "en"})
REQUIRED_FIELDS = (
    "id",
    "question",
    "lang",
    "type",
    "answer",
    "must_contain",
    "source_doc",
    "source_quote",
)
OPTIONAL_FIELDS = ("history", "expect_refusal", "notes")


@dataclass(frozen=True)
class EvalCase:
    """One question and its reference; ``sources`` pairs each source doc and quote."""

    id: str
    question: str
    lang: str
    type: str
    answer: str
    must_contain: tuple[tuple[str, ...], ...]  # groups of alternatives
    sources: tuple[tuple[str, Quote], ...]  # (doc file name, quote)
    history: tuple[str, ...] = ()
    expect_refusal: bool = False
    notes: str = ""
    line: int = 0  # line number in the question file, for messages


@dataclass(frozen=True)
class CaseProblem:
    """Why one line of a question file cannot be used."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LoadedCases:
    cases: tuple[EvalCase, ...]
    problems: tuple[CaseProblem, ...]


class CaseError(ValueError):
    """A line of a question file breaks the format."""


def load_cases(path: Path) -> LoadedCases:
    """Parse every line of ``path``; bad lines become problems, not exceptions."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"{path}: cannot read the question file ({exc})") from exc
    return parse_lines(text.splitlines(), str(path))


def parse_lines(lines: Iterable[str], file: str) -> LoadedCases:
    cases: list[EvalCase] = []
    problems: list[CaseProblem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(
                CaseProblem(
                    file, number, f"not valid JSON ({exc.msg}, column {exc.colno})"
                )
            )
            continue
        try:
            case = parse_case(obj, number)
        except CaseError as exc:
            problems.append(CaseProblem(file, number, str(exc)))
            continue
        if case.id in seen:
            problems.append(
                CaseProblem(
                    file,
                    number,
                    f"duplicate id {case.id!r} (first on line {seen[case.id]})",
                )
            )
            continue
        seen[case.id] = number
        cases.append(case)
    return LoadedCases(tuple(cases), tuple(problems))


def parse_case(obj: Any, line: int = 0) -> EvalCase:
    """Validate one decoded JSON object; raises ``CaseError`` saying what to fix."""
    _check_required(obj)
    _check_labels(obj)
    expect_refusal = obj.get("expect_refusal", obj["type"] == "unanswerable")
    if not isinstance(expect_refusal, bool):
        raise CaseError("field 'expect_refusal' must be true or false")
    groups = _must_contain(obj["must_contain"])
    if not groups and not expect_refusal:
        raise CaseError(
            "'must_contain' is empty, so the answer could never be wrong; "
            "add at least one group of required words"
        )
    history, notes = _history(obj), _notes(obj)
    return EvalCase(
        id=obj["id"],
        question=obj["question"],
        lang=obj["lang"],
        type=obj["type"],
        answer=obj["answer"],
        must_contain=groups,
        sources=_sources(obj["source_doc"], obj["source_quote"]),
        history=history,
        expect_refusal=expect_refusal,
        notes=notes,
        line=line,
    )


def _check_required(obj: Any) -> None:
    """An object with every required field; id, question and answer strings."""
    if not isinstance(obj, dict):
        raise CaseError(f"expected a JSON object, got {type(obj).__name__}")
    missing = [f for f in REQUIRED_FIELDS if f not in obj]
    if missing:
        raise CaseError(f"missing field(s) {', '.join(missing)}")
    for name in ("id", "question", "answer"):
        if not isinstance(obj[name], str):
            raise CaseError(f"field {name!r} must be a string")
    if not obj["id"].strip() or not obj["question"].strip():
        raise CaseError("fields 'id' and 'question' must not be empty")


def _check_labels(obj: dict[str, Any]) -> None:
    if obj["lang"] not in LANGUAGES:
        raise CaseError(f"unknown lang {obj['lang']!r}; use one of {sorted(LANGUAGES)}")
    if obj["type"] not in QUESTION_TYPES:
        raise CaseError(
            f"unknown type {obj['type']!r}; "
            f"use one of {', '.join(sorted(QUESTION_TYPES))}"
        )


def _history(obj: dict[str, Any]) -> tuple[str, ...]:
    history = obj.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise CaseError("field 'history' must be a list of earlier questions (strings)")
    return tuple(history)


def _notes(obj: dict[str, Any]) -> str:
    notes = obj.get("notes", "")
    if notes is None:
        return ""
    if not isinstance(notes, str):
        raise CaseError("field 'notes' must be a string")
    return notes


def _must_contain(value: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise CaseError("'must_contain' must be a list of strings or lists of strings")
    groups: list[tuple[str, ...]] = []
    for group in value:
        alternatives = [group] if isinstance(group, str) else group
        if (
            not isinstance(alternatives, list)
            or not alternatives
            or not all(isinstance(a, str) and a.strip() for a in alternatives)
        ):
            raise CaseError(
                f"'must_contain' group {group!r} must be a non-empty string "
                "or a non-empty list of non-empty strings"
            )
        groups.append(tuple(alternatives))
    return tuple(groups)


def _sources(doc: Any, quote: Any) -> tuple[tuple[str, Quote], ...]:
    docs = _source_docs(doc)
    quotes = _source_quotes(quote, len(docs))
    for q in quotes:
        _check_quote(q)
    return tuple(zip(docs, quotes, strict=True))


def _source_docs(doc: Any) -> list[str]:
    docs = [doc] if isinstance(doc, str) else doc
    if docs is None:
        docs = []
    if not isinstance(docs, list) or not all(isinstance(d, str) and d for d in docs):
        raise CaseError("'source_doc' must be a file name or a list of file names")
    return docs


def _source_quotes(quote: Any, docs: int) -> list[Any]:
    """One quote (or None, or a tuple of alternatives) per source document."""
    if quote is None:
        return [None] * docs
    if isinstance(quote, str):
        if docs != 1:
            raise CaseError(
                "'source_quote' is one string but 'source_doc' lists "
                f"{docs} documents; give a list parallel to 'source_doc'"
            )
        return [quote]
    if isinstance(quote, list):
        if len(quote) != docs:
            raise CaseError(
                f"'source_quote' has {len(quote)} entries but 'source_doc' has "
                f"{docs}; the lists must be parallel"
            )
        return [tuple(q) if isinstance(q, list) else q for q in quote]
    raise CaseError("'source_quote' must be a string, a list or null")


def _check_quote(q: Any) -> None:
    if q is None:
        return
    alternatives = q if isinstance(q, tuple) else (q,)
    if not alternatives or not all(
        isinstance(a, str) and a.strip() for a in alternatives
    ):
        raise CaseError(
            "'source_quote' entries must be null, a non-empty string, or a "
            "non-empty list of alternative strings"
        )
