"""Dense vector store on Chroma, fed with precomputed embeddings only.

Chroma would otherwise embed text with its default ONNX model, which it downloads
at first use; the collection is therefore given an embedding function that refuses
to run, and every add/query passes vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

DEFAULT_COLLECTION = "chunks"
# The metadata keys stored with every chunk (flat scalars, Chroma's requirement).
METADATA_KEYS = (
    "doc",
    "municipality",
    "year",
    "section_path",
    "line_start",
    "line_end",
    "kind",
    "collection",
)
Scalar = str | int | float | bool
# Up to this many vectors a query is answered exactly (all cosines computed, a few
# ms): Chroma's HNSW graph misses near-ties on e5's narrow similarity range (the best
# passage at 0.816 lost to one at 0.815). Larger collections use the graph.
EXACT_LIMIT = 100_000


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached or the local store cannot be opened."""


class VectorStore(Protocol):
    """What the index needs from a dense store."""

    def add(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        metadatas: Sequence[Mapping[str, Any]],
        documents: Sequence[str],
    ) -> None: ...

    def query(
        self, vector: Sequence[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _refusing_embedding_function():
    """An embedding function that fails loudly instead of downloading a model."""
    from chromadb.api.types import EmbeddingFunction

    class PrecomputedOnly(EmbeddingFunction):
        def __init__(self) -> None:
            pass

        def __call__(self, input):
            raise RuntimeError(
                "ChromaVectorStore takes precomputed embeddings only; "
                "pass vectors from index.embed"
            )

        @staticmethod
        def name() -> str:
            return "plansvar-precomputed"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> PrecomputedOnly:
            return PrecomputedOnly()

        def default_space(self) -> Literal["cosine"]:
            return "cosine"

    return PrecomputedOnly()


def to_where(filters: Mapping[str, Any] | None) -> dict | None:
    """Plain ``{"doc": "a.txt", "year": [2023, 2024]}`` → a Chroma ``where`` clause.

    Lists become ``$in``; several keys are joined with ``$and``. Clauses that are
    already in Chroma syntax (keys starting with ``$`` or dict values) pass through.
    """
    if not filters:
        return None
    clauses = []
    for key, value in filters.items():
        if key.startswith("$") or isinstance(value, dict):
            clauses.append({key: value})
        elif isinstance(value, list | tuple | set | frozenset):
            clauses.append({key: {"$in": sorted(value)}})
        else:
            clauses.append({key: value})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def metadata_matcher(
    filters: Mapping[str, Any] | None,
) -> Callable[[Mapping[str, Any]], bool] | None:
    """A predicate for the plain filters of ``to_where`` (values, lists, ``$in``,
    ``$eq``); None for anything else (then Chroma evaluates the clause)."""
    tests: list[tuple[str, frozenset[Any]]] = []
    for key, value in (filters or {}).items():
        if key.startswith("$"):
            return None
        if isinstance(value, dict):
            if set(value) - {"$in", "$eq"}:
                return None
            allowed = value.get("$in", [value.get("$eq")])
        elif isinstance(value, list | tuple | set | frozenset):
            allowed = value
        else:
            allowed = [value]
        tests.append((key, frozenset(allowed)))
    return lambda meta: all(meta.get(key) in allowed for key, allowed in tests)


def clean_metadata(meta: Mapping[str, Any]) -> dict[str, Scalar]:
    """Chroma accepts only flat scalars: drop None, stringify anything else."""
    out: dict[str, Scalar] = {}
    for key, value in meta.items():
        if value is None:
            continue
        out[key] = value if isinstance(value, str | int | float | bool) else str(value)
    return out


class ChromaVectorStore:
    """A cosine-space Chroma collection addressed by chunk id."""

    def __init__(self, client: Any, collection: str = DEFAULT_COLLECTION) -> None:
        self._client = client
        self.collection_name = collection
        self._collection = client.get_or_create_collection(
            collection,
            embedding_function=_refusing_embedding_function(),
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._matrix: Any = None  # (ids, unit vectors, metadatas) for exact search

    @classmethod
    def persistent(
        cls, path: Path, collection: str = DEFAULT_COLLECTION
    ) -> ChromaVectorStore:
        import chromadb

        try:
            client = chromadb.PersistentClient(path=str(path), settings=_settings())
        except Exception as exc:
            raise VectorStoreUnavailable(
                f"cannot open the Chroma store at {path}: {exc}"
            ) from exc
        return cls(client, collection)

    @classmethod
    def http(
        cls, host: str, port: int, collection: str = DEFAULT_COLLECTION
    ) -> ChromaVectorStore:
        import chromadb

        try:
            client = chromadb.HttpClient(host=host, port=port, settings=_settings())
            client.heartbeat()
            return cls(client, collection)
        except Exception as exc:
            raise VectorStoreUnavailable(
                f"no Chroma server answers at {host}:{port}; start one with "
                f"`chroma run --path var/chroma --host {host} --port {port}` "
                f"({type(exc).__name__})"
            ) from exc

    @classmethod
    def ephemeral(cls, collection: str | None = None) -> ChromaVectorStore:
        """In-memory store; a fresh collection each call (clients share one system)."""
        import uuid

        import chromadb

        name = collection or f"{DEFAULT_COLLECTION}-{uuid.uuid4().hex[:12]}"
        return cls(chromadb.EphemeralClient(settings=_settings()), name)

    def add(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        metadatas: Sequence[Mapping[str, Any]],
        documents: Sequence[str],
    ) -> None:
        if not (len(ids) == len(vectors) == len(metadatas) == len(documents)):
            raise ValueError("ids, vectors, metadatas and documents differ in length")
        self._matrix = None
        step = max(1, int(self._client.get_max_batch_size()))
        for i in range(0, len(ids), step):
            self._collection.add(
                ids=list(ids[i : i + step]),
                embeddings=[list(v) for v in vectors[i : i + step]],
                metadatas=[clean_metadata(m) for m in metadatas[i : i + step]],
                documents=list(documents[i : i + step]),
            )

    def query(
        self, vector: Sequence[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, cosine similarity), best first."""
        count = self.count()
        n = min(k, count)
        if n <= 0:
            return []
        matcher = metadata_matcher(where)
        if count <= EXACT_LIMIT and matcher is not None:
            return self._exact(vector, n, matcher if where else None, repr(where))
        result = self._collection.query(
            query_embeddings=[list(vector)],
            n_results=n,
            where=to_where(where),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def _exact(
        self,
        vector: Sequence[float],
        k: int,
        matcher: Callable[[Mapping[str, Any]], bool] | None,
        key: str = "",
    ) -> list[tuple[str, float]]:
        import numpy as np

        if self._matrix is None:
            self._masks: dict[str, Any] = {}
            got = self._collection.get(include=["embeddings", "metadatas"])
            matrix = np.asarray(got["embeddings"], dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            metas = [dict(m or {}) for m in got["metadatas"]]
            self._matrix = (list(got["ids"]), matrix / np.maximum(norms, 1e-12), metas)
        ids, matrix, metas = self._matrix
        query = np.asarray(vector, dtype=np.float32)
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        sims = matrix @ query
        if matcher is not None:
            if key not in self._masks:  # a handful of filters recur (per document)
                self._masks[key] = np.fromiter(map(matcher, metas), bool, len(metas))
            sims = np.where(self._masks[key], sims, -np.inf)
        order = np.argsort(-sims, kind="stable")[:k]
        return [(ids[i], float(sims[i])) for i in order if np.isfinite(sims[i])]

    def count(self) -> int:
        return int(self._collection.count())

    def get(
        self, ids: Sequence[str]
    ) -> tuple[list[list[float]], list[dict[str, Any]], list[str]]:
        """Stored vectors, metadata and texts for ``ids``, in the order of ``ids``
        (used to copy unchanged documents into a new build without re-embedding)."""
        found: dict[str, tuple[list[float], dict[str, Any], str]] = {}
        for i in range(0, len(ids), 1000):
            part = self._collection.get(
                ids=list(ids[i : i + 1000]),
                include=["embeddings", "metadatas", "documents"],
            )
            for cid, vec, meta, text in zip(
                part["ids"], part["embeddings"], part["metadatas"], part["documents"],
                strict=True,
            ):  # fmt: skip
                found[cid] = ([float(x) for x in vec], dict(meta or {}), text or "")
        missing = [cid for cid in ids if cid not in found]
        if missing:
            raise KeyError(f"{len(missing)} vectors missing, e.g. {missing[0]!r}")
        rows = [found[cid] for cid in ids]
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    def drop(self) -> None:
        """Delete this collection (used for server-side builds being replaced)."""
        self._client.delete_collection(self.collection_name)

    def list_collections(self) -> list[str]:
        return [c.name for c in self._client.list_collections()]

    def delete_collection(self, name: str) -> None:
        self._client.delete_collection(name)
