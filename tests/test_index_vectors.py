"""Chroma vector store: precomputed vectors, cosine scores, filters, server mode."""

from __future__ import annotations

import pytest
from test_index_helpers import free_port, run_chroma_server

from index.embed import HashEmbedder
from index.vectors import ChromaVectorStore, VectorStoreUnavailable, to_where

TEXTS = [
    "Driftsbudgeten uppgår till 205,6 mnkr",
    "Sjukfrånvaron har minskat",
    "Biblioteket har öppet på kvällar",
]
METAS = [
    {"doc": "a.txt", "municipality": "Marks kommun", "year": 2024, "kind": "text"},
    {"doc": "b.txt", "municipality": "Enköpings kommun", "year": 2023, "kind": "text"},
    {"doc": "a.txt", "municipality": "Marks kommun", "year": None, "kind": "table"},
]


def _fill(store: ChromaVectorStore) -> HashEmbedder:
    emb = HashEmbedder(dim=128)
    store.add(["c1", "c2", "c3"], emb.embed_documents(TEXTS), METAS, TEXTS)
    return emb


def _check(store: ChromaVectorStore) -> None:
    emb = _fill(store)
    assert store.count() == 3
    hits = store.query(emb.embed_query("Sjukfrånvaron har minskat"), 3)
    assert hits[0][0] == "c2"
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)  # identical text: cosine 1
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    only_a = store.query(emb.embed_query("budget"), 3, {"doc": "a.txt"})
    assert {cid for cid, _ in only_a} == {"c1", "c3"}
    mark_2024 = store.query(
        emb.embed_query("budget"), 3, {"doc": "a.txt", "year": 2024}
    )
    assert [cid for cid, _ in mark_2024] == ["c1"]


def test_ephemeral_store_add_query_filter():
    _check(ChromaVectorStore.ephemeral())


def test_ephemeral_stores_do_not_share_data():
    first = ChromaVectorStore.ephemeral()
    _fill(first)
    assert ChromaVectorStore.ephemeral().count() == 0


def test_persistent_store_survives_reopen(tmp_path):
    _check(ChromaVectorStore.persistent(tmp_path / "chroma"))
    reopened = ChromaVectorStore.persistent(tmp_path / "chroma")
    assert reopened.count() == 3


def test_to_where_builds_chroma_clauses():
    assert to_where(None) is None
    assert to_where({"doc": "a"}) == {"doc": "a"}
    assert to_where({"doc": "a", "year": [2024, 2023]}) == {
        "$and": [{"doc": "a"}, {"year": {"$in": [2023, 2024]}}]
    }


def test_store_never_embeds_text_itself():
    store = ChromaVectorStore.ephemeral()
    with pytest.raises(Exception, match="precomputed embeddings only"):
        store._collection.query(query_texts=["budget"], n_results=1)


def test_unreachable_server_is_one_clear_sentence():
    port = free_port()
    with pytest.raises(VectorStoreUnavailable) as err:
        ChromaVectorStore.http("127.0.0.1", port)
    assert f"127.0.0.1:{port}" in str(err.value)
    assert "chroma run --path" in str(err.value)


@pytest.fixture
def chroma_server(tmp_path):
    yield from run_chroma_server(tmp_path)


@pytest.mark.slow
def test_http_store_against_a_real_chroma_server(chroma_server):
    _check(ChromaVectorStore.http("127.0.0.1", chroma_server, "test"))
    again = ChromaVectorStore.http("127.0.0.1", chroma_server, "test")
    assert again.count() == 3
