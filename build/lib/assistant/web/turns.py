"""One running question per browser session (guards against double submits)."""

from __future__ import annotations

import threading
import time
import uuid


class TurnGuard:
    """At most one running question per browser session.

    A rapid double submit (Enter twice, Enter + button, an example clicked while
    answering) can reach the server before the page has locked the input; the
    first submit reserves the session and only its own answer step may run.
    """

    STALE_S = 300.0  # a reservation whose answer step never came (closed tab)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._turns: dict[str, tuple[str, bool, float]] = {}  # token, claimed, since

    def begin(self, session: str) -> str | None:
        """A token for a new turn, or None while the session has one running."""
        token = uuid.uuid4().hex
        if not session:
            return token
        now = time.monotonic()
        with self._lock:
            current = self._turns.get(session)
            if current and now - current[2] < self.STALE_S:
                return None
            self._turns[session] = (token, False, now)
        return token

    def claim(self, session: str, token: str) -> bool:
        """True once for the answer step of the reserved turn."""
        if not session:
            return True
        with self._lock:
            current = self._turns.get(session)
            if not current or current[0] != token or current[1]:
                return False
            self._turns[session] = (token, True, current[2])
        return True

    def end(self, session: str, token: str) -> None:
        with self._lock:
            if session in self._turns and self._turns[session][0] == token:
                del self._turns[session]
