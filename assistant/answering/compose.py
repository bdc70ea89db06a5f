"""Extractive answers: a direct first sentence, then numbered citations.

No language model: numbers come from looked-up facts (``compose_number``), text from
the best sentences of the retrieved passages. Every ``[n]`` marker is created together with its
citation, so markers always resolve, and a citation's text is always the exact
original lines it names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from assistant.answering.weights import load_weights
from assistant.language.abbreviations import spelled_out
from assistant.language.lexicon import word_set, words_of
from assistant.language.textmatch import (
    ALTERNATIVES,
    TAG_RE,
    coverage,
    known_term,
    match_strength,
    question_terms,
    stem,
    stems,
    term_matches,
)
from assistant.language.vocabulary import (
    METRIC_WORDS,
    NUMBER_VALUES,
    NUMBERED_THINGS,
    REFUSAL_EN,
    REFUSAL_SV,
    STOPWORDS,
    content_words,
    words,
)
from assistant.models import Citation, Hit, Query
from assistant.reading.bodies import is_body_head, is_body_word
from assistant.reading.counted import counted_terms
from assistant.reading.plan import has_cue
from corpus.models import DocumentMeta

UNIT_WEIGHTS_FILE = Path(__file__).parent / "data" / "unit_ranker.toml"

LinesFor = Callable[[str], Sequence[str]]
MetaFor = Callable[[str], DocumentMeta | None]

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”])")
_BULLETS = r"[•■●▪\-*–]"
BULLET = re.compile(rf"^\s*{_BULLETS}\s+")
ITEM_NUMBER = re.compile(r"\d{1,2}[.)]")
LIST_ITEM = re.compile(rf"^\s*(?:{_BULLETS}\s*|{ITEM_NUMBER.pattern}\s+|<li>\s*)\S")
EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|^#+\s*|\\(?=[*_])")


def clean(text: str) -> str:
    """Display text: HTML remnants and markdown emphasis removed, spaces squeezed."""
    text = TAG_RE.sub(" ", text)
    text = EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Draft:
    """An answer text with the citations its markers refer to."""

    text: str
    citations: tuple[Citation, ...]
    refused: bool = False
    support: float = 0.0  # how much of the question the quoted evidence covers
    stage: str = ""  # the pipeline stage that decided (see Assistant.trace)
    reason: str = ""  # why it refused, for the trace
    features: Mapping[str, float] = field(default_factory=dict)  # answerability input
    row: bool = False  # the text is a table row: its figures are by period


class CitationBuilder:
    """Numbers citations in order of first use; same lines → same number."""

    def __init__(
        self,
        lines_for: LinesFor,
        meta_for: MetaFor,
        section_of: Callable[[str, int], str] | None = None,
    ) -> None:
        self._lines_for = lines_for
        self._meta_for = meta_for
        self._section_of = section_of
        self._citations: list[Citation] = []

    def cite(
        self,
        doc: str,
        section: str | None,
        start: int,
        end: int,
        page: int | None = None,
    ) -> int:
        """The number of the citation of ``doc`` lines ``start..end`` (new or reused);
        ``section`` None means: look it up."""
        if section is None:
            section = self._section_of(doc, start) if self._section_of else ""
        for c in self._citations:
            if (c.doc, c.line_start, c.line_end) == (doc, start, end):
                return c.n
        lines = self._lines_for(doc)
        meta = self._meta_for(doc)
        n = len(self._citations) + 1
        self._citations.append(
            Citation(
                n=n,
                doc=doc,
                title=meta.title if meta else doc,
                section=section,
                line_start=start,
                line_end=end,
                text="\n".join(lines[start - 1 : end]),
                page=page,
            )
        )
        return n

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(self._citations)

    def cite_passage(self, hit: Hit) -> int:
        """The number of the citation of a whole retrieved passage."""
        return self.cite(
            hit.doc, hit.section_path, hit.line_start, hit.line_end, hit.page
        )

    def forget_after(self, count: int) -> None:
        """Drop the citations numbered after ``count`` (an attempt not shown)."""
        del self._citations[count:]


def refusal(lang: str) -> str:
    return REFUSAL_EN if lang == "en" else REFUSAL_SV


# --- text --------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    hit_rank: int
    score: float
    # The sentence before, when the question is covered only with it ("... en av
    # de tre utvecklingsgrupperna arbetar med kompetensförsörjning. Gruppen leds
    # av ..."): quoted first, so the answer reads whole.
    lead: Sentence | None = None
    line_end: int = 0  # the last line of a sentence wrapped over lines (0: ``line``)

    @property
    def last_line(self) -> int:
        return max(self.line, self.line_end)


# A numbered or marked heading; a line with a tab is a table row ("21. Hållbart
# medarbetarengagemang (HME)\t83\t79"), never a heading.
# A section number has one or two digits a level: "2009 – 13508 MWh, 2014 – 11887
# MWh" (a PDF's line of figures by year) is no heading.
HEADING_LINE = re.compile(
    r"^(?!.*\t)\s*(#|<b>\s*\d|\*\*\d|\d{1,2}(\.\d{1,2})*\.?\s+\S[^.]*$)"
)
# A sentence covered with its heading or with the sentence before it counts for
# less than one that covers the question alone; the sentence before is closer
# context than the heading, so it counts for more.
HEADING_CONTEXT = 0.8
LEAD_CONTEXT = 0.9


SENTENCE_END = re.compile(r"[.!?:]\W*$")
# A line that ends on a comma, a hyphen or a word that cannot end a sentence was
# wrapped by the layout (a PDF's lines), not ended by the writer.
OPEN_END = re.compile(r"[,\-–]$")


@dataclass(frozen=True)
class Paragraph:
    """Lines read as one text: ``lines`` holds (offset in ``text``, line number)."""

    text: str
    lines: tuple[tuple[int, int], ...]

    def line_at(self, offset: int) -> int:
        return max(n for start, n in self.lines if start <= offset)


def _is_break(line: str, cleaned: str) -> bool:
    """A line that stands alone: empty, a heading, a list item or a table row."""
    return (
        len(cleaned) < 3
        or bool(HEADING_LINE.match(line) and len(cleaned) < 90)
        or bool(LIST_ITEM.match(line))
        or "\t" in line
    )


def _open_end(line: str) -> bool:
    """The line stops where no sentence ends: on a comma or hyphen, or on a
    grammar word ("och", "för", "med", "the")."""
    last = line.rsplit(" ", 1)[-1].lower()
    return bool(OPEN_END.search(line)) or last in STOPWORDS


# A signature or an address is a block of short lines of words ("Daniel Nilsson",
# "Ekonomichef", "Enköpings kommun"): read as one text, the name beside its role.
# Figures are left out, since short lines of figures are a table's rows.
BLOCK_LINE_CHARS = 40


def _block_line(line: str) -> bool:
    return len(line) <= BLOCK_LINE_CHARS and not any(ch.isdigit() for ch in line)


def paragraphs(text: str, first_line: int) -> list[Paragraph]:
    """The passage's lines joined where the layout broke a sentence: a line that
    does not end a sentence continues on the next when that starts in lower case
    or the line stops on a comma or a grammar word (a PDF's wrapped line). Text
    exports, one paragraph per line, come out as their lines."""
    raw = text.split("\n")
    cleaned = [clean(line) for line in raw]
    out: list[Paragraph] = []
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    listing = False  # inside a list a lead-in ("De åtta huvudområdena är:") opened
    for offset, (line, text_) in enumerate(zip(raw, cleaned, strict=True)):
        number = first_line + offset
        if _is_break(line, text_):
            if parts:
                listing = parts[-1].rstrip().endswith(":")
                out.append(Paragraph(" ".join(parts), tuple(starts)))
                parts, starts = [], []
            listing = listing and (bool(LIST_ITEM.match(line)) or not text_.strip())
            # A numbered line is a heading ("1. Inledning"), unless a lead-in
            # opened a list of such lines ("1. Samspel ...", "2. ...").
            if len(text_) >= 3 and (listing or not HEADING_LINE.match(line)):
                out.append(Paragraph(text_, ((0, number),)))
            continue
        listing = False
        previous = parts[-1] if parts else ""
        wrapped = bool(previous) and not SENTENCE_END.search(previous)
        block = all(map(_block_line, parts)) and _block_line(text_)
        # A line of figures after an unended one goes on with it ("... ska minska
        # med 12 % till 2014 och 25 % till 2020" / "2009 – 13508 MWh, 2014 – ...").
        goes_on = text_[:1].islower() or text_[:1].isdigit() or _open_end(previous)
        if wrapped and (goes_on or block):
            starts.append((len(" ".join(parts)) + 1, number))
            parts.append(text_)
            continue
        if parts:
            out.append(Paragraph(" ".join(parts), tuple(starts)))
        parts, starts = [text_], [(0, number)]
    if parts:
        out.append(Paragraph(" ".join(parts), tuple(starts)))
    return out


# "fyrstegsprincip: 1. Tänk om, 2. Optimera": an item's number after a colon or a
# comma numbers a list inside the sentence; it ends none.
INLINE_ITEM_NUMBER = re.compile(r"[:,]\s*\d{1,2}\.$")


def split_sentences(text: str) -> list[str]:
    """``text`` split after a full stop, "!" or "?" before a capital or a figure,
    but not after an abbreviation that never ends a sentence ("inkl.", "t.ex.")
    nor after the number of an item listed inside the sentence."""
    pieces: list[str] = []
    for piece in SENTENCE_SPLIT.split(text):
        last = pieces[-1].rsplit(None, 1)[-1].lower().rstrip(".") if pieces else ""
        if last in word_set("question_words", "inner_abbreviations") or (
            pieces and INLINE_ITEM_NUMBER.search(pieces[-1])
        ):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def _parts(paragraph: Paragraph) -> Iterator[tuple[str, int, int]]:
    """A paragraph's sentences (of three characters or more) with their first and
    last line."""
    position = 0
    pieces = split_sentences(paragraph.text)
    if len(pieces) > 1 and ITEM_NUMBER.fullmatch(pieces[0]):
        # "1. Samspel ..." is one list item, not the sentence "1." and another.
        text = paragraph.text
        second = text.find(pieces[1], text.find(pieces[0]) + len(pieces[0]))
        pieces = [text[: second + len(pieces[1])].strip(), *pieces[2:]]
    for part in pieces:
        start = paragraph.text.find(part, position)
        position = start + len(part)
        if len(part) >= 3:
            yield part, paragraph.line_at(start), paragraph.line_at(position - 1)


def passage_sentences(text: str) -> list[str]:
    """The sentences a passage's text is read as (the units ``answer_units``
    scores); their vectors are computed once, at ingest."""
    return [part for p in paragraphs(text, 0) for part, _, _ in _parts(p)]


def _sentences(  # noqa: PLR0913
    hit: Hit,
    rank: int,
    terms: list[str],
    context: str = "",
    reason: bool = False,
    figure: bool = False,
) -> list[Sentence]:
    """Sentences of a passage's paragraphs, scored by topic coverage; the
    passage's own heading (and ``context``: a table row's column names) and the
    sentence before in the paragraph count as context for each sentence. With
    ``reason`` (a why-question), a sentence giving a reason leans on the one
    before whenever that one carries more of the topic: "… 77 000 tkr inte används
    som planerat. Den främsta orsaken till detta är att …" answers as a pair.
    With ``figure`` (a question for a figure), a paragraph's first sentence with
    a figure leans on a paragraph of one sentence before it without any that
    carries more of the topic, which cannot answer alone: "Anslagsbindningsnivån
    fastställer inom vilka gränser ordföranden ... kan fördela om resurserna utan
    politiskt beslut." says what the next paragraph's "Ordföranden disponerar
    5,5 mnkr ..." is."""
    heading = f"{hit.section_path.split(' > ')[-1]} {context}".strip()
    out: list[Sentence] = []
    carried: Sentence | None = None
    for paragraph in paragraphs(hit.text, hit.line_start):
        # A sentence leans only on the one before in its paragraph, or on a
        # paragraph of one sentence without a figure (``carried``).
        before = introduced = carried
        carried = None
        parts = list(_parts(paragraph))
        for part, number, end in parts:
            if not terms:
                out.append(Sentence(part, number, rank, 0.0, line_end=end))
                continue
            own = max(
                coverage(terms, part),
                HEADING_CONTEXT * coverage(terms, f"{heading} {part}"),
            )
            lead = None
            if before is not None:
                joined = LEAD_CONTEXT * coverage(terms, f"{before.text} {part}")
                if before is introduced:
                    # A paragraph of its own that says more of the topic than the
                    # figure's sentence introduces it.
                    leans = before.score > own and _has_figure(part)
                else:
                    explains = reason and before.score > own and _gives_reason(part)
                    leans = joined > before.score or explains
                if joined > own and leans:
                    own, lead = joined, before
            sentence = Sentence(part, number, rank, own, lead, end)
            out.append(sentence)
            before = replace(sentence, lead=None)
        if figure and len(parts) == 1 and before and not _has_figure(before.text):
            carried = before
    return out


