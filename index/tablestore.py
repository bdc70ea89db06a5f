"""SQLite store for the parsed corpus: documents (with their lines), sections,
tables, chunks and one row per numeric table cell for number lookups."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from corpus.models import (
    Cell,
    Chunk,
    DocumentMeta,
    ParsedDocument,
    Section,
    Table,
    TableRow,
)
from index.keyword import stem_words

SCALES = {"kr": 1.0, "tkr": 1e3, "mnkr": 1e6, "mkr": 1e6, "mdkr": 1e9, "mdr": 1e9}
_TAG = re.compile(r"<[^>]*>|[*_`]")

# Numbered migrations: index i brings the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        doc TEXT PRIMARY KEY, title TEXT, municipality TEXT, organ TEXT, kind TEXT,
        period TEXT, year INTEGER, decided TEXT, collection TEXT, content_hash TEXT,
        lines TEXT NOT NULL, pages TEXT NOT NULL, toc_lines TEXT NOT NULL);
    CREATE TABLE sections (
        doc TEXT, ord INTEGER, number TEXT, title TEXT, path TEXT,
        line_start INTEGER, line_end INTEGER, PRIMARY KEY (doc, ord));
    CREATE TABLE tables (
        table_id TEXT PRIMARY KEY, doc TEXT, ord INTEGER, section_path TEXT,
        caption TEXT, header TEXT, header_line INTEGER, unit TEXT, rows TEXT,
        line_start INTEGER, line_end INTEGER);
    CREATE TABLE chunks (
        chunk_id TEXT PRIMARY KEY, ord INTEGER, doc TEXT, section_path TEXT,
        line_start INTEGER, line_end INTEGER, text TEXT, embed_text TEXT, kind TEXT,
        content_hash TEXT, table_id TEXT, page INTEGER,
        municipality TEXT, year INTEGER, collection TEXT);
    CREATE TABLE cells (
        id INTEGER PRIMARY KEY, value REAL, unit TEXT, scale REAL, raw TEXT,
        comparator TEXT, row_label TEXT, row_label_norm TEXT, column_label TEXT,
        year INTEGER, kind TEXT, is_total INTEGER, table_id TEXT, caption TEXT,
        section_path TEXT, doc TEXT, municipality TEXT, line INTEGER,
        line_end INTEGER, header_line INTEGER);
    CREATE INDEX sections_doc ON sections(doc);
    CREATE INDEX tables_doc ON tables(doc);
    CREATE INDEX chunks_doc ON chunks(doc);
    CREATE INDEX cells_doc ON cells(doc);
    CREATE INDEX cells_municipality ON cells(municipality);
    CREATE INDEX cells_label ON cells(row_label_norm);
    CREATE INDEX cells_year_kind ON cells(year, kind);
    """,
    # The key column's header often names the table ("Digitaliseringsplan - drift").
    "ALTER TABLE cells ADD COLUMN key_header TEXT NOT NULL DEFAULT '';",
)
SCHEMA_VERSION = len(MIGRATIONS)


class TableStoreError(RuntimeError):
    """The table store is missing, newer than this code, or has no such record."""


@dataclass(frozen=True)
class CellRecord:
    """One numeric table cell with everything needed to cite it."""

    value: float
    unit: str | None
    scale: float  # multiply value by this for kronor (1 when not a kronor unit)
    raw: str
    comparator: str | None
    row_label: str
    row_label_norm: str
    column_label: str
    year: int | None
    kind: str | None
    is_total: bool
    table_id: str
    caption: str
    section_path: str
    doc: str
    municipality: str
    line: int  # the row's first original line
    line_end: int
    header_line: int
    # The row-label column's header (often the table's name) and the group row
    # the row is under.
    key_header: str = ""


def normalize_label(label: str) -> str:
    """Lower-cased, tags stripped, stemmed tokens joined by spaces."""
    return " ".join(stem_words(_TAG.sub(" ", label)))


def scale_of(unit: str | None) -> float:
    return SCALES.get((unit or "").strip().lower(), 1.0)


def _row_from_json(data: dict[str, Any]) -> TableRow:
    cells = tuple(Cell(**c) for c in data.pop("cells"))
    return TableRow(cells=cells, **data)


