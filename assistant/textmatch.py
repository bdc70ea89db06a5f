"""Compound-aware word matching between a question and a passage (Swedish stems)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

from assistant.vocabulary import STOPWORDS, words

_STEMMER = Stemmer.Stemmer("swedish")
TAG_RE = re.compile(r"<[^>]{1,200}>")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower())


def stems(text: str) -> list[str]:
    """Stems of the non-stop words. Example: "Sjukfrånvaron i Kramfors" ->
    ["sjukfrånvaron"->"sjukfrånvaro", "kramfor"]."""
    return [stem(w) for w in words(TAG_RE.sub(" ", text)) if w not in STOPWORDS]


def term_matches(term: str, tokens: Iterable[str]) -> bool:
    """True when ``term`` equals a token or is part of a compound token (or vice versa).

    Example: "drift" matches "driftsbudget"; "budget" matches "driftbudget".
    """
    variants = _linking_variants(term)
    for token in tokens:
        if token in variants:
            return True
        if token == term:
            return True
        if len(term) >= 4 and term in token:
            return True
        if len(token) >= 5 and token in term:
            return True
        if _shared_prefix(term, token) >= max(5, 0.8 * min(len(term), len(token))):
            return True  # "totalt" ~ "totalpoäng", "utvärderingen" ~ "utvärderingar"
    return False


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=65536)
def _linking_variants(term: str) -> frozenset[str]:
    """The term without one inner linking "s" ("driftsbudget" -> "driftbudget")."""
    out = {term}
    for i in range(3, len(term) - 3):
        if term[i] == "s":
            out.add(term[:i] + term[i + 1 :])
    return frozenset(out)


def coverage(terms: Iterable[str], text: str) -> float:
    """Share of ``terms`` (stems) found in ``text``, compound-aware; 1.0 for no terms."""
    terms = list(dict.fromkeys(terms))
    if not terms:
        return 1.0
    tokens = set(stems(text))
    return sum(term_matches(t, tokens) for t in terms) / len(terms)
