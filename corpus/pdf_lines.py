"""Ordered PDF rows → the text lines the parsers read, with a page per line.

- The title (largest text at the top of page 1) is one plain line, as in DOCX.
- Headings come from the font: larger than the body text, or bold at body size,
  short, not a sentence. They are written as markdown headings ("## 1.1
  Driftbudget"), the level from the heading style's rank (size, then weight), so
  the section parser builds its tree from their numbers or levels. A page
  marker or a lone number is never a heading.
- "1.1<gap>Driftbudget" and "•<gap>text" (a tab stop in Word) are one line;
  list bullets of any glyph become "• ", a bullet's wrapped lines join its item.
- Words broken at a line end are rejoined (``corpus.hyphenation``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from corpus.first_page import is_page_marker, words
from corpus.hyphenation import join_broken_lines, vocabulary
from corpus.pdf_layout import Segment

MAX_HEADING_CHARS = 160
MAX_HEADING_WORDS = 20
# A heading's font is at least this many points larger than the body text...
HEADING_SIZE_GAIN = 0.9
# ...or bold and at least body size minus this (points).
BOLD_SIZE_SLACK = 0.5
_NUMBER_ONLY_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")
_NUMBERED_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")


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


def _bullets() -> tuple[str, ...]:
    return (*words()["bullet_glyphs"], "-")


def _is_bullet(text: str) -> bool:
    return any(text.startswith(f"{g} ") or text == g for g in _bullets())


def _bullet_text(text: str) -> str:
    for glyph in sorted(_bullets(), key=len, reverse=True):
        if text.startswith(f"{glyph} "):
            return "• " + text[len(glyph) :].strip()
    return text


def glue(row: Sequence[Segment]) -> list[Segment]:
    """A number or bullet set apart by a tab stop ("1.1<gap>Driftbudget",
    "•<gap>text") joined to the segment after it."""
    row = list(row)
    first = row[0].text if row else ""
    if len(row) >= 2 and (_NUMBER_ONLY_RE.match(first) or first in _bullets()):
        head, nxt = row[0], row[1]
        joined = replace(
            nxt,
            text=f"{head.text} {nxt.text}",
            x0=head.x0,
            top=min(head.top, nxt.top),
            bottom=max(head.bottom, nxt.bottom),
            words=head.words + nxt.words,
        )
        return [joined, *row[2:]]
    return row


def row_item(row: Sequence[Segment], page: int) -> Item:
    """A row of (glued) segments as one item, tab-separated if several."""
    row = glue(row)
    return Item(
        text=_bullet_text("\t".join(s.text for s in row)),
        page=page,
        top=min(s.top for s in row),
        bottom=max(s.bottom for s in row),
        x0=row[0].x0,
        size=row[0].size,
        bold=all(s.bold for s in row),
        multi=len(row) > 1,
        italic=all(s.italic for s in row),
        x1=max(s.x1 for s in row),
    )


def body_size(items: Sequence[Item]) -> float:
    """The font size of most text characters."""
    counts: Counter[float] = Counter()
    for item in items:
        if not item.fixed:
            counts[item.size] += len(item.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def _title_span(items: Sequence[Item], body: float) -> range:
    first_page = [i for i, it in enumerate(items) if it.page == items[0].page]
    candidates = [
        i
        for i in first_page
        if not items[i].fixed
        and not items[i].multi
        and not is_page_marker(items[i].text)
        and not _NUMBERED_RE.match(items[i].text)  # "1 Inledning" is a chapter
        and re.search(r"[A-Za-zÅÄÖåäö]{3}", items[i].text)
    ]
    if not candidates:
        return range(0)
    largest = max(items[i].size for i in candidates)
    if largest <= body + BOLD_SIZE_SLACK:
        return range(0)
    start = next(i for i in candidates if items[i].size == largest)
    end = start + 1
    while (
        end < len(items)
        and items[end].page == items[start].page
        and items[end].size == largest
        and not items[end].fixed
    ):
        end += 1
    return range(start, end)


def _subtitles(items: Sequence[Item], title: range, body: float) -> range:
    """Large lines right under the title ("Socialnämnden", "Delårsrapport
    augusti") before any body text: the cover page, not section headings."""
    if not title:
        return range(0)
    end = title.stop
    while (
        end < len(items)
        and items[end].page == items[title.start].page
        and not items[end].fixed
        and items[end].size > body + BOLD_SIZE_SLACK
        and not re.match(r"^\d", items[end].text)
    ):
        end += 1
    return range(title.stop, end)


def _heading_like(item: Item, body: float, last_line: bool = False) -> bool:
    """Printed like a heading; ``last_line``: the end of a wrapped heading, which
    may end with a full stop ("... och ekologiskt hållbar kommun.")."""
    text = item.text.strip()
    if (
        item.fixed
        or item.multi
        or len(text) > MAX_HEADING_CHARS
        or len(text.split()) > MAX_HEADING_WORDS
        or not re.search(r"[A-Za-zÅÄÖåäö]{2}", text)
        or is_page_marker(text)
        or _is_bullet(text)
        or text.endswith((",", ";"))
        or (text.endswith(".") and not last_line)
    ):
        return False
    if item.size >= body + HEADING_SIZE_GAIN:
        return True
    return item.bold and item.size >= body - BOLD_SIZE_SLACK and not text.endswith(":")


def _join_wrapped(
    items: list[Item], flags: list[bool], body: float
) -> tuple[list[Item], list[bool]]:
    """A heading wrapped over two lines (same style, close below) becomes one;
    the last line of a heading larger than the body text may end with a stop."""
    out: list[Item] = []
    out_flags: list[bool] = []
    closed = False
    for item, flag in zip(items, flags, strict=True):
        prev = out[-1] if out else None
        ending = item.size >= body + HEADING_SIZE_GAIN and _heading_like(
            item, body, last_line=True
        )
        if (
            (flag or ending)
            and not closed
            and prev is not None
            and out_flags[-1]
            and prev.page == item.page
            and prev.style == item.style
            and -1 < item.top - prev.bottom <= 0.9 * item.size
            and not re.match(r"^\d", item.text)
        ):
            out[-1] = replace(prev, text=f"{prev.text} {item.text}", bottom=item.bottom)
            closed = not flag  # a heading ending with a stop ends there
            continue
        out.append(item)
        out_flags.append(flag)
        closed = False
    return out, out_flags


def _heading(item: Item, level: int, body: float) -> Item:
    """A marked heading. A numbered line that is only bold (body size) stays
    plain, so the section parser checks that its number continues the numbering
    (a bold numbered list is not a run of chapters)."""
    if _NUMBERED_RE.match(item.text) and item.size < body + HEADING_SIZE_GAIN:
        return replace(item, fixed=True)
    return replace(item, text=f"{'#' * level} {item.text}", fixed=True, heading=True)


def _join_bullet_lines(items: list[Item]) -> list[Item]:
    """A list item's wrapped lines (indented past its bullet) join the item."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.text.startswith("• ")
            and not item.fixed
            and not item.multi
            and not _is_bullet(item.text)
            and prev.page == item.page
            and item.x0 > prev.x0 + 2
            and -1 < item.top - prev.bottom <= 0.9 * item.size
            and prev.style == item.style
        ):
            out[-1] = replace(prev, text=f"{prev.text} {item.text}", bottom=item.bottom)
            continue
        out.append(item)
    return out


def to_lines(items: list[Item]) -> tuple[list[str], list[int]]:
    """Output lines and their pages: title, marked headings, joined words."""
    if not items:
        return [], []
    body = body_size(items)
    title = _title_span(items, body)
    if len(title) > 1:
        joined = " ".join(items[i].text for i in title)
        items = [
            *items[: title.start],
            replace(items[title.start], text=joined),
            *items[title.stop :],
        ]
        title = range(title.start, title.start + 1)
    cover = _subtitles(items, title, body)
    flags = [
        i not in title and i not in cover and _heading_like(it, body)
        for i, it in enumerate(items)
    ]
    items, flags = _join_wrapped(items, flags, body)
    flags = [
        f and len(it.text) <= MAX_HEADING_CHARS
        for it, f in zip(items, flags, strict=True)
    ]
    # Larger first, then bold before plain, upright before italic (Word's
    # Heading 4 is Heading 3's font in italic).
    styles = sorted(
        {it.style for it, flag in zip(items, flags, strict=True) if flag},
        key=lambda style: (-style[0], not style[1], style[2]),
    )
    level = {style: min(rank + 1, 6) for rank, style in enumerate(styles)}
    marked = [
        _heading(it, level[it.style], body) if flag else it
        for it, flag in zip(items, flags, strict=True)
    ]
    marked = _join_bullet_lines(marked)
    known = vocabulary([it.text for it in marked])
    texts = join_broken_lines(
        [it.text if not it.fixed else "\t" for it in marked], known
    )
    lines: list[str] = []
    pages: list[int] = []
    breaks = _paragraph_breaks(marked, body)
    edges = _right_edges(marked)
    prev: Item | None = None
    for n, (item, text) in enumerate(zip(marked, texts, strict=True)):
        out = item.text if item.fixed else text
        if not out.strip():
            continue
        if n in breaks and lines and lines[-1]:
            lines.append("")
            pages.append(item.page)
        elif prev is not None and lines and _wraps_on(prev, item, out, edges):
            # A paragraph is one line, as in a text export and a Word file, so a
            # sentence is never cut by the layout's line ends.
            lines[-1] = f"{lines[-1]} {out.strip()}"
            prev = item
            continue
        lines.append(out)
        pages.append(item.page)
        prev = item
    return lines, pages


_LIST_START_RE = re.compile(r"^(\d{1,2}[.)]|[a-z][.)])\s")
_LEADER_RE = re.compile(r"\.{4,}|…{2,}")


def _right_edges(items: Sequence[Item]) -> dict[int, float]:
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


def _wraps_on(a: Item, b: Item, text: str, edges: dict[int, float]) -> bool:
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
        or _is_bullet(b.text)
        or _LIST_START_RE.match(text)
        or _LEADER_RE.search(a.text)
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


def _paragraph_breaks(items: Sequence[Item], body: float) -> set[int]:
    """Items preceded by a blank line, as in a text export: after a vertical gap
    wider than the usual line spacing, and around tables and headings."""
    gaps = [
        b.top - a.bottom
        for a, b in pairwise(items)
        if a.page == b.page and not a.fixed and not b.fixed and b.top > a.bottom - 1
    ]
    usual = median(gaps) if gaps else 0.3 * body
    breaks: set[int] = set()
    for n in range(1, len(items)):
        a, b = items[n - 1], items[n]
        boundary = a.tabular != b.tabular or a.heading or b.heading
        wide = a.page == b.page and b.top - a.bottom > usual + 0.45 * body
        if boundary or (wide and not (a.tabular and b.tabular)):
            breaks.add(n)
    return breaks
