"""Hand-built corpus records for the index unit tests (no parser needed).

The texts are real lines from the sample documents; the records are assembled by
hand so the index layer can be tested independently of corpus/parse.py.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from corpus.models import (
    Cell,
    Chunk,
    Document,
    DocumentMeta,
    ParsedDocument,
    Section,
    Table,
    TableRow,
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def text_chunk(doc: Document, cid: str, path: str, start: int, end: int) -> Chunk:
    text = doc.text_of(start, end)
    return Chunk(
        chunk_id=cid,
        doc=doc.doc,
        section_path=path,
        line_start=start,
        line_end=end,
        text=text,
        embed_text=f"{doc.meta.title} | {path}\n{text}",
        kind="text",
        content_hash=_hash(text),
    )


def make_parsed(
    meta: DocumentMeta,
    lines: Sequence[str],
    *,
    sections: Sequence[Section] = (),
    tables: Sequence[Table] = (),
    chunks: Sequence[tuple[str, str, int, int]] = (),
) -> ParsedDocument:
    """``chunks`` are (chunk id, section path, first line, last line) of text chunks."""
    document = Document(
        meta=meta, lines=tuple(lines), content_hash=_hash("\n".join(lines))
    )
    built = [text_chunk(document, *c) for c in chunks]
    for table in tables:
        for n, row in enumerate(table.rows):
            text = document.text_of(row.line_start, row.line_end)
            built.append(
                Chunk(
                    chunk_id=f"{table.table_id}:r{n}",
                    doc=meta.doc,
                    section_path=table.section_path,
                    line_start=row.line_start,
                    line_end=row.line_end,
                    text=text,
                    embed_text=f"{table.caption} | {' | '.join(table.header)}\n{text}",
                    kind="table",
                    content_hash=_hash(text),
                    table_id=table.table_id,
                )
            )
    return ParsedDocument(document, tuple(sections), tuple(tables), tuple(built))


MARK_META = DocumentMeta(
    doc="mark.txt",
    title="Nämndplan 2024-2025, Kommunstyrelsen, Marks kommun",
    municipality="Marks kommun",
    organ="Kommunstyrelsen",
    kind="nämndplan",
    period="2024-2025",
    year=2024,
)
MARK_LINES = (
    "# 5 Ekonomi",
    "## 5.1 Driftbudget",
    "Driftbudget - Belopp i miljoner kronor (Mnkr)"
    "\tBudget 2023\tPrognos 2023\tBudget 2024",
    "Intäkter\t12,8\t14,7\t17,7",
    "Personalkostnader\t-83\t-79,6\t-94,3",
    "<b>Nettokostnader</b>\t<b>-188,9</b>\t<b>-195,0</b>\t<b>-205,6</b>",
    "Driftbudgeten uppgår till en nettokostnad om 205,6 mnkr för 2024.",
    "# 7 Personal",
    "Sjukfrånvaron har minskat bland medarbetarna under året.",
    "# 9 Lokalbehovsplan",
    "Biblioteket i centrum har utökat sina öppettider till kvällar och helger.",
)
_MARK_HEADER = ("Driftbudget", "Budget 2023", "Prognos 2023", "Budget 2024")


def _cells(raws: Sequence[str], values: Sequence[float]) -> tuple[Cell, ...]:
    kinds = (("budget", 2023), ("prognos", 2023), ("budget", 2024))
    return tuple(
        Cell(
            column=_MARK_HEADER[i + 1],
            raw=raw,
            text=raw.replace("<b>", "").replace("</b>", ""),
            value=value,
            unit="mnkr",
            year=kinds[i][1],
            kind=kinds[i][0],
        )
        for i, (raw, value) in enumerate(zip(raws, values, strict=True))
    )


MARK_TABLE = Table(
    table_id="mark:t1",
    doc="mark.txt",
    section_path="5 Ekonomi > 5.1 Driftbudget",
    caption="Driftbudget - Belopp i miljoner kronor (Mnkr)",
    header=_MARK_HEADER,
    header_line=3,
    unit="mnkr",
    rows=(
        TableRow(
            "Intäkter", _cells(["12,8", "14,7", "17,7"], [12.8, 14.7, 17.7]), 4, 4
        ),
        TableRow(
            "Personalkostnader",
            _cells(["-83", "-79,6", "-94,3"], [-83, -79.6, -94.3]),
            5,
            5,
        ),
        TableRow(
            "Nettokostnader",
            _cells(
                ["<b>-188,9</b>", "<b>-195,0</b>", "<b>-205,6</b>"],
                [-188.9, -195.0, -205.6],
            ),
            6,
            6,
            is_total=True,
        ),
    ),
    line_start=3,
    line_end=6,
)
MARK_SECTIONS = (
    Section("mark.txt", "5", "Ekonomi", ("5 Ekonomi",), 1, 7),
    Section("mark.txt", "5.1", "Driftbudget", ("5 Ekonomi", "5.1 Driftbudget"), 2, 7),
    Section("mark.txt", "7", "Personal", ("7 Personal",), 8, 9),
    Section("mark.txt", "9", "Lokalbehovsplan", ("9 Lokalbehovsplan",), 10, 11),
)


def mark_parsed(extra_line: str = "") -> ParsedDocument:
    """The Mark sample; ``extra_line`` changes the content (and hash)."""
    lines = MARK_LINES + ((extra_line,) if extra_line else ())
    return make_parsed(
        MARK_META,
        lines,
        sections=MARK_SECTIONS,
        tables=(MARK_TABLE,),
        chunks=(
            ("mark:5.1:1", "5 Ekonomi > 5.1 Driftbudget", 7, 7),
            ("mark:7:1", "7 Personal", 9, 9),
            ("mark:9:1", "9 Lokalbehovsplan", 11, 11),
        ),
    )


KRAMFORS_META = DocumentMeta(
    doc="kramfors.txt",
    title="Verksamhetsplan 2025, Kramfors kommun",
    municipality="Kramfors kommun",
    kind="verksamhetsplan",
    year=2025,
)
KRAMFORS_LINES = (
    "# 3 Uppdrag",
    "Kommunen ska minska sina utsläpp av växthusgaser med 70 procent till 2030.",
    "Medborgarundersökningen visar att nöjdheten med gång- och cykelvägar har minskat.",
)


def kramfors_parsed() -> ParsedDocument:
    return make_parsed(
        KRAMFORS_META,
        KRAMFORS_LINES,
        sections=(Section("kramfors.txt", "3", "Uppdrag", ("3 Uppdrag",), 1, 3),),
        chunks=(
            ("kramfors:3:1", "3 Uppdrag", 2, 2),
            ("kramfors:3:2", "3 Uppdrag", 3, 3),
        ),
    )


def sample_corpus() -> list[ParsedDocument]:
    return [mark_parsed(), kramfors_parsed()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_chroma_server(tmp_path: Path) -> Iterator[int]:
    """Generator for a fixture: a real `chroma run` on 127.0.0.1, stopped at the end."""
    binary = Path(sys.executable).parent / "chroma"
    if not binary.exists():
        pytest.skip(f"chroma CLI not found next to {sys.executable}")
    port = free_port()
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(binary), "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(
                "chroma server did not start: " + (tmp_path / "chroma.log").read_text()
            )
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


# An ingest whose embedder sleeps per batch, so there is time to kill it between
# "build started" and "build complete". argv: PATH INDEX_DIR FORCE(0/1)
SLOW_INGEST = """
import sys, time
from pathlib import Path
from index.embed import HashEmbedder
from index.ingest import IndexTarget, ingest

class Slow(HashEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.5)
        return super().embed_documents(texts)

target = IndexTarget(Path(sys.argv[2]), Slow())
ingest([Path(sys.argv[1])], target, force=sys.argv[3] == "1", progress=False)
"""


def kill_ingest_midway(source: Path, index_dir: Path, *, force: bool) -> Path:
    """Run a slow ingest of ``source`` in a subprocess and SIGKILL it once its new
    build has vectors on disk (before the manifest); return that partial build."""
    import signal

    root = Path(__file__).resolve().parents[1]
    target = index_dir.resolve()
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_INGEST, str(source), str(index_dir), "1" if force else "0"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        partial: list[Path] = []
        while not partial and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()[1]
            partial = [
                p
                for p in index_dir.parent.glob("index-*")
                if p.resolve() != target and (p / "chroma").exists()
            ]
            time.sleep(0.05)
        assert partial, "the child build never started"
        time.sleep(1.0)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert not (partial[0] / "manifest.json").exists()
    assert index_dir.resolve() == target
    return partial[0]
