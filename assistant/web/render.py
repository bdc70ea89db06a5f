"""Pure HTML rendering of answers for the web chat.

Everything a document or a user wrote is HTML-escaped here: plan documents carry
HTML remnants (``<b>``, ``<ul><li>``) that must show as text, never as markup.
The output is one line of HTML with no blank lines, so the chat's Markdown
renderer treats it as a single HTML block and leaves the text alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.models import Answer, Citation, Fact
from assistant.web.fact_chart import render_fact_chart

LinesFor = Callable[[str], Sequence[str]]  # doc file name -> original lines (index+1)

CONTEXT_LINES = 2  # lines shown around a quoted passage
MAX_PASSAGE_LINES = 60  # a huge citation range is cut, with a note
SKIP_MARK = "[…]"  # a quote line that stands for skipped lines

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_REF = re.compile(r"\[(\d{1,3})\]")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


@dataclass(frozen=True)
class Labels:
    """Source-block labels in the answer's language (see answer-style.md)."""

    sources: str
    document: str
    file: str
    section: str
    lines: str
    line: str
    table_row: str
    latency: str


SWEDISH = Labels(
    "Källor", "Dokument", "Fil", "Avsnitt", "Rader", "rad", "Tabellrad", "Svarstid"
)
ENGLISH = Labels(
    "Sources", "Document", "File", "Section", "Lines", "line", "Table row", "Time"
)


def esc(text: str) -> str:
    """Escape text for HTML (quotes too, so it is safe inside attributes)."""
    return html.escape(text, quote=True)


def strip_tags(text: str) -> str:
    """Drop HTML remnants such as ``<b>`` for display in table cells."""
    return _TAG.sub("", text).strip()


def labels_for(answer: Answer) -> Labels:
    return ENGLISH if answer.interpreted_query.get("lang") == "en" else SWEDISH


def render_user_message(text: str) -> str:
    """The user's own words, shown literally."""
    body = "<br>".join(esc(line) for line in text.strip().splitlines())
    return f'<div class="ps-user">{body}</div>'


def render_notice(message: str, *, error: bool = False) -> str:
    """A short system message in the chat (busy, bad input, no index...)."""
    cls = "ps-notice ps-error" if error else "ps-notice"
    body = "<br>".join(esc(line) for line in message.strip().splitlines())
    return f'<div class="{cls}">{body}</div>'


def render_pending(text: str = "Söker i dokumenten…") -> str:
    return f'<div class="ps-pending">{esc(text)}</div>'


def render_answer_text(text: str) -> str:
    """The answer body: lines kept, ``[n]`` styled, Markdown tables as tables."""
    parts: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if table:
            parts.append(_markdown_table(table))
            table.clear()

    for line in text.strip().splitlines():
        if line.lstrip().startswith("|"):
            table.append(line.strip())
            continue
        flush()
        if line.strip():
            parts.append(f'<div class="ps-line">{_refs(esc(line))}</div>')
        else:
            parts.append('<div class="ps-gap"></div>')
    flush()
    return f'<div class="ps-text">{"".join(parts)}</div>'


def _refs(escaped: str) -> str:
    return _REF.sub(r'<span class="ps-ref">[\1]</span>', escaped)


def _markdown_table(rows: list[str]) -> str:
    cells = [
        [c.strip() for c in row.strip("|").split("|")]
        for row in rows
        if not _TABLE_SEPARATOR.match(row)
    ]
    if not cells:
        return ""
    head, *body = cells
    th = "".join(f"<th>{_refs(esc(c))}</th>" for c in head)
    trs = "".join(
        "<tr>" + "".join(f"<td>{_refs(esc(c))}</td>" for c in r) + "</tr>" for r in body
    )
    return (
        f'<table class="ps-md"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'
    )


