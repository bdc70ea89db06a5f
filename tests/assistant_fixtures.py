"""Shared helpers for the assistant tests: the sample documents' lines and the
generic checks every ``Answer`` must pass (citations exact, markers resolve, ...)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from assistant.language.abbreviations import spelled_in
from assistant.language.textmatch import KnownStems
from assistant.language.vocabulary import known_words, words
from assistant.models import Answer, Hit, Query
from assistant.reading.query import Catalog, interpret
from assistant.tables.lookup import LookupResult, NumberLookup
from corpus.models import Document, DocumentMeta
from corpus.parse import parse_document
from index.tablestore import SqliteTableStore

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "corpus" / "documents"
MARK_PLAN = "000_965797b1dd14ccdb.txt"
KOMPASS = "001_044694e4ac685f9b.txt"
KRAMFORS = "002_1a38c4bd8c4b403d.txt"
ENKOPING = "003_034fdc850437dc3c.txt"

# The README's "ask --json" contract.
ANSWER_KEYS = {
    "question",
    "answer",
    "refused",
    "citations",
    "facts",
    "retrieved",
    "interpreted_query",
    "interpretation",
    "latency_ms",
    "notice",
    "trace",
}
CITATION_KEYS = {
    "n",
    "doc",
    "title",
    "section",
    "line_start",
    "line_end",
    "text",
    "page",
}
FACT_KEYS = {
    "label",
    "value",
    "raw",
    "unit",
    "period",
    "column",
    "doc",
    "line",
    "is_total",
}
RETRIEVED_KEYS = {"doc", "section", "line_start", "line_end", "score", "chunk_id"}

MARKER = re.compile(r"\[(\d+)\]")
# A figure as printed in Swedish documents: "205,6", "5,16", "510", "2 500 000".
FIGURE = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
YEAR = re.compile(r"(?:19|20)\d\d")


@cache
def document_lines(doc: str) -> tuple[str, ...]:
    """The original file's lines, split the way the corpus loader does."""
    text = (DOCUMENTS / doc).read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(line.removesuffix("\r") for line in lines)


def original_text(doc: str, line_start: int, line_end: int) -> str:
    return "\n".join(document_lines(doc)[line_start - 1 : line_end])


def cited_lines(answer: Answer) -> set[tuple[str, int]]:
    """Every (document, line) an answer's citations cover."""
    return {
        (c.doc, n)
        for c in answer.citations
        for n in range(c.line_start, c.line_end + 1)
    }


def cites(answer: Answer, doc: str, line: int) -> bool:
    return (doc, line) in cited_lines(answer)


def describe(answer: Answer) -> str:
    """One readable blob for assertion messages."""
    refs = ", ".join(
        f"[{c.n}] {c.doc}:{c.line_start}-{c.line_end}" for c in answer.citations
    )
    return f"refused={answer.refused} answer={answer.answer!r} citations=({refs})"


# --- the generic checks ---------------------------------------------------------


def check_markers_resolve(answer: Answer) -> None:
    numbers = {c.n for c in answer.citations}
    assert len(numbers) == len(answer.citations), f"duplicate [n]: {describe(answer)}"
    for marker in MARKER.findall(answer.answer):
        assert int(marker) in numbers, f"[{marker}] has no citation: {describe(answer)}"


def check_citations_exact(answer: Answer) -> None:
    for c in answer.citations:
        assert (DOCUMENTS / c.doc).is_file(), f"cited file {c.doc} does not exist"
        assert 1 <= c.line_start <= c.line_end <= len(document_lines(c.doc)), c
        assert c.text == original_text(c.doc, c.line_start, c.line_end), (
            f"[{c.n}] {c.doc}:{c.line_start}-{c.line_end} text differs from the file"
        )


def answer_figures(answer: Answer) -> list[str]:
    """Figures stated in the answer, without [n] markers, the numbers of a
    multi-part answer's lines ("2. ..."), bare years, section paths in parentheses and
    computed results (the figure after "=")."""
    body = MARKER.sub(" ", answer.answer)
    body = re.sub(r"(?m)^\d{1,2}\. ", " ", body)
    body = re.sub(r"\((?:\d+(?:\.\d+)* [^()]*)\)", " ", body)
    body = re.sub(r"=\s*[-−]?\d[\d\s]*(?:,\d+)?", " ", body)
    return [f for f in FIGURE.findall(body) if not YEAR.fullmatch(f)]


def check_numbers_cited(answer: Answer) -> None:
    """A numeric answer (one built from looked-up facts) states only cited figures."""
    if answer.refused or not answer.facts:
        return
    cited = "\n".join(c.text for c in answer.citations)
    missing = [f for f in answer_figures(answer) if f not in cited]
    assert not missing, f"figures {missing} are in no cited line: {describe(answer)}"


