"""Benchmark ``Assistant.ask`` latency against the plain-RAG baseline.

Loads the real assistant and the baseline once, warms both up, then asks every
question of a question set (with its chat history) and prints a Markdown table of
n, p50, p95, max and mean latency in ms, with assistant/baseline ratios, and where
the assistant's time goes (query embedding, timed separately on the same questions,
vs the rest). Targets: p50 < 150 ms, p95 < 500 ms.

Usage: python scripts/bench_ask.py [--file evals/questions/dev.jsonl] [--warmup 3]
       [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_FILE = ROOT / "evals" / "questions" / "dev.jsonl"
TARGET_P50_MS = 150.0
TARGET_P95_MS = 500.0


@dataclass(frozen=True)
class Case:
    question: str
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stats:
    n: int
    p50: float
    p95: float
    max: float
    mean: float

    @classmethod
    def of(cls, ms: Sequence[float]) -> Stats:
        ordered = sorted(ms)
        return cls(
            n=len(ordered),
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            max=ordered[-1],
            mean=statistics.fmean(ordered),
        )


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile of sorted values (numpy's default method)."""
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * pct / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def load_cases(path: Path) -> list[Case]:
    """Questions (and chat histories) of a JSONL question set."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            cases.append(Case(record["question"], tuple(record.get("history", ()))))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            sys.exit(f"{path}:{number}: not a question record ({error}); fix the line")
    if not cases:
        sys.exit(f"{path}: no questions")
    return cases


def time_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def run(
    ask: Callable[..., object], cases: Sequence[Case], warmup: int, repeat: int
) -> list[float]:
    for case in cases[:warmup]:
        ask(case.question, history=list(case.history))
    return [
        time_ms(lambda c=case: ask(c.question, history=list(c.history)))
        for _ in range(repeat)
        for case in cases
    ]


def row(name: str, s: Stats) -> str:
    return (
        f"| {name} | {s.n} | {s.p50:.1f} | {s.p95:.1f} | {s.max:.1f} | {s.mean:.1f} |"
    )


def ratio_row(a: Stats, b: Stats) -> str:
    def r(x: float, y: float) -> str:
        return f"{x / y:.2f}x" if y else "-"

    return (
        f"| assistant / baseline | {a.n} | {r(a.p50, b.p50)} | {r(a.p95, b.p95)} | "
        f"{r(a.max, b.max)} | {r(a.mean, b.mean)} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--warmup", type=int, default=3, help="untimed asks first")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the set")
    args = parser.parse_args(argv)

    from assistant.app import build_assistant
    from assistant.ingest_root import make_embedder
    from assistant.settings import load_settings
    from evals.baseline import build_baseline
    from index.build import IndexOpenError

    cases = load_cases(args.file)
    settings = load_settings()
    try:
        started = time.perf_counter()
        assistant = build_assistant(settings)
        load_s = time.perf_counter() - started
        baseline = build_baseline(settings)
        embedder = make_embedder(settings)
    except (IndexOpenError, OSError) as error:
        sys.exit(f"cannot open the index or model ({error}); run `make setup` first")

    ours = Stats.of(run(assistant.ask, cases, args.warmup, args.repeat))
    base = Stats.of(run(baseline.ask, cases, args.warmup, args.repeat))
    for case in cases[: args.warmup]:
        embedder.embed_query(case.question)
    embed = Stats.of(
        [
            time_ms(lambda q=case.question: embedder.embed_query(q))
            for _ in range(args.repeat)
            for case in cases
        ]
    )

    print(
        f"Questions: {args.file} ({len(cases)} x {args.repeat}), warm-up "
        f"{args.warmup}, embedder {settings.embedder.kind}, assistant loaded in "
        f"{load_s:.1f} s\n"
    )
    print("| system | n | p50 ms | p95 ms | max ms | mean ms |")
    print("|---|---|---|---|---|---|")
    print(row("assistant", ours))
    print(row("baseline (dense top-10)", base))
    print(ratio_row(ours, base))
    print()
    print("Where the assistant's time goes (means over the same questions):\n")
    print("| part | mean ms | share |")
    print("|---|---|---|")
    rest = max(ours.mean - embed.mean, 0.0)
    print(
        f"| query embedding (embed_query) | {embed.mean:.1f} | "
        f"{embed.mean / ours.mean:.0%} |"
    )
    print(
        f"| everything else (retrieval, lookup, composition) | {rest:.1f} | "
        f"{rest / ours.mean:.0%} |"
    )
    print(f"| embed_query p50 / p95 | {embed.p50:.1f} / {embed.p95:.1f} | |")
    print()
    ok_p50, ok_p95 = ours.p50 < TARGET_P50_MS, ours.p95 < TARGET_P95_MS
    print(
        f"Targets: p50 < {TARGET_P50_MS:.0f} ms {'met' if ok_p50 else 'MISSED'}, "
        f"p95 < {TARGET_P95_MS:.0f} ms {'met' if ok_p95 else 'MISSED'}"
    )
    return 0 if ok_p50 and ok_p95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