_CHUNK_COLS = (
    "chunk_id", "doc", "section_path", "line_start", "line_end", "text",
    "embed_text", "kind", "content_hash", "table_id", "page",
)  # fmt: skip


class SqliteTableStore:
    """Read/write access to the corpus store; ``read_only`` opens it immutable."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only:
            if self.path != ":memory:" and not Path(self.path).is_file():
                raise TableStoreError(f"no table store at {self.path}")
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._migrate(read_only)

    def _migrate(self, read_only: bool) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise TableStoreError(
                f"{self.path} has schema {version}, newer than this code "
                f"({SCHEMA_VERSION}); rebuild with `python -m assistant ingest --force`"
            )
        if version == SCHEMA_VERSION:
            return
        if read_only:
            raise TableStoreError(
                f"{self.path} has schema {version}, expected {SCHEMA_VERSION}; "
                "rebuild with `python -m assistant ingest --force`"
            )
        for number in range(version, SCHEMA_VERSION):
            self._db.executescript(MIGRATIONS[number])
            self._db.execute(f"PRAGMA user_version = {number + 1}")
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteTableStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------

    def write(self, parsed: ParsedDocument) -> int:
        """Store one parsed document (replacing it); returns the numeric cell count."""
        meta, doc = parsed.meta, parsed.document
        db = self._db
        with db:
            for table in ("documents", "sections", "tables", "chunks", "cells"):
                db.execute(f"DELETE FROM {table} WHERE doc = ?", (meta.doc,))
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    meta.doc, meta.title, meta.municipality, meta.organ, meta.kind,
                    meta.period, meta.year, meta.decided, meta.collection,
                    doc.content_hash, json.dumps(doc.lines, ensure_ascii=False),
                    json.dumps(doc.pages), json.dumps(parsed.toc_lines),
                ),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?)",
                [
                    (s.doc, i, s.number, s.title,
                     json.dumps(s.path, ensure_ascii=False), s.line_start, s.line_end)
                    for i, s in enumerate(parsed.sections)
                ],
            )  # fmt: skip
            db.executemany(
                "INSERT INTO tables VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (t.table_id, t.doc, i, t.section_path, t.caption,
                     json.dumps(t.header, ensure_ascii=False), t.header_line, t.unit,
                     json.dumps([asdict(r) for r in t.rows], ensure_ascii=False),
                     t.line_start, t.line_end)
                    for i, t in enumerate(parsed.tables)
                ],
            )  # fmt: skip
            db.executemany(
                f"INSERT INTO chunks ({', '.join(['ord', *_CHUNK_COLS])}, "
                "municipality, year, collection) VALUES "
                f"({', '.join('?' * (len(_CHUNK_COLS) + 4))})",
                [
                    (i, *(getattr(c, col) for col in _CHUNK_COLS),
                     meta.municipality, meta.year, meta.collection)
                    for i, c in enumerate(parsed.chunks)
                ],
            )  # fmt: skip
            cells = list(self._cell_rows(parsed))
            db.executemany(
                f"INSERT INTO cells ({', '.join(_CELL_COLS)}) "
                f"VALUES ({', '.join('?' * len(_CELL_COLS))})",
                cells,
            )
        return len(cells)

    @staticmethod
    def _cell_rows(parsed: ParsedDocument) -> Iterable[tuple]:
        municipality = parsed.meta.municipality
        for table in parsed.tables:
            key_headers = table.key_headers()
            for row in table.rows:
                label_norm = normalize_label(row.label)
                key_header = key_headers[row.line_start]
                for cell in row.cells:
                    if cell.value is None:
                        continue
                    unit = cell.unit or table.unit
                    yield (
                        cell.value, unit, scale_of(unit), cell.raw, cell.comparator,
                        row.label, label_norm, cell.column, cell.year, cell.kind,
                        int(row.is_total), table.table_id, table.caption,
                        table.section_path, table.doc, municipality, row.line_start,
                        row.line_end, table.header_line, key_header,
                    )  # fmt: skip

    # ---- reading -------------------------------------------------------------

    def documents(self) -> list[DocumentMeta]:
        rows = self._db.execute(
            "SELECT doc, title, municipality, organ, kind, period, year, decided, "
            "collection FROM documents ORDER BY doc"
        )
        return [DocumentMeta(**dict(r)) for r in rows]

    def document_lines(self, doc: str) -> tuple[str, ...]:
        row = self._db.execute(
            "SELECT lines FROM documents WHERE doc = ?", (doc,)
        ).fetchone()
        if row is None:
            raise TableStoreError(f"no document {doc!r} in the index")
        return tuple(json.loads(row["lines"]))

    def document_hashes(self) -> dict[str, str]:
        rows = self._db.execute("SELECT doc, content_hash FROM documents ORDER BY doc")
        return {r["doc"]: r["content_hash"] for r in rows}

    @staticmethod
    def _chunk(row: sqlite3.Row) -> Chunk:
        return Chunk(**{col: row[col] for col in _CHUNK_COLS})

    def chunk(self, chunk_id: str) -> Chunk:
        row = self._db.execute(
            "SELECT * FROM chunks WHERE chunk_id = ?", (chunk_id,)
        ).fetchone()
        if row is None:
            raise TableStoreError(f"no chunk {chunk_id!r} in the index")
        return self._chunk(row)

    def chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """Chunks in the order of ``ids``; unknown ids are skipped."""
        found = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            for row in self._db.execute(
                f"SELECT * FROM chunks WHERE chunk_id IN ({marks})", part
            ):
                found[row["chunk_id"]] = self._chunk(row)
        return [found[i] for i in ids if i in found]

    def all_chunks(self) -> list[Chunk]:
        rows = self._db.execute("SELECT * FROM chunks ORDER BY doc, ord")
        return [self._chunk(r) for r in rows]

    def chunk_meta(self, chunk_id: str) -> dict[str, Any]:
        row = self._db.execute(
            "SELECT municipality, year, collection FROM chunks WHERE chunk_id = ?",
            (chunk_id,),
        ).fetchone()
        if row is None:
            raise TableStoreError(f"no chunk {chunk_id!r} in the index")
        return dict(row)

    def sections(self, doc: str) -> list[Section]:
        rows = self._db.execute(
            "SELECT * FROM sections WHERE doc = ? ORDER BY ord", (doc,)
        )
        return [
            Section(
                doc=r["doc"], number=r["number"], title=r["title"],
                path=tuple(json.loads(r["path"])), line_start=r["line_start"],
                line_end=r["line_end"],
            )
            for r in rows
        ]  # fmt: skip

    def tables(self, doc: str) -> list[Table]:
        rows = self._db.execute(
            "SELECT * FROM tables WHERE doc = ? ORDER BY ord", (doc,)
        )
        return [
            Table(
                table_id=r["table_id"], doc=r["doc"], section_path=r["section_path"],
                caption=r["caption"], header=tuple(json.loads(r["header"])),
                header_line=r["header_line"], unit=r["unit"],
                rows=tuple(_row_from_json(x) for x in json.loads(r["rows"])),
                line_start=r["line_start"], line_end=r["line_end"],
            )
            for r in rows
        ]  # fmt: skip

    def cells(
        self,
        *,
        docs: Collection[str] | None = None,
        municipality: str | None = None,
        years: Collection[int] | None = None,
        kinds: Collection[str] | None = None,
        row_label_norm: str | None = None,
    ) -> list[CellRecord]:
        """Numeric cells matching every given filter, in document/line order."""
        where: list[str] = []
        args: list[object] = []
        for column, values in (("doc", docs), ("year", years), ("kind", kinds)):
            if values is not None:
                listed = list(values)
                where.append(f"{column} IN ({','.join('?' * len(listed))})")
                args.extend(listed)
        if municipality is not None:
            where.append("municipality = ?")
            args.append(municipality)
        if row_label_norm is not None:
            where.append("row_label_norm = ?")
            args.append(row_label_norm)
        sql = f"SELECT {', '.join(_CELL_COLS)} FROM cells"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._db.execute(sql + " ORDER BY doc, line, id", args)
        return [
            CellRecord(**{**dict(r), "is_total": bool(r["is_total"])}) for r in rows
        ]

    def counts(self) -> dict[str, int]:
        return {
            t: self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sections", "tables", "chunks", "cells")
        }


_CELL_COLS = (
    "value", "unit", "scale", "raw", "comparator", "row_label", "row_label_norm",
    "column_label", "year", "kind", "is_total", "table_id", "caption",
    "section_path", "doc", "municipality", "line", "line_end", "header_line",
    "key_header",
)  # fmt: skip
