"""Briefs of the four bundled documents with the real assistant (model + index).

For each document: every present part has items, every item's cited lines exist and
print the item's values, absent parts are marked missing (and no heading of the
document names them), and every suggested question is answered without refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.brief.build import build_brief
from assistant.brief.cache import BriefCache
from assistant.brief.vocabulary import default_vocabulary
from assistant.models import Filters

pytestmark = pytest.mark.integration

DOCUMENTS = sorted(
    p.name
    for p in (Path(__file__).resolve().parent.parent / "corpus/documents").glob("*.txt")
)


@pytest.fixture(scope="module")
def briefs(real_assistant, tmp_path_factory: pytest.TempPathFactory):
    cache = BriefCache(tmp_path_factory.mktemp("briefs"))
    return {doc: cache.get(real_assistant, doc) for doc in DOCUMENTS}


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_items_cite_lines_that_print_their_values(
    briefs, real_assistant, doc: str
) -> None:
    brief = briefs[doc]
    lines = real_assistant.document_lines(doc)
    assert brief.doc == doc and brief.title
    for part in brief.parts:
        assert part.missing == (not part.items)
        if part.missing:
            assert part.note.startswith(("Dokumentet", "Inga"))
        if part.key == "questions":
            continue
        for item in part.items:
            assert item.text.strip() and item.citations, (part.key, item)
            for c in item.citations:
                assert c.doc == doc
                assert 1 <= c.line_start <= c.line_end <= len(lines), c
                cited = "\n".join(lines[c.line_start - 1 : c.line_end])
                for value in item.values:
                    assert value in cited, (part.key, value, cited)
            if part.key == "economy":
                assert item.values, item.text  # the economy part states figures


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_missing_parts_are_absent_from_the_document(
    briefs, real_assistant, doc: str
) -> None:
    brief = briefs[doc]
    vocab = default_vocabulary()
    titles = [s.title for s in real_assistant.sections(doc)]
    for part in brief.parts:
        if not part.missing or part.key in ("questions", "abbreviations"):
            continue
        words = vocab.part(part.key)
        named = [t for t in titles if words.heading_matches(t)]
        assert not named, f"{part.key} is marked missing but headings name it: {named}"


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_suggested_questions_are_answered_without_refusal(
    briefs, real_assistant, doc: str
) -> None:
    brief = briefs[doc]
    assert brief.questions, "no question about the document could be answered"
    assert len(brief.questions) <= 5
    for question in brief.questions:
        answer = real_assistant.ask(question, filters=Filters(doc=doc))
        assert not answer.refused, (question, answer.answer)
        assert answer.citations and all(c.doc == doc for c in answer.citations)


def test_plans_and_reports_have_their_core_parts(briefs, real_assistant) -> None:
    """Documents that budget or follow up a year (not an external evaluation) give
    mission, goals, economy (with a chart), risks and assignments."""
    kinds = {m.doc: m.kind for m in real_assistant.documents()}
    planned = [d for d in DOCUMENTS if kinds[d] != "utvärdering"]
    assert len(planned) == 3
    for doc in planned:
        brief = briefs[doc]
        present = {p.key for p in brief.parts if not p.missing}
        assert {"mission", "goals", "economy", "risks", "assignments"} <= present, doc
        assert brief.charts and len(brief.charts[0].series[0].values) >= 2
        assert len(brief.questions) == 5, (doc, brief.questions)
    evaluation = briefs[next(d for d in DOCUMENTS if kinds[d] == "utvärdering")]
    assert evaluation.part("economy").missing and evaluation.part("risks").missing


def test_cached_brief_equals_the_built_one(
    briefs, real_assistant, tmp_path: Path
) -> None:
    doc = DOCUMENTS[0]
    built = build_brief(real_assistant, doc)
    assert built.to_json() == briefs[doc].to_json()
    cache = BriefCache(tmp_path)
    cache.get(real_assistant, doc)
    assert cache.path(doc, real_assistant.content_hash(doc)).is_file()
    assert cache.get(real_assistant, doc).to_json() == built.to_json()
