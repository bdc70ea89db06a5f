"""Count questions: what is counted, which rows count it, which sentences state it."""

from __future__ import annotations

import pytest

from assistant.answering.compose import CitationBuilder, compose_text, states_count
from assistant.language.textmatch import known_term, match_strength
from assistant.models import Hit, Query
from assistant.reading.counted import counted_noun, counted_terms, label_head


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many IT systems does Kramfors own?", "it systems"),
        ("Hur många tillsvidareanställda har KS i Mark?", "tillsvidareanställda"),
        ("How many village associations are there in Mark?", "village associations"),
        # A preposition ends the counted phrase: attacks are counted, not weeks.
        ("How many malware attacks per week are stopped?", "malware attacks"),
        # A verb or a word pointing back names nothing counted.
        ("Hur många arbetar på kommunledningsförvaltningen?", None),
        # A passive past is a verb by its ending, listed or not.
        ("Hur många intervjuades i utvärderingen?", None),
        ("How many of those are women?", None),
        ("Vad kostar det?", None),
        # "antal X" and "number of X" count X as "hur många X" does.
        ("antal invånare kramfors?", "invånare"),
        ("Hur stort är antalet besök?", "besök"),
        ("What is the number of employees?", "employees"),
    ],
)
def test_the_counted_noun_follows_the_count_cue(question: str, noun: str | None):
    assert counted_noun(question) == noun


def test_the_counted_term_is_the_head_of_the_phrase_in_either_language():
    english = Query(text="How many IT systems do they own?", search_text="", lang="en")
    swedish = Query(text="Hur många IT-system äger de?", search_text="", lang="sv")
    assert counted_terms(english) == ["system"]
    assert counted_terms(swedish) == ["system"]
    # A translated word the corpus never writes is still what is counted (no
    # figure there counts it); an English word without a translation gives
    # nothing to check.
    assert counted_terms(english, known=lambda stem: False) == ["system"]
    unknown = Query(text="How many zorblats do they own?", search_text="", lang="en")
    assert counted_terms(unknown, known=lambda stem: False) == []


def test_a_label_head_ends_where_its_modifier_starts():
    label = "Funktion och tillförlitlighet till IT-system, miljö- och byggavdelningen"
    assert label_head(label) == "Funktion och tillförlitlighet"
    assert label_head("Antal fordon i förvaltningen") == "Antal fordon"
    assert label_head("Antal tillsvidareanställda") == "Antal tillsvidareanställda"


def test_a_hyphenated_term_is_matched_part_by_part_and_by_its_head_at_half():
    assert match_strength("it-system", {"it", "system"}) == 1.0
    assert match_strength("it-system", {"system", "ägo"}) == 0.5
    assert match_strength("it-system", {"it", "stöd"}) == 0.0
    assert known_term("it-system", {"it", "system"}.__contains__)
    assert not known_term("it-system", {"system"}.__contains__)


PASSAGE = (
    "Funktion och tillförlitlighet till IT-system är en risk med 12 poäng i 4 steg.\n"
    "Kommunstyrelsen har 73 system i sin ägo."
)


def _answer(question: str) -> str:
    lines = PASSAGE.split("\n")
    hit = Hit("d:1", "d.txt", "Systemförvaltning", 1, 2, PASSAGE, "text", 0.9)
    query = Query(text=question, search_text=question, lang="sv", wants_number=True)
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    return compose_text(query, [hit], builder).text


def test_a_count_is_read_where_the_counted_thing_follows_the_figure():
    """Both sentences name IT systems and hold figures; only the second counts
    them ("73 system"), the first gives a risk score beside them."""
    assert _answer("Hur många IT-system äger kommunstyrelsen?").startswith(
        "Kommunstyrelsen har 73 system"
    )


def test_a_count_of_the_asked_thing_answers_though_it_shares_few_words():
    """ "äger" is not in "i sin ägo": the counting sentence covers one of three
    question words, below the coverage a figure's sentence needs; a count of the
    asked thing is about it all the same."""
    lines = ["Kommunstyrelsen har 73 system i sin ägo."]
    hit = Hit("d:1", "d.txt", "Systemförvaltning", 1, 1, lines[0], "text", 0.9)
    builder = CitationBuilder(lambda d: lines, lambda d: None)

    def ask(question: str) -> str:
        query = Query(text=question, search_text="", lang="sv", wants_number=True)
        return compose_text(query, [hit], builder).text

    assert "73 system" in ask("Hur många IT-system äger förvaltningen idag?")
    # Not a count question: the same sentence covers too little of it.
    assert "73 system" not in ask("Vilken kostnad har IT-system i förvaltningen idag?")


def test_a_count_is_stated_by_a_figure_or_a_number_word_right_before_the_thing():
    assert states_count(
        "Under 2023 startades tre utvecklingsgrupper.", ["utvecklingsgrupp"]
    )
    assert states_count("Kommunen har 73 system i drift.", ["system"])
    # A goal's number and a list item's number do not count the thing named after.
    assert not states_count(
        "5.5 Mål 5 - Kramfors kommuns invånare har inflytande.", ["invånar"]
    )
    assert not states_count("Ett fordon är laddhybrid.", ["fordon"])


