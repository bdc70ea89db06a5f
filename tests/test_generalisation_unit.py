"""The generalisation mechanisms on hand-made inputs, without the model.

Covers the glossary, English question terms, language detection, column words, exact
dense search, dense slots and keyword trust in retrieval, number composition (sums,
"X av Y", twin tables, rankings, owners), the number lookup (changes, sums, twins,
named columns) and empty template parts (gaps). A small plan document written here is
parsed by the real parser and stored in an in-memory table store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pytest

from assistant.answering.compose import (
    CitationBuilder,
    Draft,
    TextOptions,
    compose_text,
    defers_elsewhere,
)
from assistant.answering.compose_number import (
    _distinguishing,
    _leading_number,
    _number_pattern,
    _out_of,
    _where,
    compose_number,
)
from assistant.answering.gaps import MIN_COVERAGE, GapFinder, refuse_gap
from assistant.evidence.retrieve import HybridRetriever, RetrievalConfig, _with_slots
from assistant.language.glossary import swedish_for, translate
from assistant.language.textmatch import (
    ALTERNATIVES,
    KnownStems,
    coverage,
    known_term,
    match_strength,
    question_terms,
    stem,
    stems,
)
from assistant.language.vocabulary import column_words, detect_language, words
from assistant.models import Fact, Hit, Query
from assistant.reading.operators import (
    CHANGE_WORDS,
    TOTAL_WORDS,
    change_pair,
    year_near_superlative,
)
from assistant.reading.query import Catalog, interpret
from assistant.tables.lookup import (
    ColumnRequest,
    LookupResult,
    NumberLookup,
    _columns,
)
from corpus.models import Chunk, Document, DocumentMeta, ParsedDocument
from corpus.numbers import column_meta
from corpus.parse import parse_document
from index.tablestore import CellRecord, SqliteTableStore
from index.vectors import ChromaVectorStore, metadata_matcher

# --- a small plan document --------------------------------------------------------

MINI = "mini.txt"
MINI_TEXT = """# Nämndplan 2024

## 1 Utvärdering

Område\tProv 2024\tProv 2022\tMedel 2020-
<b>1 Styrning</b>\t50\t60\t58
<b>2 Kvalitet</b>\t45\t30\t50
<b>3 Arbetsliv</b>\t70\t66\t65
<b>Totalt</b>\t<b>165</b>\t<b>156</b>\t<b>173</b>

## 2 Grunduppdrag

Grunduppdraget beskrivs här i löpande text om nämndens uppdrag och ansvar.

### 2.1 Följetal för grunduppdraget

## 3 Mål

### 3.1 Delmål

Målet är att öka antalet företagsbesök till 80 per år.

## 4 Ekonomi

Driftbudget\tBudget 2024\tBudget 2025
Intäkter\t12,8\t14,0
Personalkostnader\t-83,0\t-85,0
Driftbudget fördelat på verksamhet\t\t
<b>Nettokostnader</b>\t<b>-70,2</b>\t<b>-71,0</b>

## 5 Lokaler

Text om lokalerna och behovet av fler mötesrum.

Behovsbeskrivning\tNär\tKategori\tPrioritering

## 6 Digitalisering

