"""The project's embedders (e5 or the hashing fake) as LangChain ``Embeddings``.

The wrapped embedder applies the e5 prefixes itself ("passage: " for documents,
"query: " for queries, through the model folder's prompts), so LangChain code that
calls ``embed_documents``/``embed_query`` gets the asymmetric encoding e5 needs.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from index.embed import Embedder


class ProjectEmbeddings(Embeddings):
    """``Embeddings`` over an ``index.embed.Embedder`` (normalised vectors)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
