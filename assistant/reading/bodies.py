"""The public bodies a question names ("socialnämnden", "the social services
committee"): hard constraints an answer's evidence must cover.

A body is a modifier plus a head from ``body_heads``; the head alone
("förvaltningen") names the document's own organisation and constrains nothing.
English bodies are read through the glossary: the Swedish words of the modifier
("social services" -> "socialtjänst") must begin a Swedish body name in the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.language.glossary import translate
from assistant.language.lexicon import words_of
from assistant.language.textmatch import stem
from assistant.language.vocabulary import words

MIN_MODIFIER = 3  # "valnämnd": shorter modifiers are endings or abbreviations
PREFIX = 5  # letters of a translated modifier that must begin the Swedish name


@dataclass(frozen=True)
class Body:
    """A named body: Swedish stems that name it whole (``names``), or, for an
    English name, Swedish word beginnings (``prefixes``) of its modifier."""

    text: str
    names: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def named_in(self, tokens: set[str]) -> bool:
        """True when a word (stem) of ``tokens`` names this body."""
        if any(n in tokens for n in self.names):
            return True
        return any(
            _is_body(t) and t.startswith(p) for t in tokens for p in self.prefixes
        )


@cache
def _heads() -> tuple[str, ...]:
    return words_of("question_words", "body_heads")


def is_body_head(word: str) -> bool:
    """A head alone, maybe inflected ("förvaltningen", "nämndens"): it names
    whoever owns the document, not one body."""
    low = word.lower()
    return any(low.startswith(h) and len(low) - len(h) <= 4 for h in _heads())


def _is_body(token: str) -> bool:
    return any(h in token[MIN_MODIFIER:] for h in _heads())


def _swedish(word: str) -> Body | None:
    for head in _heads():
        at = word.find(head, MIN_MODIFIER)
        if at >= MIN_MODIFIER:
            name = stem(word[: at + len(head)])
            return Body(word, names=(name, stem(word)))
    return None


@cache
def _english_re() -> re.Pattern[str]:
    heads = "|".join(words_of("question_words", "body_heads_en"))
    return re.compile(rf"\b((?:[a-z]+\s+){{1,2}}?)(?:{heads})s?\b", re.I)


def _english(text: str) -> list[Body]:
    out = []
    for match in _english_re().finditer(text):
        groups, _ = translate(match.group(0))
        swedish = [w for g in groups for w in g]
        whole = tuple(stem(w) for w in swedish if _is_body(w))
        if whole:  # a glossary term for the body itself ("executive board")
            out.append(Body(match.group(0), names=whole))
            continue
        prefixes = tuple(dict.fromkeys(w[:PREFIX] for w in swedish if len(w) >= PREFIX))
        prefixes = tuple(
            p for p in prefixes if not any(h.startswith(p) for h in _heads())
        )
        if prefixes:
            out.append(Body(match.group(0), prefixes=prefixes))
    return out


def named_bodies(text: str, english: bool) -> list[Body]:
    """The specific bodies ``text`` names (the document's own organisation
    included; the caller drops what the documents' owners cover)."""
    found = [b for w in words(text) if (b := _swedish(w.lower())) is not None]
    if english:
        found += _english(text)
    return found


def names_body(text: str, english: bool) -> bool:
    """The question is about a body or its unit, named or by its head alone."""
    return bool(named_bodies(text, english)) or any(
        is_body_head(w) for w in words(text)
    )
