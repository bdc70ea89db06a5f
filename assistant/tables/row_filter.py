"""Rows picked by a category value the question names: "Vilka uppdrag har inte
påbörjats?" → the rows whose Status cell reads "Ej påbörjat".

A category column holds short non-numeric texts that repeat down the column
(status, assessment, responsible unit). The question names a value when every
content word of the value is among the question's words, with negation read as
one sign ("inte påbörjats" = "Ej påbörjat"); the value naming the most words wins
("delvis på rätt väg" over "på rätt väg"). Tables with the same header in one
document are read as one (a table continued after a page break or a heading).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.language.lexicon import words_of
from assistant.language.textmatch import match_strength, stems
from assistant.language.vocabulary import words
from assistant.reading.operators import superlative
from corpus.models import Table, TableRow

NEGATION = "¬"
# A category is a short label: longer cells are prose (comments, descriptions).
MAX_VALUE_WORDS = 5
# A value word must be one of the question's words or a compound part of one (see
# match_strength): "budget" alone does not name "driftbudget".
STRONG = 0.75


@dataclass(frozen=True)
class FilteredRows:
    """The rows of ``tables`` whose ``column`` reads ``value``."""

    tables: tuple[Table, ...]
    column: str
    value: str
    rows: tuple[TableRow, ...]


def _signs(text: str) -> frozenset[str]:
    """The stems of ``text``'s words, negating words read as one negation sign."""
    negations = set(words_of("question_words", "negations"))
    ws = words(text)
    out = set(stems(" ".join(w for w in ws if w not in negations)))
    if any(w in negations for w in ws):
        out.add(NEGATION)
    return frozenset(out)


Signs = frozenset[str]


def category_values(tables: Sequence[Table], column: str) -> dict[Signs, Counter[str]]:
    """The short non-numeric texts of ``column``, grouped by their signs (so "■
    Kontroll genomförd utan avvikelse" and "Kontroll genomförd utan avvikelser" are
    one value), each with how often each printed form occurs."""
    values: dict[Signs, Counter[str]] = {}
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                text = cell.text.strip()
                if (
                    cell.column == column
                    and text
                    and cell.value is None
                    and len(words(text)) <= MAX_VALUE_WORDS
                    and (signs := _signs(text)) - {NEGATION}
                ):
                    values.setdefault(signs, Counter())[text] += 1
    return values


def _is_category(values: dict[Signs, Counter[str]], rows: int) -> bool:
    """Values repeat: at least one occurs twice and there are fewer values than
    rows (a column of names or dates, all different, is no category)."""
    counts = [sum(c.values()) for c in values.values()]
    return bool(counts) and max(counts) >= 2 and len(counts) < rows


def named_value(question: Collection[str], values: Collection[Signs]) -> Signs | None:
    """The value all of whose words the question has (as words or compound parts),
    the one with most words; a value's negation must match the question's."""
    best: Signs | None = None
    for signs in values:
        content = signs - {NEGATION}
        if not all(match_strength(t, question) >= STRONG for t in content):
            continue
        if (NEGATION in question) != (NEGATION in signs):
            continue
        if best is None or len(signs) > len(best):
            best = signs
    return best


def _same_header_groups(tables: Sequence[Table]) -> list[tuple[Table, ...]]:
    groups: dict[tuple[str, tuple[str, ...]], list[Table]] = {}
    for table in tables:
        groups.setdefault((table.doc, table.header), []).append(table)
    return [tuple(g) for g in groups.values()]


def asks_to_filter(question: str) -> bool:
    """A list question ("Vilka ...") that does not rank or compare figures."""
    ws = set(words(question))
    return not superlative(question) and not ws & set(
        words_of("question_words", "comparatives")
    )


def filter_rows(
    question: str,
    tables: Sequence[Table],
    translated: Collection[str] = (),
    scope: Collection[str] = (),
) -> FilteredRows | None:
    """The rows whose category cell the question names, in the first table group
    (in the order given: most relevant first) that has such a value.
    ``translated``: Swedish stems of an English question's terms; ``scope``: stems
    that name the document, body or place (a value naming only those, such as
    "Kommunstyrelsen" in "Uppdrag från", is the question's scope, not a filter)."""
    asked = _signs(question) | set(words(question)) | set(translated)
    for group in _same_header_groups(tables):
        n_rows = sum(len(t.rows) for t in group)
        for column in group[0].header[1:]:
            values = category_values(group, column)
            if not _is_category(values, n_rows):
                continue
            named = [v for v in values if v - {NEGATION} - set(scope)]
            signs = named_value(asked, named)
            if signs is None:
                continue
            rows = tuple(
                row
                for table in group
                for row in table.rows
                if any(
                    c.column == column and c.text.strip() in values[signs]
                    for c in row.cells
                )
            )
            shown = values[signs].most_common(1)[0][0]
            return FilteredRows(group, column, shown, rows)
    return None
