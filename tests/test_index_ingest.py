"""Ingest of the real sample documents with the hash embedder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_index_helpers import kill_ingest_midway

from index.build import open_index
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest
from index.tablestore import normalize_label

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "corpus" / "documents"


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, target)
    (target / "empty.txt").write_text("")
    return target


def test_ingest_indexes_good_files_reports_bad_ones_and_is_idempotent(
    corpus_dir, tmp_path
):
    index_dir = tmp_path / "index"
    first = ingest([corpus_dir], IndexTarget(index_dir, HashEmbedder()), progress=False)
    assert first.built and first.documents == 4
    assert first.chunks > 100 and first.cells > 100
    assert [Path(e.path).name for e in first.errors] == ["empty.txt"]
    assert "empty" in str(first.errors[0])

    again = ingest([corpus_dir], IndexTarget(index_dir, HashEmbedder()), progress=False)
    assert not again.built and again.reason == "index up to date"
    assert (again.documents, again.chunks) == (4, first.chunks)

    forced = ingest(
        [corpus_dir], IndexTarget(index_dir, HashEmbedder()), force=True, progress=False
    )
    assert forced.built and forced.chunks == first.chunks

    doc = next(corpus_dir.glob("003_*.txt"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nEn ny rad.", encoding="utf-8")
    changed = ingest(
        [corpus_dir], IndexTarget(index_dir, HashEmbedder()), progress=False
    )
    assert changed.built

    other_embedder = ingest(
        [corpus_dir], IndexTarget(index_dir, HashEmbedder(32)), progress=False
    )
    assert other_embedder.built

    with open_index(index_dir, HashEmbedder(32)) as reader:
        assert reader.store.document_lines(doc.name)[-1] == "En ny rad."
        (cell,) = reader.store.cells(
            municipality="Marks kommun",
            years=[2024],
            kinds=["budget"],
            row_label_norm=normalize_label("Nettokostnader"),
        )
        assert cell.value == -205.6
        hits = reader.keyword("sjukfrånvaro", 5)
        assert hits and all(
            "jukfrånvar" in reader.store.chunk(c).embed_text for c, _ in hits
        )


def test_nothing_loadable_keeps_the_previous_index(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    ingest([corpus_dir], IndexTarget(index_dir, HashEmbedder()), progress=False)
    target = index_dir.resolve()
    report = ingest(
        [corpus_dir / "empty.txt"],
        IndexTarget(index_dir, HashEmbedder()),
        progress=False,
    )
    assert not report.built and "previous index kept" in report.reason
    assert index_dir.resolve() == target


def test_cli_ingest_builds_with_the_hash_embedder(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    cmd = [sys.executable, "-m", "assistant", "--index-dir", str(index_dir),
           "ingest", str(corpus_dir)]  # fmt: skip
    env = {**os.environ, "ASSISTANT_EMBEDDER__KIND": "hash"}
    run = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 120}
    done = subprocess.run(cmd, env=env, **run)
    assert done.returncode == 0, done.stderr
    assert "built index" in done.stdout and "skipped" in done.stdout
    again = subprocess.run(cmd, env=env, **run)
    assert "index up to date" in again.stdout


# A forced re-ingest with an embedder that sleeps per batch, so there is time to
# kill it between "build started" and "build complete".


def _assert_usable(index_dir: Path, chunks: int) -> None:
    with open_index(index_dir, HashEmbedder()) as reader:
        assert reader.vectors.count() == chunks == len(reader.store.all_chunks())
        (cid, _), *_ = reader.dense("Sjukfrånvaro Enköping", 5)
        assert reader.store.chunk(cid).text
        assert reader.keyword("budget för drift", 5)
        (cell,) = reader.store.cells(
            municipality="Marks kommun",
            years=[2024],
            kinds=["budget"],
            row_label_norm=normalize_label("Nettokostnader"),
        )
        assert cell.value == -205.6


@pytest.mark.slow
def test_sigkill_during_ingest_keeps_previous_index(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    first = ingest([corpus_dir], IndexTarget(index_dir, HashEmbedder()), progress=False)
    partial = kill_ingest_midway(corpus_dir, index_dir, force=True)
    _assert_usable(index_dir, first.chunks)
    # The next ingest completes and clears the half-written build.
    again = ingest(
        [corpus_dir], IndexTarget(index_dir, HashEmbedder()), force=True, progress=False
    )
    assert again.built and not partial.exists()
    _assert_usable(index_dir, first.chunks)
