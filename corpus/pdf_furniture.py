"""Page furniture: running headers and footers, page markers.

A segment near the top or bottom edge is furniture when the same text (digits
ignored, so "Sida 2 av 9" and "Sida 3 av 9" agree) stands at about the same
height on at least half of the pages (two at least) and is not a sentence, or
when it is a page marker ("1 (9)", "Sida 2 av 9", "2/9", "- 2 -"). Furniture is dropped; the
remaining lines keep their own page numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from corpus.first_page import is_page_marker
from corpus.pdf_layout import Segment

# Running headers/footers are looked for in this share of the page at each edge.
REPEAT_ZONE = 0.12
# Page markers alone are trusted in a narrower band at each edge.
MARKER_ZONE = 0.10
# The same furniture line varies this much in height between pages (points).
Y_TOLERANCE = 4.0


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge(seg: Segment, height: float, share: float) -> str | None:
    if seg.top < share * height:
        return "top"
    if seg.bottom > (1 - share) * height:
        return "bottom"
    return None


def _slot(seg: Segment, height: float, edge: str) -> float:
    # Footers are placed from the bottom edge, so measure them from there.
    return seg.top if edge == "top" else height - seg.bottom


def _is_sentence(text: str) -> bool:
    # Body text that happens to open every page ("Uppföljningen fortsätter på
    # sidan 2.") is prose; running headers and footers are not sentences.
    return text.rstrip().endswith((".", "!", "?")) and len(text.split()) >= 4


def running_signatures(
    pages: Sequence[Sequence[Segment]], heights: Sequence[float]
) -> set[tuple[str, str, int]]:
    """(edge, text signature, height bucket) of lines repeated on most pages."""
    seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for number, (segs, height) in enumerate(zip(pages, heights, strict=True)):
        for seg in segs:
            edge = _edge(seg, height, REPEAT_ZONE)
            if edge is None or seg.table is not None or _is_sentence(seg.text):
                continue
            slot = _slot(seg, height, edge)
            # Two neighbouring buckets, so a line near a bucket edge still matches.
            for bucket in {int(slot // Y_TOLERANCE), int((slot + 2) // Y_TOLERANCE)}:
                seen[(edge, _signature(seg.text), bucket)].add(number)
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, found in seen.items() if len(found) >= needed}


def is_furniture(
    seg: Segment, height: float, running: set[tuple[str, str, int]]
) -> bool:
    if seg.table is not None:
        return False
    edge = _edge(seg, height, REPEAT_ZONE)
    if edge is None:
        return False
    if _edge(seg, height, MARKER_ZONE) and is_page_marker(seg.text):
        return True
    slot = _slot(seg, height, edge)
    signature = _signature(seg.text)
    return any(
        (edge, signature, bucket) in running
        for bucket in (int(slot // Y_TOLERANCE), int((slot + 2) // Y_TOLERANCE))
    )


def running_texts(
    pages: Sequence[Sequence[Segment]], heights: Sequence[float]
) -> tuple[str, ...]:
    """The running headers and footers (not page markers), once each, in order."""
    running = running_signatures(pages, heights)
    texts: dict[str, None] = {}
    for segs, height in zip(pages, heights, strict=True):
        for seg in segs:
            if not is_page_marker(seg.text) and is_furniture(seg, height, running):
                texts.setdefault(seg.text, None)
    return tuple(texts)


def remove_furniture(
    pages: Sequence[Sequence[Segment]], heights: Sequence[float]
) -> list[list[Segment]]:
    """Each page's segments without its running headers, footers and page markers."""
    running = running_signatures(pages, heights)
    return [
        [seg for seg in segs if not is_furniture(seg, height, running)]
        for segs, height in zip(pages, heights, strict=True)
    ]
