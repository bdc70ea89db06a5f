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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_COLD_MS = 2000.0
TARGET_CACHED_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="cached reads per doc")
    parser.add_argument("--cache-dir", type=Path, help="default: a temporary folder")
    args = parser.parse_args()

    from assistant.app import build_assistant
    from assistant.brief.build import build_brief
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
    asked: list[str] = []
    ask = assistant.ask

    ask_ms: list[float] = []

    def counting_ask(*a, **k):
        asked.append(a[0])
        t = time.perf_counter()
        answer = ask(*a, **k)
        ask_ms.append((time.perf_counter() - t) * 1000)
        return answer

    assistant.ask = counting_ask  # type: ignore[method-assign]
    colds, cacheds = [], []
    for doc in docs:
        t0 = time.perf_counter()
        build_brief(assistant, doc, with_questions=False)
        parts_only = (time.perf_counter() - t0) * 1000
        asked.clear()
        ask_ms.clear()
        t0 = time.perf_counter()
        brief = cache.get(assistant, doc)
        cold = (time.perf_counter() - t0) * 1000
        cache.charts(brief)
        cold_charts = (time.perf_counter() - t0) * 1000
        reads, with_charts = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            again = cache.get(assistant, doc)
            reads.append((time.perf_counter() - t0) * 1000)
            cache.charts(again)
            with_charts.append((time.perf_counter() - t0) * 1000)
        present = sum(not p.missing for p in brief.parts)
        items = sum(len(p.items) for p in brief.parts)
        print(
            f"| {doc} | {present}/{len(brief.parts)} | {items} "
            f"| {len(brief.questions)} ({len(asked)}) | {len(brief.charts)} "
            f"| {parts_only:.0f} | {sum(ask_ms):.0f} | {cold:.0f} | {cold_charts:.0f} "
            f"| {statistics.median(reads):.1f} | {max(reads):.1f} "
            f"| {statistics.median(with_charts):.1f} |"
        )
        colds.append(cold)
        cacheds.append(statistics.median(reads))
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
