"""Join words a layout broke with a hyphen at a line end ("kommun-" / "styrelsen").

The hyphen goes when the joined word is one the document uses elsewhere or the
second part starts in lower case; it stays (without a space) when the hyphenated
form is the document's own ("IT-strategi"), the first part ends in a capital or
digit or is one letter ("e-tjänst"); an elided compound ("personal- och ekonomi...") is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from corpus.first_page import words

_WORD_RE = re.compile(r"[A-Za-zÅÄÖåäöÉé0-9]+(?:-[A-Za-zÅÄÖåäöÉé0-9]+)*")
_BROKEN_RE = re.compile(r"([A-Za-zÅÄÖåäöÉé0-9]+)[-\u00ad]$")
_NEXT_RE = re.compile(r"^([A-Za-zÅÄÖåäöÉé0-9]+)(\S*)\s*")


def vocabulary(lines: Collection[str]) -> set[str]:
    """Lower-cased words (hyphenated forms included) of a document."""
    found: set[str] = set()
    for line in lines:
        for word in _WORD_RE.findall(line):
            found.add(word.lower())
    return found


def join_parts(first: str, second: str, known: Collection[str]) -> str | None:
    """The joined word for "first-" + "second", or None to keep the break."""
    if second.lower() in words()["hyphen_keep_before"]:
        return None
    closed, hyphened = first + second, f"{first}-{second}"
    if closed.lower() in known:
        return closed
    if (
        hyphened.lower() in known
        or first[-1].isupper()
        or first[-1].isdigit()
        or len(first) == 1  # "e-tjänst", "c-hallen": no syllable is one letter
    ):
        return hyphened
    if second[:1].islower():
        return closed
    return None


def join_broken_lines(lines: list[str], known: Collection[str]) -> list[str]:
    """Lines with a word broken at a line end moved up whole onto the first line.

    A line left empty by the move is dropped only when it held nothing else, so
    callers keep one output line per input line unless stated otherwise.
    """
    out = list(lines)
    for i in range(len(out) - 1):
        broken = _BROKEN_RE.search(out[i].rstrip())
        nxt = _NEXT_RE.match(out[i + 1].lstrip())
        if not broken or not nxt or "\t" in out[i] or "\t" in out[i + 1]:
            continue
        joined = join_parts(broken[1], nxt[1], known)
        if joined is None:
            continue
        head = out[i].rstrip()[: broken.start()]
        out[i] = f"{head}{joined}{nxt[2]}"
        out[i + 1] = out[i + 1].lstrip()[nxt.end() :]
    return out


def join_in_cell(text: str, known: Collection[str]) -> str:
    """A table cell's wrapped lines joined by spaces, broken words rejoined (used
    when rows are folded together: corpus.pdf_wrapped_rows, corpus.pdf_table_repair)."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    return " ".join(p for p in join_broken_lines(parts, known) if p)
