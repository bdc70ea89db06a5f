"""The ``Assistant`` facade and ``build_assistant``, the only composition root."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from assistant.compose import (
    CitationBuilder,
    Draft,
    TextOptions,
    best_passage_coverage,
    clean,
    compose_text,
    defers_elsewhere,
    refusal,
    topic_terms,
)
from assistant.compose_number import compose_number
from assistant.gaps import GapFinder, refuse_gap
from assistant.glossary import translate
from assistant.llm import Generator
from assistant.lookup import CellSource, NumberLookup
from assistant.models import Answer, Fact, Filters, Hit, Query
from assistant.operators import superlative
from assistant.query import (
    Catalog,
    describe,
    find_municipalities,
    find_unknown_place,
    interpret,
    section_matches,
)
from assistant.retrieve import HybridRetriever, RetrievalConfig
from assistant.settings import Settings
from assistant.textmatch import KnownStems, stem, stems
from assistant.vocabulary import (
    ENGLISH_MARKERS,
    STOPWORDS,
    WORD_RE,
    content_words,
    words,
)
from corpus.models import Chunk, DocumentMeta, Section, Table


class DocumentStore(CellSource, Protocol):
    """Read access to what was indexed (implemented by ``index.tablestore``)."""

    def documents(self) -> list[DocumentMeta]: ...
    def document_lines(self, doc: str) -> tuple[str, ...]: ...
    def all_chunks(self) -> list[Chunk]: ...
    def sections(self, doc: str) -> list[Section]: ...
    def tables(self, doc: str) -> list[Table]: ...


@dataclass(frozen=True)
class AnswerPolicy:
    """Thresholds for answering vs refusing (calibrated on the dev set, see README)."""

    min_topic_coverage: float = 0.5  # share of topic words the best passage must hold
    min_row_score: float = 1.0  # lookup row score needed for a numeric answer
    prose_margin: float = (
        0.3  # how much better a prose sentence must cover the question
    )
    prose_min_support: float = 0.9  # ... and how much of it at least
    max_sentences: int = 3


HELP_SV = (
    "Ställ en fråga om planerna, till exempel: "
    '"Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?"'
)
HELP_EN = 'Ask a question about the plans, e.g. "What is the 2025 budget in Mark?"'


class Assistant:
    """Answers questions about the indexed plan documents (one public method: ask)."""

    def __init__(
        self,
        *,
        store: DocumentStore,
        retriever: HybridRetriever,
        lookup: NumberLookup,
        policy: AnswerPolicy | None = None,
        generator: Generator | None = None,
        known_stems: KnownStems | None = None,
    ) -> None:
        """``known_stems`` (stems of every corpus word) is derived from the store
        when not given."""
        self._store = store
        self._retriever = retriever
        self._lookup = lookup
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
        for c in chunks:
            found = re.findall(r"\b(?:19|20)\d\d\b", c.text)
            self._years_in.setdefault(c.doc, set()).update(int(y) for y in found)
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
        self.catalog = Catalog(docs, vocabulary)
        self._meta = {d.doc: d for d in docs}
        self._lines: dict[str, tuple[str, ...]] = {}
        self._rows: dict[str, dict[int, str]] = {}
        self._stems_known = known_stems or KnownStems(vocabulary)
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
        query, hits, facts, draft = self._answer(question or "", history, filters)
        answer = self._finish(question, query, hits, facts, draft, start)
        if self._generator is not None and query is not None and not answer.refused:
            answer = self._generator.generate(query, hits, facts, answer)
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
        query, hits, facts, draft = self._answer(question or "", history, filters)
        answer = self._finish(question, query, hits, facts, draft, start)
        if self._generator is None or query is None or answer.refused:
            yield answer
            return
        yield from self._generator.stream(query, hits, facts, answer)

    def _finish(
        self,
        question: str,
        query: Query | None,
        hits: Sequence[Hit],
        facts: Sequence[Any],
        draft: Draft,
        start: float,
    ) -> Answer:
        interpretation = ""
        if query is not None and query.carried:
            label = "Interpreted as" if query.lang == "en" else "Tolkat som"
            interpretation = f"{label}: {describe(query)}"
        return Answer(
            question=question,
            answer=draft.text,
            refused=draft.refused,
            citations=draft.citations,
            facts=tuple(facts),
            retrieved=tuple(hits),
            interpreted_query=query.describe() if query else {},
            interpretation=interpretation,
            latency_ms=(time.perf_counter() - start) * 1000,
        )

    def _answer(
        self, question: str, history: Sequence[str], filters: Filters | None
    ) -> tuple[Query | None, list[Hit], list[Any], Draft]:
        if not any(ch.isalnum() for ch in question):
            lang = "en" if question.isascii() and question.strip() else "sv"
            return None, [], [], Draft(HELP_EN if lang == "en" else HELP_SV, (), True)
        query = interpret(question, history, self.catalog)
        builder = CitationBuilder(self.document_lines, self._meta.get, self._section_of)
        if not words(query.text) or not any(
            w.isascii() or w.isalpha() for w in words(query.text)
        ):
            return query, [], [], Draft(refusal(query.lang), (), True)
        docs = self._allowed_docs(query, filters)
        if not docs:
            return query, [], [], Draft(self._no_documents(query, filters), (), True)
        if find_unknown_place(query.text, self.catalog):
            return query, [], [], Draft(refusal(query.lang), (), True)
        if query.years and not any(set(query.years) & self._years_in[d] for d in docs):
            # No document in scope mentions the asked year at all.
            return query, [], [], Draft(refusal(query.lang), (), True)
        places = find_municipalities(query.text, self.catalog)
        if len(places) >= 2 and not query.doc:
            everywhere = self._allowed_docs(replace(query, municipality=None), filters)
            return self._compare(query, places, everywhere, builder)
        hits, facts, draft = self._answer_in(query, docs, builder)
        return query, hits, facts, draft

    def _compare(
        self,
        query: Query,
        places: Sequence[str],
        docs: Sequence[str],
        builder: CitationBuilder,
    ) -> tuple[Query, list[Hit], list[Any], Draft]:
        """A question naming several municipalities is answered for each in turn,
        every part from that municipality's documents only, with one numbering."""
        parts, hits, facts = [], [], []
        for place in places:
            scoped = [d for d in docs if self._meta[d].municipality == place]
            sub = replace(query, municipality=place)
            if not scoped:
                parts.append(f"{place}: {refusal(query.lang)}")
                continue
            sub_hits, sub_facts, draft = self._answer_in(sub, scoped, builder)
            parts.append(f"{place}: {draft.text}")
            hits.extend(sub_hits)
            facts.extend(sub_facts)
        refused = all(refusal(query.lang) in p for p in parts)
        hits.sort(key=lambda h: -h.score)
        return query, hits, facts, Draft("\n\n".join(parts), builder.citations, refused)

    def _answer_in(
        self, query: Query, docs: Sequence[str], builder: CitationBuilder
    ) -> tuple[list[Hit], list[Any], Draft]:
        """Retrieve, look up and compose within ``docs``."""
        prefer = None
        if query.refs:
            refs = query.refs
            prefer = lambda c: any(section_matches(r, c.section_path) for r in refs)  # noqa: E731
        hits = self._retriever.search(
            query.search_text,
            docs,
            prefer=prefer,
            keyword_trust=self._trust(query),
            translation=self._translation(query),
        )
        if not hits:
            return hits, [], Draft(refusal(query.lang), (), True)
        gap = self._gaps.find(
            query,
            hits,
            topic_terms(query, self._naming, self._stems_known.__contains__),
        )
        if gap is not None:
            return hits, [], refuse_gap(query, gap, builder)
        looked_up = bool(query.metrics and query.years)
        # A named column kind ("Vilket budgetbehov ...") or a year ("Vad var X i
        # augusti 2023?") asks for a figure too, where a table row has one.
        asks_what = not (query.wants_person or query.wants_list)
        wants_figure = (
            query.wants_number or query.metrics or (query.years and asks_what)
        )
        if wants_figure or superlative(query.text):
            result = self._lookup.find(query, hits, docs, kinds=query.metrics)
            if result and result.row_score >= self._policy.min_row_score:
                prose = (
                    self._prose_beats(query, hits, result.evidence)
                    if result.facts and not result.ranking
                    else None
                )
                if prose is not None:
                    # Renumber through the shared builder (comparisons share one).
                    return hits, [], self._recite(prose, builder)
                if result.facts:
                    facts = [
                        replace(f, page=self._page_of(f.doc, f.line))
                        for f in result.facts
                    ]
                    draft = compose_number(
                        query,
                        facts,
                        builder,
                        self._meta.get,
                        self.document_lines,
                        ranking=result.ranking,
                    )
                    return self._with_rows_of(facts, hits), facts, draft
                if result.missing_years:
                    return hits, [], self._refuse_with_nearest(query, hits, builder)
        covered = best_passage_coverage(
            query,
            hits,
            known=self._stems_known.__contains__,
            ignore=self._naming,
            passage=self._passage_text,
        )
        if covered < self._policy.min_topic_coverage:
            return hits, [], self._refuse_with_nearest(query, hits, builder)
        options = replace(self._text_options, prose_only=looked_up)
        draft = compose_text(query, hits, builder, options)
        if not draft.refused and defers_elsewhere(draft.text):
            # "Redovisas i bilaga": the passage points to a text the corpus lacks.
            return hits, [], self._refuse_with_nearest(query, hits, builder, draft)
        return hits, [], draft

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
        builder = CitationBuilder(self.document_lines, self._meta.get, self._section_of)
        options = self._text_options  # text cells of tables count as prose here
        prose = compose_text(replace(query, wants_number=True), hits, builder, options)
        if prose.refused or prose.support < max(
            evidence + self._policy.prose_margin, self._policy.prose_min_support
        ):
            return None
        return prose

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
        column names (for table rows) or the text."""
        body = (self.row_text(hit) if hit.kind == "table" else None) or hit.text
        return f"{hit.section_path}\n{body}"

    def row_text(self, hit: Hit) -> str | None:
        """A table row as "label; Column: value; ..." (None if no row starts here)."""
        if hit.doc not in self._rows:
            rendered: dict[int, str] = {}
            for table in self._store.tables(hit.doc):
                for row in table.rows:
                    pairs = [
                        f"{clean(c.column)}: {clean(c.text)}"
                        for c in row.cells
                        if clean(c.text)
                    ]
                    label = clean(row.label)
                    rendered[row.line_start] = "; ".join(
                        ([label] if label else []) + pairs
                    )
            self._rows[hit.doc] = rendered
        rows = self._rows[hit.doc]
        found = [rows[n] for n in range(hit.line_start, hit.line_end + 1) if n in rows]
        return found[-1] if found else None

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


REFUSAL_SV_HINT = "Det framgår inte av dokumenten. Ändra filtret eller frågan."
REFUSAL_EN_HINT = "The documents do not say. Change the filters or the question."


def build_assistant(
    settings: Settings, generator: Generator | None = None
) -> Assistant:
    """Wire the concrete backends chosen in ``settings`` (the only place that does).

    ``generator`` replaces the one the LLM settings would make (tests pass a fake).
    """
    from index.build import open_index  # heavy imports stay out of `import assistant`

    embedder = make_embedder(settings)
    chroma_http = (
        (settings.chroma.host, settings.chroma.port)
        if settings.chroma.mode == "http"
        else None
    )
    reader = open_index(settings.index_dir, embedder, chroma_http=chroma_http)
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
        from assistant.llm import make_generator

        generator = make_generator(settings.llm)
    metas = reader.store.documents()
    known_stems = KnownStems(w for c in chunks.values() for w in words(c.text))
    return Assistant(
        store=reader.store,
        retriever=retriever,
        lookup=NumberLookup(reader.store, metas, vocabulary=known_stems),
        policy=AnswerPolicy(max_sentences=settings.answer.max_sentences),
        generator=generator,
        known_stems=known_stems,
    )


def make_embedder(settings: Settings) -> Any:
    """The embedder named in settings (real e5 model or the hashing fake)."""
    from index.embed import HashEmbedder, SentenceTransformerEmbedder

    if settings.embedder.kind == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(settings.embedder.model_dir)
