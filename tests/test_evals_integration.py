"""The real assistant on the smoke set: the run folder is complete and parses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ROOT / "evals" / "questions" / "smoke.jsonl"


@pytest.mark.integration
def test_smoke_run_writes_a_parsable_report(tmp_path: Path) -> None:
    from assistant.settings import load_settings
    from index.manifest import MANIFEST_FILE

    settings = load_settings()
    if not SMOKE.is_file():
        pytest.skip(f"{SMOKE} is missing (the question sets are written separately)")
    if not (settings.index_dir / MANIFEST_FILE).is_file():
        pytest.skip(f"no built index at {settings.index_dir}; run `make setup` first")

    out = tmp_path / "smoke"
    assert main(["run", str(SMOKE), "--out", str(out), "--baseline", "--quiet"]) == 0

    cases = sum(
        1 for line in SMOKE.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["cases"] + len(summary["skipped"]) == cases
    for name in ("assistant", "structured dense baseline", "LangChain baseline"):
        overall = summary["systems"][name]["overall"]
        assert overall["questions"] == summary["cases"]
        assert overall["errors"] == 0
        assert 0.0 <= overall["correct"]["value"] <= 1.0
        assert overall["latency_ms"]["p95"] >= overall["latency_ms"]["p50"] > 0
    results = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(results) == summary["cases"]
    assert all("scores" in json.loads(line) for line in results)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert re.search(
        r"\| Correct \(answer or refusal\) \| \d+\.\d% \(\d+/\d+\) \|", report
    )
    for chart in ("accuracy.png", "latency.png"):
        assert (out / chart).read_bytes().startswith(b"\x89PNG")
