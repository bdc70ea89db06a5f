"""Properties over many questions generated from the real index (real model):
a year or a municipality the documents lack is refused, and a question for
several values of one table row gets them all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

QUESTIONS = Path(__file__).parent.parent / "evals" / "questions"
YEAR = re.compile(r"\b20[0-3]\d\b")
ABSENT_YEAR = "2039"  # no document mentions it


def _dev_cases() -> list[dict]:
    lines = (QUESTIONS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _answerable_with_one_year() -> list[dict]:
    return [
        c
        for c in _dev_cases()
        if c["type"] in ("number", "table_lookup")
        and not c.get("expect_refusal")
        and not c.get("history")
        and len(set(YEAR.findall(c["question"]))) == 1
    ]


def test_there_are_enough_questions_to_change() -> None:
    assert len(_answerable_with_one_year()) >= 10


def test_a_year_the_documents_lack_is_refused(real_assistant) -> None:
    answered = []
    for case in _answerable_with_one_year():
        question = YEAR.sub(ABSENT_YEAR, case["question"])
        answer = real_assistant.ask(question)
        if not answer.refused:
            answered.append((question, answer.answer[:120]))
    assert not answered, answered


@pytest.mark.parametrize("place", ["Umeå", "Kiruna"])
def test_a_municipality_the_documents_lack_is_refused(real_assistant, place) -> None:
    answered = []
    for case in _answerable_with_one_year()[:12]:
        # "i Mark" -> "i Umeå", "Marks driftbudget" -> "Umeås driftbudget".
        question = re.sub(
            r"\b(i|in) (Mark|Kramfors|Enköping)\b", rf"\1 {place}", case["question"]
        )
        question = re.sub(r"\b(Marks|Kramfors|Enköpings)\b", f"{place}s", question)
        if place not in question:
            continue
        answer = real_assistant.ask(question)
        if not answer.refused:
            answered.append((question, answer.answer[:120]))
    assert not answered, answered


def _rows_with_three_years(store, docs) -> list[tuple[str, str, list]]:
    """(municipality, row label, three year cells) of rows whose label is unique in
    the corpus and that have values in three different year columns."""
    labels: dict[str, int] = {}
    found = []
    for meta in docs:
        for table in store.tables(meta.doc):
            for row in table.rows:
                labels[row.label] = labels.get(row.label, 0) + 1
                cells = [c for c in row.cells if c.year and c.value is not None]
                by_year = {c.year: c for c in cells}
                if len(by_year) >= 3 and len(row.label) > 6:
                    picked = [by_year[y] for y in sorted(by_year)[:3]]
                    found.append((meta.municipality, row.label, picked))
    return [f for f in found if labels[f[1]] == 1]


def test_a_question_for_three_values_of_a_row_gets_all_three(real_assistant) -> None:
    store = real_assistant._store
    rows = _rows_with_three_years(store, real_assistant.documents())
    assert len(rows) >= 5
    missing = []
    for municipality, label, cells in rows[:15]:
        years = [str(c.year) for c in cells]
        place = municipality.replace(" kommun", "").rstrip("s")
        where = "" if place in label else f" i {place}"
        question = f"Vad är {label}{where} {years[0]}, {years[1]} och {years[2]}?"
        answer = real_assistant.ask(question).answer
        absent = [c.text for c in cells if c.text.strip().lstrip("-−") not in answer]
        if absent:
            missing.append((question, absent, answer[:160]))
    assert not missing, missing
