"""Briefs cached per document in the index directory, keyed by the document's
content hash from the index: a changed document gets a new key and is rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from assistant.brief.build import build_brief
from assistant.brief.models import Brief
from assistant.brief.source import BriefSource
from assistant.brief.vocabulary import PARTS_FILE
from assistant.charts import series_chart

FORMAT = 3  # bump when the brief's code or JSON changes, so old files are ignored
CACHE_DIR_NAME = "briefs"


@cache
def _words_key() -> str:
    """A changed vocabulary (parts.toml) changes every brief, so it is in the key."""
    return hashlib.sha256(PARTS_FILE.read_bytes()).hexdigest()[:8]


class BriefCache:
    """``get(source, doc)`` returns the cached brief or builds and stores it."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _stem(self, doc: str, content_hash: str) -> str:
        safe = re.sub(r"[^\w.-]", "_", doc)
        return f"{safe}.{content_hash[:16] or 'nohash'}.v{FORMAT}.{_words_key()}"

    def path(self, doc: str, content_hash: str) -> Path:
        return self.directory / f"{self._stem(doc, content_hash)}.json"

    def chart_path(self, brief: Brief, n: int) -> Path:
        return (
            self.directory / f"{self._stem(brief.doc, brief.content_hash)}.chart{n}.png"
        )

    def get(self, source: BriefSource, doc: str) -> Brief:
        content_hash = source.content_hash(doc)
        path = self.path(doc, content_hash)
        if path.is_file():
            try:
                return Brief.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged cache file is rebuilt below
        brief = build_brief(source, doc)
        self._write(path, json.dumps(brief.to_json(), ensure_ascii=False).encode())
        return brief

    def charts(self, brief: Brief) -> list[bytes]:
        """PNG bytes of the brief's charts (drawn once, then read from the cache)."""
        out = []
        for n, chart in enumerate(brief.charts):
            path = self.chart_path(brief, n)
            if path.is_file():
                out.append(path.read_bytes())
                continue
            png = series_chart(
                chart.title, chart.series, kind="bar", ylabel=chart.ylabel
            )
            self._write(path, png)
            out.append(png)
        return out

    def _write(self, path: Path, data: bytes) -> None:
        """Atomic write; a read-only index directory only loses the caching."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError:
            return
