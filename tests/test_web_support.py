"""Shared helpers for the web tests: the sample documents and a fake assistant.

The fake answers net-cost questions the way the real one should, by looking the
row up in the real sample text (no line numbers are hard-coded), so the UI tests
run in milliseconds without the model or the index.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from assistant.models import Answer, Citation, Fact, Filters
from corpus.models import DocumentMeta, Section, Table

DOCS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARK_DOC = "000_965797b1dd14ccdb.txt"


@cache
def sample_documents() -> tuple[DocumentMeta, ...]:
    metas = []
    for path in sorted(DOCS_DIR.glob("*.meta.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        doc = path.name.removesuffix(".meta.toml") + ".txt"
        metas.append(DocumentMeta(doc=doc, **data))
    return tuple(metas)


@cache
def sample_lines(doc: str) -> tuple[str, ...]:
    path = DOCS_DIR / doc
    return tuple(path.read_text(encoding="utf-8").splitlines()) if path.exists() else ()


def find_row(doc: str, label: str, column: str) -> tuple[int, int, int]:
    """(header line, row line, cell index) of the first row starting with ``label``
    under a header that has ``column``; 1-based line numbers."""
    lines = sample_lines(doc)
    header_no = 0
    for n, line in enumerate(lines, start=1):
        cells = [re.sub(r"</?b>", "", c).strip() for c in line.split("\t")]
        if column in cells:
            header_no = n
        elif header_no and cells[0] == label:
            header = [c.strip() for c in lines[header_no - 1].split("\t")]
            return header_no, n, header.index(column)
    raise LookupError(f"no row {label!r} under a {column!r} header in {doc}")


def net_cost_answer(question: str, history: Sequence[str] = ()) -> Answer:
    """Mark's "Nettokostnader" for the year named in the question (or history)."""
    years = re.findall(r"\b20\d\d\b", question)
    carried = not years
    years = years or re.findall(r"\b20\d\d\b", " ".join(history)) or ["2024"]
    column = f"Budget {years[0]}"
    header_no, row_no, idx = find_row(MARK_DOC, "Nettokostnader", column)
    lines = sample_lines(MARK_DOC)
    raw = lines[row_no - 1].split("\t")[idx]
    value = re.sub(r"</?b>", "", raw).lstrip("-")
    fact = Fact(
        label="Nettokostnader",
        column=column,
        value=-float(value.replace(",", ".")),
        raw=raw,
        unit="mnkr",
        period=column.lower(),
        year=int(years[0]),
        kind="budget",
        doc=MARK_DOC,
        line=row_no,
        table_id="000_965797b1dd14ccdb:t1",
        section_path="5 Ekonomi > 5.1 Driftbudget",
        caption="Driftbudgettabell",
        header_line=header_no,
    )
    citation = Citation(
        n=1,
        doc=MARK_DOC,
        title="Nämndplan 2024-2025, Kommunstyrelsen, Marks kommun",
        section="5 Ekonomi > 5.1 Driftbudget",
        line_start=header_no,
        line_end=row_no,
        text="\n".join([lines[header_no - 1], "[…]", lines[row_no - 1]]),
    )
    return Answer(
        question=question,
        answer=(
            f"Kommunstyrelsen i Mark har en nettokostnad på {value} mnkr i "
            f"budget {years[0]} [1]."
        ),
        refused=False,
        citations=(citation,),
        facts=(fact,),
        interpreted_query={"lang": "sv"},
        interpretation=f"Tolkat som: nettokostnad, budget {years[0]}"
        if carried
        else "",
        latency_ms=12.0,
    )


class FakeAssistant:
    """Records calls; answers with :func:`net_cost_answer` or raises ``fail``."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.calls: list[tuple[str, tuple[str, ...], Filters | None]] = []

    def ask(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Answer:
        self.calls.append((question, tuple(history), filters))
        if self.fail is not None:
            raise self.fail
        return net_cost_answer(question, history)

    def documents(self) -> list[DocumentMeta]:
        return list(sample_documents())

    def document_lines(self, doc: str) -> tuple[str, ...]:
        return sample_lines(doc)

    def sections(self, doc: str) -> list[Section]:
        return [
            Section(doc, "5", "Ekonomi", ("5 Ekonomi",), 400, 460),
            Section(
                doc, "5.1", "Driftbudget", ("5 Ekonomi", "5.1 Driftbudget"), 430, 460
            ),
        ]

    def tables(self, doc: str) -> list[Table]:
        return []
