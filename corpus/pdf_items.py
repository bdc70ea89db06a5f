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
    column_end: float | None = None  # right edge of its column (Segment.column_end)

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


# A block of lines narrower than the widest with the same left edge (a column
# beside an image) is trusted as a margin when this many lines reach its edge.
MIN_BLOCK_LINES = 3
# A paragraph's first line may be indented by up to this many font sizes.
FIRST_LINE_INDENT_EM = 2.5
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


def block_edges(items: Sequence[Item]) -> dict[tuple[int, int], tuple[float, ...]]:
    """Per page and left edge (rounded), the right edges of its text blocks,
    narrowest first: line ends chained less than a font size apart form one block (a
    column's justified or ragged right side) whose edge is its furthest end,
    trusted when at least two lines reach it. A narrow column beside an image
    and full-width text further on share a left edge but not a right one."""
    ends: dict[tuple[int, int], list[Item]] = {}
    for it in items:
        if not it.fixed and not it.multi:
            ends.setdefault((it.page, round(it.x0 / 4)), []).append(it)
    out: dict[tuple[int, int], tuple[float, ...]] = {}
    for key, block in ends.items():
        chains: list[list[Item]] = []
        for it in sorted(block, key=lambda it: it.x1):
            if not chains or it.x1 - chains[-1][-1].x1 > it.size:
                chains.append([])
            chains[-1].append(it)
        # The widest block as right_edges trusts it; a narrower one needs more
        # lines (two short paragraphs of one length are no column).
        found = [
            chain[-1].x1
            for n, chain in enumerate(chains)
            if _reaching(chain) >= (2 if n == len(chains) - 1 else MIN_BLOCK_LINES)
        ]
        out[key] = tuple(found)
    return out


def _reaching(chain: Sequence[Item]) -> int:
    """How many lines of a chain end within a font size of its furthest end."""
    return sum(it.x1 >= chain[-1].x1 - it.size for it in chain)


def wraps_on(
    a: Item,
    b: Item,
    text: str,
    edges: dict[int, float],
    blocks: dict[tuple[int, int], tuple[float, ...]] | None = None,
) -> bool:
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
        or not -FIRST_LINE_INDENT_EM * b.size <= b.x0 - a.x0 <= 0.6 * b.size
    ):
        return False
    # A paragraph's indented first line ends at the edge of the lines below it.
    key = round(min(a.x0, b.x0) / 4)
    edge = edges.get(key)
    if blocks:
        # The nearest block edge the line reaches towards (its own block's).
        own = blocks.get((a.page, key), ())
        edge = next((e for e in own if e >= a.x1 - 1), edge)
    if a.column_end is not None:
        # In a column, the text wider elsewhere on the page is no margin.
        edge = a.column_end if edge is None else min(edge, a.column_end)
    if edge is None:
        return False
    first = text.split()[0] if text.split() else ""
    char = (b.x1 - b.x0) / max(len(b.text), 1)
    return a.x1 + char * (len(first) + 1) > edge