def check_retrieved(answer: Answer) -> None:
    """An answered question shows at least ten retrieved passages, best first."""
    if answer.refused:
        return
    scores = [h.score for h in answer.retrieved]
    assert len(scores) >= 10, f"only {len(scores)} retrieved: {describe(answer)}"
    assert scores == sorted(scores, reverse=True), f"not best first: {scores}"


def check_json_contract(answer: Answer) -> None:
    data = json.loads(json.dumps(answer.to_json(), ensure_ascii=False))
    assert set(data) == ANSWER_KEYS
    assert isinstance(data["refused"], bool) and isinstance(data["answer"], str)
    assert all(set(c) == CITATION_KEYS for c in data["citations"])
    assert all(set(f) == FACT_KEYS for f in data["facts"])
    assert all(set(h) == RETRIEVED_KEYS for h in data["retrieved"])
    assert isinstance(data["interpreted_query"], dict)
    trace = data["trace"]
    # Every answer says which stage decided; only an empty question has no parts.
    assert trace["stage"] and (trace["parts"] or trace["stage"] == "reading"), trace
    assert all(
        {"text", "answer_type", "stage", "reason"} <= set(p) for p in trace["parts"]
    )


GENERIC_CHECKS = (
    check_markers_resolve,
    check_citations_exact,
    check_numbers_cited,
    check_retrieved,
    check_json_contract,
)


def check_well_formed(answer: Answer) -> None:
    """Every generic check (used on every answer the integration tests get)."""
    assert answer.answer.strip(), "empty answer text"
    for check in GENERIC_CHECKS:
        check(answer)


def line_of(doc: str, start: str) -> int:
    """The 1-based number of the one line of ``doc`` that starts with ``start``."""
    found = [
        n
        for n, line in enumerate(document_lines(doc), start=1)
        if line.startswith(start)
    ]
    assert len(found) == 1, f"{start!r} starts lines {found} of {doc}"
    return found[0]


def lookup_in(
    text: str, meta: DocumentMeta, question: str, history: tuple[str, ...] = ()
) -> LookupResult | None:
    """``question`` (after ``history`` in the chat) looked up in the tables of one
    small document ``text`` (parsed by the real parser, stored in an in-memory
    table store)."""
    lookup, query = _lookup_over(text, meta, question, history)
    return lookup.find(query, [], [meta.doc], kinds=query.metrics)


def compare_in(
    text: str, meta: DocumentMeta, question: str, tables: slice = slice(None)
) -> LookupResult | None:
    """``question``'s comparison over the tables of ``text``, retrieval ranking its
    tables (those in ``tables``) in document order."""
    lookup, query, hits = _with_table_hits(text, meta, question, tables)
    return lookup.compare(query, hits, [meta.doc])


def found_in(text: str, meta: DocumentMeta, question: str) -> LookupResult | None:
    """``question`` looked up in ``text``'s tables, retrieval ranking its tables in
    document order (as ``lookup_in``, with the tables retrieved)."""
    lookup, query, hits = _with_table_hits(text, meta, question, slice(None))
    return lookup.find(query, hits, [meta.doc], kinds=query.metrics)


def named_rows_in(text: str, meta: DocumentMeta, question: str) -> LookupResult | None:
    """The rows of ``text``'s tables that a list ``question`` names."""
    lookup, query, hits = _with_table_hits(text, meta, question, slice(None))
    return lookup.named_rows(query, hits, [meta.doc])


def ranked_in(text: str, meta: DocumentMeta, question: str) -> LookupResult | None:
    """``question``'s superlative over the best-ranked table of ``text``."""
    lookup, query, hits = _with_table_hits(text, meta, question, slice(None))
    return lookup.rank_retrieved(query, hits, [meta.doc])


def _with_table_hits(
    text: str, meta: DocumentMeta, question: str, tables: slice
) -> tuple[NumberLookup, Query, list[Hit]]:
    lookup, query = _lookup_over(text, meta, question)
    parsed = parse_document(Document(meta, tuple(text.split("\n")), "h"))
    hits = [
        Hit(
            f"c{i}",
            meta.doc,
            "",
            t.line_start,
            t.line_end,
            "",
            "table",
            1.0,
            table_id=t.table_id,
        )
        for i, t in enumerate(parsed.tables[tables])
    ]
    return lookup, query, hits


def _lookup_over(
    text: str, meta: DocumentMeta, question: str, history: tuple[str, ...] = ()
) -> tuple[NumberLookup, Query]:
    store = SqliteTableStore(":memory:")
    store.write(parse_document(Document(meta, tuple(text.split("\n")), "h")))
    catalog = Catalog([meta], frozenset(words(text)))
    query = interpret(question, list(history), catalog)
    lookup = NumberLookup(
        store,
        [meta],
        vocabulary=KnownStems(known_words([text])),
        spelled=spelled_in([text]),
    )
    return lookup, query
