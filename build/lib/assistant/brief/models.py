"""The brief's records and their JSON contract (``python -m assistant brief --format json``).

``{"doc", "title", "parts": [{"key", "title", "missing", "items": [{"text", "values",
"citations": [{"doc", "line_start", "line_end", "page"}], "fields"}]}], "questions",
"charts": [{"title", "series"}]}``; ``values`` are the numbers an item states, as
printed; ``fields`` (goal, indicator, target, ... as the part defines) fill tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.charts import Series
from assistant.models import Citation


@dataclass(frozen=True)
class BriefItem:
    """One statement of the brief with the numbers it states and its sources."""

    text: str
    values: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()  # ("Indikator", "Andel ..."), ...


@dataclass(frozen=True)
class BriefPart:
    key: str  # mission, vision, goals, economy, risks, assignments, abbreviations, questions
    title: str
    items: tuple[BriefItem, ...] = ()
    note: str = ""  # what the document lacks ("Dokumentet redovisar inga risker."); "" if present

    @property
    def missing(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class BriefChart:
    """A multi-year (or multi-unit) series from one table, with its source lines."""

    title: str
    series: tuple[Series, ...]
    ylabel: str = ""
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Brief:
    doc: str
    title: str
    parts: tuple[BriefPart, ...]
    questions: tuple[str, ...] = ()
    charts: tuple[BriefChart, ...] = ()
    content_hash: str = ""

    def part(self, key: str) -> BriefPart:
        return next(p for p in self.parts if p.key == key)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "title": self.title,
            "parts": [
                {
                    "key": p.key,
                    "title": p.title,
                    "missing": p.missing,
                    "note": p.note,
                    "items": [_item_json(i) for i in p.items],
                }
                for p in self.parts
            ],
            "questions": list(self.questions),
            "charts": [
                {
                    "title": c.title,
                    "ylabel": c.ylabel,
                    "series": [
                        {
                            "name": s.name,
                            "labels": list(s.labels),
                            "values": list(s.values),
                        }
                        for s in c.series
                    ],
                    "citations": [_citation_json(x) for x in c.citations],
                }
                for c in self.charts
            ],
            "content_hash": self.content_hash,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Brief:
        """The inverse of ``to_json`` (used by the cache)."""
        return cls(
            doc=data["doc"],
            title=data["title"],
            parts=tuple(
                BriefPart(
                    key=p["key"],
                    title=p["title"],
                    note=p.get("note", ""),
                    items=tuple(_item(i) for i in p["items"]),
                )
                for p in data["parts"]
            ),
            questions=tuple(data["questions"]),
            charts=tuple(
                BriefChart(
                    title=c["title"],
                    ylabel=c.get("ylabel", ""),
                    series=tuple(
                        Series(s["name"], tuple(s["labels"]), tuple(s["values"]))
                        for s in c["series"]
                    ),
                    citations=tuple(_citation(x) for x in c.get("citations", [])),
                )
                for c in data["charts"]
            ),
            content_hash=data.get("content_hash", ""),
        )


def _citation_json(c: Citation) -> dict[str, Any]:
    return {
        "doc": c.doc,
        "line_start": c.line_start,
        "line_end": c.line_end,
        "page": c.page,
        "n": c.n,
        "section": c.section,
        "title": c.title,
        "text": c.text,
    }


def _item_json(item: BriefItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "values": list(item.values),
        "citations": [_citation_json(c) for c in item.citations],
        "fields": [list(f) for f in item.fields],
    }


def _citation(data: dict[str, Any]) -> Citation:
    return Citation(
        n=data.get("n", 0),
        doc=data["doc"],
        title=data.get("title", ""),
        section=data.get("section", ""),
        line_start=data["line_start"],
        line_end=data["line_end"],
        text=data.get("text", ""),
        page=data.get("page"),
    )


def _item(data: dict[str, Any]) -> BriefItem:
    return BriefItem(
        text=data["text"],
        values=tuple(data["values"]),
        citations=tuple(_citation(c) for c in data["citations"]),
        fields=tuple((str(k), str(v)) for k, v in data.get("fields", [])),
    )
