"""Swedish number formats: decimal comma, space as thousands separator, units.

``parse_number`` reads one whole table cell; ``find_numbers`` scans prose.

Design choices:
- Digit groups after the first must be exactly three digits ("35 201"). A cell such
  as "17 000 0000" is a misprint and gives ``None`` rather than 170 million.
- Ranges ("3-4 mnkr", "2023 - 2026") and dates ("2023-10-25") give ``None``: they
  are not one value.
- A dot is never a decimal separator ("1.1" is a section number in these tables).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corpus.text import strip_tags


@dataclass(frozen=True)
class ParsedNumber:
    """A number as printed, e.g. ``"≤ 3,5"`` → value 3.5, comparator "≤"."""

    value: float
    comparator: str | None
    unit: str | None
    raw: str


# Longest spellings first so "mnkr" wins over "kr".
_UNIT_ALIASES: dict[str, str] = {
    "miljoner kronor": "mnkr",
    "miljarder kronor": "mdkr",
    "tusen kronor": "tkr",
    "procent": "%",
    "kronor": "kr",
    "mnkr": "mnkr",
    "mkr": "mnkr",
    "mnr": "mnkr",  # a recurring typo for mnkr
    "mdkr": "mdkr",
    "tkr": "tkr",
    "kr": "kr",
    "%": "%",
    "st": "st",
    "poäng": "poäng",
    "timmar": "h",
    "i timmar": "h",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNIT_ALIASES, key=len, reverse=True))
_COMPARATORS = {"≥": "≥", "≤": "≤", ">=": "≥", "<=": "≤", "<": "<", ">": ">"}
_MINUS = r"\-−–"  # hyphen, U+2212 minus, en dash (only as a leading sign)

_CELL_RE = re.compile(
    rf"^(?P<cmp>≥|≤|>=|<=|<|>)?\s*(?P<sign>[+{_MINUS}])?\s?"
    r"(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:,(?P<dec>\d+))?"
    rf"\s?(?P<unit>{_UNIT_RE})?$",
    re.IGNORECASE,
)

_PROSE_RE = re.compile(
    r"(?P<date>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?<![\w,.])(?:(?P<cmp>[≥≤<>])\s?)?(?P<sign>[−-](?=\d))?"
    r"(?P<int>\d{1,3}(?: \d{3}(?!\d))+|\d+)(?!\d)(?:,(?P<dec>\d+))?"
    rf"(?:\s?(?P<unit>{_UNIT_RE})(?![\wåäö]))?",
    re.IGNORECASE,
)


def format_number(value: float, decimals: int = 0) -> str:
    """A number as Swedish documents print it: format_number(17e6) -> "17 000 000",
    format_number(-5.16, 2) -> "-5,16"."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def decimals_of(raw: str) -> int:
    """Decimals printed in a cell: "205,6" -> 1, "17 000" -> 0."""
    digits = re.sub(r"[^\d,]", "", raw)
    return len(digits.split(",")[1]) if "," in digits else 0


def normalize_unit(unit: str | None) -> str | None:
    """Map a printed unit ("Mnkr", "mnr", "miljoner kronor") to its canonical form."""
    if not unit:
        return None
    return _UNIT_ALIASES.get(unit.strip().lower(), unit.strip().lower())


def _clean_cell(text: str) -> str:
    text = strip_tags(text).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("*", "").strip()
    return re.sub(r"\s+", " ", text)


def parse_number(text: str) -> ParsedNumber | None:
    """Parse a whole cell such as "-205,6", "1 234,5", "5,16 %", "≥ 90", "0,5 mnkr".

    Returns ``None`` for text, dates, ranges and misprinted digit groups.
    """
    cleaned = _clean_cell(text)
    match = _CELL_RE.match(cleaned)
    if match is None:
        return None
    value = float(match["int"].replace(" ", "") + "." + (match["dec"] or "0"))
    if match["sign"] and match["sign"] != "+":
        value = -value
    comparator = _COMPARATORS.get(match["cmp"] or "")
    return ParsedNumber(value, comparator, normalize_unit(match["unit"]), text)