<b>Digitaliseringsplan - drift</b>\t<b>Budgetbehov kr</b>\t<b>Period</b>
E-tjänster\t400 000\t2024 - 2025
Säker kommunikation\t1 000 000\t2023 - 2024
<b>Summa</b>\t<b>1 400 000</b>\t
<b>Digitaliseringsplan investeringar</b>\t<b>Budgetbehov kr</b>\t<b>Period</b>
Servrar\t2 000 000\t2024 - 2027
Säker kommunikation\t800 000\t2024 - 2025
Kortläsare\t\t
<b>Summa</b>\t<b>2 800 0000</b>\t
"""
MINI_META = DocumentMeta(
    doc=MINI,
    title="Nämndplan 2024",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="nämndplan",
    period="2024",
    year=2024,
)
EVALUATOR_META = replace(MINI_META, doc="eval.txt", organ="SKR (extern utvärdering)")


@cache
def mini() -> ParsedDocument:
    lines = tuple(MINI_TEXT.split("\n"))
    return parse_document(Document(MINI_META, lines, "mini-hash"))


def mini_lines() -> tuple[str, ...]:
    return mini().document.lines


def line_no(start: str) -> int:
    """The 1-based line of the mini document that starts with ``start`` (unique)."""
    found = [n for n, line in enumerate(mini_lines(), 1) if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def chunk_at(line: int) -> Chunk:
    """The one chunk of the mini document that starts at ``line``."""
    found = [c for c in mini().chunks if c.line_start == line]
    assert len(found) == 1, (line, found)
    return found[0]


def hit_at(line: int) -> Hit:
    return Hit.from_chunk(chunk_at(line), 1.0)


@cache
def mini_store() -> SqliteTableStore:
    store = SqliteTableStore(":memory:")
    store.write(mini())
    return store


CATALOG = Catalog(
    (MINI_META,),
    frozenset(w for line in MINI_TEXT.split("\n") for w in words(line)),
)


def ask_lookup(question: str, hits: Sequence[Hit] = ()) -> LookupResult | None:
    query = interpret(question, [], CATALOG)
    lookup = NumberLookup(mini_store(), [MINI_META])
    return lookup.find(query, hits, [MINI], kinds=query.metrics)


def rows_of(result: LookupResult | None) -> list[tuple[str, str, str]]:
    assert result is not None
    return [(f.label, f.column, f.raw) for f in result.facts]


# --- 1. glossary -------------------------------------------------------------------


def test_translate_matches_phrases_before_their_words() -> None:
    groups, rest = translate("The board's sick leave in Mark")
    assert groups == [("styrelse", "nämnd"), ("sjukfrånvaro",)]
    # "sick" and "leave" have entries of their own; inside the phrase they are unused.
    assert rest == ["the", "in", "mark"]


def test_translate_prefers_the_longest_phrase() -> None:
    groups, rest = translate("A detailed development plan for Kinna")
    assert groups == [("detaljplan",)]
    assert rest == ["a", "for", "kinna"]


def test_translate_strips_possessive_s_with_either_apostrophe() -> None:
    straight, _ = translate("the committee's annual report")
    curly, _ = translate("the committee’s annual report")
    assert straight == curly == [("nämnd", "nämnder"), ("årsredovisning", "årsrapport")]


def test_translate_leaves_swedish_and_unknown_words_alone() -> None:
    assert translate("Hur stor är sjukfrånvaron i Kramfors") == (
        [],
        ["hur", "stor", "är", "sjukfrånvaron", "i", "kramfors"],
    )


def test_swedish_for_lists_words_in_text_order_without_repeats() -> None:
    assert swedish_for("The board's sick leave and the board's budget") == [
        "styrelse",
        "nämnd",
        "sjukfrånvaro",
        "budget",
        "budgeten",
    ]


def test_budget_and_programme_vocabulary_has_its_swedish_words() -> None:
    """Plans speak of a board's original and amended budget and of a programme's
    theme areas ("ursprunglig budget", "ändringsbudget", "temaområden")."""
    assert swedish_for("the theme areas of the programme")[:1] == ["temaområden"]
    assert swedish_for("the original budget")[:1] == ["ursprunglig"]
    assert "ändringsbudget" in swedish_for("the amended budget")


def test_what_happened_names_no_topic() -> None:
    """A question "Vad hände med X?" asks about X; the verb names no topic."""
    from assistant.language.vocabulary import content_words

    assert content_words("Vad hände med den planerade grundskolan?") == [
        "planerade",
        "grundskolan",
    ]
    assert content_words("What happened to the new school?") == ["new", "school"]


# --- 2. question terms and alternatives ----------------------------------------------


def test_english_planning_terms_become_one_term_of_alternatives() -> None:
    terms = question_terms("The committee's sick leave in Kramfors", english=True)
    assert terms == ["nämnd", "sjukfrånvaro", "kramfor"]
    assert question_terms("The committee's sick leave", english=False) == stems(
        "The committee's sick leave"
    )


def test_swedish_questions_are_matched_by_their_own_stems() -> None:
    question = "Sjukfrånvaron för kvinnor"
    assert question_terms(question) == stems(question) == ["sjukfrånvaron", "kvinn"]


def test_a_term_of_alternatives_is_as_strong_as_its_best_alternative() -> None:
    term = ALTERNATIVES.join(["internkontrollplan", "kontrollplan"])
    tokens = {"kontrollplan", "risk"}
    assert match_strength(term, tokens) == 1.0
    # Tokens may come as a one-shot iterator; each alternative still sees them all.
    assert match_strength(term, iter(["risk", "kontrollplan"])) == 1.0
    assert match_strength(term, {"budget"}) == 0.0
    assert match_strength("kontrollplan|budget", {"budgetram"}) == 1.0


def test_the_forms_of_one_change_are_one_term() -> None:
    # The stemmer leaves short verbs apart: "ökade" -> "ökad", "ökat" -> "ökat".
    asked = question_terms("Med hur mycket ökade budgeten genom ändringsbudgeten?")
    assert asked == ["ökad", "budget", "ändringsbudget"]
    written = "Efter beslut om ändringsbudget har budgeten ökat med 8,9 mnkr."
    assert coverage(asked, written) == 1.0
    assert match_strength(stem("ökade"), {stem("växer")}) == 1.0
    assert match_strength(stem("ökade"), {stem("minskat")}) == 0.0
    assert match_strength(stem("minskade"), iter([stem("minskat")])) == 1.0


def test_a_compound_is_found_inside_a_more_specific_compound() -> None:
    # "projektmodell" asked, "projektstyrningsmodellen" written: both parts, in order.
    assert match_strength("projektmodell", {"projektstyrningsmodellen"}) == 0.75
    assert match_strength("driftbudget", {"driftsbudget"}) >= 0.75
    # Only one part, or the parts in the other order, is no such compound.
    assert match_strength("projektmodell", {"projektstyrning"}) < 0.75
    assert match_strength("projektmodell", {"modellprojekt"}) < 0.75


def test_a_word_the_term_extends_by_a_whole_word_is_only_a_part_of_it() -> None:
    # "driftbudget" is a budget: "budget" alone (its head) is half of it;
    # "nämndplan" is a plan, not a board: "nämnd" alone (its first part) a
    # quarter; an ending ("genomsnittet" ~ "genomsnitt") is the same word.
    assert match_strength("driftbudget", {"budget"}) == 0.5
    assert match_strength("nämndplan", {"nämnd"}) == 0.25
    assert match_strength("nämndplan", {"nämndplan"}) == 1.0
    assert match_strength("genomsnittet", {"genomsnit"}) == 1.0


def test_a_name_question_verb_is_no_topic_term() -> None:
    assert stems("Vad heter projektmodellen?") == stems("Vad är projektmodellen?")
    assert stems("What is the model called?") == stems("What is the model?")


def test_known_term_is_true_when_any_alternative_is_known() -> None:
    corpus = {"nämnd", "budget"}.__contains__
    assert known_term("styrelse|nämnd", corpus)
    assert not known_term("styrelse|board", corpus)


# --- 3. language and column words -----------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "By how much has electricity use at Enköping's schools decreased since 2018?",
        "Which projects does Öxabäck have in Mark's plan?",
        "What is the budget for Kinnaström?",
        # A chat's lower-case municipality is a name too.
        "enköping investment budget 2024?",
    ],
)
def test_swedish_letters_in_names_do_not_make_english_swedish(question: str) -> None:
    assert detect_language(question) == "en"


@pytest.mark.parametrize(
    "question",
    [
        "Hur stor är budgeten för IT och HR i Enköping?",
        "Budget för Mark och Kramfors?",
        "Vad är Kommunkompassen?",
        "Är Öxabäck med i planen?",
        # "budget" is a Swedish word too: a question of names, abbreviations and
        # years with no other word stays in the corpus' language.
        "budget klf kramfors 2025?",
    ],
)
def test_swedish_questions_stay_swedish(question: str) -> None:
    assert detect_language(question) == "sv"


def test_a_swedish_letter_in_a_lower_case_word_still_counts_as_swedish() -> None:
    # Two English markers against "för" and the letter bonus of "sjukfrånvaro".
    assert detect_language("What is sjukfrånvaro för Mark?") == "sv"


def test_column_words_add_the_words_questions_use_for_short_headers() -> None:
    assert column_words("Max") == "Max maximal maximalt maxpoäng maximum"
    medel = column_words("Medel 2020-")
    assert medel.startswith("Medel 2020- ")
    assert {"medelvärde", "genomsnitt", "average"} <= set(medel.split())
    assert column_words("Budget 2024") == "Budget 2024"


# --- 4. exact dense search ------------------------------------------------------------

DIM = 16
N_VECTORS = 120


@dataclass(frozen=True)
class RandomStore:
    """Random vectors in a Chroma store, kept alongside for a brute-force ranking."""

    store: ChromaVectorStore
    vectors: np.ndarray
    ids: list[str]
    metas: list[dict]

    def brute_force(
        self,
        query: np.ndarray,
        k: int,
        keep: Callable[[dict], bool] = lambda meta: True,
    ) -> list[tuple[str, float]]:
        unit = self.vectors / np.linalg.norm(self.vectors, axis=1, keepdims=True)
        sims = unit @ (query / np.linalg.norm(query))
        ranked = sorted(
            (
                (self.ids[i], float(sims[i]))
                for i in range(len(self.ids))
                if keep(self.metas[i])
            ),
            key=lambda pair: -pair[1],
        )
        return ranked[:k]


@pytest.fixture(scope="module")
def random_store() -> RandomStore:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(N_VECTORS, DIM)).astype(np.float32)
    ids = [f"c{i:03d}" for i in range(N_VECTORS)]
    metas = [
        {"doc": f"d{i % 3}.txt", "year": 2023 + i % 2, "kind": "text"}
        for i in range(N_VECTORS)
    ]
    store = ChromaVectorStore.ephemeral()
    store.add(ids, vectors.tolist(), metas, [f"text {i}" for i in ids])
    return RandomStore(store, vectors, ids, metas)


def assert_same_ranking(got: list[tuple[str, float]], want: list[tuple[str, float]]):
    assert [i for i, _ in got] == [i for i, _ in want]
    assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)


def test_exact_search_equals_a_brute_force_cosine_ranking(random_store) -> None:
    rng = np.random.default_rng(11)
    for _ in range(5):
        query = rng.normal(size=DIM).astype(np.float32)
        want = random_store.brute_force(query, 15)
        assert_same_ranking(random_store.store.query(query.tolist(), 15), want)


@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ({"doc": "d1.txt"}, lambda m: m["doc"] == "d1.txt"),
        ({"doc": ["d0.txt", "d2.txt"]}, lambda m: m["doc"] in ("d0.txt", "d2.txt")),
        ({"doc": {"$in": ["d2.txt"]}}, lambda m: m["doc"] == "d2.txt"),
        ({"doc": {"$eq": "d0.txt"}}, lambda m: m["doc"] == "d0.txt"),
        (
            {"doc": "d1.txt", "year": 2024},
            lambda m: m["doc"] == "d1.txt" and m["year"] == 2024,
        ),
    ],
)
def test_exact_search_filters_like_the_brute_force_ranking(
    random_store, where: dict, keep: Callable[[dict], bool]
) -> None:
    query = np.random.default_rng(3).normal(size=DIM).astype(np.float32)
    want = random_store.brute_force(query, 12, keep)
    assert want, "the filter must keep some vectors"
    assert_same_ranking(random_store.store.query(query.tolist(), 12, where), want)


def test_small_collections_use_exact_search_and_large_ones_the_graph(
    random_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = random_store.store
    calls: list[str] = []
    exact = store._exact

    def spy(*args, **kwargs):
        calls.append("exact")
        return exact(*args, **kwargs)

    monkeypatch.setattr(store, "_exact", spy)
    query = np.ones(DIM, dtype=np.float32)
    store.query(query.tolist(), 5, {"doc": ["d0.txt", "d1.txt"]})
    assert calls == ["exact"]
    monkeypatch.setattr("index.vectors.EXACT_LIMIT", N_VECTORS - 1)
    graph = store.query(query.tolist(), 5)
    assert calls == ["exact"]  # Chroma's graph answered
    assert len(graph) == 5


def test_filter_matching_nothing_returns_nothing(random_store) -> None:
    store = random_store.store
    assert store.query([1.0] * DIM, 5, {"doc": "missing.txt"}) == []


def test_metadata_matcher_supports_values_lists_in_and_eq_only() -> None:
    match = metadata_matcher({"doc": ["a.txt", "b.txt"], "year": {"$in": [2024]}})
    assert match is not None
    assert match({"doc": "a.txt", "year": 2024})
    assert not match({"doc": "a.txt", "year": 2023})
    assert not match({"doc": "c.txt", "year": 2024})
    assert not match({"year": 2024})  # a missing key is no match
    assert metadata_matcher({"year": {"$gte": 2024}}) is None
    assert metadata_matcher({"$or": [{"doc": "a.txt"}, {"doc": "b.txt"}]}) is None


def test_unsupported_filters_are_left_to_chroma(random_store, monkeypatch) -> None:
    store, metas = random_store.store, random_store.metas

    def no_exact(*args, **kwargs):
        raise AssertionError("exact search used for a filter it cannot evaluate")

    monkeypatch.setattr(store, "_exact", no_exact)
    hits = store.query([0.5] * DIM, 8, {"year": {"$gte": 2024}})
    by_id = {f"c{i:03d}": m for i, m in enumerate(metas)}
    assert len(hits) == 8
    assert all(by_id[cid]["year"] >= 2024 for cid, _ in hits)


def test_adding_vectors_resets_the_exact_search_cache() -> None:
    store = ChromaVectorStore.ephemeral()
    meta = {"doc": "a.txt"}
    store.add(["a", "b"], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [meta, meta], ["a", "b"])
    assert store.query([0.0, 0.0, 1.0], 1, {"doc": "a.txt"})[0][0] in {"a", "b"}
    store.add(["c"], [[0.0, 0.0, 2.0]], [meta], ["c"])
    best, score = store.query([0.0, 0.0, 1.0], 1, {"doc": "a.txt"})[0]
    assert best == "c" and score == pytest.approx(1.0)
    assert store.query([0.0, 0.0, 1.0], 3)[0][0] == "c"


# --- 5. retrieval: dense slots and keyword trust ----------------------------------------


def make_chunk(chunk_id: str) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc="a.txt",
        section_path="1 A",
        line_start=1,
        line_end=1,
        text=chunk_id,
        embed_text=chunk_id,
        kind="text",
        content_hash=chunk_id,
    )


class FakeIndex:
    """A SearchIndex that returns fixed rankings."""

    def __init__(self, dense: list[str], keyword: list[str]) -> None:
        self._dense = dense
        self._keyword = keyword

    def dense(self, query: str, k: int, where=None) -> list[tuple[str, float]]:
        return [(cid, 0.9 - i / 100) for i, cid in enumerate(self._dense[:k])]

    def keyword(self, query: str, k: int, allowed=None) -> list[tuple[str, float]]:
        return [(cid, 10.0 - i) for i, cid in enumerate(self._keyword[:k])]


def retriever(dense: list[str], keyword: list[str]) -> HybridRetriever:
    chunks = {cid: make_chunk(cid) for cid in dict.fromkeys(dense + keyword)}
    return HybridRetriever(FakeIndex(dense, keyword), chunks, RetrievalConfig(top_k=5))


SHARED = [f"s{i:02d}" for i in range(12)]  # found by both rankings


def test_the_best_dense_hits_always_make_the_top_k() -> None:
    # The dense ranking's own best two are in neither the keyword ranking nor, by
    # fusion, the first five; the dense slots bring them in.
    r = retriever(["d1", "d2", *SHARED], SHARED)
    ids = [h.chunk_id for h in r.search("q")]
    assert len(ids) == 5
    assert {"d1", "d2"} <= set(ids)
    assert ids[:3] == SHARED[:3]  # the fused order of the rest is kept


def test_the_best_keyword_hit_makes_the_top_k_when_keywords_are_trusted() -> None:
    # A rare word only BM25 finds ("helårsarbetare"): its chunk is in no dense list.
    r = retriever(SHARED, ["k1", *SHARED])
    assert "k1" in [h.chunk_id for h in r.search("q")]
    assert "k1" not in [h.chunk_id for h in r.search("q", keyword_trust=0.5)]


def test_a_keyword_hit_is_scored_with_its_deep_dense_place() -> None:
    # "k1" is BM25's first and the dense ranking's 50th: beyond the 40 dense
    # candidates, so without its real place it would count as absent there and
    # fall behind passages both rankings put 40th and 11th.
    config = RetrievalConfig(top_k=5, dense_k=40, keyword_k=40, keyword_slots=0)
    filler = [f"f{i:02d}" for i in range(49)]
    dense = [*filler, "k1"]
    keyword = ["k1", *filler[30:40]]
    chunks = {cid: make_chunk(cid) for cid in dense}
    deep = HybridRetriever(FakeIndex(dense, keyword), chunks, config)
    shallow = HybridRetriever(
        FakeIndex(dense, keyword), chunks, replace(config, rank_depth=40)
    )
    place = {h.chunk_id: n for n, h in enumerate(deep.search("q", top_k=20))}
    before = {h.chunk_id: n for n, h in enumerate(shallow.search("q", top_k=20))}
    assert place["k1"] < place["f39"]  # dense 40th, BM25 11th
    assert before["k1"] > before["f39"]
    # Candidates come from the first 40 of each list only: a passage the dense
    # ranking puts 45th and BM25 not at all is no candidate.
    assert "f45" not in place


def test_dense_slots_do_not_move_hits_already_in_the_top_k() -> None:
    fused = [("a", 0.9), ("b", 0.8), ("c", 0.7), ("d", 0.6)]
    assert _with_slots(fused, ["a", "c"], 3) == fused


def test_every_dense_slot_stays_in_the_top_k() -> None:
    fused = [("x", 0.9), ("y", 0.8), ("a", 0.7), ("z", 0.6), ("b", 0.5)]
    head = [cid for cid, _ in _with_slots(fused, ["a", "b"], 3)[:3]]
    assert {"a", "b"} <= set(head)


def test_low_keyword_trust_keeps_chance_keyword_matches_out() -> None:
    dense = [f"d{i}" for i in range(8)]
    keyword = [f"k{i}" for i in range(8)]
    r = retriever(dense, keyword)
    trusted = [h.chunk_id for h in r.search("q")]
    assert any(cid.startswith("k") for cid in trusted)
    doubted = [h.chunk_id for h in r.search("q", keyword_trust=0.3)]
    assert doubted == dense[:5]
    scores = [h.score for h in r.search("q", keyword_trust=0.3)]
    assert scores == sorted(scores, reverse=True)


# --- 6. composition ----------------------------------------------------------------------


def fact(**changes) -> Fact:
    base = Fact(
        label="Servrar",
        column="Budgetbehov kr",
        value=2_000_000.0,
        raw="2 000 000",
        unit="kr",
        period="budgetbehov kr",
        year=None,
        kind="budget",
        doc=MINI,
        line=line_no("Servrar"),
        table_id="mini:t4",
        section_path="6 Digitalisering",
        caption="6 Digitalisering",
        header_line=line_no("<b>Digitaliseringsplan investeringar"),
        key_header="Digitaliseringsplan investeringar",
    )
    return replace(base, **changes)


def sv(text: str = "Hur mycket?") -> Query:
    return Query(text=text, search_text=text, lang="sv", wants_number=True)


def en(text: str = "How much?") -> Query:
    return Query(text=text, search_text=text, lang="en", wants_number=True)


def builder(lines: Sequence[str]) -> CitationBuilder:
    return CitationBuilder(lambda doc: lines, {MINI: MINI_META}.get)


def compose(
    query: Query, facts: Sequence[Fact], lines: Sequence[str], ranking=None
) -> Draft:
    return compose_number(
        query, facts, builder(lines), {MINI: MINI_META}.get, lambda d: lines, ranking
    )


def spans(draft: Draft) -> list[tuple[int, int]]:
    return [(c.line_start, c.line_end) for c in draft.citations]


@pytest.mark.parametrize(
    "text",
    [
        "Redovisas i bilaga.",
        "Nyckeltalen redovisas i bilaga 2. [1]",
        "Se bilaga 1.",
        "Indikatorerna återfinns i en separat bilaga.",
        "The indicators are listed in an appendix.",
    ],
)
def test_a_short_pointer_to_an_appendix_defers_elsewhere(text: str) -> None:
    assert defers_elsewhere(text)


@pytest.mark.parametrize(
    "text",
    [
        "Uppföljning sker i delårsrapporten och årsredovisningen. [1]",
        "Budgeten uppgår till 205,6 mnkr.",
        # A long passage with content that also points to an appendix answers.
        "Kommunstyrelsen ska leda och samordna arbetet med hållbarhetsprogrammet, "
        "följa upp målen två gånger per år, rapportera avvikelser till fullmäktige "
        "och samverka med bolagen och civilsamhället; detaljerna redovisas i "
        "bilaga 3.",
    ],
)
def test_an_answer_with_content_does_not_defer(text: str) -> None:
    assert not defers_elsewhere(text)


def test_value_and_maximum_of_one_row_read_as_x_of_y() -> None:
    got = fact(column="Uppnått", raw="4", value=4.0, unit=None, kind=None)
    top = fact(column="Max", raw="10", value=10.0, unit=None, kind=None)
    assert _out_of([got, top], "sv") == "4 av 10 (Uppnått; Max)"
    assert _out_of([top, got], "en") == "4 of 10 (Uppnått; Max)"
    # Not a value and its maximum: no "av".
    assert _out_of([got, replace(top, column="Mål")], "sv") == ""
    assert _out_of([got], "sv") == ""
    assert _out_of([got, top, replace(got, column="Medel")], "sv") == ""


def test_x_of_y_in_a_composed_answer() -> None:
    lines = ["Delområde\tUppnått\tMax", "2.1 Strategi\t12\t20"]
    got = fact(label="2.1 Strategi", column="Uppnått", raw="12", value=12.0, line=2)
    top = replace(got, column="Max", raw="20", value=20.0)
    draft = compose(sv(), [got, top], lines)
    assert '"2.1 Strategi" 12 av 20 (Uppnått; Max) [1].' in draft.text
    assert spans(draft) == [(2, 2)]


def test_leading_number_keeps_thousand_groups() -> None:
    assert _leading_number("17 000 000 kr") == "17 000 000"
    assert _leading_number("<b>15 400 000</b>") == "15 400 000"
    assert _leading_number("-205,6") == "205,6"
    assert _leading_number("inget tal") == ""


@pytest.mark.parametrize(
    "line",
    [
        "Totalt 17 000 000 kr för planen.",
        "Summan blir 17\u00a0000\u00a0000 kronor.",
        "Underskott på -17 000 000 kr.",
    ],
)
def test_number_pattern_finds_the_figure(line: str) -> None:
    assert _number_pattern("17 000 000").search(line)


@pytest.mark.parametrize(
    "line",
    [
        "Totalt 117 000 000 kr.",
        "Tryckt som 17 000 0001 i tabellen.",
        "Ramen är 17 000 000 000 kr.",
        "Beloppet 17 000 000,5 kr.",
    ],
)
def test_number_pattern_ignores_a_longer_number(line: str) -> None:
    assert not _number_pattern("17 000 000").search(line)


def summed(**changes) -> Fact:
    """The computed sum of the investment table's two rows with values."""
    first = line_no("Servrar")
    return fact(
        label="Digitaliseringsplan investeringar",
        value=2_800_000.0,
        raw="2 800 000",
        is_total=True,
        line=first,
        line_end=first + 1,
        summed_rows=2,
        **changes,
    )


def with_total_line(total: str) -> list[str]:
    lines = list(mini_lines())
    lines[line_no("<b>Summa</b>\t<b>2 800") - 1] = total
    return lines


def test_a_sum_with_a_misprinted_total_is_flagged_and_cites_rows_and_total() -> None:
    lines = mini_lines()
    draft = compose(sv(), [summed()], lines)
    first, total = line_no("Servrar"), line_no("<b>Summa</b>\t<b>2 800")
    assert "summerar de 2 raderna" in draft.text
    assert "2 800 000 kr" in draft.text
    assert 'Tabellens summarad är tryckt som "2 800 0000"' in draft.text
    assert "inte stämmer med raderna" in draft.text
    # Rows, the valueless row between them and the printed total: one citation.
    assert spans(draft) == [(first, total)]


def test_a_sum_flag_in_english() -> None:
    draft = compose(en(), [summed()], mini_lines())
    assert 'the 2 rows of "Digitaliseringsplan investeringar" add up to' in draft.text
    assert 'The total row under them prints "2 800 0000"' in draft.text


