"""Briefs on a made-up year-end report (a kind none of the samples is), through a
fake source: classification, parts, values as printed, citations, missing parts,
questions kept only when answered, the cache, and the renderings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.brief.build import build_brief
from assistant.brief.cache import BriefCache
from assistant.brief.render import to_html, to_markdown
from assistant.brief.source import UnknownDocumentError
from assistant.brief.vocabulary import VocabularyError, load_vocabulary, term_in
from assistant.language.abbreviations import long_form
from assistant.models import Answer, Citation, Filters
from corpus.load import load_document
from corpus.parse import parse_document

REPORT = """\
Årsredovisning 2025 Tekniska nämnden, Sjöby kommun

1 Verksamhetsidé
Tekniska nämnden ansvarar för gator, parker och vatten i Sjöby kommun. Nämnden har 240 medarbetare i tre avdelningar.
Förvaltningen leds av en förvaltningschef och en ledningsgrupp.

2 Målbild
Sjöby ska vara en hållbar kommun där det är lätt att leva och bo.

3 Verksamhetsmål och indikatorer
Indikator\tUtfall 2023\tUtfall 2024\tUtfall 2025\tMål 2025
Andel återvunnet avfall (%)\t41\t44\t47,5\t50
Nöjd medborgarindex (NMI)\t58\t60\t61\t62

4 Driftredovisning
Driftredovisning (tkr)\tBokslut 2023\tBokslut 2024\tBudget 2025\tUtfall 2025\tAvvikelse
Intäkter\t81 200\t84 900\t86 000\t88 150\t2 150
Kostnader\t-201 400\t-212 300\t-220 000\t-223 900\t-3 900
Nettokostnad\t-120 200\t-127 400\t-134 000\t-135 750\t-1 750

5 Riskbedömning
Risk\tSannolikhet\tKonsekvens\tÅtgärd
Vattenläcka i huvudledning\t3\t4\tFörnyelseplan
Brist på ingenjörer\t4\t2\tRekryteringsinsatser
Försenade upphandlingar\t2\t2\tTidig planering

6 Uppdrag
Uppdrag\tAnsvarig\tKlart\tStatus
Ta fram en ny dagvattenplan för centrala Sjöby\tTeknisk chef\t2026-06-30\tPågår
Utreda gemensam drift av reningsverk med grannkommunen\tVA-chef\t2025-12-31\tKlar

