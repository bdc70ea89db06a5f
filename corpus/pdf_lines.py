"""Ordered PDF rows → the text lines the parsers read, with a page per line.

- The title (largest text at the top of page 1) is one plain line, as in DOCX.
- Headings come from the font and the line's shape (``corpus.pdf_headings``).
  They are written as markdown headings ("## 1.1 Driftbudget"), so the section
  parser builds its tree from their numbers or levels.
- "1.1<gap>Driftbudget" and "•<gap>text" (a tab stop in Word) are one line;
  list bullets of any glyph become "• ", a bullet's wrapped lines join its item.
- Words broken at a line end are rejoined (``corpus.hyphenation``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from statistics import median

from corpus.first_page import is_page_marker
from corpus.hyphenation import join_broken_lines, vocabulary
from corpus.pdf_headings import BOLD_SIZE_SLACK, NUMBERED_RE, mark_headings
from corpus.pdf_items import (
    Item,
    block_edges,
    body_size,
    bullet_text,
    bullets,
    is_bullet,
    right_edges,
    wraps_on,
)
from corpus.pdf_layout import Segment

_NUMBER_ONLY_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")


def glue(row: Sequence[Segment]) -> list[Segment]:
    """A number or bullet set apart by a tab stop ("1.1<gap>Driftbudget",
    "•<gap>text") joined to the segment after it."""
    row = list(row)
    first = row[0].text if row else ""
    if len(row) >= 2 and (_NUMBER_ONLY_RE.match(first) or first in bullets()):
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
        text=bullet_text("\t".join(s.text for s in row)),
        page=page,
        top=min(s.top for s in row),
        bottom=max(s.bottom for s in row),
        x0=row[0].x0,
        size=row[0].size,
        bold=all(s.bold for s in row),
        multi=len(row) > 1,
        italic=all(s.italic for s in row),
        x1=max(s.x1 for s in row),
        column_end=row[-1].column_end,
    )


def _title_span(items: Sequence[Item], body: float) -> range:
    first_page = [i for i, it in enumerate(items) if it.page == items[0].page]
    candidates = [
        i
        for i in first_page
        if not items[i].fixed
        and not items[i].multi
        and not is_page_marker(items[i].text)
        and not NUMBERED_RE.match(items[i].text)  # "1 Inledning" is a chapter
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
            and not is_bullet(item.text)
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
    marked = mark_headings(items, body, set(title) | set(cover))
    marked = _join_bullet_lines(marked)
    known = vocabulary([it.text for it in marked])
    texts = join_broken_lines(
        [it.text if not it.fixed else "\t" for it in marked], known
    )
    lines: list[str] = []
    pages: list[int] = []
    breaks = _paragraph_breaks(marked, body)
    edges = right_edges(marked)
    blocks = block_edges(marked)
    prev: Item | None = None
    for n, (item, text) in enumerate(zip(marked, texts, strict=True)):
        out = item.text if item.fixed else text
        if not out.strip():
            continue
        if n in breaks and lines and lines[-1]:
            lines.append("")
            pages.append(item.page)
        elif prev is not None and lines and wraps_on(prev, item, out, edges, blocks):
            # A paragraph is one line, as in a text export and a Word file, so a
            # sentence is never cut by the layout's line ends.
            lines[-1] = f"{lines[-1]} {out.strip()}"
            prev = item
            continue
        lines.append(out)
        pages.append(item.page)
        prev = item
    return lines, pages


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
