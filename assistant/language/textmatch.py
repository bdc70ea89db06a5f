"""Compound-aware word matching between a question and a passage (Swedish stems)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache

import Stemmer

from assistant.language.glossary import translate
from assistant.language.lexicon import words_of
from assistant.language.vocabulary import STOPWORDS, words

_STEMMER = Stemmer.Stemmer("swedish")
TAG_RE = re.compile(r"<[^>]{1,200}>")
ALTERNATIVES = "|"  # joins the Swedish stems one English term stands for
# Each part of a compound matched across a longer one is at least this long, as
# the shortest Swedish nouns that form compounds ("plan", "mark", "ekonomi").
BRIDGE_PART = 4


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower())


def stems(text: str) -> list[str]:
    """Stems of the non-stop words. Example: "Sjukfrånvaron i Kramfors" ->
    ["sjukfrånvaron"->"sjukfrånvaro", "kramfor"]."""
    return [stem(w) for w in words(TAG_RE.sub(" ", text)) if w not in STOPWORDS]


class KnownStems:
    """The stems a corpus has, also as parts of its compounds: "förvärv" is known
    from "markförvärv" (an English question's Swedish terms must not be dropped
    because the corpus only writes them inside compounds)."""

    def __init__(self, corpus_words: Iterable[str]) -> None:
        unique = {w.lower() for w in corpus_words}
        self._stems = frozenset(stem(w) for w in unique)
        self._parts = frozenset(
            part
            for w in unique
            if len(w) >= 8
            for i in range(4, len(w) - 3)
            for part in (w[:i], w[i:])
        )

    def __contains__(self, term: object) -> bool:
        return term in self._stems or term in self._parts

    def split(self, word: str) -> list[str]:
        """A compound the corpus never writes whole, as two words it does write:
        "digitaliseringsinvesteringarna" -> ["digitalisering", "investeringarna"]
        (a linking "s" dropped); other words unchanged."""
        if len(word) < 9 or stem(word) in self._stems:
            return [word]
        for i in range(len(word) - 4, 3, -1):  # longest head first
            head, tail = word[:i], word[i:]
            if stem(tail) not in self._stems:
                continue
            for left in (head[:-1] if head.endswith("s") else None, head):
                if left and len(left) >= 4 and stem(left) in self._stems:
                    return [left, tail]
        return [word]

    def __len__(self) -> int:
        return len(self._stems)

    def all(self) -> frozenset[str]:
        """Every stem of the corpus's words."""
        return self._stems


def question_terms(text: str, english: bool = False) -> list[str]:
    """The stems a question's words are matched by.

    In English text each planning term the glossary knows becomes one term, its
    Swedish stems joined by ``ALTERNATIVES`` (found when any of them is):
    question_terms("sick leave of boards", english=True) -> ["sjukfrånvaro",
    "styr|nämnd"].
    """
    if not english:
        return stems(text)
    groups, rest = translate(text)
    alternatives = [ALTERNATIVES.join(dict.fromkeys(map(stem, g))) for g in groups]
    return [*alternatives, *stems(" ".join(rest))]


def known_term(term: str, known: Callable[[str], bool]) -> bool:
    """Whether the corpus has the stem (or one of the alternatives) of ``term``;
    a hyphenated one ("it-system") when it has each part."""
    return any(
        all(known(p) for p in t.split("-") if p) for t in term.split(ALTERNATIVES)
    )