def test_a_printed_total_that_disagrees_is_flagged() -> None:
    lines = with_total_line("<b>Summa</b>\t<b>2 900 000</b>\t")
    draft = compose(sv(), [summed()], lines)
    assert 'tryckt som "2 900 000"' in draft.text


def test_a_printed_total_that_matches_is_cited_without_a_flag() -> None:
    lines = with_total_line("<b>Summa</b>\t<b>2 800 000</b>\t")
    draft = compose(sv(), [summed()], lines)
    assert "2 800 000 kr" in draft.text
    assert "tryckt som" not in draft.text and "stämmer" not in draft.text
    assert spans(draft) == [(line_no("Servrar"), line_no("<b>Summa</b>\t<b>2 800"))]


def test_a_total_below_another_row_with_values_is_not_claimed() -> None:
    lines = list(mini_lines())
    lines[line_no("Kortläsare") - 1] = "Kortläsare\t50 000\t2024"
    draft = compose(sv(), [summed()], lines)
    first = line_no("Servrar")
    assert spans(draft) == [(first, first + 1)]
    assert "tryckt som" not in draft.text


def test_twin_tables_are_told_apart_by_their_label_column_header() -> None:
    drift = fact(
        label="Säker kommunikation",
        raw="1 000 000",
        value=1_000_000.0,
        line=line_no("Säker kommunikation\t1 000 000"),
        table_id="mini:t3",
        key_header="Digitaliseringsplan - drift",
    )
    invest = fact(
        label="Säker kommunikation",
        raw="800 000",
        value=800_000.0,
        line=line_no("Säker kommunikation\t800 000"),
    )
    draft = compose(sv(), [drift, invest], mini_lines())
    assert draft.text.startswith("Frågan passar 2 tabeller:")
    assert '"Säker kommunikation" (Digitaliseringsplan - drift) 1 000 000 kr' in (
        draft.text
    )
    assert '"Säker kommunikation" (Digitaliseringsplan investeringar) 800 000 kr' in (
        draft.text
    )
    assert draft.text.endswith("Vilken menar du?")
    assert spans(draft) == [(drift.line, drift.line), (invest.line, invest.line)]


def test_distinguishing_falls_back_to_caption_then_section() -> None:
    a = fact(table_id="t1", key_header="Plan", caption="Drift", section_path="1 A")
    b = fact(
        table_id="t2", key_header="Plan", caption="Investering", section_path="1 A"
    )
    assert _distinguishing([a, b])(b) == "Investering"
    c = replace(b, caption="Drift", section_path="2 B")
    assert _distinguishing([a, c])(c) == "2 B"
    d = replace(b, key_header="Plan B")
    assert _distinguishing([a, d])(d) == "Plan B"


def test_a_ranking_by_change_leads_with_the_largest_increase() -> None:
    row = line_no("<b>2 Kvalitet")
    later = fact(
        label="2 Kvalitet",
        column="Prov 2024",
        raw="45",
        value=45.0,
        unit=None,
        kind=None,
        year=2024,
        period="Prov 2024",
        line=row,
        table_id="mini:t1",
    )
    earlier = replace(later, column="Prov 2022", raw="30", value=30.0, year=2022)
    draft = compose(sv(), [later, earlier], mini_lines(), "max-change")
    assert draft.text.startswith("Störst ökning 2022–2024 i tabellen: ")
    assert "45 − 30 = 15" in draft.text
    assert spans(draft) == [(row, row)]
    english = compose(en(), [later, earlier], mini_lines(), "max-change")
    assert english.text.startswith("Largest increase 2022–2024 in the table: ")
    smallest = compose(sv(), [later, earlier], mini_lines(), "min-change")
    assert smallest.text.startswith("Minst ökning 2022–2024")


def test_an_evaluator_is_not_named_as_the_owner_of_figures() -> None:
    assert _where(EVALUATOR_META, "sv") == "Provs kommun"
    assert _where(EVALUATOR_META, "en") == "Provs kommun"
    assert _where(MINI_META, "sv") == "Kommunstyrelsen i Provs kommun"
    assert _where(MINI_META, "en") == "Kommunstyrelsen in Provs kommun"
    two = replace(MINI_META, organ="Kommunstyrelsen / Kommunledningsförvaltningen")
    assert _where(two, "sv") == "Kommunstyrelsen i Provs kommun"
    assert _where(None, "sv") == ""


def test_an_owner_in_the_genitive_selects_no_row_even_when_alone() -> None:
    from assistant.tables.lookup import _SortedTerms

    # "kommunstyrelsens prognos": whose table, not which row.
    assert _SortedTerms(dropped=["kommunstyrels"]).terms().core == ()
    # "prognos för kommunstyrelsen": the owner named as such may select a row.
    assert _SortedTerms(optional=["kommunstyrels"]).terms().core == ("kommunstyrels",)


def test_a_result_against_the_budget_shows_the_computed_deviation() -> None:
    """A row with outcome and budget but no deviation column: the deviation the
    question asks for is computed from the printed (signed) values."""

    def result(column: str, kind: str, raw: str, value: float) -> Fact:
        return fact(
            label="Årets resultat",
            column=column,
            raw=raw,
            value=value,
            unit="tkr",
            year=2023,
            kind=kind,
        )

    outcome = result("Utfall 2023", "utfall", "740", 740.0)
    budget = result("Budget 2023", "budget", "-750", -750.0)
    asked = replace(
        sv("Resultat jämfört med budget?"), metrics=("utfall", "budget", "avvikelse")
    )
    draft = compose(asked, [outcome, budget], mini_lines())
    assert "Skillnad mot budget: 740 \u2212 (\u2212750) = 1 490 tkr." in draft.text
    # Not asked, or a deviation column printed: nothing is computed.
    assert "Skillnad" not in compose(sv(), [outcome, budget], mini_lines()).text
    printed = result("Avvikelse", "avvikelse", "1 490", 1490.0)
    assert (
        "Skillnad" not in compose(asked, [outcome, budget, printed], mini_lines()).text
    )


def test_a_number_from_an_evaluation_names_only_the_municipality() -> None:
    row = fact(doc="eval.txt", label="Totalt", raw="165", value=165.0, unit=None)
    draft = compose_number(
        sv(),
        [row],
        CitationBuilder(lambda d: mini_lines(), {"eval.txt": EVALUATOR_META}.get),
        {"eval.txt": EVALUATOR_META}.get,
    )
    assert draft.text.startswith('För Provs kommun är "Totalt" 165')
    assert "SKR" not in draft.text


def test_a_number_from_a_document_without_body_or_place_reads_without_an_owner() -> (
    None
):
    """An upload whose first page named neither body nor municipality: the row
    speaks alone ("för  är" would be a broken sentence)."""
    row = fact(doc="upload.pdf", label="Intäkter", raw="1 513,3", value=1513.3)
    for lang, start in (
        ("sv", '"Intäkter" är 1 513,3'),
        ("en", '"Intäkter" is 1 513,3'),
    ):
        query = sv() if lang == "sv" else replace(sv(), lang="en")
        draft = compose_number(
            query,
            [row],
            CitationBuilder(lambda d: mini_lines(), {}.get),
            {}.get,
        )
        assert draft.text.startswith(start), draft.text
        assert "för  " not in draft.text and "for , " not in draft.text


# --- 7. number lookup --------------------------------------------------------------------


def kompass_rows() -> dict[int, list[CellRecord]]:
    rows: dict[int, list[CellRecord]] = {}
    for c in mini_store().cells(docs=[MINI]):
        if c.table_id == "mini:t1" and not c.is_total:
            rows.setdefault(c.line, []).append(c)
    return rows


def years_query(text: str, years: tuple[int, ...]) -> Query:
    return Query(text=text, search_text=text, lang="sv", years=years)


def test_a_column_of_a_span_of_years_is_of_no_one_year() -> None:
    # "Medel 2020-" is the average of evaluations since 2020, not a 2020 score.
    years = {c.column_label: c.year for r in kompass_rows().values() for c in r}
    assert years == {"Prov 2024": 2024, "Prov 2022": 2022, "Medel 2020-": None}
    assert column_meta("Plan 2024-2025") == (None, None)
    assert column_meta("Bokslut 2022-12-31") == ("bokslut", 2022)


def test_change_pair_prefers_the_asked_years() -> None:
    years = {2020, 2022, 2024}
    assert change_pair(years_query("q", (2024, 2022)), years) == (2022, 2024)
    assert change_pair(years_query("q", (2020,)), years) == (2020, 2024)
    assert change_pair(years_query("q", (2024,)), years) == (2022, 2024)
    assert change_pair(years_query("q", ()), years) == (2022, 2024)
    assert change_pair(years_query("q", (2024,)), {2024}) is None


def test_the_year_written_nearest_the_superlative_is_ranked() -> None:
    near_2022 = "Vilket område låg högst 2022 jämfört med 2024?"
    near_2024 = "Jämfört med 2022, vilket område låg högst 2024?"
    assert year_near_superlative(years_query(near_2022, (2022, 2024))) == 2022
    assert year_near_superlative(years_query(near_2024, (2022, 2024))) == 2024
    assert year_near_superlative(years_query("Högst 2022?", (2022,))) == 2022
    assert year_near_superlative(years_query("Högst?", ())) is None


def test_rows_are_ranked_by_the_change_between_two_years() -> None:
    result = ask_lookup("Vilket område ökade mest mellan 2022 och 2024?")
    assert result is not None and result.ranking == "max-change"
    # Kvalitet +15 beats Arbetsliv +4 and Styrning −10; later year first.
    assert rows_of(result) == [
        ("2 Kvalitet", "Prov 2024", "45"),
        ("2 Kvalitet", "Prov 2022", "30"),
    ]


def test_without_a_change_word_the_year_column_is_ranked() -> None:
    result = ask_lookup("Vilket område låg högst 2022?")
    assert result is not None and result.ranking == "max"
    assert rows_of(result) == [("3 Arbetsliv", "Prov 2022", "66")]
    lowest = ask_lookup("Vilket område låg lägst 2024?")
    assert lowest is not None and lowest.ranking == "min"
    assert rows_of(lowest) == [("2 Kvalitet", "Prov 2024", "45")]


def test_the_largest_decrease_is_ranked_as_a_decrease() -> None:
    result = ask_lookup("Vilket område minskade mest mellan 2022 och 2024?")
    assert rows_of(result)[0][0] == "1 Styrning"  # 60 -> 50


def test_total_and_change_words_are_not_topic_terms() -> None:
    lookup = NumberLookup(mini_store(), [MINI_META])
    terms = lookup._terms("Hur mycket ökade kostnaderna totalt", [MINI], False)
    assert terms.core == ("kostnad",)
    assert not {stem(w) for w in TOTAL_WORDS | CHANGE_WORDS} & set(terms.core)
    english = lookup._terms("What is the total sum of the costs", [MINI], True)
    assert "summ" not in english.core and "total" not in english.core


def test_english_change_words_are_not_topic_terms() -> None:
    lookup = NumberLookup(mini_store(), [MINI_META])
    terms = lookup._terms("Which area had the largest increase", [MINI], True)
    assert all("ökning" not in t for t in terms.core), terms


def test_a_table_without_a_usable_total_is_summed() -> None:
    result = ask_lookup("Vad är den totala summan av investeringarna i planen?")
    assert result is not None
    (only,) = result.facts
    assert only.summed_rows == 2 and only.is_total
    assert only.raw == "2 800 000" and only.value == 2_800_000
    assert (only.line, only.line_end) == (
        line_no("Servrar"),
        line_no("Säker kommunikation\t800 000"),
    )


def test_a_printed_total_is_answered_as_printed_not_summed() -> None:
    result = ask_lookup("Vad är den totala summan för driften i digitaliseringsplanen?")
    assert result is not None
    (only,) = result.facts
    assert only.summed_rows == 0 and only.label == "Summa"
    assert only.raw == "<b>1 400 000</b>"


def test_a_column_of_years_is_not_summed() -> None:
    lines = MINI_TEXT.replace("800 000\t2024 - 2025", "800 000\t2025").replace(
        "2 000 000\t2024 - 2027", "2 000 000\t2024"
    )
    parsed = parse_document(Document(MINI_META, tuple(lines.split("\n")), "mini-years"))
    store = SqliteTableStore(":memory:")
    store.write(parsed)
    query = interpret("Vad är den totala summan av investeringarna?", [], CATALOG)
    result = NumberLookup(store, [MINI_META]).find(query, [], [MINI])
    assert result is not None
    assert [f.column for f in result.facts] == ["Budgetbehov kr"]


def table_hit(line: int, rank_score: float = 1.0) -> Hit:
    return Hit.from_chunk(chunk_at(line), rank_score)


def test_rows_of_twin_tables_apart_only_by_retrieval_are_both_returned() -> None:
    drift = line_no("Säker kommunikation\t1 000 000")
    invest = line_no("Säker kommunikation\t800 000")
    # Retrieval ranks the investment table first; the drift row still comes along.
    hits = [table_hit(invest), table_hit(drift)]
    result = ask_lookup("Hur mycket kostar Säker kommunikation?", hits)
    assert [(f.line, f.raw) for f in result.facts if f.column == "Budgetbehov kr"] == [
        (invest, "800 000"),
        (drift, "1 000 000"),
    ]


def test_a_question_naming_one_table_gets_no_twin() -> None:
    drift = line_no("Säker kommunikation\t1 000 000")
    result = ask_lookup("Vad kostar Säker kommunikation i driften?")
    assert result is not None
    assert {f.line for f in result.facts} == {drift}


def test_a_column_named_by_a_synonym_scores_and_is_chosen() -> None:
    result = ask_lookup("Vilket medelvärde har Kvalitet?")
    assert rows_of(result) == [("2 Kvalitet", "Medel 2020-", "50")]


def test_genomsnitt_chooses_the_average_column() -> None:
    result = ask_lookup("Hur många poäng är genomsnittet för Kvalitet?")
    assert rows_of(result) == [("2 Kvalitet", "Medel 2020-", "50")]


