"""Swedish number parsing: whole cells and prose."""

from __future__ import annotations

import random

import pytest

from corpus.numbers import column_meta, find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value", "comparator", "unit"),
    [
        ("1 234,5", 1234.5, None, None),
        ("-205,6", -205.6, None, None),
        ("−3,2", -3.2, None, None),  # U+2212 minus
        ("5,16%", 5.16, None, "%"),
        ("5,16 %", 5.16, None, "%"),
        ("≥ 90", 90.0, "≥", None),
        ("≤ 3,5", 3.5, "≤", None),
        ("17 000 000", 17_000_000.0, None, None),
        ("35 201", 35201.0, None, None),
        ("0,5 mnkr", 0.5, None, "mnkr"),
        ("<b>-205,6</b>", -205.6, None, None),
        ("700 000kr", 700_000.0, None, "kr"),
        ("<p>4,4 mnr</p>", 4.4, None, "mnkr"),  # "mnr" is a typo for mnkr
    ],
)
def test_parse_number_reads_swedish_cells(text, value, comparator, unit):
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert parsed.comparator == comparator
    assert parsed.unit == unit
    assert parsed.raw == text


@pytest.mark.parametrize(
    "text",
    [
        "Pågående",
        "2023-10-25",  # a date
        "3-4 mnkr",  # a range: not one value
        "2024 - 2027",
        "17 000 0000",  # misprint: digit groups must be exactly three digits
        "<b>17 000 0000</b>",
        "1 23",
        "1.1",  # section numbers, never a decimal point
        "",
    ],
)
def test_parse_number_rejects_text_dates_ranges_and_misprints(text):
    assert parse_number(text) is None


def _swedish(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return ("-" if value < 0 else "") + text


def test_round_trip_of_formatted_random_values():
    rng = random.Random(20240101)
    for _ in range(2000):
        decimals = rng.choice([0, 1, 2])
        value = round(rng.uniform(-50_000_000, 50_000_000), decimals)
        text = _swedish(value, decimals)
        for variant in (text, text + " %", text + "%", text.replace("-", "−")):
            parsed = parse_number(variant)
            assert parsed is not None, variant
            assert parsed.value == pytest.approx(value), variant


def test_round_trip_with_comparators_and_units():
    rng = random.Random(7)
    for _ in range(300):
        value = round(rng.uniform(0, 10_000), 1)
        for sign, expected in (("≥", "≥"), ("≤", "≤"), (">=", "≥"), ("<", "<")):
            for unit in ("tkr", "mnkr", "kr", "%"):
                parsed = parse_number(f"{sign} {_swedish(value, 1)} {unit}")
                assert parsed is not None
                assert (parsed.value, parsed.comparator, parsed.unit) == (
                    pytest.approx(value),
                    expected,
                    unit,
                )


def test_wrong_group_sizes_never_parse():
    rng = random.Random(3)
    for _ in range(500):
        head = str(rng.randint(1, 999))
        groups = [str(rng.randint(0, 999)).zfill(3) for _ in range(rng.randint(1, 3))]
        bad = rng.randrange(len(groups))
        groups[bad] += "0"  # one group with four digits
        assert parse_number(" ".join([head, *groups])) is None


def test_find_numbers_keeps_a_year_apart_from_the_amount_after_it():
    # 000_965797b1dd14ccdb.txt L601
    found = find_numbers("är 2023 27 219 kr och för 2024 28 281 kr")
    assert [n.value for n in found] == [2023, 27219, 2024, 28281]
    assert [n.unit for n in found] == [None, "kr", None, "kr"]


def test_find_numbers_decimal_comma_percent_sign_and_dates():
    found = find_numbers(
        "sjukfrånvaron var 5,16 %, målet ≥ 86 och -5 timmar; beslut 2023-10-25."
    )
    assert [(n.value, n.comparator, n.unit) for n in found] == [
        (5.16, None, "%"),
        (86.0, "≥", None),
        (-5.0, None, "h"),
    ]


def test_find_numbers_does_not_read_a_year_range_as_negative():
    assert [n.value for n in find_numbers("perioden 2023-2024")] == [2023, 2024]


def test_find_numbers_prose_amounts():
    text = "uppgår till 43 313 527 kronor och 0,42 helårsarbetare"
    found = find_numbers(text)
    assert [(n.value, n.unit) for n in found] == [(43313527.0, "kr"), (0.42, None)]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Budgetavvikelse", "avvikelse"),  # a compound's last part is its head
        ("Prognosavvikelse 2023", "avvikelse"),
        ("Helårsprognos 2023", "prognos"),
        ("Årsprognos Resultat Netto", "prognos"),
        ("Återstår", "avvikelse"),  # budget minus outcome, by another word
        ("Diff", "avvikelse"),
        ("Investeringsbudget 2025", "budget"),
        ("Budgetbehov kr", "budget"),  # a kind at the start when none ends it
        ("Avvikelse prognos mot budget", "avvikelse"),  # the earliest word wins
        ("Differentierad taxa", None),
        ("Ändamål", None),  # a short kind word ending a word is no kind
    ],
)
def test_column_kinds_read_compound_heads_and_synonyms(
    header: str, kind: str | None
) -> None:
    assert column_meta(header)[0] == kind
