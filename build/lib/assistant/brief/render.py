"""The brief as Markdown, standalone HTML or JSON; every item cites document and
lines (and page for PDFs) the way chat answers do."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence

from assistant.brief.models import Brief, BriefItem, BriefPart
from assistant.models import Citation

GOAL_COLUMNS = ("Mål", "Indikator", "Målvärde", "Senaste utfall", "Status")


def cite_text(c: Citation) -> str:
    """ "000_x.txt, rad 12–14, s. 3" (the address chat answers show)."""
    lines = f"rad {c.line_start}" + (
        f"–{c.line_end}" if c.line_end != c.line_start else ""
    )
    page = f", s. {c.page}" if c.page else ""
    return f"{c.doc}, {lines}{page}"


def _sources(item: BriefItem) -> str:
    return "; ".join(cite_text(c) for c in item.citations)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_part(part: BriefPart) -> list[str]:
    out = [f"## {part.title}", ""]
    if part.missing:
        return [*out, f"*{part.note}*", ""]
    if part.key == "goals":
        out += ["| " + " | ".join((*GOAL_COLUMNS, "Källa")) + " |"]
        out += ["|" + "---|" * (len(GOAL_COLUMNS) + 1)]
        for item in part.items:
            fields = dict(item.fields)
            cells = [fields.get(c, "") for c in GOAL_COLUMNS]
            out.append(
                "| " + " | ".join(_md_cell(c) for c in (*cells, _sources(item))) + " |"
            )
        return [*out, ""]
    if part.key == "questions":
        return [*out, *(f"- {i.text}" for i in part.items), ""]
    out += [f"- {i.text} ({_sources(i)})" for i in part.items]
    return [*out, ""]


def to_markdown(brief: Brief, chart_files: Sequence[str] = ()) -> str:
    """Markdown with the charts as images at ``chart_files`` (relative paths)."""
    out = [f"# Introduktion: {brief.title}", "", f"Dokument: `{brief.doc}`", ""]
    for part in brief.parts:
        out += _md_part(part)
        if part.key == "economy":
            for chart, name in zip(brief.charts, chart_files, strict=False):
                sources = "; ".join(cite_text(c) for c in chart.citations)
                out += [f"![{chart.title}]({name})", "", f"*Källa: {sources}*", ""]
    return "\n".join(out).rstrip() + "\n"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def part_html(part: BriefPart) -> str:
    """One part as an HTML fragment (also used by the web tab)."""
    head = f'<h3 class="brief-part" id="brief-{part.key}">{_h(part.title)}</h3>'
    if part.missing:
        return f'{head}<p class="brief-missing"><em>{_h(part.note)}</em></p>'
    if part.key == "goals":
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{_h(dict(i.fields).get(c, ''))}</td>" for c in GOAL_COLUMNS)
            + f'<td class="brief-cite">{_h(_sources(i))}</td></tr>'
            for i in part.items
        )
        header = "".join(f"<th>{_h(c)}</th>" for c in (*GOAL_COLUMNS, "Källa"))
        return f'{head}<table class="brief-goals"><tr>{header}</tr>{rows}</table>'
    if part.key == "questions":
        items = "".join(f"<li>{_h(i.text)}</li>" for i in part.items)
        return f"{head}<ul>{items}</ul>"
    items = "".join(
        f'<li>{_h(i.text)} <span class="brief-cite">({_h(_sources(i))})</span></li>'
        for i in part.items
    )
    return f"{head}<ul>{items}</ul>"


def charts_html(brief: Brief, pngs: Sequence[bytes]) -> str:
    out = []
    for chart, png in zip(brief.charts, pngs, strict=False):
        data = base64.b64encode(png).decode()
        sources = "; ".join(cite_text(c) for c in chart.citations)
        out.append(
            f'<figure class="brief-chart"><img alt="{_h(chart.title)}" '
            f'src="data:image/png;base64,{data}"/>'
            f"<figcaption>Källa: {_h(sources)}</figcaption></figure>"
        )
    return "".join(out)


def to_html(
    brief: Brief, pngs: Sequence[bytes] = (), *, standalone: bool = True
) -> str:
    body = []
    for part in brief.parts:
        if part.key == "questions" and not standalone:
            continue  # the web tab shows them as buttons
        body.append(part_html(part))
        if part.key == "economy":
            body.append(charts_html(brief, pngs))
    inner = (
        f'<div class="brief"><h2>Introduktion: {_h(brief.title)}</h2>'
        f"<p>Dokument: <code>{_h(brief.doc)}</code></p>{''.join(body)}</div>"
    )
    if not standalone:
        return inner
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>Introduktion: {_h(brief.title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;"
        "vertical-align:top}.brief-cite{color:#666;font-size:90%}</style>"
        f"</head><body>{inner}</body></html>\n"
    )


def to_json_text(brief: Brief) -> str:
    return json.dumps(brief.to_json(), ensure_ascii=False, indent=1)
