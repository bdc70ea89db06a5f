"""The text of each cell of a ruled PDF table, with words broken by the cell edge rejoined.

A word longer than its cell is wide is broken by the layout at whatever character
reaches the cell's right edge ("Personalkost" / "nader"), without a hyphen. The
geometry says where that may have happened: the piece is the only word on its
line, no space glyph ends the line (a writer that prints spaces marks a wrap at a
word's end so) and the next line's first character would not have fitted after it
inside the cell's padding. An ordinary wrap after a long word looks the same
("sammanställning" / "och"), so such a break is marked (``EDGE_BREAK``) and
decided once the whole document's words are known (``close_breaks``): the pieces
stay apart when the second is a word the document uses elsewhere and the joined
form is not. Every other line break is a space; words broken with a hyphen are
joined as in running text (``corpus.hyphenation``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from corpus.hyphenation import join_parts
from corpus.lexicon import Lexicon

# Mark a possible edge break and a line-end hyphen in a cell's text until
# ``close_breaks`` decides them.
EDGE_BREAK = "\ue000"
HYPHEN_BREAK = "\ue001"
# A cell's last line is one word that reached the edge: when the row goes on on
# the next page, its rest may be that word's (``pdf_continued`` joins them).
EDGE_END = "\ue002"
_TOKEN = r"[A-Za-zÅÄÖåäöÉé0-9]+(?:-[A-Za-zÅÄÖåäöÉé0-9]+)*"
_LAST_RE = re.compile(rf"({_TOKEN})$")
_FIRST_RE = re.compile(rf"^({_TOKEN})")
_WHOLE_RE = re.compile(_TOKEN)
_HYPHENATED_RE = re.compile(r"[A-Za-zÅÄÖåäöÉé0-9][-\u00ad]$")
_HYPHEN_BREAK_RE = re.compile(
    rf"([A-Za-zÅÄÖåäöÉé0-9]+)([-\u00ad]){HYPHEN_BREAK}([A-Za-zÅÄÖåäöÉé0-9]+)"
)
_CLOSING = tuple(".,;:!?)]")
_RANGE_RE = re.compile(r"[0-9]–$")
_PUNCTUATION = ".,;:!?()[]\"'”“’»«/"

# A character "would not fit" when it ends beyond the cell's inner edge minus this (pt).
EDGE_TOLERANCE_PT = 1.0
# A word of up to this many letters is taken for a word only with several uses.
MIN_SHORT_PIECE = 2
MIN_SHORT_WORD_USES = 5
# Breaks in a row decided together (2**n splits tried); longer chains close up.
MAX_CHAIN = 8
# The shortest word taken as the end of a misspelt compound.
MIN_SUFFIX_WORD = 5
# Lines whose tops differ by less than this share of the font size are one line.
LINE_TOLERANCE = 0.5
_Bbox = tuple[float, float, float, float]


def _inside(char: dict[str, Any], bbox: Sequence[float]) -> bool:
    # As pdfplumber's own table extraction: the character's centre decides.
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _lines(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words (pdfplumber ``extract_words`` dicts with their chars) by visual line."""
    from pdfplumber.utils import extract_words

    lines: list[list[dict[str, Any]]] = []
    for word in sorted(
        extract_words(list(chars), return_chars=True), key=lambda w: (w["top"], w["x0"])
    ):
        size = max(float(c.get("size", 10.0)) for c in word["chars"])
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= LINE_TOLERANCE * size:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _space_after(
    line: Sequence[dict[str, Any]], chars: Sequence[dict[str, Any]]
) -> bool:
    """A space glyph follows the line's last word: the layout wrapped at a word's end."""
    last = line[-1]
    size = max(float(c.get("size", 10.0)) for c in last["chars"])
    return any(
        c["text"].isspace()
        and abs(float(c["top"]) - float(last["top"])) <= LINE_TOLERANCE * size
        and float(c["x0"]) >= float(last["x1"]) - EDGE_TOLERANCE_PT
        for c in chars
    )


def edge_broken(
    line: Sequence[dict[str, Any]],
    nxt: Sequence[dict[str, Any]],
    inner_right: float,
    chars: Sequence[dict[str, Any]] = (),
) -> bool:
    """The word alone on ``line`` was broken by the cell edge and goes on in ``nxt``
    (never when a space glyph of ``chars`` ends the line)."""
    if len(line) != 1 or not nxt or _space_after(line, chars):
        return False
    piece, first = line[0]["text"], nxt[0]["chars"][0]
    if not (piece[-1:].isalnum() and first["text"].isalnum()):
        return False
    width = float(first["x1"]) - float(first["x0"])
    return float(line[0]["x1"]) + width > inner_right - EDGE_TOLERANCE_PT


