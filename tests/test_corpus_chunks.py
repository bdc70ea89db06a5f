"""Chunk coverage, size limits, ids, typed cells and speed on all four documents."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from corpus_fixtures import ALL_DOCS, DOCUMENTS, MARK_PLAN, chunks_covering, parsed

from corpus.chunk import CHUNKER_VERSION, EMBED_LIMIT
from corpus.load import load_document
from corpus.parse import parse_document
from corpus.text import plain

TOKENIZER = Path(__file__).resolve().parent.parent / "models" / "multilingual-e5-small"
NUMBER_LIKE = re.compile(r"^[≥≤<>]?\s*[-−]?\d[\d ]*(,\d+)?\s*(%|kr|tkr|mnkr|mnr)?$")


@pytest.mark.parametrize("name", ALL_DOCS)
def test_every_content_line_outside_the_toc_is_covered(name):
    doc = parsed(name)
    covered = {n for c in doc.chunks for n in range(c.line_start, c.line_end + 1)}
    toc = set(doc.toc_lines)
    missing = [
        n
        for n, line in enumerate(doc.document.lines, start=1)
        if line.strip() and n not in toc and n not in covered
    ]
    assert missing == []


@pytest.mark.parametrize("name", ALL_DOCS)
def test_chunk_text_is_exactly_the_original_lines(name):
    doc = parsed(name)
    for chunk in doc.chunks:
        assert chunk.text == "\n".join(
            doc.document.lines[chunk.line_start - 1 : chunk.line_end]
        )
        expected = hashlib.sha256(chunk.text.encode()).hexdigest()[:16]
        assert chunk.content_hash == expected


@pytest.mark.parametrize("name", ALL_DOCS)
def test_embed_text_within_limit_and_labelled(name):
    doc = parsed(name)
    label = f"{doc.meta.municipality} · {doc.meta.organ} · {doc.meta.kind}"
    for chunk in doc.chunks:
        assert len(chunk.embed_text) <= EMBED_LIMIT, chunk.chunk_id
        first, second, *_ = chunk.embed_text.split("\n")
        assert first.startswith(label)
        assert second == chunk.section_path


@pytest.mark.parametrize("name", ALL_DOCS)
def test_chunk_ids_unique_readable_and_stable(name):
    ids = [c.chunk_id for c in parsed(name).chunks]
    assert len(ids) == len(set(ids))
    stem = name.removesuffix(".txt")
    assert all(re.fullmatch(rf"{stem}:[\w.\-åäö]+:\d+", i) for i in ids)
    again = parse_document(load_document(DOCUMENTS / name))
    assert [c.chunk_id for c in again.chunks] == ids


@pytest.mark.parametrize("name", ALL_DOCS)
def test_prose_chunks_never_span_two_sections(name):
    doc = parsed(name)
    for chunk in doc.chunks:
        if chunk.kind != "text":
            continue
        section = next(
            s for s in doc.sections if s.line_start <= chunk.line_start <= s.line_end
        )
        assert chunk.line_end <= section.line_end
        assert chunk.section_path == section.section_path


@pytest.mark.parametrize("name", ALL_DOCS)
def test_each_table_row_is_a_chunk_and_headers_are_covered(name):
    doc = parsed(name)
    for table in doc.tables:
        table_chunks = [c for c in doc.chunks if c.table_id == table.table_id]
        for row in table.rows:
            assert any(
                c.line_end == row.line_end and c.kind == "table" for c in table_chunks
            )
        if table.header_line:
            assert any(
                c.line_start <= table.header_line <= c.line_end for c in table_chunks
            )


def test_row_chunk_carries_caption_header_and_column_values():
    chunk = next(c for c in chunks_covering(MARK_PLAN, 441) if c.kind == "table")
    assert (chunk.line_start, chunk.line_end) == (441, 441)
    assert chunk.text == "Personalkostnader\t-83\t-79,6\t-94,3\t-95,0"
    for part in (
        "5 Ekonomi > 5.1 Driftbudget > Driftbudgettabell",
        "Tabell: Driftbudgettabell",
        "Kolumner: Driftbudget - Belopp i miljoner kronor (Mnkr) | Budget 2023",
        "Personalkostnader",
        "Budget 2024: -94,3 mnkr",
    ):
        assert part in chunk.embed_text


@pytest.mark.parametrize("name", ALL_DOCS)
def test_every_number_like_cell_has_a_value(name):
    cells = [c for t in parsed(name).tables for r in t.rows for c in r.cells]
    number_like = [c for c in cells if NUMBER_LIKE.match(plain(c.raw))]
    misprints = [c for c in number_like if c.value is None]
    # Only digit groups of the wrong size are left unparsed (the 17 000 0000 total).
    assert all(re.search(r"\d \d{4}", plain(c.raw)) for c in misprints)
    assert len(number_like) - len(misprints) == sum(
        1 for c in number_like if c.value is not None
    )
    assert len(number_like) > 10


def test_chunker_version_is_a_string():
    assert isinstance(CHUNKER_VERSION, str) and CHUNKER_VERSION


def test_parsing_all_documents_is_fast():
    documents = [load_document(DOCUMENTS / name) for name in ALL_DOCS]
    start = time.perf_counter()
    for document in documents:
        parse_document(document)
    assert time.perf_counter() - start < 1.0


@pytest.mark.integration
def test_embed_text_fits_the_e5_token_window():
    tokenizer_file = TOKENIZER / "tokenizer.json"
    if not tokenizer_file.exists():
        pytest.skip(f"{tokenizer_file} not built (make setup)")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    worst = 0
    for name in ALL_DOCS:
        for chunk in parsed(name).chunks:
            tokens = len(tokenizer.encode("passage: " + chunk.embed_text).ids)
            worst = max(worst, tokens)
    assert worst <= 450


@pytest.mark.parametrize("name", ALL_DOCS)
def test_the_windows_of_a_long_row_each_embed_a_part_of_the_row(name):
    """A risk described at length labels each of its rows; the head is cut so
    every window of a long row embeds a different part of the row's own cells
    (before, each window held the head alone, seven times the same)."""
    windows: dict[tuple[int, int], list[str]] = {}
    for chunk in parsed(name).chunks:
        if chunk.kind == "table":
            key = (chunk.line_start, chunk.line_end)
            windows.setdefault(key, []).append(chunk.embed_text)
    for key, texts in windows.items():
        assert len(set(texts)) == len(texts), (name, key)
