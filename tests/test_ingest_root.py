"""``build_indexer``: the one place that picks the embedder and the Chroma target,
used by the CLI, the web upload and the eval baseline (hash embedder, no model)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from assistant_fixtures import DOCUMENTS

import assistant.ingest_root as ingest_root
from assistant.cli import main as cli_main
from assistant.ingest_root import Indexer, build_indexer, chroma_http
from index.embed import HashEmbedder

KOMPASS = "001_044694e4ac685f9b.txt"


@pytest.fixture
def settings(two_documents):  # type: ignore[no-untyped-def]
    return two_documents


@pytest.fixture
def calls(monkeypatch):  # type: ignore[no-untyped-def]
    """Every ``build_indexer`` call, still building the real Indexer."""
    seen: list[Indexer] = []
    real = ingest_root.build_indexer

    def spy(settings, embedder=None):  # type: ignore[no-untyped-def]
        seen.append(real(settings, embedder))
        return seen[-1]

    monkeypatch.setattr(ingest_root, "build_indexer", spy)
    return seen


def test_settings_choose_the_embedder_and_the_chroma_target(settings):
    indexer = build_indexer(settings)
    assert isinstance(indexer.embedder, HashEmbedder)
    assert indexer.chroma_http is None
    assert (indexer.index_dir, indexer.documents_dir) == (
        settings.index_dir,
        settings.documents_dir,
    )
    server = settings.model_copy(
        update={"chroma": settings.chroma.model_copy(update={"mode": "http"})}
    )
    assert chroma_http(server) == (settings.chroma.host, settings.chroma.port)
    assert build_indexer(server).chroma_http == chroma_http(server)


def test_indexer_builds_opens_and_removes_with_one_embedder(settings):
    indexer = build_indexer(settings)
    report = indexer.ingest(progress=False)  # default: the documents folder
    assert report.built and report.documents == 2 and not report.errors
    with indexer.open() as reader:
        names = sorted(m.doc for m in reader.store.documents())
        assert reader.vectors.count() == report.chunks
    assert names == ["000_965797b1dd14ccdb.txt", KOMPASS]
    removed = indexer.remove([KOMPASS])
    assert removed.removed == (KOMPASS,) and removed.documents == 1


def test_cli_ingest_and_remove_go_through_build_indexer(settings, calls, capsys):
    index = str(settings.index_dir)
    docs = str(settings.documents_dir)
    assert cli_main(["--index-dir", index, "ingest", docs]) == 0
    assert "built index" in capsys.readouterr().out
    assert cli_main(["--index-dir", index, "remove", KOMPASS]) == 0
    assert len(calls) == 2 and all(isinstance(c.embedder, HashEmbedder) for c in calls)
    assert {c.index_dir for c in calls} == {settings.index_dir}


def test_eval_baseline_opens_the_index_through_build_indexer(settings, calls):
    from evals.baseline import build_baseline

    build_indexer(settings).ingest(progress=False)
    calls.clear()
    baseline = build_baseline(settings)
    answer = baseline.ask("Vad är Kommunkompassen?")
    assert len(calls) == 1 and answer.citations
    assert {c.doc for c in answer.citations} <= {"000_965797b1dd14ccdb.txt", KOMPASS}


def test_web_upload_ingests_through_build_indexer(settings, calls, tmp_path):
    from assistant.app import build_assistant
    from assistant.web.chat import ChatHandlers, Pacing
    from assistant.web.feedback import FeedbackStore
    from assistant.web.upload import UploadHandlers

    build_indexer(settings).ingest(progress=False)
    settings = settings.model_copy(
        update={"ui": settings.ui.model_copy(update={"allow_upload": True})}
    )
    chat = ChatHandlers(
        build_assistant(settings),
        FeedbackStore(tmp_path / "fb.sqlite"),
        pacing=Pacing(stream_delay=0),
    )
    calls.clear()
    source = tmp_path / "upload" / "002_1a38c4bd8c4b403d.txt"
    source.parent.mkdir()
    shutil.copy(DOCUMENTS / source.name, source)
    html = UploadHandlers(settings, chat).upload([str(source)])
    assert "indexed 1, skipped 0" in html, html
    # The upload built the index, then the swapped-in assistant opened it.
    assert len(calls) == 2 and all(isinstance(c.embedder, HashEmbedder) for c in calls)
    assert (Path(settings.documents_dir) / source.name).is_file()
