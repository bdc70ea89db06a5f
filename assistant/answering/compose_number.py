"""Numeric answers: one sentence per table row used, with unit, column and row,
citing the row's lines; computed sums, differences, shares and rankings shown with
the figures they come from, and the prose line stating the same figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.answering.compose import (
    HEADING_LINE,
    CitationBuilder,
    Draft,
    LinesFor,
    MetaFor,
    clean,
    split_sentences,
    topic_terms,
)
from assistant.language.lexicon import words_of
from assistant.language.textmatch import coverage, stems
from assistant.language.vocabulary import SHARE_CUES, YEAR_RE, words
from assistant.models import Fact, Query
from assistant.reading.operators import (
    CHANGE_WORDS,
    COMPARISON_WORDS,
    DECREASE_WORDS,
    INCREASE_WORDS,
    REMAINDER_WORDS,
    kinds_by_year,
)
from assistant.reading.query import MEASURED_KINDS
from corpus.models import Cell, DocumentMeta
from corpus.numbers import (
    ParsedNumber,
    decimals_of,
    find_numbers,
    format_number,
    parse_number,
)

UNIT_GLOSS = {"mnkr": "mnkr (million SEK)", "tkr": "tkr (thousand SEK)", "kr": "SEK"}


def _amount(fact: Fact, lang: str) -> str:
    """'205,6 mnkr' with the kind of amount in words; negative costs without the sign."""
    raw = clean(fact.raw)
    unit = fact.unit or ""
    if unit and unit not in raw:
        raw = f"{raw} {unit}" if unit != "%" else f"{raw} %"
    if lang == "en" and unit in UNIT_GLOSS:
        raw = raw.replace(unit, UNIT_GLOSS[unit], 1) if unit != "kr" else raw
    if fact.kind == "avvikelse":
        return _surplus_or_deficit(raw, fact.value, lang)
    if fact.value < 0 and fact.unit in ("mnkr", "tkr", "kr"):
        magnitude = raw.lstrip("-−– ")
        net = "netto" in fact.label.lower()
        if lang == "en":
            return f"a {'net ' if net else ''}cost of {magnitude}"
        return f"{'en nettokostnad' if net else 'en kostnad'} på {magnitude}"
    return raw


def _surplus_or_deficit(raw: str, value: float, lang: str) -> str:
    """A deviation from budget in words: "ett underskott på 0,3 mnkr" for -0,3."""
    magnitude = raw.lstrip("-−– ")
    if value > 0:
        return f"{'a surplus of' if lang == 'en' else 'ett överskott på'} {magnitude}"
    if value < 0:
        return f"{'a deficit of' if lang == 'en' else 'ett underskott på'} {magnitude}"
    return raw


def cell_with_unit(cell: Cell) -> str:
    """A table cell's text with its unit when the cell does not print it (the
    caption or header does: "10 000" in a table "Belopp i tkr" is "10 000 tkr")."""
    return cell.with_unit(clean(cell.text))


def cell_amount(cell: Cell, lang: str) -> str:
    """A table cell's text as an answer says it: with its unit, and a deviation
    from budget as a surplus or a deficit (the sign alone does not say which way
    is good)."""
    text = cell_with_unit(cell)
    if cell.kind != "avvikelse" or cell.value is None:
        return text
    return _surplus_or_deficit(text, cell.value, lang)


OWN_BODY = re.compile(
    r"nämnd|styrelse|fullmäktige|förvaltning|revision|board|council", re.I
)


def _where(meta: DocumentMeta | None, lang: str) -> str:
    if meta is None:
        return ""
    organ = meta.organ.split("/")[0].strip()
    if not OWN_BODY.search(organ):
        organ = ""  # an evaluator ("SKR") does not own the figures it reports
    place = meta.municipality
    if lang == "en":
        return f"{organ} in {place}" if organ and place else organ or place
    return f"{organ} i {place}" if organ and place else organ or place


def _parts(fact: Fact, lang: str) -> str:
    """'en nettokostnad på 207,0 mnkr i budget 2025 (i tabellen -207,0)'."""
    period = fact.period or fact.column.lower()
    text = f"{_amount(fact, lang)} {'in the' if lang == 'en' else 'i'} {period}"
    printed = clean(fact.raw)
    if fact.value < 0 and printed not in text:
        # Costs are printed negative; say so, so the reader finds the cell.
        text += f" (printed {printed})" if lang == "en" else f" (i tabellen {printed})"
    return text


@dataclass(frozen=True)
class _Writing:
    """What every sentence of a numeric answer is written with: the citations so
    far, each document's metadata and lines, and the answer's language."""

    builder: CitationBuilder
    meta_for: MetaFor
    lines_for: LinesFor | None
    lang: str


# A ranking of this many rows or more (ties at the top, a top three) is shown
# one short line per row under its lead, as a comparison's rows are.
LISTED_RANKING = 3


# The signature is the one assistant/app.py calls (the lead refactors app.py in
# issue 13); the arguments travel on together as one _Writing.
def compose_number(  # noqa: PLR0913
    query: Query,
    facts: Sequence[Fact],
    builder: CitationBuilder,
    meta_for: MetaFor,
    lines_for: LinesFor | None = None,
    ranking: str | None = None,
) -> Draft:
    """One sentence per table row used, its values by column, then a computed
    difference (two years) and, when the text states the same figure, that line.

    Rows of two different tables mean the question fits both: both are shown and
    the user is asked which one was meant.
    """
    writing = _Writing(builder, meta_for, lines_for, query.lang)
    rows: dict[tuple[str, int], list[Fact]] = {}
    for fact in facts:
        rows.setdefault((fact.table_id, fact.line), []).append(fact)
    if ranking and ranking.startswith(("below", "above", "listed")):
        return _compared(query, rows, writing, ranking)
    if ranking and not ranking.endswith("-change") and len(rows) >= LISTED_RANKING:
        # Rows tied at the top, or the top three: one short line each.
        return _compared(query, rows, writing, ranking)
    ambiguous = len({table for table, _ in rows}) > 1
    naming = _distinguishing(facts) if ambiguous else None
    sentences = [_row_sentence(row, writing, naming, ranking) for row in rows.values()]
    text = " ".join(s[0].upper() + s[1:] for s in sentences)
    if ranking:
        return Draft(
            text=f"{_ranking_lead(ranking, facts, query.lang)} {text}",
            citations=builder.citations,
        )
    if ambiguous:
        text = _which_table(text, len(rows), query.lang)
    text += _computed(query, facts, writing, corroborate=not ambiguous)
    return Draft(text=text, citations=builder.citations)


def _compared(
    query: Query,
    rows: Mapping[tuple[str, int], Sequence[Fact]],
    writing: _Writing,
    ranking: str,
) -> Draft:
    """Rows kept by a comparison, one short line each under a lead that says
    what was compared and where."""
    lang = writing.lang
    facts = [f for row in rows.values() for f in row]
    first = facts[0]
    where = _where(writing.meta_for(first.doc), lang)
    if "-none" in ranking:
        return _none_compared(facts, writing, ranking, where)
    lines = []
    for row in rows.values():
        n = _cite(writing, row[0])
        values = "; ".join(_parts(f, lang) for f in row)
        line = f'- "{clean(row[0].label)}": {values} [{n}]'
        if ranking.endswith("-change") and len(rows) == 1:
            line += f". {_difference(row, lang)}"
        lines.append(line)
    if ranking.startswith("listed"):
        lead = _listed_lead(ranking, len(rows), lang)
    elif ranking.startswith(("below", "above")):
        lead = _comparison_lead(ranking, facts, lang)
    else:
        lead = _ranking_lead(ranking, facts, lang)
    if where:
        lead = f"{_owner(where, lang)}{lead[0].lower()}{lead[1:]}"
    return Draft(text="\n".join([lead, *lines]), citations=writing.builder.citations)


def _cite(writing: _Writing, first: Fact, last: Fact | None = None) -> int:
    """The citation number of the lines from ``first``'s row to ``last``'s."""
    end = last or first
    return writing.builder.cite(
        first.doc, first.section_path, first.line, end.line_end or end.line, first.page
    )


def _owner(where: str, lang: str) -> str:
    """'För Kommunstyrelsen i Marks kommun: ' ahead of a lead, or nothing."""
    return f"{'For' if lang == 'en' else 'För'} {where}: " if where else ""


def _listed_lead(ranking: str, rows: int, lang: str) -> str:
    """'4 rader i tabellen nämner "Bollstahallen":' for rows listed by their label;
    '7 rader i tabellen har "Avgift per timme":' for the rows of a named column."""
    kind, _, named = ranking.partition(":")
    if kind == "listed-table":
        if lang == "en":
            return f'{rows} rows of "{named}":'
        return f'{rows} rader i "{named}":'
    if kind == "listed-column":
        if lang == "en":
            return f'{rows} rows of the table have "{named}":'
        return f'{rows} rader i tabellen har "{named}":'
    if lang == "en":
        return f'{rows} rows of the table name "{named}":'
    return f'{rows} rader i tabellen nämner "{named}":'


def _none_compared(
    facts: Sequence[Fact], writing: _Writing, ranking: str, where: str
) -> Draft:
    """'Ingen av de 5 raderna har "Utfall 2022" lägre än "Mål 2023" [1].', citing
    the compared rows."""
    lang = writing.lang
    first, last = facts[0], max(facts, key=lambda f: f.line_end or f.line)
    n = _cite(writing, first, last)
    side, _, reference = ranking.partition(":")
    side = side.split("-")[0]
    compared, changed = COMPARISON_LEADS[lang == "en"][side]
    rows = len({(f.table_id, f.line) for f in facts})
    if ranking.endswith("-change"):
        years = sorted({f.year for f in facts if f.year is not None})
        span = f" {years[0]}–{years[-1]}" if years else ""
        what = f"{changed.lower()}{span}"
    else:
        than = "than" if lang == "en" else "än"
        what = f'{"has" if lang == "en" else "har"} "{first.column}" {compared.lower()} {than} "{reference}"'
    owner = _owner(where, lang)
    if lang == "en":
        text = f"{owner}none of the {rows} rows {what} [{n}]."
    else:
        text = f"{owner}ingen av de {rows} raderna {what} [{n}]."
    return Draft(text=text[0].upper() + text[1:], citations=writing.builder.citations)


def _row_sentence(
    row: Sequence[Fact],
    writing: _Writing,
    naming: Callable[[Fact], str] | None,
    ranking: str | None,
) -> str:
    """'för X är "Label" (table) values [n].', or the sentence of a summed table."""
    lang = writing.lang
    first = row[0]
    where = _where(writing.meta_for(first.doc), lang)
    values = _out_of(row, lang) or "; ".join(_parts(f, lang) for f in row)
    if first.summed_rows:
        return _sum_sentence(row, where, values, writing)
    n = _cite(writing, first)
    label = clean(first.label)
    section = f" ({clean(naming(first))})" if naming else ""
    # A document without known body or place (an upload): the row speaks alone.
    if lang == "en":
        owner = f"for {where}, " if where else ""
        sentence = f'{owner}"{label}"{section} is {values} [{n}].'
    else:
        owner = f"för {where} är " if where else ""
        verb = "" if where else " är"
        sentence = f'{owner}"{label}"{section}{verb} {values} [{n}].'
    if ranking and ranking.endswith("-change"):
        sentence += f" {_difference(row, lang)}"
    return sentence


def _which_table(text: str, tables: int, lang: str) -> str:
    """The rows of several tables, and the question which one was meant."""
    if lang == "en":
        return f"The question fits {tables} tables: {text} Which one did you mean?"
    return f"Frågan passar {tables} tabeller: {text} Vilken menar du?"


def _computed(
    query: Query, facts: Sequence[Fact], writing: _Writing, corroborate: bool
) -> str:
    """What follows the rows: a difference between two years, a share when one is
    asked, and a prose line stating the same figure."""
    asks_change = bool(set(words(query.text.lower())) & CHANGE_WORDS)
    diff = _difference(facts, writing.lang, asks_change, kinds_by_year(query.text))
    if not diff and "avvikelse" in query.metrics:
        diff = _deviation(facts, writing.lang)
    if not diff and set(words(query.text.lower())) & (CHANGE_WORDS | COMPARISON_WORDS):
        diff = _column_difference(facts, writing.lang)
    if not diff and set(words(query.text.lower())) & REMAINDER_WORDS:
        diff = _budget_left(facts, writing.lang)
    text = f" {diff}" if diff else ""
    if any(cue in query.text.lower() for cue in SHARE_CUES):
        share = _share(facts, writing.lang)
        text += f" {share}" if share else ""
    if writing.lines_for is not None and corroborate:
        text += _corroboration(query, facts, diff, writing.builder, writing.lines_for)
    return text


TOTAL_LINE = re.compile(r"^\W*(summa|totalt|total|sum)\b", re.I)


def _sum_sentence(
    row: Sequence[Fact], where: str, values: str, writing: _Writing
) -> str:
    """'för X summerar de 5 raderna i "T" till 17 000 000 kr [1].', citing the rows
    and a total line printed under them; a printed total that does not match the
    rows (a misprint, or a total that leaves rows out) is quoted and flagged."""
    lang = writing.lang
    first = row[0]
    lines = writing.lines_for(first.doc) if writing.lines_for is not None else ()
    end, printed = _total_below(lines, first.line_end or first.line)
    note = _total_mismatch(printed, first.value, lang)
    n = writing.builder.cite(first.doc, first.section_path, first.line, end, first.page)
    label = clean(first.label)
    if lang == "en":
        owner = f"for {where}, the" if where else "the"
        return f'{owner} {first.summed_rows} rows of "{label}" add up to {values} [{n}].{note}'
    owner = f"för {where} summerar de" if where else "de"
    verb = "" if where else " summerar"
    return f'{owner} {first.summed_rows} raderna i "{label}"{verb} till {values} [{n}].{note}'


def _total_below(lines: Sequence[str], end: int) -> tuple[int, str | None]:
    """The last line to cite (a total line printed under the rows, else ``end``)
    and that total line's first figure, if it prints one."""
    # The total line may follow a row or two without values.
    below = list(range(end + 1, min(end + 4, len(lines)) + 1))
    total = next((i for i in below if TOTAL_LINE.match(clean(lines[i - 1]))), None)
    if not total or any(re.search(r"\d", lines[i - 1]) for i in below if i < total):
        return end, None
    printed = [clean(c) for c in lines[total - 1].split("\t")[1:] if clean(c)]
    return total, (printed[0] if printed else None)


