"""Index build, atomic swap and open: hand-built corpus, hash embedder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_index_helpers import (
    kramfors_parsed,
    mark_parsed,
    run_chroma_server,
    sample_corpus,
)

from index.build import (
    BuildOptions,
    IndexCorruptError,
    IndexMismatchError,
    NoIndexError,
    build_index,
    open_index,
)
from index.embed import HashEmbedder
from index.tablestore import normalize_label

CHUNKER = "test-chunker-1"


def _build(index_dir: Path, docs=None, embedder=None):
    return build_index(
        docs if docs is not None else sample_corpus(),
        embedder or HashEmbedder(),
        index_dir,
        BuildOptions(CHUNKER, progress=False),
    )


def _assert_usable(index_dir: Path, expected_chunks: int) -> None:
    """Every part of the index answers: manifest, dense, keyword, cells, lines."""
    with open_index(index_dir, HashEmbedder()) as reader:
        assert reader.manifest.counts["chunks"] == expected_chunks
        assert reader.vectors.count() == expected_chunks
        dense = reader.dense("Sjukfrånvaron har minskat bland medarbetarna", 3)
        assert dense[0][0] == "mark:7:1"
        mark_only = reader.dense("växthusgaser", 5, {"municipality": "Marks kommun"})
        assert mark_only and all(cid.startswith("mark:") for cid, _ in mark_only)
        assert reader.keyword("sjuk", 3)[0][0] == "mark:7:1"
        budget = reader.keyword("budget för drift", 3)
        assert budget and all(cid.startswith("mark:") for cid, _ in budget)
        (net,) = reader.store.cells(
            municipality="Marks kommun",
            years=[2024],
            kinds=["budget"],
            row_label_norm=normalize_label("Nettokostnader"),
        )
        assert net.value == -205.6
        assert "205,6" in reader.store.document_lines("mark.txt")[net.line - 1]


def test_build_then_open_gives_a_complete_index(tmp_path):
    index_dir = tmp_path / "var" / "index"
    manifest = _build(index_dir)
    assert index_dir.is_symlink()
    assert os.readlink(index_dir).startswith("index-")
    data = json.loads((index_dir / "manifest.json").read_text())
    assert data["embedder_id"] == "hash-v1-64" and data["embedder_dim"] == 64
    assert data["chunker_version"] == CHUNKER
    assert set(data["documents"]) == {"mark.txt", "kramfors.txt"}
    assert manifest.counts["documents"] == 2 and manifest.counts["cells"] == 9
    _assert_usable(index_dir, expected_chunks=manifest.counts["chunks"])


def test_rebuild_swaps_and_keeps_exactly_one_previous_build(tmp_path):
    index_dir = tmp_path / "index"
    first = _build(index_dir)
    first_target = index_dir.resolve()
    with open_index(index_dir, HashEmbedder()) as old_reader:
        second = _build(
            index_dir, [mark_parsed(extra_line="Ny rad."), kramfors_parsed()]
        )
        # A reader opened before the swap keeps reading its own build.
        assert old_reader.store.document_lines("mark.txt")[-1] != "Ny rad."
    assert second.corpus_hash != first.corpus_hash
    assert index_dir.resolve() != first_target and first_target.exists()
    _build(index_dir)
    builds = sorted(p.name for p in tmp_path.glob("index-*"))
    assert len(builds) == 2 and first_target.name not in builds


def test_missing_foreign_and_mismatched_indexes_fail_clearly(tmp_path):
    with pytest.raises(NoIndexError, match=r"no index at .*python -m assistant ingest"):
        open_index(tmp_path / "none", HashEmbedder())
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("hello")
    with pytest.raises(IndexCorruptError, match="not a complete Plansvar index"):
        open_index(foreign, HashEmbedder())
    with pytest.raises(IndexCorruptError, match="is not a Plansvar index"):
        _build(foreign)
    assert (foreign / "notes.txt").exists()

    index_dir = tmp_path / "index"
    _build(index_dir)
    with pytest.raises(IndexMismatchError, match=r"hash-v1-64.*ingest --force"):
        open_index(index_dir, HashEmbedder(dim=32))
    (index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="unreadable"):
        open_index(index_dir, HashEmbedder())


class _FailingEmbedder(HashEmbedder):
    def embed_documents(self, texts):
        raise RuntimeError("embedding exploded")


def test_failed_build_leaves_previous_index_in_place(tmp_path):
    index_dir = tmp_path / "index"
    manifest = _build(index_dir)
    target = index_dir.resolve()
    with pytest.raises(RuntimeError, match="exploded"):
        _build(index_dir, embedder=_FailingEmbedder())
    assert index_dir.resolve() == target
    assert [p.name for p in tmp_path.glob("index-*")] == [target.name]
    _assert_usable(index_dir, manifest.counts["chunks"])


@pytest.fixture
def chroma_server(tmp_path):
    yield from run_chroma_server(tmp_path)


@pytest.mark.slow
def test_build_on_a_chroma_server_keeps_one_collection_per_live_build(
    tmp_path, chroma_server
):
    from index.build import HttpVectors
    from index.vectors import ChromaVectorStore

    index_dir = tmp_path / "index"
    server = HttpVectors("127.0.0.1", chroma_server)
    for _ in range(3):
        manifest = build_index(
            sample_corpus(),
            HashEmbedder(),
            index_dir,
            BuildOptions(CHUNKER, vectors=server, progress=False),
        )
    assert manifest.vectors == "http"
    probe = ChromaVectorStore.http("127.0.0.1", chroma_server, manifest.collection)
    # The current and the previous build; the first one's collection was dropped.
    assert len(probe.list_collections()) == 2
    with pytest.raises(IndexMismatchError, match="Chroma server"):
        open_index(index_dir, HashEmbedder())
    reader = open_index(
        index_dir, HashEmbedder(), chroma_http=("127.0.0.1", chroma_server)
    )
    assert reader.dense("Sjukfrånvaron har minskat", 1)[0][0] == "mark:7:1"
    reader.close()


def test_pruning_leaves_unrelated_sibling_folders_alone(tmp_path):
    (tmp_path / "index-notes").mkdir()
    for _ in range(3):
        _build(tmp_path / "index")
    assert (tmp_path / "index-notes").is_dir()
    assert len(list(tmp_path.glob("index-2*"))) == 2
