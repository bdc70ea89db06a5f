"""PDF loader: layout-aware lines with a page per line (the loader entry point).

Per page: words with font size and weight (pdfplumber), ruled tables
(``corpus.pdf_tables``), the other words as line segments in reading order
(``corpus.pdf_layout``); across pages: running headers/footers and page markers
dropped (``corpus.pdf_furniture``); then title, font headings, list items and
broken words (``corpus.pdf_lines``). Tables become tab-separated rows under one
header row of merged column names, so the text parsers read them like any other
table. Page 1's lines and sizes go to the first-page metadata reader.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.first_page import PageLine
from corpus.lexicon import Lexicon, swedish
from corpus.limits import LoadLimits, ParseTimeout, deadline
from corpus.load import CorpusError, LoadedText
from corpus.pdf_borderless import align_rows
from corpus.pdf_cells import EDGE_BREAK, EDGE_END, close_breaks, whole_words
from corpus.pdf_continued import join_continued
from corpus.pdf_furniture import remove_furniture, running_texts
from corpus.pdf_layout import Segment, reading_order, segments
from corpus.pdf_lines import Item, glue, row_item, to_lines
from corpus.pdf_table_repair import repair_tables
from corpus.pdf_tables import PageTable, page_tables

OCR_HINT = "no text layer (scanned?) — run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"
WORD_ATTRS = ["size", "fontname"]


@dataclass(frozen=True)
class _Page:
    number: int
    height: float
    segments: list[Segment]  # text segments plus one placeholder per table
    tables: list[PageTable]
    prose: Counter[str]  # the words outside tables (lower case) with their counts


def _inside(word: dict[str, Any], bbox: tuple[float, ...]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _read_page(page: Any, number: int) -> _Page:
    words = page.extract_words(extra_attrs=WORD_ATTRS)
    tables = page_tables(page, words)
    outside = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    segs = segments(outside) if outside else []
    size = max((s.size for s in segs), default=10.0)
    for k, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        segs.append(Segment("", x0, x1, top, bottom, size, False, 10, table=k))
    prose = whole_words(s.text for s in segs)
    return _Page(number, float(page.height), segs, tables, prose)


def _table_item(
    page: _Page, text: str, seg: Segment, top: float, bottom: float
) -> Item:
    return Item(
        text,
        page.number,
        top,
        bottom,
        seg.x0,
        seg.size,
        False,
        fixed=True,
        tabular=True,
    )


def _borderless_run(rows: list[list[Segment]], i: int) -> int:
    """End (exclusive) of the run of multi-segment rows starting at ``i``; a lone
    segment inside the label column between two such rows belongs to the run."""
    k = i + 1
    while k < len(rows):
        if len(rows[k]) >= 2 or (
            len(rows[k]) == 1
            and k + 1 < len(rows)
            and len(rows[k + 1]) >= 2
            and len(rows[k - 1]) >= 2
            and rows[k][0].x1 <= rows[k - 1][1].x0
        ):
            k += 1
        else:
            break
    return k


def _items(page: _Page, segs: list[Segment]) -> list[Item]:
    rows: list[list[Segment]] = []
    tables: dict[int, list[Segment]] = {}  # row index -> table placeholders after it
    for row in reading_order(segs):
        text_segs = [s for s in row if s.table is None]
        placeholders = [s for s in row if s.table is not None]
        if text_segs:
            rows.append(glue(text_segs))
        if placeholders:
            if not text_segs:
                rows.append([])
            tables[len(rows) - 1] = placeholders
    items: list[Item] = []
    i = 0
    while i < len(rows):
        end = i + 1
        if len(rows[i]) >= 2 and i not in tables:
            end = _borderless_run(rows, i)
            # A ruled table below a row ends the run before that row.
            end = min([end, *(t for t in tables if i < t < end)])
            aligned = align_rows(rows[i:end]) if end - i >= 2 else None
            if aligned is not None:
                items += [
                    _table_item(page, a.text, rows[i][0], a.top, a.bottom)
                    for a in aligned
                ]
                i = end
                continue
            end = i + 1
        if rows[i]:
            items.append(row_item(rows[i], page.number))
        for seg in tables.get(i, []):
            assert seg.table is not None
            items += [
                _table_item(page, line, seg, seg.top, seg.bottom)
                for line in page.tables[seg.table].lines()
            ]
        i = end
    return items


def _close_edge_breaks(pages: list[_Page], last: bool = False) -> list[_Page]:
    """Table cells' possible edge breaks decided with the whole document's words;
    the ``last`` time (after rows split by a page break are joined, which may
    make new ones) the marks of cells ending at the edge go too."""
    known = sum((p.prose for p in pages), Counter[str]())
    texts = [t for p in pages for table in p.tables for t in table.texts()]
    known += whole_words(texts)
    # The general vocabulary takes seconds to load: only when a break needs it.
    lexicon = swedish() if any(EDGE_BREAK in t for t in texts) else None
    return [
        replace(
            p,
            tables=[
                t.mapped(lambda x: _closed(x, known, lexicon, last)) for t in p.tables
            ],
        )
        for p in pages
    ]


def _closed(text: str, known: Counter[str], lexicon: Lexicon | None, last: bool) -> str:
    text = close_breaks(text, known, lexicon)
    return text.replace(EDGE_END, "") if last else text


def _first_page_lines(page: _Page) -> tuple[PageLine, ...]:
    lines: list[PageLine] = []
    for item in _items(page, page.segments):
        lines.append(PageLine(item.text, None if item.fixed else item.size, item.bold))
    return tuple(lines)


def _open(path: Path, data: bytes) -> Any:
    import pdfplumber

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorpusError(
            path, "not a PDF (no %PDF header) — check the file or its extension"
        )
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - forces the page tree to be read now
    except Exception as exc:
        text = f"{type(exc).__name__} {exc.args!r} {exc.__context__!r}".lower()
        if "password" in text or "encrypt" in text:
            raise CorpusError(
                path,
                "the PDF is encrypted (password protected) — save an unprotected "
                "copy and ingest that",
            ) from None
        raise CorpusError(
            path, f"cannot read the PDF ({type(exc).__name__}) — re-export it"
        ) from None
    return pdf


def load_pdf(path: Path, data: bytes, limits: LoadLimits | None = None) -> LoadedText:
    """Lines with a page per line; ``CorpusError`` for scans, encryption, junk."""
    limits = limits or LoadLimits.from_env()
    pdf = _open(path, data)
    pages: list[_Page] = []
    number = 0
    try:
        if len(pdf.pages) > limits.max_pages:
            raise CorpusError(
                path,
                f"{len(pdf.pages)} pages, more than the limit {limits.max_pages} — "
                "split the document or raise ASSISTANT_INGEST_MAX_PAGES",
            )
        with deadline(limits.seconds) as clock:
            for number, page in enumerate(pdf.pages, start=1):
                clock.check()
                pages.append(_read_page(page, number))
                page.close()  # frees the page's parsed objects
    except ParseTimeout as exc:
        raise CorpusError(
            path, f"{exc} — split the document or raise ASSISTANT_INGEST_TIMEOUT_S"
        ) from None
    except CorpusError:
        raise
    except Exception as exc:
        raise CorpusError(
            path,
            f"cannot read page {number} of the PDF "
            f"({type(exc).__name__}) — re-export it",
        ) from None
    finally:
        pdf.close()
    if not any(p.segments for p in pages):
        raise CorpusError(path, OCR_HINT)
    pages = _close_edge_breaks(pages)
    heights = [p.height for p in pages]
    running = running_texts([p.segments for p in pages], heights)
    kept = remove_furniture([p.segments for p in pages], heights)
    joined = join_continued([p.tables for p in pages], kept)
    repaired = repair_tables(joined)
    pages = [replace(p, tables=t) for p, t in zip(pages, repaired, strict=True)]
    pages = _close_edge_breaks(pages, last=True)
    items = [
        item
        for page, segs in zip(pages, kept, strict=True)
        for item in _items(page, segs)
    ]
    lines, numbers = to_lines(items)
    if not any(line.strip() for line in lines):
        raise CorpusError(path, OCR_HINT)
    return LoadedText(
        tuple(lines), tuple(numbers), _first_page_lines(pages[0]), running
    )
