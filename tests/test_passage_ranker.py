"""Passage re-ranking: retrieved passages reordered by their best sentence."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from assistant.answering.compose import TextOptions
from assistant.answering.passages import (
    PASSAGE_FEATURES,
    PassageRanker,
    passage_features,
)
from assistant.models import Hit, Query
from evals.fitting import Example, in_top, linear

GENERAL = (
    "Kommunstyrelsen leder och samordnar förvaltningen. Förvaltningen har "
    "fyra avdelningar och ett kansli."
)
ANSWER = "Sjukfrånvaron var 5,16 % av arbetstiden per sista september."
OTHER = "Ekonomin är i balans och prognosen visar ett litet överskott."


def _hit(n: int, text: str) -> Hit:
    return Hit(f"d:{n}", "d.txt", f"{n} Avsnitt", n * 10, n * 10, text, "text", 1.0 / n)


def _query(text: str) -> Query:
    return Query(text=text, search_text=text, lang="sv", wants_number=True)


HITS = [_hit(1, GENERAL), _hit(2, OTHER), _hit(3, OTHER), _hit(4, ANSWER)]
QUESTION = _query("Hur hög var sjukfrånvaron i september?")


def test_features_describe_each_passage_by_its_best_sentence() -> None:
    features = passage_features(QUESTION, HITS, TextOptions())
    assert [set(f) for f in features] == [set(PASSAGE_FEATURES)] * len(HITS)
    assert [f["log_rank"] for f in features] == [math.log(r) for r in (1, 2, 3, 4)]
    assert features[3]["coverage"] == pytest.approx(1.0)
    assert features[0]["coverage"] < 0.5
    # A figure beside the asked term is the type a "hur hög" question wants.
    assert features[3]["type_fit"] > features[0]["type_fit"]


def test_a_passage_whose_sentence_answers_moves_ahead_of_better_retrieved_ones() -> (
    None
):
    ranker = PassageRanker({"coverage": 4.0, "type_fit": 2.0, "log_rank": -1.0})
    ranked = ranker.rerank(QUESTION, HITS, TextOptions())
    assert ranked[0].text == ANSWER
    assert sorted(h.chunk_id for h in ranked) == sorted(h.chunk_id for h in HITS)
    # The moved passage takes the first place's score: the ranking stays best
    # first on the retrieval scale, for a joint ranking over a question's parts.
    assert [h.score for h in ranked] == [h.score for h in HITS]


def test_retrieval_order_alone_keeps_the_order() -> None:
    ranker = PassageRanker({"log_rank": -1.0})
    assert ranker.rerank(QUESTION, HITS, TextOptions()) == HITS


def test_the_shipped_weights_name_only_known_features() -> None:
    ranker = PassageRanker.load()
    assert set(ranker.weights) <= set(PASSAGE_FEATURES)
    assert ranker.weights["log_rank"] < 0  # a later passage needs a better sentence


def test_in_top_counts_questions_with_a_right_example_among_the_best() -> None:
    names = ("coverage",)
    examples = [
        Example("a", "q1", (0.9,), False),
        Example("a", "q1", (0.5,), False),
        Example("a", "q1", (0.1,), True),
        Example("a", "q2", (0.2,), True),
        Example("a", "q2", (0.1,), False),
    ]
    score = linear({"coverage": 1.0}, 0.0, names)
    assert in_top(1)(examples, score) == 0.5
    assert in_top(3)(examples, score) == 1.0


def test_every_passage_gets_the_dense_feature_relative_to_the_best_sentence() -> None:
    """Sentence vectors come from the ingest, so every sentence of every passage
    is compared with the question; the feature is 0 for the best sentence of all
    and negative for the passages whose best sentence is less similar."""
    from dataclasses import replace

    embedded: list[str] = []

    def similarity(question: str, texts: Sequence[str]) -> list[float]:
        embedded.extend(texts)
        return [0.5 if t == ANSWER else 0.1 for t in texts]

    hits = [_hit(n, OTHER + f" Punkt {n}.") for n in range(1, 8)] + [_hit(8, ANSWER)]
    options = replace(TextOptions(), similarity=similarity)
    features = passage_features(QUESTION, hits, options)
    assert ANSWER in embedded and "Punkt 1." in embedded
    assert features[7]["dense"] == 0.0  # the best sentence of all
    assert [round(f["dense"], 2) for f in features[:7]] == [-0.4] * 7
