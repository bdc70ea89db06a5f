"""Heading recall and precision of a parsed PDF against its own table of contents.

No hand labels: a PDF's table of contents lists its true headings. The entries
are read from the PDF's plain text (pdfplumber, not the loader under test): after
a contents title ("Innehåll", "Innehållsförteckning", "Contents") every line
ending in a page number is an entry, with or without a dotted leader; without
such a title a run of at least three dotted-leader lines is a contents list. An
entry wrapped over lines ("3.3 Översikt ... samhällsviktiga" / "funktioner .. 18")
is joined; lines repeated on several pages (running headers/footers) are skipped.

Titles are compared normalised: numbering, dotted leaders, page numbers, case,
punctuation and whitespace removed.

- recall: the share of entries found as a section title;
- precision: the share of sections that are entries, counted over the pages the
  contents covers (from the page its first entry names, printed page numbers
  mapped to PDF pages by where that entry's title first occurs after the
  contents, to the end); the front section (before the first heading) is not
  counted;
- precision at contents depth: the same without sections below the contents'
  deepest level: numbered sections deeper than the deepest numbered entry, and
  sections nested inside a section whose entry is at that deepest level (by
  numbering, or for an unnumbered contents by indentation).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from corpus.load import load_document
from corpus.models import ParsedDocument, Section
from corpus.parse import parse_document

_TITLE_RE = re.compile(r"^(innehåll|innehållsförteckning|contents)\b", re.I)
_LEADER_ENTRY_RE = re.compile(r"^(.*?\S)\s*(?:\.{3,}|…{2,})\s*(\d{1,3})$")
# After a contents title: "1.8 Budget 2024-2027 6", "Riskvärdering17".
_SPACED_ENTRY_RE = re.compile(r"^(.*[^\W\d].*?)\s+(\d{1,3})$|^(.*[^\W\d])(\d{1,3})$")
_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+")
# Contents are looked for on the first pages: this share of the document, at most.
TOC_PAGE_SHARE = 0.4
MAX_TOC_PAGES = 10
MAX_WRAPPED_LINES = 2


def normalise(title: str) -> str:
    """Title without numbering, leader, page number, case and punctuation."""
    text = re.sub(r"(?:\.{3,}|…{2,})\s*\d*\s*$", "", title.strip())
    text = _NUMBER_RE.sub("", text)
    return " ".join(re.findall(r"[0-9a-zåäöéü]+", text.lower()))


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int  # printed page number
    number: tuple[int, ...] = ()  # () for unnumbered
    indent: float = 0.0  # left edge of its first line (points)

    @property
    def key(self) -> str:
        return normalise(self.title)


def _entry(text: str, page: int, indent: float) -> TocEntry:
    text = text.strip()
    numbered = _NUMBER_RE.match(text)
    number = tuple(int(p) for p in numbered[1].split(".")) if numbered else ()
    return TocEntry(text, page, number, indent)


Line = tuple[str, float]  # a printed line and its left edge


def lines_of(text: str) -> list[Line]:
    """A page's plain text as lines without positions."""
    return [(ln.strip(), 0.0) for ln in text.splitlines() if ln.strip()]