def _has_figure(text: str) -> bool:
    """``text`` states a figure (a year or a section number is none)."""
    return bool(_figures(text.split()))


def topic_terms(
    query: Query,
    ignore: frozenset[str] = frozenset(),
    known: Callable[[str], bool] | None = None,
    split: Callable[[str], list[str]] | None = None,
) -> list[str]:
    """The question's topic stems without words that only name the document, its
    organisation or municipality (those are handled by filters), unless nothing
    else is left ("Vad är Kommunkompassen?").

    For English questions only terms the corpus knows count (the documents are
    Swedish, so English words are expected to be missing); ``known`` tells which.
    """
    text = query.topic or query.text
    if split is not None and query.lang != "en":
        text = " ".join(part for word in words(text) for part in split(word))
    terms = question_terms(text, query.lang == "en")
    # An English word stands for its Swedish forms ("delår|delårsrapport"): it
    # names the document when any of them does.
    terms = [t for t in terms if ignore.isdisjoint(t.split("|"))] or terms
    if query.lang == "en" and known is not None:
        terms = [t for t in terms if known_term(t, known)]
    return terms


PassageText = Callable[[Hit], str]


def _plain_passage(hit: Hit) -> str:
    return f"{hit.section_path}\n{hit.text}"


def best_passage_coverage(
    query: Query,
    hits: Sequence[Hit],
    options: TextOptions,
    passage: PassageText = _plain_passage,
    depth: int = 3,
) -> float:
    """How much of the question's topic the best of the top hits covers (0..1);
    the topic's terms are read as for a text answer (``options.ignore``,
    ``options.known``)."""
    terms = topic_terms(query, options.ignore, options.known, options.split)
    if not terms:
        return 1.0
    return max((coverage(terms, passage(h)) for h in hits[:depth]), default=0.0)


NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ][a-zåäöé]+")
DEMONSTRATIVE = re.compile(
    r"\b(detta|denna|dessa|this|these)\s+(område|avsnitt|mål|area|goal)", re.I
)
RowText = Callable[[Hit], str | None]
# The retrieval model's cosine similarity of the question to each text.
Similarity = Callable[[str, Sequence[str]], Sequence[float]]


def _any_capitalised_pair(pair: str) -> bool:
    return True


def _shipped_ranker() -> UnitRanker:
    return UnitRanker.shipped()


@dataclass(frozen=True)
class TextOptions:
    """How to read passages for a text answer.

    ``row_text`` renders a table row with its column names; ``ignore`` holds stems
    that only name documents; ``is_name`` tells whether two capitalised words are a
    person's name (e.g. words the corpus never writes in lower case); ``prose_only``
    skips table rows (used after the number lookup has already judged them).
    """

    max_sentences: int = 3
    row_text: RowText | None = None
    ignore: frozenset[str] = frozenset()
    is_name: Callable[[str], bool] = _any_capitalised_pair
    prose_only: bool = False
    min_sentence_coverage: float = 0.5
    known: Callable[[str], bool] | None = None  # stems the (Swedish) corpus has
    # A compound the corpus never writes whole, as words it does write
    # ("kontorsplatser" -> "kontor", "platser"; see KnownStems.split).
    split: Callable[[str], list[str]] | None = None
    reason: bool = False  # the question asks why: prefer sentences that give a cause
    ranker: UnitRanker = field(default_factory=_shipped_ranker)
    similarity: Similarity | None = None  # None: no dense feature (fakes, tests)
    # The measure a question for a figure names, as stems: topic for prose units
    # (``compose_text`` fills it; the passage re-ranking goes by topic alone).
    measure: tuple[str, ...] = ()
    # The lines of a document, to read a list on past the end of its passage
    # (``run_on``); None: a passage is read alone (fakes, tests).
    document_lines: Callable[[str], Sequence[str]] | None = None


def _has_name(text: str, is_name: Callable[[str], bool]) -> bool:
    """A person-like name: two capitalised words, not at the start of the text."""
    return any(is_name(m.group(0)) for m in NAME_RE.finditer(text))


