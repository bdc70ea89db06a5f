"""Answer units: sentences of the retrieved passages, read with their context."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering.compose import (
    MAX_QUOTE_CHARS,
    CitationBuilder,
    Draft,
    TextOptions,
    asks_for_a_name,
    compose_text,
    paragraphs,
)
from assistant.models import Hit, Query

PASSAGE = (
    "HR-chefen är processägare för samtliga processer.\n"
    "Hållbar kompetensförsörjning är ett prioriterat mål och en av de tre "
    "utvecklingsgrupperna har uppdrag att arbeta med kompetensförsörjning. "
    "Gruppen leds av förvaltningschefen inom socialförvaltningen.\n"
    "Under året startades ett ledarprogram."
)


def _ask(question: str) -> str:
    lines = ["", *PASSAGE.split("\n")]
    hit = Hit("d:2", "d.txt", "3 Arbetsliv", 2, 4, PASSAGE, "text", 0.9)
    query = Query(
        text=question, search_text=question, lang="sv", wants_person="Vem" in question
    )
    builder = CitationBuilder(lambda d: lines[1:], lambda d: None)
    return compose_text(query, [hit], builder).text


def test_a_sentence_covered_only_with_the_one_before_is_quoted_with_it() -> None:
    """ "Gruppen leds av ..." answers who leads the group only together with the
    sentence that says which group it is: both are quoted, in order."""
    answer = _ask("Vem leder utvecklingsgruppen för kompetensförsörjning?")
    assert "socialförvaltningen" in answer
    lead = answer.index("utvecklingsgrupperna har uppdrag")
    assert lead < answer.index("Gruppen leds av")


def test_a_sentence_that_covers_the_question_alone_needs_no_lead() -> None:
    answer = _ask("Vad hände med ledarprogrammet under året?")
    assert answer.startswith("Under året startades ett ledarprogram.")


def test_a_sentence_wrapped_over_lines_is_read_and_cited_whole() -> None:
    """A PDF's lines break sentences: "Förvaltningen visar överskott på 19,5
    miljoner kronor för perioden jämfört med" / "budget." is one sentence, cited
    with both lines; a line that ends a sentence is not joined to the next."""
    text = (
        "Förvaltningen visar överskott på 19,5 miljoner kronor för perioden jämfört med\n"
        "budget. Intäkterna är högre än budgeterat för perioden och kostnaderna är\n"
        "lägre än väntat.\n"
        "Kort rad."
    )
    found = paragraphs(text, 10)
    assert [p.text for p in found] == [
        "Förvaltningen visar överskott på 19,5 miljoner kronor för perioden jämfört "
        "med budget. Intäkterna är högre än budgeterat för perioden och kostnaderna "
        "är lägre än väntat.",
        "Kort rad.",
    ]
    hit = Hit("d:10", "d.txt", "2.3 Ekonomi", 10, 13, text, "text", 0.9)
    lines = [""] * 9 + text.split("\n")
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    question = "Hur stort överskott mot budget visar förvaltningen?"
    query = Query(text=question, search_text=question, lang="sv", wants_number=True)
    draft = compose_text(query, [hit], builder)
    assert draft.text.startswith(
        "Förvaltningen visar överskott på 19,5 miljoner kronor för perioden jämfört "
        "med budget."
    )
    assert (draft.citations[0].line_start, draft.citations[0].line_end)[0] == 10
    assert draft.citations[0].line_end >= 11


def test_a_sentence_about_another_year_loses_to_one_without_a_year() -> None:
    """Both sentences cover the topic; one names only 2027 while 2026 is asked."""
    text = (
        "Arbetet med cybersäkerhetslagen fortsätter 2027 och kostar ca 25 miljoner.\n"
        "Införandet av cybersäkerhetslagen beräknas kosta ca 24 miljoner i år."
    )
    hit = Hit("d:1", "d.txt", "4 Budget", 1, 2, text, "text", 0.9)
    builder = CitationBuilder(lambda d: text.split("\n"), lambda d: None)
    question = "Vad kostar cybersäkerhetslagen 2026?"
    query = Query(
        text=question, search_text=question, lang="sv", years=(2026,), wants_number=True
    )
    answer = compose_text(query, [hit], builder).text
    assert answer.startswith("Införandet av cybersäkerhetslagen beräknas kosta ca 24")


def test_a_list_is_shown_under_its_lead_in_even_when_that_wraps() -> None:
    """The lead-in often holds what the items add up to; a PDF wraps it."""
    text = (
        "Arbetet fortsätter under 2027 och tillkommande kostnader beräknas uppgå till\n"
        "ca 25 miljoner kronor och omfattar:\n"
        "• Centraliserad logghantering\n"
        "• Skydd mot skadlig kod\n"
        "• Utbildning"
    )
    hit = Hit("d:1", "d.txt", "4 Cybersäkerhet", 1, 5, text, "text", 0.9)
    builder = CitationBuilder(lambda d: text.split("\n"), lambda d: None)
    question = "Vilka delar ingår i arbetet med cybersäkerhet 2027?"
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    draft = compose_text(query, [hit], builder)
    assert draft.text.splitlines() == [
        "Arbetet fortsätter under 2027 och tillkommande kostnader beräknas uppgå till "
        "ca 25 miljoner kronor och omfattar [1]:",
        "1. Centraliserad logghantering",
        "2. Skydd mot skadlig kod",
        "3. Utbildning",
    ]
    assert (draft.citations[0].line_start, draft.citations[0].line_end) == (1, 5)


def test_a_chosen_lead_in_brings_every_item_even_when_no_list_was_asked() -> None:
    """ "prioriterade utvecklingsarbeten 2024?" asks for no list, but the sentence
    that answers it leads one in: its items are the answer, all of them, even
    when together they are too long to quote."""
    items = [
        "- Utreda möjligheterna att använda ett verktyg för chefernas arbetsmiljö "
        f"i hela kommunen, steg {n}, med fokus på samverkan och delaktighet."
        for n in range(1, 6)
    ]
    text = "\n".join(["Prioriterade utvecklingsarbeten 2024 är:", "", *items])
    assert len(text) > MAX_QUOTE_CHARS
    question = "prioriterade utvecklingsarbeten 2024?"
    draft = _over_passage(text, Query(text=question, search_text=question, lang="sv"))
    lines = draft.text.splitlines()
    assert lines[0] == "Prioriterade utvecklingsarbeten 2024 är [1]:"
    assert [line[:3] for line in lines[1:]] == ["1. ", "2. ", "3. ", "4. ", "5. "]
    assert (draft.citations[0].line_start, draft.citations[0].line_end) == (1, 7)


def _cut_list(question: str, passage_lines: int) -> Draft:
    """A document whose list runs past the end of the retrieved passage (a
    chunk boundary after the lead-in or inside the list)."""
    document = [
        "Nämnden har arbetat med processen sedan 2023. Ramverket består av",
        "fyra delar:",
        "",
        "• Process: överenskomna arbetssätt",
        "• Projekt: bättre kontroll på planeringen",
        "• Idéarbete: lustfyllt idéarbete",
        "• Möten: förberedda möten",
        "",
        "Nedan presenteras nyckeltalen för nämndens effektivitet.",
        "• Ett annat stycke med en punkt",
    ]
    text = "\n".join(document[:passage_lines])
    hit = Hit("d:1", "d.txt", "2 Effektivitet", 1, passage_lines, text, "text", 0.9)
    builder = CitationBuilder(lambda d: document, lambda d: None)
    options = TextOptions(document_lines=lambda doc: document)
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    return compose_text(query, [hit], builder, options)


def test_a_list_cut_off_by_the_end_of_its_passage_is_read_on_in_the_document() -> None:
    """A chunk boundary is no end of a list: the passage that ends with the
    lead-in, or inside the list, gets the items that follow it, up to the first
    paragraph after the list."""
    question = "Vilka fyra delar består ramverket av?"
    expected = ["1. Process", "2. Projekt", "3. Idéarbete", "4. Möten"]
    for cut in (2, 5):
        draft = _cut_list(question, cut)
        items = [line.split(":")[0] for line in draft.text.splitlines()[1:]]
        assert items == expected, cut
        assert (draft.citations[0].line_start, draft.citations[0].line_end) == (1, 7)


def test_a_nearly_as_good_sentence_of_another_passage_is_shown_under_the_best() -> None:
    first = "Gruppen för kompetensförsörjning träffas varje månad."
    second = "Gruppen för kompetensförsörjning leds av socialchefen."
    unrelated = "Budgeten för året är oförändrad."
    hits = [
        Hit("d:1", "d.txt", "3 Arbetsliv", 1, 1, first, "text", 0.9),
        Hit("d:2", "d.txt", "3 Arbetsliv", 2, 2, second, "text", 0.8),
        Hit("d:3", "d.txt", "5 Ekonomi", 3, 3, unrelated, "text", 0.7),
    ]
    lines = [first, second, unrelated]
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    question = "Hur arbetar gruppen för kompetensförsörjning?"
    query = Query(text=question, search_text=question, lang="sv")
    draft = compose_text(query, hits, builder)
    assert draft.text.splitlines() == [f"{first} [1]", f"{second} [2]"]
    assert [c.line_start for c in draft.citations] == [1, 2]


def test_a_count_beside_the_asked_thing_beats_a_passage_that_only_names_it() -> None:
    """ "Hur många byalag?": the figure next to the word answers, not a row that
    names the thing and holds other figures (dates) higher in retrieval."""
    row = "Utvärdera riktlinjerna för byalagen\t2020-02-27\tPågående"
    prose = "Dialog sker i många former. Det finns 16 byalag och flera brukarråd."
    hits = [
        Hit("d:1", "d.txt", "Uppdrag", 1, 1, row, "text", 0.9),
        Hit("d:2", "d.txt", "Dialog", 2, 2, prose, "text", 0.8),
    ]
    lines = [row, prose]
    question = "Hur många byalag finns det?"
    query = Query(text=question, search_text=question, lang="sv", wants_number=True)
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    assert compose_text(query, hits, builder).text.startswith("Det finns 16 byalag")


def test_a_compound_the_corpus_never_writes_is_read_as_its_parts() -> None:
    from assistant.answering.compose import topic_terms
    from assistant.language.textmatch import KnownStems

    corpus = KnownStems(
        "disponerar 103 kontorsarbetsplatser varav 85 platser i kontor".split()
    )
    question = "Hur många kontorsplatser finns det?"
    query = Query(text=question, search_text=question, lang="sv", wants_number=True)
    assert topic_terms(query) == ["kontorsplats"]
    assert topic_terms(query, split=corpus.split) == ["kont", "plats"]  # stems


PROSE_ROW = (
    "Näringsliv\tMål 19: Kommunen är attraktiv för företag\t"
    "Årets fokus är att fastställa programmet för näringsliv. "
    "Programmet består av fyra fokusområden: "
    "Kompetensförsörjning: Gruppen samordnar insatser för arbetslivet på kort och lång sikt. "
    "Platsvarumärke: Bilden av platsen ska förmedlas positivt i många olika sammanhang. "
    "Kommunal service: Servicen till företagen mäts årligen genom flera undersökningar. "
    "Etableringsarbete: Intresset för att etablera sig i kommunen är stort och växer. "
    + "Företagsbesök görs regelbundet hos olika branscher tillsammans med politiken. "
    * 4
)
ROW_TEXT = (
    "Näringsliv; KF mål: Mål 19: Kommunen är attraktiv för företag; Analys: "
    + PROSE_ROW.split("\t")[2]
).strip()


def _ask_row(question: str, wants_list: bool = False) -> str:
    text = f"\tKF mål\tAnalys\n{PROSE_ROW}"
    hit = Hit("d:5", "d.txt", "Mål", 5, 6, text, "table", 0.9)
    lines = [""] * 4 + text.split("\n")
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    query = Query(text=question, search_text=question, lang="sv", wants_list=wants_list)
    options = TextOptions(row_text=lambda h: ROW_TEXT)
    return compose_text(query, [hit], builder, options).text


def test_a_row_of_prose_cells_is_quoted_from_its_best_sentence_under_its_label() -> (
    None
):
    """A row too long to read at a glance (an analysis cell of many sentences)
    answers with the sentence that covers the question, not every cell."""
    assert len(ROW_TEXT) > MAX_QUOTE_CHARS
    answer = _ask_row("Hur mäts servicen till företagen?")
    assert answer.startswith("Näringsliv: ")
    assert "Servicen till företagen mäts årligen" in answer
    assert "Årets fokus" not in answer
    assert len(answer) <= MAX_QUOTE_CHARS + len("Näringsliv: ") + len(" [1]")


def test_a_list_written_in_running_text_is_answered_with_its_item_names() -> None:
    answer = _ask_row("Vilka fokusområden har programmet?", wants_list=True)
    assert answer.startswith(
        "Programmet består av fyra fokusområden: Kompetensförsörjning; "
        "Platsvarumärke; Kommunal service; Etableringsarbete."
    )


def test_a_colon_that_leads_no_items_is_no_list() -> None:
    """One "Name: text" after a colon is a heading of a sentence, not a list: the
    sentence is quoted."""
    text = "Målet är tydligt: Alla ska kunna nå kommunen digitalt senast 2025."
    hit = Hit("d:1", "d.txt", "Mål", 1, 1, text, "text", 0.9)
    builder = CitationBuilder(lambda d: [text], lambda d: None)
    question = "Vilka mål finns för att nå kommunen digitalt?"
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    assert compose_text(query, [hit], builder).text.startswith("Målet är tydligt")


def test_a_tables_lines_are_no_list_of_short_paragraphs() -> None:
    """A list question over a table passage does not list its header line and
    rows as items ("1. Årliga prioriteringar Kommentar Status")."""
    text = "Prioriteringar\tKommentar\tStatus\nBemötande\tArbetet pågår.\tDelvis utförd"
    hit = Hit("d:5", "d.txt", "4.1 Satsningar", 5, 6, text, "table", 0.9)
    builder = CitationBuilder(lambda d: [""] * 4 + text.split("\n"), lambda d: None)
    question = "Vilka prioriteringar har kommunen?"
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    row = "Bemötande; Kommentar: Arbetet pågår.; Status: Delvis utförd"
    answer = compose_text(query, [hit], builder, TextOptions(row_text=lambda h: row))
    assert answer.text == f"{row} [1]"


ANALYSIS = (
    "Året har varit ekonomiskt svårt för kommunen. Kostnaderna har ökat snabbare "
    "än intäkterna.\n"
    "Det beror främst på höga pensionskostnader.\n"
    "Utöver ekonomin är rekryteringen av sjuksköterskor ett stort problem. "
    "Behoven ökar med en åldrande befolkning.\n"
    "Lokalerna i centrum ska renoveras under hösten."
)


def _broad(
    question: str, passages: list[tuple[int, str]]
) -> tuple[str, CitationBuilder]:
    lines = ["", *ANALYSIS.split("\n"), "Ett enda stycke om vägar."]
    hits = [
        Hit(
            f"d:{at}",
            "d.txt",
            "2 Omvärldsanalys",
            at,
            at + text.count("\n"),
            text,
            "text",
            0.9,
        )
        for at, text in passages
    ]
    query = Query(text=question, search_text=question, lang="sv", wants_overview=True)
    builder = CitationBuilder(lambda d: lines[1:], lambda d: None)
    return compose_text(query, hits, builder).text, builder


def test_a_broad_question_gets_one_point_per_paragraph_in_the_documents_order() -> None:
    """ "Vilka är de största utmaningarna?" asks for the gist of the analysis: the
    first sentence of each of the best-ranked paragraphs (at most three), in the
    order the document has them, each with its own citation. The passage's first
    paragraph is one of them although the question's word is in none."""
    answer, builder = _broad("Vilka är de största utmaningarna?", [(1, ANALYSIS)])
    points = answer.split("\n")
    assert len(points) == 3 and all(p.startswith("- ") for p in points)
    cited = [c.line_start for c in builder.citations]
    assert cited == sorted(cited) and len(set(cited)) == 3
    assert any("sjuksköterskor" in p for p in points)


