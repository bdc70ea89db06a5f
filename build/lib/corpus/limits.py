"""Resource limits for loading one document, with defaults and env overrides.

A hostile or broken upload must fail with a clear message instead of exhausting
memory or time. Override with ``ASSISTANT_INGEST_MAX_MB``,
``ASSISTANT_INGEST_MAX_PAGES`` and ``ASSISTANT_INGEST_TIMEOUT_S``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadLimits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    seconds: float = 60.0

    @classmethod
    def from_env(cls) -> LoadLimits:
        env = os.environ
        default = cls()
        try:
            return cls(
                max_bytes=int(
                    float(env.get("ASSISTANT_INGEST_MAX_MB", default.max_bytes / 2**20))
                    * 2**20
                ),
                max_pages=int(env.get("ASSISTANT_INGEST_MAX_PAGES", default.max_pages)),
                seconds=float(env.get("ASSISTANT_INGEST_TIMEOUT_S", default.seconds)),
            )
        except ValueError as exc:
            raise ValueError(f"bad ASSISTANT_INGEST_* limit: {exc}") from None


class ParseTimeout(Exception):
    """The parse of one document took longer than its limit."""


class Deadline:
    """Cooperative check between pages, plus SIGALRM for one stuck page.

    SIGALRM only works in the main thread (the CLI); elsewhere (the web UI) the
    cooperative checks between pages still bound the time.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise ParseTimeout(f"parsing took longer than {self.seconds:g} s")


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    limit = Deadline(seconds)
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(
        signal, "setitimer"
    )
    if not use_alarm:
        yield limit
        return

    def _expired(signum: int, frame: object) -> None:
        raise ParseTimeout(f"parsing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
