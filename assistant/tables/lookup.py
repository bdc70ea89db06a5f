"""Structured number lookup: match a question to table rows and columns.

Numbers are never guessed: they come from typed cells in the table store, each with
its document, table and line. A row is chosen by how well its label (and the table's
caption and section) match the question, by where its table ranked in retrieval, and
by whether it has a column for the year and kind (budget, utfall, prognos, ...) asked
for. When the asked year or kind is not in the best row, nothing is returned for it:
the assistant then says the documents do not tell, instead of borrowing a neighbour.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Protocol

from assistant.language.glossary import translate
from assistant.language.lexicon import word_set, words_of
from assistant.language.textmatch import (
    ALTERNATIVES,
    KnownStems,
    known_term,
    match_strength,
    stem,
    stems,
    term_matches,
)
from assistant.language.vocabulary import (
    ABBREVIATIONS,
    METRIC_WORDS,
    PERIOD_WORDS,
    SHARE_CUES,
    STOPWORDS,
    capitalised_words,
    column_words,
    words,
)
from assistant.models import Fact, Hit, Query
from assistant.reading.bodies import (
    Body,
    belongs_to,
    is_body_head,
    is_body_word,
    named_bodies,
    names_body,
)
from assistant.reading.operators import (
    CHANGE_WORDS,
    COMPARISON_WORDS,
    DECREASE_WORDS,
    OPERATOR_WORDS,
    TOTAL_WORDS,
    change_pair,
    deviation_sign,
    is_deviation_column,
    row_kind,
    superlative,
    year_near_superlative,
)
from assistant.reading.query import (
    SECTION_WORDS,
    find_metrics,
    municipality_names,
    section_matches,
)
from assistant.tables.row_compare import (
    compare_rows,
    comparison_side,
    split_at_cue,
    year_pair_cells,
)
from corpus.models import DocumentMeta
from corpus.numbers import YEAR_RE, decimals_of, format_number, word_kind
from index.tablestore import CellRecord

# Words that name a public body ("kommunfullmäktige", "socialnämnden").
ORGAN_RE = re.compile(
    r"\w*(?:nämnd|styrelse|fullmäktige|revision|förvaltning)\w*", re.I
)
AMBIGUITY_MARGIN = 0.85  # a second table this close to the best is shown too
ROW_NAMED = 0.9  # label match at which a row clearly names the asked thing
TIE_BREAK = 0.1  # smaller than any other part of a row's score (the least is 0.25)
MIN_TOPIC = 0.5  # share of the question's words a row's label/caption must hold
# A comparison reads the best-ranked tables up to this many (retrieval finds the
# table; its rows rarely name the kind of row asked for: "poster", "områden").
COMPARED_TABLES = 3
# A list question is answered from table rows when at least this many name it.
MIN_LISTED_ROWS = 2
MIN_CONTEXT_ONLY = 0.75  # the same, for a row whose label matches nothing
# Columns for part of a year; a question about the whole year must not get them.
PARTIAL_PERIOD = re.compile(r"jan-|jan–|delår|aug|per sista|t\.o\.m", re.I)
# As whole words: "helårsarbetare" is a unit of staff, not the whole year.
WHOLE_YEAR = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, words_of('question_words', 'whole_year_cues')))})\b",
    re.I,
)


class CellSource(Protocol):
    def cells(self, *, docs: Collection[str] | None = None) -> Sequence[CellRecord]: ...


@dataclass(frozen=True)
class LookupResult:
    """Facts for the best row(s), and the asked years the best row lacks."""

    facts: tuple[Fact, ...]
    row_score: float
    missing_years: tuple[int, ...] = ()
    ranking: str | None = None  # "max"/"min" (or "max-change"/"min-change") if ranked
    label_match: float = 0.0  # how well the best row's label matched
    evidence: float = 0.0  # share of the question's words the row and its table hold
    column_named: bool = False  # every chosen cell is in a column the question names


@dataclass(frozen=True)
class _Row:
    cells: tuple[CellRecord, ...]
    score: float
    label_match: float
    context_match: float = 0.0
    retrieval: float = 0.0  # the part of the score from the table's retrieval rank


@dataclass(frozen=True)
class _Asked:
    """What the question asks of a row besides its topic words."""

    kinds: tuple[str, ...]  # column kinds (budget, utfall, ...)
    table_rank: dict[str, int]  # where retrieval ranked each table
    wants_total: bool
    labelled: set[str]  # tables with a row that clearly names the asked thing
    column_terms: tuple[str, ...] = ()  # terms that name a column, not a row
    # Per document, the asked body with the names the document gives it: asking
    # for "kommunledningsförvaltningen" in a plan of "Kommunstyrelsen /
    # Kommunledningsförvaltningen" asks for rows of KS too.
    organs_by_doc: dict[str, frozenset[str]] = field(default_factory=dict)
    # Per document, the years it is about (its undated columns are of those).
    doc_years: dict[str, set[int]] = field(default_factory=dict)
    # Per document, bodies the question names that its owner is not: a row must
    # name them itself ("sjukfrånvaro på samhällsbyggnadsförvaltningen").
    bodies_by_doc: dict[str, tuple[Body, ...]] = field(default_factory=dict)
    names_body: bool = False  # the question asks about a body ("förvaltningen")


def _column_terms(terms: Terms, cells: Sequence[CellRecord]) -> tuple[str, ...]:
    """Terms that name a column header somewhere and no row label anywhere."""
    columns = _tokens(" ".join({column_words(c.column_label) for c in cells}))
    labels = _tokens(" ".join({c.row_label for c in cells}))
    return tuple(
        t
        for t in terms.core
        if match_strength(t, columns) >= 1.0 and not match_strength(t, labels)
    )


@lru_cache(maxsize=16384)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(stems(text))


def _match(text: str, terms: tuple[str, ...]) -> float:
    if not terms:
        return 0.0
    tokens = _tokens(text)
    return sum(match_strength(t, tokens) for t in terms) / len(terms)


def _superlative_names(label: str, terms: Terms) -> bool:
    """The question's superlative is part of what a row is, not a ranking: the
    row's label says it too and matches the question ("... de tio fastigheter
    som drar mest energi" and "Energiförbrukning för de 10 fastigheter som har
    högst energiförbrukning"). Two of the question's words in the label name
    the row; one may be only the measure ranked."""
    if superlative(label) is None:
        return False
    tokens = _tokens(label)
    return sum(match_strength(t, tokens) >= 1.0 for t in terms.core) >= 2


@dataclass(frozen=True)
class Terms:
    """The question's row-selecting stems: required ones and optional owner words."""

    core: tuple[str, ...]
    optional: tuple[str, ...] = ()
    organs: tuple[str, ...] = ()  # the organisation the question is about, if named


@dataclass(frozen=True)
class ColumnRequest:
    """What a question asks of a row's columns."""

    years: Sequence[int]
    kinds: Sequence[str]
    whole_year: bool = False  # no columns for part of a year
    terms: tuple[str, ...] = ()  # terms that may name a column
    or_earlier: bool = False  # the latest year up to the asked one (Query.or_earlier)
    compares: bool = False  # "under medelvärdet": the row's own figure beside the named


@dataclass(frozen=True)
class _Ask:
    """The question as the row choice reads it: its text and years, its
    row-selecting terms, and every column kind it names (the metric first)."""

    query: Query
    terms: Terms
    kinds: tuple[str, ...]

    @property
    def wants_total(self) -> bool:
        return bool(TOTAL_WORDS & set(words(self.query.text)))

    @property
    def columns(self) -> ColumnRequest:
        whole_year = asks_whole_year(self.query.text)
        return ColumnRequest(
            self.query.years,
            self.kinds,
            whole_year,
            self.terms.core,
            self.query.or_earlier,
            bool(set(words(self.query.text)) & (CHANGE_WORDS | COMPARISON_WORDS)),
        )