def _total_mismatch(printed: str | None, value: float, lang: str) -> str:
    """A note when the printed total is not the sum of the rows."""
    if printed is None:
        return ""
    parsed = parse_number(printed)
    if parsed is not None and abs(parsed.value - value) <= 0.5:
        return ""
    if lang == "en":
        return (
            f' The total row under them prints "{printed}", which does not'
            " match the rows."
        )
    return (
        f' Tabellens summarad är tryckt som "{printed}", vilket inte'
        " stämmer med raderna."
    )


MAX_COLUMN = re.compile(r"^\W*max", re.I)


def _out_of(row: Sequence[Fact], lang: str) -> str:
    """'4 av 10 (Uppnått; Max)' for a value and its maximum in one row."""
    maxima = [f for f in row if MAX_COLUMN.match(f.column)]
    values = [f for f in row if not MAX_COLUMN.match(f.column)]
    if len(row) != 2 or len(maxima) != 1:
        return ""
    value, top = values[0], maxima[0]
    of = "of" if lang == "en" else "av"
    return f"{clean(value.raw)} {of} {clean(top.raw)} ({value.column}; {top.column})"


# (ranked from the top, the first row's change is >= 0) -> lead, Swedish and English.
CHANGE_LEADS = {
    False: {
        (True, True): "Störst ökning",
        (False, False): "Störst minskning",
        (False, True): "Minst ökning",
        (True, False): "Minst minskning",
    },
    True: {
        (True, True): "Largest increase",
        (False, False): "Largest decrease",
        (False, True): "Smallest increase",
        (True, False): "Smallest decrease",
    },
}