def test_a_broad_question_reads_the_sections_other_retrieved_passages() -> None:
    """The section came back as two passages: the overview reads both, so a
    paragraph of the second passage can be a point."""
    first, second = ANALYSIS.split("\n", 2)[:2], ANALYSIS.split("\n", 2)[2]
    answer, builder = _broad(
        "Hur ser läget ut med rekryteringen?",
        [(3, second), (1, "\n".join(first))],
    )
    assert "sjuksköterskor" in answer
    assert len(builder.citations) >= 2


def test_a_broad_question_over_one_paragraph_is_answered_by_its_sentences() -> None:
    answer, _ = _broad(
        "Vilka är utmaningarna med vägarna?", [(5, "Ett enda stycke om vägar.")]
    )
    assert not answer.startswith("- ")


def test_a_broad_question_is_answered_from_the_section_whose_sentences_rank_best() -> (
    None
):
    """The single best sentence is a goal's heading ("... ekonomin i balans");
    the analysis section has several sentences on the economy, so the overview
    is of the analysis."""
    goal = "Mål 7: Kommunen har ekonomin i balans."
    analysis = (
        "Året har varit ekonomiskt svårt för kommunen.\n"
        "Det ekonomiska läget väntas bli bättre nästa år.\n"
        "Lokalerna i centrum ska renoveras under hösten."
    )
    lines = ["", *analysis.split("\n"), goal]
    hits = [
        Hit("d:4", "d.txt", "5 Mål", 4, 4, goal, "text", 0.9),
        Hit("d:1", "d.txt", "2 Omvärldsanalys", 1, 3, analysis, "text", 0.8),
    ]
    question = "Hur går det med ekonomin?"
    query = Query(text=question, search_text=question, lang="sv", wants_overview=True)
    builder = CitationBuilder(lambda d: lines[1:], lambda d: None)
    answer = compose_text(query, hits, builder).text
    assert answer.startswith("- ") and "i balans" not in answer
    assert {c.section for c in builder.citations} == {"2 Omvärldsanalys"}


