"""Whether a text answer states the amount of money its question asks for.

A question asking what something costs, saves or is budgeted at is answered by a
figure; the sentence chosen for it may state none (the assignment's status, the
date a change was made). Then the documents do not give the amount there, and
the answer says so instead of quoting the neighbouring sentence.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.language.lexicon import words_of
from assistant.language.vocabulary import fold, words

# What is not an amount: a date ("2022-10-27"; "31 augusti", see _day_of_month), a year or a span of
# years ("2023–2027"), a share ("50 procent", "4,5 %"), a citation marker and a list
# item's number ("6. Utbildning inom ...").
_NOT_AMOUNTS = (
    re.compile(r"\[\d+\]"),
    re.compile(r"(?:^|\s)\d{1,2}\.\s+(?=[A-ZÅÄÖ])"),
    re.compile(r"\b\d{4}-\d\d-\d\d\b"),
    re.compile(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\b"),
    re.compile(r"\d[\d\s]*(?:,\d+)?\s*(?:%|procent|percent)", re.I),
)
_FIGURE = re.compile(r"\d")


def asks_for_money(question: str) -> bool:
    """The question asks what something costs, saves or is budgeted at."""
    return bool(
        set(words(fold(question))) & set(words_of("question_words", "money_words"))
    )


def states_amount(text: str) -> bool:
    """``text`` holds a figure that may be an amount (not a date, year or share)."""
    for pattern in (*_NOT_AMOUNTS, _day_of_month()):
        text = pattern.sub(" ", text)
    return bool(_FIGURE.search(text))


@cache
def _day_of_month() -> re.Pattern[str]:
    """A day before a month's name ("31 augusti", "19 June")."""
    months = "|".join(map(re.escape, words_of("question_words", "months")))
    return re.compile(rf"\b\d{{1,2}}\s+(?:{months})\b", re.I)