# Who answers a "Vem ...?": a role ("förvaltningschefen"), a unit ("HR", "nämnderna").
RESPONSIBLE = re.compile(
    r"\b(?:\w*(?:chef|direktör|ordförande|ansvarig|samordnare|strateg|controller|"
    r"handläggare|sekreterare|nämnd|styrelse|fullmäktige|förvaltning|avdelning|enhet|"
    r"funktion)"
    r"\w*|HR|IT|[A-ZÅÄÖ]{2,5})\b"
)
# When something happens: "31 augusti", "våren 2024", "2023-06-30", "under hösten".
DATE_WORDS = re.compile(
    r"\b(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december|january|february|march|june|july|august|october|våren|"
    r"hösten|sommaren|vintern|spring|autumn|summer|winter)\b|\b\d{4}-\d\d-\d\d\b",
    re.I,
)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


# As large as the date bonus: a reason sentence answers "varför" as a date answers
# "när"; smaller than a full extra topic match so topic still decides first.
REASON_BONUS = 0.5


@cache
def _causal() -> re.Pattern[str]:
    markers = "|".join(map(re.escape, words_of("question_words", "causal_markers")))
    return re.compile(rf"(?:^|\W)(?:{markers})\b", re.I)


def _gives_reason(sentence: str) -> bool:
    """A sentence with a causal connective ("på grund av", "främst", "due to")."""
    return bool(_causal().search(sentence))


def _time_bonus(sentence: str) -> float:
    """For a "När ...?" question: a date or season says when; a bare year less so."""
    if DATE_WORDS.search(sentence):
        return 0.5
    return 0.2 if YEAR.search(sentence) else 0.0


# "Vem är kommundirektör?" asks who holds a role: only a name answers it ("Vem
# ansvarar ...?" is answered by a role or unit too).
# "Vem är ansvarig för ...?" asks for whoever answers for it, most often a unit
# or role ("IT- och digitaliseringsavdelningen"), not for a person's name; "Who is
# in the group?" asks for its members, most often roles ("personalchef, ...").
NAME_ASKED = re.compile(
    r"\b(?:vad heter|vems namn|vem är|vem var|what is the name|what's the name|"
    r"who is|who was|who's)\b"
    r"(?!\s+(?:ansvarig|huvudansvarig|responsible|in charge|accountable|med i|"
    r"in|on|part of|a member|member)\b)",
    re.I,
)


def _names_someone(
    text: str, is_name: Callable[[str], bool], name_asked: bool = False
) -> bool:
    """A person's name, or (unless the question asks for a name: "Vad heter ...?")
    the role or unit that is responsible."""
    if _has_name(text, is_name):
        return True
    return not name_asked and bool(RESPONSIBLE.search(text))


def asks_for_a_name(query: Query) -> bool:
    """ "Vem är förbundsdirektör?" asks for a person's name; "vem är
    krisledningsnämnd?" and "who is the VA huvudman?" ask for a role a body or a
    company holds, which the body's name answers."""
    cue = NAME_ASKED.search(query.text)
    if cue is None:
        return False
    if not cue[0].lower().startswith(("vem", "who")):
        return True  # "Vad heter ...?", "what is the name of ...?"
    head = asked_role(query)
    if head is None:
        return True
    roles = word_set("question_words", "body_roles")
    return not (is_body_word(head) or is_body_head(head) or head in roles)


def _with_lead(sentence: Sentence) -> str:
    """The sentence with the one it leans on, as it would be quoted."""
    return f"{sentence.lead.text} {sentence.text}" if sentence.lead else sentence.text


def asked_role(query: Query) -> str | None:
    """The role a "who is" question asks about: the head (last word) of the words
    after the cue, up to a preposition ("vem är förvaltningschef för
    socialnämnden?" and "vem är kommunstyrelsens ordförande?" ask about a person,
    not the committee)."""
    cue = NAME_ASKED.search(query.text)
    if cue is None or not cue[0].lower().startswith(("vem", "who")):
        return None
    linking = word_set("question_words", "head_modifier_words")
    after = words(query.text[cue.end() :].lower())
    role = list(itertools.takewhile(lambda w: w not in linking, after))
    return role[-1] if role else None


def _someone_named(
    query: Query, text: str, is_name: Callable[[str], bool], strict: bool
) -> float:
    """1 for a person's name, half for only a role or unit ("HR", "nämnderna"):
    who did something is answered best by a name the text gives."""
    if not query.wants_person or not _names_someone(text, is_name, strict):
        return 0.0
    return 1.0 if _has_name(text, is_name) else 0.5


NEUTRAL_SCORE = 0.6  # a sentence's score when no question word can be matched

DEFINES = re.compile(
    r"^(?:med|by)\s+(.{2,60}?)\s+(?:avses|menas|förstås|is meant|we mean)\b"
    r"|^(?:definition(?:en)?\s+(?:av|på)|definition\s+of)\s+(.{2,60}?)\s*:",
    re.I,
)


def _asks_meaning(query: Query) -> bool:
    low = query.text.lower()
    return has_cue(low, "definition_cues") or has_cue(low, "meaning_cues")


def _definition_bonus(
    sentence: str, terms: list[str], alternatives: bool = True
) -> float:
    """Sentences of the form "X är ...", "X innebär att ...", "Med X avses ..."
    define the asked term; so does one that spells out an asked abbreviation
    ("... (HME)"). One that does both ("Hållbart medarbetarengagemang (HME) är
    ett index ...") defines it more surely than one that only spells it out in
    passing ("Ambitionen att hållbart medarbetarengagemang (HME) skulle ...")."""
    # An English term stands for its Swedish alternatives ("internkontroll|...").
    asked = [a for t in terms for a in t.split(ALTERNATIVES)] if alternatives else terms
    spells = any(abbr.lower() in asked for abbr, _ in spelled_out(sentence))
    explicit = DEFINES.match(sentence)
    defined = explicit and (explicit.group(1) or explicit.group(2))
    if defined and any(any(t in h for h in stems(defined)) for t in asked):
        return 0.5
    verb = DEFINING_VERB.search(sentence)
    head = stems(sentence[: verb.start()]) if verb else []
    defines = (
        bool(head) and len(head) <= 4 and any(any(t in h for h in head) for t in asked)
    )
    return (0.5 if spells else 0.0) + (0.3 if defines else 0.0)


# The verbs with which a sentence says what its subject is or means.
DEFINING_VERB = re.compile(
    r"\s(?:" + "|".join(words_of("question_words", "defining_verbs")) + r")\s",
    re.IGNORECASE,
)


# "Nyckeltalen redovisas i bilaga 2", "Se bilaga", "listed in an appendix".
DEFERRAL = re.compile(
    r"\b(?:redovisas|återfinns|finns|presenteras|beskrivs|listas|bifogas)\s+"
    r"(?:\w+\s+){0,3}?(?:i|som)\s+(?:en\s+)?(?:separat\s+)?bilaga\b"
    r"|\bse\s+bilaga\b|\b(?:is|are)\s+(?:\w+\s+){0,3}?in\s+(?:an\s+)?appendix\b",
    re.I,
)


def defers_elsewhere(text: str) -> bool:
    """A short answer that only says where the content is ("Redovisas i bilaga.")."""
    body = re.sub(r"\[\d+\]", "", text).strip()
    return len(body) < 200 and bool(DEFERRAL.search(body))


# A sentence about another year than the asked one is a neighbouring fact ("ca 25
# miljoner 2027" for a question about 2026): it loses as much as a full topic match
# is worth at the gate, so a sentence of the asked year, or of no year, goes first.
OTHER_YEAR_PENALTY = 0.5


# A year or a span of years ("2023", "2023–2025"; "2024-25" is no span).
YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)(?:\s*[–-]\s*((?:19|20)\d\d))?\b")


def asks_for(query: Query, years: Collection[int]) -> bool:
    """Some of ``years`` is asked for: one of the part's years, or with
    ``or_earlier`` ("Och året innan?") one up to them."""
    if query.or_earlier:
        return any(y <= max(query.years) for y in years)
    return bool(set(years) & set(query.years))


def other_years_only(text: str, query: Query) -> bool:
    """``text`` names years (a span counts as each of its years), none of them
    asked (False when the part asks for no year)."""
    if not query.years:
        return False
    named: set[int] = set()
    for match in YEAR_SPAN.finditer(text):
        first, last = int(match[1]), int(match[2] or match[1])
        named.update(range(first, max(first, last) + 1))
    return bool(named) and not asks_for(query, named)


# "2022 års medborgarundersökning": a thing named by the year it is of.
YEAR_OF_THING = re.compile(r"\b((?:19|20)\d\d) års (\w+)", re.IGNORECASE)


