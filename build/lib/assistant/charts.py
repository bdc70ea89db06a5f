"""The project's one chart helper (matplotlib, headless): series as bars or lines.

Used for number series in chat answers and briefs, and by the eval report. Every
function returns PNG bytes, so callers decide where the picture goes (a file, an
``<img>`` data URI, a Gradio image).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


@dataclass(frozen=True)
class Series:
    """One named series: x labels (years, units, municipalities) and their values."""

    name: str
    labels: tuple[str, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.values):
            raise ValueError(
                f"series {self.name!r}: {len(self.labels)} labels "
                f"but {len(self.values)} values"
            )


def series_chart(
    title: str,
    series: Sequence[Series],
    *,
    kind: str = "bar",
    ylabel: str = "",
    size: tuple[float, float] = (6.0, 3.2),
) -> bytes:
    """Bars (grouped when several series) or lines over the union of the labels.

    ``kind="line"`` suits a series over years; bars suit units or municipalities.
    """
    if kind not in ("bar", "line"):
        raise ValueError(f"kind must be 'bar' or 'line', not {kind!r}")
    labels: list[str] = []
    for s in series:
        labels += [label for label in s.labels if label not in labels]
    fig, ax = plt.subplots(figsize=size, dpi=100)
    try:
        width = 0.8 / max(len(series), 1)
        for i, s in enumerate(series):
            by_label = dict(zip(s.labels, s.values, strict=True))
            xs = [j for j, label in enumerate(labels) if label in by_label]
            ys = [by_label[labels[j]] for j in xs]
            color = PALETTE[i % len(PALETTE)]
            if kind == "line":
                ax.plot(xs, ys, marker="o", color=color, label=s.name)
            else:
                offset = (i - (len(series) - 1) / 2) * width
                ax.bar([x + offset for x in xs], ys, width, color=color, label=s.name)
        ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 6 else 0)
        _finish(ax, title, ylabel, legend=len(series) > 1)
        return _png(fig)
    finally:
        plt.close(fig)


def grouped_percent_bars(
    title: str,
    groups: Sequence[str],
    values: Mapping[str, Sequence[float | None]],
    *,
    size: tuple[float, float] = (11.0, 4.2),
) -> bytes:
    """Shares (0..1) per group for each system, bars labelled in percent."""
    fig, ax = plt.subplots(figsize=size, dpi=100)
    try:
        width = 0.8 / max(len(values), 1)
        for i, (name, shares) in enumerate(values.items()):
            offset = (i - (len(values) - 1) / 2) * width
            xs = [j + offset for j, v in enumerate(shares) if v is not None]
            ys = [100 * v for v in shares if v is not None]
            bars = ax.bar(xs, ys, width, color=PALETTE[i % len(PALETTE)], label=name)
            ax.bar_label(bars, fmt="%.0f", fontsize=7)
        ax.set_xticks(range(len(groups)), groups, rotation=25, ha="right")
        ax.set_ylim(0, 110)
        _finish(ax, title, "%", legend=False)
        # Beside the axes: bars of 100 % leave no free corner inside them.
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        return _png(fig)
    finally:
        plt.close(fig)


def distribution_boxes(
    title: str,
    samples: Mapping[str, Sequence[float]],
    *,
    xlabel: str = "",
    size: tuple[float, float] = (11.0, 3.2),
) -> bytes:
    """Horizontal box plots (with the points) of each named sample."""
    fig, ax = plt.subplots(figsize=size, dpi=100)
    try:
        names = list(samples)
        data = [list(samples[n]) or [0.0] for n in names]
        ax.boxplot(data, orientation="horizontal", tick_labels=names, showfliers=False)
        for i, values in enumerate(data, start=1):
            ax.plot(values, [i] * len(values), "o", alpha=0.3, markersize=3)
        ax.set_xlabel(xlabel)
        _finish(ax, title, "", legend=False)
        return _png(fig)
    finally:
        plt.close(fig)


def _finish(ax: plt.Axes, title: str, ylabel: str, *, legend: bool) -> None:
    ax.set_title(title, fontsize=11)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(fontsize=8, frameon=False)


def _png(fig: plt.Figure) -> bytes:
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
