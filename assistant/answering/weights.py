"""Linear weights read from a TOML data file (``bias`` and a ``[weights]`` table),
shared by the answer-or-refuse decision and the unit ranker."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path


def load_weights(
    path: Path, features: Collection[str], refit: str
) -> tuple[dict[str, float], float]:
    """``(weights, bias)`` from ``path`` (bias 0 when absent); a missing, malformed
    or unknown-feature file is a ValueError naming the file and how to refit it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(v) for k, v in raw["weights"].items()}
        bias = float(raw.get("bias", 0.0))
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(
            f"{path}: cannot read the weights ({exc}); refit them with `{refit}`"
        ) from exc
    unknown = set(weights) - set(features)
    if unknown:
        raise ValueError(f"{path}: unknown features {sorted(unknown)}")
    return weights, bias