def test_columns_named_by_the_question_are_taken_as_asked() -> None:
    cells = kompass_rows()[line_no("<b>2 Kvalitet")]
    chosen, missing = _columns(cells, ColumnRequest((), (), terms=("medelvärd",)))
    assert [c.column_label for c in chosen] == ["Medel 2020-"] and missing == ()
    # With an asked year, the named average comes beside it ("2022, och vad
    # ligger snittet på?"); a named column of a kind does not (see below).
    chosen, _ = _columns(cells, ColumnRequest((2022,), (), terms=("medelvärd",)))
    assert [c.column_label for c in chosen] == ["Prov 2022", "Medel 2020-"]
    chosen, _ = _columns(cells, ColumnRequest((2022,), ()))
    assert [c.column_label for c in chosen] == ["Prov 2022"]
    # Another year of the asked series is no column of its own.
    chosen, _ = _columns(cells, ColumnRequest((2022,), (), terms=("prov",)))
    assert [c.column_label for c in chosen] == ["Prov 2022"]


def test_a_kind_without_years_beside_asked_years_is_one_more_column() -> None:
    """ "Startläge, 2021 och 2022": the baseline has no year, so it does not
    filter the year columns away; "Utfall 2022" (a kind with years) still does."""

    def cell(column: str, year: int | None, kind: str, raw: str) -> CellRecord:
        return replace(
            kompass_rows()[line_no("<b>2 Kvalitet")][0],
            column_label=column,
            year=year,
            kind=kind,
            raw=raw,
        )

    cells = [
        cell("Startläge", None, "startläge", "9,5"),
        cell("Utfall 2021", 2021, "utfall", "11"),
        cell("Utfall 2022", 2022, "utfall", "18,4"),
        cell("Mål 2022", 2022, "mål", "8"),
    ]
    chosen, _ = _columns(cells, ColumnRequest((2021, 2022), ("startläge",)))
    assert [c.column_label for c in chosen] == [
        "Startläge",
        "Utfall 2021",
        "Utfall 2022",
        "Mål 2022",
    ]
    chosen, _ = _columns(cells, ColumnRequest((2022,), ("utfall",)))
    assert [c.column_label for c in chosen] == ["Utfall 2022"]


def test_a_year_end_account_answers_for_the_outcome_a_row_lacks() -> None:
    """ "Hur mycket betalades ut 2025 och vad var budgeten?" over a row with
    "Budget 2025" and "Bokslut 2025": the account is the outcome."""
    base = kompass_rows()[line_no("<b>2 Kvalitet")][0]
    cells = [
        replace(base, column_label=f"{k.capitalize()} {y}", year=y, kind=k, raw=r)
        for k, y, r in (
            ("bokslut", 2024, "-297"),
            ("budget", 2025, "-342"),
            ("bokslut", 2025, "-198"),
        )
    ]
    chosen, _ = _columns(cells, ColumnRequest((2025,), ("utfall", "budget")))
    assert [c.column_label for c in chosen] == ["Budget 2025", "Bokslut 2025"]


# --- 8. gaps -----------------------------------------------------------------------------


def gap_finder(parsed: ParsedDocument | None = None) -> GapFinder:
    p = parsed or mini()
    return GapFinder(
        lambda doc: p.sections, lambda doc: p.tables, lambda doc: p.document.lines
    )


def test_a_heading_without_text_is_an_empty_section() -> None:
    line = line_no("### 2.1 Följetal")
    gap = gap_finder().empty_part(hit_at(line))
    assert gap is not None and gap.kind == "section"
    assert gap.name == "2.1 Följetal för grunduppdraget"


@pytest.mark.parametrize(
    "start",
    [
        "## 3 Mål",  # only introduces its subsection 3.1
        "## 2 Grunduppdrag",  # has text
        "### 3.1 Delmål",  # has text
        "## 4 Ekonomi",  # has a table
    ],
)
def test_sections_with_content_or_subsections_are_not_gaps(start: str) -> None:
    assert gap_finder().empty_part(hit_at(line_no(start))) is None


def test_a_table_with_only_its_header_is_an_empty_table() -> None:
    gap = gap_finder().empty_part(hit_at(line_no("Behovsbeskrivning")))
    assert gap is not None and gap.kind == "table"
    assert gap.name == "Behovsbeskrivning, När, Kategori, Prioritering"


def test_a_row_with_only_empty_cells_is_an_empty_row() -> None:
    gap = gap_finder().empty_part(hit_at(line_no("Driftbudget fördelat")))
    assert gap is not None and gap.kind == "row"
    assert gap.name == "Driftbudget fördelat på verksamhet"
    assert gap_finder().empty_part(hit_at(line_no("Personalkostnader"))) is None


def test_find_returns_the_empty_row_the_question_names() -> None:
    row = hit_at(line_no("Driftbudget fördelat"))
    content = hit_at(line_no("## 2 Grunduppdrag"))
    terms = stems("driftbudget fördelat på verksamhet")
    gap = gap_finder().find(sv("Hur är driftbudgeten fördelad?"), [content, row], terms)
    assert gap is not None and gap.hit == row


def test_a_passage_with_content_that_names_the_question_better_wins() -> None:
    table = hit_at(line_no("Behovsbeskrivning"))
    text = hit_at(line_no("## 5 Lokaler"))
    finder = gap_finder()
    asks_table = stems("lokaler behov prioritering")
    assert finder.find(sv(), [table, text], asks_table) is not None
    asks_text = stems("lokaler behov mötesrum")  # the empty table lacks "mötesrum"
    assert finder.find(sv(), [table, text], asks_text) is None


def test_an_empty_part_the_question_hardly_names_is_not_a_gap() -> None:
    row = hit_at(line_no("Driftbudget fördelat"))
    terms = stems("driftbudget personal lön övertid")
    named = f"{row.section_path} Driftbudget fördelat på verksamhet rad"
    assert coverage(terms, named) < MIN_COVERAGE
    assert gap_finder().find(sv(), [row], terms) is None
    assert gap_finder().find(sv(), [row], []) is None


def test_a_gap_below_the_top_hits_is_not_found() -> None:
    row = hit_at(line_no("Driftbudget fördelat"))
    others = [hit_at(line_no(s)) for s in ("## 2 Grunduppdrag", "### 3.1", "## 5")]
    terms = stems("driftbudget fördelat verksamhet")
    assert gap_finder().find(sv(), [*others, row], terms) is None


def test_a_section_named_by_number_is_a_gap_whatever_the_words() -> None:
    empty = hit_at(line_no("### 2.1 Följetal"))
    content = hit_at(line_no("## 2 Grunduppdrag"))
    query = interpret("Vad står i avsnitt 2.1?", [], CATALOG)
    assert query.refs == ("avsnitt 2.1",)
    terms = stems("grunduppdraget uppdrag ansvar")
    assert gap_finder().find(query, [content, empty], terms).hit == empty
    assert gap_finder().find(sv(), [content, empty], terms) is None


def test_a_chapter_named_by_number_is_not_its_empty_subsection() -> None:
    empty = hit_at(line_no("### 2.1 Följetal"))
    content = hit_at(line_no("## 2 Grunduppdrag"))
    query = interpret("Vad står om grunduppdraget i avsnitt 2?", [], CATALOG)
    assert gap_finder().find(query, [empty, content], stems("grunduppdraget")) is None


def test_a_section_whose_text_starts_with_a_number_is_not_empty() -> None:
    text = "# Plan\n\n## 2 Personal\n\n### 2.1 Bemanning\n\n12 nya medarbetare anställs under 2024\n"
    parsed = parse_document(Document(MINI_META, tuple(text.split("\n")), "n"))
    hit = Hit.from_chunk(next(c for c in parsed.chunks if c.line_start == 5), 1.0)
    assert gap_finder(parsed).empty_part(hit) is None


def test_refusing_a_gap_cites_the_empty_part_in_swedish() -> None:
    line = line_no("### 2.1 Följetal")
    gap = gap_finder().empty_part(hit_at(line))
    draft = refuse_gap(sv(), gap, builder(mini_lines()))
    assert draft.refused
    assert draft.text == (
        "Det framgår inte av dokumenten. Dokumentet har avsnittet "
        '"2.1 Följetal för grunduppdraget", men det är tomt [1].'
    )
    assert spans(draft) == [(line, line)]
    assert draft.citations[0].text == mini_lines()[line - 1]


def test_refusing_a_gap_in_english_and_for_rows_and_tables() -> None:
    row_line = line_no("Driftbudget fördelat")
    row = gap_finder().empty_part(hit_at(row_line))
    english = refuse_gap(en(), row, builder(mini_lines()))
    assert english.text == (
        'The documents do not say. The document has the row "Driftbudget fördelat '
        'på verksamhet", but it is empty [1].'
    )
    assert spans(english) == [(row_line, row_line)]
    table = gap_finder().empty_part(hit_at(line_no("Behovsbeskrivning")))
    swedish = refuse_gap(sv(), table, builder(mini_lines()))
    assert "tabellen med kolumnerna" in swedish.text
    assert swedish.text.endswith("men den är tom [1].")


# --- compounds and inflections --------------------------------------------------------


VOCABULARY = KnownStems(
    "digitalisering investeringarna investering budget effektivitet "
    "genomsnitt markförvärv driftbudget".split()
)


def test_a_compound_the_corpus_never_writes_whole_is_split_into_known_words() -> None:
    assert VOCABULARY.split("digitaliseringsinvesteringarna") == [
        "digitalisering",
        "investeringarna",
    ]


@pytest.mark.parametrize("word", ["driftbudget", "effektivitet", "kommunkompassen"])
def test_known_and_unknown_whole_words_are_not_split(word: str) -> None:
    assert VOCABULARY.split(word) == [word]


def test_compound_parts_count_as_known() -> None:
    assert "förvärv" in VOCABULARY  # only written inside "markförvärv"
    assert "bibliotek" not in VOCABULARY


def test_an_inflected_form_matches_fully_but_a_compound_head_only_partly() -> None:
    assert match_strength(stem("genomsnittet"), {stem("genomsnitt")}) == 1.0
    assert match_strength("digitaliseringsinvestering", {"digital"}) == 0.25
    assert match_strength("digitaliseringsinvestering", {"investering"}) == 0.5


# --- who and when ------------------------------------------------------------------------


def test_a_date_says_when_better_than_a_bare_year() -> None:
    from assistant.answering.compose import _time_bonus

    assert _time_bonus("Bytet genomfördes 31 augusti.") == 0.5
    assert _time_bonus("Arbetet ska vara klart våren 2024.") == 0.5
    assert (
        _time_bonus("Som del av åtgärderna för 2023 har funktionerna flyttats.") == 0.2
    )
    assert _time_bonus("Funktionerna har flyttats.") == 0.0


def test_a_role_answers_who_is_responsible_but_not_who_holds_a_role() -> None:
    from assistant.answering.compose import NAME_ASKED, _names_someone

    def no_names(pair: str) -> bool:
        return False

    sentence = "Gruppen leds av förvaltningschefen inom socialförvaltningen."
    assert _names_someone(sentence, no_names)
    assert NAME_ASKED.search("Vem är kommundirektör i Mark?")
    assert not NAME_ASKED.search("Vem leder gruppen för kompetensförsörjning?")
    # Whoever is responsible is most often a unit or a role, not a name.
    assert not NAME_ASKED.search("Vem är ansvarig för kontrollpunkten?")
    assert not NAME_ASKED.search("Who is responsible for the follow-up?")
    # A group's members are most often roles ("personalchef, räddningschef").
    assert not NAME_ASKED.search("Who is in the preparation group?")
    assert not NAME_ASKED.search("Vem är med i krisledningsgruppen?")
    assert not _names_someone(sentence, no_names, name_asked=True)
    assert not _names_someone("Arbetet pågår under året.", no_names)


def test_a_name_answers_who_better_than_a_role() -> None:
    from assistant.answering.compose import _someone_named
    from assistant.reading.query import interpret

    def names(pair: str) -> bool:
        return pair == "Cecilia Björnram"

    who = interpret("Vem gjorde utvärderingen?", [], CATALOG)
    named = "Utvärderingen gjordes av SKR och Cecilia Björnram från Varberg."
    role = "Utvärderingen gjordes av SKR."
    assert _someone_named(who, named, names, strict=False) == 1.0
    assert _someone_named(who, role, names, strict=False) == 0.5
    assert _someone_named(who, "Utvärderingen gjordes i mars.", names, False) == 0.0
    what = interpret("Vad kostade utvärderingen?", [], CATALOG)
    assert _someone_named(what, named, names, strict=False) == 0.0


def test_a_lead_in_is_quoted_with_all_its_items() -> None:
    from assistant.answering.compose import Sentence, _with_whole_list

    def s(text: str, line: int) -> Sentence:
        return Sentence(text, line, 1, 0.5)

    lead = s("Information hämtas från tre källor:", 41)
    items = [s("- Intervjuer", 43), s("- Styrdokument", 44), s("- Hemsidan", 45)]
    after = s("Varje område har flera delområden.", 47)
    chosen = [lead, *items[:2]]  # three sentences at most
    assert _with_whole_list(chosen, [*items, after]) == [lead, *items]
    # Sentences that are no list keep the limit.
    prose = [s("Det går bra.", 41), s("Budgeten håller.", 42)]
    assert _with_whole_list(prose, [after]) == prose
    # A list too long to quote is not forced in.
    long_items = [s("- " + "ord " * 60, 43 + n) for n in range(3)]
    assert _with_whole_list([lead, long_items[0]], long_items) == [lead, long_items[0]]


def test_a_count_is_not_answered_by_an_amount_or_a_share() -> None:
    from assistant.app import _count_of_amount

    costs = [fact(label="Personalkostnader", unit="mnkr", raw="103,0")]
    share = [fact(label="Sjukfrånvaro alla anställda (%)", unit="%", raw="4")]
    heads = [fact(label="Totalt", unit=None, raw="138")]
    assert _count_of_amount(sv("Hur många arbetar på förvaltningen?"), costs)
    assert _count_of_amount(sv("How many employees does Mark have?"), share)
    assert not _count_of_amount(sv("Hur många arbetar på förvaltningen?"), heads)
    # The question asks for the amount itself, or no count at all.
    assert not _count_of_amount(sv("Hur många procent är sjukfrånvaron?"), share)
    assert not _count_of_amount(sv("Hur mycket kostar personalen?"), costs)


def test_an_undated_figure_is_of_its_documents_years() -> None:
    """A report's undated columns ("Helår Prognos") hold the figures of the years it
    is about: asked for another year, the figure is a neighbouring number."""
    from assistant.app import _misses_period

    def years_of(f: Fact) -> set[int]:
        return {"report2026.pdf": {2025, 2026}}.get(f.doc, set())

    undated = fact(doc="report2026.pdf", year=None)
    ask = replace(sv(), years=(2023,))
    assert _misses_period(ask, [undated], years_of)
    assert not _misses_period(replace(sv(), years=(2026,)), [undated], years_of)
    # A document of unknown years cannot rule the figure out.
    assert not _misses_period(ask, [fact(doc="unknown.pdf", year=None)], years_of)
    # A dated figure counts by its own year.
    assert _misses_period(ask, [fact(doc="unknown.pdf", year=2024)], years_of)
    assert not _misses_period(ask, [undated, fact(year=2023)], years_of)


