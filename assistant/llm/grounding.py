"""Check a language model's answer against the passages it was shown.

Pure functions, no model calls. The rules:

- every ``[n]`` must name a passage that was shown; an unknown number means the
  model made up a source, so the whole answer is rejected;
- the answer must cite at least one passage;
- every number in a sentence must appear (thousands spaces, decimal comma or
  point and sign ignored) in that sentence's cited passages, in the facts looked
  up for them, or in the question. A number found nowhere at all is invented and
  rejects the whole answer; one that is only found in another passage drops the
  sentence. A sum or difference of two supported numbers in the same sentence
  counts as supported (computations are shown inline, ``129,0 − 127,4 = 1,6``);
- sentences without a citation are dropped, except the fixed refusal sentence,
  a question back to the user and a lead-in line ending with ":".

The citations returned are built from the passages (never from model output)
and renumbered 1..k in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from assistant.models import Citation, Fact, Hit

REFUSALS = ("Det framgår inte av dokumenten.", "The documents do not say.")

# Reasons for rejecting a whole answer (GroundedAnswer.problem).
NO_CITATION = "no_citation"
UNKNOWN_CITATION = "unknown_citation"
INVENTED_NUMBER = "invented_number"
NOTHING_SUPPORTED = "nothing_supported"
REFUSAL = "refusal"

_MARKER_RE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARKERS_AFTER_STOP_RE = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"“”'(A-ZÅÄÖ])")
_ABBREVIATION_RE = re.compile(
    r"(?:(?<![\w.])(?:\w{1,3}\.){2,}|\b(?:ca|resp|jfr|nr|kap|bl|fig|tab|s|p)\.)$", re.I
)
_GROUP_SEP = " \u00a0\u2009\u202f"
# A number as printed: "1 234,5", "205,6", "-7,9", "2023". Thousands groups are
# joined only when exactly three digits follow a space, so "2021 80" stays two.
_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?P<int>\d{{1,3}}(?:[{_GROUP_SEP}]\d{{3}})+(?!\d)|\d+)"
    r"(?:[.,](?P<dec>\d+))?(?![\d\w])"
)
_LIST_MARK_RE = re.compile(r"^\s*(?:[-*•]\s+)?\d{1,2}[.)]\s+")
_INTERPRETATION_RE = re.compile(r"^\s*(?:\*\*)?(?:Tolkat som|Interpreted as)\s*:", re.I)
_SOURCES_HEADING_RE = re.compile(
    r"^\s*(?:\*\*)?(?:Källor|Sources|Referenser)\W*$", re.I
)
_SOURCE_LINE_RE = re.compile(r"^\s*\[\d+\]\s*[^\s.]")  # "[1] Nämndplan ..." listing
_TABLE_RULE_RE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")


@dataclass(frozen=True)
class Passage:
    """A numbered passage shown to the model; ``citation.n`` is its number."""

    citation: Citation
    facts: tuple[Fact, ...] = ()  # looked-up values on this passage's lines

    @property
    def n(self) -> int:
        return self.citation.n

    def support(self) -> str:
        """Everything the model saw for this passage; numbers are checked against it."""
        c = self.citation
        head = f"{c.title}\n{c.doc}\n{c.section}\n{c.line_start}-{c.line_end}\n"
        return head + c.text + "\n" + "\n".join(render_fact(f) for f in self.facts)


@dataclass(frozen=True)
class GroundedAnswer:
    """The checked answer text, or the reason it was rejected."""

    text: str
    citations: tuple[Citation, ...]
    dropped: int = 0  # unsupported sentences removed
    problem: str | None = None  # one of the reason constants above; None = usable


def render_fact(fact: Fact) -> str:
    """One looked-up value, as the model sees it (the raw value verbatim)."""
    unit = f" {fact.unit}" if fact.unit and fact.unit not in fact.raw else ""
    period = f" ({fact.period})" if fact.period else ""
    total = " [summarad rad]" if fact.is_total else ""
    return (
        f"{fact.label} | {fact.column}: {fact.raw}{unit}{period}{total}"
        f" — {fact.doc}, rad {fact.line}"
    )


def build_passages(
    cited: Sequence[Citation],
    hits: Sequence[Hit],
    facts: Sequence[Fact],
    *,
    max_passages: int = 8,
    titles: Mapping[str, str] | None = None,
) -> tuple[Passage, ...]:
    """The extractive answer's citations (numbers kept), then further hits.

    Hits already covered by a citation are skipped; facts are attached to the
    passage whose lines hold them.
    """
    titles = {**{c.doc: c.title for c in cited}, **(titles or {})}
    citations = list(cited)
    next_n = max((c.n for c in citations), default=0) + 1
    for hit in hits:
        if len(citations) >= max_passages:
            break
        if any(_covers(c, hit.doc, hit.line_start, hit.line_end) for c in citations):
            continue
        citations.append(
            Citation(
                n=next_n,
                doc=hit.doc,
                title=titles.get(hit.doc, hit.doc),
                section=hit.section_path,
                line_start=hit.line_start,
                line_end=hit.line_end,
                text=hit.text,
                page=hit.page,
            )
        )
        next_n += 1
    return tuple(
        Passage(c, tuple(f for f in facts if _covers(c, f.doc, f.line, f.line)))
        for c in citations
    )


@dataclass(frozen=True)
class _Support:
    """The numbers an answer may use: per passage, without a passage, anywhere."""

    by_n: Mapping[int, Passage]
    loose: frozenset[Decimal]  # the question and facts outside every passage
    everywhere: frozenset[Decimal]

    @classmethod
    def of(
        cls, passages: Sequence[Passage], facts: Sequence[Fact], question: str
    ) -> _Support:
        covered = {id(f) for p in passages for f in p.facts}
        loose = _numbers_of(
            [question, *(render_fact(f) for f in facts if id(f) not in covered)]
        )
        everywhere = loose | _numbers_of(p.support() for p in passages)
        return cls({p.n: p for p in passages}, frozenset(loose), frozenset(everywhere))

    def of_cited(self, cited: Sequence[int]) -> frozenset[Decimal]:
        return self.loose | _numbers_of(self.by_n[n].support() for n in cited)


# What becomes of one sentence (unit) of the answer.
_KEEP, _DROP, _INVENTED = "keep", "drop", "invented"


def _verdict(unit: str, following: Sequence[tuple[int, str]], support: _Support) -> str:
    """Keep a supported sentence, drop an unsupported one, flag an invented number."""
    cited = _cited(unit)
    numbers = _numbers_in(_strip_markers(unit))
    if not cited:
        return _KEEP if not numbers and _needs_no_citation(unit, following) else _DROP
    missing = _unsupported(numbers, support.of_cited(cited))
    if any(_key(num) not in support.everywhere for num in missing):
        return _INVENTED
    return _DROP if missing else _KEEP


def _rejection(
    text: str, units: Sequence[tuple[int, str]], by_n: Mapping[int, Passage]
) -> GroundedAnswer | None:
    """The whole answer rejected before its sentences are checked, or None."""
    all_cited = [n for _, line in units for n in _cited(line)]
    if any(n not in by_n for n in all_cited):
        return GroundedAnswer("", (), problem=UNKNOWN_CITATION)
    if _is_refusal(units):
        return GroundedAnswer(text.strip(), (), problem=REFUSAL)
    if not all_cited:
        return GroundedAnswer("", (), problem=NO_CITATION)
    return None


def _renumbered(
    kept: list[tuple[int, str]], by_n: Mapping[int, Passage], dropped: int
) -> GroundedAnswer:
    """The kept sentences on their lines, citations renumbered 1..k by first use."""
    order: list[int] = []
    for _, unit in kept:
        for n in _cited(unit):
            if n not in order:
                order.append(n)
    if not order:
        return GroundedAnswer("", (), dropped=dropped, problem=NOTHING_SUPPORTED)
    renumber = {old: new for new, old in enumerate(order, start=1)}
    lines: dict[int, list[str]] = {}
    for line_no, unit in kept:
        lines.setdefault(line_no, []).append(_renumber(unit, renumber))
    answer = "\n".join(" ".join(parts) for parts in lines.values()).strip()
    citations = tuple(replace(by_n[old].citation, n=renumber[old]) for old in order)
    return GroundedAnswer(answer, citations, dropped=dropped)


def check_answer(
    text: str,
    passages: Sequence[Passage],
    facts: Sequence[Fact] = (),
    question: str = "",
) -> GroundedAnswer:
    """Keep the supported sentences of ``text``; renumber citations 1..k."""
    support = _Support.of(passages, facts, question)
    units = _units(text)
    rejected = _rejection(text, units, support.by_n)
    if rejected is not None:
        return rejected
    kept: list[tuple[int, str]] = []
    dropped = 0
    for i, (line_no, unit) in enumerate(units):
        verdict = _verdict(unit, units[i + 1 : i + 2], support)
        if verdict == _INVENTED:
            return GroundedAnswer("", (), problem=INVENTED_NUMBER)
        if verdict == _DROP:
            dropped += 1
        else:
            printed = _restore_printed(unit, support.by_n, _cited(unit))
            kept.append((line_no, printed))
    return _renumbered(_drop_orphan_table_heads(kept), support.by_n, dropped)


# --- numbers ---------------------------------------------------------------------


def _numbers_in(text: str) -> list[str]:
    """Numbers as printed in ``text`` (list-item markers like "1." skipped)."""
    text = "\n".join(_LIST_MARK_RE.sub(" ", line) for line in text.splitlines())
    return [m.group(0) for m in _NUMBER_RE.finditer(text)]


def _key(printed: str) -> Decimal:
    """Canonical value of a printed number: sign, spaces and separator ignored."""
    match = _NUMBER_RE.fullmatch(printed.strip())
    if match is None:  # only reached for hand-made input; keep it comparable
        return Decimal(-1)
    digits = re.sub(f"[{_GROUP_SEP}]", "", match["int"])
    try:
        return Decimal(f"{digits}.{match['dec'] or '0'}").normalize()
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return Decimal(-1)


def _numbers_of(texts: Iterable[str]) -> set[Decimal]:
    """Values in ``texts``; each thousands group also counts alone, for leniency."""
    values: set[Decimal] = set()
    for text in texts:
        for printed in _numbers_in(text):
            values.add(_key(printed))
            for part in re.split(f"[{_GROUP_SEP}]", printed):
                values.add(_key(part))
    return values


def _unsupported(numbers: Sequence[str], support: Set[Decimal]) -> list[str]:
    """Numbers not in ``support`` and not a sum/difference of two that are."""
    known = [_key(n) for n in numbers if _key(n) in support]
    missing = []
    for printed in numbers:
        value = _key(printed)
        if value in support:
            continue
        if any(abs(a - b) == value or a + b == value for a in known for b in known):
            continue
        missing.append(printed)
    return missing


def _restore_printed(
    unit: str, by_n: Mapping[int, Passage], cited: Sequence[int]
) -> str:
    """Put a looked-up value back in its printed form ("1234,5" → "1 234,5")."""
    printed: dict[Decimal, str] = {}
    for n in cited:
        for fact in by_n[n].facts:
            numbers = _numbers_in(fact.raw)
            if len(numbers) == 1:
                printed[_key(numbers[0])] = numbers[0]

    def swap(match: re.Match[str]) -> str:
        return printed.get(_key(match.group(0)), match.group(0))

    if not printed:
        return unit
    # Markers are left alone: "[1]" must not become "[1,0]".
    pieces = _MARKER_RE.split(unit)  # text, marker body, text, ...
    return "".join(
        f"[{piece}]" if i % 2 else _NUMBER_RE.sub(swap, piece)
        for i, piece in enumerate(pieces)
    )


# --- sentences and markers -------------------------------------------------------


def _units(text: str) -> list[tuple[int, str]]:
    """(line number, sentence) pairs; table rows and list items stay whole."""
    units: list[tuple[int, str]] = []
    in_sources = False
    for line_no, line in enumerate(text.strip().splitlines()):
        if not line.strip():
            continue
        if _SOURCES_HEADING_RE.match(line):
            in_sources = True  # the model's own source list: the UI renders ours
            continue
        if in_sources or _SOURCE_LINE_RE.match(line) or _INTERPRETATION_RE.match(line):
            continue  # the interpretation is carried by Answer.interpretation
        if line.lstrip().startswith("|"):
            units.append((line_no, line.strip()))
            continue
        line = _MARKERS_AFTER_STOP_RE.sub(r"\2\1", line.strip())
        units += [(line_no, s) for s in _sentences(line)]
    return units


def _sentences(line: str) -> list[str]:
    """Split after . ! ? before a capital, but not after "t.ex." or "ca."."""
    parts, start = [], 0
    for match in _SENTENCE_SPLIT_RE.finditer(line):
        if _ABBREVIATION_RE.search(line, 0, match.start()):
            continue
        parts.append(line[start : match.start()])
        start = match.end()
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


def _cited(unit: str) -> list[int]:
    return [int(n) for m in _MARKER_RE.finditer(unit) for n in re.split(r"[,;]", m[1])]


def _strip_markers(unit: str) -> str:
    return _MARKER_RE.sub(" ", unit)


def _renumber(unit: str, mapping: Mapping[int, int]) -> str:
    def one(match: re.Match[str]) -> str:
        return "".join(f"[{mapping[int(n)]}]" for n in re.split(r"[,;]", match[1]))

    return _MARKER_RE.sub(one, unit)


def _is_refusal(units: Sequence[tuple[int, str]]) -> bool:
    return bool(units) and any(units[0][1].strip().startswith(r) for r in REFUSALS)


def _needs_no_citation(unit: str, following: Sequence[tuple[int, str]]) -> bool:
    """A refusal, a question back, a lead-in ("... anger fyra mål:") or a table
    head/rule: the only text that may stand without a citation."""
    text = unit.strip()
    if text.startswith("|"):
        is_rule = bool(_TABLE_RULE_RE.match(text))
        return is_rule or any(_TABLE_RULE_RE.match(u) for _, u in following)
    return text.endswith(("?", ":")) or text in REFUSALS


def _is_table_head(unit: str) -> bool:
    return unit.startswith("|") and not _cited(unit)


def _drop_orphan_table_heads(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A table whose data rows were all dropped loses its header and rule too."""
    result: list[tuple[int, str]] = []
    for i, (line_no, unit) in enumerate(kept):
        if _is_table_head(unit):
            rows = []
            for _, later in kept[i + 1 :]:
                if not later.startswith("|"):
                    break
                rows.append(later)
            if not any(_cited(row) for row in rows):
                continue
        result.append((line_no, unit))
    return result


def _covers(c: Citation, doc: str, start: int, end: int) -> bool:
    return c.doc == doc and c.line_start <= start and end <= c.line_end
