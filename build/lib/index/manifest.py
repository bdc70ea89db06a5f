"""``manifest.json``: what an index was built from, so stale or foreign indexes
are detected instead of silently answering from the wrong data."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
MANIFEST_KIND = "plansvar-index"


class ManifestError(RuntimeError):
    """The manifest is missing fields or is not a Plansvar manifest."""


@dataclass(frozen=True)
class IndexManifest:
    """Identity and statistics of one complete index build."""

    embedder_id: str
    embedder_dim: int
    chunker_version: str
    corpus_hash: str
    documents: Mapping[str, str]  # doc file name → content hash
    counts: Mapping[str, int]  # documents, chunks, sections, tables, cells
    built_at: str  # ISO 8601, UTC
    build_seconds: float
    vectors: str = "persistent"  # "persistent" (chroma/ in the build) or "http"
    collection: str = "chunks"
    format_version: int = FORMAT_VERSION
    kind: str = field(default=MANIFEST_KIND)

    def built_with(self, model_id: str, dim: int) -> bool:
        """Was this index embedded by that model (same id and dimension)?"""
        return (self.embedder_id, self.embedder_dim) == (model_id, dim)

    def to_json(self) -> str:
        data = asdict(self)
        data["documents"] = dict(sorted(self.documents.items()))
        data["counts"] = dict(self.counts)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError as exc:
            raise ManifestError(f"not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or data.get("kind") != MANIFEST_KIND:
            raise ManifestError("not a Plansvar index manifest")
        known = set(cls.__dataclass_fields__)
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise ManifestError(f"incomplete manifest ({exc})") from exc

    def write(self, directory: Path) -> None:
        """Write atomically: a reader sees the old manifest or the new, never half."""
        target = Path(directory) / MANIFEST_FILE
        tmp = target.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    @classmethod
    def read(cls, directory: Path) -> IndexManifest:
        """Raises FileNotFoundError when absent, ManifestError when unreadable."""
        text = (Path(directory) / MANIFEST_FILE).read_text(encoding="utf-8")
        return cls.from_json(text)


def corpus_hash(
    documents: Mapping[str, str],
    *,
    embedder_id: str,
    embedder_dim: int,
    chunker_version: str,
) -> str:
    """One hash over everything that changes the index contents."""
    payload = {
        "format": FORMAT_VERSION,
        "embedder": [embedder_id, embedder_dim],
        "chunker": chunker_version,
        "documents": sorted(documents.items()),
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()
