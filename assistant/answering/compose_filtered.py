"""A list answer from rows filtered by a category value ("Vilka uppdrag har inte
påbörjats?" → the rows whose Status reads "Ej påbörjat"), each row cited."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.compose import CitationBuilder, Draft, clean, cut_at_word
from assistant.models import Query
from assistant.tables.row_filter import FilteredRows

# A row label can be a whole paragraph (an assignment's text): the list shows its
# first sentence, the citation the whole row.
MAX_LABEL_CHARS = 220
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")

MAX_CAPTION_CHARS = 60

PageOf = Callable[[str, int], int | None]


def _short(label: str) -> str:
    text = clean(label)
    first = FIRST_SENTENCE.match(text)
    if first and len(first.group(1)) <= MAX_LABEL_CHARS:
        return first.group(1)
    return cut_at_word(text, MAX_LABEL_CHARS)


def compose_filtered(
    query: Query, found: FilteredRows, builder: CitationBuilder, page_of: PageOf
) -> Draft:
    """ "N rader i "<caption>" har Status "Ej påbörjat":" and one line per row."""
    table = found.tables[0]
    # A caption can be a sentence of lead-in text: then the section names the table.
    caption = clean(table.caption)
    section = clean(table.section_path.split(" > ")[-1])
    where = caption if caption and len(caption) <= MAX_CAPTION_CHARS else section
    column, value, n = clean(found.column), clean(found.value), len(found.rows)
    if query.lang == "en":
        head = f'{n} row{"s" if n != 1 else ""} of "{where}" have {column} "{value}":'
    else:
        head = f'{n} {"rader" if n != 1 else "rad"} i "{where}" har {column} "{value}":'
    items = []
    for i, row in enumerate(found.rows, start=1):
        k = builder.cite(
            table.doc,
            table.section_path,
            row.line_start,
            row.line_end,
            page_of(table.doc, row.line_start),
        )
        items.append(f"{i}. {_short(row.label)} [{k}]")
    return Draft(
        text="\n".join([head, *items]),
        citations=builder.citations,
        stage="table filter",
    )