def render_answer(answer: Answer, lines_for: LinesFor) -> str:
    """The whole chat reply: Tolkat som, direct answer, table rows used, sources."""
    labels = labels_for(answer)
    parts = ['<div class="ps-answer">']
    if answer.interpretation:
        parts.append(f'<div class="ps-interp">{esc(answer.interpretation)}</div>')
    cls = "ps-body ps-refused" if answer.refused else "ps-body"
    parts.append(f'<div class="{cls}">{render_answer_text(answer.answer)}</div>')
    if answer.notice:
        parts.append(render_notice(answer.notice))
    parts.append(render_fact_tables(answer.facts, lines_for, labels))
    # TEMPORARY (issue 13): FactLike in answering/fact_series.py declares settable
    # members, so the frozen Fact does not match it until the lead makes them read-only.
    parts.append(render_fact_chart(answer.facts))  # type: ignore[arg-type]
    if answer.citations:
        title = f'<div class="ps-sources-title">{labels.sources}</div>'
        parts.append(f'<div class="ps-sources">{title}')
        parts.extend(render_source(c, lines_for, labels) for c in answer.citations)
        parts.append("</div>")
    if answer.latency_ms:
        seconds = f"{answer.latency_ms / 1000:.1f}".replace(".", ",")
        parts.append(f'<div class="ps-meta">{labels.latency} {seconds} s</div>')
    parts.append("</div>")
    return "".join(parts)


def render_fact_tables(
    facts: Sequence[Fact], lines_for: LinesFor, labels: Labels = SWEDISH
) -> str:
    """Each table row a numeric answer used, shown under its header row."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        groups.setdefault((fact.doc, fact.table_id), []).append(fact)
    out = []
    for (doc, _), group in groups.items():
        lines = lines_for(doc)
        first = group[0]
        header = _cells(lines, first.header_line)
        rows: dict[int, set[str]] = {}
        for fact in group:
            rows.setdefault(fact.line, set()).add(fact.column)
        width = max([len(header)] + [len(_cells(lines, n)) for n in rows])
        head_html = ""
        if header:
            head_html = (
                "<thead><tr>"
                + "".join(f"<th>{esc(c)}</th>" for c in _pad(header, width))
                + "</tr></thead>"
            )
        body = []
        for n, columns in rows.items():
            cells = _pad(_cells(lines, n), width) if _cells(lines, n) else [first.label]
            tds = []
            for i, cell in enumerate(cells):
                used = i < len(header) and header[i] in columns
                tag = (
                    "<td class='ps-used'><strong>{}</strong></td>"
                    if used
                    else "<td>{}</td>"
                )
                tds.append(tag.format(esc(cell)))
            body.append("<tr>" + "".join(tds) + "</tr>")
        where = [first.section_path, doc]
        line_nos = ", ".join(str(n) for n in [first.header_line, *rows] if n)
        caption = (
            f"{labels.table_row}: {' · '.join(esc(w) for w in where if w)} "
            f"({labels.line} {esc(line_nos)})"
        )
        out.append(
            f'<table class="ps-fact"><caption>{caption}</caption>{head_html}'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return "".join(out)


def _cells(lines: Sequence[str], n: int) -> list[str]:
    if not 1 <= n <= len(lines):
        return []
    return [strip_tags(c) for c in lines[n - 1].split("\t")]


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def render_source(
    citation: Citation, lines_for: LinesFor, labels: Labels = SWEDISH
) -> str:
    """One numbered source as a collapsed ``<details>`` with the passage in context."""
    c = citation
    span = (
        f"{c.line_start}–{c.line_end}"
        if c.line_end != c.line_start
        else f"{c.line_start}"
    )
    page = f", s. {c.page}" if c.page else ""
    summary = (
        f'<span class="ps-ref">[{c.n}]</span> {esc(c.title or c.doc)} · '
        f'<span class="ps-file">{esc(c.doc)}</span> · '
        f"{labels.lines.lower()} {span}{page}"
    )
    meta = (
        f"<div><b>{labels.document}:</b> {esc(c.title)}</div>"
        f"<div><b>{labels.file}:</b> {esc(c.doc)}</div>"
        f"<div><b>{labels.section}:</b> {esc(c.section)}</div>"
        f"<div><b>{labels.lines}:</b> {c.line_start}-{c.line_end}</div>"
    )
    return (
        f'<details class="ps-source"><summary>{summary}</summary>'
        f'<div class="ps-meta-block">{meta}</div>'
        f"{render_passage(c, lines_for(c.doc))}</details>"
    )


def render_passage(citation: Citation, lines: Sequence[str]) -> str:
    """The quoted lines highlighted inside a few surrounding lines of the document."""
    shown = passage_lines(citation, lines)
    if not shown or not _quote_matches(citation, lines):
        # No original text to place it in (unknown or changed document): quote only.
        rows = "".join(
            _line_div(None, esc(t), True) for t in citation.text.splitlines()
        )
        return f'<div class="ps-passage">{rows}</div>'
    hits = highlighted_lines(citation, lines)
    marked = [
        '<div class="ps-l ps-skip"><span class="ps-no"></span>⋯</div>'
        if n is None
        else _line_div(n, esc(lines[n - 1]), n in hits)
        for n in shown
    ]
    return f'<div class="ps-passage">{"".join(marked)}</div>'


def _line_div(n: int | None, escaped: str, hit: bool) -> str:
    number = f'<span class="ps-no">{n or ""}</span>'
    if hit:
        return f'<div class="ps-l ps-hit">{number}<mark>{escaped}</mark></div>'
    return f'<div class="ps-l">{number}{escaped}</div>'


def highlighted_lines(citation: Citation, lines: Sequence[str] = ()) -> set[int]:
    """Line numbers of the quote: the whole range, or, when the quote skips lines
    with ``[…]``, only the range's lines that appear in the quote."""
    numbers = range(citation.line_start, citation.line_end + 1)
    quoted = {q.strip() for q in citation.text.splitlines()}
    if SKIP_MARK not in quoted:
        return set(numbers)
    hits = {citation.line_start, citation.line_end}
    hits.update(
        n for n in numbers if 0 < n <= len(lines) and lines[n - 1].strip() in quoted
    )
    return hits


