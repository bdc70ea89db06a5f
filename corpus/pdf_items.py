"""The lines of a PDF before headings are marked, and how they run on.

An ``Item`` is one output line with its font; ``wraps_on`` tells whether a line
continues the paragraph of the line before it (the line above is full: the next
word would not have fitted on it), which both paragraph joining and heading
detection use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.first_page import words


@dataclass(frozen=True)
class Item:
    """One output line before headings are marked."""

    text: str
    page: int
    top: float
    bottom: float
    x0: float
    size: float
    bold: bool
    fixed: bool = False  # a table row, caption or marked heading: kept as it is
    multi: bool = False  # segments joined by tabs (a layout row)
    tabular: bool = False  # a line of a ruled table
    heading: bool = False  # written as a markdown heading
    italic: bool = False
    x1: float = 0.0  # right end of the line

    @property
    def style(self) -> tuple[float, bool, bool]:
        return (self.size, self.bold, self.italic)


def bullets() -> tuple[str, ...]:
    return (*words()["bullet_glyphs"], "-")


def is_bullet(text: str) -> bool:
    return any(text.startswith(f"{g} ") or text == g for g in bullets())


def bullet_text(text: str) -> str:
    for glyph in sorted(bullets(), key=len, reverse=True):
        if text.startswith(f"{glyph} "):
            return "• " + text[len(glyph) :].strip()
    return text


def body_size(items: Sequence[Item]) -> float:
    """The font size of most text characters."""
    counts: Counter[float] = Counter()
    for item in items:
        if not item.fixed:
            counts[item.size] += len(item.text)
    return counts.most_common(1)[0][0] if counts else 10.0


LIST_START_RE = re.compile(r"^(\d{1,2}[.)]|[a-z][.)])\s")
LEADER_RE = re.compile(r"\.{4,}|…{2,}")


def right_edges(items: Sequence[Item]) -> dict[int, float]:
    """The right edge of the text block a line belongs to, per left edge
    (rounded): the furthest line end over the document, trusted only when at
    least two lines reach within a font size of it (one long line alone is no
    margin: a framed note, a short address)."""
    ends: dict[int, list[Item]] = {}
    for it in items:
        if not it.fixed and not it.multi:
            ends.setdefault(round(it.x0 / 4), []).append(it)
    edges: dict[int, float] = {}
    for key, block in ends.items():
        edge = max(it.x1 for it in block)
        if sum(it.x1 >= edge - it.size for it in block) >= 2:
            edges[key] = edge
    return edges


def wraps_on(a: Item, b: Item, text: str, edges: dict[int, float]) -> bool:
    """Line ``b`` goes on the paragraph of line ``a`` (the one before it): plain
    body lines of one style, close below or at the top of the next page, ``b``
    not a list item, and ``a`` full:
    ``b``'s first word would not have fitted after it (else ``a`` ended by choice:
    an address, a short last line)."""
    if (
        a.fixed
        or b.fixed
        or a.multi
        or b.multi
        or b.page not in (a.page, a.page + 1)
        or a.style != b.style
        or is_bullet(b.text)
        or LIST_START_RE.match(text)
        or LEADER_RE.search(a.text)
        # Close below on the page, or the first line of the next page.
        or (a.page == b.page and not -1 < b.top - a.bottom <= 0.9 * b.size)
        or abs(b.x0 - a.x0) > 0.6 * b.size
    ):
        return False
    edge = edges.get(round(a.x0 / 4))
    if edge is None:
        return False
    first = text.split()[0] if text.split() else ""
    char = (b.x1 - b.x0) / max(len(b.text), 1)
    return a.x1 + char * (len(first) + 1) > edge