def test_a_table_row_with_a_numbered_label_is_a_row_not_a_heading() -> None:
    """ "21. Hållbart medarbetarengagemang (HME)\\t83\\t79" starts like a numbered
    heading, but a line with tabs is a table row: it is read, a heading is not."""
    text = (
        "5.1 Mål 21: Ökat medarbetarengagemang\n"
        "Indikator\tStartläge\tUtfall 2022\n"
        "21. Hållbart medarbetarengagemang (HME)\t83\t77"
    )
    found = [p.text for p in paragraphs(text, 1)]
    assert found == [
        "Indikator Startläge Utfall 2022",
        "21. Hållbart medarbetarengagemang (HME) 83 77",
    ]


def test_the_unit_that_spells_out_an_asked_abbreviation_answers_what_it_means() -> None:
    """ "Vad står HME för?": the row that writes the long form before "(HME)"
    answers, not the sentence that uses HME most."""
    uses = (
        "Årets HME-värde ökade från 75 till 77 och HME ligger under kommunens "
        "totala HME på 78."
    )
    row = "21. Hållbart medarbetarengagemang (HME)\t83\t77"
    lines = ["", uses, row]
    hits = [
        Hit("d:1", "d.txt", "5 Medarbetare", 1, 1, uses, "text", 0.9),
        Hit("d:2", "d.txt", "5 Medarbetare", 2, 2, row, "table", 0.8),
    ]
    query = Query(text="Vad står HME för?", search_text="Vad står HME för?", lang="sv")
    builder = CitationBuilder(lambda d: lines[1:], lambda d: None)
    answer = compose_text(query, hits, builder).text
    assert "Hållbart medarbetarengagemang (HME)" in answer
    assert "HME-värde" not in answer


