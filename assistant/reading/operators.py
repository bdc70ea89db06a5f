"""Words that say how to pick table rows rather than what they are about.

Totals ("summa", "totalt"), extremes ("högst", "lowest"), changes ("ökade mest") and
scope ("hela kommunen") select rows or rank them; the number lookup keeps them out
of the topic terms it matches row labels with.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from assistant.language.lexicon import word_set, words_of
from assistant.language.vocabulary import (
    METRIC_WORDS,
    STOPWORDS,
    YEAR_RE,
    fold,
    names_kind,
    words,
)
from assistant.models import Query

TOTAL_WORDS = frozenset(words_of("question_words", "total_words"))
MAX_WORDS = frozenset(words_of("question_words", "max_words"))
MIN_WORDS = frozenset(words_of("question_words", "min_words"))
# A superlative over these ranks rows by the change between two year columns.
CHANGE_WORDS = frozenset(words_of("question_words", "change_words"))
# Change words that measure a fall: "minskade mest" ranks the most negative change.
DECREASE_WORDS = frozenset(words_of("question_words", "decrease_words"))
# Words that say how to pick rows (totals, extremes, changes), not what they are about.
# "hela kommunen", "kommunen som helhet": scope, handled by WHOLE_MUNICIPALITY.
SCOPE_WORDS = frozenset("hela helhet helheten whole entire".split())
# "under medelvärdet", "över 12", "ökar": keep rows on one side of a reference
# (a fall, DECREASE_WORDS, keeps the rows below too).
INCREASE_WORDS = frozenset(
    words_of("question_words", "increase_words")
    + words_of("question_words", "improvement_words")
)
BELOW_WORDS = frozenset(words_of("question_words", "below_words"))
ABOVE_WORDS = frozenset(words_of("question_words", "above_words")) | INCREASE_WORDS
COMPARISON_WORDS = BELOW_WORDS | ABOVE_WORDS
# "Hur mycket återstår av budgeten?": what is left of a whole.
REMAINDER_WORDS = frozenset(words_of("question_words", "remainder_words"))
# "i förhållande till maxpoängen": rank by the share of each row's maximum.
RELATIVE_WORDS = frozenset(words_of("question_words", "maximum_words"))
OPERATOR_WORDS = (
    TOTAL_WORDS
    | MAX_WORDS
    | MIN_WORDS
    | CHANGE_WORDS
    | SCOPE_WORDS
    | COMPARISON_WORDS
    | RELATIVE_WORDS
)


# "byggdes" (7): a shorter word ending "-des" or "-tes" is rarely a verb ("tes").
MIN_PASSIVE_CHARS = 6


def asks_what_happened(query: Query) -> bool:
    """The question asks what happened, in the past tense: "Hur många bostäder
    byggdes 2023?", "What was the sick leave in 2023?" (not "Hur många ska
    byggas?", nor what was expected: "Vilket resultat väntades 2023?"). The
    ending of a Swedish passive is read in Swedish only ("estimates" is no past)."""
    endings = words_of("question_words", "past_passive_endings")
    past = word_set("question_words", "past_markers")
    expected = words_of("question_words", "expectation_stems")
    swedish = query.lang != "en"
    asked = words(query.text)
    if any(w.startswith(expected) for w in asked):
        return False  # "Vilket resultat väntades?" asks what was expected
    return any(
        w in past or (swedish and len(w) >= MIN_PASSIVE_CHARS and w.endswith(endings))
        for w in asked
    )


def superlative(text: str) -> str | None:
    """ "max" for "Vilka risker har bedömts högst?", "min" for "lägst", else None
    (also for a term asked to be explained: "Vad menas med lägsta nivå?")."""
    low = fold(text)
    if any(cue in low for cue in words_of("question_words", "meaning_cues")):
        return None
    ws = set(words(text))
    if ws & MAX_WORDS:
        return "max"
    if ws & MIN_WORDS:
        return "min"
    return None


def without_words(text: str, drop: Collection[str]) -> str:
    """``text`` without the whole words in ``drop`` (compared folded, without
    their punctuation)."""
    return " ".join(w for w in text.split() if fold(w.strip("?.,!–-")) not in drop)


def without_superlative(text: str) -> str:
    """``text`` without its superlative words (to ask each compared place plainly)."""
    return without_words(text, MAX_WORDS | MIN_WORDS)


def change_pair(query: Query, table_years: Iterable[int]) -> tuple[int, int] | None:
    """The (earlier, later) year columns a change is measured between: the two asked
    years, or the asked year and the table's latest year, or its two latest years."""
    years = sorted(set(table_years))
    if len(years) < 2:
        return None
    asked = [y for y in query.years if y in years]
    if len(asked) >= 2:
        return min(asked), max(asked)
    if asked:
        other = years[-1] if asked[0] != years[-1] else years[-2]
        return min(asked[0], other), max(asked[0], other)
    return years[-2], years[-1]


