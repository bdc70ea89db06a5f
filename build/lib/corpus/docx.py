"""DOCX loader (python-docx): the body's paragraphs and tables in order, as lines.

- Headings come from the paragraph's outline level (``w:outlineLvl``, on the
  paragraph or inherited from its style) or a "Heading N" / "Rubrik N" style; they
  become markdown headings ("## 1.1 Driftbudget"), so the section parser builds the
  same tree as for a text export. Headings numbered by Word's list numbering get
  that number written out, since their text lacks it.
- Tables become tab-separated rows (``corpus.docx_tables``): merged cells are
  resolved, a grouped two-row header becomes one row of column names, and a header
  repeated inside the table is dropped.
- Bulleted and numbered paragraphs stay list items ("• text", "1) text").
- Page headers and footers live in their own parts and are never read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.docx_tables import table_lines
from corpus.load import CorpusError, LoadedText

_HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE_RE = re.compile(r"^(?:toc|innehåll(?:sförteckning)?)\s*\d", re.IGNORECASE)
_BULLET_STYLE_RE = re.compile(r"bullet|punkt", re.IGNORECASE)
_NUMBER_STYLE_RE = re.compile(r"list number|numrerad", re.IGNORECASE)
_NUMBERED_TEXT_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY_LEVEL = 9  # w:outlineLvl 9 is "body text"


def _val(element: Any, tag: str) -> str | None:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return None if found is None else found.get(f"{_W}val")


def _styles(paragraph: Any) -> Iterator[Any]:
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _heading_level(paragraph: Any) -> int | None:
    """1-based outline level: the paragraph's own, else its style chain's."""
    own = _val(paragraph._p.pPr, "outlineLvl")
    if own is not None:
        return int(own) + 1 if int(own) < BODY_LEVEL else None
    for style in _styles(paragraph):
        found = _HEADING_STYLE_RE.match(style.name or "")
        if found:
            return int(found[1])
        level = _val(style.element.pPr, "outlineLvl")
        if level is not None:
            return int(level) + 1 if int(level) < BODY_LEVEL else None
    return None


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """(numId, level) of the list numbering on the paragraph or its style."""
    for props in [paragraph._p.pPr, *(s.element.pPr for s in _styles(paragraph))]:
        num_pr = props.find(f"{_W}numPr") if props is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            if num_id is None or num_id == "0":  # numId 0 switches numbering off
                return None
            return num_id, int(_val(num_pr, "ilvl") or 0)
    return None


class _ListFormats:
    """numId + level → "bullet" / "decimal" / ... from the numbering part."""

    def __init__(self, document: Any) -> None:
        self._formats: dict[tuple[str, int], str] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, str]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {
                int(lvl.get(f"{_W}ilvl", "0")): _val(lvl, "numFmt") or "decimal"
                for lvl in node.findall(f"{_W}lvl")
            }
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            levels = abstract.get(_val(num, "abstractNumId") or "", {})
            for level, fmt in levels.items():
                self._formats[(num.get(f"{_W}numId", ""), level)] = fmt

    def kind(self, paragraph: Any, num: tuple[str, int] | None) -> str | None:
        """ "bullet", "number" or None (not a list item)."""
        names = " ".join(s.name or "" for s in _styles(paragraph))
        if num is not None:
            fmt = self._formats.get(num)
            if fmt is not None and fmt != "none":
                return "bullet" if fmt == "bullet" else "number"
        if _BULLET_STYLE_RE.search(names):
            return "bullet"
        if _NUMBER_STYLE_RE.search(names):
            return "number"
        return None


class _Counters:
    """Running numbers per list and level: 1, 1.1, 1.2, 2, ..."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def next(self, key: str, level: int) -> list[int]:
        counts = self.counts.get(key, [])
        counts = counts[: level + 1] + [0] * (level + 1 - len(counts))
        counts[level] += 1
        self.counts[key] = counts
        return [max(c, 1) for c in counts]


def _heading_line(text: str, level: int, number: list[int] | None) -> str:
    if number is not None and not _NUMBERED_TEXT_RE.match(text):
        text = f"{'.'.join(map(str, number))} {text}"
    return f"{'#' * min(level, 6)} {text}"


def _blocks(parent: Any, document: Any) -> Iterator[Any]:
    """Paragraphs and tables in body order, looking inside content controls."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            yield Paragraph(child, document._body)
        elif child.tag == f"{_W}tbl":
            yield Table(child, document._body)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, document)


def _paragraph_lines(
    paragraph: Any, lists: _ListFormats, counters: _Counters
) -> list[str]:
    names = " ".join(s.name or "" for s in _styles(paragraph))
    raw = paragraph.text
    if _TOC_STYLE_RE.match(names):
        # A table-of-contents entry keeps its tab before the page number.
        return [raw.strip()]
    text = raw.replace("\t", " ").strip()
    if not text:
        return [""]
    num = _num_pr(paragraph)
    level = _heading_level(paragraph)
    if level is not None:
        number = counters.next("heading", level - 1) if num is not None else None
        return [_heading_line(" ".join(text.split()), level, number)]
    kind = lists.kind(paragraph, num)
    if kind is not None:
        depth = num[1] if num else 0
        indent = "  " * depth
        if kind == "bullet":
            return [f"{indent}• {' '.join(text.split())}"]
        position = counters.next(f"list:{num[0] if num else names}", depth)
        return [f"{indent}{position[-1]}) {' '.join(text.split())}"]
    # Soft line breaks inside a paragraph become separate lines.
    return [part.rstrip() for part in text.split("\n")]


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

    document = _open(path, data)
    lists = _ListFormats(document)
    counters = _Counters()
    lines: list[str] = []
    try:
        previous = None
        for block in _blocks(document.element.body, document):
            if isinstance(block, Table):
                if isinstance(previous, Table):
                    lines.append("")  # two Word tables stay two tables
                lines.extend(table_lines(block))
            else:
                lines.extend(_paragraph_lines(block, lists, counters))
            previous = block
    except Exception as exc:
        raise CorpusError(
            path, f"cannot read the DOCX body ({type(exc).__name__}) — re-save it"
        ) from None
    if not any(line.strip() for line in lines):
        raise CorpusError(path, "the DOCX holds no text — add text or remove the file")
    return LoadedText(tuple(lines))