def test_an_english_word_for_the_documents_kind_is_no_topic_term() -> None:
    """ "interim report" stands for "delår|delårsrapport"; the document is a
    delårsrapport, so the word names the document, not the topic."""
    from assistant.answering.compose import topic_terms

    query = Query(
        text="What does HME mean in the interim report?",
        search_text="What does HME mean in the interim report?",
        lang="en",
        topic="hme mean interim",
    )
    assert "delår|delårsrapport" in topic_terms(query)
    assert "delår|delårsrapport" not in topic_terms(query, frozenset({"delårsrapport"}))


def test_the_end_of_a_period_is_no_topic_term() -> None:
    """ "at the end of 2022" says when; "end" would match the Swedish "endast"."""
    from assistant.answering.compose import topic_terms

    text = "What was the population at the end of 2022?"
    query = Query(text=text, search_text=text, lang="en", topic="population end")
    assert topic_terms(query) == ["befolkning|invån"]


def test_a_numbered_list_after_its_lead_in_is_read_as_items_not_headings() -> None:
    """ "1. Samspel ..." looks like a numbered heading; after a lead-in ending in
    ":" the numbered lines are its items, each one unit that keeps its number, and
    a question not asking for a list is answered with the lead-in and all items."""
    text = (
        "Resultatet sammanställs i en rapport. Utvärderingen har åtta huvudområden."
        " De åtta huvudområdena är:\n\n"
        "1. Samspel mellan förtroendevalda och medborgare\n"
        "2. Samhällsutveckling\n"
        "3. Styrning och kontroll\n\n"
        "5 Ekonomi\n\n"
        "Text under rubriken."
    )
    found = [p.text for p in paragraphs(text, 1)]
    assert "2. Samhällsutveckling" in found and "5 Ekonomi" not in found
    hit = Hit("d:1", "d.txt", "1 Kommunkompassen", 1, 8, text, "text", 0.9)
    builder = CitationBuilder(lambda d: text.split("\n"), lambda d: None)
    question = "huvudområdena i utvärderingen?"
    query = Query(text=question, search_text=question, lang="sv")
    answer = compose_text(query, [hit], builder).text
    assert "De åtta huvudområdena är:\n1. Samspel" in answer
    assert "3. Styrning och kontroll" in answer


