"""Words of a PDF page → line segments with font size and weight → reading order.

A visual line is split into segments where the gap between words is wider than
a wide space; segments are then ordered block by block: consecutive bands of the
page that share an empty vertical gutter (two columns, a text box beside text)
are read column by column when both sides hold prose, otherwise (a borderless
table, "Datum:  2024-03-12") each visual line is one row whose segments are
joined by tabs, so the table parser sees it as a table row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median
from typing import Any

# A gap wider than this many font sizes ends a segment (a wide space is ~0.5).
SEGMENT_GAP_EM = 1.3
# A justified line never stretches a space wider than this many font sizes.
MAX_JUSTIFIED_GAP_EM = 4.0
# A column gutter is at least this wide (points) and this many font sizes.
MIN_GUTTER_PT = 9.0
# Both sides of a column split hold prose: this many words per segment on average.
MIN_COLUMN_WORDS = 2.5
# A narrow gutter (justified columns set close, ~1 font size apart) is a gap between
# two words of prose at least this many font sizes wide that the lines around it
# share: at least MIN_ALIGNED_LINES of the ALIGN_WINDOW nearest lines have a gap
# overlapping it by COLUMN_OVERLAP_EM. A word space is ~0.25-0.5 em and a stretched
# one rarely lines up with those of several neighbours, so prose in one column
# stays one segment; two columns' lines break at the gutter even when it is
# narrower than SEGMENT_GAP_EM.
COLUMN_GAP_EM = 0.8
COLUMN_OVERLAP_EM = 0.4
ALIGN_WINDOW = 6
MIN_ALIGNED_LINES = 3
_BOLD_MARKS = ("bold", "black", "heavy", "semibold", "demi")


@dataclass(frozen=True)
class Segment:
    """Words on one visual line between wide gaps, or a placeholder for a table."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size of most of its characters
    bold: bool
    words: int
    table: int | None = None  # index of the page table this box stands for
    italic: bool = False
    # The right edge of the column it was read in (a gutter's left side): where
    # its lines wrap, though the page's text elsewhere runs wider.
    column_end: float | None = None


def is_italic(fontname: str) -> bool:
    name = fontname.lower().split("+")[-1]
    return "italic" in name or "oblique" in name


def is_bold(fontname: str) -> bool:
    name = fontname.lower().split("+")[-1]
    return any(mark in name for mark in _BOLD_MARKS)


def _segment(words: Sequence[dict[str, Any]]) -> Segment:
    sizes: dict[float, int] = {}
    for w in words:
        size = round(float(w.get("size", 0.0)), 1)
        sizes[size] = sizes.get(size, 0) + len(w["text"])
    lettered = [w for w in words if any(c.isalnum() for c in w["text"])] or list(words)
    return Segment(
        text=" ".join(w["text"] for w in words),
        x0=min(w["x0"] for w in words),
        x1=max(w["x1"] for w in words),
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=max(sizes, key=lambda s: sizes[s]),
        bold=all(is_bold(str(w.get("fontname", ""))) for w in lettered),
        words=len(words),
        italic=all(is_italic(str(w.get("fontname", ""))) for w in lettered),
    )