def _ranking_lead(ranking: str, facts: Sequence[Fact], lang: str) -> str:
    """'Högst "Riskvärde" i tabellen:' or, ranked by change, 'Störst ökning från
    2022 till 2024 i tabellen:'."""
    if ranking.startswith(("below", "above")):
        return _comparison_lead(ranking, facts, lang)
    top = ranking.startswith("max")
    if ranking.endswith("-change"):
        years = sorted({f.year for f in facts if f.year is not None})
        span = f"{years[0]}–{years[-1]}" if len(years) >= 2 else ""
        # The first row's change: the later year's cell comes first.
        delta = facts[0].value - facts[1].value if len(facts) >= 2 else 0.0
        what = CHANGE_LEADS[lang == "en"][(top, delta >= 0)]
        return f"{what} {span} {'in the table' if lang == 'en' else 'i tabellen'}:"
    column = facts[0].column
    if lang == "en":
        return f'{"Highest" if top else "Lowest"} "{column}" in the table:'
    return f'{"Högst" if top else "Lägst"} "{column}" i tabellen:'


COMPARISON_LEADS = {
    False: {"below": ("Lägre", "Minskar"), "above": ("Högre", "Ökar")},
    True: {"below": ("Lower", "Falls"), "above": ("Higher", "Rises")},
}


