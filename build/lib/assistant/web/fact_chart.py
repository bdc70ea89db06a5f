"""The chart under a chat answer whose facts form a series (see fact_series.py)."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from assistant.answering.fact_series import FactLike, fact_chart


def render_fact_chart(facts: Sequence[FactLike]) -> str:
    """An ``<img>`` (PNG data URI) of the facts' series, or "" when they form none."""
    chart = fact_chart(facts)
    if chart is None:
        return ""
    from assistant.charts import series_chart  # matplotlib only when drawn

    png = series_chart(
        chart.title, chart.series, kind=chart.kind, ylabel=chart.ylabel, size=(5.0, 2.6)
    )
    data = base64.b64encode(png).decode()
    title = html.escape(chart.title, quote=True)
    return (
        f'<div class="ps-chart"><img alt="Diagram: {title}" '
        f'src="data:image/png;base64,{data}" style="max-width:100%"/></div>'
    )