def _visual_lines(words: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped by baseline (within a third of the font size), top to bottom."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        tolerance = max(1.5, 0.35 * float(word.get("size", 10.0)))
        if lines and abs(lines[-1][-1]["bottom"] - word["bottom"]) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def segments(words: Sequence[dict[str, Any]]) -> list[Segment]:
    """Line segments of a page's words (``extract_words`` dicts with size/fontname)."""
    out: list[Segment] = []
    lines = _visual_lines(words)
    sizes = [median(float(w.get("size", 10.0)) for w in line) for line in lines]
    gutters = _column_gaps(lines, sizes)
    for n, line in enumerate(lines):
        # Never joined across a gutter, even as one justified line.
        for column in _split_at(line, gutters[n]):
            out += _line_segments(column, lines, n, sizes[n])
    return out


def _line_segments(
    line: Sequence[dict[str, Any]],
    lines: Sequence[Sequence[dict[str, Any]]],
    n: int,
    size: float,
) -> list[Segment]:
    pieces = [[line[0]]]
    for word in line[1:]:
        if word["x0"] - pieces[-1][-1]["x1"] > SEGMENT_GAP_EM * size:
            pieces.append([])
        pieces[-1].append(word)
    out: list[Segment] = []
    i = 0
    while i < len(pieces):
        # The longest run of pieces from i that is one justified line.
        j = next(
            (
                j
                for j in range(len(pieces), i + 1, -1)
                if _justified([w for p in pieces[i:j] for w in p], lines, n, size)
            ),
            i + 1,
        )
        out.append(_segment([w for p in pieces[i:j] for w in p]))
        i = j
    return out


def _prose_gaps(
    line: Sequence[dict[str, Any]], size: float
) -> list[tuple[float, float]]:
    """Gaps at least COLUMN_GAP_EM wide between two words with letters."""
    return [
        (a["x1"], b["x0"])
        for a, b in pairwise(line)
        if b["x0"] - a["x1"] >= COLUMN_GAP_EM * size
        and any(c.isalpha() for c in a["text"])
        and any(c.isalpha() for c in b["text"])
    ]


def _column_gaps(
    lines: Sequence[Sequence[dict[str, Any]]], sizes: Sequence[float]
) -> list[list[tuple[float, float]]]:
    """Per visual line, its prose gaps that the neighbouring lines share (a gutter)."""
    gaps = [_prose_gaps(line, size) for line, size in zip(lines, sizes, strict=True)]
    out: list[list[tuple[float, float]]] = []
    for n, own in enumerate(gaps):
        size = sizes[n]
        # The nearest lines are within ALIGN_WINDOW of n: sort only those (the
        # page's lines each time made this quadratic in the lines of a page).
        around = range(max(0, n - ALIGN_WINDOW), min(len(lines), n + ALIGN_WINDOW + 1))
        near = sorted((k for k in around if k != n), key=lambda k: abs(k - n))[
            :ALIGN_WINDOW
        ]
        out.append(
            [
                (x0, x1)
                for x0, x1 in own
                if sum(
                    any(
                        min(x1, b) - max(x0, a) >= COLUMN_OVERLAP_EM * size
                        for a, b in gaps[k]
                    )
                    for k in near
                )
                >= MIN_ALIGNED_LINES
            ]
        )
    return out


def _split_at(
    line: Sequence[dict[str, Any]], gutters: Sequence[tuple[float, float]]
) -> list[list[dict[str, Any]]]:
    parts: list[list[dict[str, Any]]] = [[line[0]]]
    for a, b in pairwise(line):
        if any(a["x1"] <= x0 + 0.01 and b["x0"] >= x1 - 0.01 for x0, x1 in gutters):
            parts.append([])
        parts[-1].append(b)
    return parts


def _same_edges(
    piece: Sequence[dict[str, Any]], other: Sequence[dict[str, Any]]
) -> bool:
    x0, x1 = piece[0]["x0"], piece[-1]["x1"]
    inside = [w for w in other if w["x1"] > x0 - 2 and w["x0"] < x1 + 3]
    size = float(piece[0].get("size", 10.0))
    return (
        bool(inside)
        and all(
            b["x0"] - a["x1"] <= MAX_JUSTIFIED_GAP_EM * size
            for a, b in pairwise(inside)
        )
        and abs(inside[0]["x0"] - x0) <= 2
        and abs(inside[-1]["x1"] - x1) <= 3
    )


def _justified(
    piece: Sequence[dict[str, Any]],
    lines: Sequence[Sequence[dict[str, Any]]],
    n: int,
    size: float,
) -> bool:
    """Justified prose: every gap stretched alike, not a row of figures, and
    (with fewer than three gaps) a line just above or below with the same edges."""
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(piece)]
    if not gaps or max(gaps) - min(gaps) > 0.3 * max(gaps) + 1:
        return False
    if max(gaps) > MAX_JUSTIFIED_GAP_EM * size:
        return False  # wider than any stretched space: a gutter or a table gap
    if sum(any(ch.isdigit() for ch in w["text"]) for w in piece) >= len(piece) / 2:
        return False
    if len(gaps) >= 3:
        return True
    bottom = piece[0]["bottom"]
    near = [
        other
        for k, other in enumerate(lines)
        if k != n and abs(other[0]["bottom"] - bottom) <= 2.2 * size
    ]
    return any(_same_edges(piece, other) for other in near)


def _bands(segs: Sequence[Segment]) -> list[list[Segment]]:
    """Horizontal bands separated by a y-range no segment overlaps."""
    bands: list[list[Segment]] = []
    bottom = float("-inf")
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        if bands and seg.top < bottom - 0.5:
            bands[-1].append(seg)
            bottom = max(bottom, seg.bottom)
        else:
            bands.append([seg])
            bottom = seg.bottom
    return bands


def _gutters(segs: list[Segment]) -> list[tuple[float, float]]:
    """Empty x-ranges between the segments' horizontal extents."""
    spans = sorted((s.x0, s.x1) for s in segs)
    if not spans:
        return []
    width = max(MIN_GUTTER_PT, 0.8 * median(s.size for s in segs))
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= width:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _is_column_split(left: list[Segment], right: list[Segment]) -> bool:
    """Prose on both sides of the gutter (not a label/number grid) and more than one row."""
    if not left or not right:
        return False
    rows = max(len(_visual_rows(left)), len(_visual_rows(right)))
    if rows < 2:
        return False
    return all(
        sum(s.words for s in side) / len(side) >= MIN_COLUMN_WORDS
        for side in (left, right)
    )


def _visual_rows(segs: Sequence[Segment]) -> list[list[Segment]]:
    rows: list[list[Segment]] = []
    for seg in sorted(segs, key=lambda s: (s.bottom, s.x0)):
        tolerance = max(1.5, 0.35 * seg.size)
        if rows and abs(rows[-1][-1].bottom - seg.bottom) <= tolerance:
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [sorted(row, key=lambda s: s.x0) for row in rows]


def reading_order(segs: Sequence[Segment]) -> list[list[Segment]]:
    """Rows of segments in reading order (a row's segments are tab-joined later)."""
    bands = _bands(segs)
    out: list[list[Segment]] = []
    i = 0
    while i < len(bands):
        run = list(bands[i])
        gaps = _gutters(run)
        j = i + 1
        while j < len(bands):
            wider = _gutters(run + bands[j])
            if not wider:
                break
            run += bands[j]
            gaps = wider
            j += 1
        split = None
        low = 0.0
        for low, high in gaps:
            left = [s for s in run if s.x1 <= low + 0.5]
            right = [s for s in run if s.x0 >= high - 0.5]
            if _is_column_split(left, right):
                split = (left, right)
                break
        if split is not None:
            left = [
                replace(s, column_end=min(low, s.column_end or low)) for s in split[0]
            ]
            out += reading_order(left) + reading_order(split[1])
            i = j
            continue
        out += _visual_rows(bands[i])
        i += 1
    return out