def dated_otherwise(text: str, query: Query) -> str | None:
    """The asked thing as ``text`` names it by its year, when only by other
    years than the asked ones ("2022 års medborgarundersökning" for "the 2023
    citizen survey"): the evidence is about another edition of what is asked.
    None otherwise."""
    if not query.years:
        return None
    asked = stems(query.search_text)
    dated = [
        found
        for found in YEAR_OF_THING.finditer(text)
        if any(match_strength(t, (stem(found[2].lower()),)) >= 1.0 for t in asked)
    ]
    if not dated or asks_for(query, {int(found[1]) for found in dated}):
        return None
    return f"{dated[0][0]}, not the asked {', '.join(map(str, query.years))}"


UNIT_FEATURES = (
    "coverage",  # share of the topic stems in the sentence (or with its heading)
    "definition",  # "X är ...", "Med X avses ..." for the asked term
    "names_someone",  # a person, role or unit, when the question asks who
    "says_when",  # a date or season (a year less), when the question asks when
    "gives_reason",  # a causal connective, when the question asks why
    "has_number",  # a figure, when the question asks for one
    "number_at_term",  # a figure next to an asked term ("16 byalag", "budget 237,2")
    "rank",  # the passage's retrieval rank - 1
    "other_year",  # a figure asked for a year, in a sentence of other years only
    "dense",  # the sentence's similarity to the question minus the best one's
)


@dataclass(frozen=True)
class Unit:
    """A candidate answer unit (a sentence of a passage) with its features."""

    sentence: Sentence
    features: Mapping[str, float]


@dataclass(frozen=True)
class UnitRanker:
    """A linear score over ``UNIT_FEATURES``; fitted by ``python -m evals fit-units``."""

    weights: Mapping[str, float]

    def score(self, features: Mapping[str, float]) -> float:
        return sum(w * features.get(k, 0.0) for k, w in self.weights.items())

    @classmethod
    def load(cls, path: Path = UNIT_WEIGHTS_FILE) -> UnitRanker:
        weights, _ = load_weights(path, UNIT_FEATURES, "python -m evals fit-units")
        return cls(weights)

    @staticmethod
    @cache
    def shipped() -> UnitRanker:
        """The ranker of ``data/unit_ranker.toml``, read once."""
        return UnitRanker.load()


# Answer units come from the top passages; the ranker's rank weight (-0.15 per
# place) lets a lower passage win only with a clearly better sentence. Measured
# (session 4, seven sets): five passages won one question on a real PDF and lost
# three on the sets (a role or a table row from a weaker passage), so three.
UNIT_PASSAGES = 3


# A figure this many words from an asked term is about it ("16 byalag", "budgeten
# för 2023 uppgår till 237,2 mnkr" is four words off).
NUMBER_REACH = 4


# A count stands right before what it counts ("73 system", "151 tillsvidareanställda
# medarbetare"): the counted noun is at most this many words after the figure.
COUNT_REACH = 2


def _number_at_term(
    text: str, terms: Sequence[str], counted: Sequence[str] = ()
) -> bool:
    """A figure (not a year) stands within ``NUMBER_REACH`` words of a term. For a
    count question (``counted``: the stem of what it counts) a text that names the
    counted thing must name it right after a figure: "73 system" counts systems,
    "tillförlitlighet till IT-system ... 4" scores them."""
    tokens = text.split()
    if _positions(tokens, counted):
        return states_count(text, counted)
    figures = _figures(tokens)
    at_term = _positions(tokens, terms)
    # A number word is a figure where it counts the term ("fem presidiedagar").
    near = any(abs(i - j) <= NUMBER_REACH for i in at_term for j in figures)
    return near or _counts_in_words(text, terms)


def _counts_in_words(text: str, terms: Sequence[str]) -> bool:
    """A number word counts one of ``terms`` ("fem presidiedagar")."""
    tokens = text.split()
    counts = _number_words(tokens)
    return any(
        0 < i - j <= COUNT_REACH for i in _positions(tokens, terms) for j in counts
    )


def _number_words(tokens: Sequence[str]) -> list[int]:
    """Where in ``tokens`` a number word stands ("tre", "five")."""
    number_words = word_set("question_words", "number_words")
    return [
        i for i, t in enumerate(tokens) if t.strip("().,;:").lower() in number_words
    ]


# "6 av fordonen är miljöbilar": a partitive "av <noun> är" puts the counted noun
# two words further from its figure.
PARTITIVE_REACH = 2


def states_count(text: str, counted: Sequence[str]) -> bool:
    """``text`` names what is counted right after a figure or a number word ("73
    system", "tre utvecklingsgrupper"); occasions ("hur många gånger") are
    counted by an ordinal too ("kommunens fjärde utvärdering")."""
    tokens = text.split()
    ordinals = word_set("question_words", "ordinal_words")
    if set(counted) & _occasion_stems() and set(words(text)) & ordinals:
        return True
    figures = _figures(tokens) + _number_words(tokens)

    def reach(j: int) -> int:
        after = tokens[j + 1].lower() if j + 1 < len(tokens) else ""
        partitive = after in word_set("question_words", "partitive_words")
        return COUNT_REACH + PARTITIVE_REACH if partitive else COUNT_REACH

    return any(
        0 < i - j <= reach(j) for i in _positions(tokens, counted) for j in figures
    )


@cache
def _occasion_stems() -> frozenset[str]:
    """The stems of the occasion words ("gånger", "times"), built once: a count
    is checked for every sentence read."""
    return frozenset(stem(w) for w in word_set("question_words", "occasion_words"))


def _figures(tokens: Sequence[str]) -> list[int]:
    """Where in ``tokens`` a figure stands: a year is none, nor a number that
    names a thing ("Mål 5", a section's "5.5")."""
    return [
        i
        for i, t in enumerate(tokens)
        if re.fullmatch(r"[-–]?\d[\d,.%]*", t.strip("().,;:"))
        and not YEAR.fullmatch(t)
        and not SECTION_NUMBER.fullmatch(t)
        and not (i and tokens[i - 1].lower() in NUMBERED_THINGS)
    ]


# "5.5", "3.1.2": a section's number (a decimal figure has a comma).
SECTION_NUMBER = re.compile(r"\d+(?:\.\d+)+\.?")


def _positions(tokens: Sequence[str], terms: Sequence[str]) -> list[int]:
    """Where in ``tokens`` one of ``terms`` is found."""
    return [
        i for i, t in enumerate(tokens) if any(term_matches(x, stems(t)) for x in terms)
    ]


def answer_units(
    query: Query,
    hits: Sequence[Hit],
    opt: TextOptions,
    terms: list[str],
    passages: int = UNIT_PASSAGES,
) -> list[Unit]:
    """Every sentence of the top ``passages`` with its features; ``Sentence.score``
    is the coverage plus the answer-type signals (used to gate candidates).
    ``opt.measure`` counts as topic in prose only: a table row is read with its
    column names, which name measures anyway."""
    measure = [t for t in opt.measure if t not in terms]
    strict = asks_for_a_name(query)
    counted = counted_terms(query, opt.known)
    figure = _asks_figure(query)
    # An English question for what a term means finds its Swedish alternatives in
    # the defining sentence; other questions read "X är ..." as before.
    alternatives = query.lang == "en" and _asks_meaning(query)
    # A bare topic asks where the thing stands: a figure at its word says it
    # ("Avtalstroheten är 89%"), any other figure does not.
    bare = _bare(query)
    at_term = figure or bare
    units = []
    for rank, hit in enumerate(hits[:passages], start=1):
        hit_terms = terms if hit.kind == "table" else [*terms, *measure]
        for s in _table_aware_sentences(hit, rank, hit_terms, opt, figure):
            cover = s.score if terms else NEUTRAL_SCORE
            features = {
                "dense": 0.0,
                "coverage": cover,
                "definition": _definition_bonus(s.text, terms, alternatives),
                "names_someone": _someone_named(query, s.text, opt.is_name, strict),
                "says_when": _time_bonus(s.text) if query.wants_time else 0.0,
                "gives_reason": float(opt.reason and _gives_reason(s.text)),
                "has_number": float(figure and bool(re.search(r"\d", s.text))),
                # A list's lead counts what it lists ("fyra temaområden (…)",
                # "De åtta huvudområdena är:"): a figure at the asked term too.
                "number_at_term": float(
                    (at_term and _number_at_term(s.text, hit_terms, counted))
                    or ((query.wants_list or bare) and states_count(s.text, terms))
                ),
                "rank": float(rank - 1),
                # Only a figure is bound to the asked year; a date or a fact may
                # name others ("beslutad 2023-10-25" for the plan 2024-2025).
                "other_year": float(figure and other_years_only(s.text, query)),
            }
            gate = cover + features["definition"] + 0.5 * features["names_someone"]
            gate += features["says_when"] + REASON_BONUS * features["gives_reason"]
            gate -= OTHER_YEAR_PENALTY * features["other_year"]
            units.append(Unit(replace(s, score=gate), features))
    return _with_dense(query, units, opt.similarity)


