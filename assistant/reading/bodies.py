"""The public bodies a question names ("socialnämnden", "the social services
committee"): hard constraints an answer's evidence must cover.

A body is a modifier plus a head from ``body_heads``; the head alone
("förvaltningen") names the document's own organisation and constrains nothing.
Evidence names a body by its whole name or by its modifier alone (a table of
departments labels its rows "IT- och digitalisering", "Kultur och fritid").
English bodies are read through the glossary: the Swedish words of the modifier
("social services" -> "socialtjänst"), kept only when the corpus has a body of
that name ("socialnämnd", "socialförvaltning"), so that words the glossary merely
translates ("central administration") constrain nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache

from assistant.language.glossary import translate
from assistant.language.lexicon import words_of
from assistant.language.textmatch import stem
from assistant.language.vocabulary import words

MIN_MODIFIER = 3  # "valnämnd": shorter modifiers are endings or abbreviations
PREFIX = 5  # letters of a modifier that name its body in a row ("digit", "socia")

# Whether the corpus has a body word beginning with a prefix ("socia" -> yes).
KnowsBody = Callable[[str], bool]


@dataclass(frozen=True)
class Body:
    """A named body: stems that name it whole (``names``), and word beginnings of
    its modifier (``prefixes``) that name it in a row or heading."""

    text: str
    names: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def named_in(self, tokens: Collection[str]) -> bool:
        """True when a word (stem) of ``tokens`` names this body."""
        return any(n in tokens for n in self.names) or any(
            t.startswith(p) for t in tokens for p in self.prefixes
        )


@cache
def _heads() -> tuple[str, ...]:
    return words_of("question_words", "body_heads")


def is_body_head(word: str) -> bool:
    """A head alone, maybe inflected ("förvaltningen", "nämndens"): it names
    whoever owns the document, not one body."""
    low = word.lower()
    return any(low.startswith(h) and len(low) - len(h) <= 4 for h in _heads())


def is_body_word(word: str) -> bool:
    """A body's name: a modifier and a head ("socialnämnd", "kommunstyrelsen")."""
    return any(word.find(h, MIN_MODIFIER) >= MIN_MODIFIER for h in _heads())


def _modifier_prefix(modifier: str) -> tuple[str, ...]:
    core = modifier[:-1] if modifier.endswith("s") else modifier
    core = core.rstrip("-")
    return (core[:PREFIX],) if len(core) >= PREFIX else ()


def _swedish(word: str) -> Body | None:
    for head in _heads():
        at = word.find(head, MIN_MODIFIER)
        if at >= MIN_MODIFIER:
            name = stem(word[: at + len(head)])
            return Body(word, (name, stem(word)), _modifier_prefix(word[:at]))
    return None


@cache
def _english_re() -> re.Pattern[str]:
    heads = "|".join(words_of("question_words", "body_heads_en"))
    return re.compile(rf"\b((?:[a-z]+\s+){{1,2}}?)(?:{heads})s?\b", re.I)


def _english(text: str, knows_body: KnowsBody) -> list[Body]:
    out = []
    for match in _english_re().finditer(text):
        groups, _ = translate(match.group(0))
        swedish = [w for g in groups for w in g]
        whole = tuple(stem(w) for w in swedish if is_body_word(w))
        if whole:  # a glossary term for the body itself ("executive board")
            out.append(Body(match.group(0), names=whole))
            continue
        prefixes = tuple(
            p
            for p in dict.fromkeys(w[:PREFIX] for w in swedish if len(w) >= PREFIX)
            if not any(h.startswith(p) for h in _heads()) and knows_body(p)
        )
        if prefixes:
            out.append(Body(match.group(0), prefixes=prefixes))
    return out


def named_bodies(
    text: str, english: bool, knows_body: KnowsBody = lambda _: True
) -> list[Body]:
    """The specific bodies ``text`` names (the document's own organisation
    included; the caller drops what the documents' owners cover)."""
    found = [b for w in words(text) if (b := _swedish(w.lower())) is not None]
    if english:
        found += _english(text, knows_body)
    return found


def belongs_to(body: Body, owner: Collection[str]) -> bool:
    """``body`` is the owner (its stems ``owner``) or the owner's administration:
    a förvaltning of the same modifier as the owner's nämnd ("socialnämnd" ->
    "socialförvaltningen"), or the executive board's administration by one of its
    usual names ("kommunledningsförvaltningen" of "Kommunstyrelsen")."""
    if body.named_in(owner):
        return True
    owners = [w for w in owner if is_body_word(w)]
    modifiers = {p for w in owners if (b := _swedish(w)) for p in b.prefixes}
    if modifiers & set(body.prefixes):
        return True
    board = stem("kommunstyrelse")
    return any(w.startswith(board) for w in owners) and any(
        n.startswith(a) for n in body.names for a in _executive_administrations()
    )


@cache
def _executive_administrations() -> tuple[str, ...]:
    names = words_of("question_words", "executive_administrations")
    return tuple(stem(n.replace(" ", "")) for n in names)


def names_body(text: str, english: bool) -> bool:
    """The question is about a body or its unit, named or by its head alone."""
    return bool(named_bodies(text, english)) or any(
        is_body_head(w) for w in words(text)
    )