def test_a_broad_question_over_list_items_gives_each_point_one_bullet() -> None:
    """Paragraphs that are list items ("- Antal besökare ...") become points
    without their own bullet: "- Antal ...", never "- - Antal ..."."""
    items = "\n".join(
        [
            "- Utmaningen är kompetensförsörjningen inom vården.",
            "- Utmaningen är ekonomin de kommande åren.",
            "- Utmaningen är att nå fler unga.",
        ]
    )
    answer, _ = _broad("Vilka är de största utmaningarna?", [(1, items)])
    points = answer.split("\n")
    assert len(points) >= 2 and all(p.startswith("- Utmaningen") for p in points)


def _over_passage(text: str, query: Query) -> Draft:
    """``query`` answered from one prose passage holding ``text`` (from line 1)."""
    lines = text.split("\n")
    hit = Hit("d:1", "d.txt", "1 Avsnitt", 1, len(lines), text, "text", 0.9)
    return compose_text(query, [hit], CitationBuilder(lambda d: lines, lambda d: None))


def test_a_when_question_is_answered_only_by_a_sentence_that_says_when() -> None:
    text = (
        "Krisledningsnämnden träder i funktion efter beslut av ordföranden.\n"
        "Krisledningsnämnden samlas vid behov för att öva."
    )
    question = "När aktiverades krisledningsnämnden senast?"
    query = Query(text=question, search_text=question, lang="sv", wants_time=True)
    assert _over_passage(text, query).refused
    dated = f"{text}\nKrisledningsnämnden aktiverades senast i mars 2020."
    assert "mars 2020" in _over_passage(dated, query).text


