"""The computed conclusion of a comparison across municipalities."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.comparison import conclusion
from assistant.models import Fact
from assistant.reading.operators import without_superlative

BASE = Fact(
    label="Nettokostnader", column="Budget 2025", value=-207.0, raw="-207,0",
    unit="mnkr", period="budget 2025", year=2025, kind="budget", doc="a.txt",
    line=10, table_id="a:t1", section_path="1 Ekonomi", caption="", header_line=9,
)  # fmt: skip


def test_highest_and_lowest_across_scales_of_kronor() -> None:
    kramfors = replace(BASE, value=231871.0, raw="231 871", unit="tkr")
    text = conclusion([("Marks kommun", BASE), ("Kramfors kommun", kramfors)], "sv")
    # 231 871 tkr = 231,9 mnkr > 207,0 mnkr; costs compare by size.
    assert text == (
        "Högst: Kramfors kommun (231 871 tkr); lägst: Marks kommun (207,0 mnkr)."
    )


def test_no_conclusion_when_units_differ_or_a_place_is_missing() -> None:
    share = replace(BASE, value=4.5, raw="4,5", unit="%")
    assert conclusion([("Marks kommun", BASE), ("Enköpings kommun", share)], "sv") == ""
    assert conclusion([("Marks kommun", BASE)], "en") == ""


def test_english_and_equal_values() -> None:
    other = replace(BASE, doc="b.txt")
    assert conclusion([("A", BASE), ("B", other)], "en") == "Equal: A, B (207,0 mnkr)."


def test_superlative_words_are_dropped_to_ask_each_place_plainly() -> None:
    question = "Vem har lägst sjukfrånvaro – Kramfors eller Enköping?"
    assert without_superlative(question) == (
        "Vem har sjukfrånvaro – Kramfors eller Enköping?"
    )
    assert without_superlative("Which has the highest budget?") == (
        "Which has the budget?"
    )
