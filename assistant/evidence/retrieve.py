"""Hybrid retrieval: dense (vector store) + keyword (BM25), fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.models import Hit
from corpus.models import Chunk


class SearchIndex(Protocol):
    """The two rankings the retriever fuses (implemented by ``index.build.IndexReader``)."""

    def dense(
        self, query: str, k: int, where: dict[str, object] | None = None
    ) -> list[tuple[str, float]]: ...

    def keyword(
        self, query: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]: ...


@dataclass(frozen=True)
class RetrievalConfig:
    dense_k: int = 40
    keyword_k: int = 40
    rrf_k: int = 60
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    top_k: int = 10
    dense_slots: int = 2  # the best dense hits always make the top_k
    keyword_slots: int = 1  # so do the best keyword hits (when keywords are trusted)
    # How deep each ranking is read to place the other ranking's candidates: a
    # passage BM25 ranks first but the dense ranking puts 60th is scored at 60th,
    # not as absent (which would leave it behind passages both rank 30th).
    rank_depth: int = 100


def rrf(
    rankings: Sequence[tuple[Sequence[str], float]],
    k: int,
    candidates: Collection[str] | None = None,
) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, each with a weight; with
    ``candidates``, only those ids are scored (with their places in every list).

    Example: rrf([(["a", "b"], 1.0), (["b", "c"], 1.0)], k=60) ranks "b" first.
    """
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, start=1):
            if candidates is None or chunk_id in candidates:
                scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class HybridRetriever:
    """Dense + keyword retrieval over one index, restricted to allowed documents."""

    def __init__(
        self,
        index: SearchIndex,
        chunks: Mapping[str, Chunk],
        config: RetrievalConfig | None = None,
    ) -> None:
        self._index = index
        self._chunks = chunks
        self._config = config or RetrievalConfig()
        self._ids_by_doc: dict[str, set[str]] = {}
        for chunk in chunks.values():
            self._ids_by_doc.setdefault(chunk.doc, set()).add(chunk.chunk_id)

    @property
    def top_k(self) -> int:
        """How many passages a search returns unless told otherwise."""
        return self._config.top_k

    # The keywords are the ones assistant/app.py passes (the lead refactors app.py in
    # issue 13; its one call can then pass them as one object).
    def search(  # noqa: PLR0913
        self,
        text: str,
        docs: Collection[str] | None = None,
        top_k: int | None = None,
        prefer: Callable[[Chunk], bool] | None = None,
        keyword_trust: float = 1.0,
        translation: str | None = None,
    ) -> list[Hit]:
        """Best chunks for ``text``; ``docs`` limits the search (None = all).

        Candidates for which ``prefer`` is true (e.g. the section the question names
        by number, "mål 6") move ahead of the rest, keeping their fused order.
        ``keyword_trust`` (0..1) scales the keyword ranking: an English question
        whose words the Swedish corpus mostly lacks gets a keyword ranking made of
        chance matches, which must not push the dense ranking's best hits out.
        ``translation`` (the Swedish terms of an English question) is searched
        densely too and fused as a third ranking.
        """
        cfg = self._config
        top_k = top_k or cfg.top_k
        allowed: set[str] | None = None
        where: dict[str, object] | None = None
        if docs is not None:
            docs = sorted(set(docs))
            if not docs:
                return []
            allowed = set().union(*(self._ids_by_doc.get(d, set()) for d in docs))
            where = {"doc": docs[0]} if len(docs) == 1 else {"doc": {"$in": docs}}
        depth = max(cfg.rank_depth, cfg.dense_k, cfg.keyword_k)
        dense = self._index.dense(text, depth, where)
        keyword = self._index.keyword(text, depth, allowed)
        dense_ids = [i for i, _ in dense if i in self._chunks]
        keyword_ids = [i for i, _ in keyword if i in self._chunks]
        candidates = set(dense_ids[: cfg.dense_k]) | set(keyword_ids[: cfg.keyword_k])
        rankings = [
            (dense_ids, cfg.dense_weight),
            (keyword_ids, cfg.keyword_weight * keyword_trust),
        ]
        if translation:
            translated = self._index.dense(translation, depth, where)
            translated_ids = [i for i, _ in translated if i in self._chunks]
            candidates |= set(translated_ids[: cfg.dense_k])
            rankings.append((translated_ids, 1.0))
        fused = rrf(rankings, cfg.rrf_k, candidates)
        if prefer is not None:
            # Above any fused score (at most one 1/(k+1) per ranking): the preferred
            # move ahead and the scores still fall from first to last.
            fused = sorted(
                ((i, s + 1.0) if prefer(self._chunks[i]) else (i, s) for i, s in fused),
                key=lambda item: -item[1],
            )
        slots = dense_ids[: cfg.dense_slots]
        if keyword_trust >= 0.8:  # a rare word found only by BM25 ("helårsarbetare")
            slots += [i for i in keyword_ids[: cfg.keyword_slots] if i not in slots]
        fused = _with_slots(fused, slots, top_k)
        dense_rank = {i: r for r, i in enumerate(dense_ids, start=1)}
        keyword_rank = {i: r for r, i in enumerate(keyword_ids, start=1)}
        similarity = dict(dense)
        hits = []
        for chunk_id, score in fused[:top_k]:
            chunk = self._chunks[chunk_id]
            hits.append(
                Hit.from_chunk(
                    chunk,
                    score,
                    dense_rank=dense_rank.get(chunk_id),
                    keyword_rank=keyword_rank.get(chunk_id),
                    dense_similarity=similarity.get(chunk_id),
                )
            )
        return hits


def _with_slots(
    fused: list[tuple[str, float]], must: Sequence[str], top_k: int
) -> list[tuple[str, float]]:
    """``fused`` with every id of ``must`` inside the first ``top_k`` places.

    The lowest-ranked others of the first ``top_k`` give up their places and move
    behind; scores are capped so they still fall from first to last.
    """
    wanted = set(must)
    missing = [item for item in fused[top_k:] if item[0] in wanted]
    if not missing:
        return fused
    movable = [i for i, item in enumerate(fused[:top_k]) if item[0] not in wanted]
    out = set(movable[len(movable) - len(missing) :])
    head = [item for i, item in enumerate(fused[:top_k]) if i not in out]
    displaced = [item for i, item in enumerate(fused[:top_k]) if i in out]
    rest = [item for item in fused[top_k:] if item[0] not in wanted]
    ordered = head + missing + displaced + rest
    capped, ceiling = [], float("inf")
    for chunk_id, score in ordered:
        ceiling = min(ceiling, score)
        capped.append((chunk_id, ceiling))
    return capped
