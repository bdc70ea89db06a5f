"""The run's charts, drawn by the project's chart helper (``assistant.charts``).

``accuracy.png``: correct rate (answer or refusal) per question type and overall,
one bar per system. ``latency.png``: the distribution of per-question latency per
system (box = p25-p75, line = median, points = questions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.charts import distribution_boxes, grouped_percent_bars
from evals.runner import EvalRun

ACCURACY_FILE = "accuracy.png"
LATENCY_FILE = "latency.png"


def draw_charts(run: EvalRun, folder: Path) -> list[tuple[str, str]]:
    """Write the charts into ``folder``; return (caption, file name) for the report."""
    systems = run.systems
    groups = ["overall", *sorted({t for s in systems for t in s.summary["by_type"]})]
    labels: list[str] = []
    shares: dict[str, list[float | None]] = {s.name: [] for s in systems}
    for group in groups:
        parts = [_part(s.summary, group) for s in systems]
        count = next((p["questions"] for p in parts if p), 0)
        labels.append(f"{group.replace('_', ' ')} (n={count})")
        for system, part in zip(systems, parts, strict=True):
            shares[system.name].append(part["correct"]["value"] if part else None)
    accuracy = "Correct (answer or refusal) by question type"
    (folder / ACCURACY_FILE).write_bytes(grouped_percent_bars(accuracy, labels, shares))
    latency = "Latency per question"
    samples = {s.name: [r.score.latency_ms for r in s.runs] for s in systems}
    (folder / LATENCY_FILE).write_bytes(
        distribution_boxes(latency, samples, xlabel="ms")
    )
    return [(accuracy, ACCURACY_FILE), (latency, LATENCY_FILE)]


def _part(summary: dict[str, Any], group: str) -> dict[str, Any] | None:
    return summary["overall"] if group == "overall" else summary["by_type"].get(group)