def _label_and_context(
    cell: CellRecord,
    terms: Terms,
    columns: str = "",
    abbreviations: Mapping[str, frozenset[str]] | None = None,
) -> tuple[float, float]:
    """How well the row label, and the table's caption and section, match the terms.

    Each term counts once, where it matches best; a tie goes to the context, since a
    word that names the whole table ("Poäng", "investering") does not single out a
    row of it; a row whose label holds every term gets only a tie-break over its
    siblings. The label-column header ("Intäkter / Kostnader") helps the context of
    rows the term is not in, but does not take the term from a row label that has it
    whole ("Summa intäkter"). ``abbreviations``: those of the long forms the label
    writes out, with the long forms' stems (``NumberLookup._abbreviated``).
    """
    spelled = abbreviations or {}
    own = _tokens(cell.row_label)
    label_tokens = own | frozenset(spelled)
    base_tokens = _tokens(f"{cell.caption} {cell.section_path} {columns}")
    context_tokens = base_tokens | _tokens(cell.key_header)
    label_sum = context_sum = 0.0
    for term in terms.core:
        in_label = match_strength(term, label_tokens)
        in_context = match_strength(term, context_tokens)
        full_in_label = in_label >= 1.0 and in_label > match_strength(term, base_tokens)
        if in_label > in_context or full_in_label:
            label_sum += in_label
        else:
            context_sum += in_context
    if all(match_strength(t, label_tokens) >= 1.0 for t in terms.core):
        # Every term named by the heading and by this row ("... samt övertid" over
        # "Övertid i timmar"): a tie-break (below every other part of the score)
        # for the row over its siblings.
        label_sum += TIE_BREAK * len(terms.core)
    every = [a for t in terms.core + terms.optional for a in t.split(ALTERNATIVES)]
    # An asked abbreviation matches the words of its long form in the label.
    every += [w for abbr, long in spelled.items() if abbr in every for w in long]
    # A row that is the asked organisation itself ("Kommunledningsförvaltning") gets
    # a bonus; a row that only mentions it ("Kommunstyrelse politisk verksamhet")
    # does not.
    if own and all(term_matches(t, every) for t in own):
        label_sum += 0.5 * sum(match_strength(t, label_tokens) for t in terms.optional)
    # Numbering ("4" of "4 Effektivitet", "d" of "d) Bostadsenhetsavgift") is
    # neither matched nor unmatched.
    if label_sum:
        label_sum *= 0.5 + 0.5 * _label_named(cell.row_label, every)
    return label_sum / len(terms.core), context_sum / len(terms.core)


def _label_named(label: str, every: Sequence[str]) -> float:
    """The share of a label's words the question has, of its best part: a label
    of a group and a row ("Upprätthålla drift \u2013 Information läcker ut ...",
    corpus.tables._naming_column) is named by either part."""
    shares = []
    for part in label.split(" \u2013 "):
        words_only = [t for t in _tokens(part) if not _numbering(t)]
        if words_only:
            shares.append(
                sum(term_matches(t, every) for t in words_only) / len(words_only)
            )
    return max(shares, default=1.0)


def _numbering(token: str) -> bool:
    """A label's numbering token: "4" of "4 Effektivitet", "d" of "d) Avgift"."""
    return token.isdigit() or len(token) == 1


def _carries_topic(
    cell: CellRecord,
    terms: Terms,
    columns: str,
    abbreviations: Mapping[str, frozenset[str]] | None = None,
) -> bool:
    """The row or its table says one of the question's terms other than the
    organisation it is about: "Hur många IT-system äger kommunstyrelsen?" is not
    answered by the budget row "Kommunstyrelse" (the organisation says whose
    table, not which row)."""
    topic = [t for t in terms.core if t not in terms.organs]
    if not topic:
        return True
    said = _tokens(_said(cell, columns)) | frozenset(abbreviations or {})
    return any(match_strength(t, said) > 0 for t in topic)


def _said(cell: CellRecord, columns: str) -> str:
    """What a row and its table say: its label, the caption, the section, the
    column headers and the label column's header."""
    return f"{cell.row_label} {cell.caption} {cell.section_path} {columns} {cell.key_header}"


def _names_a_row(cell: CellRecord, terms: Terms) -> bool:
    """The row's label names the asked thing: it matches most of the question's
    terms, or it is a term that its table's caption and section do not hold, and
    nothing more ("Personalkostnader" under "Resultaträkning"; not "Bidrag
    (intäkter)" for "intäkter")."""
    if _label_and_context(cell, terms)[0] >= ROW_NAMED:
        return True
    label = _tokens(cell.row_label)
    context = _tokens(f"{cell.caption} {cell.section_path}")
    words_only = [t for t in label if not _numbering(t)]
    if not words_only or not all(term_matches(w, terms.core) for w in words_only):
        return False
    return any(
        match_strength(t, label) >= 1.0 and match_strength(t, context) < 1.0
        for t in terms.core
    )


WHOLE_MUNICIPALITY = re.compile(
    r"hela kommunen|hela \w+ kommun\b|kommunen som helhet|kommunen totalt|totalt för kommunen|"
    r"whole municipality|municipality as a whole|entire municipality",
    re.I,
)


def _organ_qualified(label: str) -> bool:
    """A row label naming one board or administration ("Sjukfrånvaro, KS")."""
    return any(w in ABBREVIATIONS or ORGAN_RE.fullmatch(w) for w in words(label))


GENERIC_BODY = re.compile(r"(?:nämnd|styrelse|förvaltning)\w*", re.I)


def _organs_in(text: str) -> set[str]:
    """Stems of the bodies ``text`` names by name, abbreviations expanded ("KF
    indikatorer" names kommunfullmäktige); a bare "nämndens" or "förvaltningen"
    means the document's own body and names none."""
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in words(text))
    return {
        stem(w) for w in ORGAN_RE.findall(expanded) if not GENERIC_BODY.fullmatch(w)
    }


MUNICIPALITY_WORD = re.compile(r"\b(?:kommun|kommunen|kommunens|municipality)\b", re.I)


def _names_municipality(label: str) -> bool:
    """A row of the whole municipality ("Personalomsättning i Marks kommun")."""
    return bool(MUNICIPALITY_WORD.search(label))


def _names_bodies(cell: CellRecord, bodies: Sequence[Body]) -> bool:
    """The row, its table's caption or section, or its label column names every
    one of ``bodies``."""
    if not bodies:
        return True
    tokens = set(
        _tokens(
            f"{cell.row_label} {cell.caption} {cell.section_path} {cell.key_header}"
        )
    )
    return all(b.named_in(tokens) for b in bodies)


def _names_other_organ(cell: CellRecord, organs: Collection[str]) -> bool:
    """The table names a body, and not the one asked about: its label-column header
    ("KF indikatorer") if that names one, else its section or caption (chapter
    "Kommunfullmäktige och revision" when the question is about kommunstyrelsen)."""
    named = _organs_in(cell.key_header) or _organs_in(
        f"{cell.section_path} {cell.caption}"
    )
    return bool(named) and not any(term_matches(o, named) for o in organs)


METRIC_CUES = sorted(
    {c for cues in METRIC_WORDS.values() for c in cues if len(c) >= 5},
    key=len,
    reverse=True,
)


def without_metric_head(word: str) -> str:
    """A compound ending in a metric word keeps only its modifier, since the metric
    selects the column: "driftsbudget" -> "drifts", "helårsprognos" -> "helårs"."""
    for cue in METRIC_CUES:
        if word.endswith(cue) and len(word) - len(cue) >= 4:
            return word[: -len(cue)]
    return word


def _emphasised(raw: str) -> bool:
    """Bold cells mark a bottom-line row (a total or net row) in most layouts."""
    return raw.strip().startswith(("<b>", "**"))


def _period(cell: CellRecord) -> str:
    """The column in words: "budget 2025" for typed columns, else as printed."""
    column = cell.column_label.strip()
    return (column.lower() if cell.kind else column) or (cell.kind or "")


def to_fact(cell: CellRecord, score: float) -> Fact:
    return Fact(
        label=cell.row_label,
        column=cell.column_label,
        value=cell.value,
        raw=cell.raw,
        unit=cell.unit,
        period=_period(cell),
        year=cell.year,
        kind=cell.kind,
        doc=cell.doc,
        line=cell.line,
        table_id=cell.table_id,
        section_path=cell.section_path,
        caption=cell.caption,
        header_line=cell.header_line,
        is_total=cell.is_total,
        municipality=cell.municipality,
        score=score,
        line_end=cell.line_end,
        key_header=cell.key_header,
    )


