"""The retrieval model's similarity of a question to sentences (a unit feature)."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    """What ``index.embed`` embedders offer (e5 prefixes applied inside)."""

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class SentenceSimilarity:
    """Cosine similarity of a question to each of some sentences; sentence vectors
    are kept (the same passages come back for related questions)."""

    def __init__(self, embedder: Embedder, keep: int = 20_000) -> None:
        self._embedder = embedder
        self._keep = keep
        self._vectors: OrderedDict[str, tuple[float, ...]] = OrderedDict()

    def __call__(self, question: str, texts: Sequence[str]) -> list[float]:
        new = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if new:
            for text, vector in zip(
                new, self._embedder.embed_documents(new), strict=True
            ):
                self._vectors[text] = _unit(vector)
            while len(self._vectors) > self._keep:
                self._vectors.popitem(last=False)
        query = _unit(self._embedder.embed_query(question))
        return [
            math.fsum(a * b for a, b in zip(self._vectors[t], query, strict=True))
            for t in texts
        ]


def _unit(vector: Sequence[float]) -> tuple[float, ...]:
    norm = math.sqrt(math.fsum(v * v for v in vector))
    return tuple(v / norm for v in vector) if norm else tuple(vector)