def passage_lines(
    citation: Citation, lines: Sequence[str], context: int = CONTEXT_LINES
) -> list[int | None]:
    """Line numbers to show (1-based); ``None`` marks a gap of skipped lines."""
    n_lines = len(lines)
    if n_lines == 0 or not 1 <= citation.line_start <= citation.line_end <= n_lines:
        return []
    wanted: set[int] = set()
    for n in sorted(highlighted_lines(citation, lines)):
        wanted.update(range(max(1, n - context), min(n_lines, n + context) + 1))
    shown: list[int | None] = []
    previous = 0
    for n in sorted(wanted)[:MAX_PASSAGE_LINES]:
        if previous and n > previous + 1:
            shown.append(None)
        shown.append(n)
        previous = n
    return shown


def _quote_matches(citation: Citation, lines: Sequence[str]) -> bool:
    """The cited range still holds the quoted text (guards against a stale index)."""
    first = next((q for q in citation.text.splitlines() if q.strip()), "")
    return not first or lines[citation.line_start - 1].strip() == first.strip()


# Passed to ``launch(css=...)``; classes survive the chat's HTML sanitizer.
CHAT_CSS = """
.ps-interp { font-style: italic; opacity: .85; margin-bottom: .3em; }
.ps-ref { font-size: .8em; vertical-align: super; color: var(--color-accent); }
.ps-refused .ps-line:first-child { font-weight: 600; }
.ps-gap { height: .5em; }
.ps-notice { padding: .4em .6em; border-left: 3px solid var(--color-accent); }
.ps-error { border-left-color: #c0392b; }
.ps-pending { opacity: .7; font-style: italic; }
.ps-sources { margin-top: .6em; }
.ps-sources-title { font-weight: 600; margin-bottom: .2em; }
.ps-source summary { cursor: pointer; }
.ps-file { font-family: var(--font-mono); font-size: .85em; }
.ps-meta-block { font-size: .9em; margin: .3em 0; }
.ps-passage { font-family: var(--font-mono); font-size: .8em; white-space: pre-wrap;
  tab-size: 4; border: 1px solid var(--border-color-primary); padding: .3em;
  max-height: 22em; overflow: auto; }
.ps-l { display: block; }
.ps-no { display: inline-block; min-width: 3.5em; opacity: .55; user-select: none; }
.ps-hit mark { background: #fff3b0; color: #111; }
.ps-fact, .ps-md { border-collapse: collapse; font-size: .85em; margin-top: .5em; }
.ps-fact caption { caption-side: top; text-align: left; font-size: .9em; opacity: .8; }
.ps-fact th, .ps-fact td, .ps-md th, .ps-md td {
  border: 1px solid var(--border-color-primary); padding: .15em .4em; }
.ps-used { background: #fff3b0; color: #111; }
.ps-meta { font-size: .75em; opacity: .6; margin-top: .4em; }
"""
