"""Word lists for reading questions: stop words, metric words, question cues.

These are properties of Swedish and English question language, not of any document.
The lists are data, in ``data/vocabulary.toml`` (with why a word is or is not in
one); this module reads them once and gives them their types here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

from assistant.language.glossary import translate
from assistant.language.lexicon import DATA_DIR, LexiconError, read_data_file, words_of

WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+")
# A year a question may ask about.
YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")

VOCABULARY_FILE = DATA_DIR / "vocabulary.toml"


@cache
def _vocabulary(path: Path) -> dict[str, Any]:
    """The entries of a vocabulary file, read once."""
    return read_data_file(path)


def _entry(key: str, path: Path) -> object:
    """One entry of the file; a missing key is an error naming the file."""
    entries = _vocabulary(path)
    if key not in entries:
        raise LexiconError(f"{path}: no entry {key!r}")
    return entries[key]


def _is_words(value: object) -> TypeGuard[list[str]]:
    """A list of non-empty lower-case strings."""
    return isinstance(value, list) and all(
        isinstance(v, str) and v.strip() and v == v.lower() for v in value
    )


def vocabulary_list(key: str, path: Path = VOCABULARY_FILE) -> tuple[str, ...]:
    """One word list of ``data/vocabulary.toml``, in order and exactly as written
    (a cue's trailing space counts: "än " is no "ändå")."""
    value = _entry(key, path)
    if not _is_words(value):
        raise LexiconError(
            f"{path}: {key!r} must be a list of non-empty lower-case strings"
        )
    return tuple(value)


def vocabulary_lists(
    key: str, path: Path = VOCABULARY_FILE
) -> dict[str, tuple[str, ...]]:
    """One table of word lists (a name -> its words), in the file's order."""
    value = _entry(key, path)
    if not isinstance(value, dict) or not all(
        _is_words([name]) and _is_words(words) for name, words in value.items()
    ):
        raise LexiconError(f"{path}: {key!r} must be a table of lower-case word lists")
    return {name: tuple(words) for name, words in value.items()}


def vocabulary_table(key: str, path: Path = VOCABULARY_FILE) -> dict[str, str]:
    """One table of strings (a word -> its expansion), in the file's order."""
    value = _entry(key, path)
    if not isinstance(value, dict) or not all(
        _is_words([name, text]) for name, text in value.items()
    ):
        raise LexiconError(f"{path}: {key!r} must be a table of lower-case strings")
    return dict(value)


# The word lists, with their types: a set where only membership counts, a tuple of
# cues where order does, a table. data/vocabulary.toml says why a word is or is not
# in a list.
STOPWORDS = frozenset(vocabulary_list("stopwords"))
FOLLOWUP_CUES = vocabulary_list("followup_cues")
# Column kinds and their question words, most specific first.
METRIC_WORDS: dict[str, tuple[str, ...]] = vocabulary_lists("metric_words")
SHARE_CUES = vocabulary_list("share_cues")
NUMBER_CUES = vocabulary_list("number_cues")
PERIOD_WORDS = frozenset(vocabulary_list("period_words"))
PERSON_CUES = vocabulary_list("person_cues")
ROLE_WORDS = vocabulary_list("role_words")
BACK_REFERENCES = frozenset(vocabulary_list("back_references"))
PART_REFERENCES = frozenset(vocabulary_list("part_references"))
LIST_CUES = vocabulary_list("list_cues")
ENGLISH_MARKERS = frozenset(vocabulary_list("english_markers"))
SWEDISH_MARKERS = frozenset(vocabulary_list("swedish_markers"))
ABBREVIATIONS: dict[str, str] = vocabulary_table("abbreviations")
MONTH_ABBREVIATIONS: dict[str, str] = vocabulary_table("month_abbreviations")
COLUMN_SYNONYMS: dict[str, str] = vocabulary_table("column_synonyms")
NUMBERED_THINGS = frozenset(vocabulary_list("numbered_things"))
NUMBER_VALUES = {w: int(v) for w, v in vocabulary_table("number_values").items()}

REFUSAL_SV = "Det framgår inte av dokumenten."
REFUSAL_EN = "The documents do not say."


def names_kind(word: str, cues: tuple[str, ...]) -> bool:
    """``word`` is one of a column kind's ``cues``, or a compound holding one of
    five letters or more ("driftbudget", "investeringsbudget", "helårsprognos")."""
    return word in cues or any(len(c) >= 5 and c in word for c in cues)


def fold(text: str) -> str:
    """Lower-case and normalise whitespace kinds (no-break, thin) to plain spaces."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(
        r"\s+", " ", text.replace("\u00a0", " ").replace("\u2009", " ")
    ).lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens; an English "'s" goes with its word.

    Example: "Mark's driftbudget 2024?" -> ["mark", "driftbudget", "2024"].
    """
    text = re.sub(r"(?<=\w)['’]s\b", "", text)
    return [w.lower() for w in WORD_RE.findall(text)]


def column_words(label: str) -> str:
    """A column header with the words questions use for its short forms:
    column_words("Medel 2020-") -> "Medel 2020- medelvärde genomsnitt ..."."""
    extra = [COLUMN_SYNONYMS[w] for w in words(label) if w in COLUMN_SYNONYMS]
    return " ".join([label, *extra])


def known_words(texts: Iterable[str]) -> Iterator[str]:
    """The words of ``texts`` and the words questions use for the short column
    headers they print ("Kvinnor" and "Män": "kön", "gender"), so that a
    question's word for a column is not dropped as foreign to the corpus."""
    for text in texts:
        yield from words(column_words(text))


def capitalised_words(text: str) -> set[str]:
    """The words ``text`` writes capitalised, lower-cased, its first word aside
    (there a capital starts the sentence, elsewhere it marks a name)."""
    return {w.lower() for w in WORD_RE.findall(text)[1:] if w[:1].isupper()}


# A word is a name where the corpus writes it with a capital inside a sentence at
# least three times in four ("Mark" 46 times, the noun "mark" 7, in a vision text
# quoted twice); a verb like "vara" in Vara's documents is mostly lower case.
NAME_SHARE = 0.75
# Fewer uses than this say nothing about how the corpus writes a word.
NAME_MIN_USES = 5


def names_written(texts: Iterable[str]) -> frozenset[str]:
    """Lower-cased words that ``texts`` write mostly capitalised inside their
    sentences, where a capital marks a name (a sentence's first word aside). A
    Swedish municipality's name is one from its first use if it is never written
    in lower case ("Borås" twice in a neighbour's text)."""
    places = swedish_municipalities()
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        # A line, a table cell or a sentence starts with a capital anyway.
        for line in re.split(r"[\n\t]", text):
            for sentence in re.split(r"(?<=[.!?:])\s+", line):
                for w in WORD_RE.findall(sentence)[1:]:
                    if w[:1].isupper():
                        upper[w.lower()] += 1
                    elif w[:1].islower():
                        lower[w] += 1
    return frozenset(
        w
        for w, n in upper.items()
        if (n >= NAME_MIN_USES and n >= NAME_SHARE * (n + lower[w]))
        or (w in places and not lower[w])
    )


def _spelled_out(word: str) -> str:
    """A body's or a month's abbreviation written out ("ks", "sep")."""
    return ABBREVIATIONS.get(word) or MONTH_ABBREVIATIONS.get(word, word)


def content_words(text: str) -> list[str]:
    """Words that carry the topic: no stop words, no bare numbers except the number
    of a numbered thing ("mål 6" keeps "6").

    Example: "Vilka nyckeltal hör till mål 6 år 2025?" -> ["nyckeltal", "hör", "mål", "6"].
    """
    ws = [x for w in words(text) for x in words(_spelled_out(w))]
    out = []
    for i, w in enumerate(ws):
        if w in STOPWORDS:
            continue
        if w.isdigit() and not (len(w) <= 2 and i and ws[i - 1] in NUMBERED_THINGS):
            continue
        out.append(w)
    return out


def detect_language(text: str) -> str:
    """Return "en" or "sv" from marker words and Swedish letters (default "sv")."""
    ws = words(text)
    # Swedish letters in a name ("Enköping's", a chat's "enköping") say nothing
    # about the language.
    places = swedish_municipalities()
    common = " ".join(
        w for w in text.split() if not w[:1].isupper() and _fold_place(w) not in places
    )
    sv_bonus = 2 if any(ch in common.lower() for ch in "åäö") else 0
    en = sum(w in ENGLISH_MARKERS for w in ws) + _english_terms(text)
    sv = sum(w in SWEDISH_MARKERS for w in ws) + sv_bonus
    return "en" if en > sv else "sv"


@cache
def swedish_municipalities() -> frozenset[str]:
    """The Swedish municipalities with one-word names, lower case (data/places.toml)."""
    return frozenset(words_of("places", "swedish_municipalities"))


def _fold_place(word: str) -> str:
    """A word as a municipality name: lower case, no punctuation or genitive
    ("Enköpings," → "enköping")."""
    low = word.lower().strip(".,;:!?()\"'")
    return (
        low.removesuffix("'s").removesuffix("s")
        if low not in swedish_municipalities()
        else low
    )


def _english_terms(text: str) -> int:
    """English planning terms of the glossary that are no Swedish word (a short
    question may have no grammar word: "sick leave rate kramfors KS?"); a term
    Swedish writes alike ("budget", "risk") says nothing."""
    groups, uncovered = translate(text)
    swedish = {w for group in groups for w in group}
    rest = set(uncovered)
    return sum(
        1
        for w in words(text)
        if len(w) > 3  # "ks", "hr": abbreviations either language uses
        and w.isalpha()
        and w not in rest
        and w not in swedish
    )
