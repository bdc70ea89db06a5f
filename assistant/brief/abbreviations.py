"""Abbreviations and terms the document explains: "Hållbart medarbetarengagemang
(HME)", "fördjupade översiktsplaner, FÖP" and glossary sections ("KPI – nyckeltal").
Only what the document itself explains: a meaning from elsewhere could be wrong for
the document ("KS" is a Norwegian association in one of them)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.brief.models import BriefItem
from assistant.brief.source import DocumentView
from assistant.language.abbreviations import (
    ABBREVIATION_RE,
    is_abbreviation,
    long_form,
)
from corpus.models import Section
from corpus.text import plain

_DEFINITION_RE = re.compile(
    r"^(?P<term>[^\t:–]{2,40}?)\s*(?:\t+|\s[–-]\s|:\s)(?P<text>\S.{3,})$"
)


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
        for match in ABBREVIATION_RE.finditer(text):
            abbr = match["abbr"] or match["comma"]
            if not is_abbreviation(abbr) or abbr.lower() in found:
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
