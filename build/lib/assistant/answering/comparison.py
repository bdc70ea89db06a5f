"""The one-line conclusion of a comparison across municipalities, computed from the
looked-up figures ("Högst: Kramfors kommun (231 871 tkr); lägst: Marks kommun
(207,0 mnkr)"), never from a guess: only when every place has a figure and the
figures share a unit (kronor in any scale count as one unit)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.models import Fact

# Kronor in their usual scales, so tkr and mnkr compare.
KRONOR = {"kr": 1.0, "tkr": 1e3, "mnkr": 1e6, "mdkr": 1e9}


def _comparable(fact: Fact) -> tuple[str, float]:
    unit = (fact.unit or "").lower()
    if unit in KRONOR:
        return "kr", fact.value * KRONOR[unit]
    return unit, fact.value


def _shown(fact: Fact) -> str:
    raw = fact.raw.strip().lstrip("-−").strip()
    return f"{raw} {fact.unit}".strip() if fact.unit and fact.unit not in raw else raw


def conclusion(figures: Sequence[tuple[str, Fact]], lang: str) -> str:
    """Highest and lowest of ``(place, fact)`` pairs; "" when they don't compare.

    Costs printed with a minus sign compare by size (a larger net cost is a larger
    budget), so signs are dropped when all figures share one.
    """
    if len(figures) < 2:
        return ""
    units = {_comparable(f)[0] for _, f in figures}
    if len(units) != 1:
        return ""
    values = [_comparable(f)[1] for _, f in figures]
    same_sign = all(v <= 0 for v in values) or all(v >= 0 for v in values)
    sizes = [abs(v) if same_sign else v for v in values]
    ranked = sorted(zip(sizes, figures, strict=True), key=lambda x: -x[0])
    (top, (hi_place, hi)), (low, (lo_place, lo)) = ranked[0], ranked[-1]
    if top == low:
        same = "Lika" if lang != "en" else "Equal"
        return f"{same}: {', '.join(p for p, _ in figures)} ({_shown(hi)})."
    if lang == "en":
        return f"Highest: {hi_place} ({_shown(hi)}); lowest: {lo_place} ({_shown(lo)})."
    return f"Högst: {hi_place} ({_shown(hi)}); lägst: {lo_place} ({_shown(lo)})."
