"""The structured dense baseline over a fake dense index built from real document lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.models import Chunk
from evals.baseline import StructuredDenseBaseline
from evals.documents import DocumentLibrary
from evals.metrics import citation_problems, is_refusal

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARKS = "000_965797b1dd14ccdb.txt"
LIB = DocumentLibrary(DOCS)


def line_chunk(n: int) -> Chunk:
    text = LIB.lines(MARKS)[n - 1]  # type: ignore[index]
    return Chunk(f"m:{n}", MARKS, "5 Ekonomi", n, n, text, text, "text", "h")


class FakeIndex:
    """Ranks one chunk per line by shared words; records the calls."""

    def __init__(self, lines: range) -> None:
        self.chunks = {f"m:{n}": line_chunk(n) for n in lines}
        self.calls: list[tuple[str, int, Any]] = []

    def dense(self, query: str, k: int, where: Any = None) -> list[tuple[str, float]]:
        self.calls.append((query, k, where))
        words = set(query.casefold().split())
        scored = sorted(
            self.chunks.values(),
            key=lambda c: (-len(words & set(c.text.casefold().split())), c.line_start),
        )
        return [(c.chunk_id, 1.0 / (i + 1)) for i, c in enumerate(scored[:k])]

    def chunk(self, chunk_id: str) -> Chunk:
        return self.chunks[chunk_id]


def test_baseline_answers_with_the_top_chunk_and_cites_the_top_three() -> None:
    index = FakeIndex(range(590, 620))
    baseline = StructuredDenseBaseline(index, index)
    answer = baseline.ask(
        "kostnaden per år och arbetsplats", history=["Vad kostar lokalerna?"]
    )
    top = index.chunks[index.dense("kostnaden per år och arbetsplats", 1)[0][0]]
    assert index.calls[0] == (
        "kostnaden per år och arbetsplats",
        10,
        None,
    )  # no history
    assert answer.answer == top.text
    assert "27 219 kr" in answer.answer
    assert not answer.refused and not is_refusal(answer)
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert len(answer.retrieved) == 10
    assert answer.citations[0].line_start == answer.retrieved[0].line_start
    assert citation_problems(answer, LIB) == ()


def test_baseline_never_refuses_even_with_an_empty_index() -> None:
    index = FakeIndex(range(0))
    answer = StructuredDenseBaseline(index, index).ask("Vad är budgeten 2031?")
    assert answer.refused is False
    assert answer.answer == "" and answer.citations == ()
