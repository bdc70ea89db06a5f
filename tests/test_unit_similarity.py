"""The dense unit feature: the question's similarity to each sentence."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.compose import (
    CitationBuilder,
    TextOptions,
    UnitRanker,
    answer_units,
    compose_text,
)
from assistant.evidence.similarity import SentenceSimilarity
from assistant.models import Hit, Query
from index.embed import HashEmbedder

TEXT = (
    "Ekonomin är en stor utmaning efter två svåra år.\n"
    "Kompetensförsörjningen är en stor utmaning i vården."
)


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded += texts
        return super().embed_documents(texts)


def test_similar_texts_score_higher_and_sentence_vectors_are_kept() -> None:
    embedder = CountingEmbedder()
    similarity = SentenceSimilarity(embedder)
    texts = ["budgeten för ekonomin", "sjukfrånvaron bland kvinnor"]
    first = similarity("hur går det med ekonomin och budgeten", texts)
    assert first[0] > first[1]
    assert abs(similarity("ekonomin", ["budgeten för ekonomin"])[0]) <= 1.0 + 1e-9
    assert embedder.embedded == texts  # the second call embedded nothing new


def _units_and_answer(
    prefer: str,
) -> tuple[list[float], str]:
    def similarity(question: str, texts: Sequence[str]) -> list[float]:
        return [0.9 if prefer in t else 0.8 for t in texts]

    hit = Hit("d:1", "d.txt", "2 Analys", 1, 2, TEXT, "text", 0.9)
    builder = CitationBuilder(lambda d: TEXT.split("\n"), lambda d: None)
    question = "Vilken är den stora utmaningen?"
    query = Query(text=question, search_text=question, lang="sv")
    ranker = UnitRanker({"coverage": 1.0, "dense": 3.0})
    options = TextOptions(similarity=similarity, ranker=ranker, max_sentences=1)
    units = answer_units(query, [hit], options, ["utmaning"])
    return [u.features["dense"] for u in units], compose_text(
        query, [hit], builder, options
    ).text


def test_the_sentence_nearest_the_question_wins_a_tie_on_coverage() -> None:
    dense, answer = _units_and_answer("Kompetens")
    assert dense[1] == 0.0 and dense[0] < 0  # relative to the most similar one
    assert answer.startswith("Kompetensförsörjningen är en stor utmaning")
    _, answer = _units_and_answer("Ekonomin")
    assert answer.startswith("Ekonomin är en stor utmaning")
