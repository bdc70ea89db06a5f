"""Filter and example-question helpers of the web chat (pure, no Gradio)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.models import Filters
from corpus.models import DocumentMeta

ALL = ""  # dropdown value meaning "no restriction"
# (question, municipality it needs or None); only those the index can answer are shown.
DEFAULT_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?", "Mark"),
    ("Och 2024?", "Mark"),
    ("Vad är Kommunkompassen?", None),
    ("Vilka fyra strategiska områden har Marks kommun?", "Mark"),
    ("Hur hög är sjukfrånvaron i Kramfors?", "Kramfors"),
    ("What is the forecast result for Enköping's KS in 2023?", "Enköping"),
    ("Vem är kommundirektör i Mark?", "Mark"),
)


def example_questions(docs: Sequence[DocumentMeta]) -> list[str]:
    """Default examples the indexed documents can answer; generic ones otherwise."""
    names = [d.municipality for d in docs if d.municipality]
    # "Mark" matches "Marks kommun": Swedish names take a genitive -s before "kommun".
    chosen = [
        q
        for q, m in DEFAULT_EXAMPLES
        if m is None or any(name.startswith(m) for name in names)
    ]
    if len(chosen) >= 3:
        return chosen
    return [f"Vilka mål finns i {d.title}?" for d in docs[:4]] or chosen


def document_years(meta: DocumentMeta) -> set[int]:
    """Years a document covers: its year plus the span of its period ("2024-2025")."""
    years = {meta.year} if meta.year else set()
    found = [int(y) for y in meta.period.replace("–", "-").split("-") if y.isdigit()]
    if len(found) == 2 and 0 <= found[1] - found[0] <= 10:
        years.update(range(found[0], found[1] + 1))
    years.update(y for y in found if 1900 < y < 2200)
    return years


def matching_documents(
    docs: Sequence[DocumentMeta], filters: Filters
) -> list[DocumentMeta]:
    """The documents a filter combination leaves (empty = nothing to search)."""
    return [
        d
        for d in docs
        if (not filters.municipality or d.municipality == filters.municipality)
        and (not filters.doc or d.doc == filters.doc)
        and (filters.year is None or filters.year in document_years(d))
    ]


def municipality_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    names = sorted({d.municipality for d in docs if d.municipality})
    return [("Alla kommuner", ALL)] + [(m, m) for m in names]


def document_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    return [("Alla dokument", ALL)] + [(f"{d.title} ({d.doc})", d.doc) for d in docs]


def year_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    years = sorted({y for d in docs for y in document_years(d)})
    return [("Alla år", ALL)] + [(str(y), str(y)) for y in years]


def filters_from(
    municipality: str | None, doc: str | None, year: str | None
) -> Filters:
    return Filters(
        municipality=municipality or None,
        doc=doc or None,
        year=int(year) if year and str(year).isdigit() else None,
    )