def test_a_unit_that_only_says_the_question_back_answers_nothing() -> None:
    """ "insamlat kommunalt avfall – senaste värdet?" is not answered by the bullet
    "Insamlat kommunalt avfall" of a list of indicators: the passage has no
    value; a yes/no question may be answered in its own words."""
    text = "Indikatorer\n\n- Genomsnittlig körsträcka med personbil\n- Insamlat kommunalt avfall"
    hit = Hit("d:1", "d.txt", "3 Mål", 1, 4, text, "text", 0.9)
    builder = CitationBuilder(lambda d: text.split("\n"), lambda d: None)
    asked = "insamlat kommunalt avfall – senaste värdet?"
    query = Query(text=asked, search_text=asked, lang="sv", wants_number=True)
    assert compose_text(query, [hit], builder).refused
    said = "Finns insamlat kommunalt avfall bland indikatorerna?"
    yes_no = Query(text=said, search_text=said, lang="sv")
    draft = compose_text(
        yes_no, [hit], CitationBuilder(lambda d: text.split("\n"), lambda d: None)
    )
    assert "Insamlat kommunalt avfall" in draft.text


def test_a_sentence_leading_in_items_is_quoted_with_them() -> None:
    """ "... beskrivs styrelsens uppgifter i tre delar." announces its items
    without a colon: quoted alone, as the second passage's one sentence under
    the first passage's, it promises what it does not say; the items follow it,
    each on a line of its own."""
    first = "Styrelsens uppgifter delas upp i reglementet för kommunstyrelsen."
    text = (
        "Kommunstyrelsen leder kommunens verksamheter.\n\n"
        "I reglementet för kommunstyrelsen beskrivs styrelsens uppgifter i tre delar.\n\n"
        "- Lednings- och styrfunktion\n"
        "- Uppsikts- och uppföljningsfunktion\n"
        "- Särskilda uppgifter\n\n"
        "Sammantaget har styrelsen ett stort ansvarsområde."
    )
    hits = [
        Hit("d:1", "d.txt", "1 Inledning", 1, 1, first, "text", 0.9),
        Hit("d:2", "d.txt", "3 Nämndens verksamhet", 11, 19, text, "text", 0.9),
    ]
    lines = [first, *[""] * 9, *text.split("\n")]
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    question = "Hur delas styrelsens uppgifter upp i reglementet för kommunstyrelsen?"
    query = Query(text=question, search_text=question, lang="sv")
    answer = compose_text(query, hits, builder).text
    assert "i tre delar.\n- Lednings- och styrfunktion\n" in answer, answer
    assert "- Särskilda uppgifter" in answer, answer


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Vilket riskvärde har risken att beslut inte verkställs?", "Riskvärde: 12"),
        ("Hur sannolik är risken att beslut inte verkställs?", "Sannolikhet: Möjlig"),
    ],
)
def test_the_cell_a_question_names_by_its_column_comes_first(
    question: str, first: str
) -> None:
    """A row answering "Vilket riskvärde ...?" starts with its risk value, the
    direct answer, and then says which row it is; "risken" alone names no
    column ("Riskvärde" is not asked in the second question)."""
    text = (
        "Beslutsprocess\tAtt beslut inte verkställs\tMöjlig\tAllvarlig\t12\t"
        "Uppföljning av verkställda beslut"
    )
    hit = Hit("d:5", "d.txt", "Risker", 5, 5, text, "table", 0.9)
    builder = CitationBuilder(lambda d: [""] * 4 + [text], lambda d: None)
    query = Query(text=question, search_text=question, lang="sv")
    row = (
        "Beslutsprocess; Risker: Att beslut inte verkställs; Sannolikhet: Möjlig; "
        "Väsentlighet: Allvarlig; Riskvärde: 12; Kontrollmoment: Uppföljning av "
        "verkställda beslut"
    )
    answer = compose_text(query, [hit], builder, TextOptions(row_text=lambda h: row))
    assert answer.text.startswith(f"{first} \u2013 Beslutsprocess; Risker:"), answer
    assert answer.text.count("Riskvärde: 12") == 1, answer