def document_years(meta: DocumentMeta) -> set[int]:
    """Years a document is about: its period ("2024-2025" → 2024, 2025), its year,
    and the year before (plans report the previous year's figures)."""
    found = re.findall(r"\b(?:19|20)\d\d\b", f"{meta.period} {meta.title}")
    years = {int(y) for y in found}
    if len(years) >= 2:
        years |= set(range(min(years), max(years) + 1))
    if meta.year:
        years |= {meta.year, meta.year - 1}
    return years


@dataclass(frozen=True)
class _Naming:
    """Words that name a document rather than a row of its tables."""

    owner: frozenset[str]  # organisation and municipality
    title: frozenset[str]  # title and kind words that are not owner words


# "helår", "full year": which period's column, not which row.
WHOLE_YEAR_WORDS = frozenset(
    c for c in words_of("question_words", "whole_year_cues") if " " not in c
)
# Words of a translated term that name a measure rather than a row: the metric
# words ("budget", "utfall") and the measure words ("andel", "nivå").
MEASURE_WORDS = frozenset(
    [c for cues in METRIC_WORDS.values() for c in cues if " " not in c]
    + list(words_of("question_words", "measure_words"))
)


@dataclass
class _SortedTerms:
    """The question's stems, collected by what they say about a row."""

    core: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    organs: list[str] = field(default_factory=list)

    def terms(self) -> Terms:
        """Core terms select rows; without any, owner words named as such ("för
        kommunstyrelsen") have to. An owner in the genitive or a title word never
        does: "kommunstyrelsens prognos" in the board's own report asks for the
        board's figure, not for a row that happens to carry its name
        ("Kommunstyrelse politisk verksamhet")."""
        organs = tuple(self.organs)
        if self.core:
            return Terms(tuple(self.core), tuple(self.optional), organs)
        return Terms(tuple(self.optional), (), organs)


def _label_listed(
    rows: Sequence[_Row], ask: _Ask, doc_years: Collection[int]
) -> LookupResult | None:
    """The rows of the best row's table whose labels hold what the question
    writes as a name (at least two), with their figures."""
    best = rows[0]
    terms = ask.terms
    # The rows name a thing the question writes as a name (capitalised, not
    # its first word): "Bollstahallen", not "information".
    names = {stem(w) for w in capitalised_words(ask.query.text)}
    named = [
        t
        for t in terms.core
        if t in names and match_strength(t, _tokens(best.cells[0].row_label)) >= 1.0
    ]
    listed = [
        r
        for r in rows
        if r.cells[0].table_id == best.cells[0].table_id
        and all(match_strength(t, _tokens(r.cells[0].row_label)) >= 1.0 for t in named)
    ]
    if not named or len(listed) < MIN_LISTED_ROWS:
        return None
    listed.sort(key=lambda r: r.cells[0].line)
    facts = tuple(
        to_fact(c, r.score)
        for r in listed
        for c in _columns(r.cells, ask.columns, doc_years)[0]
    )
    if not facts:
        return None
    # The label's own words for the lead ("Bollstahallen", not its stem).
    shown = [
        w.strip(",.;:()")
        for w in best.cells[0].row_label.split()
        if any(match_strength(t, _tokens(w)) >= 1.0 for t in named)
    ]
    return LookupResult(facts, best.score, (), f"listed:{' '.join(shown)}")


# A list of a table's rows under a named column is shown whole up to this many rows.
MAX_COLUMN_LIST = 12


def _column_listed(
    best: _Row, cells: Sequence[CellRecord], ask: _Ask
) -> LookupResult | None:
    """A list question that names one column of the best table and none of its
    rows ("Which services are charged per started hour?": the column "Avgift per
    påbörjad timme"): every row of that table with its value in the column."""
    table = best.cells[0].table_id
    rows = _by_line(c for c in cells if c.table_id == table)
    columns = {c.column_label for row in rows.values() for c in row}
    named = [
        col
        for col in columns
        if any(
            match_strength(t, _tokens(column_words(col))) >= 1.0 for t in ask.terms.core
        )
    ]
    if len(named) != 1 or not MIN_LISTED_ROWS <= len(rows) <= MAX_COLUMN_LIST:
        return None
    facts = tuple(
        to_fact(c, best.score)
        for _, row in sorted(rows.items())
        for c in row
        if c.column_label == named[0]
    )
    return LookupResult(facts, best.score, (), f"listed-column:{named[0]}")


def _table_listed(
    best: _Row,
    cells: Sequence[CellRecord],
    ask: _Ask,
    doc_years: Collection[int],
    kind: Collection[str] = (),
) -> LookupResult | None:
    """A list question that names a table and none of its rows ("Vilka
    investeringar finns i investeringsbudgeten 2023?": its caption, section and
    headers hold every term; ``kind``, the terms of the noun naming the rows'
    kind, may also be in a row's label): the table's rows, totals left out, each
    with its figure in the asked column (a row without one, such as a project
    planned for later years only, is not in the asked year's table)."""
    if best.context_match < 1.0 or ask.query.wants_person:
        return None  # "Vilka genomförde ...?" asks who, not which rows
    table = best.cells[0].table_id
    rows = _by_line(c for c in cells if c.table_id == table and not c.is_total)
    first = best.cells[0]
    frame = _tokens(f"{first.section_path} {first.caption} {first.key_header}")
    labels = [_tokens(row[0].row_label) for row in rows.values()]
    for t in set(ask.terms.core) - set(kind):
        naming = sum(match_strength(t, label) >= 1.0 for label in labels)
        if naming == 1 or (naming and match_strength(t, frame) < 1.0):
            return None  # a row is named ("timtid"): it answers, not the table
    listed = [_columns(tuple(row), ask.columns, doc_years)[0] for row in rows.values()]
    listed = [chosen for chosen in listed if chosen]
    if not MIN_LISTED_ROWS <= len(listed) <= MAX_COLUMN_LIST:
        return None
    facts = tuple(to_fact(c, best.score) for chosen in listed for c in chosen[:1])
    name = first.key_header or first.section_path.split(" > ")[-1]
    return LookupResult(facts, best.score, (), f"listed-table:{name}")


def _may_name_topic(word: str) -> bool:
    """Not a stopword, period word, number, single letter or row operator (the
    operators pick rows, not a topic)."""
    return not (
        word in STOPWORDS
        or word in PERIOD_WORDS
        or word.isdigit()
        or len(word) < 2
        or word in OPERATOR_WORDS
    )


