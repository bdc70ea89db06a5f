"""Rows picked by a category value the question names (tables as data)."""

from __future__ import annotations

from assistant.answering.compose import CitationBuilder
from assistant.answering.compose_filtered import compose_filtered
from assistant.language.textmatch import stems
from assistant.models import Query
from assistant.tables.row_filter import asks_to_filter, filter_rows
from corpus.models import Cell, Table, TableRow

HEADER = ("Uppdrag", "Startdatum", "Status")


def _row(line: int, label: str, start: str, status: str) -> TableRow:
    cells = (Cell("Startdatum", start, start), Cell("Status", status, status))
    return TableRow(label, cells, line, line)


def _table(table_id: str, rows: tuple[TableRow, ...], header=HEADER) -> Table:
    first, last = rows[0].line_start, rows[-1].line_end
    return Table(
        table_id,
        "plan.txt",
        "1 Styrning > 1.7 Uppdrag",
        "Uppdrag",
        header,
        first - 1,
        None,
        rows,
        first - 1,
        last,
    )


ASSIGNMENTS = _table(
    "plan:t1",
    (
        _row(10, "Utreda civilförsvaret.", "2023-06-15", "Ej påbörjat"),
        _row(11, "Se över avtalen med föreningar.", "2022-01-10", "Pågående"),
        _row(12, "Utvärdera måltiderna.", "2021-05-01", "Avslutad"),
        _row(13, "Förstärka HR-stödet.", "2023-06-15", " Ej påbörjat"),
    ),
)
# The same table continued after a page break: read as one.
CONTINUED = _table(
    "plan:t2", (_row(20, "Ta fram en koldioxidbudget.", "2024-01-01", "Pågående"),)
)


def test_a_negated_status_picks_the_rows_with_the_negated_value() -> None:
    found = filter_rows("Vilka uppdrag har inte påbörjats?", [ASSIGNMENTS, CONTINUED])
    assert found is not None
    assert (found.column, found.value) == ("Status", "Ej påbörjat")
    assert [r.line_start for r in found.rows] == [10, 13]


def test_a_status_without_negation_does_not_pick_the_negated_value() -> None:
    found = filter_rows("Vilka uppdrag är pågående?", [ASSIGNMENTS, CONTINUED])
    assert found is not None and found.value == "Pågående"
    assert [r.line_start for r in found.rows] == [11, 20]


def test_the_value_naming_most_words_wins() -> None:
    goals = _table(
        "plan:t3",
        tuple(
            TableRow(f"Mål {i}", (Cell("Bedömning", v, v),), 30 + i, 30 + i)
            for i, v in enumerate(
                [
                    "På rätt väg",
                    "Delvis på rätt väg",
                    "På rätt väg",
                    "Delvis på rätt väg",
                ]
            )
        ),
        header=("Mål", "Bedömning"),
    )
    found = filter_rows("Vilka mål är bara delvis på rätt väg?", [goals])
    assert found is not None and found.value == "Delvis på rätt väg"
    assert [r.label for r in found.rows] == ["Mål 1", "Mål 3"]


def test_no_filter_when_the_question_names_no_value_or_the_column_is_no_category() -> (
    None
):
    assert filter_rows("Vilka uppdrag har kommunstyrelsen?", [ASSIGNMENTS]) is None
    # Every start date differs but one: dates are not named as words anyway, and a
    # column of all-different texts is no category.
    names = _table(
        "plan:t4",
        tuple(
            TableRow(f"R{i}", (Cell("Ansvarig", n, n),), 40 + i, 40 + i)
            for i, n in enumerate(["Ekonomichef", "HR-chef", "IT-chef"])
        ),
        header=("Risk", "Ansvarig"),
    )
    assert filter_rows("Vilka risker har IT-chef som ansvarig?", [names]) is None


def test_the_list_answer_cites_each_row() -> None:
    found = filter_rows("Vilka uppdrag har inte påbörjats?", [ASSIGNMENTS])
    lines = [f"line {i}" for i in range(1, 30)]
    builder = CitationBuilder(lambda d: lines, lambda d: None)
    question = "Vilka uppdrag har inte påbörjats?"
    query = Query(text=question, search_text=question, lang="sv")
    draft = compose_filtered(query, found, builder, lambda doc, line: None)
    assert draft.text.splitlines() == [
        '2 rader i "Uppdrag" har Status "Ej påbörjat":',
        "1. Utreda civilförsvaret. [1]",
        "2. Förstärka HR-stödet. [2]",
    ]
    assert [(c.line_start, c.line_end) for c in draft.citations] == [(10, 10), (13, 13)]


def test_a_value_that_only_names_the_scope_is_no_filter() -> None:
    """ "Uppdrag från: Kommunstyrelsen" repeats down the column, and the question
    names the board as its scope, not as a filter."""
    given_by = _table(
        "plan:t5",
        tuple(
            TableRow(f"Uppdrag {i}", (Cell("Uppdrag från", v, v),), 50 + i, 50 + i)
            for i, v in enumerate(["Kommunstyrelsen", "Kommunstyrelsen", "KSAU"])
        ),
        header=("Uppdrag", "Uppdrag från"),
    )
    question = "Vilka verksamheter tar kommunstyrelsens förvaltning över?"
    assert filter_rows(question, [given_by]) is not None
    assert (
        filter_rows(question, [given_by], scope=set(stems("Kommunstyrelsen"))) is None
    )


def test_ranking_and_comparing_questions_do_not_filter() -> None:
    assert asks_to_filter("Vilka uppdrag har inte påbörjats?")
    assert not asks_to_filter("Vilka uppdrag har högst kostnad?")
    assert not asks_to_filter("Which has the larger IT budget, Mark or Kramfors?")
    assert asks_to_filter("Vilka kontroller visade en mindre avvikelse?")
