"""Incremental ingest: only changed files are parsed and embedded, the rest is
copied from the live build; remove; command-line metadata; SIGKILL safety."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_fixtures import DOCUMENTS, ENKOPING, KOMPASS, MARK_PLAN
from test_index_helpers import kill_ingest_midway

from index.build import IndexOpenError, open_index
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest, remove
from index.tablestore import normalize_label

ROOT = Path(__file__).resolve().parents[1]


class CountingEmbedder(HashEmbedder):
    """The hash embedder (same model id) that counts the passages it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _copy(target: Path, *names: str) -> list[Path]:
    target.mkdir(exist_ok=True)
    return [Path(shutil.copy(DOCUMENTS / n, target / n)) for n in names]


def _chunk_count(index_dir: Path, doc: str) -> int:
    with open_index(index_dir, HashEmbedder()) as reader:
        return sum(c.doc == doc for c in reader.store.all_chunks())


def _mark_net_cost(index_dir: Path) -> float:
    with open_index(index_dir, HashEmbedder()) as reader:
        assert reader.vectors.count() == len(reader.store.all_chunks())
        (cell,) = reader.store.cells(
            municipality="Marks kommun",
            years=[2024],
            kinds=["budget"],
            row_label_norm=normalize_label("Nettokostnader"),
        )
        return cell.value


def test_add_replace_remove_touch_only_the_changed_documents(tmp_path):
    index_dir = tmp_path / "index"
    mark, kompass = _copy(tmp_path / "docs", MARK_PLAN, KOMPASS)
    first = ingest(
        [mark, kompass], IndexTarget(index_dir, HashEmbedder()), progress=False
    )
    assert first.built and first.added == (MARK_PLAN, KOMPASS)
    with open_index(index_dir, HashEmbedder()) as reader:
        mark_chunk = next(c for c in reader.store.all_chunks() if c.doc == MARK_PLAN)
        before = reader.dense(mark_chunk.embed_text, 1)

    # Adding one file embeds only that file; the others are copied.
    (enkoping,) = _copy(tmp_path / "docs", ENKOPING)
    counting = CountingEmbedder()
    added = ingest([enkoping], IndexTarget(index_dir, counting), progress=False)
    assert added.built and added.added == (ENKOPING,) and added.documents == 3
    assert counting.embedded == _chunk_count(index_dir, ENKOPING) > 0
    assert _mark_net_cost(index_dir) == -205.6
    with open_index(index_dir, HashEmbedder()) as reader:
        # The copied vector is the same one: same best hit, same cosine (float32).
        after = reader.dense(mark_chunk.embed_text, 1)
        assert [i for i, _ in after] == [i for i, _ in before]
        assert after[0][1] == pytest.approx(before[0][1], abs=1e-6)
        assert reader.store.chunk(mark_chunk.chunk_id) == mark_chunk
        assert sorted(reader.manifest.documents) == sorted(
            [MARK_PLAN, KOMPASS, ENKOPING]
        )

    # Naming every file again: nothing changed, nothing rebuilt.
    again = ingest(
        [tmp_path / "docs"],
        IndexTarget(index_dir, counting := CountingEmbedder()),
        progress=False,
    )
    assert not again.built and again.reason == "index up to date"
    assert counting.embedded == 0 and len(again.unchanged) == 3

    # A changed file replaces its document only.
    kompass.write_text(
        kompass.read_text(encoding="utf-8") + "\nEn ny rad.", encoding="utf-8"
    )
    counting = CountingEmbedder()
    replaced = ingest(
        [tmp_path / "docs"], IndexTarget(index_dir, counting), progress=False
    )
    assert replaced.replaced == (KOMPASS,) and not replaced.added
    assert counting.embedded == _chunk_count(index_dir, KOMPASS)
    with open_index(index_dir, HashEmbedder()) as reader:
        assert reader.store.document_lines(KOMPASS)[-1] == "En ny rad."

    # Removing rebuilds by copy, without embedding anything.
    previous = index_dir.resolve()
    counting = CountingEmbedder()
    removed = remove([ENKOPING], IndexTarget(index_dir, counting))
    assert removed.removed == (ENKOPING,) and removed.documents == 2
    assert counting.embedded == 0 and index_dir.resolve() != previous
    assert _chunk_count(index_dir, ENKOPING) == 0
    assert _mark_net_cost(index_dir) == -205.6
    with pytest.raises(IndexOpenError, match=r"no document 'nope\.txt'"):
        remove(["nope.txt"], IndexTarget(index_dir, HashEmbedder()))


def test_command_line_metadata_overrides_and_is_reported(tmp_path):
    index_dir = tmp_path / "index"
    (mark,) = _copy(tmp_path / "docs", MARK_PLAN)
    (mark.parent / f"{mark.stem}.meta.toml").unlink(missing_ok=True)
    guessed = ingest([mark], IndexTarget(index_dir, HashEmbedder()), progress=False)
    (meta, source) = guessed.metadata[0]
    assert meta.municipality == "Marks kommun" and "guessed" in source
    assert "guessed from the text" in guessed.summary()

    flagged = ingest(
        [mark],
        IndexTarget(index_dir, HashEmbedder()),
        progress=False,
        meta={"municipality": "Provs kommun", "year": 2030},
    )
    assert flagged.replaced == (MARK_PLAN,)
    assert "municipality='Provs kommun'" in flagged.summary()
    with open_index(index_dir, HashEmbedder()) as reader:
        (stored,) = reader.store.documents()
        assert (stored.municipality, stored.year) == ("Provs kommun", 2030)
        assert reader.store.cells(municipality="Provs kommun")


def test_cli_ingest_remove_and_list(tmp_path):
    index_dir = tmp_path / "index"
    mark, kompass = _copy(tmp_path / "docs", MARK_PLAN, KOMPASS)
    env = {"ASSISTANT_EMBEDDER__KIND": "hash", "ASSISTANT_LLM__PROVIDER": "none"}

    def run(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "assistant", "--index-dir", str(index_dir), *args]
        return subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, **env},
        )  # fmt: skip

    done = run("ingest", str(mark), str(kompass), "--collection", "test")
    assert done.returncode == 0, done.stderr
    assert "indexed 2, skipped 0" in done.stdout
    assert "collection='test'" in done.stdout
    done = run("remove", KOMPASS)
    assert done.returncode == 0, done.stderr
    listed = run("list")
    assert listed.returncode == 0, listed.stderr
    assert MARK_PLAN in listed.stdout and KOMPASS not in listed.stdout


@pytest.mark.slow
def test_sigkill_during_incremental_ingest_keeps_previous_index(tmp_path):
    index_dir = tmp_path / "index"
    docs = _copy(tmp_path / "docs", MARK_PLAN, KOMPASS)
    first = ingest(docs, IndexTarget(index_dir, HashEmbedder()), progress=False)
    (enkoping,) = _copy(tmp_path / "new", ENKOPING)
    partial = kill_ingest_midway(enkoping, index_dir, force=False)
    assert _mark_net_cost(index_dir) == -205.6
    with open_index(index_dir, HashEmbedder()) as reader:
        assert sorted(reader.manifest.documents) == [MARK_PLAN, KOMPASS]
        assert len(reader.store.all_chunks()) == first.chunks
    # The next ingest completes, adds the document and clears the half build.
    again = ingest([enkoping], IndexTarget(index_dir, HashEmbedder()), progress=False)
    assert again.built and again.added == (ENKOPING,) and not partial.exists()
    assert _mark_net_cost(index_dir) == -205.6
