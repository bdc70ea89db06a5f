"""The brief's word lists, read from ``parts.toml`` (data, not code).

``PartWords.heading_matches("5.1 Driftbudget")`` says whether a heading belongs to a
part; ``term_in`` is the one matching rule for headings, column headers and row labels.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PARTS_FILE = Path(__file__).with_name("parts.toml")
PART_ORDER = (
    "mission",
    "vision",
    "goals",
    "economy",
    "risks",
    "assignments",
    "abbreviations",
    "questions",
)
_WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+")
# Inflection endings a short term may carry ("mål" -> "målen", "målet").
_SUFFIXES = ("", "s", "en", "et", "ens", "ets", "a", "ar", "er", "na", "arna", "erna")


class VocabularyError(ValueError):
    """``parts.toml`` is malformed: says which file, which key and what to do."""


@dataclass(frozen=True)
class PartWords:
    """One part's title, missing-sentence and vocabularies (tuples of terms)."""

    key: str
    title: str
    missing: str
    headings: tuple[str, ...] = ()
    not_headings: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ratings, owners, key_rows ...
    max_items: int = 10
    sentences_per_section: int = 2
    max_rows_per_table: int = 3

    def words(self, name: str) -> tuple[str, ...]:
        """An extra list by name (``words("owners")``), empty when absent."""
        return dict(self.extra).get(name, ())

    def heading_matches(self, heading: str) -> bool:
        return any_term_in(self.headings, heading) and not any_term_in(
            self.not_headings, heading
        )


@dataclass(frozen=True)
class BriefVocabulary:
    parts: tuple[PartWords, ...]

    def part(self, key: str) -> PartWords:
        return next(p for p in self.parts if p.key == key)


def term_in(term: str, text: str) -> bool:
    """Whether ``term`` occurs in ``text`` by the rules at the top of parts.toml.

    Example: term_in("mål", "Verksamhetsmål 2024") -> True;
    term_in("mål", "Målgrupper") -> False; term_in("driftbudget", "Driftbudgettabell") -> True.
    """
    text = text.lower()
    term = term.lower()
    if " " in term:
        return re.search(r"(?<!\w)" + re.escape(term), text) is not None
    if len(term) >= 5:
        return term in text
    for word in _WORD_RE.findall(text):
        if word.endswith(term) or any(word == term + s for s in _SUFFIXES):
            return True
    return False


def any_term_in(terms: tuple[str, ...], text: str) -> bool:
    return any(term_in(t, text) for t in terms)


_LISTS = ("headings", "not_headings", "columns")
_INTS = ("max_items", "sentences_per_section", "max_rows_per_table")


def _part(key: str, table: dict, path: Path) -> PartWords:
    if not isinstance(table.get("title"), str) or not isinstance(
        table.get("missing"), str
    ):
        raise VocabularyError(
            f"{path}: [parts.{key}] needs string keys 'title' and 'missing'"
        )
    lists: dict[str, tuple[str, ...]] = {}
    extra: list[tuple[str, tuple[str, ...]]] = []
    for name, value in table.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise VocabularyError(
                    f"{path}: [parts.{key}] {name} must be a list of strings"
                )
            words = tuple(v.lower() for v in value)
            if name in _LISTS:
                lists[name] = words
            else:
                extra.append((name, words))
    # Word lists and counts by field name; both were checked above.
    named: dict[str, Any] = {**lists, **{k: int(table[k]) for k in _INTS if k in table}}
    return PartWords(
        key=key,
        title=table["title"],
        missing=table["missing"],
        extra=tuple(extra),
        **named,
    )


def load_vocabulary(path: Path = PARTS_FILE) -> BriefVocabulary:
    """Read and check the vocabulary file; a bad file raises ``VocabularyError``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(
            f"{path}: cannot read the brief vocabulary: {exc}"
        ) from exc
    tables = data.get("parts", {})
    missing = [k for k in PART_ORDER if k not in tables]
    if missing:
        raise VocabularyError(
            f"{path}: add [parts.{missing[0]}] (every part needs title and missing)"
        )
    return BriefVocabulary(parts=tuple(_part(k, tables[k], path) for k in PART_ORDER))


@cache
def default_vocabulary() -> BriefVocabulary:
    return load_vocabulary()
