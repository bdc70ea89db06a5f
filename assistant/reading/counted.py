"""What a count question counts, and whether a table row or column counts it.

"Hur många IT-system äger kommunstyrelsen?" counts IT systems: a figure answers it
only where the thing counted stands with it, as the column's header ("Antal
tillsvidareanställda"), the head of the row's label ("Antal fordon", not
"Funktion och tillförlitlighet till IT-system", a row about something else that
merely mentions them) or, in running text, right beside the number ("73 system").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from assistant.language.glossary import translate
from assistant.language.lexicon import words_of
from assistant.language.textmatch import ALTERNATIVES, known_term, question_terms
from assistant.language.vocabulary import STOPWORDS, detect_language, words
from assistant.models import Query

# The noun phrase after a count cue: at most this many words (words of the
# question's own grammar end it earlier).
MAX_COUNTED_WORDS = 3


@cache
def counted_noun(text: str) -> str | None:
    """The words a count question counts, or None ("hur många bor i Mark?" counts
    no noun; "how many of them" points back). Swedish writes what it counts as
    one word ("IT-system", "tillsvidareanställda") and a verb follows it ("äger");
    English as a phrase ended by its auxiliary ("IT systems does").

    Example: counted_noun("How many IT systems does Kramfors own?") -> "it systems".
    """
    low = text.lower()
    english = detect_language(text) == "en"
    for cue in words_of("question_words", "count_cues"):
        found = re.search(rf"(?:^|\W){re.escape(cue)}\b", low)
        if found is None:
            continue
        rest = low[found.end() :].split()
        after = words(" ".join(rest[:MAX_COUNTED_WORDS] if english else rest[:1]))
        noun: list[str] = []
        for word in after:
            if (
                word in STOPWORDS
                or word in _not_nouns()
                or word in _amount_words()  # "hur många procent" asks an amount
                or word in _modifiers()  # "attacks per week" counts attacks
                or _is_verb(word, english)
            ):
                break
            noun.append(word)
        return " ".join(noun) or None
    return None


def counted_terms(
    query: Query, known: Callable[[str], bool] | None = None
) -> list[str]:
    """The stem of the head of what the part counts (its last word, or the last
    part of a hyphenated translation: "IT systems" -> "system"); none for an
    English word that no glossary entry translates and the corpus (``known``)
    lacks.
    The head is what a count names ("73 system", "Antal fordon")."""
    noun = counted_noun(query.text)
    if noun is None:
        return []
    english = query.lang == "en"
    # The noun's last word is its head ("new homes" counts homes), as a word
    # or inside the phrase the glossary translates ("IT systems").
    terms = question_terms(noun.split()[-1], english) or question_terms(noun, english)
    if not terms:
        return []
    head = ALTERNATIVES.join(t.split("-")[-1] for t in terms[-1].split(ALTERNATIVES))
    if known is None or known_term(head, known):
        return [head]
    # A thing the documents never name is counted by none of their figures: a
    # Swedish word, or an English one the glossary translates, still says what is
    # counted ("how many tonnes" of a text without "ton"); an English word without
    # a translation cannot be judged.
    return [head] if query.lang != "en" or translate(noun)[0] else []


def _is_verb(word: str, english: bool) -> bool:
    """A Swedish passive past ("intervjuades") by its ending."""
    endings = words_of("question_words", "count_verb_endings")
    return not english and word.endswith(endings)


@cache
def _not_nouns() -> frozenset[str]:
    return frozenset(words_of("question_words", "count_not_nouns"))


@cache
def _amount_words() -> frozenset[str]:
    return frozenset(words_of("question_words", "amount_words"))


def without_excluded(text: str) -> str:
    """``text`` without the word each exclusion word leaves out.

    Example: without_excluded("Medarbetare per avdelning exkl. chefer")
    == "Medarbetare per avdelning"
    """
    return _excluded().sub("", text)


@cache
def _excluded() -> re.Pattern[str]:
    """An exclusion word and the word it leaves out."""
    cues = "|".join(map(re.escape, words_of("question_words", "exclusion_words")))
    return re.compile(rf"\s*\b(?:{cues})\b\.?\s+[\w-]+", re.IGNORECASE)


def label_head(label: str) -> str:
    """A row label up to the first word that starts a modifier of its head
    ("Funktion och tillförlitlighet till IT-system" -> "Funktion och
    tillförlitlighet"); a leading count word is kept ("Antal fordon")."""
    modifiers = _modifiers()
    tokens = label.split()
    for k, token in enumerate(tokens[1:], start=1):
        if re.sub(r"\W", "", token.lower()) in modifiers:
            return " ".join(tokens[:k])
    return label


@cache
def _modifiers() -> frozenset[str]:
    return frozenset(words_of("question_words", "head_modifier_words"))
