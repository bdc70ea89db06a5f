"""Series in an answer's facts, for a small chart under the answer.

Pure: facts in, a ``FactChart`` (or None) out. A series is the same measure over at
least ``MIN_POINTS`` years (a line), or the same column over at least ``MIN_POINTS``
rows or municipalities (bars). Computed sums are not points of a series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.charts import Series

MIN_POINTS = 3


class FactLike(Protocol):
    label: str
    value: float
    column: str
    unit: str | None
    year: int | None
    kind: str | None
    municipality: str
    summed_rows: int


@dataclass(frozen=True)
class FactChart:
    title: str
    series: tuple[Series, ...]
    kind: str  # "line" over years, "bar" over rows or municipalities
    ylabel: str = ""


def _over_years(facts: Sequence[FactLike]) -> FactChart | None:
    groups: dict[tuple[str, str, str, str], dict[int, float]] = {}
    for f in facts:
        if f.year is None:
            continue
        key = (f.label.strip(), f.kind or "", f.unit or "", f.municipality)
        groups.setdefault(key, {}).setdefault(f.year, f.value)
    long = {k: v for k, v in groups.items() if len(v) >= MIN_POINTS}
    if not long:
        return None
    first = next(iter(long))
    # Only series of the first one's label and unit share an axis.
    same = {k: v for k, v in long.items() if (k[0], k[2]) == (first[0], first[2])}
    series = tuple(
        Series(
            (f"{label} ({kind})" if kind and len(same) > 1 else label)
            + (f", {place}" if place and len({k[3] for k in same}) > 1 else ""),
            tuple(str(y) for y in sorted(points)),
            tuple(points[y] for y in sorted(points)),
        )
        for (label, kind, _unit, place), points in same.items()
    )
    return FactChart(first[0], series, "line", first[2])


def _across_units(facts: Sequence[FactLike]) -> FactChart | None:
    groups: dict[tuple[str, str], dict[str, float]] = {}
    for f in facts:
        groups.setdefault((f.column.strip(), f.unit or ""), {})
    for (column, unit), points in groups.items():
        same = [f for f in facts if (f.column.strip(), f.unit or "") == (column, unit)]
        labels = {f.label.strip() for f in same}
        places = {f.municipality for f in same}
        by_place = len(labels) == 1 and len(places) >= MIN_POINTS
        for f in same:
            name = f.municipality if by_place else f.label.strip()
            points.setdefault(name, f.value)
        if len(points) >= MIN_POINTS:
            title = f"{next(iter(labels))} – {column}" if by_place else column
            series = Series(column, tuple(points), tuple(points.values()))
            return FactChart(title, (series,), "bar", unit)
    return None


def fact_chart(facts: Sequence[FactLike]) -> FactChart | None:
    """The chart the facts form, if any.

    Example: "Nettokostnader" budget 2023, 2024, 2025 -> a line over the three years;
    "Budget 2025" of four units -> bars per unit; two facts -> None.
    """
    points = [f for f in facts if not f.summed_rows]
    if len(points) < MIN_POINTS:
        return None
    return _over_years(points) or _across_units(points)