7 Ordlista
VA – vatten och avlopp enligt vattentjänstlagen
Dagvatten: regn- och smältvatten som rinner av hårda ytor
"""


class FakeSource:
    """A BriefSource over one parsed document; ``ask`` answers the questions whose
    words are in ``known`` and refuses the rest, recording what was asked."""

    def __init__(self, path: Path, known: Sequence[str] = ()) -> None:
        self.parsed = parse_document(load_document(path))
        self.known = known
        self.asked: list[tuple[str, Filters | None]] = []
        self.hash = self.parsed.document.content_hash

    def documents(self):
        return [self.parsed.meta]

    def document_lines(self, doc: str) -> tuple[str, ...]:
        return self.parsed.document.lines

    def sections(self, doc: str):
        return list(self.parsed.sections)

    def tables(self, doc: str):
        return list(self.parsed.tables)

    def page_of(self, doc: str, line: int) -> int | None:
        return None

    def content_hash(self, doc: str) -> str:
        return self.hash

    def ask(self, question: str, history=(), filters=None) -> Answer:
        self.asked.append((question, filters))
        answered = any(k in question.lower() for k in self.known)
        citations = (Citation(1, self.parsed.meta.doc, "", "", 1, 1, "x"),)
        return Answer(question, "svar", not answered, citations if answered else ())


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "arsredovisning.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def _line_of(text: str) -> int:
    return next(n for n, line in enumerate(REPORT.splitlines(), 1) if text in line)


def test_every_part_of_a_year_end_report_is_found_and_cited(report: Path) -> None:
    source = FakeSource(report, known=("nettokostnad", "vattenläcka", "va "))
    brief = build_brief(source, report.name)
    lines = source.document_lines(report.name)
    assert [p.key for p in brief.parts] == [
        "mission", "vision", "goals", "economy", "risks", "assignments",
        "abbreviations", "questions",
    ]  # fmt: skip
    assert all(not p.missing for p in brief.parts)
    for part in brief.parts[:-1]:
        for item in part.items:
            assert item.citations, item
            for c in item.citations:
                assert 1 <= c.line_start <= c.line_end <= len(lines)
                cited = "\n".join(lines[c.line_start - 1 : c.line_end])
                assert all(v in cited for v in item.values), (item, cited)

    mission = brief.part("mission").items
    assert mission[0].text.startswith("Tekniska nämnden ansvarar för gator")
    assert mission[0].citations[0].line_start == _line_of("ansvarar för gator")
    assert "240" in mission[1].values

    goals = {
        dict(i.fields)["Indikator"]: dict(i.fields) for i in brief.part("goals").items
    }
    waste = goals["Andel återvunnet avfall (%)"]
    assert waste["Målvärde"] == "Mål 2025: 50"
    assert waste["Senaste utfall"] == "Utfall 2025: 47,5"
    assert waste["Mål"] == "Verksamhetsmål och indikatorer"

    economy = brief.part("economy").items
    assert economy[0].text.startswith("Nettokostnad (tkr)")
    assert economy[0].values == (
        "-120 200",
        "-127 400",
        "-134 000",
        "-135 750",
        "-1 750",
    )
    [chart] = brief.charts
    assert chart.series[0].values == (-120200.0, -127400.0, -134000.0, -135750.0)
    assert chart.ylabel == "tkr"

    # Ranked by the document's own factors: 3 × 4 = 12 before 4 × 2 = 8 before 2 × 2.
    risks = [dict(i.fields)["Risk"] for i in brief.part("risks").items]
    assert risks == [
        "Vattenläcka i huvudledning",
        "Brist på ingenjörer",
        "Försenade upphandlingar",
    ]

    plan = brief.part("assignments").items[0]
    assert dict(plan.fields) == {
        "Uppdrag": "Ta fram en ny dagvattenplan för centrala Sjöby",
        "Ansvarig": "Teknisk chef",
        "Klart": "2026-06-30",
        "Status": "Pågår",
    }
    assert plan.values == ("2026-06-30",)

    terms = [i.text for i in brief.part("abbreviations").items]
    assert "VA – vatten och avlopp enligt vattentjänstlagen" in terms
    assert "NMI – Nöjd medborgarindex" in terms
    assert any(t.startswith("Dagvatten – regn- och smältvatten") for t in terms)


def test_questions_are_kept_only_when_answered_within_the_document(
    report: Path,
) -> None:
    source = FakeSource(report, known=("nettokostnad", "vattenläcka"))
    brief = build_brief(source, report.name)
    assert brief.questions
    assert all(
        "nettokostnad" in q.lower() or "vattenläcka" in q.lower()
        for q in brief.questions
    )
    asked = [q for q, _ in source.asked]
    assert len(asked) > len(brief.questions)  # refused ones were tried and dropped
    assert {f.doc for _, f in source.asked} == {report.name}
    assert [i.text for i in brief.part("questions").items] == list(brief.questions)


def test_a_part_the_document_lacks_is_marked_missing(tmp_path: Path) -> None:
    path = tmp_path / "kort.txt"
    path.write_text(
        "Verksamhetsplan 2026\n\n1 Verksamhetsidé\n"
        "Kultur- och fritidsnämnden driver bibliotek och fritidsgårdar i kommunen.\n",
        encoding="utf-8",
    )
    brief = build_brief(FakeSource(path), path.name)
    missing = {p.key: p.note for p in brief.parts if p.missing}
    assert set(missing) == {
        "vision", "goals", "economy", "risks", "assignments", "abbreviations", "questions",
    }  # fmt: skip
    assert missing["risks"] == "Dokumentet redovisar inga risker."
    data = brief.to_json()
    risks = next(p for p in data["parts"] if p["key"] == "risks")
    assert risks["missing"] is True and risks["items"] == []
    assert brief.charts == ()


def test_json_contract_and_round_trip(report: Path) -> None:
    brief = build_brief(FakeSource(report, known=("nettokostnad",)), report.name)
    data = json.loads(json.dumps(brief.to_json()))
    assert {"doc", "title", "parts", "questions", "charts"} <= set(data)
    item = data["parts"][3]["items"][0]
    assert {"text", "values", "citations"} <= set(item)
    assert {"doc", "line_start", "line_end", "page"} <= set(item["citations"][0])
    assert {"title", "series"} <= set(data["charts"][0])
    assert type(brief).from_json(data) == brief


def test_cache_is_keyed_by_the_content_hash(report: Path, tmp_path: Path) -> None:
    source = FakeSource(report)
    cache = BriefCache(tmp_path / "briefs")
    first = cache.get(source, report.name)
    assert cache.path(report.name, source.hash).is_file()
    asked = len(source.asked)
    assert cache.get(source, report.name) == first
    assert len(source.asked) == asked  # served from the file, not rebuilt
    source.hash = "another-content-hash"
    rebuilt = cache.get(source, report.name)
    assert len(source.asked) > asked
    assert rebuilt.content_hash == "another-content-hash"
    png = cache.charts(rebuilt)
    assert png and png[0].startswith(b"\x89PNG")


def test_renderings_cite_every_item_and_escape(report: Path) -> None:
    brief = build_brief(FakeSource(report, known=("nettokostnad",)), report.name)
    md = to_markdown(brief, ["b.chart1.png"])
    assert "## Ekonomi i siffror" in md and "![" in md
    assert f"{report.name}, rad {_line_of('Nettokostnad')}" in md
    page = to_html(brief, [b"\x89PNG fake"])
    assert "data:image/png;base64," in page and "<script" not in page
    assert page.count('class="brief-part"') == len(brief.parts)


def test_unknown_document_names_what_is_indexed(report: Path) -> None:
    with pytest.raises(UnknownDocumentError, match=r"arsredovisning\.txt"):
        build_brief(FakeSource(report), "nope.txt")


def test_vocabulary_matching_and_bad_file(tmp_path: Path) -> None:
    assert term_in("mål", "Verksamhetsmål 2024")
    assert term_in("mål", "Målen för året")
    assert not term_in("mål", "Målgrupper")
    assert term_in("driftbudget", "Driftbudgettabell")
    assert term_in("intern kontroll", "Plan för intern kontroll")
    bad = tmp_path / "parts.toml"
    bad.write_text('[parts.mission]\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"parts\.toml"):
        load_vocabulary(bad)


def test_long_form_of_an_abbreviation() -> None:
    assert long_form("enligt Myndigheten för samhällsskydd och beredskap", "MSB") == (
        "Myndigheten för samhällsskydd och beredskap"
    )
    assert long_form("Kommunens mål- och resursplan", "MRP") == "mål- och resursplan"
    assert long_form("ett helt annat ord", "XYZ") is None


def test_introduction_tab_handlers(report: Path, tmp_path: Path) -> None:
    from assistant.web.brief import QUESTION_BUTTONS, BriefHandlers

    source = FakeSource(report, known=("nettokostnad", "vattenläcka"))
    handlers = BriefHandlers(source, BriefCache(tmp_path / "briefs"))
    meta = source.parsed.meta
    assert handlers.choices(meta.municipality, None) == [
        (f"{meta.title} ({meta.doc})", meta.doc)
    ]
    assert handlers.choices("Annan kommun", None) == []
    page, *buttons = handlers.show(meta.doc)
    assert "Ekonomi i siffror" in page and "data:image/png;base64," in page
    assert len(buttons) == QUESTION_BUTTONS
    shown = [b["value"] for b in buttons if b["visible"]]
    assert shown and all(
        "nettokostnad" in q.lower() or "vattenläcka" in q.lower() for q in shown
    )
    page, *_ = BriefHandlers(None, BriefCache(tmp_path)).show(meta.doc)
    assert "inte startad" in page


def test_items_of_a_paginated_source_cite_their_page(report: Path) -> None:
    class Paged(FakeSource):
        def page_of(self, doc: str, line: int) -> int | None:
            return 1 + line // 10  # ten lines a page

    brief = build_brief(Paged(report), report.name)
    cited = [c for p in brief.parts for i in p.items for c in i.citations]
    assert cited and all(c.page == 1 + c.line_start // 10 for c in cited)
    assert "s. 2" in to_markdown(brief)  # the line numbers 10-19 are on page 2
