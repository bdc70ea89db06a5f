"""Answer or refuse: a logistic decision over evidence features, fitted on the
question sets (``python -m evals fit-answerability``), never hand-set.

The features describe how well the best retrieved passages cover the part of the
question being answered; the weights live in ``data/answerability.toml`` with the
grouped cross-validation figures they were fitted with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.weights import load_weights
from assistant.models import Hit

WEIGHTS_FILE = Path(__file__).parent / "data" / "answerability.toml"
FEATURES = ("coverage", "dense_top", "dense_margin")


def evidence_features(covered: float, hits: Sequence[Hit]) -> dict[str, float]:
    """``coverage``: share of the part's topic stems in the best of the top passages;
    ``dense_top``: the best dense similarity among the hits; ``dense_margin``: how far
    it stands above the tenth best (a passage that clearly stands out)."""
    dense = sorted(
        (h.dense_similarity for h in hits if h.dense_similarity is not None),
        reverse=True,
    )
    top = dense[0] if dense else 0.0
    floor = dense[min(9, len(dense) - 1)] if dense else 0.0
    return {"coverage": covered, "dense_top": top, "dense_margin": top - floor}


@dataclass(frozen=True)
class Answerability:
    """P(answerable) = sigmoid(bias + sum(weight * feature)); answer when >= 0.5."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(w * features.get(k, 0.0) for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def answerable(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= 0.5

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Answerability:
        """The fitted decision; a missing or malformed file is an error naming it."""
        weights, bias = load_weights(
            path, FEATURES, "python -m evals fit-answerability"
        )
        return cls(weights, bias)