def _table_aware_sentences(
    hit: Hit, rank: int, terms: list[str], opt: TextOptions, figure: bool = False
) -> list[Sentence]:
    """A passage's sentences; a table row's read with its column names ("Kritiska
    beroenden: El; Användningsområde: Spisar ..."), as a sentence with its heading."""
    if hit.kind != "table" or opt.row_text is None:
        return _sentences(hit, rank, terms, reason=opt.reason, figure=figure)
    return _sentences(hit, rank, terms, opt.row_text(hit) or "", opt.reason, figure)


def _with_dense(
    query: Query, units: list[Unit], similarity: Similarity | None
) -> list[Unit]:
    """``units`` with the feature ``dense``: each sentence's similarity to the
    question relative to the most similar one (0 for it, negative for the rest),
    so the feature compares sentences within a question, not across questions."""
    if similarity is None or not units:
        return units
    sims = similarity(query.text, [u.sentence.text for u in units])
    top = max(sims)
    return [
        Unit(u.sentence, {**u.features, "dense": float(sim - top)})
        for u, sim in zip(units, sims, strict=True)
    ]


def compose_text(
    query: Query,
    hits: Sequence[Hit],
    builder: CitationBuilder,
    options: TextOptions | None = None,
) -> Draft:
    """The best one to three sentences (or list items, or a table row) from the top passages."""
    opt = options or TextOptions()
    # English questions are judged by their Swedish terms; with none left, by the
    # retrieval order alone.
    terms = topic_terms(query, opt.ignore, opt.known, opt.split)
    if opt.prose_only:
        hits = [h for h in hits if h.kind != "table"]
    opt = replace(opt, measure=tuple(_measure_terms(query, opt)))
    units = answer_units(query, hits, opt, terms)
    candidates = _candidates(query, units, opt)
    # A list of people or of times is read from sentences that name them.
    if query.wants_list and not (query.wants_person or query.wants_time):
        read_on = [(h, run_on(h, opt.document_lines)) for h in hits[:3]]
        listed = _list_answer(query, read_on, candidates, builder, terms)
        if listed is not None:
            return listed
    candidates = _without_empty_rows(
        candidates, hits, opt.row_text, _echo_check(query, opt)
    )
    if not candidates:
        return Draft(refusal(query.lang), (), refused=True)
    # ``score`` (coverage plus the answer-type signals) gated the candidates; the
    # ranker's weights choose among those left.
    ranked = {
        (u.sentence.line, u.sentence.text): opt.ranker.score(u.features) for u in units
    }
    order = sorted(
        candidates, key=lambda s: (ranked[(s.line, s.text)], -s.line), reverse=True
    )
    best = order[0]
    hit = hits[best.hit_rank - 1]
    row = opt.row_text(hit) if hit.kind == "table" and opt.row_text else None
    if query.wants_list and (listed := _inline_list(best, row, hit, builder, terms)):
        return listed
    if row:
        # A row whose cells are prose (an analysis, a comment) is too long to read
        # at a glance: its best sentences under the row's label, not every cell.
        whole = len(row) <= MAX_QUOTE_CHARS
        text = row if whole else _row_sentences(best, row, opt.max_sentences)
        text = _asked_cell_first(text, terms)
        n = builder.cite_passage(hit)
        support = coverage(terms, row if whole else best.text) if terms else 0.0
        return Draft(
            text=f"{text} [{n}]",
            citations=builder.citations,
            support=support,
            row=whole,
        )
    promised = _promised_list(
        query, best, run_on(hit, opt.document_lines), builder, terms
    )
    broad = query.wants_overview and promised is None
    anchor = _best_section(hits, units, ranked) if broad else None
    overview = _overview(query, anchor, hits, builder, opt) if anchor else None
    draft = promised or overview or _quote(best, hit, builder, terms, opt.max_sentences)
    runner_up = None if promised or overview else _runner_up(order, ranked, hits)
    if runner_up is None:
        return draft
    also = _quote(runner_up, hits[runner_up.hit_rank - 1], builder, terms, 1)
    return replace(
        draft, text=f"{draft.text}\n{also.text}", citations=builder.citations
    )


@cache
def _measure_words() -> frozenset[str]:
    """The metric cues that name a measure, not a verb of one (``metric_verbs``)."""
    verbs = set(words_of("question_words", "metric_verbs"))
    return frozenset(c for kind in METRIC_WORDS.values() for c in kind) - verbs


def named_measures(text: str) -> list[str]:
    """The words of ``text`` that name a measure ("överskott", "målvärde",
    "budgeten"); not a verb of one ("kostade"), nor a compound holding one
    ("anslagsbindningsnivån")."""
    return [w for w in content_words(text) if w in _measure_words()]


def _asks_figure(query: Query) -> bool:
    """The sentences are scored for a figure: "hur många/mycket", or a measure
    named by its own word ("Vilket målvärde ... 2014?"), unless the question asks
    who, when, why, for a list or what something means."""
    if query.wants_number:
        return True
    low = query.text.lower()
    other = ("definition_cues", "reason_cues")
    asks_other = any(
        cue in low for key in other for cue in words_of("question_words", key)
    )
    asks_other = (
        asks_other or query.wants_person or query.wants_time or query.wants_list
    )
    return not asks_other and bool(named_measures(query.text))


# A chat's bare topic ("avtalstrohet enköping?") has at most this many words.
MAX_BARE_WORDS = 4


def _bare(query: Query) -> bool:
    """A bare topic typed into a chat, no question word ("avtalstrohet
    enköping?")."""
    said = words(query.text.lower())
    asking = word_set("question_words", "interrogatives")
    # A number other than a year names the thing ("mål 4"): no bare topic.
    plain = not re.search(r"\d", YEAR.sub(" ", query.text))
    return plain and 0 < len(said) <= MAX_BARE_WORDS and not asking & set(said)


def _measure_terms(query: Query, opt: TextOptions) -> list[str]:
    """The measure a question for a figure names ("överskott", "budget"): the
    topic leaves it to the table lookup's columns, but a sentence answers only
    when it states it ("Nämnden prognostiserar ett överskott på 4,4 mnkr", after
    the sentence on the investment budget). A reason or a date is not sought by
    its measure ("Varför redovisas ett överskott?")."""
    named = named_measures(query.text)
    if not named or not _asks_figure(query):
        return []
    measure = replace(query, topic=" ".join(named))
    return topic_terms(measure, opt.ignore, opt.known, opt.split)


# Longer quotes are cut to their first sentence (and a longer sentence to this):
# a chat answer is read at a glance, the citation holds the rest.
MAX_QUOTE_CHARS = 450
# The end of a chosen sentence found again in its row's text ("label; Column: ...").
QUOTE_ANCHOR_CHARS = 40
# A row's label heads the quote as a name; a first cell longer than this is a
# title run into its description (a risk's whole text), cut at a word.
MAX_LABEL_CHARS = 100

# A second passage's sentence scoring within this of the best (half a full topic
# match) is as likely the answer: it is shown under the first, with its own source.
RUNNER_UP_MARGIN = 0.25


def _runner_up(
    order: Sequence[Sentence],
    ranked: Mapping[tuple[int, str], float],
    hits: Sequence[Hit],
) -> Sentence | None:
    """The best candidate from another prose passage, when it scores nearly as
    well as the best one."""
    best = order[0]
    top = ranked[(best.line, best.text)]
    for s in order[1:]:
        if s.hit_rank == best.hit_rank or hits[s.hit_rank - 1].kind == "table":
            continue
        return s if ranked[(s.line, s.text)] >= top - RUNNER_UP_MARGIN else None
    return None


def _candidates(
    query: Query, units: Sequence[Unit], opt: TextOptions
) -> list[Sentence]:
    """The sentences that can answer the question's type at all."""
    candidates = [u.sentence for u in units]
    if asked := _echo_check(query, opt):
        # A unit that only says the question back ("• Insamlat kommunalt avfall"
        # for its latest value) answers nothing.
        candidates = [c for c in candidates if not _echoes(c.text, asked)]
    if query.wants_time:
        # "När ...?" is answered by a sentence that says when: a date, a season, a
        # month or a year (over the 32 question sets, the one when-question
        # answered without any was answered wrongly).
        candidates = [c for c in candidates if _time_bonus(c.text) > 0]
    if query.wants_person:
        strict = asks_for_a_name(query)
        candidates = [
            c for c in candidates if _names_someone(c.text, opt.is_name, strict)
        ]
        # "Vem är förbundsdirektör?" is answered by a name given with that role,
        # not by any name in a passage about something else.
        role = asked_role(query) if strict else None
        role_terms = question_terms(role, query.lang == "en") if role else []
        if role_terms:
            candidates = [c for c in candidates if coverage(role_terms, _with_lead(c))]
    if query.wants_number:
        # A question for a number is not answered by a passage without one, nor by
        # a number in a passage about something else; a count of the asked thing
        # ("73 system" for "hur många IT-system äger ...") is about it.
        counted = counted_terms(query, opt.known)
        terms = counted or topic_terms(query, opt.ignore, opt.known, opt.split)
        candidates = [
            c
            for c in candidates
            if (re.search(r"\d", c.text) or _counts_in_words(c.text, terms))
            and (
                c.score >= opt.min_sentence_coverage
                or (counted and states_count(c.text, counted))
            )
        ]
    return candidates


