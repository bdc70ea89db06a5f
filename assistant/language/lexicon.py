"""Word lists read from ``assistant/language/data/*.toml`` (data, not code).

Each file holds general Swedish and English planning or question vocabulary; the
schema (a table of string lists) is checked on load, so a typo in a data file is a
clear error naming the file and key, not a silent miss.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


class LexiconError(ValueError):
    """A data file that does not follow the schema."""


def read_data_file(path: Path) -> dict[str, Any]:
    """The entries of a TOML data file; unreadable or malformed is an error naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc


@cache
def word_lists(name: str) -> dict[str, tuple[str, ...]]:
    """The string lists of ``data/<name>.toml``, lower-cased, keyed by list name."""
    path = DATA_DIR / f"{name}.toml"
    raw = read_data_file(path)
    lists: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            raise LexiconError(f"{path}: {key!r} must be a list of non-empty strings")
        lists[key] = tuple(v.strip().lower() for v in value)
    return lists


def words_of(name: str, key: str) -> tuple[str, ...]:
    """One list; a missing key is an error naming the file."""
    lists = word_lists(name)
    if key not in lists:
        raise LexiconError(f"{DATA_DIR / (name + '.toml')}: no list {key!r}")
    return lists[key]


@cache
def word_set(name: str, key: str) -> frozenset[str]:
    """One list as a set, built once (for membership tests on every question)."""
    return frozenset(words_of(name, key))