def _furniture(pages: Sequence[Sequence[Line]]) -> set[str]:
    """Lines (digits ignored) that repeat on at least three pages."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({re.sub(r"\d+", "#", line) for line, _ in lines})
    return {sig for sig, n in seen.items() if n >= min(3, len(pages))}


def _entry_end(line: str, titled: bool) -> tuple[str, int] | None:
    """(title, page) of a line that ends a contents entry."""
    leader = _LEADER_ENTRY_RE.match(line)
    if leader:
        return leader[1], int(leader[2])
    spaced = _SPACED_ENTRY_RE.match(line) if titled else None
    if spaced:
        return spaced[1] or spaced[3], int(spaced[2] or spaced[4])
    return None


@dataclass
class _TocReader:
    """Reads contents lines one by one; ``feed`` is False once the contents end."""

    entries: list[TocEntry] = field(default_factory=list)
    titled: bool = False
    last_page: int = 0
    pending: list[str] = field(default_factory=list)
    misses: int = 0
    indent: float = 0.0  # of the entry's first line

    def _add(self, title: str, page: int, number: int) -> None:
        self.entries.append(_entry(" ".join([*self.pending, title]), page, self.indent))
        self.pending, self.misses, self.last_page = [], 0, number

    def feed(self, line: str, x0: float, number: int) -> bool:
        if not self.pending:
            self.indent = x0
        if _TITLE_RE.match(line) and not self.entries:
            self.titled = True
            if not _LEADER_ENTRY_RE.match(line):
                return True
        found = _entry_end(line, self.titled or len(self.entries) >= 3)
        if found:
            if not _TITLE_RE.match(found[0]):  # not the contents listing itself
                self._add(found[0], found[1], number)
        elif re.fullmatch(r"\d{1,3}", line) and self.pending:
            self._add("", int(line), number)
        elif (self.entries or self.titled) and len(self.pending) < MAX_WRAPPED_LINES:
            self.pending.append(line)
            self.misses += 1
        else:
            self.pending, self.misses = [], self.misses + 1
        return not (self.entries and self.misses > MAX_WRAPPED_LINES)


def toc_entries(pages: Sequence[Sequence[Line]]) -> tuple[list[TocEntry], int]:
    """The contents entries and the (1-based) PDF page the contents ends on."""
    skip = _furniture(pages)
    limit = min(MAX_TOC_PAGES, max(2, round(len(pages) * TOC_PAGE_SHARE)))
    reader = _TocReader()
    lines = [
        (line, x0, number)
        for number, page in enumerate(pages[:limit], start=1)
        for line, x0 in page
        if not (re.search(r"[^\W\d]", line) and re.sub(r"\d+", "#", line) in skip)
    ]
    for line, x0, number in lines:
        if not reader.feed(line, x0, number):
            break
    return _trusted(reader.entries, reader.titled), reader.last_page


def _trusted(entries: list[TocEntry], titled: bool) -> list[TocEntry]:
    """Entries only when they look like contents: enough, pages rising."""
    pages = [e.page for e in entries]
    rises = sum(b >= a for a, b in pairwise(pages))
    enough = len(entries) >= (2 if titled else 3)
    return entries if enough and rises >= 0.9 * (len(pages) - 1) else []


@dataclass(frozen=True)
class HeadingCheck:
    document: str
    entries: int
    sections: int  # counted for precision
    found: int  # entries found as sections
    matching: int  # counted sections that are entries
    deep_sections: int  # counted at contents depth
    deep_matching: int
    missed: tuple[str, ...] = field(default=())
    extra: tuple[str, ...] = field(default=())

    @property
    def recall(self) -> float:
        return self.found / self.entries if self.entries else 0.0

    @property
    def precision(self) -> float:
        return self.matching / self.sections if self.sections else 0.0

    @property
    def precision_at_depth(self) -> float:
        return self.deep_matching / self.deep_sections if self.deep_sections else 0.0


def _page_offset(entry: TocEntry, pages: Sequence[Sequence[Line]], after: int) -> int:
    """PDF page minus printed page, from where the first entry's title occurs."""
    key = entry.key
    for number in range(after + 1, len(pages) + 1):
        if key and key in normalise(" ".join(line for line, _ in pages[number - 1])):
            return number - entry.page
    return 0


def _deepest(entries: Sequence[TocEntry]) -> tuple[int, set[str]]:
    """The deepest numbering of the contents and the keys of its deepest entries:
    by numbering when entries are numbered, else by indentation (an unindented
    contents lists one level only)."""
    depth = max((len(e.number) for e in entries), default=0)
    if depth:
        return depth, {e.key for e in entries if len(e.number) == depth}
    indent = max(round(e.indent) for e in entries)
    return 0, {e.key for e in entries if round(e.indent) >= indent - 2}


def _too_deep(section: Section, depth: int, deepest: set[str]) -> bool:
    number = tuple(int(p) for p in section.number.split(".")) if section.number else ()
    if depth and len(number) > depth:
        return True
    return any(normalise(label) in deepest for label in section.path[:-1])


def check(parsed: ParsedDocument, pages: Sequence[Sequence[Line]]) -> HeadingCheck:
    """Compare ``parsed``'s sections with the contents printed on ``pages``."""
    entries, toc_end = toc_entries(pages)
    doc = parsed.document
    name = doc.meta.doc
    if not entries:
        return HeadingCheck(name, 0, 0, 0, 0, 0, 0)
    keys = {e.key: e for e in entries}
    titles = {normalise(s.title) for s in parsed.sections}
    missed = tuple(e.title for e in entries if e.key not in titles)
    first_page = entries[0].page + _page_offset(entries[0], pages, toc_end)
    start = max(first_page, toc_end + 1)
    counted = [s for s in parsed.sections if (doc.page_of(s.line_start) or 0) >= start]
    depth, deepest = _deepest(entries)
    deep = [s for s in counted if not _too_deep(s, depth, deepest)]
    return HeadingCheck(
        document=name,
        entries=len(entries),
        sections=len(counted),
        found=len(entries) - len(missed),
        matching=sum(normalise(s.title) in keys for s in counted),
        deep_sections=len(deep),
        deep_matching=sum(normalise(s.title) in keys for s in deep),
        missed=missed,
        extra=tuple(s.title for s in deep if normalise(s.title) not in keys),
    )


def pdf_page_lines(path: Path) -> list[list[Line]]:
    """Each page's text lines with their left edges (pdfplumber)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [
            [
                (str(ln["text"]).strip(), float(ln["x0"]))
                for ln in page.extract_text_lines()
                if str(ln["text"]).strip()
            ]
            for page in pdf.pages
        ]


def check_pdf(path: Path) -> HeadingCheck:
    return check(parse_document(load_document(path)), pdf_page_lines(path))
