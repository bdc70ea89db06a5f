"""Ingest of the real sample documents with the hash embedder."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import open_index
from index.embed import HashEmbedder
from index.ingest import ingest
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
    first = ingest([corpus_dir], index_dir, HashEmbedder(), progress=False)
    assert first.built and first.documents == 4
    assert first.chunks > 100 and first.cells > 100
    assert [Path(e.path).name for e in first.errors] == ["empty.txt"]
    assert "empty" in str(first.errors[0])

    again = ingest([corpus_dir], index_dir, HashEmbedder(), progress=False)
    assert not again.built and again.reason == "index up to date"
    assert (again.documents, again.chunks) == (4, first.chunks)

    forced = ingest([corpus_dir], index_dir, HashEmbedder(), force=True, progress=False)
    assert forced.built and forced.chunks == first.chunks

    doc = next(corpus_dir.glob("003_*.txt"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nEn ny rad.", encoding="utf-8")
    changed = ingest([corpus_dir], index_dir, HashEmbedder(), progress=False)
    assert changed.built

    other_embedder = ingest([corpus_dir], index_dir, HashEmbedder(32), progress=False)
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
    ingest([corpus_dir], index_dir, HashEmbedder(), progress=False)
    target = index_dir.resolve()
    report = ingest(
        [corpus_dir / "empty.txt"], index_dir, HashEmbedder(), progress=False
    )
    assert not report.built and "previous index kept" in report.reason
    assert index_dir.resolve() == target


def test_module_main_builds_with_the_hash_embedder(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    cmd = [sys.executable, "-m", "index.ingest", "--embedder", "hash", "--quiet",
           "--index-dir", str(index_dir), str(corpus_dir)]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "built index" in done.stdout and "skipped" in done.stdout
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "index up to date" in again.stdout


# A forced re-ingest with an embedder that sleeps per batch, so there is time to
# kill it between "build started" and "build complete".
_SLOW_INGEST = """
import sys, time
from pathlib import Path
from index.embed import HashEmbedder
from index.ingest import ingest

class Slow(HashEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.5)
        return super().embed_documents(texts)

ingest([Path(sys.argv[1])], Path(sys.argv[2]), Slow(), force=True, progress=False)
"""


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
    first = ingest([corpus_dir], index_dir, HashEmbedder(), progress=False)
    target = index_dir.resolve()
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_INGEST, str(corpus_dir), str(index_dir)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        partial: list[Path] = []
        # Kill once the new build has vectors on disk (it has no manifest yet).
        while not partial and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()[1]
            partial = [
                p
                for p in tmp_path.glob("index-*")
                if p.resolve() != target and (p / "chroma").exists()
            ]
            time.sleep(0.05)
        assert partial, "the child build never started"
        time.sleep(1.0)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert not (partial[0] / "manifest.json").exists()
    assert index_dir.resolve() == target
    _assert_usable(index_dir, first.chunks)
    # The next ingest completes and clears the half-written build.
    again = ingest([corpus_dir], index_dir, HashEmbedder(), force=True, progress=False)
    assert again.built and not partial[0].exists()
    _assert_usable(index_dir, first.chunks)
