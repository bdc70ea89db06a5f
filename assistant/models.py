"""The answer-side records: the public contract of ``Assistant.ask``.

``Answer.to_json()`` is the object printed by ``python -m assistant ask --json``; its
keys are a contract used by the web chat and the evaluation runner.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.models import Chunk


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen in the UI or on the command line (all optional)."""

    municipality: str | None = None
    doc: str | None = None
    year: int | None = None
    collections: tuple[str, ...] | None = None  # None = no access restriction


@dataclass(frozen=True)
class Query:
    """The interpreted question, with slots carried over from the chat history."""

    text: str  # the question as asked (cleaned)
    search_text: str  # text used for retrieval (may include carried-over slots)
    lang: str  # "sv" | "en"
    municipality: str | None = None
    doc: str | None = None
    organ: str | None = None
    years: tuple[int, ...] = ()
    # The years are an upper bound: the latest year up to them that the evidence
    # has ("Och året innan?" after a 2024 question: 2023, else 2022, ...).
    or_earlier: bool = False
    metric: str | None = None  # budget, utfall, prognos, avvikelse, ...
    topic: str | None = None  # the thing asked about ("nettokostnad", "sjukfrånvaro")
    wants_number: bool = False
    wants_list: bool = False
    wants_person: bool = (
        False  # "Vem ...?", "Vad heter ...?": the answer must name someone
    )
    wants_time: bool = False  # "När ...?": the answer must say when
    # A broad question ("Vilka är de största utmaningarna?"): the gist of a
    # passage, one point per paragraph, not one sentence.
    wants_overview: bool = False
    metrics: tuple[str, ...] = ()  # every column kind named, most specific first
    refs: tuple[str, ...] = ()  # numbered things named: "mål 6", "avsnitt 3.1"
    focus: str | None = None  # a follow-up's own topic words ("intäkterna")
    carried: tuple[str, ...] = ()  # names of slots carried from history

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, (), "", False)}


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and per-retriever ranks."""

    chunk_id: str
    doc: str
    section_path: str
    line_start: int
    line_end: int
    text: str
    kind: str
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None
    dense_similarity: float | None = None
    table_id: str | None = None
    page: int | None = None

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float, **ranks: Any) -> Hit:
        """A hit for ``chunk``; ``ranks`` are dense_rank, keyword_rank, dense_similarity."""
        return cls(
            chunk_id=chunk.chunk_id,
            doc=chunk.doc,
            section_path=chunk.section_path,
            line_start=chunk.line_start,
            line_end=chunk.line_end,
            text=chunk.text,
            kind=chunk.kind,
            score=score,
            table_id=chunk.table_id,
            page=chunk.page,
            **ranks,
        )


@dataclass(frozen=True)
class Fact:
    """A typed value looked up in the table store."""

    label: str  # row label
    column: str  # column header
    value: float
    raw: str  # as printed
    unit: str | None
    period: str | None  # e.g. "budget 2024"
    year: int | None
    kind: str | None
    doc: str
    line: int
    table_id: str
    section_path: str
    caption: str
    header_line: int
    is_total: bool = False
    municipality: str = ""
    score: float = 0.0
    line_end: int = 0  # last line of the row (rows can span lines); 0 = same as line
    page: int | None = None
    key_header: str = ""  # header of the table's label column (often its name)
    summed_rows: int = 0  # > 0: computed, the sum of this many rows (line..line_end)


@dataclass(frozen=True)
class Citation:
    """A numbered source: the exact original lines of a document."""

    n: int
    doc: str
    title: str
    section: str
    line_start: int
    line_end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Answer:
    """What ``Assistant.ask`` returns."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    facts: tuple[Fact, ...] = ()
    retrieved: tuple[Hit, ...] = ()
    interpreted_query: dict[str, Any] = field(default_factory=dict)
    interpretation: str = ""  # "Tolkat som: ..." line, empty when nothing was carried
    latency_ms: float = 0.0
    notice: str = ""  # e.g. a fallback notice from an optional LLM generator
    # How it was decided: the plan's parts (each with its answer type, the stage
    # that decided it and why it refused) and the deciding stage of the whole.
    trace: dict[str, Any] = field(default_factory=dict)

    def to_plain_json(self) -> dict[str, Any]:
        """What ``ask --json`` prints: ``to_json()`` in plain JSON values (lists, not
        tuples), so a program gets exactly what it would parse from the output."""
        return json.loads(json.dumps(self.to_json(), ensure_ascii=False))

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` contract (see the README)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [
                {
                    "n": c.n,
                    "doc": c.doc,
                    "title": c.title,
                    "section": c.section,
                    "line_start": c.line_start,
                    "line_end": c.line_end,
                    "text": c.text,
                    "page": c.page,
                }
                for c in self.citations
            ],
            "facts": [
                {
                    "label": f.label,
                    "value": f.value,
                    "raw": f.raw,
                    "unit": f.unit,
                    "period": f.period,
                    "column": f.column,
                    "doc": f.doc,
                    "line": f.line,
                    "is_total": f.is_total,
                }
                for f in self.facts
            ],
            "retrieved": [
                {
                    "doc": h.doc,
                    "section": h.section_path,
                    "line_start": h.line_start,
                    "line_end": h.line_end,
                    "score": round(h.score, 6),
                    "chunk_id": h.chunk_id,
                }
                for h in self.retrieved
            ],
            "interpreted_query": self.interpreted_query,
            "interpretation": self.interpretation,
            "latency_ms": round(self.latency_ms, 1),
            "notice": self.notice,
            "trace": self.trace,
        }
