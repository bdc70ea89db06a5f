"""Series detection in an answer's facts (pure) and the chart under the answer."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.fact_series import fact_chart
from assistant.web.fact_chart import render_fact_chart


@dataclass(frozen=True)
class F:
    label: str
    value: float
    column: str
    year: int | None
    kind: str | None = "budget"
    unit: str | None = "mnkr"
    municipality: str = "Sjöby kommun"
    summed_rows: int = 0


def test_three_years_of_one_measure_make_a_line() -> None:
    facts = [
        F("Nettokostnad", -207.0, "Budget 2025", 2025),
        F("Nettokostnad", -188.9, "Budget 2023", 2023),
        F("Nettokostnad", -205.6, "Budget 2024", 2024),
    ]
    chart = fact_chart(facts)
    assert chart is not None and chart.kind == "line"
    assert chart.series[0].labels == ("2023", "2024", "2025")
    assert chart.series[0].values == (-188.9, -205.6, -207.0)
    assert chart.ylabel == "mnkr"


def test_two_years_are_not_a_series() -> None:
    assert (
        fact_chart(
            [
                F("Nettokostnad", 1, "Budget 2023", 2023),
                F("Nettokostnad", 2, "Budget 2024", 2024),
            ]
        )
        is None
    )


def test_budget_and_outcome_over_years_are_two_series() -> None:
    facts = [
        F("Intäkter", v, f"Budget {y}", y) for y, v in ((2022, 1), (2023, 2), (2024, 3))
    ]
    facts += [
        F("Intäkter", v, f"Utfall {y}", y, kind="utfall")
        for y, v in ((2022, 4), (2023, 5), (2024, 6))
    ]
    chart = fact_chart(facts)
    assert chart is not None
    assert [s.name for s in chart.series] == ["Intäkter (budget)", "Intäkter (utfall)"]


def test_three_units_with_the_same_column_make_bars() -> None:
    facts = [
        F("Ekonomi", 12.5, "Budget 2025", 2025),
        F("HR", 8.0, "Budget 2025", 2025),
        F("IT", 20.1, "Budget 2025", 2025),
    ]
    chart = fact_chart(facts)
    assert chart is not None and chart.kind == "bar"
    assert chart.series[0].labels == ("Ekonomi", "HR", "IT")
    assert chart.title == "Budget 2025"


def test_three_municipalities_with_the_same_measure_make_bars() -> None:
    facts = [
        F("Sjukfrånvaro", v, "Utfall 2024", 2024, unit="%", municipality=m)
        for m, v in (("Aby", 5.1), ("Bby", 6.0), ("Cby", 4.2))
    ]
    chart = fact_chart(facts)
    assert chart is not None and chart.series[0].labels == ("Aby", "Bby", "Cby")
    assert chart.title == "Sjukfrånvaro – Utfall 2024"


def test_computed_sums_and_mixed_measures_are_no_series() -> None:
    facts = [
        F("A", 1, "Budget 2025", 2025, summed_rows=3),
        F("B", 2, "Budget 2025", 2025, summed_rows=3),
        F("C", 3, "Budget 2025", 2025, summed_rows=3),
    ]
    assert fact_chart(facts) is None
    mixed = [
        F("A", 1, "Budget 2025", 2025),
        F("B", 2, "Utfall 2024", 2024, unit="%"),
        F("C", 3, "Mål", None),
    ]
    assert fact_chart(mixed) is None


def test_rendered_chart_is_an_escaped_png_image() -> None:
    facts = [
        F("<b>Netto</b>", float(v), f"Budget {y}", y)
        for y, v in ((2023, 1), (2024, 2), (2025, 3))
    ]
    html = render_fact_chart(facts)
    assert 'src="data:image/png;base64,iVBOR' in html
    assert "<b>" not in html and "&lt;b&gt;Netto" in html
    assert render_fact_chart(facts[:2]) == ""
