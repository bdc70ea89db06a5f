"""Question interpretation: hints, years, metric, follow-up carry-over."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.language.vocabulary import detect_language, names_written
from assistant.reading.query import (
    Catalog,
    every_place,
    find_municipalities,
    find_unknown_place,
    interpret,
    is_followup,
    municipality_names,
)
from corpus.models import DocumentMeta

CATALOG = Catalog(
    documents=(
        DocumentMeta(
            "a.txt",
            "Nämndplan 2024-2025",
            "Marks kommun",
            "Kommunstyrelsen",
            "nämndplan",
            "2024-2025",
            2024,
        ),
        DocumentMeta(
            "b.txt",
            "Kommunkompassen – Utvärdering av Marks kommun 2024",
            "Marks kommun",
            "SKR",
            "utvärdering",
            "2024",
            2024,
        ),
        DocumentMeta(
            "c.txt",
            "Verksamhetsplan 2025",
            "Kramfors kommun",
            "Kommunstyrelsen",
            "verksamhetsplan",
            "2025",
            2025,
        ),
    ),
    vocabulary=frozenset(
        {"kommunstyrelsen", "mark", "kramfors", "budget", "2024", "2025"}
    ),
)


def test_municipality_name_forms() -> None:
    assert municipality_names("Marks kommun") == {"Mark", "Marks"}
    assert "Kramfors" in municipality_names("Kramfors kommun")


def test_reads_municipality_year_metric_and_number_wish() -> None:
    q = interpret("Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?", [], CATALOG)
    assert q.municipality == "Marks kommun"
    assert q.years == (2025,)
    assert q.metric == "budget"
    assert q.wants_number
    assert q.lang == "sv"


def test_common_noun_mark_is_not_the_municipality() -> None:
    q = interpret("Hur mycket mark finns för bostäder?", [], CATALOG)
    assert q.municipality is None


def test_a_common_noun_the_corpus_writes_as_a_name_is_the_place_in_lower_case() -> None:
    # The documents write "Mark" as the place (46 times) and "mark" as the noun
    # rarely: a chat's lower-case "mark" names the place.
    texts = ["Kommunstyrelsen i Mark har 116 tjänster. Budgeten i Mark ökar."] * 3
    texts.append("En vacker bit mark med skogar.")
    names = names_written(texts)
    assert "mark" in names and "budgeten" not in names
    by_usage = replace(CATALOG, names=names)
    assert interpret("antal tjänster ks mark 2024?", [], by_usage).municipality == (
        "Marks kommun"
    )
    assert interpret("antal tjänster ks mark 2024?", [], CATALOG).municipality is None


def test_a_word_the_corpus_writes_mostly_in_lower_case_is_no_name() -> None:
    # "vara" the verb outnumbers the place "Vara": the word stays a word.
    texts = ["Det ska vara enkelt i Vara. Det kan vara svårt, och vara dyrt."] * 5
    assert "vara" not in names_written(texts)
    # A sentence's, a line's or a table cell's first word says nothing.
    assert names_written(["Avgift\tBudget\nAvgift. Avgift: Budget"] * 9) == set()


@pytest.mark.parametrize(
    ("history", "question", "focus"),
    [
        (
            "How many staff work in Kramfors' IT department?",
            "what is that department's budget for 2025?",
            "it department",
        ),
        (
            "Hur många arbetar på IT-avdelningen i Kramfors?",
            "Och vad har den avdelningen för budget 2025?",
            "it avdelningen",
        ),
    ],
)
def test_a_noun_pointed_back_to_is_what_the_question_before_called_it(
    history: str, question: str, focus: str
) -> None:
    # "that department" is the IT department, not any department.
    assert interpret(question, [history], CATALOG).focus == focus


def test_document_named_by_a_distinctive_title_word() -> None:
    assert interpret("Vad är Kommunkompassen?", [], CATALOG).doc == "b.txt"


def test_followup_keeps_municipality_and_metric_and_replaces_year() -> None:
    history = ["Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?"]
    q = interpret("Och för 2024?", history, CATALOG)
    assert q.municipality == "Marks kommun"
    assert q.years == (2024,)
    assert q.metric == "budget"
    assert "driftsbudget" in q.search_text
    assert "2025" not in q.search_text
    assert {"municipality", "metric"} <= set(q.carried)


def test_followup_replaces_municipality() -> None:
    history = ["What is the budget for 2025 in Mark?"]
    q = interpret("And in Kramfors?", history, CATALOG)
    assert q.municipality == "Kramfors kommun"
    assert q.years == (2025,)
    assert q.lang == "en"


def test_new_complete_question_is_not_a_followup() -> None:
    assert not is_followup("Vilka risker har bedömts högst i internkontrollplanen?")
    assert is_followup("Och 2025?")
    assert is_followup("And in Kramfors?")


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Hur stor är budgeten i Umeå?", "Umeå"),
        ("Vad säger Luleå kommun om skolan?", "Luleå"),
        ("Hur stor är budgeten i Mark?", None),
        ("Vad gör kommunstyrelsen i Kramfors?", None),
        ("What did the council in Mark decide in June 2023?", None),
        ("What was the sick leave of Mark's administration in August 2023?", None),
        ("Hur var sjukfrånvaron för kommunstyrelsen i augusti 2023?", None),
        ("What did the administration in Varberg decide?", "Varberg"),
    ],
)
def test_unknown_places_are_detected(question: str, unknown: str | None) -> None:
    assert find_unknown_place(question, CATALOG) == unknown


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Which goals does KS have?", "en"),
        ("What is the forecast result for 2023?", "en"),
        ("Vilka mål har kommunstyrelsen?", "sv"),
        ("Hur hög är sjukfrånvaron?", "sv"),
        # No grammar word: English planning terms of the glossary decide.
        ("sick leave rate kramfors KS?", "en"),
        ("enköping investment budget 2024?", "en"),
        ("detaljbudget HR kramfors 2025?", "sv"),
        ("driftbudget ks mark 2026?", "sv"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_a_municipality_the_text_mentions_is_unknown_when_its_own_things_are_asked() -> (
    None
):
    """The corpus text names Borås (a neighbour, a labour-market region) but no
    document is Borås's: its board or its budget is not in the
    documents, while a question about the place itself, or about a word that is
    no municipality, is still searched."""
    catalog = replace(CATALOG, vocabulary=CATALOG.vocabulary | {"borås", "sjuhärad"})
    assert (
        find_unknown_place("Hur stor är kommunstyrelsens budget i Borås 2024?", catalog)
        == "Borås"
    )
    assert (
        find_unknown_place("What is the operating budget in Borås?", catalog) == "Borås"
    )
    assert find_unknown_place("Hur många pendlar till jobb i Borås?", catalog) is None
    assert find_unknown_place("Hur stor är budgeten i Sjuhärad?", catalog) is None
    assert find_unknown_place("Hur stor är budgeten i Mark 2024?", catalog) is None


def test_a_place_the_text_names_is_not_refused_when_a_document_has_no_municipality() -> (
    None
):
    """An upload whose metadata lacks its municipality: the place its text names may
    be its own, so a question about it is answered; a place the text never names is
    still refused."""
    upload = DocumentMeta(
        "d.pdf", "Årsbokslut 2025", "", "Kultur- och fritidsnämnden", "", "2025", 2025
    )
    catalog = Catalog((upload,), frozenset({"simrishamn", "simrishamns", "museum"}))
    question = "Vilka priser delade Simrishamns kommun ut 2025?"
    assert find_unknown_place(question, catalog) is None
    assert find_unknown_place("Vilka priser delade Umeå kommun ut?", catalog) == "Umeå"
    attributed = Catalog(
        (replace(upload, municipality="Ystads kommun"),), catalog.vocabulary
    )
    assert find_unknown_place(question, attributed) == "Simrishamn"


def test_an_elliptic_follow_up_asks_what_the_question_before_asked() -> None:
    """ "Och beslutet om avtalet?" after a "När ...?" asks when; a follow-up with
    its own question word asks what that word asks."""
    history = ["När fastställde nämnden den årliga analysen för 2027?"]
    assert interpret("Och beslutet om avtalet?", history, CATALOG).wants_time
    assert not interpret("Och hur mycket kostar det?", history, CATALOG).wants_time
    who = ["Vem ansvarar för kontrollen i Mark?"]
    assert interpret("Och i Kramfors?", who, CATALOG).wants_person


@pytest.mark.parametrize(
    ("question", "wants_list"),
    [
        ("What focus areas does Mark's programme have?", True),
        ("What risks were rated highest in Kramfors?", True),
        ("What is the budget for 2025 in Mark?", False),
        ("What does the plan say about sick leave?", False),
    ],
)
def test_english_what_with_a_plural_noun_asks_for_a_list(
    question: str, wants_list: bool
) -> None:
    assert interpret(question, [], CATALOG).wants_list is wants_list


def test_a_question_about_every_municipality_is_asked_of_each_without_the_cue() -> None:
    q = interpret("Vem sköter arkivet i de olika kommunerna?", [], CATALOG)
    asked = every_place(q, CATALOG)
    assert asked is not None
    assert asked.text == "Vem sköter arkivet?"
    assert "kommunerna" not in asked.search_text
    english = interpret("How does each municipality handle archives?", [], CATALOG)
    assert every_place(english, CATALOG) is not None


def test_a_question_naming_a_place_or_no_cue_is_not_asked_everywhere() -> None:
    named = interpret("Vem sköter arkivet i Mark och i kommunerna runt?", [], CATALOG)
    assert every_place(named, CATALOG) is None
    plain = interpret("Vem sköter arkivet?", [], CATALOG)
    assert every_place(plain, CATALOG) is None


@pytest.mark.parametrize(
    ("question", "wants_number"),
    [
        ("What is the staff turnover rate in Mark?", True),
        ("Vilken nivå har sjukfrånvaron i Mark?", True),
        ("What is the strategy for separate archives in Mark?", False),
        # A fee, a price or a cost is a figure, also as a compound's head.
        ("grundavgift per år bebyggd fastighet?", True),
        ("What is the annual meter fee for a DN40 meter?", True),
        ("Vad är kostnaden för lokalerna?", True),
        ("Vilka avgifter finns i taxan?", False),
    ],
)
def test_a_measure_word_asks_for_a_figure(question: str, wants_number: bool) -> None:
    assert interpret(question, [], CATALOG).wants_number is wants_number


def test_places_are_found_in_the_order_the_question_names_them() -> None:
    assert find_municipalities("Jämför Kramfors och Mark", CATALOG) == [
        "Kramfors kommun",
        "Marks kommun",
    ]
    assert find_municipalities("Jämför Marks kommun och Kramfors", CATALOG) == [
        "Marks kommun",
        "Kramfors kommun",
    ]
    assert find_municipalities("Hur mycket mark finns i Kramfors?", CATALOG) == [
        "Kramfors kommun"
    ]


@pytest.mark.parametrize(
    ("question", "broad"),
    [
        ("Vilka är de största utmaningarna för Kramfors?", True),
        ("Hur går det med ekonomin i Mark?", True),
        ("What should we focus on in Kramfors?", True),
        ("What are the main issues for the board?", True),
        ("Hur många utmaningar nämns i planen?", False),  # a count
        ("När ska vi fokusera på arkivet?", False),  # a time
        ("Vilken andel av målen prioriteras?", False),  # a measure
        ("Vad är budgeten för 2025 i Mark?", False),
    ],
)
def test_a_broad_question_asks_for_an_overview(question: str, broad: bool) -> None:
    assert interpret(question, [], CATALOG).wants_overview is broad


def test_a_follow_up_to_a_broad_question_is_broad_unless_it_asks_its_own() -> None:
    history = ["Vilka är de största utmaningarna i Kramfors?"]
    assert interpret("Och i Mark?", history, CATALOG).wants_overview
    assert not interpret("Och hur mycket kostar det?", history, CATALOG).wants_overview


def test_pronouns_and_chat_fillers_are_no_topic() -> None:
    """ "Jag är ny chef ... just nu": the asker's words name nothing the documents
    must cover."""
    q = interpret("Kan du ge mig budgeten för arkivet just nu?", [], CATALOG)
    assert (q.topic or "").split() == ["arkivet"]  # "budgeten" is a metric word


@pytest.mark.parametrize(
    "question",
    [
        "Jämför sjukfrånvaron i Mark och Kramfors.",
        "Compare the sick leave in Mark and Kramfors.",
    ],
)
def test_the_instruction_to_compare_is_no_topic(question: str) -> None:
    """Like "beskriv" or "lista", "jämför" tells the assistant what to do; as a
    topic term it would make every passage look half-covered."""
    topic = (interpret(question, [], CATALOG).topic or "").lower().split()
    assert "jämför" not in topic and "compare" not in topic
    assert topic


def test_a_verb_particle_is_no_topic() -> None:
    """ "förfogar över" is answered by "disponerar": the particle, like English
    "over", names nothing a passage must contain."""
    q = interpret("Hur stor reserv förfogar kommunstyrelsen över?", [], CATALOG)
    assert "över" not in (q.topic or "").split()


@pytest.mark.parametrize(
    ("question", "qualifier"),
    [
        ("När gjordes den senaste utvärderingen?", "senaste"),
        ("When was the latest evaluation done?", "latest"),
    ],
)
def test_a_time_qualifier_is_no_topic(question: str, qualifier: str) -> None:
    """ "senaste" picks which evaluation, as "end" or "start" pick a time; as a
    topic term it matches any "senaste" ("vid senaste revideringen 2021")."""
    topic = (interpret(question, [], CATALOG).topic or "").lower().split()
    assert qualifier not in topic and topic


def test_a_place_written_in_lower_case_is_found_unless_it_is_a_common_word() -> None:
    """Chat questions are typed in lower case: "kramfors" is a place, "mark" (the
    common noun) is not."""
    assert find_municipalities("hur går det för kramfors?", CATALOG) == [
        "Kramfors kommun"
    ]
    assert find_municipalities("vem äger marken, mark eller skog?", CATALOG) == []


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        (
            "Hur mycket betalades ut i bidrag 2025 och vad var budgeten?",
            {"utfall", "budget"},
        ),
        ("Vad kostade övertiden under januari–september?", {"utfall"}),
        ("How much was paid out in grants in 2025?", {"utfall"}),
        ("Vad är budgeten för bidragen 2025?", {"budget"}),
    ],
)
def test_past_tense_spending_verbs_ask_for_the_outcome(
    question: str, kinds: set[str]
) -> None:
    """ "Betalades ut", "kostade", "paid": what was spent, the outcome column."""
    assert set(interpret(question, [], CATALOG).metrics) == kinds


@pytest.mark.parametrize(
    ("question", "years"),
    [
        (
            "Hur har sjukfrånvaron utvecklats från 2021 till delåret 2023?",
            (2021, 2022, 2023),
        ),
        ("How did it develop from 2020 to 2022?", (2020, 2021, 2022)),
        ("Hur mycket ökade den mellan 2022 och 2024?", (2022, 2024)),  # a change
        ("Vad är budgeten 2024 och 2025?", (2024, 2025)),
    ],
)
def test_a_span_asks_for_every_year_in_it(
    question: str, years: tuple[int, ...]
) -> None:
    assert interpret(question, [], CATALOG).years == years


@pytest.mark.parametrize(
    ("follow_up", "gone", "kept"),
    [
        ("Och för socialnämnden?", "kommunstyrelsens", "socialnämnden"),
        ("och för hela kommunen?", "kommunstyrelsens", "hela kommunen"),
        ("Och för 2024?", None, "kommunstyrelsens"),
    ],
)
def test_a_follow_up_naming_its_own_scope_replaces_the_body_asked_before(
    follow_up: str, gone: str | None, kept: str
) -> None:
    """ "Och för socialnämnden?" after a question about kommunstyrelsen asks
    about socialnämnden, not both; a follow-up that names no body keeps it."""
    history = ["Hur hög är sjukfrånvaron för kommunstyrelsens förvaltning i Mark 2025?"]
    query = interpret(follow_up, history, CATALOG)
    assert kept in query.search_text
    assert "sjukfrånvaron" in query.search_text and "sjukfrånvaron" in (
        query.topic or ""
    )
    if gone:
        assert gone not in query.search_text and gone not in (query.topic or "")


def test_a_municipality_typed_in_lower_case_is_unknown_unless_the_corpus_names_it() -> (
    None
):
    """A chat's "sundsvall" is a municipality no document belongs to; "härnösand"
    is one the text names (as "Härnösands kommun"), and "mark" is a word first."""
    catalog = replace(CATALOG, vocabulary=CATALOG.vocabulary | {"härnösands"})
    assert find_unknown_place("sick leave sundsvall KS?", catalog) == "Sundsvall"
    assert find_unknown_place("samarbete med härnösand?", catalog) is None
    assert find_unknown_place("budget ks mark 2025?", catalog) is None


def test_a_question_for_the_whole_row_names_no_column_kind() -> None:
    """ "intäktsraden i driftbudgeten, alla kolumner" asks for every cell of the
    row: budget and prognos alike, so no kind narrows it, and it asks for figures."""
    whole = interpret(
        "Ge mig intäktsraden i ks driftbudget, alla kolumner?", [], CATALOG
    )
    assert whole.metrics == () and whole.metric is None and whole.wants_number
    budget = interpret("Ge mig intäkterna i ks driftbudget 2024?", [], CATALOG)
    assert "budget" in budget.metrics


def test_a_later_part_saying_de_speaks_of_the_earlier_parts_subject() -> None:
    """ "…, och hur fördelas de på kön?" asks about the staff of the department
    the first part named; a chat question with "de" as an article does not."""
    from assistant.reading.plan import make_plan

    question = (
        "Hur många tillsvidareanställda har avdelningen Miljö och bygg i Kramfors, "
        "och hur fördelas de på kön?"
    )
    _first, second = make_plan(question, [], CATALOG).parts
    assert "tillsvidareanställda" in (second.query.topic or "")
    assert "kön" in (second.query.topic or "")
    alone = interpret(
        "Vilka är de största riskerna i internkontrollen?", [question], CATALOG
    )
    assert "tillsvidareanställda" not in (alone.topic or "")


def test_the_whole_municipality_after_an_english_board_drops_the_board() -> None:
    history = ["What is the sick leave target for Mark's municipal executive board?"]
    q = interpret("And for the municipality as a whole?", history, CATALOG)
    topic = (q.topic or "").split()
    assert "sick" in topic and "leave" in topic
    assert not {"executive", "municipal", "board"} & set(topic)


@pytest.mark.parametrize(
    "question",
    [
        "Vad ska jag som ny chef på kommunstyrelsen i Mark känna till om budgeten?",
        "Jag är nyanställd controller i Mark, vad ska jag känna till om budgeten?",
        "As a new manager in Mark, what should I know about the budget?",
    ],
)
def test_a_newcomer_asking_for_the_gist_of_a_measure_gets_its_overview(
    question: str,
) -> None:
    """The asker's role ("som ny chef") names no topic, and a broad question
    naming a measure asks for the gist of it: the measure is its topic and no
    single figure is asked."""
    from assistant.reading.plan import answer_type

    q = interpret(question, [], CATALOG)
    topic = set((q.topic or "").split())
    assert q.wants_overview and topic & {"budgeten", "budget"}
    assert not topic & {"chef", "controller", "manager", "känna", "know"}
    assert answer_type(q) == "text"
    assert q.municipality == "Marks kommun"
    # Without the overview cue the same measure asks for its figure.
    plain = interpret("Hur stor är budgeten i Mark?", [], CATALOG)
    assert answer_type(plain) == "number"


@pytest.mark.parametrize(
    ("follow_up", "topic_has_earlier"),
    [
        ("och chefer per år?", False),
        ("And managers?", False),
        ("Och för kvinnorna?", True),
        ("och hur många av dem är kvinnor?", True),
    ],
)
def test_a_follow_up_naming_another_thing_to_count_asks_for_that_count(
    follow_up: str, topic_has_earlier: bool
) -> None:
    """ "och chefer?" after "Hur många medarbetare ...?" counts managers, not
    employees; "Och för kvinnorna?" counts the employees among women."""
    history = ["Hur många medarbetare har kommunstyrelsen i Mark?"]
    topic = interpret(follow_up, history, CATALOG).topic or ""
    assert ("medarbetare" in topic) is topic_has_earlier, topic


@pytest.mark.parametrize(
    "question",
    [
        "Vilket datum beslutade kommunstyrelsen om nämndplanen?",
        "What date did the board adopt the plan?",
    ],
)
def test_the_words_asking_when_name_no_topic(question: str) -> None:
    """ "Vilket datum" asks for a date: "datum" is not what the plan is about
    (it would match a row's "Startdatum")."""
    query = interpret(question, [], CATALOG)
    assert query.wants_time
    topic = (query.topic or "").split()
    assert "datum" not in topic and "date" not in topic and topic, topic
