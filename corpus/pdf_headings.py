"""Which PDF lines are headings: their style, their shape, the line after them.

- **Style.** A candidate is larger than the body text or bold at body size, in a
  style the document does not use for running text. A style is running text when
  most of its lines run on to the next line and they are long (a second body size,
  a quotation or footnote style): a heading style holds short lines that stand
  alone.
- **Wrapped headings.** Candidates of one style close below each other are one
  heading when the first line is full (the next word would not have fitted) or
  ends open (",", "och", "av"); two short headings in a row stay two.
- **Shape.** What remains is a heading when it reads like one: short, starting
  with a capital or a number, not ending open, not continued by a lower-case line
  right below (a bold run inside a paragraph), no dotted leader (a contents line),
  no full stop unless it ends a large wrapped heading, no colon after a bold-only
  lead-in ("Risk:").
Levels come from the heading style's rank (size, then weight, then upright).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from corpus.first_page import is_page_marker, words
from corpus.pdf_items import LEADER_RE, Item, is_bullet, right_edges, wraps_on

MAX_HEADING_CHARS = 160
MAX_HEADING_WORDS = 20
# A heading's font is at least this many points larger than the body text...
HEADING_SIZE_GAIN = 0.9
# ...or bold and at least body size minus this (points).
BOLD_SIZE_SLACK = 0.5
# A style is running text when at least this share of its lines run on to the
# next line, its lines average this many characters, over this many lines.
PROSE_WRAP_SHARE = 0.4
PROSE_LINE_CHARS = 50
PROSE_MIN_LINES = 5
NUMBERED_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
_NUMBER_PREFIX_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s*")
_LETTERS_RE = re.compile(r"[A-Za-zÅÄÖåäö]{2}")
_SENTENCE_END = (".", "!", "?", ":")

Style = tuple[float, bool, bool]


@dataclass(frozen=True)
class _Candidate:
    item: Item
    candidate: bool
    lines: int = 1  # printed lines joined into this one


def prose_styles(items: Sequence[Item]) -> set[Style]:
    """Styles used for running text (see the module docstring)."""
    edges = right_edges(items)
    lines: Counter[Style] = Counter()
    wraps: Counter[Style] = Counter()
    chars: Counter[Style] = Counter()
    plain = [it for it in items if not it.fixed and not it.multi]
    for item in plain:
        lines[item.style] += 1
        chars[item.style] += len(item.text)
    for a, b in pairwise(plain):
        if wraps_on(a, b, b.text, edges):
            wraps[a.style] += 1
    return {
        style
        for style, n in lines.items()
        if n >= PROSE_MIN_LINES
        and wraps[style] >= PROSE_WRAP_SHARE * n
        and chars[style] >= PROSE_LINE_CHARS * n
    }


def _is_candidate(item: Item, body: float, prose: set[Style]) -> bool:
    text = item.text.strip()
    if (
        item.fixed
        or item.multi
        or item.style in prose
        or not _LETTERS_RE.search(text)
        or is_page_marker(text)
        or is_bullet(text)
        or LEADER_RE.search(text)
    ):
        return False
    if item.size >= body + HEADING_SIZE_GAIN:
        return True
    return item.bold and item.size >= body - BOLD_SIZE_SLACK


def _open_ending(text: str) -> bool:
    """Ends where a phrase cannot end: a comma, a hyphen, "och", "av", "att" ..."""
    text = text.rstrip()
    last = text.split()[-1].lower() if text.split() else ""
    return text.endswith((",", ";", "-", "–")) or last in words()["open_endings"]


def _first_letter_lower(text: str) -> bool:
    core = _NUMBER_PREFIX_RE.sub("", text.strip())
    return core[:1].islower()


def _runs_on(prev: Item, item: Item, edge: float) -> bool:
    """``item`` continues the heading line ``prev``: ``prev`` ends open, ``item``
    starts in lower case, or ``prev`` is full (``item``'s first word would not
    have fitted on it)."""
    text = prev.text.rstrip()
    if text.endswith((".", "!", "?")):
        return False
    if _open_ending(text) or _first_letter_lower(item.text):
        return True
    first = item.text.split()[0] if item.text.split() else ""
    char = (item.x1 - item.x0) / max(len(item.text), 1)
    return prev.x1 + char * (len(first) + 1) > edge


def _join_wrapped(
    items: Sequence[Item], flags: Sequence[bool], edges: dict[int, float]
) -> list[_Candidate]:
    """Wrapped heading lines (candidates of one style close below, running on)
    joined into one; a line ending with a stop ends the heading."""
    default = max(edges.values(), default=max((it.x1 for it in items), default=0.0))
    out: list[_Candidate] = []
    for item, flag in zip(items, flags, strict=True):
        prev = out[-1] if out else None
        if (
            flag
            and prev is not None
            and prev.candidate
            and prev.item.page == item.page
            and prev.item.style == item.style
            and -1 < item.top - prev.item.bottom <= 0.9 * item.size
            and not re.match(r"^\d", item.text)
            and _runs_on(prev.item, item, edges.get(round(prev.item.x0 / 4), default))
        ):
            joined = replace(
                prev.item,
                text=f"{prev.item.text} {item.text}",
                bottom=item.bottom,
                x1=max(prev.item.x1, item.x1),
            )
            out[-1] = _Candidate(joined, True, prev.lines + 1)
            continue
        out.append(_Candidate(item, flag))
    return out


def _continued_by(item: Item, nxt: Item | None) -> bool:
    """The next line carries on ``item``'s sentence: close below, lower case."""
    return (
        nxt is not None
        and not nxt.fixed
        and nxt.page == item.page
        and -1 < nxt.top - item.bottom <= 0.9 * nxt.size
        and not item.text.rstrip().endswith(_SENTENCE_END)
        and _first_letter_lower(nxt.text)
    )