def cell_text(
    chars: Sequence[dict[str, Any]], inner_right: float, inner_left: float | None = None
) -> str:
    """A cell's lines joined by spaces; a possible edge break is marked
    ``EDGE_BREAK``, a line ending in a hyphen ``HYPHEN_BREAK`` (both decided by
    ``close_breaks`` with the whole document's words)."""
    lines = _lines(chars)
    texts = [" ".join(w["text"] for w in line) for line in lines]
    out = texts[0] if texts else ""
    for k in range(1, len(texts)):
        if edge_broken(lines[k - 1], lines[k], inner_right, chars):
            out += EDGE_BREAK
        elif _HYPHENATED_RE.search(out) and texts[k][:1].isalnum():
            out += HYPHEN_BREAK
        elif texts[k][:1] in _CLOSING:
            pass  # "upphandlingsprocessen" / ".": the stop of a word broken before it
        elif _RANGE_RE.search(out) and texts[k][:1].isdigit():
            pass  # "2023–" / "2027": a range of figures broken after its dash
        else:
            out += " "
        out += texts[k]
    if (
        lines
        and inner_left is not None
        and not _space_after(lines[-1], chars)
        and _ends_at_edge(lines[-1], inner_left, inner_right)
    ):
        out += EDGE_END
    return out


def _ends_at_edge(
    line: Sequence[dict[str, Any]], inner_left: float, inner_right: float
) -> bool:
    """``line`` is one word ending in a letter, set from the cell's left edge
    (running text, not a right-aligned or centred label), and a letter as wide
    as its average one would not have fitted after it: a row split by a page
    break may go on with the rest of the word."""
    if len(line) != 1 or not line[0]["text"][-1:].isalpha():
        return False
    word = line[0]
    if abs(float(word["x0"]) - inner_left) > EDGE_TOLERANCE_PT:
        return False
    width = (float(word["x1"]) - float(word["x0"])) / max(1, len(word["text"]))
    return float(word["x1"]) + width > inner_right - EDGE_TOLERANCE_PT


def padding(per_cell: dict[_Bbox, list[dict[str, Any]]]) -> float:
    """The table's cell padding: the smallest gap from a cell's left edge to its
    text (right-aligned and centred cells have wider gaps)."""
    gaps = [
        min(float(c["x0"]) for c in printed) - cell[0]
        for cell, inside in per_cell.items()
        if (printed := [c for c in inside if c["text"].strip()])
    ]
    return max(0.0, min(gaps, default=0.0))


def cell_texts(table: Any) -> dict[_Bbox, str]:
    """Text of every cell of a pdfplumber table, keyed by the cell's bbox."""
    # Space characters stay: some writers set words closer than pdfplumber's
    # word gap and only the space glyph separates them.
    chars = [c for c in table.page.chars if _inside(c, table.bbox)]
    per_cell: dict[_Bbox, list[dict[str, Any]]] = {}
    for row in table.rows:
        row_chars = [c for c in chars if _inside(c, row.bbox)]
        for bbox in row.cells:
            if bbox is not None:
                per_cell[tuple(bbox)] = [c for c in row_chars if _inside(c, bbox)]
    pad = padding(per_cell)
    # Only the last row can be split by the page break below the table.
    last = (
        {tuple(b) for b in table.rows[-1].cells if b is not None}
        if table.rows
        else set()
    )
    return {
        bbox: cell_text(inside, bbox[2] - pad, bbox[0] + pad if bbox in last else None)
        if inside
        else ""
        for bbox, inside in per_cell.items()
    }


def whole_words(texts: Iterable[str]) -> Counter[str]:
    """Lower-cased words of ``texts`` standing between spaces (punctuation
    around them stripped) with their counts, so "t.ex." or "m.m." give no
    one-letter words and a possible edge break gives no pieces."""
    found: Counter[str] = Counter()
    for text in texts:
        for token in text.split():
            word = token.strip(_PUNCTUATION)
            if word and word.replace("-", "").isalnum():
                found[word.lower()] += 1
    return found


def _is_word(piece: str, known: Counter[str], lexicon: Lexicon | None = None) -> bool:
    # A piece of one or two letters ("t", "m", "er") is a word only when the
    # document uses it often ("i", "en"), not once in "5 m".
    short = len(piece) <= MIN_SHORT_PIECE
    if known[piece.lower()] >= (MIN_SHORT_WORD_USES if short else 1):
        return True
    if not any(ch.isalpha() for ch in piece):
        return True  # a figure or a date is whole ("avläsningsdatum" / "2023-08-18")
    if short or lexicon is None:
        return False
    return lexicon.is_word(piece) or all(
        len(p) > MIN_SHORT_PIECE and lexicon.is_word(p) for p in piece.split("-")
    )