def _comparison_lead(ranking: str, facts: Sequence[Fact], lang: str) -> str:
    """'Minskar från 2024 till 2025 (2 rader):' or '"Mark 2024" lägre än "Medel
    2020-" (5 rader):' for rows kept by a comparison ("below:Medel 2020-")."""
    side, _, reference = ranking.partition(":")
    compared, changed = COMPARISON_LEADS[lang == "en"][side.removesuffix("-change")]
    n = len({(f.table_id, f.line) for f in facts})
    count = f"({n} {'rows' if lang == 'en' else 'rader'})" if n != 1 else ""
    if side.endswith("-change"):
        years = sorted({f.year for f in facts if f.year is not None})
        fro, to = ("from", "to") if lang == "en" else ("från", "till")
        span = f" {fro} {years[0]} {to} {years[-1]}" if len(years) >= 2 else ""
        return f"{changed}{span} {count}:".replace(" :", ":")
    than = "than" if lang == "en" else "än"
    return (
        f'"{facts[0].column}" {compared.lower()} {than} "{reference}" {count}:'.replace(
            " :", ":"
        )
    )


def _distinguishing(facts: Sequence[Fact]) -> Callable[[Fact], str]:
    """What tells the tables of ``facts`` apart: their label column's header
    ("Digitaliseringsplan - drift"), else their caption, else their section."""
    getters: list[Callable[[Fact], str]] = [
        lambda f: f.key_header,
        lambda f: f.caption,
        lambda f: f.section_path,
    ]
    for get in getters:
        if len({get(f) for f in facts}) == len({f.table_id for f in facts}) and all(
            get(f) for f in facts
        ):
            return get
    return getters[-1]


LEADING_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def _leading_number(text: str) -> str:
    """The first number of ``text`` with its thousands groups: "17 000 000 kr" ->
    "17 000 000"."""
    found = LEADING_NUMBER.search(clean(text))
    return found.group() if found else ""


def _number_pattern(number: str) -> re.Pattern[str]:
    body = r"[ \u00a0\u202f]".join(
        re.escape(g) for g in re.split(r"[ \u00a0\u202f]", number)
    )
    return re.compile(rf"(?<![\d,])[-−]?{body}(?![\d]|,\d|[ \u00a0\u202f]\d{{3}}\b)")


