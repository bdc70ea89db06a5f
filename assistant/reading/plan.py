"""A question read into a plan: its parts, each interpreted, with its answer type.

"Hur många kontorsarbetsplatser har KS i Mark, och vad kostar de per år?" has two
parts; the second is read as a follow-up of the first, so it keeps the first part's
place, body and topic ("de"). Every later stage consumes the plan's queries; none
re-reads the raw question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from assistant.language.lexicon import words_of
from assistant.language.vocabulary import (
    PART_REFERENCES,
    PERIOD_WORDS,
    content_words,
    fold,
    words,
)
from assistant.models import Query
from assistant.reading.query import Catalog, find_municipality, interpret

MAX_PARTS = 3  # a longer chain of "och vad ..." is rare and better asked apart

ANSWER_TYPES = ("date", "person", "reason", "list", "number", "definition", "text")


@dataclass(frozen=True)
class Part:
    """One question of a multi-part question, interpreted in its chat context."""

    text: str
    query: Query
    answer_type: str  # one of ANSWER_TYPES


@dataclass(frozen=True)
class Plan:
    question: str
    parts: tuple[Part, ...]

    def describe(self) -> list[dict[str, Any]]:
        return [
            {"text": p.text, "answer_type": p.answer_type, **p.query.describe()}
            for p in self.parts
        ]


@cache
def _part_boundary() -> re.Pattern[str]:
    conjunctions = "|".join(
        map(re.escape, words_of("question_words", "part_conjunctions"))
    )
    asks = "|".join(map(re.escape, words_of("question_words", "interrogatives")))
    # ", och vad ...", " and why ...", ", och under vilka år ...", ", how much ...":
    # a conjunction or a comma opening a new question; or a question mark.
    return re.compile(
        rf"(?:(?:\s*,\s*|\s+)(?:{conjunctions})\s+|\s*,\s*)"
        rf"(?=(?:\w+\s+)?(?:{asks})\b)|(?<=\?)\s+(?=\S)",
        re.IGNORECASE,
    )


def split_parts(question: str) -> list[str]:
    """The questions inside ``question``: split where a conjunction (or a question
    mark) starts a new question. A piece too short to stand alone, or following a
    lead-in that asks nothing, stays joined to its neighbour as written."""
    text = question.strip()
    cuts = [
        (m.start(), m.end())
        for m in _part_boundary().finditer(text)
        if m.end() < len(text)
    ]
    bounds = [0, *(i for cut in cuts for i in cut), len(text)]
    pieces = [text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    seps = [text[a:b] for a, b in cuts]
    parts = [pieces[0]]
    for sep, piece in zip(seps, pieces[1:], strict=True):
        body = piece.strip(" ,;")
        if (
            not topic_words(body)
            or len(body.split()) < 3
            or len(parts[-1].split()) < 3
            or not _asks(parts[-1])
        ):
            parts[-1] = f"{parts[-1]}{sep}{piece}"
        else:
            parts.append(body)
    parts = [p.strip(" ,;") for p in parts]
    if len(parts) > MAX_PARTS:
        parts = [*parts[: MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1 :])]
    return [p for p in parts if p] or [text]


def topic_words(text: str) -> list[str]:
    """Content words other than period words: "och under vilka år?" has none, so
    it asks for the period of the question before, not a question of its own."""
    return [w for w in content_words(text) if w not in PERIOD_WORDS]


def _asks(text: str) -> bool:
    """Whether ``text`` is a question of its own (has a question word or a "?"),
    not a lead-in such as "In Mark's digitalisation plan, what ..."."""
    asks = words_of("question_words", "interrogatives")
    low = fold(text)
    return text.rstrip().endswith("?") or any(
        re.search(rf"\b{re.escape(w)}\b", low) for w in asks
    )


def has_cue(low: str, key: str) -> bool:
    """``low`` holds one of the cues of the list ``key`` as whole words."""
    return any(
        re.search(rf"(?:^|\W){re.escape(cue)}\b", low)
        for cue in words_of("question_words", key)
    )


# (asks, answer type) in order: the first that asks decides; a "när" question with a
# year wants a date, not a figure of that year, and "Vilka poäng ..." (a list of
# figures) is still figures.
_ANSWER_CUES: tuple[tuple[Callable[[Query, str], bool], str], ...] = (
    (lambda query, low: query.wants_time, "date"),
    (lambda query, low: query.wants_person, "person"),
    (lambda query, low: has_cue(low, "reason_cues"), "reason"),
    # "Vad menas med budgetavvikelse?" asks what the measure is, not its figure.
    (lambda query, low: has_cue(low, "meaning_cues"), "definition"),
    # A broad question naming a measure ("vad ska jag känna till om budgeten?")
    # asks for the gist of it, not one figure.
    (
        lambda query, low: bool(
            query.wants_number or (query.metrics and not query.wants_overview)
        ),
        "number",
    ),
    (lambda query, low: query.wants_list, "list"),
    (lambda query, low: has_cue(low, "definition_cues"), "definition"),
)


def answer_type(query: Query) -> str:
    """What kind of answer the part asks for (the first cue that matches, else
    "text")."""
    low = fold(query.text)
    return next((kind for asks, kind in _ANSWER_CUES if asks(query, low)), "text")


def split_introduction(question: str) -> tuple[str, str]:
    """``(introduction, question)``: a lead-in saying who asks, ended by a dash or a
    colon, split off when what follows is a question; else ``("", question)``."""
    low = fold(question).lstrip()
    if not low.startswith(words_of("question_words", "self_introductions")):
        return "", question
    match = re.search(r"\s[–—:-]\s+|:\s+", question)
    if match is None:
        return "", question
    rest = question[match.end() :].strip()
    if not _asks(rest):
        return "", question
    return question[: match.start()].strip(), rest


def make_plan(
    question: str, history: Sequence[str], catalog: Catalog, *, split: bool = True
) -> Plan:
    """Split ``question`` into parts (unless ``split`` is False) and interpret each;
    a later part reads the earlier parts as its chat history (so "det", "de" and
    open slots resolve). A self-introduction before the question gives its place,
    not its words: "Jag är controller i Kramfors – ..." asks about Kramfors."""
    intro, question = split_introduction(question)
    place = find_municipality(intro, catalog) if intro else None
    texts = split_parts(question) if split else [question.strip()]
    parts: list[Part] = []
    for i, text in enumerate(texts):
        refers_back = i > 0 and bool(PART_REFERENCES & set(words(text)))
        query = interpret(
            text, [*history, *texts[:i]], catalog, refers_back=refers_back
        )
        if parts and not query.years and parts[-1].query.years:
            # The question's period binds every part ("... budget 2023, och vilket
            # överskott prognostiseras?" asks about 2023 too).
            earlier = parts[-1].query
            carried = (
                (*query.carried, "years")
                if "years" not in query.carried
                else query.carried
            )
            query = replace(query, years=earlier.years, carried=carried)
        if place and not (query.municipality or query.doc):
            carried = (*query.carried, "municipality")
            query = replace(query, municipality=place, carried=carried)
        parts.append(Part(text, query, answer_type(query)))
    return Plan(question, tuple(parts))
