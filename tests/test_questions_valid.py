"""Validate the evaluation question sets in evals/questions/*.jsonl.

The sets are data, written by hand from the documents; these checks keep them honest:
every record follows the public format, every cited passage really is in its document,
every reference answer passes its own must_contain rule, and the held-out test set does
not leak into dev.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evals.cases import LANGUAGES, OPTIONAL_FIELDS, QUESTION_TYPES, REQUIRED_FIELDS

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_DIR = ROOT / "evals" / "questions"
DOCUMENTS_DIR = ROOT / "corpus" / "documents"

# The contract is defined once, in evals.cases (which the runner uses too).
LANGS = set(LANGUAGES)
TYPES = set(QUESTION_TYPES)
QUESTION_FILES = sorted(QUESTIONS_DIR.glob("*.jsonl"))


def _load(path: Path) -> list[dict[str, Any]]:
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name}:{lineno}: invalid JSON ({exc})")
        if not isinstance(record, dict):
            pytest.fail(f"{path.name}:{lineno}: expected a JSON object per line")
        records.append(record)
    return records


def _normalise(text: str) -> str:
    # Contract: case-insensitive; any run of whitespace (NBSP, tab...) is one space.
    return re.sub(r"\s+", " ", text).casefold().strip()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _group_matches(group: str | list[str], answer: str) -> bool:
    return any(_normalise(alt) in _normalise(answer) for alt in _as_list(group))


def _where(path: Path, record: dict[str, Any]) -> str:
    return f"{path.name} id={record.get('id')!r}"


def _document_text(name: str) -> str:
    return (DOCUMENTS_DIR / name).read_text(encoding="utf-8")


def test_question_sets_exist() -> None:
    names = {p.name for p in QUESTION_FILES}
    assert {"dev.jsonl", "test.jsonl", "smoke.jsonl"} <= names


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_records_follow_the_format(path: Path) -> None:
    for record in _load(path):
        where = _where(path, record)
        missing = [f for f in REQUIRED_FIELDS if f not in record]
        assert not missing, f"{where}: missing fields {missing}"
        unknown = set(record) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
        assert not unknown, f"{where}: unknown fields {sorted(unknown)}"
        assert isinstance(record["id"], str) and record["id"], where
        assert isinstance(record["question"], str) and record["question"].strip(), where
        assert isinstance(record["answer"], str) and record["answer"].strip(), where
        assert record["lang"] in LANGS, f"{where}: lang {record['lang']!r}"
        assert record["type"] in TYPES, f"{where}: type {record['type']!r}"

        groups = record["must_contain"]
        assert isinstance(groups, list) and groups, f"{where}: must_contain empty"
        for group in groups:
            alternatives = _as_list(group)
            assert alternatives, f"{where}: empty must_contain group"
            assert all(isinstance(a, str) and a.strip() for a in alternatives), where

        if record["type"] == "follow_up":
            history = record.get("history")
            assert isinstance(history, list) and history, f"{where}: no history"
            assert all(isinstance(h, str) and h.strip() for h in history), where
        if "expect_refusal" in record:
            assert isinstance(record["expect_refusal"], bool), where


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_sources_exist_and_quotes_are_exact(path: Path) -> None:
    for record in _load(path):
        where = _where(path, record)
        docs = _as_list(record["source_doc"])
        quote = record["source_quote"]
        for doc in docs:
            assert isinstance(doc, str), f"{where}: source_doc must be file names"
            assert (DOCUMENTS_DIR / doc).is_file(), f"{where}: no document {doc}"
        if record["type"] == "unanswerable":
            assert quote is None, f"{where}: unanswerable questions cite no quote"
            assert record.get("expect_refusal", True) is True, where
            continue
        assert docs, f"{where}: answerable question without source_doc"
        quotes = _as_list(quote)
        assert len(quotes) == len(docs), f"{where}: quotes not parallel to docs"
        for doc, passage in zip(docs, quotes, strict=True):
            assert isinstance(passage, str) and passage.strip(), where
            assert passage in _document_text(doc), (
                f"{where}: quote not found verbatim in {doc}: {passage!r}"
            )


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_reference_answer_passes_its_own_must_contain(path: Path) -> None:
    for record in _load(path):
        failing = [
            g for g in record["must_contain"] if not _group_matches(g, record["answer"])
        ]
        assert not failing, f"{_where(path, record)}: answer misses groups {failing}"


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_ids_are_unique_within_a_file(path: Path) -> None:
    ids = [r["id"] for r in _load(path)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"{path.name}: duplicate ids {duplicates}"


def test_smoke_is_a_verbatim_subset_of_dev() -> None:
    dev = {r["id"]: r for r in _load(QUESTIONS_DIR / "dev.jsonl")}
    smoke = _load(QUESTIONS_DIR / "smoke.jsonl")
    assert smoke, "smoke.jsonl is empty"
    for record in smoke:
        assert record["id"] in dev, f"smoke id {record['id']!r} is not in dev"
        assert record == dev[record["id"]], f"smoke {record['id']!r} differs from dev"


def test_dev_and_test_do_not_overlap() -> None:
    dev = _load(QUESTIONS_DIR / "dev.jsonl")
    test = _load(QUESTIONS_DIR / "test.jsonl")
    assert not {r["id"] for r in dev} & {r["id"] for r in test}
    shared = {_normalise(r["question"]) for r in dev} & {
        _normalise(r["question"]) for r in test
    }
    assert not shared, f"question text in both dev and test: {sorted(shared)}"


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl"])
def test_every_question_type_is_represented(name: str) -> None:
    types = {r["type"] for r in _load(QUESTIONS_DIR / name)}
    assert types == TYPES, f"{name}: missing types {sorted(TYPES - types)}"
    langs = {r["lang"] for r in _load(QUESTIONS_DIR / name)}
    assert langs == LANGS, f"{name}: missing languages {sorted(LANGS - langs)}"