def test_a_change_between_two_years_is_computed_beside_a_budget_column() -> None:
    """Outcomes of 2024 and 2025 and a budget 2025 in one row: the change is
    between the two outcomes (the one pair of one kind in two years)."""
    row = dict(label="Besökare", unit=None, table_id="t:9", line=5)
    facts = [
        fact(
            **row,
            column="Bokslut 2024",
            raw="10 398",
            value=10398.0,
            year=2024,
            kind="bokslut",
        ),
        fact(
            **row,
            column="Bokslut 2025",
            raw="13 818",
            value=13818.0,
            year=2025,
            kind="bokslut",
        ),
        fact(
            **row,
            column="Budget 2025",
            raw="11 000",
            value=11000.0,
            year=2025,
            kind="budget",
        ),
    ]
    text = compose(
        sv("Hur mycket ökade besökarna från 2024 till 2025?"), facts, mini_lines()
    ).text
    assert "13 818 − 10 398 = 3 420" in text
    # Two pairs (outcomes and budgets of two years): no single change to compute.
    budgets = [
        fact(
            **row,
            column="Budget 2024",
            raw="9 000",
            value=9000.0,
            year=2024,
            kind="budget",
        )
    ]
    text = compose(sv(), facts + budgets, mini_lines()).text
    assert "=" not in text


def test_an_undated_row_of_a_report_about_the_asked_year_is_not_penalised() -> None:
    from types import SimpleNamespace

    from assistant.tables.lookup import _year_fit

    undated = [SimpleNamespace(year=None)]
    dated = [SimpleNamespace(year=2025), SimpleNamespace(year=2026)]
    assert (
        _year_fit(undated, (2026,), {2025, 2026}) == 0.0
    )  # "Helår Prognos", 2026 report
    assert _year_fit(undated, (2023,), {2025, 2026}) == -0.75
    assert _year_fit(dated, (2026,), set()) == 0.75
    assert _year_fit(dated, (2024,), set()) == -0.25


def test_the_noun_after_the_question_word_names_the_kind_of_row() -> None:
    from assistant.reading.operators import row_kind, without_words

    question = "Vilken verksamhet i detaljbudgeten minskar mest från 2024 till 2025?"
    assert row_kind(question) == "verksamhet"
    assert without_words(question, {"verksamhet"}).startswith("Vilken i detaljbudgeten")
    assert row_kind("Which item is the biggest in 2027?") == "item"
    assert row_kind("Vilka har högst riskvärde?") is None  # no noun: a verb follows


def test_a_fall_between_two_years_is_printed_as_a_right_sum() -> None:
    row = dict(label="Valnämnd", unit="tkr", table_id="t:9", line=5, kind="budget")
    facts = [
        fact(**row, column="Budget 2024", raw="650", value=650.0, year=2024),
        fact(**row, column="Budget 2025", raw="54", value=54.0, year=2025),
    ]
    text = compose(sv(), facts, mini_lines()).text
    assert "minskar från 2024 till 2025: 650 − 54 = 596 tkr" in text


def _table_hit(doc: str, table_id: str, line: int) -> Hit:
    return Hit(
        f"{doc}:{line}", doc, "1", line, line, "", "table", 0.9, table_id=table_id
    )


def _lookup_over(text: str, doc: str, **meta: str) -> NumberLookup:
    """A lookup over the tables of one small document ``text`` named ``doc``."""
    meta_of = replace(MINI_META, doc=doc, **meta)
    store = SqliteTableStore(":memory:")
    store.write(parse_document(Document(meta_of, tuple(text.split("\n")), doc)))
    return NumberLookup(store, [meta_of])


def test_a_superlative_ranks_a_table_only_when_the_table_says_what_is_asked() -> None:
    """ "Vilket område ligger högst?" ranks the areas (the label column says
    "Område"); "Vilka är de största utmaningarna?" names nothing of the table, so
    its rows are no answer."""
    lookup = NumberLookup(mini_store(), [MINI_META])
    hits = [_table_hit(MINI, "mini:t1", line_no("<b>1 Styrning"))]
    asked = interpret("Vilket område ligger högst?", [], CATALOG)
    assert lookup.rank_retrieved(asked, hits, [MINI]) is not None
    broad = interpret("Vilka är de största utmaningarna?", [], CATALOG)
    assert lookup.rank_retrieved(broad, hits, [MINI]) is None


def test_a_column_with_a_single_value_is_not_the_ranking_column() -> None:
    """A description column where one row happens to hold a figure ("2 st") is
    last, but ranks nothing: the year column is ranked."""
    text = (
        "# Plan\n\n## 1 Investeringar\n\n"
        "Projekt\t2025\tBeskrivning\n"
        "Skolgården\t100\t\n"
        "Sporthallen\t300\t\n"
        "Skyltar\t200\t2 st\n"
    )
    lookup = _lookup_over(text, "inv.txt")
    question = interpret("Vilket projekt är störst?", [], CATALOG)
    hits = [_table_hit("inv.txt", "inv:t1", 6)]
    result = lookup.rank_retrieved(question, hits, ["inv.txt"])
    assert result is not None
    assert (result.facts[0].label, result.facts[0].column) == ("Sporthallen", "2025")


def test_a_header_comparing_with_the_budget_holds_a_deviation() -> None:
    from assistant.reading.operators import is_deviation_column

    assert is_deviation_column("Avvikelse prognos mot budget")
    assert is_deviation_column("mot budget helår")  # what a two-row header left
    assert is_deviation_column("Budgetavvikelse")
    assert not is_deviation_column("Budget helår")
    assert not is_deviation_column("Prognos 2023")


def test_a_row_naming_only_the_asked_organisation_does_not_carry_the_topic() -> None:
    """ "Hur många IT-system äger kommunstyrelsen?": the budget row
    "Kommunstyrelse" names the organisation only, not the IT systems."""
    from assistant.tables.lookup import Terms, _carries_topic

    base = kompass_rows()[line_no("<b>2 Kvalitet")][0]
    budget_row = replace(
        base, row_label="Kommunstyrelse", caption="Budget", section_path="4 Ekonomi"
    )
    systems_row = replace(budget_row, row_label="IT-system i förvaltningen")
    terms = Terms(core=("it", "system", "kommunstyr"), organs=("kommunstyr",))
    assert not _carries_topic(budget_row, terms, "Budget 2025")
    assert _carries_topic(systems_row, terms, "Budget 2025")
    # A question about the organisation alone is carried by its row.
    alone = Terms(core=("kommunstyr",), organs=("kommunstyr",))
    assert _carries_topic(budget_row, alone, "Budget 2025")


def test_a_hyphenated_translation_the_corpus_writes_apart_keeps_its_parts() -> None:
    """ "IT systems" becomes "it-system"; the corpus's words are "it" and
    "system" (its tokens split at the hyphen), so the term is known and found
    part by part, not dropped."""
    from assistant.language.textmatch import KnownStems

    known = KnownStems(["it", "system", "kommunstyrelsen", "budget"])
    lookup = NumberLookup(mini_store(), [MINI_META], known)
    terms = lookup._terms("how many it systems", [MINI], english=True)
    assert terms.core == ("it-system",)
    assert match_strength("it-system", stems("Kostnader för IT-system")) == 1.0


def _lookup_over(text: str, doc: str, **meta_fields: str) -> NumberLookup:
    """A number lookup over one small document parsed from ``text``."""
    meta = replace(MINI_META, doc=doc, **meta_fields)
    store = SqliteTableStore(":memory:")
    store.write(parse_document(Document(meta, tuple(text.split("\n")), doc)))
    return NumberLookup(store, [meta])


def _find_over(text: str, doc: str, question: str) -> LookupResult | None:
    """The lookup's answer to ``question`` over one small document."""
    asked = interpret(question, [], CATALOG)
    return _lookup_over(text, doc).find(asked, [], [doc], asked.metrics)


def test_a_lettered_row_is_named_by_its_text_and_found_by_it() -> None:
    """A fee table numbers its rows "b)", "d)" in a column without a header: the
    row is named by the text beside the letter, the letter does not dilute the
    match, and the asked total is read from the row, not from a look-alike row
    of another table."""
    text = (
        "# Taxa\n\n## 5 Anläggningsavgifter\n\n"
        "\t\tV\tS\tTOTAL AVGIFT\n"
        "b)\tFörbindelsepunktsavgift\t16 583 kr\t18 242 kr\t61 359 kr\n"
        "d)\tBostadsenhetsavgift\t10 509 kr\t11 560 kr\t22 069 kr\n"
        "e)*\tAvgift för dagvatten\t-\t-\t35 909 kr\n\n"
        "## 6 Reducering\n\n"
        "\tParagraf\tBOSTADSFASTIGHET\n"
        "Bostadsenhetsavgift\t5.1 d)\t100%\n"
        "Servisavgift\t5.1 a)\t70%\n"
    )
    meta = replace(MINI_META, doc="taxa.txt")
    fees = parse_document(Document(meta, tuple(text.split("\n")), "taxa")).tables[0]
    assert [r.label for r in fees.rows] == [
        "b) Förbindelsepunktsavgift",
        "d) Bostadsenhetsavgift",
        "e)* Avgift för dagvatten",
    ]
    assert [c.column for c in fees.rows[1].cells] == ["V", "S", "TOTAL AVGIFT"]
    lookup = _lookup_over(text, "taxa.txt")
    asked = interpret("bostadsenhetsavgift totalt?", [], CATALOG)
    result = lookup.find(asked, [], ["taxa.txt"])
    assert result is not None
    assert [(f.label, f.raw) for f in result.facts] == [
        ("d) Bostadsenhetsavgift", "22 069 kr")
    ]


def test_a_code_with_digits_stays_one_word_of_an_english_question() -> None:
    # "DN40" (a meter size) names the row "g) DN40"; a figure alone is no word.
    groups, rest = translate("What is the annual meter fee for a DN40 meter in 2026?")
    assert ("avgift", "taxa") in groups
    assert "dn40" in rest and "2026" not in rest


@pytest.mark.parametrize(
    "question",
    [
        "Vad menas med lägsta acceptabla nivå?",
        "What is meant by the highest risk level?",
    ],
)
def test_a_superlative_inside_a_term_asked_to_be_explained_ranks_nothing(
    question: str,
) -> None:
    from assistant.reading.operators import superlative

    assert superlative(question) is None
    assert superlative("Vilken risk har lägst nivå?") == "min"


def test_a_table_row_is_read_with_its_column_names() -> None:
    """ "vad används el till i kostverksamheten?": the row says "El" under
    "Kritiska beroenden", so it covers the question better than the table's
    header line (in the first row's passage), which names only the columns."""
    header = "Samhällsviktiga verksamheter\tKritiska beroenden\tAnvändningsområde"
    first = "Vård- och omsorg\tEl\tVärme i boendeenheter."
    asked = "Kostverksamhet\tEl\tSpisar, ugnar, kylar."
    rows = {
        2: "Vård- och omsorg; Kritiska beroenden: El; Användningsområde: Värme",
        3: "Kostverksamhet; Kritiska beroenden: El; Användningsområde: Spisar, ugnar",
    }
    hits = [
        Hit("d:3", "d.txt", "3 Beroenden", 3, 3, asked, "table", 0.9),
        Hit("d:1", "d.txt", "3 Beroenden", 1, 2, f"{header}\n{first}", "table", 0.8),
    ]
    lines = [header, first, asked]
    builder = CitationBuilder(lambda d: lines, lambda d: None)

    def row_text(hit: Hit) -> str:
        return rows[max(n for n in rows if hit.line_start <= n <= hit.line_end)]

    options = TextOptions(row_text=row_text, max_sentences=1)
    question = (
        "I tabellen över kritiska beroenden, vad används el till i kostverksamheten?"
    )
    query = Query(text=question, search_text=question, lang="sv")
    draft = compose_text(query, hits, builder, options)
    assert draft.text.startswith("Kostverksamhet; Kritiska beroenden: El")
    assert draft.citations[0].line_start == 3


def test_a_row_named_by_the_whole_asked_word_beats_a_total_under_that_column() -> None:
    """ "budgetavvikelse" names the row "Budgetavvikelse" whole (its metric head is
    not cut off), and that row is the asked kind itself; a project table's total
    under a column "varav årets budgetavvikelse" names the word only in a header."""
    text = (
        "# Bokslut\n\n## 1 Ekonomi\n\n"
        "Tkr\t2024\t2025\n"
        "Nettokostnad\t-61 000\t-62 049\n"
        "Budgetavvikelse\t93\t1 070\n\n"
        "## 2 Investeringar\n\n"
        "Projekt\tBudget 2025\tUtfall 2025\tvarav årets budgetavvikelse\n"
        "Bibliotek\t0,850\t0,942\t-0,092\n"
        "Idrottsplats\t9,675\t4,461\t5,214\n"
        "Summa investeringsprojekt\t10,525\t5,403\t5,122\n"
    )
    result = _find_over(text, "bokslut.txt", "Hur stor var budgetavvikelsen 2025?")
    assert result is not None
    assert [(f.label, f.raw) for f in result.facts] == [("Budgetavvikelse", "1 070")]


def test_a_list_question_naming_a_column_lists_the_rows_under_it() -> None:
    """ "Vilka tjänster debiteras per påbörjad timme?" names the column, not a row:
    every row of that table is listed with its value in the column."""
    text = (
        "# Taxa\n\n## 17 Särskilda åtgärder\n\n"
        "Tjänst\tAvgift per påbörjad timme\n"
        "Nedtagning av vattenmätare\t1 444 kr\n"
        "Uppsättning av vattenmätare\t1 444 kr\n"
        "Förgävesbesök\t1 444 kr\n"
    )
    lookup = _lookup_over(text, "taxa17.txt", title="VA-taxa 2026")
    asked = interpret("Vilka tjänster debiteras per påbörjad timme?", [], CATALOG)
    result = lookup.named_rows(asked, [], ["taxa17.txt"])
    assert result is not None
    assert result.ranking == "listed-column:Avgift per påbörjad timme"
    assert [f.label for f in result.facts] == [
        "Nedtagning av vattenmätare",
        "Uppsättning av vattenmätare",
        "Förgävesbesök",
    ]


