"""Copy unchanged documents from the live build into a new one.

An incremental ingest re-parses and re-embeds only changed files; everything
stored for the other documents (rows in the table store, vectors with their
metadata) is copied from the current build, which itself is never written to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.models import Chunk, Document, DocumentMeta
from index.tablestore import SqliteTableStore
from index.vectors import VectorStore

# Every table of the store keyed by document; cells get fresh row ids.
_DOC_TABLES = ("documents", "sections", "tables", "chunks", "cells")


@dataclass(frozen=True)
class KeptDocuments:
    """Stored chunks and vectors of the documents carried over unchanged."""

    hashes: dict[str, str]  # doc → content hash, from the previous manifest
    chunks: list[Chunk]
    vectors: list[list[float]]
    metadatas: list[dict[str, Any]]


def _marks(values: Sequence[str]) -> str:
    return ",".join("?" * len(values))


def copy_store_rows(source: Path, target: Path, docs: Collection[str]) -> None:
    """Insert the rows of ``docs`` from the store ``source`` into ``target``."""
    names = sorted(docs)
    if not names:
        return
    if not Path(source).is_file():
        raise FileNotFoundError(f"no table store at {source}")
    db = sqlite3.connect(target)
    # Only SELECTs run against "old": the live build is read, never written.
    db.execute("ATTACH DATABASE ? AS old", (str(source),))
    try:
        with db:
            for table in _DOC_TABLES:
                columns = [
                    row[1]
                    for row in db.execute(f"PRAGMA main.table_info({table})")
                    if not (table == "cells" and row[1] == "id")
                ]
                cols = ", ".join(columns)
                db.execute(
                    f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM "
                    f"old.{table} WHERE doc IN ({_marks(names)})",
                    names,
                )
        db.execute("DETACH DATABASE old")
    finally:
        db.close()


def kept_documents(
    store_path: Path,
    vectors: VectorStore,
    hashes: dict[str, str],
) -> KeptDocuments:
    """Chunks (from the store) and their vectors (from the vector store)."""
    with SqliteTableStore(store_path, read_only=True) as store:
        chunks = [c for c in store.all_chunks() if c.doc in hashes]
    get = getattr(vectors, "get", None)
    if get is None:
        raise TypeError(f"{type(vectors).__name__} cannot return stored vectors")
    embeddings, metadatas, _ = get([c.chunk_id for c in chunks])
    return KeptDocuments(dict(hashes), chunks, embeddings, metadatas)


def stored_documents(store_path: Path, names: Collection[str]) -> list[Document]:
    """Documents as stored (meta, original lines, pages), to re-parse them when
    the chunker or embedder changed and their source files were not given."""
    wanted = sorted(names)
    if not wanted:
        return []
    db = sqlite3.connect(f"file:{Path(store_path).resolve()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        rows = db.execute(
            f"SELECT * FROM documents WHERE doc IN ({_marks(wanted)}) ORDER BY doc",
            wanted,
        ).fetchall()
    finally:
        db.close()
    fields = DocumentMeta.__dataclass_fields__
    return [
        Document(
            # sqlite3.Row's `in` tests values, not column names; an index built
            # before a metadata field existed lacks its column.
            DocumentMeta(**{k: row[k] for k in fields if k in row.keys()}),  # noqa: SIM118
            tuple(json.loads(row["lines"])),
            row["content_hash"],
            tuple(json.loads(row["pages"])),
        )
        for row in rows
    ]