def _corroboration(
    query: Query,
    facts: Sequence[Fact],
    diff: str,
    builder: CitationBuilder,
    lines_for: LinesFor,
) -> str:
    """' Texten anger samma värde [2].' when a prose line of the same document
    states the figure (a table row and the text then support each other)."""
    numbers = [_leading_number(f.raw) for f in facts[:2]]
    if diff:
        numbers.insert(0, _leading_number(diff.rsplit("= ", 1)[-1]))
    doc = facts[0].doc
    search = _LineSearch(
        lines_for(doc),
        topic_terms(query),
        frozenset((c.line_start, c.line_end) for c in builder.citations),
        facts[0].line,
    )
    found = next(
        (line for n in numbers if (line := search.stating(n)) is not None), None
    )
    if found is None:
        return ""
    n = builder.cite(doc, None, found, found)
    if query.lang == "en":
        return f" The text states the same figure [{n}]."
    return f" Texten anger samma värde [{n}]."


@dataclass(frozen=True)
class _LineSearch:
    """Prose lines of a document that may state a table row's figure."""

    lines: Sequence[str]
    terms: Sequence[str]  # the question's topic terms
    cited: frozenset[tuple[int, int]]  # lines already cited alone
    row: int  # the table row's line

    def stating(self, number: str) -> int | None:
        """The line that states ``number`` and best covers the question's terms;
        of equal wording, the one nearest the row (the comment next to the table
        beats a summary elsewhere)."""
        if not re.search(r"\d\d|,\d", number):
            return None  # a lone digit ("4") is found in any text
        pattern = _number_pattern(number)
        best: tuple[float, int, int] | None = None  # (coverage, -distance, line)
        for i, line in enumerate(self.lines, start=1):
            if not self._prose(i, line) or not pattern.search(line):
                continue
            score = coverage(self.terms, line) if self.terms else 0.0
            key = (round(score, 2), -abs(i - self.row), i)
            if score > 0 and (best is None or key > best):
                best = key
        return best[2] if best else None

    def _prose(self, i: int, line: str) -> bool:
        """Not a table row, a heading, or a line already cited alone."""
        return not ("\t" in line or (i, i) in self.cited or HEADING_LINE.match(line))


def _share(facts: Sequence[Fact], lang: str) -> str:
    """'3,5 / 15,3 = 22,9 %': an outcome or forecast as a share of the budget, or
    a row as a share of its table's total in the same column."""
    base = next((f for f in facts if f.is_total and f.value), None)
    part = next(
        (f for f in facts if not f.is_total and base and f.column == base.column), None
    )
    if base is None or part is None:
        base = next((f for f in facts if f.kind == "budget" and f.value), None)
        part = next(
            (f for f in facts if f.kind in ("utfall", "prognos") and f is not base),
            None,
        )
    if base is None or part is None:
        return ""
    decimals = max(
        len(x.split(",")[1]) if "," in x else 0
        for x in (clean(base.raw), clean(part.raw))
    )
    a, b = (
        format_number(abs(part.value), decimals),
        format_number(abs(base.value), decimals),
    )
    pct = format_number(abs(part.value) / abs(base.value) * 100, 1)
    of_total = base.is_total and not part.is_total
    if lang == "en":
        return f"As a share of {'the total' if of_total else 'the budget'}: {a} / {b} = {pct} %."
    return f"Andel av {'totalen' if of_total else 'budgeten'}: {a} / {b} = {pct} %."


def _year_pair(
    facts: Sequence[Fact],
    any_kind: bool = False,
    named: Mapping[int, str] | None = None,
) -> tuple[Fact, Fact] | None:
    """The one pair of facts of the same row and kind in two different years
    (bokslut 2024 and bokslut 2025 beside a budget 2025), earlier first; with
    ``any_kind`` (a change is asked), else the row's only two facts of two years
    ("utfall 2022" and "prognos 2023"). A kind the question writes with each of
    two years (``named``: "budget 2024 jämfört med prognosen för 2023") picks
    the pair first."""
    if named and len(named) >= 2:
        asked = [
            [f for f in row if f.year is not None and named.get(f.year) == f.kind]
            for row in _by_row(facts).values()
        ]
        pairs = [p for p in asked if len(p) == 2 and p[0].year != p[1].year]
        if len(pairs) == 1:
            a, b = sorted(pairs[0], key=lambda f: f.year or 0)
            return a, b
    dated = [f for f in facts if f.year is not None]
    rows = _by_row(dated)
    groups: dict[tuple[str, int, str | None], list[Fact]] = {}
    for f in dated:
        groups.setdefault((f.table_id, f.line, f.kind), []).append(f)
    pairs = [g for g in groups.values() if len(g) == 2 and g[0].year != g[1].year]
    if not pairs and any_kind:
        pairs = [g for g in rows.values() if len(g) == 2 and g[0].year != g[1].year]
    if not pairs and any_kind and len(rows) == 1:
        # A change asked of a row of three or more years, none named ("jämfört
        # med förra utvärderingen"): the latest two, the change since the last.
        (row,) = rows.values()
        latest = sorted(row, key=lambda f: f.year or 0)[-2:]
        distinct = len(row) >= 3 and len({f.year for f in row}) == len(row)
        pairs = [latest] if distinct else []
    if len(pairs) != 1:
        return None
    a, b = sorted(pairs[0], key=lambda f: f.year or 0)
    return a, b


