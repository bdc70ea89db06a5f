"""Original document lines for the metrics, and resolving a case's sources to spans.

Lines come from the corpus loader, so they are numbered exactly as citations are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.cases import CaseError, EvalCase
from evals.metrics import LinesOf, LineSpan, locate_quote


class DocumentLibrary:
    """Lazily loaded, cached lines of the documents in one folder.

    ``lines("000_x.txt")`` gives the original lines, or ``None`` when the folder has
    no such document (or it cannot be read).
    """

    def __init__(self, documents_dir: Path) -> None:
        self.documents_dir = Path(documents_dir)
        self._cache: dict[str, tuple[str, ...] | None] = {}

    def lines(self, doc: str) -> tuple[str, ...] | None:
        name = doc.rsplit("/", 1)[-1]
        if name not in self._cache:
            self._cache[name] = self._load(self.documents_dir / name)
        return self._cache[name]

    def __call__(self, doc: str) -> tuple[str, ...] | None:
        return self.lines(doc)

    @staticmethod
    def _load(path: Path) -> tuple[str, ...] | None:
        if not path.is_file():
            return None
        # Imported here so the metrics and their tests need no corpus parser.
        from corpus.load import load_document

        try:
            return tuple(load_document(path).lines)
        except Exception:  # a broken document reads as missing; the case names it
            return None


def resolve_sources(
    case: EvalCase, lines_of: LinesOf
) -> tuple[tuple[LineSpan, ...], ...]:
    """Per source document, the spans where its quote occurs.

    Alternative quotes for one document pool their spans; a source without a quote
    counts as the whole document. Raises ``CaseError`` when
    a document is missing or its quote is not in it, so the runner can name the line.
    """
    resolved: list[tuple[LineSpan, ...]] = []
    for doc, quote in case.sources:
        lines: Sequence[str] | None = lines_of(doc)
        if lines is None:
            raise CaseError(
                f"source_doc {doc!r} is not in the documents folder "
                "(check the file name or pass --documents DIR)"
            )
        if quote is None:
            resolved.append((LineSpan(doc, 1, max(len(lines), 1)),))
            continue
        spans: list[LineSpan] = []
        for alternative in (quote,) if isinstance(quote, str) else quote:
            found = locate_quote(doc, lines, alternative)
            if not found:
                shown = (
                    alternative[:57] + "..." if len(alternative) > 60 else alternative
                )
                raise CaseError(
                    f"source_quote {shown!r} was not found in {doc}; copy the exact "
                    "text from the document (whitespace differences are allowed)"
                )
            spans += found
        resolved.append(tuple(dict.fromkeys(spans)))
    return tuple(resolved)
