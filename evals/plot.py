"""The run's PNG: accuracy by question type (bars) and latency distribution (box plots).

Drawn with Pillow so the venv needs no plotting library.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from evals.metrics import percentile
from evals.runner import EvalRun

WIDTH, HEIGHT = 1100, 820
MARGIN_LEFT, MARGIN_RIGHT = 90, 30
COLORS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40))
GRID = (220, 220, 220)
INK = (30, 30, 30)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType: fixed bitmap font
        return ImageFont.load_default()


def draw_plot(run: EvalRun, path: Path) -> None:
    """Write ``path`` (PNG) for the run's systems."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    _accuracy_panel(draw, run, top=20, bottom=470)
    _latency_panel(draw, run, top=520, bottom=HEIGHT - 30)
    image.save(path, format="PNG")


def _accuracy_panel(
    draw: ImageDraw.ImageDraw, run: EvalRun, top: int, bottom: int
) -> None:
    title, small = _font(18), _font(12)
    draw.text(
        (MARGIN_LEFT, top),
        "Correct (answer or refusal) by question type",
        fill=INK,
        font=title,
    )
    plot_top, plot_bottom = top + 40, bottom - 60
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    for pct in range(0, 101, 20):
        y = plot_bottom - (plot_bottom - plot_top) * pct / 100
        draw.line((left, y, right, y), fill=GRID)
        draw.text((left - 45, y - 7), f"{pct}%", fill=INK, font=small)
    systems = run.systems
    groups = ["overall", *sorted({t for s in systems for t in s.summary["by_type"]})]
    slot = (right - left) / max(len(groups), 1)
    bar = slot * 0.8 / max(len(systems), 1)
    for gi, group in enumerate(groups):
        x0 = left + gi * slot + slot * 0.1
        parts = [_part(system.summary, group) for system in systems]
        for si, part in enumerate(parts):
            value = part["correct"]["value"] if part else None
            if value is None:
                continue
            bx = x0 + si * bar
            y = plot_bottom - (plot_bottom - plot_top) * value
            color = COLORS[si % len(COLORS)]
            draw.rectangle((bx, y, bx + bar - 2, plot_bottom), fill=color)
            draw.text((bx, y - 14), f"{100 * value:.0f}", fill=INK, font=small)
        count = next((p["questions"] for p in parts if p), 0)
        label = [*textwrap.wrap(group.replace("_", " "), 14), f"n={count}"]
        for li, text in enumerate(label):
            xy = (left + gi * slot + 4, plot_bottom + 6 + 15 * li)
            draw.text(xy, text, fill=INK, font=small)
    _legend(draw, [s.name for s in systems], right - 220, top)


def _part(summary: dict[str, Any], group: str) -> dict[str, Any] | None:
    return summary["overall"] if group == "overall" else summary["by_type"].get(group)


def _legend(draw: ImageDraw.ImageDraw, names: Sequence[str], x: int, y: int) -> None:
    font = _font(14)
    for i, name in enumerate(names):
        draw.rectangle(
            (x + i * 110, y + 4, x + i * 110 + 14, y + 18), fill=COLORS[i % len(COLORS)]
        )
        draw.text((x + i * 110 + 20, y + 2), name, fill=INK, font=font)


def _latency_panel(
    draw: ImageDraw.ImageDraw, run: EvalRun, top: int, bottom: int
) -> None:
    title, small = _font(18), _font(12)
    draw.text(
        (MARGIN_LEFT, top),
        "Latency per question (ms): dots = questions, box = p25-p75, "
        "bar = p50, diamond = p95",
        fill=INK,
        font=title,
    )
    left, right = MARGIN_LEFT + 40, WIDTH - MARGIN_RIGHT
    values = {s.name: [r.score.latency_ms for r in s.runs] for s in run.systems}
    highest = max((v for vs in values.values() for v in vs), default=1.0) or 1.0
    axis_y = bottom - 20
    digits = 0 if highest >= 50 else 1 if highest >= 1 else 3

    def x_of(ms: float) -> float:
        return left + (right - left) * ms / highest

    for i in range(6):
        ms = highest * i / 5
        draw.line((x_of(ms), top + 35, x_of(ms), axis_y), fill=GRID)
        draw.text((x_of(ms) - 10, axis_y + 4), f"{ms:.{digits}f}", fill=INK, font=small)
    row = (axis_y - top - 40) / max(len(run.systems), 1)
    jitter = random.Random(0)  # fixed seed: the same run draws the same picture
    for si, system in enumerate(run.systems):
        ys = values[system.name]
        cy = top + 40 + row * (si + 0.5)
        color = COLORS[si % len(COLORS)]
        draw.text((MARGIN_LEFT - 80, cy - 7), system.name, fill=INK, font=small)
        if not ys:
            continue
        for v in ys:
            jy = cy + jitter.uniform(-row * 0.3, row * 0.3)
            draw.ellipse((x_of(v) - 2, jy - 2, x_of(v) + 2, jy + 2), fill=color)
        p25, p50, p75, p95 = (percentile(ys, q) or 0.0 for q in (25, 50, 75, 95))
        h = row * 0.35
        draw.rectangle((x_of(p25), cy - h, x_of(p75), cy + h), outline=INK, width=2)
        draw.line((x_of(p50), cy - h, x_of(p50), cy + h), fill=INK, width=3)
        d = 6
        px = x_of(p95)
        draw.polygon([(px, cy - d), (px + d, cy), (px, cy + d), (px - d, cy)], fill=INK)
        draw.text(
            (x_of(p75) + 8, cy - h),
            f"p50 {p50:.{digits}f} · p95 {p95:.{digits}f}",
            fill=INK,
            font=small,
        )
