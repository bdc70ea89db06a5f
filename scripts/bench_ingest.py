"""Benchmark a full ingest: hash embedder (baseline) vs multilingual-e5-small.

Each embedder runs in its own subprocess so peak RSS is per run. Prints a Markdown
table. Also checks that ``index.e5_convert`` is deterministic (two conversions to
temporary folders give identical file hashes) unless ``--skip-convert-check``.

Usage: python scripts/bench_ingest.py [--docs DIR] [--skip-convert-check]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60.0


class TimedEmbedder:
    """Wraps an embedder and adds up the time spent embedding passages."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.model_id, self.dim = inner.model_id, inner.dim
        self.seconds = 0.0
        self.passages = 0

    def embed_documents(self, texts):
        start = time.perf_counter()
        out = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - start
        self.passages += len(texts)
        return out

    def embed_query(self, text):
        return self.inner.embed_query(text)


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_one(kind: str, docs: Path) -> dict[str, float]:
    """One full ingest in this process; returns the measurements."""
    from assistant.ingest_root import make_embedder
    from assistant.settings import load_settings
    from corpus.chunk import CHUNKER_VERSION
    from corpus.load import load_corpus
    from corpus.parse import parse_document
    from index.build import BuildOptions, build_index

    start = time.perf_counter()
    settings = load_settings(embedder={"kind": kind})
    embedder = TimedEmbedder(make_embedder(settings))
    model_load = time.perf_counter() - start
    t = time.perf_counter()
    documents, _ = load_corpus([docs])
    parsed = [parse_document(d) for d in documents]
    parse = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        t = time.perf_counter()
        build_index(
            parsed, embedder, index_dir, BuildOptions(CHUNKER_VERSION, progress=False)
        )
        build = time.perf_counter() - t
        size = _dir_size(index_dir.resolve())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "model_load_s": model_load,
        "parse_s": parse,
        "embed_s": embedder.seconds,
        "write_s": build - embedder.seconds,
        "passages": embedder.passages,
        "passages_per_s": embedder.passages / max(embedder.seconds, 1e-9),
        "index_mb": size / 1e6,
        "peak_rss_mb": peak_kb / 1024,
        "total_s": time.perf_counter() - start,
    }


def convert_check() -> str:
    from index.e5_convert import convert

    with tempfile.TemporaryDirectory() as tmp:
        first = convert(Path(tmp) / "a", verify=False, log=lambda _: None)
        second = convert(Path(tmp) / "b", verify=False, log=lambda _: None)
    if first != second:
        changed = sorted(k for k in first if first[k] != second.get(k))
        return f"NOT deterministic: {changed} differ"
    weights = first["model.safetensors"][:16]
    return f"deterministic ({len(first)} files identical, model.safetensors {weights}…)"


ROWS = (
    ("parse (s)", "parse_s", "{:.2f}"),
    ("model load (s)", "model_load_s", "{:.2f}"),
    ("embed (s)", "embed_s", "{:.2f}"),
    ("write Chroma/BM25/SQLite (s)", "write_s", "{:.2f}"),
    ("passages", "passages", "{:.0f}"),
    ("passages/s", "passages_per_s", "{:.1f}"),
    ("index size on disk (MB)", "index_mb", "{:.1f}"),
    ("peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
    ("total (s)", "total_s", "{:.2f}"),
)


def table(hash_run: dict[str, float], e5_run: dict[str, float]) -> str:
    lines = ["| metric | hash (baseline) | e5 | e5 / hash |", "|---|---:|---:|---:|"]
    for label, key, fmt in ROWS:
        a, b = hash_run[key], e5_run[key]
        ratio = f"{b / a:.1f}×" if a >= 0.01 else "–"
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "corpus" / "documents")
    parser.add_argument("--one", choices=("hash", "e5"), help=argparse.SUPPRESS)
    parser.add_argument("--skip-convert-check", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.docs)))
        return 0
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    runs = {}
    for kind in ("hash", "e5"):
        done = subprocess.run(
            [sys.executable, __file__, "--one", kind, "--docs", str(args.docs)],
            capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"{kind} run failed:\n{done.stderr}", file=sys.stderr)
            return 1
        runs[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"Full ingest of {args.docs} (load+parse+embed+write), CPU threads: "
          f"{os.cpu_count()}, load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print(table(runs["hash"], runs["e5"]))
    total = runs["e5"]["total_s"]
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(
        f"\ne5 full ingest {total:.1f} s: {verdict} the {TARGET_SECONDS:.0f} s target"
    )
    if not args.skip_convert_check:
        print(f"e5_convert: {convert_check()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