def test_how_many_times_is_counted_by_an_ordinal() -> None:
    """ "Hur många gånger har Mark utvärderats?": the text says which time this
    was ("kommunens fjärde utvärdering"), not a figure before "gånger"."""
    fourth = "Utvärderingen 2024 var kommunens fjärde utvärdering."
    assert states_count(fourth, ["gång"])
    assert not states_count("Utvärderingen genomfördes 2024.", ["gång"])
    # An ordinal counts occasions only: "the fourth evaluation" counts no systems.
    assert not states_count(fourth, ["system"])


def test_a_list_question_is_answered_by_the_sentence_that_counts_the_items():
    """Both passages name the programme's theme areas; the one retrieved first
    names one of them, the second counts and lists them all ("fyra temaområden
    (...)"), which is the list asked for."""
    one = "Programmet Hållbara Mark inkluderar temaområdet Grön kommun och 4 mål."
    all_four = (
        "Hållbarhetsprogrammet Hållbara Mark består av fyra temaområden (Studier, "
        "Inkludering, Klimat, Motståndskraft)."
    )
    lines = [one, all_four]
    hits = [
        Hit("a:1", "d.txt", "Utvärdering", 1, 1, one, "text", 0.9),
        Hit("b:1", "d.txt", "Agenda 2030", 2, 2, all_four, "text", 0.8),
    ]
    question = "Vilka temaområden har programmet Hållbara Mark?"
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    assert compose_text(query, hits, builder).text.startswith("Hållbarhetsprogrammet")


def test_a_number_that_names_a_thing_counts_nothing() -> None:
    """ "5.5 Mål 5 - Kramfors kommuns invånare": a section's and a goal's number
    are no count of inhabitants; "18 000 invånare" is."""
    counted = ["invånar"]
    assert not states_count(
        "5.5 Mål 5 - Kramfors kommuns invånare har inflytande", counted
    )
    assert states_count("Kommunen har 18 000 invånare.", counted)


def test_a_header_does_not_count_what_it_excludes() -> None:
    """ "Medarbetare per avdelning exkl. chefer" counts staff, not managers: the
    words after an exclusion word are left out of what a figure may count."""
    from assistant.reading.counted import without_excluded

    assert without_excluded("Medarbetare per avdelning exkl. chefer") == (
        "Medarbetare per avdelning"
    )
    assert without_excluded("Antal anställda excluding managers") == "Antal anställda"
    assert without_excluded("Antal chefer") == "Antal chefer"


def test_a_table_beside_a_caption_stating_its_own_count_counts_something_else() -> None:
    """A staff table under "Av de 15 cheferna är åtta män och sju kvinnor." whose
    label column leaves managers out gives no count of managers; the same table
    still counts employees."""
    from assistant.app import _counts
    from assistant.models import Fact

    fact = Fact(
        label="Totalt",
        column="Antal tillsvidareanställda",
        value=138,
        raw="138",
        unit=None,
        period=None,
        year=None,
        kind=None,
        doc="d.txt",
        line=10,
        table_id="t1",
        section_path="Personal",
        caption="Av de 15 cheferna är åtta män och sju kvinnor.",
        header_line=9,
        key_header="Medarbetare per avdelning exkl. chefer",
    )
    assert not _counts(["chef"], fact)
    assert _counts(["tillsvidareanställd"], fact)


def test_a_passage_of_two_lists_answers_with_the_one_of_the_counted_items():
    """A passage holds the tool's four roles and, further down, the three sources
    of an evaluation under their own lead-in: "Vilka tre källor …?" gets the
    three sources, cited from their lead-in, not the passage's first list."""
    lines = [
        "Verktyget utvärderar hur kommunen fungerar som:",
        "",
        "- Demokratiaktör",
        "- Samhällsaktör",
        "- Vårdaktör",
        "- Arbetsgivare",
        "",
        "Vid en utvärdering inhämtar utvärderarna information från tre källor:",
        "",
        "- Intervjuer",
        "- Styrdokument",
        "- Hemsidan",
    ]
    text = "\n".join(lines)
    hit = Hit("d:1", "d.txt", "1 Om verktyget", 1, len(lines), text, "text", 0.9)
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    question = "Vilka tre källor använder utvärderarna?"
    query = Query(text=question, search_text=question, lang="sv", wants_list=True)
    draft = compose_text(query, [hit], builder)
    assert draft.text.startswith("Vid en utvärdering inhämtar utvärderarna"), draft.text
    assert "1. Intervjuer\n2. Styrdokument\n3. Hemsidan" in draft.text
    assert "Demokratiaktör" not in draft.text
    assert (draft.citations[0].line_start, draft.citations[0].line_end) == (8, 12)
