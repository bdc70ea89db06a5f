"""Numeric answers: one sentence per table row used, with unit, column and row,
citing the row's lines; computed sums, differences, shares and rankings shown with
the figures they come from, and the prose line stating the same figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answering.compose import (
    HEADING_LINE,
    CitationBuilder,
    Draft,
    LinesFor,
    MetaFor,
    clean,
    topic_terms,
)
from assistant.language.textmatch import coverage
from assistant.language.vocabulary import SHARE_CUES
from assistant.models import Fact, Query
from corpus.models import DocumentMeta
from corpus.numbers import decimals_of, format_number, parse_number

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
        magnitude = raw.lstrip("-−– ")
        if fact.value > 0:
            word = "a surplus of" if lang == "en" else "ett överskott på"
            return f"{word} {magnitude}"
        if fact.value < 0:
            word = "a deficit of" if lang == "en" else "ett underskott på"
            return f"{word} {magnitude}"
        return raw
    if fact.value < 0 and fact.unit in ("mnkr", "tkr", "kr"):
        magnitude = raw.lstrip("-−– ")
        net = "netto" in fact.label.lower()
        if lang == "en":
            return f"a {'net ' if net else ''}cost of {magnitude}"
        return f"{'en nettokostnad' if net else 'en kostnad'} på {magnitude}"
    return raw


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


def compose_number(
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
    lang = query.lang
    rows: dict[tuple[str, int], list[Fact]] = {}
    for fact in facts:
        rows.setdefault((fact.table_id, fact.line), []).append(fact)
    ambiguous = len({table for table, _ in rows}) > 1
    naming = _distinguishing(facts) if ambiguous else None
    sentences = []
    for row in rows.values():
        first = row[0]
        where = _where(meta_for(first.doc), lang)
        label = clean(first.label)
        values = _out_of(row, lang) or "; ".join(_parts(f, lang) for f in row)
        if first.summed_rows:
            sentences.append(
                _sum_sentence(row, where, values, builder, lines_for, lang)
            )
            continue
        n = builder.cite(
            first.doc,
            first.section_path,
            first.line,
            first.line_end or first.line,
            first.page,
        )
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
        sentences.append(sentence)
    text = " ".join(s[0].upper() + s[1:] for s in sentences)
    if ranking:
        return Draft(
            text=f"{_ranking_lead(ranking, facts, lang)} {text}",
            citations=builder.citations,
        )
    if ambiguous:
        if lang == "en":
            text = (
                f"The question fits {len(rows)} tables: {text} Which one did you mean?"
            )
        else:
            text = f"Frågan passar {len(rows)} tabeller: {text} Vilken menar du?"
    diff = _difference(facts, lang)
    if diff:
        text = f"{text} {diff}"
    if any(cue in query.text.lower() for cue in SHARE_CUES):
        share = _share(facts, lang)
        text = f"{text} {share}" if share else text
    if lines_for is not None and not ambiguous:
        text += _corroboration(query, facts, diff, builder, lines_for)
    return Draft(text=text, citations=builder.citations)


TOTAL_LINE = re.compile(r"^\W*(summa|totalt|total|sum)\b", re.I)


def _sum_sentence(
    row: Sequence[Fact],
    where: str,
    values: str,
    builder: CitationBuilder,
    lines_for: LinesFor | None,
    lang: str,
) -> str:
    """'för X summerar de 5 raderna i "T" till 17 000 000 kr [1].', citing the rows
    and a total line printed under them; a printed total that does not match the
    rows (a misprint, or a total that leaves rows out) is quoted and flagged."""
    first = row[0]
    end = first.line_end or first.line
    note = ""
    lines = lines_for(first.doc) if lines_for is not None else ()
    # The total line may follow a row or two without values.
    below = [i for i in range(end + 1, min(end + 4, len(lines)) + 1)]
    total = next((i for i in below if TOTAL_LINE.match(clean(lines[i - 1]))), None)
    if total and not any(re.search(r"\d", lines[i - 1]) for i in below if i < total):
        end = total
        printed = [clean(c) for c in lines[end - 1].split("\t")[1:] if clean(c)]
        parsed = parse_number(printed[0]) if printed else None
        if printed and (parsed is None or abs(parsed.value - first.value) > 0.5):
            note = (
                f' The total row under them prints "{printed[0]}", which does not'
                " match the rows."
                if lang == "en"
                else f' Tabellens summarad är tryckt som "{printed[0]}", vilket inte'
                " stämmer med raderna."
            )
    n = builder.cite(first.doc, first.section_path, first.line, end, first.page)
    label = clean(first.label)
    if lang == "en":
        owner = f"for {where}, the" if where else "the"
        return f'{owner} {first.summed_rows} rows of "{label}" add up to {values} [{n}].{note}'
    owner = f"för {where} summerar de" if where else "de"
    verb = "" if where else " summerar"
    return f'{owner} {first.summed_rows} raderna i "{label}"{verb} till {values} [{n}].{note}'


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
    lines = lines_for(doc)
    terms = topic_terms(query)
    cited = {(c.line_start, c.line_end) for c in builder.citations}
    row = facts[0].line
    best: tuple[float, int, int] | None = None  # (coverage, -distance, line)
    for number in numbers:
        if not re.search(r"\d\d|,\d", number):
            continue  # a lone digit ("4") is found in any text
        pattern = _number_pattern(number)
        for i, line in enumerate(lines, start=1):
            if "\t" in line or (i, i) in cited or HEADING_LINE.match(line):
                continue
            if not pattern.search(line):
                continue
            score = coverage(terms, line) if terms else 0.0
            # Equal wording: the comment next to the table beats a summary elsewhere.
            key = (round(score, 2), -abs(i - row), i)
            if score > 0 and (best is None or key > best):
                best = key
        if best:
            break
    if best is None:
        return ""
    line = best[2]
    n = builder.cite(doc, None, line, line)
    if query.lang == "en":
        return f" The text states the same figure [{n}]."
    return f" Texten anger samma värde [{n}]."


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


def _difference(facts: Sequence[Fact], lang: str) -> str:
    """'207,0 − 205,6 = 1,4' for the same row and kind in two different years."""
    if len(facts) != 2:
        return ""
    a, b = sorted(facts, key=lambda f: f.year or 0)
    if a.year is None or b.year is None or a.year == b.year or a.kind != b.kind:
        return ""
    decimals = max(decimals_of(a.raw), decimals_of(b.raw))
    delta = abs(b.value) - abs(a.value)
    av, bv = (
        format_number(abs(a.value), decimals),
        format_number(abs(b.value), decimals),
    )
    dv = format_number(abs(delta), decimals)
    unit = f" {a.unit}" if a.unit else ""
    if lang == "en":
        verb = "rises" if delta > 0 else "falls" if delta < 0 else "is unchanged"
        return f"It {verb} from {a.year} to {b.year}: {bv} \u2212 {av} = {dv}{unit}."
    verb = "ökar" if delta > 0 else "minskar" if delta < 0 else "är oförändrat"
    noun = "Beloppet" if a.unit in ("kr", "tkr", "mnkr", "mdkr") else "Värdet"
    return f"{noun} {verb} från {a.year} till {b.year}: {bv} \u2212 {av} = {dv}{unit}."
