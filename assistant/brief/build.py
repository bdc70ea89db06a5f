"""``build_brief(source, doc)``: the eight parts of an onboarding brief for one
indexed document, from its classified sections and typed tables."""

from __future__ import annotations

from assistant.brief.abbreviations import abbreviation_items
from assistant.brief.classify import classify
from assistant.brief.models import Brief, BriefChart, BriefItem, BriefPart
from assistant.brief.questions import suggest_questions
from assistant.brief.source import BriefSource, DocumentView
from assistant.brief.table_parts import (
    assignment_items,
    economy_items,
    goal_items,
    risk_items,
)
from assistant.brief.text_parts import goal_statements, list_items, prose_items
from assistant.brief.vocabulary import BriefVocabulary, PartWords, default_vocabulary

MAX_CHARTS = 2


def build_brief(
    source: BriefSource,
    doc: str,
    vocab: BriefVocabulary | None = None,
    *,
    with_questions: bool = True,
) -> Brief:
    """The brief of ``doc`` (a file name as ``assistant list`` shows it)."""
    vocab = vocab or default_vocabulary()
    view = DocumentView.open(source, doc)
    found = classify(view.sections, view.tables, vocab)

    def words(key: str):
        return vocab.part(key)

    def sections(key: str):
        return found.sections_of(key, view.sections)

    def tables(key: str):
        return found.tables_of(key, view.tables)

    items: dict[str, list[BriefItem]] = {}
    for key in ("mission", "vision"):
        w = words(key)
        items[key] = prose_items(
            view, sections(key), w.sentences_per_section, w.max_items
        )
    items["goals"] = goal_items(
        view,
        tables("goals"),
        list(list_items(view, sections("goals"))),
        words("goals"),
        words("assignments").words("statuses"),
    )
    economy_tables = sorted(
        tables("economy"),
        key=lambda t: (
            found.sections.get(_section_line(view, t.line_start)) != "economy"
        ),
    )
    core = frozenset(
        t.table_id
        for t in economy_tables
        if found.sections.get(_section_line(view, t.line_start)) == "economy"
    )
    items["economy"], charts = economy_items(
        view, economy_tables, words("economy"), core
    )
    items["risks"] = risk_items(view, tables("risks"), words("risks"))
    if not items["risks"]:
        w = words("risks")
        items["risks"] = prose_items(
            view, sections("risks"), w.sentences_per_section, w.max_items
        )
    items["assignments"] = assignment_items(
        view,
        tables("assignments"),
        list(list_items(view, sections("assignments"))),
        words("assignments"),
    )
    items["abbreviations"] = abbreviation_items(
        view, sections("abbreviations"), words("abbreviations").max_items
    )
    if not items["vision"]:
        # Without a vision section, the goals the document sets are its strategic
        # goals: the goal headings that state a goal ("Mål 4 - Kramfors kommun är ...").
        items["vision"] = goal_statements(
            view, sections("goals"), words("vision").max_items
        )
    items["economy"] = _distinct(items["economy"])
    parts = [_part(words(key), items[key]) for key in items]
    questions: tuple[str, ...] = ()
    if with_questions:
        questions = suggest_questions(parts, view.meta, source.ask)
    parts.append(_part(words("questions"), [BriefItem(q) for q in questions]))
    return Brief(
        doc=doc,
        title=view.meta.title,
        parts=tuple(parts),
        questions=questions,
        charts=tuple(_distinct_charts(charts)[:MAX_CHARTS]),
        content_hash=source.content_hash(doc),
    )


def _part(words: PartWords, items: list[BriefItem]) -> BriefPart:
    """A part; the note saying what the document lacks only when it has no items."""
    return BriefPart(
        words.key, words.title, tuple(items), "" if items else words.missing
    )


def _distinct(items: list[BriefItem]) -> list[BriefItem]:
    """Items stating the same figures once (a table's "Summa totalt" and "Totalt")."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for item in items:
        if item.values and item.values in seen:
            continue
        seen.add(item.values)
        out.append(item)
    return out


def _distinct_charts(charts: list[BriefChart]) -> list[BriefChart]:
    seen: set[tuple[tuple[float, ...], ...]] = set()
    out = []
    for chart in charts:
        key = tuple(s.values for s in chart.series)
        if key not in seen:
            seen.add(key)
            out.append(chart)
    return out


def _section_line(view: DocumentView, line: int) -> int:
    inside = [s for s in view.sections if s.line_start <= line <= s.line_end]
    return inside[-1].line_start if inside else 0


__all__ = ["Brief", "BriefChart", "build_brief"]