def _by_row(facts: Sequence[Fact]) -> dict[tuple[str, int], list[Fact]]:
    rows: dict[tuple[str, int], list[Fact]] = {}
    for f in facts:
        rows.setdefault((f.table_id, f.line), []).append(f)
    return rows


def _deviation(facts: Sequence[Fact], lang: str) -> str:
    """'Skillnad mot budget: 740 − (−750) = 1 490 tkr.' when the question asks how
    the outcome (or forecast) stands against the budget and the row has no
    deviation column: the one row's outcome and budget of one year, subtracted
    as printed (signed, so a cost under budget and a result over it both come
    out positive where costs are printed negative)."""
    if any(f.kind == "avvikelse" for f in facts) or len(_by_row(facts)) != 1:
        return ""
    budgets = [f for f in facts if f.kind == "budget"]
    measured = [f for f in facts if f.kind in MEASURED_KINDS]
    pairs = [
        (m, b)
        for m in measured
        for b in budgets
        if m.year == b.year and m.unit == b.unit
    ]
    if len(pairs) != 1:
        return ""
    m, b = pairs[0]
    decimals = max(decimals_of(m.raw), decimals_of(b.raw))

    def shown(v: float) -> str:
        text = format_number(abs(v), decimals)
        return f"(\u2212{text})" if v < 0 else text

    delta = format_number(m.value - b.value, decimals).replace("-", "\u2212")
    unit = f" {m.unit}" if m.unit else ""
    lead = "Difference from budget" if lang == "en" else "Skillnad mot budget"
    return f"{lead}: {shown(m.value)} \u2212 {shown(b.value)} = {delta}{unit}."


class _Printed(Protocol):
    """A figure as printed (a ``Fact`` or a ``ParsedNumber``)."""

    @property
    def value(self) -> float: ...

    @property
    def raw(self) -> str: ...


def _larger_minus_smaller(high: _Printed, low: _Printed) -> str:
    """'68 − 64 = 4' with the decimals the two figures are printed with."""
    decimals = max(decimals_of(low.raw), decimals_of(high.raw))
    shown = [format_number(n.value, decimals) for n in (high, low)]
    delta = format_number(high.value - low.value, decimals)
    return f"{shown[0]} \u2212 {shown[1]} = {delta}"


def _budget_left(facts: Sequence[Fact], lang: str) -> str:
    """'Kvar av budgeten: 237,2 − 144,0 = 93,2 mnkr.' for a row's budget and its
    outcome so far, when the question asks what is left ("Hur mycket återstod
    efter utfallet januari–augusti?"). Costs printed negative are compared as
    amounts."""
    rows = _by_row(facts)
    if len(rows) != 1:
        return ""
    (row,) = rows.values()
    budgets = [f for f in row if f.kind == "budget"]
    outcomes = [f for f in row if f.kind == "utfall"]
    if len(budgets) != 1 or len(outcomes) != 1:
        return ""
    budget, used = budgets[0], outcomes[0]
    if budget.unit != used.unit or (budget.value < 0) != (used.value < 0):
        return ""
    whole, part = (replace(f, value=abs(f.value)) for f in (budget, used))
    unit = f" {budget.unit}" if budget.unit else ""
    lead = "Left of the budget" if lang == "en" else "Kvar av budgeten"
    return f"{lead}: {_larger_minus_smaller(whole, part)}{unit}."


def _column_difference(facts: Sequence[Fact], lang: str) -> str:
    """'Mark 2024 ligger under Medel 2020-: 68 − 64 = 4.' for a row's two figures
    of one unit, its own first and the column it is compared with second, when
    the question asks how far one is from the other ("Hur många poäng under
    medelvärdet ...?", "över eller under snittet?") and they are no two years of
    one kind (``_difference``)."""
    rows = _by_row(facts)
    if len(rows) != 1:
        return ""
    (row,) = rows.values()
    if len(row) != 2 or row[0].unit != row[1].unit:
        return ""
    own, other = row
    low, high = sorted(row, key=lambda f: f.value)
    unit = f" {low.unit}" if low.unit else ""
    sum_ = _larger_minus_smaller(high, low)
    sides = (
        ("below", "above", "equal to")
        if lang == "en"
        else ("under", "över", "lika med")
    )
    side = sides[2] if own.value == other.value else sides[own.value > other.value]
    verb = "is" if lang == "en" else "ligger"
    return f"{own.column} {verb} {side} {other.column}: {sum_}{unit}."


