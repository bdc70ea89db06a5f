"""What a brief is built from: the ``BriefSource`` role (the ``Assistant`` plays it)
and ``DocumentView``, one document's sections, tables and lines with citing helpers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.answering.compose import CitationBuilder
from assistant.models import Answer, Citation, Filters
from corpus.models import DocumentMeta, Section, Table
from corpus.numbers import find_numbers
from corpus.text import plain


class BriefSource(Protocol):
    """Read access to the index plus the chat's ``ask`` (implemented by Assistant)."""

    def documents(self) -> list[DocumentMeta]: ...
    def document_lines(self, doc: str) -> tuple[str, ...]: ...
    def sections(self, doc: str) -> list[Section]: ...
    def tables(self, doc: str) -> list[Table]: ...
    def page_of(self, doc: str, line: int) -> int | None: ...
    def content_hash(self, doc: str) -> str: ...
    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> Answer: ...


class UnknownDocumentError(LookupError):
    """The brief was asked for a document the index does not hold."""


@dataclass
class DocumentView:
    """One indexed document as the part builders read it."""

    meta: DocumentMeta
    lines: tuple[str, ...]
    sections: list[Section]
    tables: list[Table]
    builder: CitationBuilder
    source: BriefSource

    @classmethod
    def open(cls, source: BriefSource, doc: str) -> DocumentView:
        metas = {m.doc: m for m in source.documents()}
        if doc not in metas:
            known = ", ".join(sorted(metas)) or "none"
            raise UnknownDocumentError(
                f"{doc!r} is not an indexed document (indexed: {known}; "
                "see `python -m assistant list`)"
            )
        lines = source.document_lines(doc)
        sections = sorted(source.sections(doc), key=lambda s: s.line_start)
        builder = CitationBuilder(
            lambda _d: lines, metas.get, lambda _d, n: _section_at(sections, n)
        )
        return cls(metas[doc], lines, sections, source.tables(doc), builder, source)

    @property
    def doc(self) -> str:
        return self.meta.doc

    def cite(self, start: int, end: int | None = None) -> Citation:
        """The citation of lines ``start..end`` (page included for paginated sources)."""
        end = end or start
        n = self.builder.cite(
            self.doc, None, start, end, self.source.page_of(self.doc, start)
        )
        return self.builder.citations[n - 1]

    def text(self, start: int, end: int | None = None) -> str:
        return "\n".join(self.lines[start - 1 : end or start])

    def body_lines(self, section: Section) -> list[int]:
        """Line numbers of a section's own text (heading excluded)."""
        return list(range(section.line_start + 1, section.line_end + 1))


def _section_at(sections: list[Section], line: int) -> str:
    inside = [s for s in sections if s.line_start <= line <= s.line_end]
    return inside[-1].section_path if inside else ""


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”])")


def sentences(line: str) -> list[str]:
    """The sentences of one line of running text, tags removed."""
    text = plain(line)
    return [s.strip() for s in _SENTENCE_END_RE.split(text) if s.strip()]


def printed_numbers(text: str, cited: str) -> tuple[str, ...]:
    """Numbers ``text`` states, as printed, that also stand in the cited lines.

    Example: printed_numbers("Nettokostnad -205,6 mnkr 2024", line) -> ("-205,6 mnkr",
    "2024") when the line prints them so.
    """
    found = [n.raw for n in find_numbers(text)]
    return tuple(dict.fromkeys(n for n in found if n and n in cited))
