"""Parts a document announces but leaves empty.

Plan documents are filled-in templates: a heading without text under it, a table with
only its header row, a row label whose cells are blank. A question about such a part
must be answered with "the documents do not say" (citing the empty part, so the
reader sees it is empty), not with a neighbouring passage that merely shares words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.compose import CitationBuilder, Draft, clean, refusal
from assistant.language.textmatch import coverage
from assistant.models import Hit, Query
from assistant.reading.query import SECTION_WORDS, section_matches
from corpus.models import Section, Table

MIN_COVERAGE = 0.6  # share of the question's topic the empty part must name
# What a question calls each kind of part ("... i lokalbehovsplanens tabell?").
KIND_WORDS = {"section": "avsnitt rubrik", "table": "tabell", "row": "rad"}


@dataclass(frozen=True)
class Gap:
    """An empty part of a document that the question asks about."""

    hit: Hit
    kind: str  # "section" | "table" | "row"
    name: str  # the heading, the header row or the row label


class GapFinder:
    """Tells which retrieved chunks are empty parts, from the parsed sections and
    tables of their documents."""

    def __init__(
        self,
        sections_for: Callable[[str], Sequence[Section]],
        tables_for: Callable[[str], Sequence[Table]],
        lines_for: Callable[[str], Sequence[str]],
    ) -> None:
        self._sections_for = sections_for
        self._tables_for = tables_for
        self._lines_for = lines_for
        self._tables: dict[str, Sequence[Table]] = {}  # both read once per document
        self._sections: dict[str, Sequence[Section]] = {}

    def empty_part(self, hit: Hit) -> Gap | None:
        if hit.kind == "table" and hit.table_id:
            return self._empty_table_part(hit)
        if hit.kind == "text":
            return self._empty_section(hit)
        return None

    def find(
        self, query: Query, hits: Sequence[Hit], terms: Sequence[str], depth: int = 3
    ) -> Gap | None:
        """The empty part among the top ``depth`` hits that the question names by
        number, or names best (``terms`` are its topic stems) and better than any
        passage with content; None otherwise."""
        if not terms:
            return None
        best_gap: tuple[float, Gap] | None = None
        best_content = 0.0
        for hit in hits[:depth]:
            gap = self.empty_part(hit)
            if gap is None:
                text = f"{hit.section_path} {hit.text}"
                best_content = max(best_content, coverage(terms, text))
                continue
            named = coverage(
                terms, f"{hit.section_path} {gap.name} {KIND_WORDS[gap.kind]}"
            )
            if _names_reference(query, hit):
                return gap  # "avsnitt 3.1": the question names this very part
            if best_gap is None or named > best_gap[0]:
                best_gap = (named, gap)
        if best_gap is None or best_gap[0] < MIN_COVERAGE:
            return None
        # A tie goes to the passage with content: it may well answer the question.
        return best_gap[1] if best_gap[0] > best_content else None

    def _empty_table_part(self, hit: Hit) -> Gap | None:
        if hit.doc not in self._tables:
            self._tables[hit.doc] = self._tables_for(hit.doc)
        table = next(
            (t for t in self._tables[hit.doc] if t.table_id == hit.table_id), None
        )
        if table is None:
            return None
        if not table.rows:
            return Gap(hit, "table", ", ".join(clean(h) for h in table.header))
        rows = [
            r
            for r in table.rows
            if r.line_start >= hit.line_start and r.line_end <= hit.line_end
        ]
        if rows and all(not any(clean(c.text) for c in r.cells) for r in rows):
            return Gap(hit, "row", clean(rows[0].label))
        return None

    def _empty_section(self, hit: Hit) -> Gap | None:
        if hit.doc not in self._sections:
            self._sections[hit.doc] = list(self._sections_for(hit.doc))
        sections = self._sections[hit.doc]
        for i, section in enumerate(sections):
            if section.line_start != hit.line_start:
                continue
            following = sections[i + 1] if i + 1 < len(sections) else None
            if following and following.path[: len(section.path)] == section.path:
                return None  # it introduces subsections
            # No section starts inside: any line with a letter or digit is content.
            lines = self._lines_for(hit.doc)[section.line_start : section.line_end]
            if any(re.search(r"\w", clean(line)) for line in lines):
                return None
            return Gap(hit, "section", clean(section.path[-1]))
        return None


def _names_reference(query: Query, hit: Hit) -> bool:
    """The question names the part's own section by number ("avsnitt 3.1" names
    "3.1 Följetal ..."; "kapitel 3" names chapter 3, not its subsection 3.1)."""
    heading = hit.section_path.split(" > ")[-1]
    return any(
        ref.split()[0] in SECTION_WORDS and section_matches(ref, heading)
        for ref in query.refs
    )


def refuse_gap(query: Query, gap: Gap, builder: CitationBuilder) -> Draft:
    """The refusal, and where the document leaves the asked part empty."""
    hit = gap.hit
    n = builder.cite_passage(hit)
    template = GAP_NOTES[query.lang == "en"][gap.kind]
    note = template.format(name=gap.name, n=n)
    return Draft(f"{refusal(query.lang)} {note}", builder.citations, refused=True)


GAP_NOTES = {
    False: {
        "section": 'Dokumentet har avsnittet "{name}", men det är tomt [{n}].',
        "table": 'Dokumentet har tabellen med kolumnerna "{name}", men den är tom [{n}].',
        "row": 'Dokumentet har raden "{name}", men den är tom [{n}].',
    },
    True: {
        "section": 'The document has the section "{name}", but it is empty [{n}].',
        "table": 'The document has the table with the columns "{name}", but it is '
        "empty [{n}].",
        "row": 'The document has the row "{name}", but it is empty [{n}].',
    },
}