def with_stated_change(query: Query, draft: Draft) -> Draft:
    """A change question answered by a sentence stating the measure at two points
    in time gets the difference computed ("Beloppet ökar från 2023 till 2024:
    20,7 − 8,7 = 12,0 mnkr.")."""
    asked = set(words(query.text.lower()))
    verbs = CHANGE_WORDS | set(words_of("question_words", "change_verbs"))
    # "Hur mycket dyrare ... 2024 jämfört med 2023?": a comparative between two
    # years asks the change too.
    compared = len(query.years) >= 2 and asked & set(
        words_of("question_words", "comparatives")
    )
    if draft.refused or draft.row or not (asked & verbs or compared):
        return draft
    sentences = split_sentences(quoted_first(draft))
    change = next(filter(None, (stated_change(s, query.lang) for s in sentences)), "")
    return _with_line(draft, change)


def quoted_first(draft: Draft) -> str:
    """What the draft's first line quotes, without its citation marker."""
    return draft.text.split("\n")[0].rsplit(" [", 1)[0]


def _with_line(draft: Draft, line: str) -> Draft:
    """The draft with ``line`` (a computed figure) after its first line; the draft
    itself when there is none."""
    if not line:
        return draft
    first = draft.text.split("\n")[0]
    return replace(draft, text=draft.text.replace(first, f"{first} {line}", 1))


def with_level_after_change(query: Query, draft: Draft) -> Draft:
    """A figure asked for one year, answered by a sentence giving an earlier
    year's level and the change to the asked year ("en årlig kostnad 2023 med
    2 804 000 kronor och 2024 ökar kostnaden med 109 000 kronor"), gets the
    asked year's level computed ("Beräknat för 2024: 2 804 000 + 109 000 =
    2 913 000 kronor."). A question asking for the change itself is left to
    ``with_stated_change``."""
    asked = set(words(query.text.lower()))
    verbs = CHANGE_WORDS | set(words_of("question_words", "change_verbs"))
    if draft.refused or draft.row or len(query.years) != 1 or asked & verbs:
        return draft
    sentences = split_sentences(quoted_first(draft))
    lines = (_level_and_change(s, query.years[0], query.lang) for s in sentences)
    return _with_line(draft, next(filter(None, lines), ""))


def _level_and_change(sentence: str, year: int, lang: str) -> str:
    """The asked ``year``'s level from ``sentence``'s level of an earlier year and
    its one change ("... ökar ... med 109 000 kronor"): the level stands before
    the change word, the change after it; "" when the sentence is not so."""
    years = {int(y) for y in YEAR_RE.findall(sentence)}
    if year not in years or not any(y < year for y in years):
        return ""
    pair = _one_pair(sentence)
    said = set(words(sentence.lower()))
    up, down = said & INCREASE_WORDS, said & DECREASE_WORDS
    if pair is None or bool(up) == bool(down):
        return ""
    (a, b), unit = pair
    cue = re.search(rf"\b(?:{'|'.join(up | down)})\b", sentence, re.IGNORECASE)
    at = {n: sentence.find(n.raw) for n in (a, b)}
    level, change = sorted((a, b), key=at.__getitem__)
    if cue is None or not at[level] < cue.start() < at[change]:
        return ""
    decimals = max(decimals_of(level.raw), decimals_of(change.raw))
    total = level.value + (change.value if up else -change.value)
    shown = " ".join(
        [
            format_number(level.value, decimals),
            "+" if up else "\u2212",
            format_number(change.value, decimals),
            "=",
            format_number(total, decimals),
        ]
    )
    lead = "Computed for" if lang == "en" else "Beräknat för"
    return f"{lead} {year}: {shown} {unit}".rstrip() + "."


def with_remainder(query: Query, draft: Draft) -> Draft:
    """A question for what is left ("Hur mycket återstår av budgeten?", "Hur
    många kontroller har inte genomförts?") answered by a sentence giving the
    whole and the part ("10 kontroller ... 8 av kontrollerna har genomförts")
    gets their difference computed ("Skillnad: 10 − 8 = 2.")."""
    asked = set(words(query.text.lower()))
    left = asked & set(words_of("question_words", "remainder_words"))
    negated = set(words_of("question_words", "negations"))
    text = query.text.lower()
    counts = any(cue in text for cue in words_of("question_words", "count_cues"))
    not_done = query.wants_number and asked & negated and counts
    if draft.refused or draft.row or not (left or not_done) or "\u2212" in draft.text:
        return draft
    pair = _one_pair(quoted_first(draft))
    if pair is None:
        return draft
    (a, b), unit = pair
    high, low = (a, b) if a.value >= b.value else (b, a)
    lead = "Difference" if query.lang == "en" else "Skillnad"
    line = f"{lead}: {_larger_minus_smaller(high, low)} {unit}".rstrip() + "."
    return _with_line(draft, line)