class NumberLookup:
    """Finds the typed cells that answer a numeric question.

    ``documents`` tell which words only name a document ("nämndplan",
    "kommunstyrelsens") and which years a table without year columns is about.
    ``vocabulary`` tells which stems the corpus has (English questions keep only
    those) and splits compounds it never writes whole.
    """

    def __init__(
        self,
        source: CellSource,
        documents: Sequence[DocumentMeta] = (),
        vocabulary: KnownStems | None = None,
        spelled: Mapping[str, str] | None = None,
    ) -> None:
        self._source = source
        self._known = vocabulary
        self._long_forms = [
            (abbr, _tokens(long)) for abbr, long in (spelled or {}).items()
        ]
        self._label_abbreviations: dict[str, dict[str, frozenset[str]]] = {}
        self._body_stems = tuple(
            s for s in (vocabulary.all() if vocabulary else ()) if is_body_word(s)
        )
        # One entry per municipality: two documents of Mark are one place named.
        self._places = [
            {n.lower() for n in municipality_names(m)}
            for m in sorted({d.municipality for d in documents if d.municipality})
        ]
        self._doc_years = {d.doc: document_years(d) for d in documents}
        self._naming = {}
        for d in documents:
            owner = frozenset(stems(f"{d.organ} {d.municipality}"))
            title = frozenset(stems(f"{d.title} {d.kind}")) - owner
            self._naming[d.doc] = _Naming(owner, title)
        self._organs = {d.doc: frozenset(_organs_in(d.organ)) for d in documents}

    def _terms(self, text: str, docs: Collection[str] | None, english: bool) -> Terms:
        """Row-selecting stems. Title words of the candidate documents are dropped;
        an owner in the Swedish genitive ("kommunstyrelsens budget") says whose table
        it is, not which row, and is dropped too (even when nothing else is left);
        other owner words ("för kommunstyrelsen") are optional: they help a row that
        names them but are not required (unless nothing else is left)."""
        naming = self._naming_of(docs)
        sorted_terms = _SortedTerms()
        if english:
            # Planning terms become their Swedish alternatives ("committees" ->
            # "nämnd|nämnder"); the words left are names and unknown English.
            groups, rest = translate(text)
            text = " ".join(rest)
            for group in groups:
                self._sort_group(group, naming, sorted_terms)
        called_rows = _called_rows(text)
        staff = _staff_of_owner(text)
        for word in self._topic_words(text):
            # "the Kommunledningsförvaltning line": the owner's name as a row's.
            as_row = word in called_rows
            if word in staff:
                sorted_terms.optional.append(stem(word))
                continue
            self._sort_word(word, naming, english, sorted_terms, as_row=as_row)
        return sorted_terms.terms()

    def _naming_of(self, docs: Collection[str] | None) -> _Naming:
        """The owner and title words of the candidate documents together."""
        names = [n for d, n in self._naming.items() if docs is None or d in docs]
        owner: frozenset[str] = frozenset().union(*(n.owner for n in names))
        title: frozenset[str] = frozenset().union(*(n.title for n in names))
        return _Naming(owner, title)

    def _sort_group(
        self, group: Sequence[str], naming: _Naming, out: _SortedTerms
    ) -> None:
        """One translated planning term, as the alternatives of its stems."""
        if set(group) & OPERATOR_WORDS:
            return  # picks rows ("total", "largest"), not a topic
        term = ALTERNATIVES.join(dict.fromkeys(map(stem, group)))
        alternatives = term.split(ALTERNATIVES)
        if set(group) & (MEASURE_WORDS | WHOLE_YEAR_WORDS):
            # "rate" -> "andel|nivå": says what figure is asked, as "hur hög" does
            # in Swedish, and "full year" of which period; each helps a row that
            # names it but selects none.
            out.optional.append(term)
        elif any(a in naming.owner for a in alternatives) or any(
            is_body_head(w) for w in group
        ):
            # The owner, or a body's head alone ("administration"), as in Swedish.
            out.optional.append(term)
            if any(ORGAN_RE.fullmatch(w) for w in group):
                out.organs.append(term)
        elif all(a in naming.title for a in alternatives):
            out.dropped.append(term)
        elif self._known is None or known_term(term, self._known.__contains__):
            # "IT systems" -> "it-system": known when the corpus has each part (it
            # writes them as two tokens), and matched part by part.
            out.core.append(term)

    def _cells(
        self, query: Query, docs: Collection[str] | None
    ) -> Sequence[CellRecord]:
        """The cells of ``docs``; of the sections the question names by number
        ("i riskvärderingstabellen (avsnitt 11.3)") when it names one they have."""
        cells = self._source.cells(docs=docs)
        refs = [r for r in query.refs if r.split(" ", 1)[0] in SECTION_WORDS]
        named = [
            c for c in cells if any(section_matches(r, c.section_path) for r in refs)
        ]
        return named or cells

    @cached_property
    def _one_word_rows(self) -> frozenset[str]:
        """The stems of row labels that are one word ("Budgetavvikelse")."""
        return frozenset(
            stem(c.row_label.strip())
            for c in self._source.cells()
            if re.fullmatch(r"\w+", c.row_label.strip())
        )

    def _topic_words(self, text: str) -> list[str]:
        """The words of ``text`` that may name a topic, compounds the corpus never
        writes whole split, a metric head ("-budget") cut off, unless the word is
        a row's whole label ("budgetavvikelse" asks for the row "Budgetavvikelse")."""
        split = self._known.split if self._known is not None else lambda w: [w]
        parts = (
            p
            for word in words(text)
            for p in split(
                word if stem(word) in self._one_word_rows else without_metric_head(word)
            )
        )
        return [w for w in parts if _may_name_topic(w)]

    def _sort_word(
        self,
        word: str,
        naming: _Naming,
        english: bool,
        out: _SortedTerms,
        *,
        as_row: bool = False,
    ) -> None:
        s = stem(word)
        # A head alone ("förvaltningen") names the document's owner, not a row.
        bare = is_body_head(word)
        owned = bare or s in naming.owner or stem(word[:-1]) in naming.owner
        is_owner = owned and not as_row
        if is_owner and not bare and ORGAN_RE.fullmatch(word):
            out.organs.append(s)
        if s in naming.title or (is_owner and word.endswith("s") and not english):
            out.dropped.append(s)
        elif english and self._known is not None and s not in self._known:
            return  # unknown English: the corpus cannot match it
        else:
            plain = is_owner or word in WHOLE_YEAR_WORDS
            (out.optional if plain else out.core).append(s)

    def _abbreviated(self, label: str) -> dict[str, frozenset[str]]:
        """The abbreviations of the long forms ``label`` writes out (the documents
        spell them out elsewhere): "Hållbart medarbetarengagemang KS" is also
        "hme", as "21. Hållbart medarbetarengagemang (HME)" is."""
        if label not in self._label_abbreviations:
            tokens = _tokens(label)
            self._label_abbreviations[label] = {
                abbr: long for abbr, long in self._long_forms if long <= tokens
            }
        return self._label_abbreviations[label]

    def foreign_bodies(self, query: Query) -> dict[str, tuple[Body, ...]]:
        """Per document, the bodies the question names that the document's owner
        and title do not (the document may still have rows of them). A question
        naming several municipalities names bodies of which one is unknown, so
        it constrains nothing here."""
        lowered = set(words(query.text))
        if sum(bool(names & lowered) for names in self._places) >= 2:
            return {}
        bodies = named_bodies(query.text, query.lang == "en", self._knows_body)
        if not bodies:
            return {}
        out = {}
        for doc, naming in self._naming.items():
            own = naming.owner | naming.title
            out[doc] = tuple(b for b in bodies if not belongs_to(b, own))
        return out

    def _knows_body(self, prefix: str) -> bool:
        return any(s.startswith(prefix) for s in self._body_stems)

    def _organs_by_doc(self, terms: Terms) -> dict[str, frozenset[str]]:
        out = {}
        for doc, organs in self._organs.items():
            if any(term_matches(o, organs) for o in terms.organs):
                out[doc] = frozenset(terms.organs) | organs
        return out

    def find(
        self,
        query: Query,
        hits: Sequence[Hit],
        docs: Collection[str] | None,
        kinds: Collection[str] = (),
    ) -> LookupResult | None:
        """Best-matching row's cells for the asked years/kinds, or None.

        ``kinds`` are all column kinds the question names (``query.metric`` first).
        A follow-up's own words ("Och intäkterna?") are tried first: when they name
        a row, that row answers; otherwise the carried-over topic does.
        """
        cells = self._cells(query, docs)
        if not cells:
            return None
        english = query.lang == "en"
        if query.focus:
            focused = self._terms(query.focus, docs, english)
            result = (
                self._find(query, hits, cells, focused, kinds) if focused.core else None
            )
            if result and result.label_match > 0:
                return result
        terms = self._terms(query.topic or query.search_text, docs, english)
        result = self._find(query, hits, cells, terms, kinds) if terms.core else None
        qualifying = not terms.core or _qualify_kind(terms.core, query.text)
        if result is None and terms.organs and kinds and qualifying:
            # "kommunstyrelsens driftbudget" where no row says "drift", or only
            # "kommunledningsförvaltningens budget 2025": the owner's budget is
            # the whole table's, its total row.
            return self._table_total(query, hits, cells, terms, kinds)
        return result

    def _table_total(
        self,
        query: Query,
        hits: Sequence[Hit],
        cells: Sequence[CellRecord],
        terms: Terms,
        kinds: Collection[str],
    ) -> LookupResult | None:
        """The total row of the best-ranked retrieved table that has one (of a
        leading total, the grand total: the last) with figures of the asked kinds."""
        ranks = _table_ranks(hits)
        for table in sorted(ranks, key=ranks.__getitem__):
            totals = [c for c in cells if c.table_id == table and c.is_total]
            if not totals:
                continue
            label = Terms(tuple(stems(totals[-1].row_label)), (), terms.organs)
            found = self._find(query, hits, cells, label, kinds)
            # Of the asked kind: an investment table's "Summa 2026" is no
            # operating budget.
            if (
                found is not None
                and found.facts
                and all(f.kind in kinds for f in found.facts)
            ):
                return found
        return None

    def compare(
        self, query: Query, hits: Sequence[Hit], docs: Collection[str] | None
    ) -> LookupResult | None:
        """The rows of a table on the asked side of a reference ("Vilka poster
        minskar från 2024 till 2025?"; see ``row_compare``): the first of the
        best-ranked tables that has what the question compares; without a
        retrieved table, the first table with a column the question compares with
        ("under snittet" for a table with "Medel 2020-")."""
        if comparison_side(query.text) is None:
            return None
        english = query.lang == "en"
        before, after = split_at_cue(query.text)
        values = _column_namer(self._terms(before, docs, english))
        references = _column_namer(self._terms(after, docs, english))
        terms = self._terms(query.text, docs, english)
        cells = self._cells(query, docs)
        ranks = _table_ranks(hits)
        tables = (
            sorted(ranks, key=ranks.__getitem__)[:COMPARED_TABLES]
            or [
                t
                for t in dict.fromkeys(c.table_id for c in cells)
                if any(references(c.column_label) for c in cells if c.table_id == t)
            ][:1]
        )
        for table in tables:
            first = next((c for c in cells if c.table_id == table), None)
            if first is None:
                continue
            # The table's frame (a table printed in parts), total rows left out.
            rows = _table_rows(_Row((first,), 1.0, 0.0), cells, terms)
            compared = compare_rows(rows, query, values, references)
            if compared is not None and (not compared.none or table == tables[0]):
                # "None of the rows" is an answer only from the best-ranked table.
                facts = tuple(to_fact(c, 1.0) for c in compared.cells)
                return LookupResult(facts, 1.0, (), compared.ranking)
        return None

    def rank_retrieved(
        self, query: Query, hits: Sequence[Hit], docs: Collection[str] | None
    ) -> LookupResult | None:
        """A superlative over the rows of the best-ranked table that has the asked
        years ("Vilken kostnadspost ... avviker mest?"): for questions naming the
        rows only by their kind, which no row label says."""
        direction = superlative(query.text)
        ranks = _table_ranks(hits)
        if direction is None or not ranks:
            return None
        terms = self._terms(query.text, docs, query.lang == "en")
        ask = _Ask(query, terms, tuple(query.metrics))
        cells = self._cells(query, docs)
        # The best-ranked tables with rows to rank: a one-row table (a goal's
        # indicator line) takes no place among them. Read lazily, up to the last
        # one compared.
        tables = (
            _by_line(c for c in cells if c.table_id == table and not c.is_total)
            for table in sorted(ranks, key=ranks.__getitem__)
        )
        rankable = (by_line for by_line in tables if len(by_line) >= MIN_LISTED_ROWS)
        for by_line in itertools.islice(rankable, COMPARED_TABLES):
            rows = [c for line in by_line.values() for c in line]
            years = {c.year for c in rows}
            if any(_superlative_names(r[0].row_label, terms) for r in by_line.values()):
                return None
            if query.years and not set(query.years) <= years:
                continue  # not of the asked years
            if _maximum_column(by_line, query.text) is None and asks_relative(
                query.text
            ):
                continue  # ranked relative to a maximum the table lacks
            if not _ranks_by_table(rows, ask):
                continue  # "the biggest challenges": nothing of the table is asked
            first = tuple(c for c in rows if c.line == rows[0].line)
            ranked, ranking = _rank_table(_Row(first, 1.0, 0.0), cells, ask, direction)
            if ranked:
                facts = tuple(to_fact(c, 1.0) for c in ranked)
                return LookupResult(facts, 1.0, (), ranking)
        return None

    def named_rows(
        self, query: Query, hits: Sequence[Hit], docs: Collection[str] | None
    ) -> LookupResult | None:
        """All rows of one table that name what a list question asks about
        ("Vilka investeringar planeras i Bollstahallen?": every row whose label
        holds "Bollstahallen"), with their figures; None unless at least two do.
        When no row's label matches, a column the question names lists its rows
        (``_column_listed``).

        The best-matching row decides which of the question's terms its label
        holds; the rows of its table whose labels hold all of them are listed."""
        if (
            not query.wants_list
            or superlative(query.text)
            or comparison_side(query.text)
        ):
            return None
        english = query.lang == "en"
        terms = self._terms(query.topic or query.search_text, docs, english)
        if not terms.core:
            return None
        cells = self._cells(query, docs)
        ask = _Ask(query, terms, tuple(query.metrics))
        rows = self._ranked_rows(ask, hits, cells)
        if not rows:
            return None
        best = rows[0]
        doc_years = self._doc_years.get(best.cells[0].doc, ())
        if best.label_match <= 0:
            noun = row_kind(query.text) or ""
            kind = self._terms(noun, docs, english).core if noun else ()
            return _column_listed(best, cells, ask) or _table_listed(
                best, cells, ask, doc_years, kind
            )
        return _label_listed(rows, ask, doc_years)

    def _find(
        self,
        query: Query,
        hits: Sequence[Hit],
        cells: Sequence[CellRecord],
        terms: Terms,
        kinds: Collection[str],
    ) -> LookupResult | None:
        metric = [query.metric] if query.metric else []
        ask = _Ask(query, terms, tuple(dict.fromkeys([*metric, *kinds])))
        rows = self._ranked_rows(ask, hits, cells)
        direction = superlative(query.text)
        if direction and asks_relative(query.text):
            # Ranked relative to a maximum: only tables with a maximum column.
            with_max = {c.table_id for c in cells if _is_maximum(c.column_label)}
            rows = [r for r in rows if r.cells[0].table_id in with_max]
        if direction:
            # A superlative ranks rows: a table of one row ("Poäng 63") has none.
            lines: dict[str, set[int]] = {}
            for c in cells:
                lines.setdefault(c.table_id, set()).add(c.line)
            rows = [
                r for r in rows if len(lines[r.cells[0].table_id]) >= MIN_LISTED_ROWS
            ]
        scope = scope_stem(query.text) if direction else None
        if scope:
            # "... inom effektivitet": the rows of a table about it rank, not the
            # row of the group itself in a table of groups.
            scoped = [r for r in rows if _in_scope(r, scope)]
            rows = scoped or rows
        if not rows:
            return None
        best = _best_row(rows)
        if direction and _superlative_names(best.cells[0].row_label, terms):
            direction = None
        if direction:
            ranked, ranking = _rank_table(best, cells, ask, direction)
            if ranked:
                facts = tuple(to_fact(c, best.score) for c in ranked)
                return LookupResult(
                    facts, best.score, (), ranking, best.label_match, _evidence(best)
                )
        return self._row_result(best, rows, cells, ask)

    def _ranked_rows(
        self, ask: _Ask, hits: Sequence[Hit], cells: Sequence[CellRecord]
    ) -> list[_Row]:
        """The rows that match the question, best first."""
        by_row: dict[tuple[str, int], list[CellRecord]] = {}
        for cell in cells:
            by_row.setdefault((cell.table_id, cell.line), []).append(cell)
        terms = ask.terms
        # Tables where some row clearly names the asked thing; elsewhere a question
        # that only matches the caption is about the table's total.
        labelled = {
            row[0].table_id for row in by_row.values() if _names_a_row(row[0], terms)
        }
        asked = _Asked(
            ask.kinds,
            _table_ranks(hits),
            ask.wants_total,
            labelled,
            _column_terms(terms, cells),
            self._organs_by_doc(terms),
            self._doc_years,
            self.foreign_bodies(ask.query),
            names_body(ask.query.text, ask.query.lang == "en"),
        )
        scored = (
            self._score(tuple(c), terms, ask.query, asked) for c in by_row.values()
        )
        rows = [row for row in scored if row is not None]
        rows.sort(key=lambda r: -r.score)
        return rows

    def _row_result(
        self, best: _Row, rows: Sequence[_Row], cells: Sequence[CellRecord], ask: _Ask
    ) -> LookupResult:
        """The best row's cells in the asked columns (or its table's sums), with the
        share base and a twin row of another table when they apply."""
        doc_years = self._doc_years.get(best.cells[0].doc, ())
        chosen, missing = _columns(best.cells, ask.columns, doc_years)
        if {"budget", "prognos"} <= {c.kind for c in chosen}:
            # Forecast against budget: the row's printed deviation says how they compare.
            chosen += [
                c for c in best.cells if c.kind == "avvikelse" and c not in chosen
            ]
        if ask.wants_total and not best.cells[0].is_total and best.label_match < 0.5:
            # The question is about the whole table, which prints no usable total.
            summed = _table_sums(best, chosen, cells)
            if summed:
                return LookupResult(
                    tuple(summed), best.score, missing, None, 0.0, _evidence(best)
                )
        facts = [to_fact(c, best.score) for c in chosen]
        facts += _share_base(best, chosen, cells, ask.query)
        for other in _twins(best, rows[1:]):
            twin_years = self._doc_years.get(other.cells[0].doc, ())
            twin_cells, _ = _columns(other.cells, ask.columns, twin_years)
            facts.extend(to_fact(c, other.score) for c in twin_cells)
        terms = ask.columns.terms
        in_named = [_match(column_words(c.column_label), terms) > 0 for c in chosen]
        # "Ligger Mark över eller under snittet?": the row's own figure beside the
        # named column is the cell asked for too.
        named = bool(chosen) and (
            all(in_named) or (ask.columns.compares and any(in_named))
        )
        return LookupResult(
            tuple(facts),
            best.score,
            missing,
            None,
            best.label_match,
            _evidence(best),
            named,
        )

    def _score(
        self,
        cells: tuple[CellRecord, ...],
        terms: Terms,
        query: Query,
        asked: _Asked,
    ) -> _Row | None:
        first = cells[0]
        columns = " ".join(dict.fromkeys(column_words(c.column_label) for c in cells))
        abbreviations = self._abbreviated(first.row_label)
        label, context = _label_and_context(first, terms, columns, abbreviations)
        if not _carries_topic(first, terms, columns, abbreviations):
            return None
        # Without a label match the caption/section must carry most of the question.
        if label + context < MIN_TOPIC or (not label and context < MIN_CONTEXT_ONLY):
            return None
        if not _names_bodies(first, asked.bodies_by_doc.get(first.doc, ())):
            return None  # another body's figure is a neighbouring number
        score = 2.0 * label + 1.0 * context
        organs = asked.organs_by_doc.get(first.doc, terms.organs)
        if organs and _names_other_organ(first, organs):
            score -= 1.5
        whole = WHOLE_MUNICIPALITY.search(query.text)
        if whole and _organ_qualified(first.row_label):
            score -= 1.0  # "för hela kommunen": not the row of one board ("..., KS")
        if not whole and asked.names_body and _names_municipality(first.row_label):
            score -= 1.0  # "på förvaltningen": not the municipality's row
        rank = asked.table_rank.get(first.table_id)
        retrieval = 1.0 / rank if rank else 0.0
        score += retrieval
        if first.is_total or _emphasised(first.raw):
            prefer_total = asked.wants_total or first.table_id not in asked.labelled
            score += 0.5 if prefer_total else -0.3
        if asked.kinds:
            # A row may be the asked kind itself ("Budgetavvikelse" for "budgetavvikelse").
            is_kind = bool(set(find_metrics(first.row_label)) & set(asked.kinds))
            has_kind = is_kind or any(c.kind in asked.kinds for c in cells)
            score += 0.75 if has_kind else -0.75
        named: list[CellRecord] = []
        if asked.column_terms:
            # The question names a column ("medelvärde" for "Medel 2020-").
            named = [
                c
                for c in cells
                if any(
                    match_strength(t, _tokens(column_words(c.column_label))) >= 1.0
                    for t in asked.column_terms
                )
            ]
            score += 0.75 if named else -0.5
        # A named column covers the years its header names, a span's too
        # ("medelvärdet sedan 2020" and "Medel 2020-").
        spans = {int(y) for c in named for y in YEAR_RE.findall(c.column_label)}
        score += _year_fit(
            cells,
            query.years,
            asked.doc_years.get(first.doc, set()),
            query.or_earlier,
            spans,
        )
        return _Row(cells, score, label, context, retrieval)


