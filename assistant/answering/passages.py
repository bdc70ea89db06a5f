"""Passage re-ranking: the retrieved passages reordered by how well their best
sentence answers the question, before the answer is read from the top ones.

Retrieval ranks whole chunks by their likeness to the question; the answer is one
sentence. A passage whose sentence covers the question's topic terms, is close to
it in meaning and fits the asked type (a figure at an asked term, a name, a date, a
cause) moves up. The weights are fitted on the question sets with cross-validation
grouped by document (``python -m evals fit-passages``, ``evals/fit-passages.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from assistant.answering.compose import (
    TextOptions,
    Unit,
    answer_units,
    topic_terms,
)
from assistant.answering.weights import load_weights
from assistant.models import Hit, Query

PASSAGE_WEIGHTS_FILE = Path(__file__).parent / "data" / "passage_ranker.toml"

# Passages retrieved and re-ranked: the fit found the source passage among the
# first 20 for 93 % of the text-answered questions and among the first 10 for 87 %.
PASSAGE_POOL = 20

PASSAGE_FEATURES = (
    "coverage",  # the best sentence's share of the topic stems (unit "coverage")
    "dense",  # the best sentence's similarity to the question minus the best one's
    "type_fit",  # the best sentence's answer-type signals (a figure at a term, ...)
    "log_rank",  # log of the passage's retrieval place (0 for the first)
)

# Unit features that say a sentence is of the asked type; their sum is "type_fit".
TYPE_SIGNALS = (
    "number_at_term",
    "names_someone",
    "says_when",
    "gives_reason",
    "definition",
)


@dataclass(frozen=True)
class PassageRanker:
    """A linear score over ``PASSAGE_FEATURES``."""

    weights: Mapping[str, float]

    def score(self, features: Mapping[str, float]) -> float:
        return sum(w * features.get(k, 0.0) for k, w in self.weights.items())

    @classmethod
    def load(cls, path: Path = PASSAGE_WEIGHTS_FILE) -> PassageRanker:
        weights, _ = load_weights(
            path, PASSAGE_FEATURES, "python -m evals fit-passages"
        )
        return cls(weights)

    @staticmethod
    @cache
    def shipped() -> PassageRanker:
        """The ranker of ``data/passage_ranker.toml``, read once."""
        return PassageRanker.load()

    def rerank(self, query: Query, hits: Sequence[Hit], opt: TextOptions) -> list[Hit]:
        """``hits`` best first by this score; ties keep the retrieval order. Each
        hit takes the retrieval score of the place it moved to, so the scores stay
        best first and on the retrieval scale (the parts of a question share one
        ranking)."""
        scores = [self.score(f) for f in passage_features(query, hits, opt)]
        order = sorted(range(len(hits)), key=lambda i: (-scores[i], i))
        places = sorted((h.score for h in hits), reverse=True)
        return [replace(hits[i], score=s) for i, s in zip(order, places, strict=True)]


def passage_features(
    query: Query, hits: Sequence[Hit], opt: TextOptions
) -> list[dict[str, float]]:
    """``PASSAGE_FEATURES`` of each of ``hits`` from its sentences' unit features
    (the sentences' vectors were computed at ingest, so every passage gets the
    dense feature)."""
    terms = topic_terms(query, opt.ignore, opt.known, opt.split)
    by_passage: dict[int, list[Unit]] = {}
    for unit in answer_units(query, hits, opt, terms, passages=len(hits)):
        by_passage.setdefault(unit.sentence.hit_rank, []).append(unit)
    return [
        _features(by_passage.get(rank, []), rank) for rank in range(1, len(hits) + 1)
    ]


def _features(own: Sequence[Unit], rank: int) -> dict[str, float]:
    return {
        "coverage": max((u.features["coverage"] for u in own), default=0.0),
        "dense": max((u.features["dense"] for u in own), default=-1.0),
        "type_fit": max(
            (sum(u.features[k] for k in TYPE_SIGNALS) for u in own),
            default=0.0,
        ),
        "log_rank": math.log(rank),
    }
