"""DOCX loader (python-docx): paragraphs and tables in body order.

Headings (styles "Heading N" / "Rubrik N") keep a number printed in their text;
headings numbered by Word's list numbering get that number written out ("1.1"),
since the text alone lacks it; unnumbered headings become markdown headings.
Tables become tab-separated rows at their position, so the text parsers treat
them like any other document.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from corpus.load import CorpusError, LoadedText

_HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_NUMBERED_TEXT_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")


def _heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    while style is not None:
        found = _HEADING_STYLE_RE.match(style.name or "")
        if found:
            return int(found[1])
        style = style.base_style
    return None


def _has_list_numbering(paragraph: Any) -> bool:
    """Numbering set on the paragraph or inherited from its style."""
    props = paragraph._p.pPr
    if props is not None and props.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        style = style.base_style
    return False


class _Numbering:
    """Counters for Word-numbered headings: 1, 1.1, 1.2, 2, ..."""

    def __init__(self) -> None:
        self.counts: list[int] = []

    def next(self, level: int) -> str:
        self.counts = self.counts[:level] + [0] * (level - len(self.counts))
        self.counts[level - 1] += 1
        return ".".join(str(max(c, 1)) for c in self.counts)


def _heading_line(text: str, level: int, numbered: bool, numbers: _Numbering) -> str:
    if _NUMBERED_TEXT_RE.match(text):
        return text
    if numbered:
        return f"{numbers.next(level)} {text}"
    return f"{'#' * level} {text}"


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def _open(path: Path, data: bytes) -> Any:
    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CorpusError(
            path, "not a DOCX file (not a zip archive) — re-save it from Word as .docx"
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise CorpusError(
            path,
            f"not a readable DOCX ({type(exc).__name__}: {exc}) — re-save it from "
            "Word as .docx",
        ) from None


def load_docx(path: Path, data: bytes) -> LoadedText:
    """Body paragraphs and tables in order; ``CorpusError`` for broken files."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(path, data)
    numbers = _Numbering()
    lines: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_rows(block))
                continue
            if not isinstance(block, Paragraph):
                continue
            text = block.text.replace("\t", " ").strip()
            level = _heading_level(block)
            if text and level is not None:
                lines.append(
                    _heading_line(text, level, _has_list_numbering(block), numbers)
                )
            else:
                # Soft line breaks inside a paragraph become separate lines.
                lines.extend(part.rstrip() for part in text.split("\n"))
    except Exception as exc:
        raise CorpusError(
            path, f"cannot read the DOCX body ({type(exc).__name__}) — re-save it"
        ) from None
    if not any(line.strip() for line in lines):
        raise CorpusError(path, "the DOCX holds no text — add text or remove the file")
    return LoadedText(tuple(lines))