def _staff_of_owner(text: str) -> set[str]:
    """Staff words after a body in the genitive ("kommunstyrelsens personal",
    "förvaltningens medarbetare", "the board's staff"): the body's people say
    whose figure is asked, as the body does; they name no row ("Personalkostnader")."""
    tokens = words(text)
    staff = word_set("question_words", "staff_words")

    def genitive_body(word: str) -> bool:
        if word.endswith("'s"):
            return True
        base = word[:-1]
        return word.endswith("s") and (is_body_word(base) or is_body_head(base))

    return {
        word
        for before, word in itertools.pairwise(tokens)
        if word in staff and genitive_body(before)
    }


def _called_rows(text: str) -> set[str]:
    """Words the question calls a row by a row word beside them ("the
    Kommunledningsförvaltning line", "posten IT-kostnader", "raden för
    Kommunstyrelse")."""
    tokens = words(text)
    cues = word_set("question_words", "row_cues")
    linking = {"för", "for", "of"}
    named: set[str] = set()
    for i, token in enumerate(tokens):
        if token not in cues:
            continue
        after = tokens[i + 1 : i + 3]
        after = after[1:] if after and after[0] in linking else after
        named.update(tokens[i - 1 : i] + after[:1])
    return named


def _part_of_year(text: str) -> bool:
    low = text.lower()
    return any(cue in low for cue in words_of("question_words", "partial_period_cues"))


