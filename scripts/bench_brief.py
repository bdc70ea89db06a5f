"""Benchmark onboarding briefs: cold (built from the existing index, questions asked)
and cached (read from the brief cache), per document.

Loads the real assistant once (its load time is printed apart), warms it up with
one question, then for each indexed document builds the brief into an empty cache
directory and reads it back ``--repeat`` times. Prints a Markdown table in ms.
Targets: cold < 2000 ms, cached < 100 ms.

Usage: python scripts/bench_brief.py [--repeat 20] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_COLD_MS = 2000.0
TARGET_CACHED_MS = 100.0


class _CountingAsk:
    """Wraps ``assistant.ask``: the questions a brief asks and their times."""

    def __init__(self, ask: Callable[..., Any]) -> None:
        self.ask = ask
        self.asked: list[str] = []
        self.ask_ms: list[float] = []

    def clear(self) -> None:
        self.asked.clear()
        self.ask_ms.clear()

    def __call__(self, *a: Any, **k: Any) -> Any:
        self.asked.append(a[0])
        t = time.perf_counter()
        answer = self.ask(*a, **k)
        self.ask_ms.append((time.perf_counter() - t) * 1000)
        return answer


def _measure(
    assistant: Any, cache: Any, doc: str, repeat: int, counter: _CountingAsk
) -> tuple[float, float]:
    """Print one document's row; return its cold and cached p50 ms."""
    from assistant.brief.build import build_brief

    t0 = time.perf_counter()
    build_brief(assistant, doc, with_questions=False)
    parts_only = (time.perf_counter() - t0) * 1000
    counter.clear()
    t0 = time.perf_counter()
    brief = cache.get(assistant, doc)
    cold = (time.perf_counter() - t0) * 1000
    cache.charts(brief)
    cold_charts = (time.perf_counter() - t0) * 1000
    reads, with_charts = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        again = cache.get(assistant, doc)
        reads.append((time.perf_counter() - t0) * 1000)
        cache.charts(again)
        with_charts.append((time.perf_counter() - t0) * 1000)
    present = sum(not p.missing for p in brief.parts)
    items = sum(len(p.items) for p in brief.parts)
    print(
        f"| {doc} | {present}/{len(brief.parts)} | {items} "
        f"| {len(brief.questions)} ({len(counter.asked)}) | {len(brief.charts)} "
        f"| {parts_only:.0f} | {sum(counter.ask_ms):.0f} | {cold:.0f} "
        f"| {cold_charts:.0f} | {statistics.median(reads):.1f} | {max(reads):.1f} "
        f"| {statistics.median(with_charts):.1f} |"
    )
    return cold, statistics.median(reads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="cached reads per doc")
    parser.add_argument("--cache-dir", type=Path, help="default: a temporary folder")
    args = parser.parse_args()

    from assistant.app import build_assistant
    from assistant.brief.cache import BriefCache
    from assistant.models import Filters
    from assistant.settings import load_settings

    start = time.perf_counter()
    assistant = build_assistant(load_settings())
    load_s = time.perf_counter() - start
    docs = [d.doc for d in assistant.documents()]
    assistant.ask("Vad är nämndens uppdrag?", filters=Filters(doc=docs[0]))  # warm-up
    folder = args.cache_dir or Path(tempfile.mkdtemp(prefix="briefs-"))
    cache = BriefCache(folder)
    print(f"assistant load (model + index, once): {load_s:.1f} s; cache: {folder}\n")
    print(
        "| document | parts present | items | questions (asked) | charts "
        "| parts only ms | asks ms | cold ms | cold + charts ms | cached p50 ms "
        "| cached max ms | cached + charts p50 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    counter = _CountingAsk(assistant.ask)
    assistant.ask = counter  # type: ignore[method-assign]
    measured = [_measure(assistant, cache, doc, args.repeat, counter) for doc in docs]
    colds = [cold for cold, _ in measured]
    cacheds = [cached for _, cached in measured]
    ok_cold = max(colds) < TARGET_COLD_MS
    ok_cached = max(cacheds) < TARGET_CACHED_MS
    print(
        f"\ncold max {max(colds):.0f} ms (target < {TARGET_COLD_MS:.0f}: "
        f"{'met' if ok_cold else 'NOT met'}); cached p50 max {max(cacheds):.1f} ms "
        f"(target < {TARGET_CACHED_MS:.0f}: {'met' if ok_cached else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