def year_near_superlative(query: Query) -> int | None:
    """Of the asked years, the one written nearest the superlative word."""
    if len(query.years) < 2:
        return query.years[0] if query.years else None
    tokens = words(query.text)
    at = [i for i, w in enumerate(tokens) if w in MAX_WORDS | MIN_WORDS]
    places = [
        (i, int(w))
        for i, w in enumerate(tokens)
        if w.isdigit() and int(w) in query.years
    ]
    if not at or not places:
        return query.years[-1]
    return min(places, key=lambda p: abs(p[0] - at[0]))[1]


def deviation_sign(text: str) -> str | None:
    """How a question asks about a deviation from budget: "deficit" ("störst
    underskott"), "surplus" ("största överskottet"), "any" ("avviker mest"), else
    None."""
    ws = set(words(text))
    if ws & set(words_of("question_words", "deficit_words")):
        return "deficit"
    if ws & set(words_of("question_words", "surplus_words")):
        return "surplus"
    if ws & set(words_of("question_words", "deviation_words")):
        return "any"
    return None


def is_deviation_column(label: str) -> bool:
    """A header whose first or last word, or that word's compound head, names a
    deviation ("Avvikelse prognos mot budget", "Budgetavvikelse", "Återstår",
    "Diff"), or that compares with the budget ("mot budget helår")."""
    heads = words_of("question_words", "deviation_columns")
    ws = words(label)
    phrases = words_of("question_words", "deviation_column_phrases")
    return any(
        w in heads or (len(w) > 8 and w.endswith(heads)) for w in ws[:1] + ws[-1:]
    ) or any(p in " ".join(ws) for p in phrases)


def row_kind(text: str) -> str | None:
    """The noun right after the question's first question word, which names the
    kind of row asked for ("Vilken verksamhet ... minskar mest", "Which item is
    the biggest"): a row's label rarely says it. None when there is no such noun."""
    interrogatives = set(words_of("question_words", "interrogatives"))
    tokens = [fold(t.strip("?.,!")) for t in text.split()]
    for i, token in enumerate(tokens[:-1]):
        if token in interrogatives:
            noun = tokens[i + 1]
            return None if noun in STOPWORDS or not noun.isalpha() else noun
    return None


# How far from a year a column kind may be written to be that year's
# ("budget 2024", "prognosen för 2023", "2024 års budget").
KIND_REACH_BEFORE = 3
KIND_REACH_AFTER = 2


def kinds_by_year(text: str) -> dict[int, str]:
    """The column kind the question writes next to each year: "budget 2024
    jämfört med prognosen för 2023" → {2024: "budget", 2023: "prognos"}. The
    nearest kind word before the year, else just after it; years with none are
    left out."""
    tokens = words(fold(text))
    found: dict[int, str] = {}
    for i, token in enumerate(tokens):
        if not YEAR_RE.fullmatch(token):
            continue
        before = tokens[max(0, i - KIND_REACH_BEFORE) : i][::-1]
        after = tokens[i + 1 : i + 1 + KIND_REACH_AFTER]
        kind = next(
            (
                kind
                for near in (*before, *after)
                for kind, cues in METRIC_WORDS.items()
                if names_kind(near, cues)
            ),
            None,
        )
        if kind is not None:
            found.setdefault(int(token), kind)
    return found