def asks_whole_year(text: str) -> bool:
    """``text`` asks about the whole year only ("helåret", "full-year"), not also
    about part of it (a month, "hittills")."""
    months = set(words_of("question_words", "months"))
    return bool(WHOLE_YEAR.search(text)) and not (
        _part_of_year(text) or months & set(words(text))
    )


def part_of_year_only(query: Query, text: str) -> bool:
    """The question asks for the whole year and ``text`` gives a figure for part
    of one ("januari till september") without speaking of the whole year."""
    return (
        asks_whole_year(query.text)
        and not WHOLE_YEAR.search(text)
        and _part_of_year(text)
    )


def _column_namer(terms: Terms) -> Callable[[str], bool]:
    """Whether a column header is named by ``terms``."""
    return lambda column: (
        bool(terms.core) and _match(column_words(column), terms.core) > 0
    )


def _year_fit(
    cells: Sequence[CellRecord],
    years: Sequence[int],
    doc_years: Collection[int],
    or_earlier: bool = False,
    named_years: Collection[int] = (),
) -> float:
    """How a row fits the asked years: constraint coverage (a row holding every
    asked year beats one holding one of them), a small loss for a row of other
    years (still maybe the right row), a larger one for an undated row, unless
    its document is about an asked year ("Helår Prognos" in a 2026 report).
    ``named_years``: years the headers of the columns the question names hold."""
    if not years:
        return 0.0
    row_years = {c.year for c in cells if c.year is not None} | set(named_years)
    covered = row_years & set(years)
    if or_earlier and not covered:
        # "Och året innan?": an earlier year of the row stands in; an undated
        # row is of the document's own, current period.
        return 0.75 if any(y < min(years) for y in row_years) else -0.75
    if covered:
        return 0.75 * len(covered) / len(set(years))
    if row_years:
        return -0.25
    return 0.0 if set(years) & set(doc_years) else -0.75


def _qualify_kind(core: Sequence[str], text: str) -> bool:
    """Every row-selecting term only qualifies a column kind the question writes
    with it ("drift" of "driftbudget", "netto" of "nettobudget")."""
    asked = [stem(w) for w in words(text)]
    return bool(core) and all(
        any(w.startswith(t) and len(w) > len(t) and word_kind(w) for w in asked)
        for t in core
    )


def _table_ranks(hits: Sequence[Hit]) -> dict[str, int]:
    """Where retrieval ranked each table (1 = its best-ranked table)."""
    table_rank: dict[str, int] = {}
    for h in hits:
        if h.kind == "table" and h.table_id and h.table_id not in table_rank:
            table_rank[h.table_id] = len(table_rank) + 1
    return table_rank


def _best_row(rows: Sequence[_Row]) -> _Row:
    """The first of ``rows`` (sorted best first); of tied total rows of one table,
    the last, which is the grand total."""
    best = rows[0]
    if not best.cells[0].is_total:
        return best
    tied = [
        r
        for r in rows
        if r.score == best.score
        and r.cells[0].is_total
        and r.cells[0].table_id == best.cells[0].table_id
    ]
    return max(tied, key=lambda r: r.cells[0].line)