# The column names of a row read as text ("Bun; Kontrollmoment: Följer ..."),
# which say what a cell is, not what it says.
_ROW_COLUMN = re.compile(r"(?:^|;)\s*[^;:]{1,60}:(?=\s)")


def _asks_what(question: str) -> bool:
    """A question for content: a question word first."""
    first = words(question.lower())[:1]
    return bool(first) and first[0] in word_set("question_words", "wh_words")


def _echo_check(query: Query, opt: TextOptions) -> frozenset[str]:
    """The stems a unit must go beyond to answer a question for content (a
    figure, or what a question word asks), with the words naming documents;
    none for a yes/no question, whose answer may well repeat it. An English
    term counts as each of its Swedish alternatives."""
    if not (query.wants_number or _asks_what(query.text)):
        return frozenset()
    terms = question_terms(query.text, query.lang == "en")
    return frozenset(a for t in terms for a in t.split("|")) | opt.ignore


def _echoes(text: str, asked: Collection[str]) -> bool:
    """``text`` says nothing the question does not: no figure, no word of its own."""
    said = _ROW_COLUMN.sub(";", text)
    return not re.search(r"\d", said) and set(stems(said)) <= set(asked)


def fitting_passages(
    query: Query, hits: Sequence[Hit], options: TextOptions | None = None
) -> list[Hit]:
    """The passages of ``hits`` with a sentence that can answer the question's
    type at all (a figure for "hur många", a name for "vem"), in their order."""
    opt = options or TextOptions()
    terms = topic_terms(query, opt.ignore, opt.known, opt.split)
    return [
        hit
        for hit in hits
        if _candidates(query, answer_units(query, [hit], opt, terms), opt)
    ]


def _without_empty_rows(
    candidates: list[Sentence],
    hits: Sequence[Hit],
    row_text: RowText | None,
    asked: Collection[str] = (),
) -> list[Sentence]:
    """A table row without values ("Taxor och avgifter" and empty cells) says
    nothing, nor one that says only the question back (``asked``: a control
    point for what the control showed); its header line is no answer either."""
    if row_text is None:
        return candidates
    rows = [
        (rank, row_text(h) or "")
        for rank, h in enumerate(hits[:UNIT_PASSAGES], start=1)
        if h.kind == "table"
    ]
    empty = {
        rank for rank, row in rows if ":" not in row or (asked and _echoes(row, asked))
    }
    return [c for c in candidates if c.hit_rank not in empty]


def _list_answer(
    query: Query,
    passages: Sequence[tuple[Hit, Hit]],
    candidates: Sequence[Sentence],
    builder: CitationBuilder,
    terms: list[str],
) -> Draft | None:
    """Lists live in whole passages: the best-matching passage with items; a
    passage whose own heading names the asked thing ranks first. ``passages``
    pairs each passage with itself read on to the end of its list (``run_on``):
    the passage as retrieved is judged, the whole list is shown. A passage of
    several lists is judged list by list, each with its lead-in; a list of as
    many items as the question counts ("Vilka tre källor …?") goes first."""
    count = _asked_item_count(query.text)
    scored = []
    for rank, (h, whole) in enumerate(passages[:3]):
        lists = _lists_in(whole)
        for part in lists:
            judged = h if len(lists) == 1 else part
            fits = count is not None and len(_list_items(part, terms)) == count
            cover = coverage(terms, f"{judged.section_path} {judged.text}")
            heading = coverage(terms, judged.section_path.split(" > ")[-1])
            scored.append((fits, cover, heading, -rank, part))
    # A sentence that covers the question clearly better than any list passage
    # ("... avtalssamverkan med Härnösands kommun om ...") answers it instead.
    best_sentence = max((c.score for c in candidates), default=0.0)
    for _fits, cover, _heading, _, candidate in sorted(
        scored, key=lambda s: (s[0], s[1] + 0.5 * s[2], s[3]), reverse=True
    ):
        if cover < 0.5 or cover + 0.25 < best_sentence:
            continue
        listed = _compose_list(query, candidate, builder, terms)
        if listed:
            return listed
    return None


def _asked_item_count(text: str) -> int | None:
    """How many things a question says it asks for ("Vilka tre källor …?", "What
    are the 4 focus areas?"): a number word or a small figure before a word."""
    for word, after in itertools.pairwise(words(text)):
        value = NUMBER_VALUES.get(word) or (
            int(word) if word.isdigit() and len(word) <= 2 else None
        )
        if value and after.isalpha() and after not in STOPWORDS:
            return value
    return None


def _lists_in(hit: Hit) -> list[Hit]:
    """The lists of a passage, each with the lead-in right above it ("Vid en
    utvärdering inhämtar utvärderarna information från tre källor:"), as passages
    of their own; the passage itself when it holds fewer than two lists."""
    lines = hit.text.split("\n")
    runs: list[tuple[int, int]] = []
    start: int | None = None
    last = 0
    in_item = False
    for i, line in enumerate(lines):
        if LIST_ITEM.match(line):
            start, last, in_item = (i if start is None else start), i, True
        elif not line.strip():
            in_item = False
        elif in_item and _wraps_item(line):
            last = i  # a wrapped item goes on
        elif start is not None:
            runs.append((start, last))
            start, in_item = None, False
    if start is not None:
        runs.append((start, last))
    if len(runs) < 2:
        return [hit]
    parts = []
    for first, end in runs:
        above = next((j for j in range(first - 1, -1, -1) if lines[j].strip()), None)
        led = above is not None and announces_list(lines[above])
        top = above if led and above is not None else first
        parts.append(
            replace(
                hit,
                text="\n".join(lines[top : end + 1]),
                line_start=hit.line_start + top,
                line_end=hit.line_start + end,
            )
        )
    return parts


def _quote(
    best: Sentence,
    hit: Hit,
    builder: CitationBuilder,
    terms: list[str],
    max_sentences: int,
) -> Draft:
    """``best`` (after the sentence it leans on) and the sentences that follow it
    in its passage, up to ``max_sentences``, cited as one line range."""
    same = [s for s in _sentences(hit, best.hit_rank, terms) if s.line >= best.line]
    lead = [best.lead] if best.lead is not None else []
    quoted = {s.text for s in [best, *lead]}
    following = [s for s in same if s.text not in quoted]
    # The sentence leant on is context: the chosen one is always quoted after it.
    ordered = [*lead, best, *following]
    size = max(max_sentences, len(lead) + 1)
    # A sentence right above list items is not quoted without them ("... beskrivs
    # styrelsens uppgifter i tre delar." and its three items): its first item
    # comes along, and _with_whole_list reads the rest.
    if size < len(ordered) and _leads_items(ordered[size - 1], ordered[size]):
        size += 1
    chosen = _with_whole_list(ordered[:size], following)
    text = _joined(chosen)
    if len(text) > MAX_QUOTE_CHARS:
        # Too long to read at a glance: the chosen sentence after its lead, or
        # alone, never the lead alone.
        chosen = [*lead, best]
        text = " ".join(s.text for s in chosen)
    if len(text) > MAX_QUOTE_CHARS:
        chosen = [best]
        text = best.text[:MAX_QUOTE_CHARS]
    if DEMONSTRATIVE.search(text):
        where = hit.section_path.split(" > ")[-1]
        text = f"{where}: {text}"
    n = builder.cite(
        hit.doc,
        hit.section_path,
        min(s.line for s in chosen),
        max(s.last_line for s in chosen),
        hit.page,
    )
    support = coverage(terms, best.text) if terms else 0.0
    return Draft(text=f"{text} [{n}]", citations=builder.citations, support=support)


def _joined(sentences: Sequence[Sentence]) -> str:
    """Sentences as one text; a list item on a line of its own."""
    return "".join(
        ("\n" if LIST_ITEM.match(s.text) else " ") * (i > 0) + s.text
        for i, s in enumerate(sentences)
    )


