"""Sentence vectors computed at ingest: answering reads them instead of running
the model, the ingest reuses the previous build's, and a damaged file only costs
speed (hash embedder, no model)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.answering.compose import _sentences, passage_sentences
from assistant.evidence.similarity import (
    SENTENCE_VECTORS,
    SentenceSimilarity,
    SentenceVectors,
)
from assistant.ingest_root import build_indexer
from assistant.models import Hit
from index.embed import HashEmbedder

KOMPASS = "001_044694e4ac685f9b"


class CountingEmbedder(HashEmbedder):
    """The hash embedder, counting the documents it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


def test_the_passage_sentences_are_the_units_answering_scores() -> None:
    text = (
        "Kommunstyrelsen leder arbetet. Budgeten är 20 mnkr för 2024.\n"
        "- Intervjuer\n- Styrdokument\nKostnad\t4,5\t4,6"
    )
    hit = Hit(
        chunk_id="c", doc="d.txt", section_path="1 Ekonomi", line_start=10,
        line_end=13, text=text, kind="text", score=0.0,
    )  # fmt: skip
    units = [s.text for s in _sentences(hit, 1, [])]
    assert passage_sentences(text) == units
    assert "Budgeten är 20 mnkr för 2024." in units


def test_known_sentences_are_not_embedded_again() -> None:
    texts = ["Budgeten är 20 mnkr.", "Sjukfrånvaron var 5,16 %."]
    embedder = CountingEmbedder()
    known = SentenceVectors.embed(embedder, texts)
    embedder.embedded.clear()
    warm = SentenceSimilarity(embedder, known=known)
    cold = SentenceSimilarity(CountingEmbedder())
    question = "Hur stor är budgeten?"
    assert warm(question, texts) == pytest.approx(cold(question, texts), abs=1e-6)
    assert embedder.embedded == []
    assert warm(question, ["En ny mening."]) and embedder.embedded == ["En ny mening."]


def test_vectors_survive_a_round_trip_and_a_damaged_file_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    vectors = SentenceVectors.embed(HashEmbedder(), ['Å ä ö "citat".', "Två."])
    path = tmp_path / SENTENCE_VECTORS
    vectors.save(path)
    loaded = SentenceVectors.load(path)
    assert loaded is not None and loaded.texts == vectors.texts
    assert loaded.matrix.shape == vectors.matrix.shape
    path.write_bytes(b"not a zip file")
    with caplog.at_level(logging.WARNING):
        assert SentenceVectors.load(path) is None
    assert SENTENCE_VECTORS in caplog.text and "unreadable" in caplog.text
    assert SentenceVectors.load(tmp_path / "missing.npz") is None


@pytest.fixture
def indexer(two_documents):  # type: ignore[no-untyped-def]
    return build_indexer(two_documents, CountingEmbedder())


def _stored(indexer) -> tuple[set[str], set[str], int]:  # type: ignore[no-untyped-def]
    """(sentences in the vector file, sentences of the built index's passages,
    number of passages)."""
    with indexer.open() as reader:
        vectors = SentenceVectors.load(reader.path / SENTENCE_VECTORS)
        chunks = reader.store.all_chunks()
    assert vectors is not None
    wanted = {s for c in chunks for s in passage_sentences(c.text)}
    return set(vectors.texts), wanted, len(chunks)


def test_ingest_stores_every_passage_sentence_once_and_reuses_them(indexer) -> None:  # type: ignore[no-untyped-def]
    indexer.ingest(progress=False)
    stored, wanted, chunks = _stored(indexer)
    assert stored == wanted and len(wanted) > 500
    first = len(indexer.embedder.embedded)
    assert first == chunks + len(wanted)  # each passage and each sentence once
    # Nothing changed: nothing is embedded again.
    indexer.ingest(progress=False)
    assert indexer.embedder.embedded[first:] == []
    # A document removed: its sentences go, the others' vectors are reused.
    indexer.remove([f"{KOMPASS}.txt"])
    stored_after, wanted_after, _ = _stored(indexer)
    assert stored_after == wanted_after and wanted_after < wanted
    assert indexer.embedder.embedded[first:] == []
