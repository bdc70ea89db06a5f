"""The runner and the CLI with a fake assistant over the real sample documents."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from assistant.models import Answer, Citation, Filters, Hit
from evals.__main__ import main
from evals.documents import DocumentLibrary
from evals.runner import EvalRun, prepare_cases, run_system, write_run

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
MARKS = "000_965797b1dd14ccdb.txt"
LIB = DocumentLibrary(DOCS)
NET_LINE = next(
    i
    for i, line in enumerate(LIB.lines(MARKS) or (), start=1)
    if "Nettokostnader" in line
)

GOOD = {
    "id": "net",
    "question": "Vad är Kommunstyrelsens nettokostnader i budget 2024?",
    "lang": "sv",
    "type": "number",
    "answer": "205,6 mnkr",
    "must_contain": [["205,6"], "mnkr"],
    "source_doc": MARKS,
    "source_quote": "<b>Nettokostnader</b>",
}
FOLLOW = {
    **GOOD,
    "id": "follow",
    "type": "follow_up",
    "question": "Och 2025?",
    "history": ["Vad är Kommunstyrelsens nettokostnader i budget 2024?"],
    "must_contain": ["207,0"],
}
UNANSWERABLE = {
    "id": "none",
    "question": "What is the budget for 2031?",
    "lang": "en",
    "type": "unanswerable",
    "answer": "",
    "must_contain": [],
    "source_doc": [],
    "source_quote": None,
}


def citation(n: int, doc: str, line: int) -> Citation:
    text = LIB.lines(doc)[line - 1]  # type: ignore[index]
    return Citation(n, doc, "Nämndplan", "5 Ekonomi", line, line, text)


class FakeAssistant:
    """Answers from a table keyed by question; records the history it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def ask(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Answer:
        self.calls.append((question, tuple(history)))
        if question.startswith("What is the budget for 2031"):
            return Answer(question, "The documents do not say.", refused=True)
        if question == "Och 2025?":
            raise RuntimeError("index went away")
        c = citation(1, MARKS, NET_LINE)
        hit = Hit("m:5", MARKS, "5", NET_LINE, NET_LINE, c.text, "table", 0.9)
        return Answer(
            question,
            "Nettokostnaderna är 205,6\u00a0mnkr i budget 2024 [1].",
            refused=False,
            citations=(c,),
            retrieved=(hit,),
        )


class TopChunkBaseline:
    """Plain-RAG stand-in: never refuses, answers with a neighbouring line."""

    def ask(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> Answer:
        c = citation(1, MARKS, NET_LINE - 1)
        hit = Hit("m:4", MARKS, "5", c.line_start, c.line_end, c.text, "table", 0.5)
        return Answer(question, c.text, False, citations=(c,), retrieved=(hit,))


def write_jsonl(path: Path, lines: Sequence[object]) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


BAD_LINES = [
    GOOD,
    "{not json",
    {k: v for k, v in GOOD.items() if k != "answer"} | {"id": "nofield"},
    GOOD | {"id": "badtype", "type": "trivia"},
    GOOD | {"id": "badquote", "source_quote": "Denna text finns inte i dokumentet"},
    UNANSWERABLE,
]


def test_prepare_cases_names_every_bad_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", BAD_LINES)
    cases, problems = prepare_cases(path, LIB)
    assert [c.case.id for c in cases] == ["net", "none"]
    assert [p.line for p in problems] == [2, 3, 4, 5]
    messages = [str(p) for p in problems]
    assert messages[0].startswith(f"{path}:2: not valid JSON")
    assert "missing field(s) answer" in messages[1]
    assert "unknown type 'trivia'" in messages[2]
    assert "was not found in 000_965797b1dd14ccdb.txt" in messages[3]
    assert cases[0].source_spans[0][0].start == NET_LINE


def test_run_writes_all_report_files(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", [*BAD_LINES, FOLLOW])
    cases, skipped = prepare_cases(path, LIB)
    fake = FakeAssistant()
    runs = (
        run_system("assistant", fake, cases, LIB, progress=False),
        run_system("baseline", TopChunkBaseline(), cases, LIB, progress=False),
    )
    out = write_run(EvalRun(str(path), "set", runs, skipped), tmp_path / "run")

    assert ("Och 2025?", tuple(FOLLOW["history"])) in fake.calls
    results = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in results] == ["net", "none", "follow"]
    net, none, follow = results
    assert net["scores"]["answer_correct"] is True
    assert net["scores"]["citation_supported"] is True
    assert net["scores"]["hits"] == {"hit@1": True, "hit@5": True, "hit@10": True}
    assert net["answer"]["citations"][0]["line_start"] == NET_LINE
    assert none["scores"]["refusal_correct"] is True
    assert follow["error"] == "RuntimeError: index went away"
    assert follow["scores"]["correct"] is False

    baseline = [
        json.loads(x) for x in (out / "baseline_results.jsonl").read_text().splitlines()
    ]
    assert baseline[0]["scores"]["citation_supported"] is False  # the line above
    assert baseline[1]["scores"]["refusal_correct"] is False  # never refuses

    summary = json.loads((out / "summary.json").read_text())
    overall = summary["systems"]["assistant"]["overall"]
    assert overall["correct"] == {"value": pytest.approx(2 / 3), "n": 3}
    assert overall["errors"] == 1
    assert summary["systems"]["baseline"]["overall"]["correct"]["value"] == 0.0
    assert [p["line"] for p in summary["skipped"]] == [2, 3, 4, 5]
    assert set(summary["systems"]["assistant"]["by_lang"]) == {"sv", "en"}

    report = (out / "report.md").read_text()
    assert (
        "| Correct (answer or refusal) | 66.7% (2/3) | 0.0% (0/3) | +66.7 pp |"
        in report
    )
    assert f"{path}:3: missing field(s) answer" in report
    assert "error: RuntimeError: index went away" in report
    # Medians of the three answers: the refusal sentence sits between the error's
    # empty answer and the figure; the baseline always answers the line above.
    refusal, above = (
        len("The documents do not say."),
        len(citation(1, MARKS, NET_LINE - 1).text),
    )
    assert (
        f"| Answer length p50 (characters) | {refusal} | {above} | {refusal - above:+d} |"
        in report
    )
    assert (
        "![Correct (answer or refusal) by question type](accuracy.png)\n"
        "![Latency per question](latency.png)\n" in report
    )
    for chart in ("accuracy.png", "latency.png"):
        with Image.open(out / chart) as image:
            assert image.format == "PNG" and image.size[0] > 500


def test_a_failed_write_leaves_the_previous_run_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", [GOOD])
    cases, _ = prepare_cases(path, LIB)
    run = EvalRun(
        str(path),
        "set",
        (run_system("assistant", FakeAssistant(), cases, LIB, False),),
        (),
    )
    out = write_run(run, tmp_path / "run")
    before = (out / "report.md").read_text()

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("evals.report.render_report", broken)
    with pytest.raises(OSError, match="disk full"):
        write_run(run, out)
    assert (out / "report.md").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run", "set.jsonl"]


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> FakeAssistant:
    """Stand in for assistant.app so the CLI runs without an index."""
    fake = FakeAssistant()
    module = types.ModuleType("assistant.app")
    module.build_assistant = lambda settings: fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.app", module)
    monkeypatch.setattr(
        "evals.baseline.build_baseline", lambda settings: TopChunkBaseline()
    )
    monkeypatch.setattr(
        "evals.langchain_baseline.build_langchain_baseline",
        lambda settings, documents_dir: TopChunkBaseline(),
    )
    return fake


def test_cli_strict_stops_on_bad_input_without_a_report(
    tmp_path: Path, fake_app: FakeAssistant, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", BAD_LINES)
    out = tmp_path / "run"
    code = main(
        ["run", str(path), "--strict", "--out", str(out), "--documents", str(DOCS)]
    )
    assert code == 2
    assert not out.exists()
    assert fake_app.calls == []
    err = capsys.readouterr().err
    assert f"{path}:2: not valid JSON" in err
    assert f"{path}:5: source_quote" in err
    assert "No report was written" in err


def test_cli_skips_bad_lines_and_runs_the_baseline(
    tmp_path: Path, fake_app: FakeAssistant, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", BAD_LINES)
    out = tmp_path / "run"
    args = ["run", str(path), "--out", str(out), "--documents", str(DOCS)]
    code = main([*args, "--baseline", "--limit", "1", "--quiet"])
    assert code == 0
    assert {p.name for p in out.iterdir()} == {
        "results.jsonl",
        "structured_dense_baseline_results.jsonl",
        "langchain_baseline_results.jsonl",
        "summary.json",
        "report.md",
        "accuracy.png",
        "latency.png",
    }
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["systems"]) == [
        "assistant",
        "structured dense baseline",
        "LangChain baseline",
    ]
    header = next(
        line
        for line in (out / "report.md").read_text().splitlines()
        if "Metric" in line
    )
    assert header.startswith(
        "| Metric | assistant | structured dense baseline | LangChain baseline |"
    )
    assert summary["cases"] == 1 and summary["generator"] == "extractive"
    assert "skipped:" in capsys.readouterr().err


def test_cli_llm_generator_without_a_provider_is_an_input_error(
    tmp_path: Path, fake_app: FakeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSISTANT_LLM__PROVIDER", raising=False)
    path = write_jsonl(tmp_path / "set.jsonl", [GOOD])
    assert (
        main(["run", str(path), "--generator", "llm", "--out", str(tmp_path / "r")])
        == 2
    )