def _share_base(
    best: _Row, chosen: Sequence[CellRecord], cells: Sequence[CellRecord], query: Query
) -> list[Fact]:
    """ "Hur stor andel av ... går till X?": the total of X's table, same column."""
    asks_share = any(cue in query.text.lower() for cue in SHARE_CUES)
    if not asks_share or best.cells[0].is_total:
        return []
    columns = {c.column_label for c in chosen}
    return [
        to_fact(c, best.score)
        for c in cells
        if c.table_id == best.cells[0].table_id
        and c.is_total
        and c.column_label in columns
    ]


# Rows to rank, each with the value it is ranked by.
_Scored = list[tuple[list[CellRecord], float]]


def _rank_table(
    best: _Row, cells: Sequence[CellRecord], ask: _Ask, direction: str
) -> tuple[list[CellRecord], str]:
    """The extreme rows of the best row's table, and how they were ranked: "max" or
    "min" by a column, "max-change" or "min-change" by the change between two year
    columns ("ökade mest mellan 2022 och 2024"; "minskade mest" is "min-change").

    Without a change word the column is the one whose header names a question
    word ("Riskvärde"), else the asked year/kind (with several years, the one
    written nearest the superlative), else the table's last numeric column. Each
    ranked row also brings its cells for the other asked years ("... och hur många
    poäng hade det 2022?"). Total rows are not ranked. Ties are all returned; a
    plural question ("vilka", "which") gets up to three rows.
    """
    rows = _table_rows(best, cells, ask.terms)
    scope = scope_stem(ask.query.text)
    if scope:  # "inom effektivitet": the frame's rows of that group
        scoped = {
            k: r for k, r in rows.items() if _in_scope(_Row(tuple(r), 0, 0), scope)
        }
        rows = scoped or rows
    if not rows:
        return [], direction
    asked = set(words(ask.query.text))
    pair = change_pair(ask.query, _years_of(rows)) if asked & CHANGE_WORDS else None
    if pair:
        if asked & DECREASE_WORDS:  # the largest fall is the most negative change
            direction = "min" if direction == "max" else "max"
        scored = _change_scores(rows, pair)
        ranking = f"{direction}-change"
    else:
        scored, direction = _column_scores(rows, ask, direction)
        ranking = direction
    if not scored:
        return [], ranking
    return _top_rows(scored, direction, ask.query.text), ranking


def _table_rows(
    best: _Row, cells: Sequence[CellRecord], terms: Terms
) -> dict[int, list[CellRecord]]:
    """The cells of ``best``'s frame by line, total rows left out. A frame is the
    best row's table and the tables of its document with the same numeric
    columns (an internal control plan printed as one table per area), unless the
    question names the best table's own section ("... inom IT")."""
    tables = _frame(best.cells[0], cells, terms)
    return _by_line(c for c in cells if c.table_id in tables and not c.is_total)


def _by_line(cells: Iterable[CellRecord]) -> dict[int, list[CellRecord]]:
    """``cells`` grouped by their row's line, in their order."""
    rows: dict[int, list[CellRecord]] = {}
    for c in cells:
        rows.setdefault(c.line, []).append(c)
    return rows


def _frame(first: CellRecord, cells: Sequence[CellRecord], terms: Terms) -> set[str]:
    """The best table and those of its document with the same columns whose own
    context (section, caption, label-column header) holds every question term the
    best table's holds: "driftpost" keeps "Digitaliseringsplan - drift" apart from
    "Digitaliseringsplan investeringar", "inom IT" keeps the IT part alone."""
    columns: dict[str, set[str]] = {}
    context: dict[str, set[str]] = {}
    for c in cells:
        if c.doc != first.doc:
            continue
        columns.setdefault(c.table_id, set()).add(c.column_label)
        if c.table_id not in context:
            # A table without a caption of its own in the best table's section
            # shares its caption ("Nedan visas ... inom respektive område").
            # (A caption that only repeats the section title is none of its own.)
            captioned = bool(c.caption) and c.caption not in c.section_path
            shared = c.section_path == first.section_path and not captioned
            caption = first.caption if shared else c.caption
            tokens = _tokens(f"{c.section_path} {caption} {c.key_header}")
            context[c.table_id] = {
                t for t in terms.core if match_strength(t, tokens) >= 1.0
            }
    own, named = columns.get(first.table_id, set()), context.get(first.table_id, set())
    return {
        t
        for t, cols in columns.items()
        if t == first.table_id or (cols == own and named <= context[t])
    }


def _change_scores(
    rows: Mapping[int, Sequence[CellRecord]], pair: tuple[int, int]
) -> _Scored:
    """Rows with both years of ``pair``, by the change from the earlier to the
    later (the later year's cell first)."""
    scored = []
    for row in rows.values():
        cells = year_pair_cells(row, pair)
        if cells is not None:
            last, first = cells
            scored.append(([last, first], last.value - first.value))
    return scored


def _column_scores(
    rows: dict[int, list[CellRecord]], ask: _Ask, direction: str
) -> tuple[_Scored, str]:
    """Rows by their value in the ranking column, each with its cells of the other
    asked years; and the direction, which a deviation column may set."""
    maximum = _maximum_column(rows, ask.query.text)
    column = _ranking_column(rows, ask, maximum)
    # "Störst underskott": the most negative deviation; "avviker mest": the
    # largest either way.
    sign = deviation_sign(ask.query.text) if is_deviation_column(column) else None
    if sign in ("deficit", "surplus"):
        direction = "min" if sign == "deficit" else "max"
    scored = []
    for row in rows.values():
        ranked = [c for c in row if c.column_label == column]
        if ranked:
            others = [
                c for c in row if c.year in ask.query.years and c.column_label != column
            ]
            value = ranked[0].value
            if maximum is not None:
                # "Lägst i förhållande till max": the share of the row's maximum.
                top = [c for c in row if c.column_label == maximum and c.value]
                if not top:
                    continue
                others, value = top, value / top[0].value
            scored.append((ranked + others, abs(value) if sign == "any" else value))
    return scored, direction


def scope_stem(text: str) -> str | None:
    """The stem of the word after a scope cue ("inom effektivitet", "Inom
    området Effektivitet"), fillers skipped; None without a cue."""
    cues = set(words_of("question_words", "scope_cues"))
    fillers = set(words_of("question_words", "scope_fillers"))
    tokens = words(text)
    for i, token in enumerate(tokens):
        if token in cues:
            rest = [t for t in tokens[i + 1 :] if t not in fillers]
            return stem(rest[0]) if rest and rest[0] not in STOPWORDS else None
    return None


def _in_scope(row: _Row, scope: str) -> bool:
    """The row belongs to the group ``scope`` names: its table's context names
    it, or its label does besides other words ("4.3 Jämförelser för ökad
    effektivitet"; "4 Effektivitet" alone is the group itself)."""
    first = row.cells[0]
    context = f"{first.section_path} {first.caption} {first.key_header}"
    if term_matches(scope, _tokens(context)):
        return True
    label = [w for w in words(first.row_label) if not w.isdigit()]
    return term_matches(scope, _tokens(first.row_label)) and len(label) > 1


def asks_relative(text: str) -> bool:
    """The question ranks relative to each row's maximum ("i förhållande till")."""
    low = text.lower()
    return any(cue in low for cue in words_of("question_words", "relative_cues"))


def _ranks_by_table(rows: Sequence[CellRecord], ask: _Ask) -> bool:
    """A superlative may rank this table's rows: the question names a column
    operation (a deviation, a change, a share of the maximum, a year), or one of
    its terms is said by the table: its section, caption, headers or labels."""
    text = ask.query.text
    if (
        ask.query.years
        or deviation_sign(text)
        or asks_relative(text)
        or set(words(text)) & CHANGE_WORDS
        or not ask.terms.core
    ):
        return True
    tokens = _tokens(" ".join({_said(c, column_words(c.column_label)) for c in rows}))
    return any(match_strength(t, tokens) >= 1.0 for t in ask.terms.core)


def _maximum_column(rows: Mapping[int, Sequence[CellRecord]], text: str) -> str | None:
    """The column of each row's maximum ("Max", "Maxpoäng") when the question
    ranks relative to it ("i förhållande till maxpoängen", "relative to its
    maximum"), else None."""
    if not asks_relative(text):
        return None
    columns = dict.fromkeys(c.column_label for r in rows.values() for c in r)
    return next((col for col in columns if _is_maximum(col)), None)


