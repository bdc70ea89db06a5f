"""PDF loader (pdfplumber): text lines per page in reading order, tables as
tab-separated rows at their place, a page number for every line.

Headings stay the plain lines the PDF prints ("1.1 Driftbudget"), so the section
parser sees the same numbering as in a text export; tables become tab-separated
rows so the table parser types them like any other table.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from corpus.limits import LoadLimits, ParseTimeout, deadline
from corpus.load import CorpusError, LoadedText

OCR_HINT = "no text layer (scanned?) — run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"


def _cell(text: str | None) -> str:
    # A tab or newline inside a cell would split it into columns or rows.
    return " ".join((text or "").split())


def _page_lines(page: Any) -> list[str]:
    """Prose lines and table rows of one page, ordered top to bottom."""
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox, strict=False)
    placed: list[tuple[float, int, str]] = [
        (line["top"], 0, line["text"])
        for line in outside.extract_text_lines(strip=True)
        if line["text"].strip()
    ]
    for table in tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        for n, row in enumerate(rows):
            placed.append((table.bbox[1], n + 1, "\t".join(row)))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [text for _, _, text in placed]


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
    lines: list[str] = []
    pages: list[int] = []
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
                for line in _page_lines(page):
                    lines.append(line)
                    pages.append(number)
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
    if not any(line.strip() for line in lines):
        raise CorpusError(path, OCR_HINT)
    return LoadedText(tuple(lines), tuple(pages))