def test_a_ranking_keeps_the_asked_year_when_no_column_is_of_the_asked_kind() -> None:
    """ "störst belopp 2025 i investeringsbudgeten" asks for a budget, but the
    table's year columns have no kind: the asked year (a hard constraint) picks
    the column, not the table's last one."""
    text = (
        "# Plan\n\n## 10 Investeringsbudget\n\n"
        "Investeringsprojekt, tkr\t2025\t2026\t2027\n"
        "Konstgräs\t4 500\t\t\n"
        "Idrottshallen\t\t10 000\t40 000\n"
        "Reserv\t6 795\t5 000\t5 000\n"
    )
    lookup = _lookup_over(text, "inv2025.txt")
    asked = interpret(
        "Vilket investeringsprojekt har störst belopp 2025 i investeringsbudgeten?",
        [],
        CATALOG,
    )
    hits = [_table_hit("inv2025.txt", "inv2025:t1", 6)]
    result = lookup.rank_retrieved(asked, hits, ["inv2025.txt"])
    assert result is not None
    assert (result.facts[0].label, result.facts[0].column) == ("Reserv", "2025")


def test_a_question_naming_a_row_and_a_column_of_figures_names_their_cell() -> None:
    """ "Vilket riskvärde har Upprätthålla drift?" names the row and the column:
    the result says so (the answer then comes from the table); a question that
    names no column gets no such mark."""
    text = (
        "# Plan\n\n## 6 Internkontroll\n\n"
        "Huvudprocess\tSannolikhet\tRiskvärde\tKontrollmoment\n"
        "Upprätthålla drift\tSannolik\t20\tUppföljning av rutiner\n"
        "Externa samarbeten\tMöjlig\t12\tKontroll av avtal\n"
    )
    result = _find_over(text, "ik.txt", "Vilket riskvärde har Upprätthålla drift?")
    assert result is not None and result.column_named
    assert [(f.label, f.raw) for f in result.facts] == [("Upprätthålla drift", "20")]
    found = _find_over(text, "ik.txt", "Vad gäller för Upprätthålla drift?")
    assert found is None or not found.column_named


def test_a_chat_question_ending_on_a_time_cue_asks_when() -> None:
    assert interpret("tidigare utvärderingar mark vilka år", [], CATALOG).wants_time
    assert interpret("planen beslutad när?", [], CATALOG).wants_time
    # Another question word before it: the time is one part of a larger question.
    asked = interpret("ådalshallen overhaul – how much and which years?", [], CATALOG)
    assert not asked.wants_time


def _text_over(question: str, passage: str, **options: object) -> Draft:
    """``compose_text`` for ``question`` over one passage."""
    lines = passage.split("\n")
    hit = Hit("p:1", "p.txt", "2 Ekonomi", 1, len(lines), passage, "text", 0.9)
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    query = interpret(question, [], CATALOG)
    return compose_text(query, [hit], builder, TextOptions(**options))  # type: ignore[arg-type]


def test_the_measure_a_question_names_chooses_the_sentence_stating_it() -> None:
    """ "Hur stort överskott ... på investeringarna?": the sentence naming the
    surplus, read with the sentence before it (the investment budget), answers;
    a verb of the measure ("kostade") does not outweigh the asked topic."""
    passage = (
        "Nämndens investeringsbudget är på 15,3 mnkr. Nämnden prognostiserar ett "
        "överskott på 4,4 mnkr för året. Driftsbudgeten uppgår till 237,2 mnkr."
    )
    draft = _text_over(
        "Hur stort överskott blir det på investeringarna?", passage, max_sentences=1
    )
    assert "4,4 mnkr" in draft.text.split("[")[0], draft.text
    passage = (
        "Övertidsersättningen för perioden uppgår till 163 974 kronor.\n"
        "Kommunstyrelsens sammanlagda kostnader för arbetad tid uppgår till 43 313 527 kronor."
    )
    draft = _text_over("Vad kostade övertiden för kommunstyrelsen?", passage)
    assert draft.text.startswith("Övertidsersättningen"), draft.text


def test_only_a_question_for_a_figure_is_read_by_its_measure() -> None:
    from assistant.answering.compose import _asks_figure

    def asks(question: str) -> bool:
        return _asks_figure(interpret(question, [], CATALOG))

    assert asks("Vilket målvärde gäller för lokaler 2014?")
    assert asks("Hur stort överskott blir det?")
    assert not asks("Varför redovisar nämnden ett överskott?")
    assert not asks("Vad innebär anslagsbindningsnivån?")
    assert not asks("Vem ansvarar för budgeten?")


def test_a_sentence_right_above_list_items_is_quoted_with_the_whole_list() -> None:
    passage = (
        "I reglementet beskrivs styrelsens uppgifter i tre delar.\n\n"
        "- Lednings- och styrfunktion\n- Uppsikts- och uppföljningsfunktion\n"
        "- Särskilda uppgifter\n\nSammantaget har styrelsen ett stort ansvar."
    )
    draft = _text_over("styrelsens uppgifter enligt reglementet", passage)
    assert "Särskilda uppgifter" in draft.text, draft.text
    assert "Sammantaget" not in draft.text, draft.text


def test_a_signature_block_reads_as_one_text_and_figures_lines_do_not() -> None:
    from assistant.answering.compose import paragraphs

    block = paragraphs("Daniel Nilsson\nEkonomichef\nEnköpings kommun", 1)
    assert [p.text for p in block] == ["Daniel Nilsson Ekonomichef Enköpings kommun"]
    rows = paragraphs("Intäkter 12 345\nKostnader 13 456", 1)
    assert len(rows) == 2


def test_a_line_of_figures_by_year_goes_on_with_the_line_it_completes() -> None:
    """A PDF's target statement and its line "2009 – 13508 MWh, 2014 – ..." are one
    text (a year opening a line is no section number)."""
    from assistant.answering.compose import paragraphs

    text = (
        "Köpt energi avseende lokaler ska minska med 12 % till 2014 och 25 %\n"
        "till 2020\n"
        "2009 – 13508 MWh, 2014 – 11887 MWh, 2020 – 10131 MWh"
    )
    (only,) = paragraphs(text, 1)
    assert "lokaler" in only.text and "11887 MWh" in only.text


def test_a_full_stop_after_an_abbreviation_ends_no_sentence() -> None:
    from assistant.answering.compose import split_sentences

    text = "Kostnaden inkl. Vansbrohem ligger på 22 373 kr. Uppgifterna är t.ex. Nya."
    assert split_sentences(text) == [
        "Kostnaden inkl. Vansbrohem ligger på 22 373 kr.",
        "Uppgifterna är t.ex. Nya.",
    ]
    listed = "Använd principen: 1. Tänk om, 2. Optimera. Antalet är 12. Det räcker."
    assert split_sentences(listed) == [
        "Använd principen: 1. Tänk om, 2. Optimera.",
        "Antalet är 12.",
        "Det räcker.",
    ]


def test_a_glossary_phrase_is_found_without_its_grammar_words() -> None:
    """A question's topic drops stop words ("head finance"); the phrase "head of
    finance" still translates."""
    assert translate("head finance")[0] == [("ekonomichef",)]
    assert translate("Who is the head of finance?")[0] == [("ekonomichef",)]


def test_a_partitive_count_counts_the_noun_after_it() -> None:
    from assistant.answering.compose import states_count

    assert states_count("6 av fordonen är miljöbilar.", ["miljöbil"])
    assert not states_count("6 stora och fina miljöbilar.", ["miljöbil"])


def test_a_named_measure_asks_for_a_figure_in_the_sentence() -> None:
    """ "Vilket målvärde ... år 2014?" names a measure and no "hur många": its
    sentences are scored for a figure, and one of 2009 only is of another year."""
    from assistant.answering.compose import answer_units

    passage = (
        "Energianvändningen till kommunens lokaler var 2009, 13508 MWh.\n\n"
        "Köpt energi till lokaler: 2009 – 13508 MWh, 2014 – 11887 MWh."
    )
    hit = Hit("p:1", "p.txt", "2 Energi", 1, 3, passage, "text", 0.9)
    query = interpret("Vilket målvärde gäller för lokaler år 2014?", [], CATALOG)
    assert query.metrics and not query.wants_number
    units = answer_units(query, [hit], TextOptions(), ["lokal"])
    features = {u.sentence.text[:18]: u.features for u in units}
    assert features["Köpt energi till l"]["has_number"] == 1.0
    assert features["Energianvändningen"]["other_year"] == 1.0


def test_a_list_item_wrapped_over_lines_is_listed_whole() -> None:
    """A PDF wraps an item over lines without a marker on the next: the item goes
    on there until a blank line, a marker or a heading."""
    passage = (
        "Kommunen ska göra följande åtgärder:\n\n"
        "1. Varje nytt fordon som köps in ska vara\n"
        "ett miljöfordon\n\n"
        "2. En resepolicy ska tas\n"
        "fram och göras känd\n"
    )
    draft = _text_over("Vilka åtgärder ska kommunen göra?", passage)
    assert "ska vara ett miljöfordon" in draft.text, draft.text
    assert "tas fram och göras känd" in draft.text, draft.text


def test_a_counted_thing_the_documents_never_name_is_still_what_is_counted() -> None:
    """ "hur många bilar" of documents without "bil" counts cars all the same (no
    figure of theirs counts them); an English word without a translation cannot
    be judged, a translated one can ("tonnes" -> "ton")."""
    from assistant.reading.counted import counted_terms

    def unknown(term: str) -> bool:
        return False

    swedish = interpret("Hur många bilar har förvaltningen?", [], CATALOG)
    assert counted_terms(swedish, unknown) == ["bil"]
    translated = interpret("How many tonnes did the town emit?", [], CATALOG)
    assert counted_terms(translated, unknown) == ["ton"]
    untranslated = interpret("How many zorblats does the town own?", [], CATALOG)
    assert counted_terms(untranslated, unknown) == []


def test_how_many_of_a_unit_asks_an_amount_not_a_count() -> None:
    """ "Med hur många procent ..." asks a share: no figure must count "procent"."""
    from assistant.reading.counted import counted_noun

    assert (
        counted_noun("Med hur många procent har personalkostnaderna räknats upp?")
        is None
    )
    assert counted_noun("Hur många kronor kostar det?") is None
    assert counted_noun("Hur många bilar har förvaltningen?") == "bilar"


def test_a_why_question_reads_the_reason_with_the_sentence_it_explains() -> None:
    """ "Den främsta orsaken till detta är ..." answers a why-question with the
    sentence it refers back to, quoted first, even when the passage goes on past
    what a quote may hold; a consequence ("vilket innebär") gives no reason."""
    passage = (
        "Den första prognosen visar att endast ca 231 000 tkr av de budgeterade "
        "308 000 tkr av investeringsbudgeten förväntas förbrukas under året, vilket "
        "innebär att cirka 77 000 tkr inte används som planerat. Den främsta orsaken "
        "till detta är att utbyggnaden av ledningsnätet har försenats. Att följa upp "
        "prognosen är avgörande för att säkerställa att investeringar genomförs på ett "
        "effektivt sätt och att resurser används där de gör mest nytta i verksamheten."
    )
    draft = _text_over(
        "Varför används inte hela investeringsbudgeten som planerat?",
        passage,
        reason=True,
        max_sentences=3,
    )
    quoted = draft.text.split("[")[0]
    assert "försenats" in quoted, draft.text
    assert quoted.startswith("Den första prognosen"), draft.text


def test_a_municipality_the_corpus_writes_only_capitalised_is_a_name() -> None:
    """ "Borås" twice in a neighbour's text, never in lower case, is the place in a
    chat's "antal anställda ks borås?" (out of scope), though "borås" is also
    spelt like a word; "vara", mostly a verb in the text, is no name."""
    from assistant.language.vocabulary import names_written
    from assistant.reading.query import find_unknown_place

    texts = [
        "Mark köper arkivyta i Borås. Samarbetet med Borås fortsätter.",
        "Målet ska vara nått och det kan vara svårt att vara först.",
    ]
    names = names_written(texts)
    assert "borås" in names
    assert "vara" not in names
    vocabulary = frozenset(w for t in texts for w in words(t.lower()))
    catalog = Catalog((MINI_META,), vocabulary | CATALOG.vocabulary, names)
    assert find_unknown_place("antal anställda ks borås?", catalog) == "Borås"


def test_a_bare_topic_at_a_month_asks_for_its_value() -> None:
    """A chat's "avtalstrohet enköping augusti 2023?" asks what the rate was then;
    the same words without a date, or with a question word, ask nothing of a figure."""
    assert interpret("avtalstrohet augusti 2023?", [], CATALOG).wants_number
    assert interpret("avtalstrohet aug 2023?", [], CATALOG).wants_number
    assert not interpret("avtalstrohet?", [], CATALOG).wants_number
    assert not interpret("Vad hände i augusti 2023?", [], CATALOG).wants_number


INVESTMENTS = (
    "# Plan\n\n## 10 Investeringsbudget\n\n"
    "Investeringsprojekt, tkr\tBeskrivning\t2025\t2026\n"
    "Byte konstgräs\tDet gamla konstgräset är slitet\t4 500\t\n"
    "Renovering tak\tTaket behöver renoveras\t\t100\n"
    "IT investeringar\tLöpande pott\t5 000\t5 000\n"
    "Inköp av konst\t\t75\t75\n"
    "\tSumma:\t9 575\t5 175\n"
)


def test_a_list_question_naming_a_table_lists_its_rows_in_the_asked_year() -> None:
    """ "Vilka investeringar finns i investeringsbudgeten 2025?" names the table, no
    row: every row with a 2025 figure, the total left out (and a row planned for
    2026 only is not in 2025's list)."""
    asked = interpret(
        "Vilka investeringar finns i investeringsbudgeten 2025?", [], CATALOG
    )
    result = _lookup_over(INVESTMENTS, "inv.txt").named_rows(asked, [], ["inv.txt"])
    assert result is not None
    assert [(f.label, f.value) for f in result.facts] == [
        ("Byte konstgräs", 4500.0),
        ("IT investeringar", 5000.0),
        ("Inköp av konst", 75.0),
    ]
    lookup = _lookup_over(INVESTMENTS, "inv.txt")
    for question in (
        "Vilka genomförde investeringarna i investeringsbudgeten 2025?",  # who
        "Vilka värden har konstgräs i investeringsbudgeten 2025?",  # one row named
    ):
        asked = interpret(question, [], CATALOG)
        result = lookup.named_rows(asked, [], ["inv.txt"])
        assert result is None or not (result.ranking or "").startswith("listed-table")


