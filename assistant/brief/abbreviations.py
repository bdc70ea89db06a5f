"""Abbreviations and terms the document explains: "Hållbart medarbetarengagemang
(HME)", "fördjupade översiktsplaner, FÖP" and glossary sections ("KPI – nyckeltal").
Only what the document itself explains: a meaning from elsewhere could be wrong for
the document ("KS" is a Norwegian association in one of them)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.brief.models import BriefItem
from assistant.brief.source import DocumentView
from corpus.models import Section
from corpus.text import plain

# "Hälsofrämjande ... (HME)" and "fördjupade översiktsplaner, FÖP": the long form
# right before the abbreviation, in parentheses or after a comma.
_PAREN_RE = re.compile(
    r"\((?P<abbr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö0-9]{1,7})\)"
    r"|,\s*(?P<comma>[A-ZÅÄÖ]{2,6})(?=[\s.,;:)]|$)"
)
_WORD_RE = re.compile(r"[\wåäöÅÄÖ]+(?:-[\wåäöÅÄÖ]*)?")
_DEFINITION_RE = re.compile(
    r"^(?P<term>[^\t:–]{2,40}?)\s*(?:\t+|\s[–-]\s|:\s)(?P<text>\S.{3,})$"
)
MAX_LONG_WORDS = 8


def _is_abbreviation(token: str) -> bool:
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


def abbreviation_items(
    view: DocumentView,
    glossary_sections: Sequence[Section],
    limit: int,
) -> list[BriefItem]:
    found: dict[str, BriefItem] = {}
    for section in glossary_sections:
        for n in view.body_lines(section):
            match = _DEFINITION_RE.match(plain(view.lines[n - 1]))
            if match and match["term"].strip().lower() not in found:
                term = match["term"].strip()
                found[term.lower()] = BriefItem(
                    f"{term} – {match['text'].strip()}", (), (view.cite(n),)
                )
    for n, raw in enumerate(view.lines, start=1):
        text = plain(raw)
        for match in _PAREN_RE.finditer(text):
            abbr = match["abbr"] or match["comma"]
            if not _is_abbreviation(abbr) or abbr.lower() in found:
                continue
            before, start = text[: match.start()], n
            long = long_form(before, abbr)
            if long is None and n > 1 and before.strip() == before.strip()[:20]:
                # The long form may end the line above ("Sveriges Kommuner och\nRegioner (SKR)").
                before = f"{plain(view.lines[n - 2])} {before}"
                long, start = long_form(before, abbr), n - 1
            if long:
                found[abbr.lower()] = BriefItem(
                    f"{abbr} – {long}", (), (view.cite(start, n),)
                )
    return list(found.values())[:limit]
