"""The named steps of a numeric answer: the total line under summed rows, the note
on a printed total that disagrees, and the prose line stating a row's figure."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering.compose import topic_terms
from assistant.answering.compose_number import (
    _difference,
    _LineSearch,
    _total_below,
    _total_mismatch,
)
from assistant.models import Fact, Query
from assistant.reading.operators import kinds_by_year

ROWS = ["Post\tBelopp kr", "Servrar\t2 000 000", "Licenser\t", "Summa\t2 800 000"]


def test_the_total_line_under_a_valueless_row_is_cited_with_its_figure() -> None:
    assert _total_below(ROWS, 2) == (4, "2 800 000")


def test_a_total_line_after_a_row_with_values_is_not_claimed() -> None:
    lines = [*ROWS[:2], "Licenser\t800 000", ROWS[3]]
    assert _total_below(lines, 2) == (2, None)


def test_a_total_line_without_a_figure_is_cited_without_one() -> None:
    assert _total_below([*ROWS[:3], "Summa\t"], 2) == (4, None)


def test_no_line_below_the_last_row() -> None:
    assert _total_below(ROWS[:2], 2) == (2, None)


def test_a_printed_total_within_rounding_is_not_flagged() -> None:
    assert _total_mismatch("2 800 000", 2_800_000.4, "sv") == ""
    assert _total_mismatch(None, 2_800_000.0, "sv") == ""


def test_a_printed_total_that_disagrees_is_quoted() -> None:
    sv = _total_mismatch("2 900 000", 2_800_000.0, "sv")
    assert sv == (
        ' Tabellens summarad är tryckt som "2 900 000", vilket inte stämmer med'
        " raderna."
    )
    assert '"2 900 000"' in _total_mismatch("2 900 000", 2_800_000.0, "en")


PROSE = [
    "Investeringar\t17 000 000",
    "Investeringarna i planen kostar 17 000 000 kr.",
    "Annat stycke.",
    "Sammanfattningsvis kostar investeringarna 17 000 000 kr.",
    "Budgeten är 4 mnkr.",
]


def search(row: int, cited: frozenset[tuple[int, int]] = frozenset()) -> _LineSearch:
    query = Query(text="Vad kostar investeringarna?", search_text="", lang="sv")
    return _LineSearch(PROSE, topic_terms(query), cited, row)


def test_the_prose_line_nearest_the_row_states_its_figure() -> None:
    assert search(row=1).stating("17 000 000") == 2
    assert search(row=5).stating("17 000 000") == 4


def test_a_line_already_cited_alone_or_a_table_row_is_not_taken() -> None:
    assert search(row=1, cited=frozenset({(2, 2)})).stating("17 000 000") == 4
    assert (
        search(row=1, cited=frozenset({(2, 2), (4, 4)})).stating("17 000 000") is None
    )


def test_a_lone_digit_is_not_searched() -> None:
    assert search(row=1).stating("4") is None


def _fact(raw: str, kind: str, year: int, line: int = 5) -> Fact:
    value = float(raw.replace(" ", ""))
    column = f"{kind.capitalize()} {year}"
    return Fact(
        "Följare",
        column,
        value,
        raw,
        None,
        column.lower(),
        year,
        kind,
        "d.txt",
        line,
        "t1",
        "Mål",
        "",
        4,
    )


def test_a_change_asked_between_an_outcome_and_a_forecast_is_computed() -> None:
    """The row has "Utfall 2022" and "Prognos 2023" only: no pair of one kind, so
    the change is computed between them when the question asks for one."""
    facts = [_fact("415", "utfall", 2022), _fact("517", "prognos", 2023)]
    assert _difference(facts, "sv") == ""  # not asked: two kinds are not compared
    assert _difference(facts, "sv", any_kind=True) == (
        "Värdet ökar från 2022 till 2023: 517 \u2212 415 = 102."
    )


def test_a_pair_of_one_kind_is_preferred_to_two_kinds() -> None:
    facts = [
        _fact("400", "budget", 2022),
        _fact("415", "utfall", 2022),
        _fact("450", "budget", 2023),
    ]
    assert _difference(facts, "sv", any_kind=True).endswith("450 \u2212 400 = 50.")


def test_rows_with_two_kinds_each_give_no_single_change() -> None:
    facts = [
        _fact("415", "utfall", 2022),
        _fact("517", "prognos", 2023),
        _fact("10", "utfall", 2022, line=6),
        _fact("12", "prognos", 2023, line=6),
    ]
    assert _difference(facts, "sv", any_kind=True) == ""


def test_the_kinds_the_question_writes_with_its_years_choose_the_pair() -> None:
    """ "Budget 2024 jämfört med prognosen för 2023": the forecast, not the
    budget of 2023 the row also has, is the earlier value."""
    facts = [
        _fact("830", "budget", 2023),
        _fact("796", "prognos", 2023),
        _fact("943", "budget", 2024),
    ]
    question = "Hur mycket högre är budget 2024 jämfört med prognosen för 2023?"
    named = kinds_by_year(question)
    assert named == {2024: "budget", 2023: "prognos"}
    assert _difference(facts, "sv", True, named).endswith("943 \u2212 796 = 147.")
    # Without kinds by the years, the pair of one kind is taken.
    same_kind = _difference(facts, "sv", True, kinds_by_year("Hur mycket ökar den?"))
    assert same_kind.endswith("943 \u2212 830 = 113.")


def test_a_kind_is_read_before_or_just_after_its_year() -> None:
    assert kinds_by_year("2024 års budget mot bokslut 2023") == {
        2024: "budget",
        2023: "bokslut",
    }
    assert kinds_by_year("the forecast for 2023 against the 2024 budget") == {
        2023: "prognos",
        2024: "budget",
    }
    assert kinds_by_year("Hur många anställda fanns 2023?") == {}


def test_a_change_of_a_row_of_three_years_is_the_change_since_the_last() -> None:
    """ "Med hur många poäng förbättrades resultatet jämfört med förra
    utvärderingen?" of a row printing 2024, 2022 and an average from 2020: the
    latest two; not asked, no change."""
    facts = [_fact("510", "poäng", 2024), _fact("438", "poäng", 2022)]
    facts.append(_fact("515", "medel", 2020))
    facts = [replace(f, kind=None) for f in facts]
    assert _difference(facts, "sv", any_kind=True) == (
        "Värdet ökar från 2022 till 2024: 510 \u2212 438 = 72."
    )
    assert _difference(facts, "sv") == ""
    # One value (of one year) has no change, asked or not.
    assert _difference(facts[:1], "sv", any_kind=True) == ""