def _leads_items(sentence: Sentence, after: Sentence) -> bool:
    """A sentence right above list items leads them in, with a colon or without
    ("... beskrivs styrelsens uppgifter i tre delar." and three items)."""
    return not LIST_ITEM.match(sentence.text) and bool(LIST_ITEM.match(after.text))


def _with_whole_list(
    chosen: list[Sentence], following: Sequence[Sentence]
) -> list[Sentence]:
    """``chosen`` with the rest of a list it stops inside: a lead-in ("... från
    tre källor:") is quoted with all its items, not the first two, and without
    the sentences before it when all would be too long to quote; as before when
    the lead-in and its list alone are."""
    starts = [
        i
        for i, s in enumerate(chosen)
        if s.text.rstrip().endswith(":")
        or (i + 1 < len(chosen) and _leads_items(s, chosen[i + 1]))
    ]
    if not starts:
        return chosen
    k = starts[-1]
    # Sentences of the lead-in's own line came before it (its paragraph).
    tail = [s for s in chosen[k + 1 :] if s.line > chosen[k].line]
    if not all(LIST_ITEM.match(s.text) for s in tail):
        return chosen
    head = chosen[: k + 1] + tail
    rest = [s for s in following if s not in head and s.line > head[-1].line]
    items = list(itertools.takewhile(lambda s: bool(LIST_ITEM.match(s.text)), rest))
    for whole in (head + items, head[k:] + items):
        if items and len(" ".join(s.text for s in whole)) <= MAX_QUOTE_CHARS:
            return whole
    return chosen


# A broad question is answered by this many paragraphs of the best passage's section.
OVERVIEW_POINTS = 3


# Fewer words make a label or a list item ("Budgetföljsamhet", "Öka
# förtroendet"), not a statement an overview can give as a point.
MIN_STATEMENT_WORDS = 5


def _states(text: str) -> bool:
    """``text`` is a statement, not a label: it has a few words at least."""
    return len(words(text)) >= MIN_STATEMENT_WORDS


def _best_section(
    hits: Sequence[Hit],
    units: Sequence[Unit],
    ranked: Mapping[tuple[int, str], float],
) -> Hit | None:
    """The first retrieved prose passage of the section whose sentences rank
    best together: a broad question is about a section ("Nuläges- och
    omvärldsanalys"), not about its single best sentence (a goal's heading)."""
    sums: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], Hit] = {}
    for u in units:
        hit = hits[u.sentence.hit_rank - 1]
        if hit.kind == "table" or not _states(u.sentence.text):
            continue
        key = (hit.doc, hit.section_path)
        score = ranked[(u.sentence.line, u.sentence.text)]
        sums[key] = sums.get(key, 0.0) + max(0.0, score)
        first.setdefault(key, hit)
    return first[max(sums, key=sums.__getitem__)] if sums else None


def _overview(
    query: Query,
    hit: Hit,
    hits: Sequence[Hit],
    builder: CitationBuilder,
    opt: TextOptions,
) -> Draft | None:
    """A broad question's gist ("Vilka är de största utmaningarna?"): the lead
    sentence of each of the paragraphs whose sentences rank best, from the
    retrieved passages of ``hit``'s section, in the document's order, one point
    each with its own citation. A plan states a paragraph's subject in
    its first sentence; the best sentence alone answers one of the points. None
    when the section's passages hold one paragraph."""
    same = sorted(
        {
            h.line_start: h
            for h in hits
            if (h.doc, h.section_path) == (hit.doc, hit.section_path)
            and h.kind != "table"
        }.values(),
        key=lambda h: h.line_start,
    )
    terms = topic_terms(query, opt.ignore, opt.known, opt.split)
    scores = {
        (u.sentence.line, u.sentence.text): opt.ranker.score(u.features)
        for u in answer_units(query, same, opt, terms)
    }
    # Per paragraph (passage rank, index): its sentences in order, with scores.
    found: dict[tuple[int, int], list[tuple[float, Sentence]]] = {}
    places: dict[tuple[int, int], Hit] = {}
    for rank, passage in enumerate(same, start=1):
        starts = [p.lines[0][1] for p in paragraphs(passage.text, passage.line_start)]
        for s in _sentences(passage, rank, terms):
            key = (rank, max(i for i, at in enumerate(starts) if at <= s.line))
            score = scores.get((s.line, s.text), float("-inf"))
            found.setdefault(key, []).append((score, s))
            places[key] = passage
    if len(found) < 2:
        return None
    chosen = sorted(
        sorted(found, key=lambda k: max(v for v, _ in found[k]))[-OVERVIEW_POINTS:]
    )
    points, quoted = [], []
    for key in chosen:
        # The paragraph's first sentence says its subject; its best-ranked one,
        # when another, says what of it the question asks.
        lead = found[key][0][1]
        best = max(found[key], key=lambda vs: vs[0])[1]
        said = [lead] if best is lead else [lead, best]
        # A list item's own bullet goes: the point has one ("- - Antal ...").
        text = BULLET.sub("", " ".join(s.text for s in said))[:MAX_QUOTE_CHARS]
        passage = places[key]
        n = builder.cite(
            passage.doc,
            passage.section_path,
            lead.line,
            max(s.last_line for s in said),
            passage.page,
        )
        points.append(f"- {text} [{n}]")
        quoted.append(text)
    support = max(coverage(terms, t) for t in quoted) if terms else 0.0
    return Draft(text="\n".join(points), citations=builder.citations, support=support)


# A list written in running text: a lead ending in a colon ("Programmet består av
# sex fokusområden:"), then items each opening a sentence with a short name and a
# colon ("Kompetensförsörjning: Kompetensgruppen arbetar ... Platsvarumärke: ...").
INLINE_LEAD = re.compile(r"(?:^|(?<=[.!?;] ))([^.!?;:]{10,}):\s+(?=[A-ZÅÄÖ])")
INLINE_ITEM = re.compile(r"(?:^|(?<=[.!?:] ))([A-ZÅÄÖ][\w/&\- ]{2,40}?):\s")
MIN_INLINE_ITEMS = 3


def _inline_list(
    best: Sentence,
    row: str | None,
    hit: Hit,
    builder: CitationBuilder,
    terms: list[str],
) -> Draft | None:
    """A list question answered from a list written in running text (the row's
    cells or the best sentence's paragraph): the lead naming the asked thing and
    the items' names."""
    if row is None:
        source = next(
            (
                p.text
                for p in paragraphs(hit.text, hit.line_start)
                if p.lines[0][1] <= best.line <= p.line_at(len(p.text))
            ),
            best.text,
        )
    else:
        source = row
    for lead in INLINE_LEAD.finditer(source):
        if not terms or coverage(terms, lead[1]) == 0:
            continue
        rest = source[lead.end() :]
        items = [m[1].strip() for m in INLINE_ITEM.finditer(rest)]
        if len(items) < MIN_INLINE_ITEMS:
            continue
        n = builder.cite_passage(hit)
        text = f"{lead[1].strip()}: {'; '.join(items)}."
        return Draft(text=f"{text} [{n}]", citations=builder.citations, support=1.0)
    return None


# A cell the question names by its column is read first when its value is short
# (a figure, a grade); a cell of prose is the row's description, not its answer.
MAX_ASKED_CELL_CHARS = 40


def _asked_cell_first(row: str, terms: Sequence[str]) -> str:
    """``row`` ("label; Column: value; ...") with the cells whose column the
    question names moved before it: "Riskvärde: 20 – Externa samarbeten; Risker:
    ..." for "Vilket riskvärde har risken att ...?" (the direct answer first)."""
    cells = row.split("; ")
    asked = [i for i, cell in enumerate(cells[1:], start=1) if _asked(cell, terms)]
    if not asked or len(asked) == len(cells) - 1:
        return row
    first = "; ".join(cells[i] for i in asked)
    rest = "; ".join(c for i, c in enumerate(cells) if i not in asked)
    return f"{first} \u2013 {rest}"


def _asked(cell: str, terms: Sequence[str]) -> bool:
    """A "Column: value" cell whose column the question names and whose short
    value it does not say itself."""
    header, colon, value = cell.partition(": ")
    return (
        bool(colon)
        and len(value) <= MAX_ASKED_CELL_CHARS
        and _names_header(header, terms)
        and not _quoted(value, terms)
    )


def _quoted(value: str, terms: Sequence[str]) -> bool:
    """The question says most of ``value`` itself: the cell names the row it
    asks about ("Risker: Att beslut inte verkställs"), it is not the answer."""
    said = stems(value)
    known = sum(match_strength(v, terms) >= 1.0 for v in said)
    return bool(said) and known >= len(said) / 2


