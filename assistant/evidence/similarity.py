"""The retrieval model's similarity of a question to sentences (a unit feature).

Embedding the sentences of the retrieved passages was most of the answering time,
so the ingest computes every passage sentence's vector once and keeps them beside
the index (``SentenceVectors``); a sentence not among them (an index built before,
a passage cut differently) is embedded when asked for and kept in memory.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

SENTENCE_VECTORS = "sentence_vectors.npz"  # in the index's build folder


class Embedder(Protocol):
    """What ``index.embed`` embedders offer (e5 prefixes applied inside)."""

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@dataclass(frozen=True)
class SentenceVectors:
    """Unit-length vectors of sentences, one row per text."""

    texts: tuple[str, ...]
    matrix: Any  # numpy float32 array, shape (len(texts), dim)

    @classmethod
    def empty(cls) -> SentenceVectors:
        return cls((), np.zeros((0, 0), np.float32))

    @classmethod
    def embed(
        cls,
        embedder: Embedder,
        texts: Sequence[str],
        batch: int = 64,
        progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    ) -> SentenceVectors:
        """``texts`` embedded in batches; ``progress`` wraps the batch starts (tqdm)."""
        starts = range(0, len(texts), batch)
        rows: list[list[float]] = []
        for start in progress(starts) if progress else starts:
            rows.extend(embedder.embed_documents(list(texts[start : start + batch])))
        return cls(tuple(texts), _unit_rows(np.asarray(rows, dtype=np.float32)))

    def merged(self, other: SentenceVectors) -> SentenceVectors:
        """These vectors and ``other``'s (which must have the same width)."""
        if not other.texts:
            return self
        if not self.texts:
            return other
        return SentenceVectors(
            self.texts + other.texts, np.vstack([self.matrix, other.matrix])
        )

    def only(self, texts: set[str]) -> SentenceVectors:
        """The vectors of ``texts`` that are here."""
        keep = [i for i, t in enumerate(self.texts) if t in texts]
        if not keep:
            return SentenceVectors.empty()
        return SentenceVectors(tuple(self.texts[i] for i in keep), self.matrix[keep])

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            # The texts as one JSON string: a fixed-width string array would
            # pad every sentence to the longest.
            texts = np.frombuffer(json.dumps(self.texts).encode("utf-8"), np.uint8)
            np.savez(handle, texts=texts, matrix=self.matrix)

    @classmethod
    def load(cls, path: Path) -> SentenceVectors | None:
        """The vectors saved at ``path``; None when there are none. A damaged file
        is only a lost speed-up: it is reported and skipped (the next ingest
        writes it again)."""
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                texts = tuple(json.loads(data["texts"].tobytes().decode("utf-8")))
                matrix = np.asarray(data["matrix"], dtype=np.float32)
        # (A broken JSON list of texts is a ValueError too.)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            log.warning(
                "%s: unreadable (%s); sentences are embedded when asked", path, exc
            )
            return None
        if texts and matrix.shape[0] != len(texts):
            log.warning(
                "%s: %d texts but %d vectors; ignored",
                path,
                len(texts),
                matrix.shape[0],
            )
            return None
        return cls(texts, matrix)


class SentenceSimilarity:
    """Cosine similarity of a question to each of some sentences. Sentences come
    from ``known`` (computed at ingest) or are embedded and kept; the last few
    questions' vectors are kept too (one answer asks several times)."""

    def __init__(
        self,
        embedder: Embedder,
        keep: int = 20_000,
        known: SentenceVectors | None = None,
    ) -> None:
        self._embedder = embedder
        self._keep = keep
        self._known: dict[str, Any] = (
            dict(zip(known.texts, known.matrix, strict=True)) if known else {}
        )
        self._vectors: OrderedDict[str, Any] = OrderedDict()
        self._questions: OrderedDict[str, Any] = OrderedDict()

    def __call__(self, question: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        new = [
            t
            for t in dict.fromkeys(texts)
            if t not in self._known and t not in self._vectors
        ]
        if new:
            embedded = SentenceVectors.embed(self._embedder, new, batch=len(new))
            self._vectors.update(zip(embedded.texts, embedded.matrix, strict=True))
            while len(self._vectors) > self._keep:
                self._vectors.popitem(last=False)
        matrix = np.stack([self._vector(t) for t in texts])
        return [float(s) for s in matrix @ self._question(question)]

    def _vector(self, text: str) -> Any:
        found = self._known.get(text)
        return found if found is not None else self._vectors[text]

    def _question(self, question: str) -> Any:
        if question not in self._questions:
            vector = np.asarray(self._embedder.embed_query(question), dtype=np.float32)
            self._questions[question] = _unit_rows(vector[None, :])[0]
            if len(self._questions) > 8:
                self._questions.popitem(last=False)
        return self._questions[question]


def _unit_rows(matrix: Any) -> Any:
    if matrix.size == 0:
        return matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)