def find_numbers(prose: str) -> list[ParsedNumber]:
    """All numbers in running text, in order.

    Only groups of exactly three digits after a space are joined, so
    "är 2023 27 219 kr" gives 2023 and 27219. Dates are skipped.
    """
    found: list[ParsedNumber] = []
    for match in _PROSE_RE.finditer(prose):
        if match["date"]:
            continue
        value = float(match["int"].replace(" ", "") + "." + (match["dec"] or "0"))
        if match["sign"]:
            value = -value
        comparator = _COMPARATORS.get(match["cmp"] or "")
        found.append(
            ParsedNumber(
                value, comparator, normalize_unit(match["unit"]), match.group(0).strip()
            )
        )
    return found


# Column headers: "Budget 2024" → ("budget", 2024); "Prognos helår 2023" → prognos.
COLUMN_KINDS = (
    "budget",
    "utfall",
    "prognos",
    "mål",
    "avvikelse",
    "bokslut",
    "startläge",
)
KIND_RE = re.compile(r"\b(" + "|".join(COLUMN_KINDS) + r")", re.IGNORECASE)
YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# A year that opens a span: "2020-" (since 2020), "2024-2025", "2024 – 2027"; not a
# date ("2022-12-31") or a year and a number ("2021-22" stays 2021).
YEAR_SPAN_RE = re.compile(
    r"\b(?:19[5-9]\d|20\d\d)\s*[-\u2013\u2014]\s*(?:(?:19[5-9]\d|20\d\d)\b|(?!\d))"
)
UNIT_WORD_RE = re.compile(
    r"(miljoner kronor|tusen kronor|\bmnkr\b|\bmkr\b|\bmnr\b|\btkr\b|\bkronor\b"
    r"|\bkr\b|%|\bprocent\b|\bi timmar\b)",
    re.IGNORECASE,
)


def unit_in(text: str) -> str | None:
    """The first unit named in a header or label: "(Mnkr)" → "mnkr"."""
    found = UNIT_WORD_RE.search(text)
    return normalize_unit(found[1]) if found else None


@cache
def _kind_synonyms() -> dict[str, str]:
    """``[kind_synonyms]`` of ``corpus/data/layout_words.toml``."""
    with (Path(__file__).parent / "data" / "layout_words.toml").open("rb") as f:
        return dict(tomllib.load(f)["kind_synonyms"])


def word_kind(word: str) -> str | None:
    """The kind a header word names. In a compound the last part is the head:
    "Budgetavvikelse" is a deviation, "Helårsprognos" a forecast, "Budgetbehov" a
    budget (a kind at the start counts when none ends the word)."""
    word = word.lower()
    synonyms = _kind_synonyms()
    if word in synonyms:
        return synonyms[word]
    # Short kind words ("mål") are left out: too many words merely end in them
    # ("ändamål").
    ends = [k for k in (*COLUMN_KINDS, *synonyms) if len(k) > 3 and word.endswith(k)]
    if ends:
        head = max(ends, key=len)
        return synonyms.get(head, head)
    starts = [k for k in COLUMN_KINDS if word.startswith(k)]
    return max(starts, key=len) if starts else None


def column_meta(header: str) -> tuple[str | None, int | None]:
    """(kind, year) from a column header; the earliest word naming a kind wins
    ("Avvikelse prognos mot budget" is a deviation)."""
    kind = next(
        (k for w in re.findall(r"[^\W\d_]+", header) if (k := word_kind(w))), None
    )
    # A span of years ("Medel 2020-", "Plan 2024-2025") is no one year's column.
    year = YEAR_RE.search(YEAR_SPAN_RE.sub(" ", header))
    return (kind, int(year[1]) if year else None)