def _is_maximum(column: str) -> bool:
    """A header of each row's maximum ("Max", "Maxpoäng", "Möjliga poäng")."""
    heads = words_of("question_words", "maximum_headers")
    return column_words(column).lower().startswith(heads)


def _top_rows(scored: _Scored, direction: str, text: str) -> list[CellRecord]:
    """The cells of the extreme rows: all tied at the top, at most five; a plural
    question with one row at the top gets the next ones up to three (with a tie,
    the tied rows answer it: "Vilka risker har högst riskvärde?" is not given a
    lower value as a third)."""
    scored.sort(key=lambda rv: rv[1], reverse=direction == "max")
    extreme = scored[0][1]
    top = [r for r, v in scored if v == extreme]
    plural = bool(set(words(text)) & {"vilka", "which", "what"})
    if plural and len(top) == 1:
        top = [r for r, _ in scored[:3]]
    return [c for r in top[:5] for c in r]


def _years_of(rows: Mapping[int, Sequence[CellRecord]]) -> set[int]:
    return {c.year for r in rows.values() for c in r if c.year is not None}


def _ranking_column(
    rows: dict[int, list[CellRecord]], ask: _Ask, maximum: str | None = None
) -> str:
    query, kinds = ask.query, ask.kinds
    filled = Counter(c.column_label for r in rows.values() for c in r)
    columns = [
        col
        for col in filled
        # Ranked relative to the maximum, not by it; a column with one value
        # ("2 st" in a description column) ranks nothing.
        if col != maximum and filled[col] >= MIN_LISTED_ROWS
    ] or [col for col in filled if col != maximum]
    if deviation_sign(query.text):
        deviations = [col for col in columns if is_deviation_column(col)]
        if deviations:
            columns = deviations
    named = [
        col
        for col in columns
        if _match(column_words(col), ask.terms.core) > 0 and not _is_maximum(col)
    ]
    if named:
        return named[-1]
    year = year_near_superlative(query)

    def holds(col: str, of_kind: bool) -> bool:
        return any(
            c.column_label == col
            and (year is None or c.year == year)
            and (not of_kind or not kinds or c.kind in kinds)
            for r in rows.values()
            for c in r
        )

    # The asked year is a hard constraint (a figure of another year is refused),
    # the kind a soft one: an investment table's "2025" is what "belopp 2025" ranks.
    typed = [col for col in columns if holds(col, True)]
    dated = [col for col in columns if holds(col, False)] if year else []
    return (typed or dated or columns)[-1]


def _table_sums(
    best: _Row, chosen: Sequence[CellRecord], cells: Sequence[CellRecord]
) -> list[Fact]:
    """The sum of the rows of ``best``'s table in each chosen column, when the table
    has no parsed total row there and at least two rows have a value in one unit."""
    table = best.cells[0].table_id
    in_table = [c for c in cells if c.table_id == table]
    facts = []
    for column in dict.fromkeys(c.column_label for c in chosen):
        col = [c for c in in_table if c.column_label == column]
        if any(c.is_total for c in col) or not (col and (col[0].unit or col[0].kind)):
            continue  # printed total, or a column of plain numbers (years, ids)
        units = {c.unit for c in col}
        if len(col) < 2 or len(units) > 1:
            continue
        total = sum(c.value for c in col)
        first = col[0]
        facts.append(
            replace(
                to_fact(first, best.score),
                label=first.key_header or first.caption or first.row_label,
                value=total,
                raw=format_number(total, max(decimals_of(c.raw) for c in col)),
                is_total=True,
                line_end=max(c.line_end for c in col),
                summed_rows=len(col),
            )
        )
    return facts


def _evidence(row: _Row) -> float:
    return min(1.0, row.label_match + row.context_match)


def _columns(
    cells: Sequence[CellRecord],
    request: ColumnRequest,
    doc_years: Collection[int] = (),
) -> tuple[list[CellRecord], tuple[int, ...]]:
    """Cells of the asked kinds and years; the asked years the row lacks.

    A column the question names ("medelvärde" for "Medel 2020-", "max" for "Max")
    is taken as asked. A row without year columns is about its document's period:
    it answers for those years only (so a 2024 report's score is not the 2009 one).
    """
    years, terms = request.years, request.terms
    kinds = _kinds_present(request.kinds, cells)
    if request.or_earlier and years and not any(c.year in years for c in cells):
        # "Och året innan?": the latest earlier year the row has.
        earlier = [c.year for c in cells if c.year is not None and c.year < min(years)]
        years = (max(earlier),) if earlier else years
    chosen = list(cells)
    if request.whole_year:
        chosen = [c for c in chosen if not PARTIAL_PERIOD.search(c.column_label)]
    named = [
        c for c in chosen if terms and _match(column_words(c.column_label), terms) > 0
    ]
    asked_year = bool(years) and any(c.year in years for c in chosen)
    if named and len(named) < len(chosen) and not asked_year:
        # "Hur många poäng under medelvärdet ligger Mark?": the row's latest
        # figure is what is compared with the named column.
        own = [c for c in chosen if c.year is not None and c not in named]
        latest = (
            [max(own, key=lambda c: c.year or 0)] if own and request.compares else []
        )
        return [*latest, *named][:6], ()
    of_kind = [c for c in chosen if c.kind in kinds]
    # "Startläge, 2021 och 2022": a kind without years (a baseline, a target)
    # beside asked years is one more column, not a filter on them.
    beside_years = bool(years) and all(c.year is None for c in of_kind)
    if of_kind and not beside_years:
        chosen = of_kind
    missing: tuple[int, ...] = ()
    if years and any(c.year is not None for c in cells):
        missing = tuple(y for y in years if not any(c.year == y for c in chosen))
        # A yearless column of an asked kind ("Avvikelse prognos mot budget") belongs
        # to the row's period and stays.
        chosen = [
            c for c in chosen if c.year in years or (c.year is None and c.kind in kinds)
        ]
    elif years and doc_years and not set(years) & set(doc_years):
        return [], tuple(years)
    # "2024 och 2022, och vad ligger snittet på?": a column the question names
    # that is of no kind and no series already chosen (an average, a maximum;
    # not "Prov 2022" beside "Prov 2024") is asked beside the years.
    series = {_series(c.column_label) for c in chosen}
    chosen += [
        c
        for c in named
        if c.kind is None and c not in chosen and _series(c.column_label) not in series
    ]
    return chosen[:6], missing


def _series(column: str) -> str:
    """A column's header without its years: "Prov 2024" and "Prov 2022" are one
    series, "Medel 2020-" another."""
    return " ".join(w for w in words(column) if not w.isdigit())


def _kinds_present(kinds: Sequence[str], cells: Sequence[CellRecord]) -> Sequence[str]:
    """``kinds``, with the other outcome kind when the row lacks the asked one:
    "vad betalades ut 2025" (utfall) is answered by "Bokslut 2025"."""
    outcome = words_of("question_words", "outcome_kinds")
    have = {c.kind for c in cells}
    if any(k in outcome and k not in have for k in kinds):
        return (*kinds, *(k for k in outcome if k in have and k not in kinds))
    return kinds


def _twins(best: _Row, others: Sequence[_Row]) -> list[_Row]:
    """A row of another table with the same label and a near score (ambiguity).

    A score that differs only by the retrieval bonus is near: the question matches
    both rows and their tables equally well ("Säker digital kommunikation" in the
    operating and in the investment plan), so both are shown.
    """
    label = _tokens(best.cells[0].row_label)
    for row in others:
        first = row.cells[0]
        if first.table_id == best.cells[0].table_id:
            continue
        # Apart only by where retrieval ranked their tables.
        equally_matched = (
            best.score - row.score <= best.retrieval - row.retrieval + 1e-9
        )
        if row.score < best.score * AMBIGUITY_MARGIN and not equally_matched:
            continue
        if _tokens(first.row_label) == label or _prefix_same(
            first.row_label, best.cells[0].row_label
        ):
            return [row]
    return []


def _prefix_same(a: str, b: str) -> bool:
    """ "Säker digital kommunikatio" ~ "Säker digital kommunikation" (truncated labels)."""
    a, b = a.strip().lower(), b.strip().lower()
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 12 and long_.startswith(short)
