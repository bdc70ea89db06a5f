"""Parts written in the document's own sentences and list items (mission, vision,
and the list-form indicators and assignments of plans without tables)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.brief.models import BriefItem
from assistant.brief.source import DocumentView, printed_numbers, sentences
from corpus.models import Section
from corpus.text import plain

MIN_SENTENCE_CHARS = 30  # shorter lines are captions, labels or headings
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-•●▪*]|\d{1,2}[.)])\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class ListItem:
    line: int
    text: str
    section: Section


def _table_lines(view: DocumentView) -> set[int]:
    return {n for t in view.tables for n in range(t.line_start, t.line_end + 1)}


def prose_items(
    view: DocumentView, sections: list[Section], per_section: int, limit: int
) -> list[BriefItem]:
    """The first ``per_section`` sentences of running text of each section."""
    tables = _table_lines(view)
    items: list[BriefItem] = []
    for section in sections:
        taken = 0
        for n in view.body_lines(section):
            raw = view.lines[n - 1]
            if n in tables or "\t" in raw or _LIST_ITEM_RE.match(plain(raw) or "x"):
                continue
            for sentence in sentences(raw):
                if len(sentence) < MIN_SENTENCE_CHARS or taken >= per_section:
                    continue
                items.append(
                    BriefItem(sentence, printed_numbers(sentence, raw), (view.cite(n),))
                )
                taken += 1
            if taken >= per_section:
                break
        if len(items) >= limit:
            break
    return items[:limit]


def list_items(view: DocumentView, sections: list[Section]) -> Iterator[ListItem]:
    """Bulleted or numbered items of the sections' own text."""
    tables = _table_lines(view)
    for section in sections:
        for n in view.body_lines(section):
            if n in tables:
                continue
            match = _LIST_ITEM_RE.match(plain(view.lines[n - 1]))
            if match:
                yield ListItem(n, match["text"].strip(), section)


def heading_text(section: Section) -> str:
    """A heading without its number: "5.1 Mål 1 – Trygg uppväxt" -> "Mål 1 – Trygg uppväxt"."""
    return plain(section.title)


GOAL_STATEMENT_WORDS = (
    4  # "Mål 4 - Kramfors kommun är en klimatsmart ..." states a goal
)


def goal_statements(
    view: DocumentView, sections: list[Section], limit: int
) -> list[BriefItem]:
    """The goal headings that are statements (a few words at least), cited by their
    heading line, in document order and once each."""
    out: dict[str, BriefItem] = {}
    for section in sorted(sections, key=lambda s: s.line_start):
        text = heading_text(section)
        if len(text.split()) >= GOAL_STATEMENT_WORDS and text not in out:
            out[text] = BriefItem(text, (), (view.cite(section.line_start),))
    return list(out.values())[:limit]