@pytest.mark.parametrize(
    ("question", "topic", "name_asked"),
    [
        ("Vem är förbundsdirektör?", "förbundsdirektör", True),
        ("vem är krisledningsnämnd i kommunen?", "krisledningsnämnd", False),
        ("who is the VA huvudman?", "va huvudman", False),
        ("Vem är ansvarig för arbetet?", "arbetet", False),
        # The chief of a body is a person; a name asked is a person's.
        ("Vem är förvaltningschef för socialnämnden?", "förvaltningschef", True),
        ("Vem är kommunstyrelsens ordförande?", "kommunstyrelsens ordförande", True),
        ("Vad heter förvaltningschefen för förvaltningen?", "förvaltningschefen", True),
    ],
)
def test_who_is_a_role_a_body_holds_is_answered_by_the_body(
    question: str, topic: str, name_asked: bool
) -> None:
    """ "Vem är förbundsdirektör?" wants a person's name; "vem är
    krisledningsnämnd?" is answered by "Kommunstyrelsen är krisledningsnämnd"."""
    query = Query(text=question, search_text=question, lang="sv", topic=topic)
    assert asks_for_a_name(query) is name_asked
    text = "Kommunstyrelsen är krisledningsnämnd och fullgör dess uppgifter."
    hit = Hit("d:1", "d.txt", "1.5 Krisledning", 1, 1, text, "text", 0.9)
    builder = CitationBuilder(lambda d: [text], lambda d: None)
    person = replace(query, wants_person=True)
    answer = compose_text(person, [hit], builder, TextOptions(is_name=lambda w: False))
    assert answer.refused is name_asked, answer
