"""Question-file parsing and source resolution against the real documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.cases import CaseError, parse_case, parse_lines
from evals.documents import DocumentLibrary, resolve_sources

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARKS = "000_965797b1dd14ccdb.txt"
KRAMFORS = "002_1a38c4bd8c4b403d.txt"
LIB = DocumentLibrary(DOCS)

BASE: dict[str, Any] = {
    "id": "q",
    "question": "Hur stor nettokostnad har kommunstyrelsen 2024?",
    "lang": "sv",
    "type": "number",
    "answer": "205,6 mnkr",
    "must_contain": [["205,6"], "mnkr"],
    "source_doc": MARKS,
    "source_quote": "Driftbudgeten uppgår till en nettokostnad om 205,6 mnkr",
}


def line_of(doc: str, text: str) -> int:
    return next(i for i, line in enumerate(LIB.lines(doc) or (), 1) if text in line)


def test_parse_case_reads_groups_history_and_default_refusal() -> None:
    case = parse_case(BASE | {"history": ["Vilken nämnd?"]}, line=7)
    assert case.must_contain == (("205,6",), ("mnkr",))
    assert case.history == ("Vilken nämnd?",) and case.line == 7
    assert case.expect_refusal is False
    unanswerable = parse_case(BASE | {"type": "unanswerable", "must_contain": []})
    assert unanswerable.expect_refusal is True
    assert parse_case(BASE | {"expect_refusal": True}).expect_refusal is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "trivia"}, "unknown type 'trivia'"),
        ({"lang": "de"}, "unknown lang 'de'"),
        ({"must_contain": []}, "could never be wrong"),
        ({"must_contain": [[]]}, "must_contain"),
        ({"source_doc": [MARKS, KRAMFORS]}, "give a list parallel"),
        ({"source_quote": ["a", "b"]}, "must be parallel"),
        ({"source_quote": ""}, "source_quote"),
        ({"history": "Vilken nämnd?"}, "'history' must be a list"),
        ({"expect_refusal": "yes"}, "true or false"),
    ],
)
def test_parse_case_rejects_bad_fields(change: dict[str, Any], message: str) -> None:
    with pytest.raises(CaseError, match=message):
        parse_case(BASE | change)


def test_parse_lines_reports_missing_fields_and_duplicates() -> None:
    missing = {k: v for k, v in BASE.items() if k not in ("answer", "source_quote")}
    lines = [
        '{"id": "q"',
        "",
        str(missing).replace("'", '"'),
        *[str(BASE).replace("'", '"')] * 2,
    ]
    loaded = parse_lines(lines, "set.jsonl")
    assert [c.id for c in loaded.cases] == ["q"]
    assert [str(p) for p in loaded.problems] == [
        "set.jsonl:1: not valid JSON (Expecting ',' delimiter, column 11)",
        "set.jsonl:3: missing field(s) answer, source_quote",
        "set.jsonl:5: duplicate id 'q' (first on line 4)",
    ]


def test_resolve_sources_finds_the_quote_lines() -> None:
    spans = resolve_sources(parse_case(BASE), LIB)
    prose = line_of(MARKS, "Driftbudgeten uppgår till en nettokostnad om 205,6 mnkr")
    assert [(s.doc, s.start, s.end) for s in spans[0]] == [(MARKS, prose, prose)]


def test_alternative_quotes_pool_their_spans_per_document() -> None:
    # The same figure printed in prose and in the table row: either citation is support.
    quotes = [
        ["Driftbudgeten uppgår till en nettokostnad om 205,6", "<b>Nettokostnader</b>"]
    ]
    spans = resolve_sources(parse_case(BASE | {"source_quote": quotes}), LIB)
    lines = {s.start for s in spans[0]}
    assert lines == {
        line_of(MARKS, "Driftbudgeten uppgår"),
        line_of(MARKS, "<b>Nettokostnader</b>"),
    }


def test_resolve_sources_names_missing_documents_and_quotes() -> None:
    with pytest.raises(CaseError, match=r"'999_x\.txt' is not in the documents folder"):
        resolve_sources(parse_case(BASE | {"source_doc": "999_x.txt"}), LIB)
    wrong = BASE | {
        "source_quote": ["Driftbudgeten uppgår", "nettokostnad om 999 mnkr"]
    }
    with pytest.raises(CaseError, match="'nettokostnad om 999 mnkr' was not found"):
        resolve_sources(
            parse_case(wrong | {"source_quote": [wrong["source_quote"]]}), LIB
        )


def test_multi_document_sources_without_quotes_cover_the_whole_document() -> None:
    case = parse_case(BASE | {"source_doc": [MARKS, KRAMFORS], "source_quote": None})
    spans = resolve_sources(case, LIB)
    assert [(s[0].doc, s[0].start) for s in spans] == [(MARKS, 1), (KRAMFORS, 1)]
    assert spans[1][0].end == len(LIB.lines(KRAMFORS) or ())