def _names_header(header: str, terms: Sequence[str]) -> bool:
    """The question's terms hold every word of ``header`` ("riskvärde" names
    "Riskvärde"; "risken" does not)."""
    said = stems(header)
    return bool(said) and all(match_strength(h, terms) >= 1.0 for h in said)


def _row_sentences(best: Sentence, row: str, max_sentences: int) -> str:
    """The sentence of ``row`` ("label; Column: text ...") holding ``best`` and
    those after it, up to ``max_sentences`` within ``MAX_QUOTE_CHARS``, under the
    row's label."""
    parts = split_sentences(row)
    # Compared without spaces: a cell's markup leaves some ("arbetsrätt .").
    tail = "".join(best.text.split())[-QUOTE_ANCHOR_CHARS:]
    start = next(
        (i for i, part in enumerate(parts) if tail in "".join(part.split())), 0
    )
    chosen = parts[start : start + 1]
    for part in parts[start + 1 : start + max_sentences]:
        if len(" ".join([*chosen, part])) > MAX_QUOTE_CHARS:
            break
        chosen.append(part)
    text = " ".join(chosen)[:MAX_QUOTE_CHARS]
    label = row.split("; ")[0]
    if text.startswith(label):
        return text
    return f"{cut_at_word(label, MAX_LABEL_CHARS)}: {text}"


def cut_at_word(text: str, limit: int) -> str:
    """``text`` unchanged up to ``limit`` characters, else cut at a word, with "…"."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _list_cells(lines: list[str], offset: int, terms: list[str]) -> list[str]:
    """The cells of a table line to take list items from: when the header above it
    names the asked column ("Förbättringsmöjligheter"), only that cell."""
    cells = lines[offset].split("\t")
    if len(cells) < 2 or offset == 0 or not terms:
        return [lines[offset]]
    header = lines[offset - 1].split("\t")
    named = [
        cell
        for cell, name in zip(cells, header, strict=False)
        if coverage(terms, clean(name)) > 0
    ]
    return named or cells


def _list_items(hit: Hit, terms: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Bullet/numbered/<li> items of a passage, or its short paragraphs."""
    items: list[tuple[str, int]] = []
    paragraphs: list[tuple[str, int]] = []
    explicit = False  # items from an HTML list: even one is a list
    lines = hit.text.split("\n")
    in_item = False  # the line before is an item (or goes on with one)
    for offset, line in enumerate(lines):
        number = hit.line_start + offset
        if in_item and _wraps_item(line):
            # A PDF wraps an item over lines: the next line without a marker
            # and without a blank line between goes on with it.
            items[-1] = (_wrapped(items[-1][0], clean(line)), items[-1][1])
            continue
        in_item = False
        pieces = [
            piece
            for cell in _list_cells(lines, offset, list(terms))
            for piece in re.split(r"</li>\s*<li[^>]*>", cell)
        ]
        for piece in pieces:
            text = clean(re.sub(r"^\s*(?:[•■●▪\-*–]|\d{1,2}[.)])\s*", "", clean(piece)))
            text = text.lstrip("• ").strip()
            if not text:
                continue
            if LIST_ITEM.match(piece) or "<li" in piece:
                items.append((text, number))
                explicit = explicit or "<li" in piece
                in_item = "\t" not in line
            elif not HEADING_LINE.match(line):
                paragraphs.append((text, number))
    if len(items) >= 2 or (items and explicit):
        return items
    # Short paragraphs read as items, but not a table's lines: its header line
    # and rows are no list ("Årliga prioriteringar Kommentar Status").
    short = 2 <= len(paragraphs) <= 12 and all(len(t) < 250 for t, _ in paragraphs)
    return paragraphs if short and hit.kind != "table" else []


# An item line this short without a full stop, followed by a capitalised line,
# is a title over its description ("• Kunskapsuppbyggnad" / "En viktig åtgärd ...").
MAX_ITEM_TITLE = 60


def _wrapped(item: str, line: str) -> str:
    """``item`` gone on with the next line: a title and its description are set
    apart by a dash, a wrapped line runs on."""
    titled = len(item) <= MAX_ITEM_TITLE and item[-1:].isalnum() and line[:1].isupper()
    return (
        f"{item} \u2013 {line}"
        if titled and " \u2013 " not in item
        else f"{item} {line}"
    )


def _wraps_item(line: str) -> bool:
    """A line that may go on with the item above: text, no marker, no cells."""
    return bool(line.strip()) and not (
        LIST_ITEM.match(line) or HEADING_LINE.match(line) or "\t" in line
    )


# Lines read past a passage's end for the rest of its list: a dozen items with
# the blank lines a PDF puts between them.
MAX_RUN_ON = 30


def run_on(hit: Hit, document_lines: Callable[[str], Sequence[str]] | None) -> Hit:
    """``hit`` read on to the end of the list it ends in: a passage cut after a
    lead-in ("Ramverket består av fyra delar:") or inside a list gets the items
    that follow it in the document (a chunk boundary is no end of a list)."""
    own = hit.text.split("\n")
    if document_lines is None or len(own) != hit.line_end - hit.line_start + 1:
        return hit
    last = next((line for line in reversed(own) if line.strip()), "")
    if not (announces_list(last) or LIST_ITEM.match(last)):
        return hit
    lines = document_lines(hit.doc)
    added: list[str] = []
    in_item = bool(LIST_ITEM.match(last))
    for line in lines[hit.line_end : hit.line_end + MAX_RUN_ON]:
        if LIST_ITEM.match(line):
            in_item = True
        elif not line.strip():
            in_item = False
        elif not (in_item and _wraps_item(line)):
            break  # the first paragraph after the list ends it
        added.append(line)
    while added and not added[-1].strip():
        added.pop()
    if not any(LIST_ITEM.match(line) for line in added):
        return hit
    return replace(
        hit, text="\n".join([*own, *added]), line_end=hit.line_end + len(added)
    )


def announces_list(paragraph: str) -> bool:
    """A paragraph that leads in the items below it: it ends with ":", or its
    last sentence announces them ("... genomföra följande insatser.")."""
    text = paragraph.rstrip()
    if text.endswith(":"):
        return True
    sentences = split_sentences(text) if text.endswith(".") else []
    return bool(sentences) and not set(words(sentences[-1].lower())).isdisjoint(
        word_set("question_words", "list_lead_ins")
    )


# A lead-in longer than this is cited, not repeated, above the items.
MAX_LEAD_IN = 300


def _lead_in(hit: Hit, first_item: int) -> Paragraph | None:
    """The paragraph ending with ":" right above the first item, blank lines
    between ("Prioriterade utvecklingsarbeten 2024 är:"), wrapped or not."""
    above = [
        p for p in paragraphs(hit.text, hit.line_start) if p.lines[-1][1] < first_item
    ]
    # Blank lines are no paragraphs: the last one above is the nearest text.
    return above[-1] if above and announces_list(above[-1].text) else None


def _promised_list(
    query: Query,
    best: Sentence,
    hit: Hit,
    builder: CitationBuilder,
    terms: Sequence[str],
) -> Draft | None:
    """The chosen sentence leads in a list ("Prioriterade utvecklingsarbeten 2024
    är:"): it promises the items, so the answer is the whole list, even when the
    question did not ask for one and the items are too long to quote."""
    if not announces_list(best.text):
        return None
    items = _list_items(hit, terms)
    lead = _lead_in(hit, items[0][1]) if items else None
    if lead is None or all(n != best.line for _, n in lead.lines):
        return None
    listed = _compose_list(query, hit, builder, terms)
    support = coverage(terms, best.text) if terms else 0.0
    return replace(listed, support=support) if listed else None


def _compose_list(
    query: Query, hit: Hit, builder: CitationBuilder, terms: Sequence[str] = ()
) -> Draft | None:
    """The items of ``hit`` under their lead-in, which is quoted when short (it
    often holds what the items add up to: "... beräknas kosta ca 25 miljoner och
    omfattar:")."""
    items = _list_items(hit, terms)
    if not items:
        return None
    lead = _lead_in(hit, items[0][1])
    start = lead.lines[0][1] if lead else items[0][1]
    n = builder.cite(hit.doc, hit.section_path, start, items[-1][1], hit.page)
    if lead is not None and len(lead.text) <= MAX_LEAD_IN:
        head = f"{lead.text[:-1].rstrip()} [{n}]:"
    elif query.lang == "en":
        head = f"The passage lists {len(items)} items [{n}]:"
    else:
        head = f"Källan anger {len(items)} punkter [{n}]:"
    body = "\n".join(f"{i}. {t}" for i, (t, _) in enumerate(items[:12], start=1))
    return Draft(text=f"{head}\n{body}", citations=builder.citations)
