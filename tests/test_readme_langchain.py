"""The README's LangChain example runs as printed (on the hash index)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example(heading: str = "## LangChain") -> str:
    """The first ```python block of the README section ``heading``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, f"no python block under {heading!r} in {README}"
    return found.group(1)


def test_example_is_about_ten_lines() -> None:
    lines = [line for line in readme_example().splitlines() if line.strip()]
    assert len(lines) <= 10


def test_readme_example_runs(
    hash_index: Path, hash_assistant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(hash_index))
    monkeypatch.setenv("ASSISTANT_EMBEDDER__KIND", "hash")
    monkeypatch.setenv("ASSISTANT_LLM__PROVIDER", "none")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), str(README), "exec"), {})
    printed = out.getvalue()
    lines = printed.splitlines()

    metas = {m.doc: m for m in hash_assistant.documents()}
    sources = [line.split(" ")[0] for line in lines[:3]]
    assert all(doc in metas for doc in sources), lines
    # The example's year filter: only documents about 2025.
    assert all(metas[d].year == 2025 or "2025" in metas[d].period for d in sources), (
        sources
    )
    follow_up = hash_assistant.ask(
        "Och för 2024?", history=["Hur stor är driftsbudgeten 2025 i Mark?"]
    )
    assert f"\n{follow_up.answer} [(" in printed
    # The stream: the answer text, then the answer object.
    kompass = hash_assistant.ask("Vad är Kommunkompassen?")
    assert f"\n{kompass.answer}\n{{'question': 'Vad är Kommunkompassen?', " in printed
