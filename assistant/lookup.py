"""Structured number lookup: match a question to table rows and columns.

Numbers are never guessed: they come from typed cells in the table store, each with
its document, table and line. A row is chosen by how well its label (and the table's
caption and section) match the question and by where its chunk ranked in retrieval;
a column by the year and kind (budget, utfall, prognos, ...) the question asks for.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.models import Fact, Hit, Query
from assistant.textmatch import stems, term_matches

TOTAL_WORDS = ("total", "totalt", "summa", "sammanlagt", "sammanlagd", "hela", "sum")


class CellRecord(Protocol):
    """One numeric cell as stored by the table store."""

    value: float
    unit: str | None
    raw: str
    row_label: str
    column_label: str
    year: int | None
    kind: str | None
    is_total: bool
    table_id: str
    caption: str
    section_path: str
    doc: str
    municipality: str
    line: int
    header_line: int


class CellSource(Protocol):
    def cells(self, *, docs: Collection[str] | None = None) -> Sequence[CellRecord]: ...


@dataclass(frozen=True)
class LookupResult:
    """Facts for the best row, and whether the asked period exists in that row."""

    facts: tuple[Fact, ...]
    row_score: float
    missing_years: tuple[int, ...] = ()


def _period(cell: CellRecord) -> str:
    return cell.column_label.strip().lower() or (cell.kind or "")


def _to_fact(cell: CellRecord, score: float) -> Fact:
    return Fact(
        label=cell.row_label,
        column=cell.column_label,
        value=cell.value,
        raw=cell.raw,
        unit=cell.unit,
        period=_period(cell),
        year=cell.year,
        kind=cell.kind,
        doc=cell.doc,
        line=cell.line,
        table_id=cell.table_id,
        section_path=cell.section_path,
        caption=cell.caption,
        header_line=cell.header_line,
        is_total=cell.is_total,
        municipality=cell.municipality,
        score=score,
    )


def _emphasised(raw: str) -> bool:
    """Bold cells mark a bottom-line row (a total or net row) in most layouts."""
    return raw.strip().startswith(("<b>", "**"))


def _label_match(label: str, terms: list[str]) -> float:
    tokens = set(stems(label))
    return sum(term_matches(t, tokens) for t in terms) / len(terms)


class NumberLookup:
    """Finds the typed cells that answer a numeric question."""

    def __init__(self, source: CellSource) -> None:
        self._source = source

    def find(
        self, query: Query, hits: Sequence[Hit], docs: Collection[str] | None
    ) -> LookupResult | None:
        """Best-matching row's cells for the asked years/kind, or None."""
        cells = self._source.cells(docs=docs)
        if not cells:
            return None
        terms = stems(query.topic or query.search_text)
        if not terms:
            return None
        wants_total = any(w in (query.text or "").lower() for w in TOTAL_WORDS)
        hit_rank = {
            (h.doc, line): rank
            for rank, h in enumerate(hits, start=1)
            if h.kind == "table"
            for line in range(h.line_start, h.line_end + 1)
        }
        table_rank: dict[str, int] = {}
        for h in hits:
            if h.kind == "table" and h.table_id and h.table_id not in table_rank:
                table_rank[h.table_id] = len(table_rank) + 1
        rows: dict[tuple[str, int], list[CellRecord]] = {}
        for cell in cells:
            rows.setdefault((cell.table_id, cell.line), []).append(cell)
        labelled_tables = {
            c.table_id for c in cells if _label_match(c.row_label, terms) > 0
        }
        best: tuple[float, list[CellRecord]] | None = None
        for row_cells in rows.values():
            first = row_cells[0]
            prefer_total = wants_total or first.table_id not in labelled_tables
            score = self._row_score(first, terms, hit_rank, prefer_total)
            if score > 0 and first.table_id in table_rank:
                score += 1.0 / table_rank[first.table_id]
            if score > 0 and (best is None or score > best[0]):
                best = (score, row_cells)
        if best is None:
            return None
        score, row_cells = best
        chosen, missing = self._columns(row_cells, query)
        if not chosen:
            return LookupResult((), score, missing)
        return LookupResult(tuple(_to_fact(c, score) for c in chosen), score, missing)

    @staticmethod
    def _row_score(
        cell: CellRecord,
        terms: list[str],
        hit_rank: dict[tuple[str, int], int],
        prefer_total: bool,
    ) -> float:
        context_tokens = set(stems(f"{cell.caption} {cell.section_path}"))
        label = _label_match(cell.row_label, terms)
        context = sum(term_matches(t, context_tokens) for t in terms) / len(terms)
        rank = hit_rank.get((cell.doc, cell.line))
        retrieval = 1.0 / rank if rank else 0.0
        if label == 0 and retrieval == 0 and context == 0:
            return 0.0
        # Retrieval ranks whole tables (see find); a row's own rank counts only
        # when its label matches, since a table's first row chunk carries the header.
        score = 2.0 * label + 1.0 * context + (1.0 * retrieval if label else 0.0)
        if cell.is_total or _emphasised(cell.raw):
            score += 0.5 if prefer_total else -0.3
        return score

    @staticmethod
    def _columns(
        row_cells: list[CellRecord], query: Query
    ) -> tuple[list[CellRecord], tuple[int, ...]]:
        chosen = row_cells
        missing: tuple[int, ...] = ()
        if query.metric and any(c.kind == query.metric for c in chosen):
            chosen = [c for c in chosen if c.kind == query.metric]
        if query.years:
            with_year = [c for c in chosen if c.year in query.years]
            missing = tuple(
                y for y in query.years if not any(c.year == y for c in chosen)
            )
            has_years = any(c.year is not None for c in row_cells)
            if with_year:
                chosen = with_year
            elif has_years:
                chosen = []
        return chosen[:6], missing
