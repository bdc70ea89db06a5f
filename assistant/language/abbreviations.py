"""Abbreviations a text spells out: "Hållbart medarbetarengagemang (HME)",
"fördjupade översiktsplaner, FÖP". Only what the text itself explains: a meaning
from elsewhere could be wrong for the document ("KS" is a Norwegian association in
one of them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# "Hälsofrämjande ... (HME)" and "fördjupade översiktsplaner, FÖP": the long form
# right before the abbreviation, in parentheses or after a comma.
ABBREVIATION_RE = re.compile(
    r"\((?P<abbr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö0-9]{1,7})\)"
    r"|,\s*(?P<comma>[A-ZÅÄÖ]{2,6})(?=[\s.,;:)]|$)"
)
_WORD_RE = re.compile(r"[\wåäöÅÄÖ]+(?:-[\wåäöÅÄÖ]*)?")
MAX_LONG_WORDS = 8


def is_abbreviation(token: str) -> bool:
    return sum(ch.isupper() for ch in token) >= 2


def long_form(before: str, abbr: str) -> str | None:
    """The shortest run of words ending ``before`` that starts with the
    abbreviation's first letter and holds its letters in order.

    Example: long_form("Myndigheten för samhällsskydd och beredskap", "MSB")
    -> "Myndigheten för samhällsskydd och beredskap".
    """
    words = _WORD_RE.findall(before)
    letters = [ch.lower() for ch in abbr if ch.isalpha()]
    for k in range(1, min(MAX_LONG_WORDS, len(words)) + 1):
        window = words[-k:]
        if not window[0].lower().startswith(letters[0]):
            continue
        text = " ".join(window).lower()
        pos = 0
        for ch in letters:
            pos = text.find(ch, pos)
            if pos < 0:
                break
            pos += 1
        else:
            start = before.rfind(window[0])
            return before[start:].strip(" ,;:")
    return None


def spelled_out(text: str) -> Iterator[tuple[str, str]]:
    """``(abbreviation, long form)`` for each abbreviation ``text`` spells out."""
    for match in ABBREVIATION_RE.finditer(text):
        abbr = match["abbr"] or match["comma"]
        if is_abbreviation(abbr):
            long = long_form(text[: match.start()], abbr)
            if long:
                yield abbr, long


def spelled_in(texts: Iterable[str]) -> dict[str, str]:
    """The abbreviations ``texts`` spell out, lower-cased, each with its long form
    ("hme" -> "Hållbart medarbetarengagemang"); one spelled out two ways is left
    out (which one a question means is unknown)."""
    forms: dict[str, set[str]] = {}
    for text in texts:
        for abbr, long in spelled_out(text):
            forms.setdefault(abbr.lower(), set()).add(long.lower())
    return {abbr: next(iter(longs)) for abbr, longs in forms.items() if len(longs) == 1}
