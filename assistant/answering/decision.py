"""When a document itself was decided: the decision line of its front page.

A plan's cover says when it was adopted ("Beslutad av kommunstyrelsen 2023-10-25",
"Antagen av kommunfullmäktige 2026-04-28", a cover table's "Datum för beslut
2024-11-26"). A question asking when the document was decided ("När antogs
verksamhetsplanen?") is answered by that line, not by a passage that shares the
word "beslut" with it (an assignment's start date, a deadline of another decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.answering.compose import CitationBuilder, Draft, clean
from assistant.language.lexicon import word_set
from assistant.language.textmatch import stem
from assistant.language.vocabulary import words
from assistant.models import Query
from corpus.first_page import find_date

# The front page, and the contents list that may follow it, come first: a date
# of a decision further in is another decision's.
FRONT_LINES = 60


@dataclass(frozen=True)
class DecisionLine:
    """A cover's statement of the decision: its text (one cell of a cover table)
    and its line."""

    text: str
    line: int


@cache
def decision_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in word_set("question_words", "decision_words"))


def names_decision(text: str) -> bool:
    """``text`` speaks of a decision ("beslutade", "antogs", "approved")."""
    return not decision_stems().isdisjoint(stem(w) for w in words(text.lower()))


def decision_line(lines: Sequence[str]) -> DecisionLine | None:
    """The first line of the front page that states a decision and its date; of
    a cover table's row, the cell that does."""
    for number, line in enumerate(lines[:FRONT_LINES], start=1):
        for cell in line.split("\t"):
            text = clean(cell).strip()
            if text and find_date(text) and names_decision(text):
                return DecisionLine(text, number)
    return None


def compose_decision(
    query: Query,
    doc: str,
    found: DecisionLine,
    builder: CitationBuilder,
    page: int | None,
) -> Draft:
    """The decision line quoted and cited."""
    n = builder.cite(doc, None, found.line, found.line, page)
    lead = "The document states: " if query.lang == "en" else ""
    return Draft(f"{lead}{found.text} [{n}]", builder.citations)