def match_strength(term: str, tokens: Iterable[str]) -> float:
    """How well a question stem ``term`` is found among passage ``tokens`` (0..1).

    1.0 when the term is a token, or a compound part of one ("drift" in
    "driftsbudget"); 0.5 when a token is only a part of the term ("budget" for the
    question's "driftsbudget": a budget, but maybe not the operating one; a quarter
    for its first part only: "personal" of "personalomsättning"). A term
    of alternatives ("kvinn|kvinnor") is as strong as its best alternative.
    """
    tokens = tokens if isinstance(tokens, Collection) else list(tokens)
    if ALTERNATIVES in term:
        return max(match_strength(t, tokens) for t in term.split(ALTERNATIVES))
    if "-" in term.strip("-"):
        # A hyphenated translation ("it-system"): texts are read a part per token;
        # its head alone ("system") is found as a compound's part is (half).
        parts = [p for p in term.split("-") if p]
        whole = min(match_strength(p, tokens) for p in parts)
        return max(whole, 0.5 * match_strength(parts[-1], tokens))
    if _same_change(term, tokens):
        return 1.0  # "ökade" in "har ökat", "växer"
    return _plain_strength(term, tokens)


def _plain_strength(term: str, tokens: Iterable[str]) -> float:
    """match_strength of a plain stem (no alternatives, no hyphen)."""
    variants = _linking_variants(term)
    best = 0.0
    for token in tokens:
        if token in variants or (len(term) >= 4 and token.startswith(term)):
            return 1.0
        if len(term) >= 4 and _at_end(term, token):
            best = max(best, 0.75)  # a more specific compound: "reinvestering"
        if _bridged(term, token):
            best = max(best, 0.75)  # "projektmodell" in "projektstyrningsmodell"
        shared = _shared_prefix(term, token)
        # A token the term merely extends by more than an ending is a compound part
        # ("digital" of "digitaliseringsinvestering", "nämnd" of "nämndplan": a
        # stem's ending is shorter than the shortest word, BRIDGE_PART), scored below.
        inflected = shared < len(token) or len(term) - len(token) < BRIDGE_PART
        if shared >= max(5, 0.8 * min(len(term), len(token))) and inflected:
            return 1.0  # "totalt" ~ "totalpoäng", "genomsnittet" ~ "genomsnitt"
        if len(token) >= 5 and (term.endswith(token) or term.endswith(token + "s")):
            best = max(best, 0.5)  # the compound's head: "budget" of "driftbudget"
        elif len(token) >= 5 and term.startswith(token):
            # Only its first part: "personal" is not "personalomsättning".
            best = max(best, MODIFIER_MATCH)
    return best


# A question compound matched only by its first part (the head, its last part,
# says what it is): weaker than a match of the head.
MODIFIER_MATCH = 0.25


def _same_change(term: str, tokens: Iterable[str]) -> bool:
    family = _change_family(term)
    return bool(family) and any(_change_family(t) == family for t in tokens)


@lru_cache(maxsize=65536)
def _change_family(stem_: str) -> str:
    """ "increase" or "decrease" for a stem of a change word of that direction
    ("ökade", "ökat", "växer"; "minskade"), else "": the forms of one change are
    one term, though the stemmer leaves short verbs apart ("ökad", "ökat")."""
    for family in ("increase", "decrease"):
        if stem_ in {stem(w) for w in words_of("question_words", f"{family}_words")}:
            return family
    return ""


def term_matches(term: str, tokens: Iterable[str]) -> bool:
    """True when ``term`` is found among ``tokens`` at all (see match_strength).

    Example: "drift" matches "driftsbudget"; "budget" matches "driftbudget".
    """
    return match_strength(term, tokens) > 0


def _bridged(term: str, token: str) -> bool:
    """A compound of the question whose two parts the token has with more between:
    "projektmodell" in "projektstyrningsmodellen" (a more specific compound)."""
    if len(term) < 2 * BRIDGE_PART or len(token) <= len(term):
        return False
    return any(
        token.startswith(term[:i]) and token.find(term[i:], i + 1) > i
        for i in range(BRIDGE_PART, len(term) - BRIDGE_PART + 1)
    )


def _at_end(part: str, word: str) -> bool:
    return word.startswith(part) or word.endswith(part) or word.endswith(part + "s")


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
    return sum(match_strength(t, tokens) for t in terms) / len(terms)
