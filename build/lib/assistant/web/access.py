"""What one web user may see: the documents of their collections (pure, no Gradio).

Without access control (no auth file) everyone sees everything. With it, the
logged-in user's collections restrict every answer (``Filters.collections``), the
document browser and the original lines shown around a source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from corpus.models import DocumentMeta

NOT_VISIBLE = "Dokumentet finns inte, eller så har du inte behörighet att läsa det."


class CollectionPolicy(Protocol):
    """The part of ``assistant.web.auth.AccessPolicy`` the web chat needs."""

    def collections_for(self, username: str | None) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class UserView:
    """The documents one user may see; ``collections=None`` means all of them."""

    username: str
    collections: tuple[str, ...] | None

    def may_read(self, meta: DocumentMeta | None) -> bool:
        if meta is None:
            return self.collections is None
        return self.collections is None or meta.collection in self.collections

    def documents(self, docs: Sequence[DocumentMeta]) -> list[DocumentMeta]:
        return [d for d in docs if self.may_read(d)]

    def lines(
        self,
        lines_for: Callable[[str], Sequence[str]],
        meta_of: Callable[[str], DocumentMeta | None],
    ) -> Callable[[str], Sequence[str]]:
        """``lines_for`` that returns nothing for documents the user may not read."""

        def allowed_lines(doc: str) -> Sequence[str]:
            return lines_for(doc) if self.may_read(meta_of(doc)) else ()

        return allowed_lines


EVERYONE = UserView(username="", collections=None)


def user_view(policy: CollectionPolicy | None, request: Any) -> UserView:
    """The view of the user behind a Gradio request (everyone when login is off).

    With login on, a request without a user name (should not happen behind
    Gradio's login) sees nothing rather than everything.
    """
    if policy is None:
        return EVERYONE
    username = (getattr(request, "username", None) or "") if request else ""
    return UserView(username=username, collections=policy.collections_for(username))
