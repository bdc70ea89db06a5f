"""The answering pipeline's stages on hand-made inputs (no model, no index):
reading a question into a plan, the row values a question names, the fitted
answer-or-refuse decision and the word-list data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.answerability import (
    FEATURES,
    Answerability,
    evidence_features,
)
from assistant.answering.row_values import asked_cells, asks_period
from assistant.language import vocabulary
from assistant.language.lexicon import DATA_DIR, LexiconError, word_lists
from assistant.language.textmatch import stems
from assistant.models import Hit
from assistant.reading.plan import (
    answer_type,
    make_plan,
    split_introduction,
    split_parts,
)
from assistant.reading.query import Catalog, interpret
from corpus.models import Cell, DocumentMeta, TableRow

CATALOG = Catalog(
    documents=(
        DocumentMeta(
            "a.txt", "Nämndplan 2024-2025", "Marks kommun", "Kommunstyrelsen",
            "nämndplan", "2024-2025", 2024,
        ),
        DocumentMeta(
            "c.txt", "Verksamhetsplan 2025", "Kramfors kommun", "Kommunstyrelsen",
            "verksamhetsplan", "2025", 2025,
        ),
    ),
    vocabulary=frozenset(
        "kontorsarbetsplatser kostnad budget webbplats period mål risk".split()
    ),
)  # fmt: skip


# --- reading: parts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Hur många kontorsarbetsplatser har kommunstyrelsen i Mark, och vad "
            "kostar de totalt per år?",
            [
                "Hur många kontorsarbetsplatser har kommunstyrelsen i Mark",
                "vad kostar de totalt per år?",
            ],
        ),
        (
            "Vad är Kommunkompassen och vilket resultat fick Mark?",
            ["Vad är Kommunkompassen", "vilket resultat fick Mark?"],
        ),
        (
            "What was the total score, how much did it improve since 2022, and "
            "how does it compare with the average?",
            [
                "What was the total score",
                "how much did it improve since 2022",
                "how does it compare with the average?",
            ],
        ),
        ("Vad kostar webbplatsen? Och när är den klar?", ["Vad kostar webbplatsen?", "när är den klar?"]),
    ],
)  # fmt: skip
def test_split_parts_at_a_conjunction_or_mark_that_opens_a_new_question(
    question: str, parts: list[str]
) -> None:
    assert split_parts(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Jämför budgeten i Mark och Kramfors",  # "och" joins places, not questions
        "Vad gör kommunen för att minska kostnaderna och öka intäkterna?",
        "In Mark's digitalisation plan, what is the budget need for new firewalls?",
        "I Mark, vad är budgeten 2025?",  # a lead-in, not a question of its own
        "Vad kostar det, och varför?",  # too short to stand alone
    ],
)
def test_one_question_stays_one_part(question: str) -> None:
    assert split_parts(question) == [question]


def test_a_later_part_reads_the_earlier_parts_as_its_history() -> None:
    plan = make_plan(
        "Hur stor är budgeten 2025 i Kramfors, och vad är målet för 2024?", [], CATALOG
    )
    first, second = plan.parts
    assert first.query.municipality == second.query.municipality == "Kramfors kommun"
    assert second.query.years == (2024,)
    assert "municipality" in second.query.carried
    described = plan.describe()
    assert [d["text"] for d in described] == [first.text, second.text]


def test_unsplit_plan_keeps_the_whole_question() -> None:
    question = "Hur stor är budgeten, och vad är målet?"
    plan = make_plan(question, [], CATALOG, split=False)
    assert [p.text for p in plan.parts] == [question]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("När beslutade kommunstyrelsen om nämndplanen 2024-2025?", "date"),
        ("Vem är kommundirektör i Mark?", "person"),
        ("Varför går förvaltningen med överskott 2023?", "reason"),
        ("Why is the forecast a surplus?", "reason"),
        ("Vilka poäng fick Mark 2024?", "number"),
        ("Hur mycket kostar webbplatsen?", "number"),
        ("Vilka risker finns?", "list"),
        ("Vad är Kommunkompassen?", "definition"),
        # What a measure or a level means is asked, not its figure.
        ("Vad menas med lägsta acceptabla nivå?", "definition"),
        ("What is meant by the budget deviation?", "definition"),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(interpret(question, [], CATALOG)) == kind


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        # Measured against the budget: the outcome (or forecast) and the budget.
        (
            "Vilket resultat gjorde nämnden 2023 jämfört med budget?",
            ("utfall", "prognos", "budget", "avvikelse"),
        ),
        (
            "How did the total costs compare with the budget?",
            ("utfall", "prognos", "budget", "avvikelse"),
        ),
        ("Hur stor är budgeten 2024?", ("budget",)),  # the budget itself
        ("Vad var prognosen mot budget 2023?", ("prognos", "budget", "avvikelse")),
    ],
)
def test_a_result_against_the_budget_asks_for_outcome_and_budget(
    question: str, metrics: tuple[str, ...]
) -> None:
    assert interpret(question, [], CATALOG).metrics == metrics


# --- row values the question names ----------------------------------------------


def _row(*cells: tuple[str, str]) -> TableRow:
    return TableRow(
        label="Nya brandväggar",
        cells=tuple(Cell(column=c, raw=t, text=t) for c, t in cells),
        line_start=10,
        line_end=10,
    )


def test_asked_cells_adds_the_columns_the_question_names() -> None:
    row = _row(
        ("Budgetbehov kr", "3 000 000"), ("Period", "2024 - 2027"), ("Ansvar", "IT")
    )
    terms = stems("budgetbehov brandväggar period")
    cells = asked_cells(terms, row, shown_columns={"Budgetbehov kr"})
    assert [(c.column, c.text) for c in cells] == [("Period", "2024 - 2027")]


def test_asked_cells_skips_year_columns_empty_cells_and_unnamed_columns() -> None:
    row = _row(("Budget 2025", "15"), ("Period", ""), ("Status", "Pågår"))
    assert asked_cells(stems("budget period 2025"), row, shown_columns=set()) == []


def test_a_question_asking_when_gets_the_rows_period_column() -> None:
    row = _row(("Budgetbehov kr", "3 000 000"), ("Tidsperiod", "2024 - 2027"))
    question = "How much is earmarked for new firewalls, and over which years?"
    assert asks_period(question) and asks_period("Hur mycket, och när?")
    assert not asks_period("Hur mycket kostar nya brandväggar?")
    cells = asked_cells(stems("firewalls"), row, {"Budgetbehov kr"}, period=True)
    assert [(c.column, c.text) for c in cells] == [("Tidsperiod", "2024 - 2027")]
    assert asked_cells(stems("firewalls"), row, {"Budgetbehov kr"}) == []


@pytest.mark.parametrize(
    ("value", "raw", "lang", "said"),
    [
        (-0.3, "-0,3", "sv", "ett underskott på 0,3 mnkr"),
        (6.2, "6,2", "en", "a surplus of 6,2 mnkr"),
        (0.0, "0,0", "sv", "0,0 mnkr"),
    ],
)
def test_a_deviation_cell_is_said_as_a_surplus_or_a_deficit(
    value: float, raw: str, lang: str, said: str
) -> None:
    """A deviation shown beside the answer ("did it go over budget?") says which way
    it went, as the answer's own deviation figures do; other cells are as printed,
    with the unit the caption gives them."""
    from assistant.answering.compose_number import cell_amount

    cell = Cell(
        "Avvikelse prognos mot budget", raw, raw, value, "mnkr", kind="avvikelse"
    )
    assert cell_amount(cell, lang) == said
    budget = Cell("Budget 2023", "-6,7", "-6,7", -6.7, "mnkr", year=2023, kind="budget")
    assert cell_amount(budget, "sv") == "-6,7 mnkr"
    printed = Cell("Utfall", "12 %", "12 %", 12.0, "%", kind="utfall")
    assert cell_amount(printed, "en") == "12 %"


def test_a_question_about_money_is_answered_only_by_a_stated_amount() -> None:
    """What something costs or saves is a figure; a status, a date, a year span or
    a share is not one, so a sentence with only those does not answer."""
    from assistant.answering.amounts import asks_for_money, states_amount

    assert asks_for_money("Vad beräknas införandet av e-förslag kosta?")
    assert asks_for_money("How much does Mark save on the new archive?")
    assert not asks_for_money("Hur många medarbetare har förvaltningen?")
    assert not states_amount("Startdatum: 2022-10-27; Status: Pågående [1]")
    assert not states_amount(
        "genomfördes 31 augusti och utökar 50 procent av en tjänst"
    )
    assert not states_amount("beslutade om en investeringsplan 2023–2027 den 19 juni")
    assert not states_amount("6. Utbildning inom hot och våld. 7. Utbilda chefer [1]")
    assert states_amount("Kostnaden per arbetsplats är 2024 28 281 kr [1]")
    assert states_amount("Budget 2023: -6,7")


# --- answerability ---------------------------------------------------------------


def _hit(sim: float | None) -> Hit:
    return Hit("x", "a.txt", "1 A", 1, 1, "text", "text", 0.1, dense_similarity=sim)


def test_evidence_features_from_coverage_and_dense_similarities() -> None:
    hits = [_hit(0.9), _hit(None), *(_hit(0.8 - i / 100) for i in range(12))]
    features = evidence_features(0.75, hits)
    assert set(features) == set(FEATURES)
    assert features["coverage"] == 0.75
    assert features["dense_top"] == 0.9
    assert features["dense_margin"] == pytest.approx(0.9 - 0.72)  # tenth best
    assert evidence_features(0.0, []) == {
        "coverage": 0.0, "dense_top": 0.0, "dense_margin": 0.0,
    }  # fmt: skip


def test_answerability_is_a_logistic_decision() -> None:
    rule = Answerability({"coverage": 10.0}, bias=-5.0)
    assert rule.probability({"coverage": 0.5}) == pytest.approx(0.5)
    assert rule.answerable({"coverage": 0.6})
    assert not rule.answerable({"coverage": 0.4})


def test_the_shipped_weights_load_and_use_known_features() -> None:
    rule = Answerability.load()
    assert set(rule.weights) <= set(FEATURES)
    # More coverage of the question never makes an answer less likely.
    assert rule.weights.get("coverage", 0.0) > 0


def test_malformed_weights_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "answerability.toml"
    bad.write_text("bias = 'x'\n[weights]\ncoverage = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=str(bad)):
        Answerability.load(bad)
    bad.write_text("bias = 0\n[weights]\nshoe_size = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="shoe_size"):
        Answerability.load(bad)


# --- word lists as data ----------------------------------------------------------


# data/vocabulary.toml holds tables too and keeps its cues verbatim (a trailing space
# counts), so assistant.language.vocabulary reads it; its schema is checked below.
WORD_LIST_FILES = sorted(
    p for p in DATA_DIR.glob("*.toml") if p != vocabulary.VOCABULARY_FILE
)


@pytest.mark.parametrize("path", WORD_LIST_FILES, ids=lambda p: p.name)
def test_every_word_list_file_follows_the_schema(path: Path) -> None:
    lists = word_lists(path.stem)
    assert lists, f"{path} holds no lists"
    for key, values in lists.items():
        assert values, f"{path}: {key} is empty"
        assert len(set(values)) == len(values), f"{path}: {key} repeats a word"
        assert all(v == v.strip().lower() for v in values)


def test_a_bad_word_list_is_an_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.language.lexicon as lexicon

    (tmp_path / "broken.toml").write_text("words = [1, 2]\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA_DIR", tmp_path)
    word_lists.cache_clear()
    try:
        with pytest.raises(LexiconError, match=r"broken\.toml"):
            word_lists("broken")
    finally:
        word_lists.cache_clear()


# The names assistant.language.vocabulary reads from data/vocabulary.toml, and how.
VOCABULARY_SETS = {
    "STOPWORDS": "stopwords",
    "PERIOD_WORDS": "period_words",
    "BACK_REFERENCES": "back_references",
    "PART_REFERENCES": "part_references",
    "ENGLISH_MARKERS": "english_markers",
    "SWEDISH_MARKERS": "swedish_markers",
    "NUMBERED_THINGS": "numbered_things",
}
VOCABULARY_TUPLES = {
    "FOLLOWUP_CUES": "followup_cues",
    "SHARE_CUES": "share_cues",
    "NUMBER_CUES": "number_cues",
    "PERSON_CUES": "person_cues",
    "ROLE_WORDS": "role_words",
    "LIST_CUES": "list_cues",
}
VOCABULARY_TABLES = {
    "ABBREVIATIONS": "abbreviations",
    "MONTH_ABBREVIATIONS": "month_abbreviations",
    "COLUMN_SYNONYMS": "column_synonyms",
}


def _is_word_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) and v.strip() and v == v.lower() for v in value)
        and len(set(value)) == len(value)
    )


def test_the_vocabulary_data_file_follows_the_schema() -> None:
    import tomllib

    raw = tomllib.loads(vocabulary.VOCABULARY_FILE.read_text(encoding="utf-8"))
    for key in [*VOCABULARY_SETS.values(), *VOCABULARY_TUPLES.values()]:
        assert _is_word_list(raw.get(key)), f"{key}: a list of lower-case words, once"
    kinds = raw.get("metric_words")
    assert isinstance(kinds, dict) and kinds
    for kind, cues in kinds.items():
        assert kind == kind.strip().lower() and _is_word_list(cues), kind
    for key in VOCABULARY_TABLES.values():
        table = raw.get(key)
        assert isinstance(table, dict) and table, key
        for word, text in table.items():
            assert word == word.strip().lower(), (key, word)
            assert isinstance(text, str) and text == text.strip().lower(), (key, word)
    numbers = raw.get("number_values")
    assert isinstance(numbers, dict) and numbers
    assert all(v.isdigit() for v in numbers.values()), "number words have values"
    assert vocabulary.NUMBER_VALUES["tre"] == vocabulary.NUMBER_VALUES["three"] == 3
    expected = {
        *VOCABULARY_SETS.values(),
        *VOCABULARY_TUPLES.values(),
        *VOCABULARY_TABLES.values(),
        "metric_words",
        "number_values",
    }
    assert set(raw) == expected, "every entry is read, none is missing"


def test_the_vocabulary_keeps_its_types_order_and_spaces() -> None:
    for name in VOCABULARY_SETS:
        assert type(getattr(vocabulary, name)) is frozenset, name
    for name in VOCABULARY_TUPLES:
        assert type(getattr(vocabulary, name)) is tuple, name
    for name in VOCABULARY_TABLES:
        assert type(getattr(vocabulary, name)) is dict, name
    assert all(type(c) is tuple for c in vocabulary.METRIC_WORDS.values())
    # Most specific kind first: "avvikelse prognos mot budget" is a deviation.
    assert next(iter(vocabulary.METRIC_WORDS)) == "avvikelse"
    assert list(vocabulary.METRIC_WORDS)[-1] == "budget"
    assert vocabulary.FOLLOWUP_CUES[:2] == ("och ", "och?")
    assert "vem " in vocabulary.PERSON_CUES and "än " in vocabulary.FOLLOWUP_CUES
    assert vocabulary.ABBREVIATIONS["bun"] == "barn- och utbildningsnämnden"


def test_the_vocabulary_still_reads_questions() -> None:
    assert vocabulary.content_words("Vilka nyckeltal hör till mål 6 år 2025?") == [
        "nyckeltal",
        "hör",
        "mål",
        "6",
    ]
    assert vocabulary.content_words("Vad säger KS om budgeten?") == [
        "kommunstyrelsen",
        "budgeten",
    ]
    # A month as a question shortens it is read as the documents write it.
    assert vocabulary.content_words("övertid jan–sep?") == [
        "övertid",
        "januari",
        "september",
    ]
    assert vocabulary.column_words("Medel 2020-") == (
        "Medel 2020- medelvärde genomsnitt snitt average mean"
    )
    assert vocabulary.detect_language("What is the forecast for 2025?") == "en"
    assert vocabulary.detect_language("Vad är prognosen för 2025?") == "sv"
    assert vocabulary.names_kind("driftbudget", vocabulary.METRIC_WORDS["budget"])


def test_a_bad_vocabulary_entry_is_an_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.toml"
    bad.write_text(
        'cues = ["Och ", ""]\nwords = "och"\n[table]\nks = 1\n', encoding="utf-8"
    )
    for read, key in [
        (vocabulary.vocabulary_list, "missing"),
        (vocabulary.vocabulary_list, "cues"),
        (vocabulary.vocabulary_list, "words"),
        (vocabulary.vocabulary_table, "table"),
        (vocabulary.vocabulary_lists, "words"),
    ]:
        with pytest.raises(LexiconError, match=rf"vocabulary\.toml.*{key}"):
            read(key, bad)


def test_the_glossary_data_file_loads_whole() -> None:
    from assistant.language.glossary import GLOSSARY_FILE, PHRASES, WORDS, load_glossary

    entries = load_glossary(GLOSSARY_FILE)
    assert len(entries) == len(PHRASES) + len(WORDS) > 1000
    assert entries["sick leave"] == "sjukfrånvaro"
    assert all(" " not in w for w in WORDS) and all(" " in p for p in PHRASES)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("budget", "expected"),
        ("Budget\tbudget", "lower case"),
        ("budget\tbudget\nbudget\tram", "twice"),
    ],
)
def test_a_bad_glossary_line_names_file_and_line(
    tmp_path: Path, line: str, problem: str
) -> None:
    from assistant.language.glossary import GlossaryError, load_glossary

    path = tmp_path / "glossary.tsv"
    path.write_text(f"# comment\n{line}\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=problem) as raised:
        load_glossary(path)
    assert f"{path}:" in str(raised.value)


@pytest.mark.parametrize(
    ("question", "intro", "rest"),
    [
        (
            "Jag är controller i Kramfors – vad har HR för budget 2025?",
            "Jag är controller i Kramfors",
            "vad har HR för budget 2025?",
        ),
        (
            "I'm a consultant: how large is the budget?",
            "I'm a consultant",
            "how large is the budget?",
        ),
        (
            "Jag ska börja som chef i Enköping – vad är viktigast om ekonomin?",
            "Jag ska börja som chef i Enköping",
            "vad är viktigast om ekonomin?",
        ),
        # Not an introduction: the lead-in names the topic, or nothing is asked after.
        ("Reinvesteringar i IT – vad var budget?", "", "Reinvesteringar i IT – vad var budget?"),
        ("Jag är nyfiken – berätta om budgeten.", "", "Jag är nyfiken – berätta om budgeten."),
    ],
)  # fmt: skip
def test_a_self_introduction_is_split_off(question: str, intro: str, rest: str) -> None:
    assert split_introduction(question) == (intro, rest)


def test_the_introduction_is_context_its_place_carries_over() -> None:
    plan = make_plan(
        "Jag är controller i Kramfors – vad är budgeten 2025?", [], CATALOG
    )
    (part,) = plan.parts
    assert part.text == "vad är budgeten 2025?"
    assert part.query.municipality == "Kramfors kommun"
    assert "controller" not in (part.query.topic or "")