def _hyphen(match: re.Match[str], known: Counter[str]) -> str:
    joined = join_parts(match[1], match[3], known)
    return f"{match[1]}{match[2]} {match[3]}" if joined is None else joined


def _kept_apart(part: str) -> bool:
    """The line after a possible break starts with what is not a word's rest: an
    abbreviation ("investeringar" / "m.m.") or an elided compound ("läs- och")."""
    first = part.split()[0] if part.split() else ""
    token = first.split("/")[0].strip(_PUNCTUATION)  # "tjänst" / "en/entreprenaden"
    return not token.replace("-", "").isalnum() or (
        token.endswith("-") and len(token) > MIN_SHORT_PIECE + 1
    )


def _ends_across(token: str, joint: int, words: Callable[[str], bool]) -> bool:
    """A word of ``MIN_SUFFIX_WORD``+ letters ends ``token`` and starts before the
    break at ``joint``: a misspelt compound ("handlägnings|rutiner") is still one."""
    last = len(token) - MIN_SUFFIX_WORD
    return any(words(token[i:]) for i in range(1, min(joint, last + 1)))


def _cost(
    pieces: Sequence[str], closed: int, words: Callable[[str], bool]
) -> tuple[int, int, int]:
    """How unlikely the chain ``pieces`` is with the breaks in the bit mask
    ``closed`` closed up: fewer non-words first (a non-word ending in a word
    across a break counts half); with some, more lines starting with a word;
    then fewer tokens (a Swedish compound is written as one word)."""
    tokens, joints = [pieces[0]], [0]
    for k, piece in enumerate(pieces[1:]):
        if closed >> k & 1:
            joints[-1] = len(tokens[-1])
            tokens[-1] += piece
        else:
            tokens.append(piece)
            joints.append(0)
    found = [words(t) for t in tokens]
    bad = sum(
        1 if joint and _ends_across(token, joint, words) else 2
        for token, joint, ok in zip(tokens, joints, found, strict=True)
        if not ok
    )
    # A line that starts with a word is more likely a wrap than a word's rest.
    return (bad, 0 if bad == 0 else -sum(found[1:]), len(tokens))


def _decide_chain(
    pieces: Sequence[str], forced_apart: Sequence[bool], words: Callable[[str], bool]
) -> list[bool]:
    """Close (True) or keep apart each break of a chain of pieces."""
    n = len(pieces) - 1
    if n > MAX_CHAIN:
        return [not f for f in forced_apart]
    allowed = [
        m
        for m in range(1 << n)
        if not any(f and m >> k & 1 for k, f in enumerate(forced_apart))
    ]
    best = min(allowed, key=lambda m: (_cost(pieces, m, words), -m))
    return [bool(best >> k & 1) for k in range(n)]


def _decisions(parts: Sequence[str], words: Callable[[str], bool]) -> list[bool]:
    """For each ``EDGE_BREAK`` between ``parts``: close up (True) or not.

    Consecutive breaks around a one-word line ("Kommun" / "ikations" / "policy")
    form one chain decided together."""
    decisions: list[bool] = []
    k = 1
    while k < len(parts):
        left = _LAST_RE.search(parts[k - 1])
        end = k
        while end + 1 < len(parts) and _WHOLE_RE.fullmatch(parts[end]):
            end += 1
        right = _FIRST_RE.match(parts[end])
        if left is None or right is None:
            decisions += [True] * (end - k + 1)
        else:
            pieces = [left[1], *parts[k:end], right[1]]
            forced = [False] * (end - k) + [_kept_apart(parts[end])]
            decisions += _decide_chain(pieces, forced, words)
        k = end + 1
    return decisions


def close_breaks(text: str, known: Counter[str], lexicon: Lexicon | None = None) -> str:
    """``text`` with each ``EDGE_BREAK`` decided: the pieces around a break (or a
    chain of breaks) are split into the fewest non-words, words being those the
    document uses (``known``: lower-case word counts) or, with ``lexicon``,
    Swedish words and compounds; among splits into words only the one with the
    fewest tokens wins ("Kapitaltjänst" / "kostnader" closes up), among others
    the one with most words ("sammanställning" / "och" stays apart,
    "Indikat" / "orer" closes up). Each ``HYPHEN_BREAK`` is decided as in running
    text (``corpus.hyphenation.join_parts``: "jan-" / "aug" stays "jan-aug" when
    the document writes it so)."""
    text = _HYPHEN_BREAK_RE.sub(lambda m: _hyphen(m, known), text)
    text = text.replace(HYPHEN_BREAK, " ")
    if EDGE_BREAK not in text:
        return text
    parts = text.split(EDGE_BREAK)
    decisions = _decisions(parts, lambda w: _is_word(w, known, lexicon))
    out = parts[0]
    for part, closed in zip(parts[1:], decisions, strict=True):
        out += ("" if closed else " ") + part
    return out
