"""General classification of a document's sections and tables into brief parts.

Sections by their heading words (``parts.toml``), inheriting the parent's part when
their own heading names none; tables by their column headers and the typed cells the
table parser gives (kinds budget/utfall/prognos/mål..., units), then by their section.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.brief.vocabulary import BriefVocabulary, any_term_in
from corpus.models import Section, Table

MONEY_UNITS = frozenset({"mnkr", "tkr", "kr", "mdkr"})
MONEY_KINDS = frozenset({"budget", "utfall", "prognos", "bokslut", "avvikelse"})
# Parts a section can be classified as (abbreviations come from the whole text).
# The order decides ties: "Uppdrag till nämnden från mål- och resursplan" is an
# assignment heading before it is a goal heading.
SECTION_PARTS = (
    "mission",
    "vision",
    "assignments",
    "goals",
    "economy",
    "risks",
    "abbreviations",
)


@dataclass(frozen=True)
class Classified:
    """Part key per section (by heading line) and per table (by table id)."""

    sections: dict[int, str]
    tables: dict[str, str]

    def sections_of(self, key: str, sections: list[Section]) -> list[Section]:
        return [s for s in sections if self.sections.get(s.line_start) == key]

    def tables_of(self, key: str, tables: list[Table]) -> list[Table]:
        return [t for t in tables if self.tables.get(t.table_id) == key]


def classify_section(title: str, vocab: BriefVocabulary) -> str | None:
    """The first part (in parts.toml order) whose heading words ``title`` holds."""
    for key in SECTION_PARTS:
        if vocab.part(key).heading_matches(title):
            return key
    return None


def classify_sections(
    sections: list[Section], vocab: BriefVocabulary
) -> dict[int, str]:
    by_path: dict[tuple[str, ...], str | None] = {}
    out: dict[int, str] = {}
    for section in sorted(sections, key=lambda s: (len(s.path), s.line_start)):
        key = classify_section(section.title, vocab)
        if key is None:
            # The nearest ancestor's part ("Struktur" under "Nämndens grunduppdrag").
            for depth in range(len(section.path) - 1, 0, -1):
                key = by_path.get(section.path[:depth])
                if key:
                    break
        by_path[section.path] = key
        if key:
            out[section.line_start] = key
    return out


def _kinds(table: Table) -> set[str]:
    return {
        c.kind for r in table.rows for c in r.cells if c.kind and c.value is not None
    }


def _units(table: Table) -> set[str]:
    units = {c.unit for r in table.rows for c in r.cells if c.unit}
    return units | ({table.unit} if table.unit else set())


@dataclass(frozen=True)
class _TableSigns:
    """What the table rules look at: lower-cased headers, typed cells, the section."""

    table: Table
    header: list[str]
    kinds: set[str]
    units: set[str]
    section_part: str | None
    vocab: BriefVocabulary

    @property
    def rest(self) -> str:
        """The headers after the label column, joined."""
        return " | ".join(self.header[1:])


def _assignment_table(t: _TableSigns) -> bool:
    columns = t.vocab.part("assignments").columns
    follow_up = "mål" in t.kinds and "utfall" in t.kinds  # a goal table, not a list
    return any(any_term_in(columns, h) for h in t.header[:2]) and not follow_up


def _risk_table(t: _TableSigns) -> bool:
    risks = t.vocab.part("risks")
    ratings = risks.words("ratings") + risks.words("factors")
    rated = any(any_term_in(ratings, h) for h in t.header)
    described = any(h.strip() in risks.columns for h in t.header)
    in_risks = t.section_part == "risks"
    return (rated and (described or (len(t.table.rows) > 1 and in_risks))) or (
        described and in_risks
    )


def _money_table(t: _TableSigns) -> bool:
    economy = t.vocab.part("economy")
    cells = [c for r in t.table.rows for c in r.cells if c.value is not None]
    dated = any(c.year for c in cells)
    money = bool(t.units & MONEY_UNITS) and bool(t.kinds & MONEY_KINDS or dated)
    return money and (
        t.section_part == "economy"
        or any_term_in(economy.columns, t.header[0] if t.header else "")
        or any_term_in(economy.headings, t.table.caption)
    )


def _goal_table(t: _TableSigns) -> bool:
    columns = t.vocab.part("goals").columns
    if "mål" in t.kinds:
        return True
    if not t.header:
        return False
    if any_term_in(columns, t.header[0]) and (t.kinds or "mål" in t.rest):
        return True
    return any_term_in(columns, t.rest) and t.section_part == "goals"


def _economy_amounts(t: _TableSigns) -> bool:
    return t.section_part == "economy" and bool(t.kinds & MONEY_KINDS)


# Tried in order; the first rule that holds names the part.
_TABLE_RULES = (
    ("assignments", _assignment_table),
    ("risks", _risk_table),
    ("economy", _money_table),
    ("goals", _goal_table),
    ("economy", _economy_amounts),
)


def classify_table(
    table: Table, section_part: str | None, vocab: BriefVocabulary
) -> str | None:
    """The part a table belongs to, from its header kinds, then its section."""
    signs = _TableSigns(
        table=table,
        header=[h.lower() for h in table.header],
        kinds=_kinds(table),
        units=_units(table),
        section_part=section_part,
        vocab=vocab,
    )
    return next((part for part, holds in _TABLE_RULES if holds(signs)), None)


def classify(
    sections: list[Section], tables: list[Table], vocab: BriefVocabulary
) -> Classified:
    section_parts = classify_sections(sections, vocab)
    ordered = sorted(sections, key=lambda s: s.line_start)

    def part_at(line: int) -> str | None:
        inside = [s for s in ordered if s.line_start <= line <= s.line_end]
        return section_parts.get(inside[-1].line_start) if inside else None

    table_parts = {}
    for table in tables:
        key = classify_table(table, part_at(table.line_start), vocab)
        if key:
            table_parts[table.table_id] = key
    return Classified(section_parts, table_parts)
