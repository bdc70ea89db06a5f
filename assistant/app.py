"""The ``Assistant`` facade and ``build_assistant``, the only composition root."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant.answering.amounts import asks_for_money, states_amount
from assistant.answering.answerability import Answerability, evidence_features
from assistant.answering.comparison import conclusion
from assistant.answering.compose import (
    YEAR,
    CitationBuilder,
    Draft,
    Similarity,
    TextOptions,
    asks_for,
    best_passage_coverage,
    clean,
    compose_text,
    dated_otherwise,
    defers_elsewhere,
    fitting_passages,
    named_measures,
    other_years_only,
    refusal,
    states_count,
    topic_terms,
)
from assistant.answering.compose_filtered import compose_filtered
from assistant.answering.compose_number import (
    cell_amount,
    cell_with_unit,
    compose_number,
    quoted_first,
    with_level_after_change,
    with_remainder,
    with_stated_change,
)
from assistant.answering.decision import compose_decision, decision_line, names_decision
from assistant.answering.gaps import GapFinder, refuse_gap
from assistant.answering.passages import PASSAGE_POOL, PassageRanker
from assistant.answering.row_values import asked_cells, asks_period
from assistant.answering.signatories import (
    asks_who_made,
    asks_who_signs,
    byline,
    compose_signatories,
    signature_blocks,
)
from assistant.evidence.retrieve import HybridRetriever, RetrievalConfig
from assistant.evidence.similarity import (
    SENTENCE_VECTORS,
    SentenceSimilarity,
    SentenceVectors,
)
from assistant.language.abbreviations import spelled_in
from assistant.language.glossary import translate
from assistant.language.lexicon import word_set, words_of
from assistant.language.spelling import Spelling
from assistant.language.textmatch import (
    ALTERNATIVES,
    KnownStems,
    coverage,
    match_strength,
    question_terms,
    stem,
    stems,
)
from assistant.language.vocabulary import (
    BACK_REFERENCES,
    ENGLISH_MARKERS,
    NAME_MIN_USES,
    STOPWORDS,
    WORD_RE,
    capitalised_words,
    column_words,
    content_words,
    detect_language,
    known_words,
    names_written,
    words,
)
from assistant.llm.generator import Generator
from assistant.models import Answer, Fact, Filters, Hit, Query
from assistant.reading.counted import (
    counted_noun,
    counted_terms,
    label_head,
    without_excluded,
)
from assistant.reading.operators import (
    CHANGE_WORDS,
    DECREASE_WORDS,
    INCREASE_WORDS,
    asks_what_happened,
    row_kind,
    superlative,
    without_superlative,
    without_words,
)
from assistant.reading.plan import Plan, make_plan
from assistant.reading.plan import answer_type as asked_type
from assistant.reading.query import (
    Catalog,
    describe,
    every_place,
    find_metrics,
    find_municipalities,
    find_unknown_place,
    interpret,
    section_matches,
)
from assistant.settings import Settings
from assistant.tables.lookup import (
    ROW_NAMED,
    WHOLE_MUNICIPALITY,
    CellSource,
    LookupResult,
    NumberLookup,
    document_years,
    part_of_year_only,
)
from assistant.tables.row_filter import asks_to_filter, filter_rows
from corpus.models import Chunk, DocumentMeta, Section, Table, TableRow


class DocumentStore(CellSource, Protocol):
    """Read access to what was indexed (implemented by ``index.tablestore``)."""

    def documents(self) -> list[DocumentMeta]: ...
    def document_lines(self, doc: str) -> tuple[str, ...]: ...
    def all_chunks(self) -> list[Chunk]: ...
    def sections(self, doc: str) -> list[Section]: ...
    def tables(self, doc: str) -> list[Table]: ...


PartAnswer = tuple[list[Hit], list[Any], Draft]  # hits shown, facts used, answer


# Passages of a refocused search read for an answer of the asked type (a second
# look after the first refused; the first reads the top three, UNIT_PASSAGES).
REFOCUSED_PASSAGES = 10


@dataclass(frozen=True)
class _Part:
    """One part of a question being answered within ``docs``: what the stages share."""

    query: Query
    answer_type: str
    docs: Sequence[str]
    hits: list[Hit]
    builder: CitationBuilder
    pool: list[Hit]  # more retrieved passages, for the text stage to re-rank


@dataclass(frozen=True)
class AnswerPolicy:
    """Thresholds for answering vs refusing (calibrated on the dev set, see README)."""

    min_topic_coverage: float = 0.5  # share of a part's words a whole answer must hold
    answerability: Answerability = field(default_factory=Answerability.load)
    passages: PassageRanker = field(default_factory=PassageRanker.shipped)
    min_row_score: float = 1.0  # lookup row score needed for a numeric answer
    prose_margin: float = (
        0.3  # how much better a prose sentence must cover the question
    )
    prose_min_support: float = 0.9  # ... and how much of it at least
    max_sentences: int = 3


# A column name for a period: it ends in a year or a span of years.
PERIOD_HEADER = re.compile(r"(?:^|\s)(?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)\d\d)?$")
# A compound the term is part of (see match_strength) counts as the term.
STRONG_MATCH = 0.75
# Shorter terms are left to retrieval: a short stem is too often a part of others.
MIN_ABSENT_TERM = 5
HELP_SV = (
    "Ställ en fråga om planerna, till exempel: "
    '"Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?"'
)
HELP_EN = 'Ask a question about the plans, e.g. "What is the 2025 budget in Mark?"'


@dataclass(frozen=True)
class Sources:
    """What the assistant reads: the document store, the retriever and the number
    lookup over it; ``known_stems`` (stems of every corpus word) is derived from
    the store when not given."""

    store: DocumentStore
    retriever: HybridRetriever
    lookup: NumberLookup
    known_stems: KnownStems | None = None
    similarity: Similarity | None = None  # question to sentence, for unit ranking


class Assistant:
    """Answers questions about the indexed plan documents (one public method: ask)."""

    def __init__(
        self,
        sources: Sources,
        policy: AnswerPolicy | None = None,
        generator: Generator | None = None,
    ) -> None:
        store, known_stems = sources.store, sources.known_stems
        self._store = store
        self._retriever = sources.retriever
        self._top_k = sources.retriever.top_k
        self._lookup = sources.lookup
        self._policy = policy or AnswerPolicy()
        self._generator = generator
        docs = tuple(store.documents())
        chunks = store.all_chunks()
        # The table-row chunk of each (document, line) a fact can come from.
        self._row_chunks = {
            (c.doc, line): c
            for c in chunks
            if c.kind == "table"
            for line in range(c.line_start, c.line_end + 1)
        }
        texts = [c.text for c in chunks]
        self._sections: dict[str, list[tuple[int, int, str]]] = {}
        self._years_in: dict[str, set[int]] = {d.doc: set() for d in docs}
        doc_words: dict[str, set[str]] = {d.doc: set() for d in docs}
        for c in chunks:
            found = re.findall(r"\b(?:19|20)\d\d\b", c.text)
            self._years_in.setdefault(c.doc, set()).update(int(y) for y in found)
            doc_words.setdefault(c.doc, set()).update(
                words(f"{c.section_path} {c.text}")
            )
        # Per document, the stems of its words (a term of the corpus that none of
        # the asked place's documents writes is not answered from them).
        self._stems_in = {
            doc: frozenset(stems(" ".join(ws))) for doc, ws in doc_words.items()
        }
        self._pages = {
            (c.doc, n): c.page
            for c in chunks
            if c.page is not None
            for n in range(c.line_start, c.line_end + 1)
        }
        vocabulary = frozenset(w for t in texts for w in words(t))
        self._lower_words = frozenset(
            w for t in texts for w in WORD_RE.findall(t) if w.islower()
        )
        # Words the corpus writes, and only capitalised: names of things, with how
        # often it writes them.
        name_uses = Counter(
            w.lower()
            for t in texts
            for w in WORD_RE.findall(t)
            if w[:1].isupper() and w.lower() not in self._lower_words
        )
        self._names = frozenset(name_uses)
        # Names written often enough to be one even where a chat question writes
        # them in lower case ("kommunkompassen"; not a header word seen once).
        self._well_named = frozenset(
            w for w, n in name_uses.items() if n >= NAME_MIN_USES
        )
        self.catalog = Catalog(docs, vocabulary, names_written(texts))
        self._meta = {d.doc: d for d in docs}
        self._lines: dict[str, tuple[str, ...]] = {}
        self._rows: dict[str, dict[int, str]] = {}
        self._row_contexts: dict[str, dict[int, str]] = {}
        self._tables: dict[str, list[Table]] = {}
        self._stems_known = known_stems or KnownStems(vocabulary)
        self._spelling = Spelling(vocabulary, self._names)
        self._naming = frozenset(
            stems(
                " ".join(f"{d.title} {d.organ} {d.municipality} {d.kind}" for d in docs)
            )
        )
        self._gaps = GapFinder(self.sections, self.tables, self.document_lines)
        self._text_options = TextOptions(
            max_sentences=self._policy.max_sentences,
            row_text=self.row_text,
            ignore=self._naming,
            is_name=self._is_name,
            known=self._stems_known.__contains__,
            split=self._stems_known.split,
            similarity=sources.similarity,
            document_lines=self.document_lines,
        )

    # --- read access for the UI ------------------------------------------------

    def documents(self) -> list[DocumentMeta]:
        return list(self.catalog.documents)

    def document_lines(self, doc: str) -> tuple[str, ...]:
        if doc not in self._lines:
            self._lines[doc] = self._store.document_lines(doc)
        return self._lines[doc]

    def sections(self, doc: str) -> list[Section]:
        return self._store.sections(doc)

    def tables(self, doc: str) -> list[Table]:
        return self._store.tables(doc)

    def page_of(self, doc: str, line: int) -> int | None:
        return self._page_of(doc, line)

    def content_hash(self, doc: str) -> str:
        """The indexed document's content hash ("" when the store keeps none)."""
        hashes = getattr(self._store, "document_hashes", None)
        return hashes().get(doc, "") if hashes else ""

    # --- answering ---------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer:
        """Answer ``question``; never raises for bad input.

        Example: ``ask("Och för 2024?", history=["Hur stor är kommunstyrelsens
        driftsbudget 2025 i Mark?"])`` answers with Mark's 2024 figure and says how the
        follow-up was read.
        """
        start = time.perf_counter()
        outcome = self._answer(question or "", history, filters)
        answer = self._finish(question, outcome, start)
        query = outcome.query
        if self._generator is not None and query is not None and not answer.refused:
            answer = self._generator.generate(
                query, outcome.hits, outcome.facts, answer
            )
            answer = replace(answer, latency_ms=(time.perf_counter() - start) * 1000)
        return answer

    def stream(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """Yield text pieces, then the final Answer (LLM streaming when configured)."""
        start = time.perf_counter()
        outcome = self._answer(question or "", history, filters)
        answer = self._finish(question, outcome, start)
        query = outcome.query
        if self._generator is None or query is None or answer.refused:
            yield answer
            return
        yield from self._generator.stream(query, outcome.hits, outcome.facts, answer)

    def _finish(self, question: str, outcome: Outcome, start: float) -> Answer:
        query = outcome.query
        interpretation = ""
        if query is not None and query.carried:
            label = "Interpreted as" if query.lang == "en" else "Tolkat som"
            interpretation = f"{label}: {describe(query)}"
        return Answer(
            question=question,
            answer=outcome.draft.text,
            refused=outcome.draft.refused,
            citations=outcome.draft.citations,
            facts=tuple(outcome.facts),
            retrieved=tuple(outcome.hits),
            interpreted_query=query.describe() if query else {},
            interpretation=interpretation,
            latency_ms=(time.perf_counter() - start) * 1000,
            trace=outcome.trace,
        )

    def _answer(
        self, question: str, history: Sequence[str], filters: Filters | None
    ) -> Outcome:
        """Read the question into a plan, answer each part, join the parts."""
        if not any(ch.isalnum() for ch in question):
            lang = "en" if question.isascii() and question.strip() else "sv"
            help_text = HELP_EN if lang == "en" else HELP_SV
            draft = Draft(help_text, (), True, stage="reading", reason="no question")
            return Outcome(None, [], [], draft, {"parts": [], "stage": "reading"})
        question, history = self._spelt(question), [self._spelt(h) for h in history]
        plan = make_plan(question, history, self.catalog)
        if len(plan.parts) > 1:
            whole = self._whole_if_it_answers(question, history, filters, plan)
            if whole is not None:
                return whole
        builder = self._new_builder()
        parts: list[tuple[list[Hit], list[Any], Draft]] = []
        for p in plan.parts:
            query = _resolved(p.query, parts[-1][1]) if parts else p.query
            parts.append(self._answer_part(query, p.answer_type, filters, builder))
        trace = _trace(plan, [d for _, _, d in parts])
        hits = [h for part_hits, _, _ in parts for h in part_hits]
        facts = [f for _, part_facts, _ in parts for f in part_facts]
        drafts = [d for _, _, d in parts]
        query = plan.parts[0].query
        if len(drafts) == 1:
            return Outcome(query, hits, facts, drafts[0], trace)
        # One line per part, numbered so a refused part does not read as a refusal
        # of the whole question.
        # A part answered by the very same text as an earlier one adds nothing.
        shown = list(dict.fromkeys(d.text.replace("\n\n", " ") for d in drafts))
        text = (
            "\n".join(f"{i}. {t}" for i, t in enumerate(shown, 1))
            if len(shown) > 1
            else shown[0]
        )
        refused = all(d.refused for d in drafts)
        draft = Draft(text, builder.citations, refused, stage=trace["stage"])
        # One evidence ranking, best first, over the parts' passages.
        ranked = sorted(_unique_hits(hits), key=lambda h: -h.score)
        return Outcome(query, ranked, facts, draft, trace)

    def _spelt(self, text: str) -> str:
        """``text`` with the words typed without å, ä and ö spelt as the documents
        spell them (see ``assistant.language.spelling``)."""
        return self._spelling.restore(text, detect_language(text) == "sv")

    def _whole_if_it_answers(
        self,
        question: str,
        history: Sequence[str],
        filters: Filters | None,
        plan: Plan,
    ) -> Outcome | None:
        """A multi-part question answered in one go, when that answer covers every
        part: each part's own topic words and years are in what it quotes ("15
        chefer, varav sju kvinnor" answers both "hur många chefer" and "hur många
        av dem är kvinnor"). None when a part is left out."""
        whole = make_plan(question, history, self.catalog, split=False).parts[0]
        builder = self._new_builder()
        hits, facts, draft = self._answer_part(
            whole.query, whole.answer_type, filters, builder
        )
        if draft.refused:
            return None
        # What the answer quotes, with where it stands: a table row's caption,
        # section and column names hold words ("poäng") its cells do not.
        quoted = " ".join(
            [
                draft.text,
                *(f"{c.section} {c.text}" for c in draft.citations),
                *(f"{f.caption} {f.column} {f.key_header}" for f in facts),
            ]
        )
        for part in plan.parts:
            if superlative(part.query.text) and not facts:
                return None  # a ranking is read from a table, not from a sentence
            terms = topic_terms(
                replace(part.query, topic=None),
                self._naming,
                self._stems_known.__contains__,
            )
            own_years = [y for y in part.query.years if str(y) in part.text]
            if coverage(terms, quoted) < self._policy.min_topic_coverage or any(
                str(y) not in quoted for y in own_years
            ):
                return None
        trace = _trace(Plan(question, (whole,)), [draft])
        trace["split_into"] = len(plan.parts)
        return Outcome(whole.query, hits, facts, draft, trace)

    def _answer_part(
        self,
        query: Query,
        answer_type: str,
        filters: Filters | None,
        builder: CitationBuilder,
    ) -> tuple[list[Hit], list[Any], Draft]:
        """Scope checks, then retrieval, lookup and composition for one part."""
        if not words(query.text) or not any(
            w.isascii() or w.isalpha() for w in words(query.text)
        ):
            return [], [], _refused(query, "reading", "no words to search")
        docs = self._allowed_docs(query, filters)
        if not docs:
            draft = Draft(self._no_documents(query, filters), (), True)
            return [], [], replace(draft, stage="scope", reason="no document in scope")
        outside = self._out_of_scope(query, docs)
        if outside:
            return [], [], _refused(query, "scope", outside)
        places = find_municipalities(query.text, self.catalog)
        if (everywhere_asked := every_place(query, self.catalog)) is not None:
            query, places = everywhere_asked, self.catalog.municipalities()
        if len(places) >= 2 and not query.doc:
            everywhere = self._allowed_docs(replace(query, municipality=None), filters)
            return self._compare(query, answer_type, places, everywhere, builder)
        absent = self._absent_term(query, docs)
        if absent:
            reason = f"{absent!r} is in other documents, not in these"
            draft = _refused(query, "scope", reason)
            note = self._written_elsewhere(absent, query.text, query.lang)
            return [], [], replace(draft, text=f"{draft.text}\n\n{note}")
        return self._answer_in(query, answer_type, docs, builder)

    def _out_of_scope(self, query: Query, docs: Sequence[str]) -> str | None:
        """Why ``docs`` cannot answer at all: a place or a year they lack."""
        place = find_unknown_place(query.text, self.catalog)
        if place:
            return f"place {place} not in the documents"
        if query.years and not any(asks_for(query, self._years_in[d]) for d in docs):
            return f"year {', '.join(map(str, query.years))} not in the documents"
        return None

    def _absent_term(self, query: Query, docs: Sequence[str]) -> str | None:
        """A name the question writes and the corpus too (capitalised, never in
        lower case: "Kommunkompassen", "Chefoskopet"; a chat question may write a
        name the corpus writes often in lower case) that none of ``docs`` writes,
        nor a compound of it: asked of a municipality whose documents never
        mention it, those documents do not answer. Only when the question is
        narrowed to some of the documents; names of these documents and places
        aside."""
        if len(docs) >= len(self._stems_in):
            return None
        naming = frozenset(
            t
            for d in docs
            if (m := self._meta.get(d))
            for t in stems(f"{m.title} {m.organ} {m.municipality} {m.kind}")
        )
        capitalised = capitalised_words(query.text)  # a name in the question too
        for word in content_words(query.text):
            term = stem(word)
            if (
                len(word) < MIN_ABSENT_TERM
                or word not in self._names
                or (word not in capitalised and word not in self._well_named)
                or term in naming
                or find_municipalities(word, self.catalog)
            ):
                continue
            if not any(_writes(self._stems_in.get(d, frozenset()), term) for d in docs):
                return word
        return None

    def _written_elsewhere(self, word: str, question: str, lang: str) -> str:
        """Which places' documents do write ``word`` (the user may have meant one)."""
        term = stem(word)
        places = sorted(
            {
                m.municipality or m.title
                for d, written in self._stems_in.items()
                if _writes(written, term) and (m := self._meta.get(d))
            }
        )
        listed = ", ".join(places)
        # As the question writes it ("Kommunkompassen"; the word is folded).
        word = next((w for w in WORD_RE.findall(question) if w.lower() == word), word)
        if lang == "en":
            return f'"{word}" is only mentioned in the documents about {listed}.'
        return f'"{word}" nämns bara i dokumenten om {listed}.'

    def _compare(
        self,
        query: Query,
        answer_type: str,
        places: Sequence[str],
        docs: Sequence[str],
        builder: CitationBuilder,
    ) -> tuple[list[Hit], list[Any], Draft]:
        """A question naming several municipalities is answered for each in turn,
        every part from that municipality's documents only, with one numbering; a
        superlative ranks the places, not the rows of each place's table, so each
        place is asked plainly and the conclusion is computed from their figures."""
        plain = replace(query, text=without_superlative(query.text))
        if plain.text != query.text and answer_type not in ("date", "reason"):
            answer_type = "number"  # "Vems ... lägst ...?" asks for the figures
        parts, hits, facts, drafts, figures = [], [], [], [], []
        for place in places:
            scoped = [d for d in docs if self._meta[d].municipality == place]
            sub = replace(plain, municipality=place)
            if not scoped:
                parts.append(f"{place}: {refusal(query.lang)}")
                continue
            sub_hits, sub_facts, draft = self._answer_in(
                sub, answer_type, scoped, builder
            )
            parts.append(f"{place}: {draft.text}")
            hits.extend(sub_hits)
            facts.extend(sub_facts)
            drafts.append(draft)
            if sub_facts and not draft.refused:
                figures.append((place, sub_facts[0]))
        refused = all(refusal(query.lang) in p for p in parts)
        hits.sort(key=lambda h: -h.score)
        stage = _deciding_stage(drafts) if drafts else "scope"
        if len(figures) == len(places):
            parts.append(conclusion(figures, query.lang))
        text = "\n\n".join(p for p in parts if p)
        return hits, facts, Draft(text, builder.citations, refused, stage=stage)

    def _answer_in(
        self,
        query: Query,
        answer_type: str,
        docs: Sequence[str],
        builder: CitationBuilder,
    ) -> PartAnswer:
        """Retrieve within ``docs``, then let the stages decide in order: the part
        is empty (gaps), rows filtered by a value the question names, a table
        lookup, and else answer-or-refuse followed by a text answer."""
        pool = self._search(query, docs, top_k=PASSAGE_POOL)
        hits = pool[: self._top_k]
        if not hits:
            return hits, [], _refused(query, "evidence", "nothing retrieved")
        part = _Part(query, answer_type, docs, hits, builder, pool)
        stages = (
            self._signatory_stage,
            self._decision_stage,
            self._gap_stage,
            self._filter_stage,
            self._lookup_stage,
        )
        for stage in stages:
            outcome = stage(part)
            if outcome is not None:
                return outcome
        outcome = self._text_stage(part)
        if outcome[2].refused and query.wants_overview and query.metrics:
            # A broad question about a measure whose evidence is only tables
            # ("Vad ska jag känna till om budgeten i Kramfors?"): their figure.
            cited = len(builder.citations)
            plain = replace(query, wants_overview=False)
            looked = self._lookup_stage(
                replace(part, query=plain, answer_type="number")
            )
            if looked is not None and not looked[2].refused:
                builder.forget_after(cited)
                return looked
        return outcome

    def _signatory_stage(self, part: _Part) -> PartAnswer | None:
        """ "Who signs the report?": the signature blocks of the document the best
        passage is from; "who did the evaluation?", asking for the makers of that
        document itself, its byline (see ``assistant.answering.signatories``)."""
        query = part.query
        if not query.wants_person:
            return None
        doc = part.hits[0].doc
        lines = self.document_lines(doc)
        if asks_who_signs(query.text):
            blocks = signature_blocks(lines, self._is_name)
        elif asks_who_made(query.text) and self._names_only_document(
            query, doc, "authoring_verbs"
        ):
            found = byline(lines, self._is_name)
            blocks = [found] if found else []
        else:
            return None
        if not blocks:
            return None
        return part.hits, [], compose_signatories(query, doc, blocks, part.builder)

    def _decision_stage(self, part: _Part) -> PartAnswer | None:
        """ "När antogs verksamhetsplanen?": the decision line of the front page of
        the document asked about (see ``assistant.answering.decision``)."""
        query = part.query
        # A measure ("När beslutades budgeten?") is a decision in the document.
        if not (query.wants_time and names_decision(query.text)) or query.metrics:
            return None
        doc = query.doc or part.hits[0].doc
        if not self._names_only_document(query, doc, "decision_words"):
            return None
        found = decision_line(self.document_lines(doc))
        if found is None:
            return None
        page = self._page_of(doc, found.line)
        draft = compose_decision(query, doc, found, part.builder, page)
        return part.hits, [], replace(draft, stage="decision")

    def _names_only_document(self, query: Query, doc: str, verbs_key: str) -> bool:
        """Every topic word of the question but its verbs (the ``verbs_key`` list)
        names the document (its title, kind or owner): "who did the Kommunkompassen
        evaluation of Mark", "när beslutades nämndplanen"."""
        meta = self._meta.get(doc)
        verbs = set(words_of("question_words", verbs_key))
        topic = " ".join(w for w in words(query.topic or "") if w not in verbs)
        terms = topic_terms(
            replace(query, topic=topic), frozenset(), self._stems_known.__contains__
        )
        title = f"{meta.title} {meta.kind} {meta.organ}" if meta else ""
        return bool(terms) and coverage(terms, title) >= 1.0

    def _gap_stage(self, part: _Part) -> PartAnswer | None:
        """A section or table that exists but is empty ("3.1 ..." with no text)."""
        terms = topic_terms(part.query, self._naming, self._stems_known.__contains__)
        gap = self._gaps.find(part.query, part.hits, terms)
        if gap is None:
            return None
        draft = refuse_gap(part.query, gap, part.builder)
        return part.hits, [], replace(draft, stage="gaps", reason="the part is empty")

    def _filter_stage(self, part: _Part) -> PartAnswer | None:
        """ "Vilka ... har inte påbörjats?": the rows whose category cell is named."""
        query = part.query
        if not (query.wants_list and asks_to_filter(query.text)):
            return None
        found = filter_rows(
            query.text,
            self._tables_in(part.hits),
            self._translated(query),
            scope=self._naming,
        )
        if found is None or not found.rows:
            return None
        return (
            part.hits,
            [],
            compose_filtered(query, found, part.builder, self._page_of),
        )

    def _lookup_stage(self, part: _Part) -> PartAnswer | None:
        """A figure from the table store, when the part asks for one or ranks."""
        query, answer_type = part.query, part.answer_type
        # A figure is asked for by the answer type, or by a year where the part asks
        # "what" ("Vad var X i augusti 2023?"); a date, a person or a reason is not.
        # A broad question's gist is read from prose (the text stage), not a row.
        wants_figure = answer_type == "number" or (
            bool(query.years)
            and answer_type in ("text", "definition")
            and not query.wants_overview
        )
        # "De största utmaningarna" of a broad question ranks no figures.
        ranks = (
            superlative(query.text)
            and answer_type not in ("date", "reason")
            and not query.wants_overview
        )
        compared = self._lookup.compare(query, part.hits, part.docs)
        compared = (
            compared
            or self._lookup.named_rows(query, part.hits, part.docs)
            or self._listed_without_kind(part)
        )
        if compared is not None:
            return self._from_facts(part, compared)
        # "Vilket riskvärde har Upprätthålla drift?": a question naming a row and
        # a column of figures asks for their cell, whatever its wording.
        names_cell = answer_type == "text" and not (
            query.wants_list or query.wants_overview
        )
        if not (wants_figure or ranks or names_cell):
            return None
        result = self._lookup.find(query, part.hits, part.docs, kinds=query.metrics)
        if not (wants_figure or ranks or _names_its_cell(result)):
            result = None
        if ranks and (result is None or result.row_score < self._policy.min_row_score):
            result = (
                self._without_row_kind(part)
                or self._lookup.rank_retrieved(query, part.hits, part.docs)
                or result
            )
        # A row about something else that mentions the counted thing ("Funktion
        # och tillförlitlighet till IT-system" for "how many IT systems") is no
        # count: the text may state it ("73 system").
        if (
            result is None
            or result.row_score < self._policy.min_row_score
            or (result.facts and not self._counts_asked(query, result.facts))
        ):
            return None
        if result.facts and not _level_for_change(query, result.facts):
            return self._from_facts(part, result)
        if result.missing_years:
            return self._stated_in_text(part) or (
                part.hits,
                [],
                self._refuse_period(query, part.hits, part.builder, "table"),
            )
        return None

    def _stated_in_text(self, part: _Part) -> PartAnswer | None:
        """The text's answer when the table lacks the asked year but a sentence
        states a figure for it ("effektiviseringskravet ... har inför 2024 vuxit
        till 20,7 mnkr" beside "Effektiviseringskrav" with 2023 only): the
        sentence has to name every asked year and the measure the question names,
        or the table's gap stands."""
        cited = len(part.builder.citations)
        outcome = self._text_stage(part)
        draft = outcome[2]
        first = _first_sentence(draft)
        named = all(re.search(rf"\b{y}\b", first) for y in part.query.years)
        # The measure the question names ("bokslutet"), not the row's budget.
        measures = named_measures(part.query.text)
        named = named and (
            not measures or coverage(stems(" ".join(measures)), first) > 0
        )
        figure = re.search(r"\d", YEAR.sub(" ", first))  # a figure besides the year
        # A row of another table is no sentence stating it (the lookup judged those).
        if draft.refused or draft.row or not named or not figure:
            part.builder.forget_after(cited)
            return None
        return outcome

    def _counts_asked(self, query: Query, facts: Sequence[Fact]) -> bool:
        """A count question's counted thing is what some fact counts (its
        ``_counting_words``; see ``assistant.reading.counted``). True when nothing
        is counted or the counted words are unknown to the corpus (an untranslated
        English word)."""
        terms = counted_terms(query, self._stems_known.__contains__)
        if not terms:
            return True
        return any(_counts(terms, f) for f in facts)

    def _without_row_kind(self, part: _Part) -> LookupResult | None:
        """A ranking whose rows the question names only by their kind ("Vilken
        verksamhet ... minskar mest"), looked up without that noun (used when the
        question as written finds no row)."""
        plain = _without_kind(part.query)
        if plain is None:
            return None
        return self._lookup.find(plain, part.hits, part.docs, kinds=plain.metrics)

    def _listed_without_kind(self, part: _Part) -> LookupResult | None:
        """A list of a table's rows named only by their kind and the table ("Vilka
        poster ingår i investeringsbudgeten?"), looked up without those words."""
        split = self._stems_known.split
        plain = _without_kind(part.query, split) if part.query.wants_list else None
        if plain is None:
            return None
        listed = self._lookup.named_rows(plain, part.hits, part.docs)
        # Only the whole table: without its kind the question names no row.
        if listed is None or not (listed.ranking or "").startswith("listed-table"):
            return None
        return listed

    def _from_facts(self, part: _Part, result: LookupResult) -> PartAnswer:
        """The looked-up row as the answer, unless the text states it better or
        the row is of another period than the asked one."""
        query, hits, builder = part.query, part.hits, part.builder
        if not result.ranking:
            prose = self._prose_beats(query, hits, result.evidence)
            # The sentence answers only if it meets the part's hard constraints
            # (period, body, a count of the counted thing), as a text answer does.
            unmet = self._unmet(part, prose) if prose is not None else None
            if prose is not None and unmet:
                return hits, [], self._refuse_unmet(query, hits, builder, unmet, prose)
            if prose is not None:
                # Renumber through the shared builder (comparisons share one).
                draft = _computed(query, self._recite(prose, builder))
                return hits, [], replace(draft, stage="prose over table")
        if reason := _planned_only(query, result.facts):
            # "How many homes got built in 2024?" answered by the 2024 target.
            return hits, [], self._refuse_unmet(query, hits, builder, reason)
        if _count_of_amount(query, result.facts):
            reason = "a count asked, the evidence gives an amount or a share"
            return hits, [], self._refuse_unmet(query, hits, builder, reason)
        if _misses_period(query, result.facts, self._undated_years):
            # Every hard constraint must be in the evidence: a figure of another
            # year is a neighbouring number, not the answer; a sentence may state
            # the asked year's.
            return self._stated_in_text(part) or (
                hits,
                [],
                self._refuse_period(query, hits, builder, "evidence"),
            )
        facts = [replace(f, page=self._page_of(f.doc, f.line)) for f in result.facts]
        draft = compose_number(
            query,
            facts,
            builder,
            self._meta.get,
            self.document_lines,
            ranking=result.ranking,
        )
        draft = self._with_asked_cells(query, facts, draft, builder)
        draft = replace(draft, stage="table lookup")
        return self._with_rows_of(facts, hits), facts, draft

    def _text_stage(self, part: _Part) -> PartAnswer:
        """Answer or refuse on the evidence, then the best sentences; when that
        refuses, once more on the passages of the question's own topic words."""
        cited = len(part.builder.citations)
        outcome = self._text_answer(part, part.pool)
        if not outcome[2].refused or not (focused := self._refocused(part)):
            return outcome
        builder = self._new_builder()
        hits, facts, retry = self._text_answer(replace(part, builder=builder), focused)
        if retry.refused:
            return outcome
        # The refusal's nearest passage is not shown: its citation goes.
        part.builder.forget_after(cited)
        return hits, facts, self._recite(retry, part.builder)

    def _refocused(self, part: _Part) -> list[Hit]:
        """The passages for the question's topic words without those naming a
        document, its body or place ("hur många intervjuades i Kommunkompassen?"):
        such a word is in most passages of its document and pulls in its
        introduction; none when no word was left out or none is left."""
        words = (part.query.topic or "").split()
        kept = [w for w in words if not set(stems(w)) <= self._naming]
        if not kept or len(kept) == len(words):
            return []
        focused = replace(part.query, search_text=" ".join(kept))
        hits = self._search(focused, part.docs)[:REFOCUSED_PASSAGES]
        options = self.text_options(part.answer_type)
        return fitting_passages(part.query, hits, options)

    def _text_answer(self, part: _Part, hits: list[Hit]) -> PartAnswer:
        """Answer or refuse on the first ``top_k`` of ``hits`` re-ranked by their
        best sentences, then the best sentences (of a list question: from the
        retrieval order)."""
        query, builder = part.query, part.builder
        options = self.text_options(part.answer_type)
        reranked = self._policy.passages.rerank(query, hits, options)[: self._top_k]
        # A list is read from a whole passage, chosen by its own and its
        # headings' match (compose); the re-ranking is by best sentence.
        hits = hits[: self._top_k] if query.wants_list else reranked
        # Answer or refuse on the passages the best sentences are in.
        covered = best_passage_coverage(
            query, reranked, self._text_options, passage=self._passage_text
        )
        features = evidence_features(covered, reranked)
        # A broad question has no constraint beyond its place and body (checked
        # before search): its gist is in the best passages, in whatever words.
        broad = query.wants_overview
        if not broad and not self._policy.answerability.answerable(features):
            p = self._policy.answerability.probability(features)
            reason = (
                f"P(answerable) {p:.2f} < 0.5 (topic coverage {covered:.2f}, "
                f"dense {features['dense_top']:.3f})"
            )
            draft = self._refuse_unmet(query, hits, builder, reason)
            return hits, [], replace(draft, features=features)
        # After a lookup judged the tables (a measure and a year), only prose; a
        # broad question's overview is of prose too, not of a row of figures.
        looked_up = bool(query.metrics and query.years)
        options = replace(options, prose_only=looked_up or broad)
        draft = compose_text(query, hits, builder, options)
        if not draft.refused and defers_elsewhere(draft.text):
            # "Redovisas i bilaga": the passage points to a text the corpus lacks.
            draft = self._refuse_with_nearest(query, hits, builder, draft)
            return (
                hits,
                [],
                replace(draft, stage="gaps", reason="deferred to an appendix"),
            )
        draft = _computed(query, draft)
        unmet = self._unmet(part, draft)
        if unmet:
            # The sentence misses a hard constraint (another body or period, no
            # amount or count of the asked thing): a neighbouring answer, refused.
            return hits, [], self._refuse_unmet(query, hits, builder, unmet, draft)
        reason = "no sentence fits the answer type" if draft.refused else ""
        return hits, [], replace(draft, stage="text", reason=reason, features=features)

    def _unmet(self, part: _Part, draft: Draft) -> str | None:
        """The hard constraint a text answer's sentence misses, if any: a body
        the question names, the asked period, an amount or a count asked for."""
        query = part.query
        missing = self._bodies_not_named(query, part.docs, draft)
        if missing:
            return f"body {missing} not in the evidence"
        if self._whole_not_named(query, draft):
            return "the whole municipality not in the evidence (one body's figure)"
        if _announced_only(query, draft):
            return "a result asked, the evidence only says it is to come"
        return (
            _other_period(query, draft.text, draft.row)
            or self._undated_of_other_period(part, draft)
            or _other_measure(query, part.answer_type, draft)
            or _another_edition(query, draft)
            or _no_amount(query, part.answer_type, draft)
            or self._no_count(query, draft)
        )

    def _undated_of_other_period(self, part: _Part, draft: Draft) -> str | None:
        """Why a figure asked for a year is not answered by a sentence that names
        no year, if it is not: its documents are about other years only (a plan
        for 2025 stating sick leave "per sista september" for "sjukfrånvaro
        2023?"), so its figure is of their period."""
        query = part.query
        asks_figure = part.answer_type == "number" or query.wants_number
        # A year carried from the chat's earlier question ("Och i Kramfors?") is
        # that question's period, which another place's plan may report as its own.
        own_years = "years" not in query.carried
        if draft.refused or not (query.years and asks_figure and own_years):
            return None
        if YEAR.search(clean(draft.text)):
            return None  # a dated sentence: its own years decide (_other_period)
        metas = [m for c in draft.citations if (m := self._meta.get(c.doc))]
        years = set().union(*(document_years(m) for m in metas)) if metas else set()
        if not years or asks_for(query, years):
            return None
        asked = ", ".join(map(str, query.years))
        return f"period {asked} not in the evidence (its documents are of other years)"

    def _whole_not_named(self, query: Query, draft: Draft) -> bool:
        """The question asks about the whole municipality ("för hela kommunen")
        and the sentence, from documents of one body (a board's plan), says
        nothing of the whole: it gives that body's figure."""
        if draft.refused or not WHOLE_MUNICIPALITY.search(query.text):
            return False
        docs = {c.doc for c in draft.citations}
        if not docs or not all((m := self._meta.get(d)) and m.organ for d in docs):
            return False
        said = set(words(draft.text))
        return not said & _words("whole_organisation_words")

    def _no_count(self, query: Query, draft: Draft) -> str | None:
        """Why a sentence does not answer a count question, if it does not: it
        names no figure right before what is counted ("Hur många invånare har
        Kramfors?" answered by "Mål 5 - Kramfors kommuns invånare har inflytande")."""
        if draft.refused or draft.row:
            return None
        counted = counted_terms(query, self._stems_known.__contains__)
        if not counted or states_count(draft.text, counted):
            return None
        return f"no count of '{counted_noun(query.text)}' in the evidence"

    def _bodies_not_named(
        self, query: Query, docs: Sequence[str], draft: Draft
    ) -> str | None:
        """A body the question names that no candidate document belongs to and
        the answer does not name ("sjukfrånvaron på samhällsbyggnadsförvaltningen"
        answered by a sentence about another administration)."""
        if draft.refused:
            return None
        foreign = self._lookup.foreign_bodies(query)
        named = set(stems(draft.text))
        for body in foreign.get(docs[0], ()) if docs else ():
            elsewhere = all(body in foreign.get(d, ()) for d in docs)
            if elsewhere and not body.named_in(named):
                return body.text
        return None

    def text_options(self, answer_type: str) -> TextOptions:
        """How text answers are read for a part of ``answer_type`` (also used to fit
        the unit ranker on the question sets)."""
        return replace(self._text_options, reason=answer_type == "reason")

    def _with_asked_cells(
        self,
        query: Query,
        facts: Sequence[Fact],
        draft: Draft,
        builder: CitationBuilder,
    ) -> Draft:
        """The draft plus the other cells of the answer's row that the question
        names by column ("... och under vilken period?" -> "Period: 2023-2025")."""
        first = facts[0]
        if first.summed_rows:
            return draft
        row = self._row_of(first)
        if row is None:
            return draft
        terms = topic_terms(
            replace(query, topic=None), self._naming, self._stems_known.__contains__
        )
        shown = {f.column for f in facts if f.line == first.line}
        cells = asked_cells(terms, row, shown, period=asks_period(query.text))
        cells = [c for c in cells if not row.in_label(c)]
        if not cells:
            return draft
        n = builder.cite(
            first.doc, first.section_path, row.line_start, row.line_end, first.page
        )
        values = "; ".join(
            f"{clean(c.column)}: {cell_amount(c, query.lang)}" for c in cells
        )
        text = f"{draft.text}\n{clean(row.label)}: {values} [{n}]."
        return replace(draft, text=text, citations=builder.citations)

    def _row_of(self, fact: Fact) -> TableRow | None:
        """The parsed table row a fact was read from."""
        for table in self._tables_of(fact.doc):
            if table.table_id == fact.table_id:
                for row in table.rows:
                    if row.line_start <= fact.line <= row.line_end:
                        return row
        return None

    def _undated_years(self, fact: Fact) -> set[int]:
        """The years an undated figure is of: those of its table's other columns
        ("Återstår" beside "Budget 2025") and those its document is about (a
        report's "Helår Prognos" is of the report's year)."""
        meta = self._meta.get(fact.doc)
        years = document_years(meta) if meta else set()
        for table in self._tables_of(fact.doc):
            if table.table_id == fact.table_id:
                years |= {c.year for r in table.rows for c in r.cells if c.year}
        return years

    def _tables_in(self, hits: Sequence[Hit]) -> list[Table]:
        """The tables the hits were cut from, most relevant first, each followed by
        the tables of its document with the same header (its continuations)."""
        seen: dict[str, Table] = {}
        for hit in hits:
            if not hit.table_id or hit.table_id in seen:
                continue
            tables = self._tables_of(hit.doc)
            hit_table = next((t for t in tables if t.table_id == hit.table_id), None)
            if hit_table is None:
                continue
            for table in tables:
                if table.header == hit_table.header:
                    seen.setdefault(table.table_id, table)
        return list(seen.values())

    @staticmethod
    def _translated(query: Query) -> list[str]:
        """The Swedish stems an English question's terms stand for."""
        if query.lang != "en":
            return []
        return [
            t
            for term in question_terms(query.text, True)
            for t in term.split(ALTERNATIVES)
        ]

    def _tables_of(self, doc: str) -> list[Table]:
        if doc not in self._tables:
            self._tables[doc] = self._store.tables(doc)
        return self._tables[doc]

    def retrieve(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        top_k: int | None = None,
        reranked: bool = True,
    ) -> list[Hit]:
        """The passages the chat would read for ``question``, without answering:
        hybrid search in the documents the filters and the question allow,
        re-ranked by their best sentences as a text answer is (``reranked=False``:
        the retrieval order, which the re-ranker is fitted on)."""
        if not any(ch.isalnum() for ch in question or ""):
            return []
        query = interpret(question, history, self.catalog)
        docs = self._allowed_docs(query, filters)
        if not docs:
            return []
        top_k = top_k or self._top_k
        if not reranked or query.wants_list:
            return self._search(query, docs, top_k)
        pool = self._search(query, docs, max(top_k, PASSAGE_POOL))
        options = self.text_options(asked_type(query))
        return self._policy.passages.rerank(query, pool, options)[:top_k]

    def _search(
        self, query: Query, docs: Sequence[str], top_k: int | None = None
    ) -> list[Hit]:
        prefer = None
        if query.refs:
            refs = query.refs
            prefer = lambda c: any(section_matches(r, c.section_path) for r in refs)  # noqa: E731
        return self._retriever.search(
            query.search_text,
            docs,
            top_k=top_k,
            prefer=prefer,
            keyword_trust=self._trust(query),
            translation=self._translation(query),
        )

    def _with_rows_of(self, facts: Sequence[Fact], hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` led by the table rows the facts came from: the table store found
        them (a second retriever, by structure), so they are part of what was
        retrieved even when the text search ranked them low."""
        found = {h.chunk_id: h for h in hits}
        top = max((h.score for h in hits), default=0.0)
        rows: dict[str, Hit] = {}
        for fact in facts:
            chunk = self._row_chunks.get((fact.doc, fact.line))
            if chunk is not None and chunk.chunk_id not in rows:
                hit = found.get(chunk.chunk_id) or Hit.from_chunk(chunk, top)
                rows[chunk.chunk_id] = replace(hit, score=top)  # ranked first
        return [*rows.values(), *(h for h in hits if h.chunk_id not in rows)]

    @staticmethod
    def _translation(query: Query) -> str | None:
        """An English question's Swedish terms with its names and numbers."""
        if query.lang != "en":
            return None
        groups, rest = translate(query.search_text)
        kept = [w for w in rest if w not in STOPWORDS and w not in ENGLISH_MARKERS]
        years = [str(y) for y in query.years]
        return " ".join([*(g[0] for g in groups), *kept, *years]) or None

    def _trust(self, query: Query) -> float:
        """Share of the question's content words the corpus knows (at least 0.3)."""
        terms = [stem(w) for w in content_words(query.search_text)]
        if not terms:
            return 1.0
        known = sum(t in self._stems_known for t in terms) / len(terms)
        return max(0.3, known)

    @staticmethod
    def _recite(draft: Draft, builder: CitationBuilder) -> Draft:
        """Move a draft's citations into ``builder``, renumbering its markers."""
        text = draft.text
        mapping = {
            c.n: builder.cite(c.doc, c.section, c.line_start, c.line_end, c.page)
            for c in draft.citations
        }
        text = re.sub(
            r"\[(\d+)\]",
            lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]",
            text,
        )
        return replace(draft, text=text, citations=builder.citations)

    def _prose_beats(
        self, query: Query, hits: Sequence[Hit], evidence: float
    ) -> Draft | None:
        """A prose sentence with a number that covers the question clearly better
        than the table row found ("15 medarbetare i chefsposition, varav sju
        kvinnor" against a row that only shares one word)."""
        builder = self._new_builder()
        options = self._text_options  # text cells of tables count as prose here
        prose = compose_text(replace(query, wants_number=True), hits, builder, options)
        if prose.refused or prose.support < max(
            evidence + self._policy.prose_margin, self._policy.prose_min_support
        ):
            return None
        return prose

    def _new_builder(self) -> CitationBuilder:
        """A citation numbering of its own (a question, or an attempt that may
        not be shown)."""
        return CitationBuilder(self.document_lines, self._meta.get, self._section_of)

    def _section_of(self, doc: str, line: int) -> str:
        """The section path of a line (for citing a line found outside the hits)."""
        if doc not in self._sections:
            self._sections[doc] = sorted(
                (
                    (s.line_start, s.line_end, s.section_path)
                    for s in self._store.sections(doc)
                ),
                key=lambda s: (s[0], -s[1]),
            )
        inside = [s for s in self._sections[doc] if s[0] <= line <= s[1]]
        return inside[-1][2] if inside else ""

    def _page_of(self, doc: str, line: int) -> int | None:
        """The page of a line in a paginated source (PDF), from its chunk."""
        return self._pages.get((doc, line))

    def _is_name(self, pair: str) -> bool:
        """Two capitalised words the corpus never writes in lower case ("Leif Eldås",
        not "Avtalssamverkan Ansvarig")."""
        return all(w.lower() not in self._lower_words for w in pair.split())

    def _passage_text(self, hit: Hit) -> str:
        """What a passage says, for judging support: heading, then the row with its
        column names and what its table says it is (the key column's header, the
        group row above it) for table rows, or the text."""
        start = self.row_start(hit) if hit.kind == "table" else None
        if start is None:
            return f"{hit.section_path}\n{hit.text}"
        row, context = self._rows[hit.doc][start], self._row_contexts[hit.doc][start]
        return f"{hit.section_path}\n{context}\n{row}"

    def _render_rows(self, doc: str) -> None:
        """Each table row of ``doc`` rendered, and its context: the key column's
        header and the group it is under (``Table.key_headers``)."""
        rendered: dict[int, str] = {}
        contexts: dict[int, str] = {}
        for table in self._store.tables(doc):
            key_headers = table.key_headers()
            for row in table.rows:
                label = clean(row.label)
                pairs = [
                    f"{clean(c.column)}: {cell_with_unit(c)}"
                    for c in row.cells
                    if clean(c.text) and not row.in_label(c)
                ]
                rendered[row.line_start] = "; ".join(([label] if label else []) + pairs)
                contexts[row.line_start] = clean(key_headers[row.line_start])
        self._rows[doc] = rendered
        self._row_contexts[doc] = contexts

    def row_text(self, hit: Hit) -> str | None:
        """A table row as "label; Column: value; ..." (None if no row starts here)."""
        start = self.row_start(hit)
        return None if start is None else self._rows[hit.doc][start]

    def row_start(self, hit: Hit) -> int | None:
        """The first line of the last table row that starts within ``hit``."""
        if hit.doc not in self._rows:
            self._render_rows(hit.doc)
        rows = self._rows[hit.doc]
        starts = [n for n in range(hit.line_start, hit.line_end + 1) if n in rows]
        return starts[-1] if starts else None

    def _refuse_period(
        self, query: Query, hits: Sequence[Hit], builder: CitationBuilder, where: str
    ) -> Draft:
        """Refused at answerability: the asked period is not in the ``where``."""
        years = ", ".join(map(str, query.years))
        reason = f"period {years} not in the {where}"
        return self._refuse_unmet(query, hits, builder, reason)

    def _refuse_unmet(
        self,
        query: Query,
        hits: Sequence[Hit],
        builder: CitationBuilder,
        reason: str,
        nearest: Draft | None = None,
    ) -> Draft:
        """Refused at answerability: a hard constraint (``reason``) is not in the
        evidence; ``nearest`` (else the top hit) is shown as the closest passage."""
        draft = self._refuse_with_nearest(query, hits, builder, nearest)
        return replace(draft, stage="answerability", reason=reason)

    def _refuse_with_nearest(
        self,
        query: Query,
        hits: Sequence[Hit],
        builder: CitationBuilder,
        nearest: Draft | None = None,
    ) -> Draft:
        """The refusal sentence plus the closest passage (``nearest``, else the top hit)."""
        nearest = nearest or compose_text(
            replace(query, wants_number=False, wants_person=False),
            hits[:1],
            builder,
            TextOptions(max_sentences=1, row_text=self.row_text),
        )
        label = (
            "Closest related information (does not answer the question)"
            if query.lang == "en"
            else "Närmast relaterat (besvarar inte frågan)"
        )
        text = refusal(query.lang)
        if nearest.citations:
            text = f"{text}\n\n{label}: {clean(nearest.text)}"
        return Draft(text, nearest.citations, refused=True)

    def _allowed_docs(self, query: Query, filters: Filters | None) -> list[str]:
        docs = list(self.catalog.documents)
        if filters:
            if filters.collections is not None:
                docs = [d for d in docs if d.collection in filters.collections]
            if filters.municipality:
                docs = [d for d in docs if d.municipality == filters.municipality]
            if filters.doc:
                docs = [d for d in docs if d.doc == filters.doc]
            if filters.year:
                docs = [
                    d
                    for d in docs
                    if d.year == filters.year or str(filters.year) in d.period
                ]
        narrowed = docs
        if query.doc:
            narrowed = [d for d in narrowed if d.doc == query.doc]
        elif query.municipality:
            narrowed = [d for d in narrowed if d.municipality == query.municipality]
        return [d.doc for d in narrowed]

    def _no_documents(self, query: Query, filters: Filters | None) -> str:
        if query.lang == "en":
            return (
                "No indexed document matches these filters and the question. "
                + REFUSAL_EN_HINT
            )
        return "Inget indexerat dokument matchar filtret och frågan. " + REFUSAL_SV_HINT


@dataclass(frozen=True)
class Outcome:
    """What answering a question produced, before it becomes an ``Answer``."""

    query: Query | None
    hits: list[Hit]
    facts: list[Any]
    draft: Draft
    trace: dict[str, Any]


def _refused(query: Query, stage: str, reason: str) -> Draft:
    return Draft(refusal(query.lang), (), True, stage=stage, reason=reason)


def _trace(plan: Plan, drafts: Sequence[Draft]) -> dict[str, Any]:
    """The plan's parts with the stage that decided each, and the deciding stage."""
    parts = [
        {**described, "stage": d.stage, "reason": d.reason, "features": d.features}
        for described, d in zip(plan.describe(), drafts, strict=True)
    ]
    return {"parts": parts, "stage": _deciding_stage(drafts)}


def _misses_period(
    query: Query, facts: Sequence[Fact], years_of: Callable[[Fact], set[int]]
) -> bool:
    """The part asks for years and no fact is of one: a dated fact by its column's
    year, an undated one by ``years_of`` (the years its table and document are
    about), or by the span its header names ("Medel 2020-"). An undated fact of
    unknown years may be of any."""
    if not query.years:
        return False
    for fact in facts:
        spans = {int(y) for y in YEAR.findall(fact.column)}
        years = {fact.year} if fact.year is not None else spans or years_of(fact)
        if not years or asks_for(query, years):
            return False
    return True


def _planned_only(query: Query, facts: Sequence[Fact]) -> str | None:
    """Why the figures do not answer, if they do not: every figure is a target
    ("Mål 2024") and the question asks for none (it asks what happened or is
    planned, which a target does not say); or every figure is a target or a
    forecast ("Prognos 2023") and the question, asking for neither, is in the
    past tense ("Hur många bostäder byggdes 2023?"): what was expected is not
    what happened."""
    target_words = words_of("question_words", "target_words")
    # The words of a follow-up's earlier question count ("Och för 2025?").
    if not facts or any(w.startswith(target_words) for w in words(query.search_text)):
        return None
    kinds = {f.kind for f in facts}
    if kinds == {"mål"}:
        return "only a target in the evidence, the question asks no target"
    expected = kinds <= {"mål", "prognos"} and "prognos" not in query.metrics
    if expected and asks_what_happened(query):
        return (
            "only a forecast or target in the evidence, the question asks what happened"
        )
    return None


def _resolved(query: Query, earlier: Sequence[Any]) -> Query:
    """A part that points back ("..., och vad beror det på?") to the one row an
    earlier part found ("Vilken verksamhet visar störst överskott ...") is
    searched for with that row's label: "det" is that row."""
    rows = {f.label for f in earlier if isinstance(f, Fact)}
    if len(rows) != 1 or not set(words(query.text)) & BACK_REFERENCES:
        return query
    label = rows.pop()
    # The row stands for the topic carried from the earlier part; the part's own
    # words ("budget") stay.
    topic = f"{label} {query.focus or ''}".strip()
    return replace(query, search_text=f"{label} {query.search_text}", topic=topic)


def _counts(terms: list[str], fact: Fact) -> bool:
    """The fact's figure counts the thing ``terms`` name: one of its counting
    words names it. A caption that states its own count of the thing ("Av de 15
    cheferna är åtta män ...") says the table beside it counts something else."""
    if fact.caption and states_count(fact.caption, terms):
        return False
    return coverage(terms, " ".join(_counting_words(fact))) > 0


def _counting_words(fact: Fact) -> tuple[str, ...]:
    """What a fact's figure may count: its column (with the words questions use for
    a short header: "Uppnått" counts points), its label's head, its label column's
    header and its caption, each without what it leaves out ("Medarbetare per
    avdelning exkl. chefer" counts no managers)."""
    return tuple(
        without_excluded(words)
        for words in (
            column_words(fact.column),
            label_head(fact.label),
            fact.key_header,
            fact.caption,
        )
    )


def _count_of_amount(query: Query, facts: Sequence[Fact]) -> bool:
    """The part asks how many ("Hur många arbetar på ...?") and every figure is
    an amount or a share (personnel costs in mnkr, sick leave in %): a
    neighbouring number, not a count."""
    low = query.text.lower()
    if not any(cue in low for cue in words_of("question_words", "count_cues")):
        return False
    if set(words(low)) & set(words_of("question_words", "amount_words")):
        return False  # "hur många procent", "how many million"
    units = words_of("question_words", "amount_units")
    return bool(facts) and all((f.unit or "").lower() in units for f in facts)


def _without_kind(
    query: Query, split: Callable[[str], list[str]] | None = None
) -> Query | None:
    """The query without the noun that names its rows' kind ("poster" in "Vilka
    poster ingår i ...?") and the verbs of belonging ("ingår"), which name no row
    and no table; None when no noun names a kind. A compound kind keeps its
    first part, which names the table ("investeringsposter": "investering"),
    where ``split`` parts it."""
    noun = row_kind(query.text)
    if noun is None:
        return None
    parts = split(noun) if split is not None else [noun]
    drop = {noun, *words_of("question_words", "membership_verbs")}

    def plain(text: str) -> str:
        if len(parts) == 2:  # a modifier and a head
            text = re.sub(rf"\b{re.escape(noun)}\b", parts[0], text, flags=re.I)
        return without_words(text, drop)

    return replace(
        query,
        text=plain(query.text),
        topic=plain(query.topic) if query.topic else None,
    )


def _computed(query: Query, draft: Draft) -> Draft:
    """A sentence answer with what the question asks computed from its figures: a
    change between two years, or what is left of a whole."""
    return with_level_after_change(
        query, with_remainder(query, with_stated_change(query, draft))
    )


def _level_for_change(query: Query, facts: Sequence[Fact]) -> bool:
    """ "Med hur mycket ökade budgeten genom ändringsbudgeten?" asks for a change,
    "hur mycket återstod av budgeten?" for a remainder: one period's level
    ("237,2 mnkr i budget 2023") is a neighbouring number. A row with two figures
    to subtract, or a column of changes, answers it."""
    left = set(words_of("question_words", "remainder_words"))
    asked = set(words(query.text.lower())) & (INCREASE_WORDS | DECREASE_WORDS | left)
    if not (asked and query.wants_number) or superlative(query.text):
        return False
    per_row = Counter(f.label for f in facts)
    changes = any(
        f.kind == "avvikelse" or set(words(f.column.lower())) & CHANGE_WORDS
        for f in facts
    )
    return max(per_row.values()) < 2 and not changes


def _names_its_cell(result: LookupResult | None) -> bool:
    """The question names the row (its label and table hold the question's words)
    and the column of the figures found."""
    return (
        result is not None
        and result.column_named
        and result.label_match > 0
        and result.evidence >= ROW_NAMED
    )


def _other_period(query: Query, text: str, row: bool = False) -> str | None:
    """Why ``text`` gives a figure of another period than the asked one, if it
    does: only other years ("Vad kostar X 2025?" answered by "2023 27 219 kr och
    2024 28 281 kr"), or part of a year for the whole ("helåret" answered by
    "januari till september"). Such a figure is a neighbouring number. Only for
    a question asking a figure, or a table ``row`` (its figures are by period;
    a sentence's date may be any year: "beslutad 2023-10-25")."""
    if not (query.wants_number or row):
        return None
    if part_of_year_only(query, text):
        return "the whole year is not in the evidence (part of a year only)"
    if row:
        # A row's periods are column names ending in a year ("Utfall 2021: 3");
        # a year elsewhere is a date or an id ("Diarienummer KS 2024/628").
        headers = (part.split(":")[0].strip() for part in text.split(";"))
        text = " ".join(h for h in headers if PERIOD_HEADER.search(h))
    if other_years_only(text, query):
        return f"period {', '.join(map(str, query.years))} not in the evidence"
    return None


def _other_measure(query: Query, answer_type: str, draft: Draft) -> str | None:
    """Why a figure asked of one measure ("bokslutet 2023", "målvärdet") is not
    given by a quoted passage that names only other measures ("budgeten ...
    237,2 mnkr", "utfallet uppgår till 144,0 mnkr"): a neighbouring number. The
    question names a measure by its noun (a verb such as "använder" names none);
    the passage by any of its words ("lägre än budgeterat"). A table row is
    judged by its columns in the lookup."""
    asked = set(find_metrics(" ".join(named_measures(query.text))))
    figure = query.wants_number or answer_type == "number"
    if draft.refused or draft.row or not (figure and asked):
        return None
    said = set(find_metrics(quoted_first(draft)))
    if not said or said & asked:
        return None
    return f"measure {', '.join(sorted(asked))} not in the evidence"


def _another_edition(query: Query, draft: Draft) -> str | None:
    """Why the sentence is about another year's edition of the asked thing
    ("2022 års medborgarundersökning" for the 2023 survey), if it is."""
    dated = None if draft.refused else dated_otherwise(draft.text, query)
    return f"another period: {dated}" if dated else None


def _words(key: str) -> frozenset[str]:
    return word_set("question_words", key)


def _first_sentence(draft: Draft) -> str:
    """The answer's first sentence, without its citation markers."""
    return re.split(r"(?<=[.!?])\s", clean(draft.text), maxsplit=1)[0]


def _announced_only(query: Query, draft: Draft) -> bool:
    """The question asks what something showed or came to ("Vad visade
    medborgarundersökningen hösten 2023?") and the answer's first sentence only
    says it is to come ("Under hösten 2023 kommer årets undersökning
    genomföras"), with no figure and no result."""
    if draft.refused or not set(words(query.text)) & _words("result_verbs"):
        return False
    first = _first_sentence(draft)
    said = set(words(first))
    return (
        bool(said & _words("future_markers"))
        and not said & _words("result_words")
        and not states_amount(first)
        and not re.search(r"\d+(?:[,.]\d+)?\s*%", first)
    )


def _no_amount(query: Query, answer_type: str, draft: Draft) -> str | None:
    """Why a sentence does not answer a question about money, if it does not: it
    states no amount ("Vad kostar införandet av e-förslag?" answered by the
    assignment's status). Not for a broad question, a person, a date or a cause."""
    if draft.refused or query.wants_overview or answer_type not in ("number", "text"):
        return None
    if asks_for_money(query.text) and not states_amount(draft.text):
        return "no amount in the evidence"
    return None


def _writes(doc_stems: frozenset[str], term: str) -> bool:
    """A document writes ``term``: as a word, within a compound, or as its head
    ("budget" for "driftbudget"; "kommun" is no "kommunkompass")."""
    return term in doc_stems or any(
        match_strength(term, (t,)) >= STRONG_MATCH
        or (len(t) >= MIN_ABSENT_TERM and term.endswith(t))
        for t in doc_stems
    )


def _deciding_stage(drafts: Sequence[Draft]) -> str:
    """The stage that decided: a refusing part's stage when any part refused."""
    refused = [d.stage for d in drafts if d.refused]
    return (refused or [d.stage for d in drafts] or [""])[0]


def _unique_hits(hits: Sequence[Hit]) -> list[Hit]:
    """The hits in order, each chunk once."""
    first: dict[str, Hit] = {}
    for hit in hits:
        first.setdefault(hit.chunk_id, hit)
    return list(first.values())


REFUSAL_SV_HINT = "Det framgår inte av dokumenten. Ändra filtret eller frågan."
REFUSAL_EN_HINT = "The documents do not say. Change the filters or the question."


def build_assistant(
    settings: Settings,
    generator: Generator | None = None,
    answerability: Answerability | None = None,
) -> Assistant:
    """Wire the concrete backends chosen in ``settings`` (the only place that does).

    ``generator`` replaces the one the LLM settings would make (tests pass a fake);
    ``answerability`` the shipped answer-or-refuse decision (fitting opens it).
    """
    from assistant.ingest_root import build_indexer  # heavy imports stay lazy

    reader = build_indexer(settings).open()
    chunks: Mapping[str, Chunk] = {c.chunk_id: c for c in reader.store.all_chunks()}
    r = settings.retrieval
    retriever = HybridRetriever(
        reader,
        chunks,
        RetrievalConfig(
            dense_k=r.dense_k,
            keyword_k=r.keyword_k,
            rrf_k=r.rrf_k,
            dense_weight=r.dense_weight,
            keyword_weight=r.keyword_weight,
            top_k=r.top_k,
        ),
    )
    if generator is None and settings.llm.provider != "none":
        from assistant.llm.generator import make_generator

        generator = make_generator(settings.llm)
    metas = reader.store.documents()
    known_stems = KnownStems(known_words(c.text for c in chunks.values()))
    return Assistant(
        Sources(
            store=reader.store,
            retriever=retriever,
            lookup=NumberLookup(
                reader.store,
                metas,
                vocabulary=known_stems,
                spelled=spelled_in(c.text for c in chunks.values()),
            ),
            known_stems=known_stems,
            similarity=SentenceSimilarity(
                reader.embedder,
                known=SentenceVectors.load(reader.path / SENTENCE_VECTORS),
            ),
        ),
        policy=AnswerPolicy(
            max_sentences=settings.answer.max_sentences,
            answerability=answerability or Answerability.load(),
        ),
        generator=generator,
    )