def test_the_kind_of_row_and_a_verb_of_belonging_name_no_row() -> None:
    """ "Vilka poster ingår i investeringsbudgeten?": "poster" and "ingår" are
    dropped before the table is looked up by what is left."""
    from assistant.app import _without_kind

    asked = interpret("Vilka poster ingår i investeringsbudgeten 2025?", [], CATALOG)
    plain = _without_kind(asked)
    assert plain is not None
    assert "poster" not in plain.text and "ingår" not in plain.text
    assert "investeringsbudgeten" in plain.text


def test_a_row_label_run_into_its_description_is_cut_to_a_name() -> None:
    """A risk table's first cell holding the risk's title and its whole text heads
    a quote from the row as a short name, not as a paragraph."""
    from assistant.answering.compose import MAX_LABEL_CHARS, Sentence, _row_sentences

    label = "Reglerna för inköp efterlevs inte " + "Reglerna syftar till ordning. " * 10
    row = f"{label}; Kommentar: Avtalstroheten är 89% per den sista augusti."
    best = Sentence("Avtalstroheten är 89% per den sista augusti.", 1, 1, 1.0)
    text = _row_sentences(best, row, 1)
    head, _, quoted = text.partition(": ")
    assert len(head) <= MAX_LABEL_CHARS + 2
    assert head.startswith("Reglerna för inköp efterlevs inte")
    assert "Avtalstroheten är 89%" in quoted


def test_a_body_asked_in_a_municipality_with_two_documents_constrains_the_answer() -> (
    None
):
    """Two documents of one municipality name one place: "socialnämnden i Prov"
    still names a body that neither document belongs to (it was read as a
    question naming two municipalities, which constrains nothing)."""
    store = SqliteTableStore(":memory:")
    metas = [replace(MINI_META, doc="a.txt"), replace(MINI_META, doc="b.txt")]
    lookup = NumberLookup(store, metas)
    asked = interpret("Hur stor budget har socialnämnden i Prov för 2024?", [], CATALOG)
    foreign = lookup.foreign_bodies(asked)
    assert {b.text for b in foreign["a.txt"]} == {"socialnämnden"}


def test_who_signs_is_answered_by_the_name_blocks_closing_the_letter() -> None:
    """A cover letter ends on name blocks that never say "signed": the names and
    roles are the answer, cited; a contact block with a phone number and text
    after the blocks are not signatures."""
    from assistant.answering.signatories import (
        asks_who_signs,
        compose_signatories,
        signature_blocks,
    )

    lines = (
        "Kommunledningsförvaltningen",
        "Anna Sund",
        "0171-625166",
        "",
        "Kommunstyrelsens delårsrapport per sista augusti 2023",
        "",
        "Hannu Högberg",
        "Bitr. kommundirektör",
        "Provs kommun",
        "",
        "Daniel Nilsson",
        "Ekonomichef",
        "Provs kommun",
        "",
        "Beslutet skickas till alla nämnder för kännedom.",
        "",
        "Eva Berg",
        "Controller",
    )
    blocks = signature_blocks(lines, lambda pair: True)
    assert [(b.name, b.roles, b.line_start, b.line_end) for b in blocks] == [
        ("Hannu Högberg", ("Bitr. kommundirektör", "Provs kommun"), 7, 9),
        ("Daniel Nilsson", ("Ekonomichef", "Provs kommun"), 11, 13),
    ]
    assert asks_who_signs("who signs the interim report?")
    assert asks_who_signs("Vem har skrivit under delårsrapporten?")
    assert asks_who_signs("Vem står bakom tjänsteskrivelsen?")  # who answers for it
    assert not asks_who_signs("Vem är ekonomichef?")
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    query = interpret("Who signs the report?", [], CATALOG)
    draft = compose_signatories(query, "p.txt", blocks, builder)
    assert draft.text == (
        "Signed by Hannu Högberg (Bitr. kommundirektör, Provs kommun) and "
        "Daniel Nilsson (Ekonomichef, Provs kommun) [1]."
    )
    assert (draft.citations[0].line_start, draft.citations[0].line_end) == (7, 13)


def test_who_made_the_document_is_answered_by_its_byline() -> None:
    """The names under an evaluation's title are its makers; a sentence there, or
    a line without a name, is no byline."""
    from assistant.answering.signatories import asks_who_made, byline

    lines = (
        "",
        "# Utvärdering av Provs kommun 2024",
        "",
        "Leif Eldås SKR och Cecilia Björnram Varbergs kommun",
        "",
    )
    found = byline(lines, lambda pair: True)
    assert found is not None and (found.name, found.line_start) == (
        "Leif Eldås SKR och Cecilia Björnram Varbergs kommun",
        4,
    )
    assert byline(("# Plan", "Kommunstyrelsen"), lambda pair: True) is None
    assert byline(("# Plan", "Planen gäller Provs kommun."), lambda pair: True) is None
    assert asks_who_made("who did the Kommunkompassen evaluation?")
    assert asks_who_made("Vilka genomförde utvärderingen?")
    assert not asks_who_made("Vem är ekonomichef?")


def test_a_plural_superlative_with_a_tie_at_the_top_lists_only_the_tied_rows() -> None:
    """ "Vilka risker har högst riskvärde?" with two risks at 16 answers with those
    two, not a third at 12; with one at the top the next ones fill up to three."""
    from assistant.tables.lookup import _top_rows

    cell = next(iter(kompass_rows().values()))[0]

    def rows(*values: float) -> list[tuple[list[CellRecord], float]]:
        return [([replace(cell, line=i, value=v)], v) for i, v in enumerate(values)]

    tied = _top_rows(rows(12, 16, 9, 16), "max", "Vilka risker har högst riskvärde?")
    assert sorted(c.value for c in tied) == [16, 16]
    single = _top_rows(rows(12, 16, 9, 4), "max", "Vilka risker har högst riskvärde?")
    assert [c.value for c in single] == [16, 12, 9]


def test_a_sentence_stating_a_measure_at_two_times_gives_the_change() -> None:
    """ "… om 8,7 mnkr inför 2023 har inför 2024 vuxit till 20,7 mnkr": the later
    less the earlier; a share's change is in percentage points; two amounts
    without two years, or of different units, give none."""
    from assistant.answering.compose_number import stated_change

    assert stated_change(
        "Effektiviseringskravet om 8,7 mnkr inför 2023 har inför 2024 vuxit till 20,7 mnkr.",
        "sv",
    ) == ("Beloppet ökar från 2023 till 2024: 20,7 − 8,7 = 12,0 mnkr.")
    assert stated_change(
        "Kostnaden är 2023 27 219 kr och för 2024 28 281 kr, en höjning med 3,9 procent.",
        "en",
    ) == ("It rises from 2023 to 2024: 28 281 − 27 219 = 1 062 kr.")
    assert stated_change("Frånvaron var 5,2 % 2022 och 4,5 % 2023.", "sv") == (
        "Värdet minskar från 2022 till 2023: 5,2 − 4,5 = 0,7 procentenheter."
    )
    assert (
        stated_change("Budgeten är 15,3 mnkr och överskottet 4,4 mnkr 2023.", "sv")
        == ""
    )
    assert (
        stated_change("Budgeten 2023 är 15,3 mnkr och 2024 är andelen 4 %.", "sv") == ""
    )


def test_a_comparative_between_two_years_asks_for_the_change() -> None:
    """ "Hur mycket dyrare blir det 2024 jämfört med 2023?" asks the change as a
    change verb does; a comparative with one year (against the budget) does not."""
    from assistant.answering.compose import Draft
    from assistant.answering.compose_number import with_stated_change

    quoted = Draft(
        "Kostnaden per arbetsplats är 2023 27 219 kr och för 2024 28 281 kr. [1]", ()
    )

    def asked(text: str, years: list[int]) -> str:
        query = Query(text=text, search_text=text, lang="sv", years=years)
        return with_stated_change(query, quoted).text

    two = asked(
        "Hur mycket dyrare blir en arbetsplats 2024 jämfört med 2023?", [2023, 2024]
    )
    assert two.endswith(
        "Beloppet ökar från 2023 till 2024: 28 281 − 27 219 = 1 062 kr."
    )
    one = asked("Hur mycket dyrare blir en arbetsplats 2024 än budgeterat?", [2024])
    assert one == quoted.text


@pytest.mark.parametrize(
    ("question", "text", "line"),
    [
        (
            "Hur många av kontrollerna hade inte genomförts?",
            "Planen innefattar 10 kontroller inom 6 riskområden. 8 av kontrollerna "
            "har genomförts.",
            "Skillnad: 10 \u2212 8 = 2 kontroller.",
        ),
        (
            "How much of the budget remained?",
            "Budgeten för 2023 är 237,2 mnkr. Utfallet uppgår till 144,0 mnkr.",
            "Difference: 237,2 \u2212 144,0 = 93,2 mnkr.",
        ),
        ("Hur många kontroller genomfördes?", "10 kontroller, 8 av kontrollerna.", ""),
        ("Hur mycket återstår?", "Budgeten är 237,2 mnkr och 60 % är använt.", ""),
    ],
)
def test_what_is_left_is_computed_from_the_whole_and_the_part(
    question: str, text: str, line: str
) -> None:
    """A question for what is left, or for how many were not done, answered by a
    sentence giving the whole and the part of one unit or noun: their difference
    follows the quote; with no such pair, or asked what was done, nothing does."""
    from assistant.answering.compose import Draft
    from assistant.answering.compose_number import with_remainder

    quoted = Draft(f"{text} [1]", ())
    lang = detect_language(question)
    query = Query(text=question, search_text=question, lang=lang, wants_number=True)
    assert with_remainder(query, quoted).text == f"{quoted.text} {line}".rstrip()


@pytest.mark.parametrize(
    "question",
    [
        "How large a share of its 2023 budget had the board used by August?",
        "What percentage of the budget has been used?",
        "Hur stor andel av budgeten har förbrukats?",
    ],
)
def test_a_share_asked_in_any_wording_is_computed_from_outcome_and_budget(
    question: str,
) -> None:
    """Outcome and budget of one row: the share is their quotient."""
    facts = [
        fact(
            column=f"{kind.capitalize()} 2023",
            value=-value,
            raw=f"-{raw}",
            unit="mnkr",
            kind=kind,
            year=2023,
        )
        for kind, value, raw in (("utfall", 144.0, "144,0"), ("budget", 237.2, "237,2"))
    ]
    query = en(question) if question.startswith(("How", "What")) else sv(question)
    assert "144,0 / 237,2 = 60,7 %" in compose(query, facts, mini_lines()).text


def test_a_thing_named_by_another_year_than_the_asked_one_is_no_answer() -> None:
    """ "2022 års medborgarundersökning" answers nothing about the 2023 survey,
    even where the sentence says the 2023 one is still to come."""
    from assistant.answering.compose import dated_otherwise

    text = (
        "2022 års medborgarundersökning visade ett lågt förtroende för politiken. "
        "Under hösten 2023 kommer årets undersökning genomföras."
    )
    asked = Query(
        text="What did the 2023 citizen survey show?",
        search_text="What did the 2023 citizen survey show? medborgarundersökning",
        lang="en",
        years=(2023,),
    )
    assert (
        dated_otherwise(text, asked)
        == "2022 års medborgarundersökning, not the asked 2023"
    )
    assert dated_otherwise(text, replace(asked, years=(2022,))) is None
    other = replace(asked, search_text="budgetberedningen 2023")
    assert dated_otherwise(text, other) is None


def test_the_staff_of_a_body_name_whose_figure_not_a_row() -> None:
    """ "kommunstyrelsens personal" is the board's people: sick leave among them is
    no "Personalkostnader" row (the costs are, asked as such)."""
    assert (
        ask_lookup("Hur hög är sjukfrånvaron bland kommunstyrelsens personal 2024?")
        is None
    )
    cost = ask_lookup("Hur stora är kommunstyrelsens personalkostnader 2024?")
    assert cost is not None
    assert {f.label for f in cost.facts} == {"Personalkostnader"}


def test_a_figure_leans_on_the_paragraph_that_says_what_it_is() -> None:
    """A paragraph of one sentence saying what a frame governs, then a paragraph
    giving the frame's figures: the figure answers with its introduction, since
    neither answers alone."""
    passage = (
        "Anslagsbindningsnivån fastställer inom vilka ekonomiska gränser ordföranden "
        "kan fördela om resurserna utan politiskt beslut.\n\n"
        "Ordföranden disponerar 5,5 mnkr av den totala budgetramen."
    )
    draft = _text_over(
        "Hur mycket får ordföranden fördela om utan politiskt beslut?", passage
    )
    assert "5,5 mnkr" in draft.text, draft.text
    assert draft.text.startswith("Anslagsbindningsnivån"), draft.text


def test_who_holds_a_role_is_answered_only_by_a_name_given_with_that_role() -> None:
    """ "Vem är förbundsdirektör?" over a passage naming a guest lecturer: a
    name without the asked role answers nothing."""
    passage = (
        "Årets externa föreläsare Linda Hammarstrand genomförde en förmiddag om "
        "samarbete. Förbundsdagen genomfördes i december."
    )
    assert _text_over("Vem är förbundsdirektör?", passage).refused
    named = "Förbundsdirektör är Anna Berg sedan 2021."
    assert "Anna Berg" in _text_over("Vem är förbundsdirektör?", named).text


def test_a_sentence_that_spells_out_and_defines_a_term_defines_it() -> None:
    """ "X (HME) är ett index ..." defines HME better than a sentence that spells
    it out in passing; "X innebär att ..." defines X."""
    from assistant.answering.compose import _definition_bonus

    defines = "Hållbart medarbetarengagemang (HME) är ett index som väger samman svar."
    passing = "Ambitionen att hållbart medarbetarengagemang (HME) skulle nå 90 nåddes."
    assert _definition_bonus(defines, ["hme"]) > _definition_bonus(passing, ["hme"])
    assert (
        _definition_bonus(
            "Balanskravet innebär att intäkterna ska täcka.", ["balanskrav"]
        )
        > 0
    )
    # "avser" says what a thing is about ("arvoden som avser 2022"), no definition.
    assert _definition_bonus("Ramen avser inte inköp av fastigheter.", ["ram"]) == 0