def _reads_as_heading(cand: _Candidate, nxt: Item | None, body: float) -> bool:
    item = cand.item
    text = item.text.strip()
    large = item.size >= body + HEADING_SIZE_GAIN
    if (
        len(text) > MAX_HEADING_CHARS
        or len(text.split()) > MAX_HEADING_WORDS
        or _first_letter_lower(text)
        or _open_ending(text)
        or (text.endswith(":") and not large)
        or _continued_by(item, nxt)
    ):
        return False
    # A full stop ends only a large heading wrapped over lines ("... kommun.").
    return not text.endswith(".") or (large and cand.lines > 1)


def _marked(item: Item, level: int, body: float) -> Item:
    """A marked heading. A numbered line that is only bold (body size) stays
    plain, so the section parser checks that its number continues the numbering
    (a bold numbered list is not a run of chapters)."""
    if NUMBERED_RE.match(item.text) and item.size < body + HEADING_SIZE_GAIN:
        return replace(item, fixed=True)
    return replace(item, text=f"{'#' * level} {item.text}", fixed=True, heading=True)


def mark_headings(items: Sequence[Item], body: float, skip: set[int]) -> list[Item]:
    """``items`` with wrapped headings joined and headings written as markdown
    headings; ``skip`` holds indexes that are never headings (title, cover)."""
    prose = prose_styles(items)
    flags = [
        i not in skip and _is_candidate(it, body, prose) for i, it in enumerate(items)
    ]
    cands = _join_wrapped(items, flags, right_edges(items))
    following: list[Item | None] = [c.item for c in cands[1:]]
    heads = [
        c.candidate and _reads_as_heading(c, nxt, body)
        for c, nxt in zip(cands, [*following, None], strict=True)
    ]
    # Larger first, then bold before plain, upright before italic (Word's
    # Heading 4 is Heading 3's font in italic).
    styles = sorted(
        {c.item.style for c, head in zip(cands, heads, strict=True) if head},
        key=lambda style: (-style[0], not style[1], style[2]),
    )
    level = {style: min(rank + 1, 6) for rank, style in enumerate(styles)}
    return [
        _marked(c.item, level[c.item.style], body) if head else c.item
        for c, head in zip(cands, heads, strict=True)
    ]