def _one_pair(text: str) -> tuple[tuple[ParsedNumber, ParsedNumber], str] | None:
    """The one pair of figures of ``text`` that measure the same thing: two
    amounts of one unit ("237,2 mnkr", "144,0 mnkr") or two counts of one noun
    ("10 kontroller", "8 av kontrollerna"), with their unit or the noun as the
    text writes it right after a figure ("kontroller")."""
    groups: dict[str, list[ParsedNumber]] = {}
    for n in find_numbers(text):
        if n.unit and n.unit not in ("st", "%"):
            groups.setdefault(n.unit, []).append(n)
    tokens = text.split()
    partitive = set(words_of("question_words", "partitive_words"))
    nouns: dict[str, list[tuple[bool, str]]] = {}
    for i, token in enumerate(tokens):
        if not re.fullmatch(r"\d+", token) or YEAR_RE.fullmatch(token):
            continue
        near = tokens[i + 1 : i + 3]
        after = [t for t in near if t.lower() not in partitive][:1]
        said = stems(after[0]) if after else []
        if said and said[0].isalpha():
            number = ParsedNumber(float(token), None, None, token)
            groups.setdefault(f"#{said[0]}", []).append(number)
            word = after[0].strip(".,;:()")
            nouns.setdefault(f"#{said[0]}", []).append((near[0] != after[0], word))
    pairs = [
        (g, key)
        for key, g in groups.items()
        if len(g) == 2 and g[0].value != g[1].value
    ]
    if len(pairs) != 1:
        return None
    (a, b), key = pairs[0]
    if key.startswith("#"):
        # The noun right after its figure ("10 kontroller"), not after "av".
        found = nouns[key]
        return (a, b), next((w for via, w in found if not via), found[0][1])
    return (a, b), key


def stated_change(sentence: str, lang: str) -> str:
    """'Förändring: 20,7 − 8,7 = 12,0 mnkr.' for a sentence stating one measure at
    two points in time ("effektiviseringskravet om 8,7 mnkr inför 2023 har inför
    2024 vuxit till 20,7 mnkr"): two years and two amounts of one unit, the later
    less the earlier; '' for anything else."""
    years = {int(y) for y in YEAR_RE.findall(sentence)}
    by_unit: dict[str, list[ParsedNumber]] = {}
    for n in find_numbers(sentence):
        if n.unit and n.unit != "st":
            by_unit.setdefault(n.unit, []).append(n)
    pairs = [amounts for amounts in by_unit.values() if len(amounts) == 2]
    if len(years) < 2 or len(pairs) != 1:
        return ""
    a, b = pairs[0]
    decimals = max(decimals_of(a.raw), decimals_of(b.raw))
    delta = b.value - a.value
    av, bv = format_number(a.value, decimals), format_number(b.value, decimals)
    dv = format_number(abs(delta), decimals)
    sum_ = f"{bv} \u2212 {av} = {dv}" if delta >= 0 else f"{av} \u2212 {bv} = {dv}"
    english = lang == "en"
    if a.unit == "%":  # a change of a share is in percentage points
        unit = "percentage points" if english else "procentenheter"
    else:
        unit = a.unit or ""
    first, last = min(years), max(years)
    if english:
        verb = "rises" if delta > 0 else "falls" if delta < 0 else "is unchanged"
        return f"It {verb} from {first} to {last}: {sum_} {unit}.".replace(" .", ".")
    verb = "ökar" if delta > 0 else "minskar" if delta < 0 else "är oförändrat"
    noun = "Beloppet" if a.unit in ("kr", "tkr", "mnkr", "mdkr") else "Värdet"
    return f"{noun} {verb} från {first} till {last}: {sum_} {unit}.".replace(" .", ".")


def _difference(
    facts: Sequence[Fact],
    lang: str,
    any_kind: bool = False,
    named: Mapping[int, str] | None = None,
) -> str:
    """'207,0 − 205,6 = 1,4' for the same row and kind in two different years
    (of any kinds when a change is asked and the row has no other pair; of the
    kinds the question names with the years first)."""
    pair = _year_pair(facts, any_kind, named)
    if pair is None:
        return ""
    a, b = pair
    decimals = max(decimals_of(a.raw), decimals_of(b.raw))
    delta = abs(b.value) - abs(a.value)
    av, bv = (
        format_number(abs(a.value), decimals),
        format_number(abs(b.value), decimals),
    )
    dv = format_number(abs(delta), decimals)
    # The larger minus the smaller, so the printed sum is right for a fall too.
    sum_ = f"{bv} \u2212 {av} = {dv}" if delta >= 0 else f"{av} \u2212 {bv} = {dv}"
    unit = f" {a.unit}" if a.unit else ""
    if lang == "en":
        verb = "rises" if delta > 0 else "falls" if delta < 0 else "is unchanged"
        return f"It {verb} from {a.year} to {b.year}: {sum_}{unit}."
    verb = "ökar" if delta > 0 else "minskar" if delta < 0 else "är oförändrat"
    noun = "Beloppet" if a.unit in ("kr", "tkr", "mnkr", "mdkr") else "Värdet"
    return f"{noun} {verb} från {a.year} till {b.year}: {sum_}{unit}."