def test_a_definition_announced_by_its_lead_defines_the_term() -> None:
    """ "Definition av samhällsviktig verksamhet: Verksamhet, tjänst eller
    infrastruktur som …" defines the term as "X är …" does; a sentence that only
    names it does not."""
    from assistant.answering.compose import _definition_bonus

    terms = stems("samhällsviktig verksamhet")
    lead = "Definition av samhällsviktig verksamhet: Verksamhet som upprätthåller."
    assert _definition_bonus(lead, terms) > 0
    english = "Definition of critical infrastructure: services that society needs."
    assert _definition_bonus(english, stems("critical infrastructure")) > 0
    named = "Samhällsviktig verksamhet kan vara av nationell betydelse."
    assert _definition_bonus(named, terms) == 0


def test_what_a_term_means_in_english_has_no_topic_word_mean() -> None:
    query = interpret("What does anslagsbindningsnivå mean?", [], CATALOG)
    assert "mean" not in (query.topic or "").split()


def test_an_english_follow_up_for_the_whole_municipality_drops_the_office() -> None:
    """ "And for the municipality as a whole?" after a question about the
    executive office asks the same measure without the office."""
    query = interpret(
        "And for the municipality as a whole?",
        ["What was the sick leave at Enköping's executive office in August 2023?"],
        CATALOG,
    )
    assert "office" not in (query.topic or "").split(), query.topic
    assert "sick" in (query.topic or "").split()


def test_above_or_below_a_named_column_names_the_rows_own_figure_too() -> None:
    """ "Ligger Kvalitet över eller under snittet?": the row's latest figure and
    the average it is compared with are both the cells asked for, and the
    answer says on which side the row is."""
    from assistant.answering.compose_number import _column_difference

    result = ask_lookup("Ligger Kvalitet över eller under snittet?")
    assert rows_of(result) == [
        ("2 Kvalitet", "Prov 2024", "45"),
        ("2 Kvalitet", "Medel 2020-", "50"),
    ]
    assert result is not None and result.column_named
    assert _column_difference(result.facts, "sv") == (
        "Prov 2024 ligger under Medel 2020-: 50 \u2212 45 = 5."
    )
    above = ask_lookup("Is Arbetsliv above or below the average?")
    assert above is not None
    assert _column_difference(above.facts, "en").startswith("Prov 2024 is above")


def test_a_compound_naming_the_kind_of_row_keeps_the_part_naming_the_table() -> None:
    """ "Vilka investeringsposter ...?" asks for the rows ("poster") of the
    investment table: without the kind the question still says "investering"."""
    from assistant.app import _without_kind

    query = interpret("Vilka investeringsposter har nämnden 2024?", [], CATALOG)

    def split(word: str) -> list[str]:
        return ["investering", "poster"] if word == "investeringsposter" else [word]

    plain = _without_kind(query, split)
    assert plain is not None
    assert "investering" in plain.text and "poster" not in plain.text
    assert _without_kind(query) is not None
    assert "investering" not in (_without_kind(query) or query).text


def test_one_row_tables_retrieved_first_leave_room_for_the_table_to_rank() -> None:
    """Three goals' one-row indicator tables retrieved before the scores table:
    a ranking looks past them to the table with rows to rank, and "förbättrade
    mest" ranks by the rise between two years, as "ökade mest" does."""
    text = (
        "# Plan\n\n## 1 Mål\n\n"
        "Indikator\t2024\n"
        "Nöjdhet\t70\n\n"
        "## 2 Mål\n\n"
        "Indikator\t2024\n"
        "Väntetid\t12\n\n"
        "## 3 Mål\n\n"
        "Indikator\t2024\n"
        "Sjukfrånvaro\t6\n\n"
        "## 4 Utvärdering\n\n"
        "Område\tPoäng 2024\tPoäng 2022\n"
        "Styrning\t60\t58\n"
        "Kvalitet\t52\t38\n"
        "Arbetsliv\t64\t60\n"
    )
    lookup = _lookup_over(text, "goals.txt")
    asked = interpret("Inom vilket område förbättrades poängen mest?", [], CATALOG)
    hits = [
        _table_hit("goals.txt", f"goals:t{n}", line)
        for n, line in ((1, 6), (2, 11), (3, 16), (4, 22))
    ]
    result = lookup.rank_retrieved(asked, hits, ["goals.txt"])
    assert result is not None
    assert result.facts[0].label == "Kvalitet", result


@pytest.mark.parametrize(
    ("question", "text", "line"),
    [
        (
            "Vad kostar lokalerna totalt 2024?",
            "Kostnaden är 2023 2 804 000 kronor och 2024 ökar den med 109 000 kronor.",
            "Beräknat för 2024: 2 804 000 + 109 000 = 2 913 000 kr.",
        ),
        (
            "What is the grant in 2025?",
            "Bidraget är 12,5 mnkr 2024 och minskar 2025 med 1,5 mnkr.",
            "Computed for 2025: 12,5 \u2212 1,5 = 11,0 mnkr.",
        ),
        # Asked for the change itself, or for the earlier year: nothing to compute.
        (
            "Hur mycket ökar kostnaden 2024?",
            "Kostnaden är 2023 2 804 000 kronor och 2024 ökar den med 109 000 kronor.",
            "",
        ),
        (
            "Vad kostar lokalerna 2023?",
            "Kostnaden är 2023 2 804 000 kronor och 2024 ökar den med 109 000 kronor.",
            "",
        ),
    ],
)
def test_a_years_level_is_computed_from_an_earlier_level_and_its_change(
    question: str, text: str, line: str
) -> None:
    """A figure asked for one year, answered by a sentence giving an earlier
    year's level and the change to the asked year: the asked level follows."""
    from assistant.answering.compose import Draft
    from assistant.answering.compose_number import with_level_after_change

    quoted = Draft(f"{text} [1]", ())
    query = interpret(question, [], CATALOG)
    assert with_level_after_change(query, quoted).text == (
        f"{quoted.text} {line}".rstrip()
    )


def test_a_figure_of_one_measure_is_not_given_by_a_sentence_of_others() -> None:
    """ "Vad blev bokslutet 2023?" answered by the budget and the outcome so far:
    the asked measure is not in the evidence; a sentence naming it answers."""
    from assistant.answering.compose import Draft
    from assistant.app import _other_measure

    query = interpret("Vad blev kommunstyrelsens bokslut för 2023?", [], CATALOG)
    budget = Draft("Budgeten uppgår till 237,2 mnkr. Utfallet är 144,0 mnkr. [1]", ())
    assert _other_measure(query, "number", budget) == (
        "measure bokslut not in the evidence"
    )
    stated = Draft("Bokslutet för 2023 visar ett överskott på 5,9 mnkr. [1]", ())
    assert _other_measure(query, "number", stated) is None
    # A sentence naming no measure at all is judged by the other constraints.
    plain = Draft("Kommunstyrelsen redovisar 5,9 mnkr. [1]", ())
    assert _other_measure(query, "number", plain) is None


def test_how_a_plan_defines_a_term_is_a_definition_in_either_language() -> None:
    """ "How does the plan define internal control?" and "Hur definierar …?" ask
    what a term means; "Med internkontroll avses …" defines the English term
    through its Swedish alternatives."""
    from assistant.answering.compose import _definition_bonus
    from assistant.reading.plan import answer_type

    for question in (
        "How does Kramfors' plan define internal control?",
        "Hur definierar Kramfors internkontroll?",
    ):
        assert answer_type(interpret(question, [], CATALOG)) == "definition", question
    english = question_terms("internal control", english=True)
    assert _definition_bonus("Med internkontroll avses de strukturer som …", english)


def test_an_improvement_ranks_as_a_rise_but_is_no_synonym_of_growth_in_text() -> None:
    """ "förbättrades mest" ranks by the rise; "Varför växer kravet?" is not
    matched by a sentence about "förbättringsarbete"."""
    from assistant.language.textmatch import _change_family
    from assistant.reading.operators import INCREASE_WORDS

    assert {"förbättrades", "improved"} <= INCREASE_WORDS
    assert _change_family(stem("växer")) == "increase"
    assert _change_family(stem("förbättring")) == ""


def test_a_section_named_by_number_decides_whose_table_is_ranked() -> None:
    """ "Vilka risker har högst poäng (avsnitt 2.2)?" ranks the table of section
    2.2, though another section's table ranks the same words; the section's
    number names no topic."""
    text = (
        "# Plan\n\n## 2 Risker\n\n### 2.1 Riskanalys\n\n"
        "Risk\tPoäng\n"
        "Brand\t16\n"
        "Strömavbrott\t9\n\n"
        "### 2.2 Riskvärdering\n\n"
        "Risk\tPoäng\n"
        "IT-haveri\t12\n"
        "Läckage\t4\n"
    )
    lookup = _lookup_over(text, "risk.txt")
    hits = [_table_hit("risk.txt", "risk:t1", 8), _table_hit("risk.txt", "risk:t2", 14)]
    named = interpret("Vilka risker har högst poäng (avsnitt 2.2)?", [], CATALOG)
    assert named.topic is not None and "2" not in named.topic.split()
    result = lookup.rank_retrieved(named, hits, ["risk.txt"])
    assert result is not None and result.facts[0].label == "IT-haveri"
    plain = interpret("Vilka risker har högst poäng?", [], CATALOG)
    result = lookup.rank_retrieved(plain, hits, ["risk.txt"])
    assert result is not None and result.facts[0].label == "Brand"


def test_what_was_expected_does_not_answer_what_happened() -> None:
    """A forecast and a target of 2023 say what was expected, not how many homes
    were built; a question about what is expected, or naming the forecast, is
    answered by them."""
    from assistant.app import _planned_only

    expected = [
        fact(
            label="Antal nya bostäder", column="Prognos 2023", kind="prognos", year=2023
        ),
        fact(label="Antal nya bostäder", column="Mål 2023", kind="mål", year=2023),
    ]
    built = interpret("Hur många nya bostäder byggdes i Mark under 2023?", [], CATALOG)
    assert _planned_only(built, expected) is not None
    was = interpret("How many new homes were there in Mark in 2023?", [], CATALOG)
    assert _planned_only(was, expected) is not None
    ahead = interpret("Hur många nya bostäder blir det i Mark 2023?", [], CATALOG)
    assert _planned_only(ahead, expected) is None
    named = interpret("Vad var prognosen för nya bostäder i Mark 2023?", [], CATALOG)
    assert _planned_only(named, expected) is None
    outcome = [replace(expected[0], column="Utfall 2023", kind="utfall")]
    assert _planned_only(built, outcome) is None


def test_a_past_tense_is_read_in_both_languages() -> None:
    from assistant.reading.operators import asks_what_happened

    assert asks_what_happened(interpret("Hur många anställdes 2023?", [], CATALOG))
    assert asks_what_happened(interpret("What was the result in 2023?", [], CATALOG))
    assert not asks_what_happened(interpret("Hur många ska anställas?", [], CATALOG))
    # An English plural is no Swedish passive.
    assert not asks_what_happened(interpret("What are the estimates?", [], CATALOG))
    # What was expected is asked in the past too: a forecast answers it.
    assert not asks_what_happened(interpret("Vilket överskott väntades?", [], CATALOG))
    assert not asks_what_happened(interpret("What was expected in 2023?", [], CATALOG))


def test_a_whole_year_asked_is_a_column_not_the_row_s_topic() -> None:
    """ "Sick leave … for the full year 2023" in the administration's report:
    "helår" picks the column, so the administration's own budget row under a
    "Prognos helår" column does not carry the sick leave."""
    text = (
        "# Delårsrapport\n\n## 4 Ekonomi\n\n"
        "Verksamhet\tBudget 2023\tPrognos helår 2023\n"
        "Kommunledningsförvaltning\t-178,9\t-172,7\n"
        "Samhällsbyggnad\t-40,0\t-41,0\n"
    )
    lookup = _lookup_over(text, "del.txt", organ="Kommunledningsförvaltningen")
    hits = [_table_hit("del.txt", "del:t1", 6)]
    for question in (
        "What was the sick leave at the kommunledningsförvaltning for the full year 2023?",
        "Hur stor var sjukfrånvaron på kommunledningsförvaltningen för helåret 2023?",
    ):
        assert lookup.find(interpret(question, [], CATALOG), hits, ["del.txt"]) is None
    budget = interpret(
        "What is the forecast for the full year 2023 for the kommunledningsförvaltning?",
        [],
        CATALOG,
    )
    found = lookup.find(budget, hits, ["del.txt"])
    assert found is not None and found.facts[0].raw == "-172,7"


def test_rows_tied_at_the_top_are_one_short_line_each() -> None:
    """Three risks share the highest score: each is a line of its own under the
    ranking's lead, each cited, the owner said once."""
    lines = mini_lines()
    tied = [
        fact(
            label=name,
            column="Totalpoäng",
            period="Totalpoäng",
            value=12.0,
            raw="12",
            unit=None,
            line=line_no("Servrar") + i,
            kind=None,
        )
        for i, name in enumerate(["Brand", "Strömavbrott", "IT-haveri"])
    ]
    draft = compose(sv(), tied, lines, ranking="max")
    head, *rows = draft.text.split("\n")
    assert head.endswith('högst "Totalpoäng" i tabellen:'), draft.text
    assert rows == [
        '- "Brand": 12 i Totalpoäng [1]',
        '- "Strömavbrott": 12 i Totalpoäng [2]',
        '- "IT-haveri": 12 i Totalpoäng [3]',
    ]
    assert draft.text.count("Kommunstyrelsen") == 1


def test_what_is_left_of_a_budget_is_computed_from_its_row() -> None:
    """ "Hur mycket återstod av budgeten?" answered by a row with the budget and
    the outcome so far (costs printed negative): the remainder is computed."""

    def cell(column: str, kind: str, value: float) -> Fact:
        raw = f"{value:.1f}".replace(".", ",")
        return fact(
            label="Summa",
            column=column,
            kind=kind,
            value=value,
            raw=raw,
            unit="mnkr",
            period=column.lower(),
        )

    row = [
        cell("Utfall jan-aug 2023", "utfall", -144.0),
        cell("Budget 2023", "budget", -237.2),
    ]
    left = compose(sv("Hur mycket återstod av budgeten 2023?"), row, mini_lines())
    assert "Kvar av budgeten: 237,2 \u2212 144,0 = 93,2 mnkr." in left.text
    plain = compose(sv("Vad var budgeten och utfallet 2023?"), row, mini_lines())
    assert "Kvar av budgeten" not in plain.text
