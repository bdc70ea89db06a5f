"""Session fixtures shared by the assistant tests (kept light: imports are lazy)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def real_assistant():  # -> assistant.app.Assistant
    """The real assistant (e5 model + built index), loaded once per session."""
    from assistant.app import build_assistant
    from assistant.settings import load_settings
    from index.manifest import MANIFEST_FILE

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("ASSISTANT_EMBEDDER__KIND", raising=False)
        mp.delenv("ASSISTANT_LLM__PROVIDER", raising=False)
        settings = load_settings()
    if not (settings.index_dir / MANIFEST_FILE).is_file():
        pytest.skip(f"no built index at {settings.index_dir}; run `make setup` first")
    if not Path(settings.embedder.model_dir).is_dir():
        pytest.skip(
            f"model {settings.embedder.model_dir} is missing; run `make setup` first"
        )
    return build_assistant(settings)


@pytest.fixture(scope="session")
def ask(real_assistant):  # -> Callable[[str], Answer]
    """Ask the real assistant one question; every answer is checked well formed."""
    from assistant_fixtures import check_well_formed

    def _ask(question: str):  # -> assistant.models.Answer
        answer = real_assistant.ask(question)
        check_well_formed(answer)
        return answer

    return _ask


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample documents indexed with the fast fake embedder (no model)."""
    from assistant_fixtures import DOCUMENTS

    from index.embed import HashEmbedder
    from index.ingest import IndexTarget, ingest

    index_dir = tmp_path_factory.mktemp("hash") / "index"
    report = ingest([DOCUMENTS], IndexTarget(index_dir, HashEmbedder()), progress=False)
    assert report.built and not report.errors, report
    return index_dir


@pytest.fixture(scope="session")
def hash_assistant(hash_index: Path):  # -> assistant.app.Assistant
    """``build_assistant`` on ``hash_index`` with ASSISTANT_EMBEDDER__KIND=hash."""
    from assistant.app import build_assistant
    from assistant.settings import load_settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
        mp.setenv("ASSISTANT_LLM__PROVIDER", "none")
        settings = load_settings(index_dir=hash_index)
    # Settings are read here; the env change must not leak into other tests.
    assert settings.embedder.kind == "hash"
    return build_assistant(settings)


@pytest.fixture
def two_documents(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Settings for an index of Mark's plan and Kommunkompassen in a temp folder,
    built with the hash embedder (no model) in the index's own Chroma store."""
    import shutil

    from assistant_fixtures import DOCUMENTS

    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    monkeypatch.delenv("ASSISTANT_CHROMA__MODE", raising=False)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("000_965797b1dd14ccdb", "001_044694e4ac685f9b"):
        for suffix in (".txt", ".meta.toml"):
            shutil.copy(DOCUMENTS / f"{name}{suffix}", docs)
    return load_settings(index_dir=tmp_path / "index", documents_dir=docs)
