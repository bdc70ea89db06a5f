"""Tables of annual reports as a PDF prints them: statements whose blocks of rows
stand under group lines ("Omsättningstillgångar"), blocks that print no header,
key figures with a row per year, captions numbered under the table, and reports
of a federation that names its members but belongs to none."""

from __future__ import annotations

from assistant_fixtures import lookup_in

from corpus.first_page import PageLine, read_first_page
from corpus.models import DocumentMeta
from corpus.tables import find_tables

DOC = "ar.txt"


def _tables(text: str):
    return find_tables(tuple(text.splitlines()), set(), set(), "ar", DOC)


BALANCE = """Balansräkning

(tkr)\tNot\t2025\t2024
Immateriell anläggningstillgång\t6\t4 040\t5 726
Inventarier\t8\t0\t0

Omsättningstillgångar

Fordringar\t9\t47 669\t42 839
Likvida medel\t10\t32 050\t15 693

Noter till något annat

Sålda tjänster\t248 789\t228 992
"""


def test_a_block_of_rows_under_a_group_line_continues_its_table() -> None:
    """ "Fordringar | 9 | 47 669 | 42 839" is a row of the balance sheet, not the
    header of a table of its own; a block of another width after a longer text
    has no header and names its columns by position."""
    balance, other = _tables(BALANCE)
    rows = {row.label: row for row in balance.rows}
    assert [c.value for c in rows["Likvida medel"].cells] == [10, 32050, 15693]
    assert rows["Likvida medel"].cells[1].column == "2025"
    assert balance.groups()[rows["Fordringar"].line_start] == "Omsättningstillgångar"
    assert [c.column for c in other.rows[0].cells] == ["Kolumn 2", "Kolumn 3"]
    assert other.rows[0].label == "Sålda tjänster"


KEY_FIGURES = """Personal

Under året har förbundet haft en hög personalomsättning som påverkats av flytten.

År\tTills vidare (åa)\tVisstid (åa)\tTotalt (åa)
2025\t39,8\t0,0\t39,8
2024\t42,0\t2,0\t44,1
2023\t47,6\t1,4\t49,9
Tabell 7 Faktisk arbetad tid omvandlat till årsarbetare (åa)\t\t\t

Personalomsättningen för året var 33,9 %.
"""


def test_a_row_per_year_gives_its_figures_that_year_and_a_caption_below_names_it() -> (
    None
):
    (table,) = _tables(KEY_FIGURES)
    assert table.caption.startswith("Tabell 7 Faktisk arbetad tid")
    assert [row.label for row in table.rows] == ["2025", "2024", "2023"]
    assert {c.year for c in table.rows[2].cells} == {2023}


def test_a_figure_of_a_year_row_is_looked_up_by_its_column() -> None:
    meta = DocumentMeta(doc=DOC, title="Årsredovisning 2025", kind="årsredovisning")
    result = lookup_in(KEY_FIGURES, meta, "Hur många årsarbetare totalt 2023?")
    assert result is not None
    assert {f.year for f in result.facts} == {2023}
    assert ("Totalt (åa)", 49.9) in [(f.column, f.value) for f in result.facts]


def test_a_federation_that_names_its_members_belongs_to_none_of_them() -> None:
    """Two members named twice each are no owner; the name the report's prose
    repeats is (a municipality named more than all others together still is)."""
    prose = [
        "Tolkförmedling Väst är ett kommunalförbund.",
        "Medlemmar är Göteborgs Stad, Skövde kommun och Borås kommun.",
        "Tolkförmedling Väst har sitt säte i Göteborg.",
        "Göteborgs Stad och Skövde kommun har flest uppdrag.",
        *["Tolkförmedling Väst utför tolkuppdrag."] * 3,
        "Borås kommun gick med 2014.",
    ]
    meta = read_first_page([PageLine("Årsredovisning 2025", 22)], rest=prose)
    assert (meta.municipality, meta.organ) == ("", "Tolkförmedling Väst")
    owned = read_first_page(
        [PageLine("Årsredovisning 2025", 22)],
        rest=["Borås kommun"] * 4 + ["Skövde kommun"],
    )
    assert owned.municipality == "Borås kommun"


STAFF = """Medarbetare

Avdelning\tAntal tillsvidareanställda\tKvinnor\tMän
Ekonomi\t14\t10\t4
Miljö och bygg\t22\t14\t8
Totalt\t36\t24\t12
"""


def test_a_split_by_sex_asks_for_the_womens_and_the_mens_columns() -> None:
    meta = DocumentMeta(
        doc=DOC, title="Verksamhetsplan 2025", municipality="Provs kommun"
    )
    question = "How many permanent employees does Miljö och bygg have, by gender?"
    result = lookup_in(STAFF, meta, question)
    assert result is not None
    got = [(f.column, f.value) for f in result.facts]
    assert ("Kvinnor", 14) in got and ("Män", 8) in got


OPERATING = """Driftsredovisning

Utfall\tBudget\tUtfall
Belopp i tkr\t\t
2025\t2025\t2024

INTÄKTER

Försäljning av tjänster\t248 789 233 760\t228 992

KOSTNADER

Personalkostnad\t30 182\t34 452\t29 312
IT-kostnader\t6 449\t4 896\t5 793
"""


def test_header_lines_over_the_value_columns_head_the_rows_below() -> None:
    """The header printed over the figures only (the names column has none)
    names the columns of the rows a column wider below it; a group name
    between does not part them, a block of another width stays unnamed."""
    tables = find_tables(tuple(OPERATING.splitlines()), set(), {7, 11}, "ar", DOC)
    costs = tables[-1]
    assert costs.header == ("Belopp i tkr", "Utfall 2025", "Budget 2025", "Utfall 2024")
    assert costs.unit == "tkr"
    it = next(row for row in costs.rows if row.label == "IT-kostnader")
    assert [(c.kind, c.year, c.value) for c in it.cells] == [
        ("utfall", 2025, 6449),
        ("budget", 2025, 4896),
        ("utfall", 2024, 5793),
    ]


PLAN = """Ekonomisk plan 2025 – 2027

Budget (tkr)\t2025\t2026\t2027
Intäkter\t233 760\t236 000\t238 000
Kostnader\t233 760\t236 000\t238 000
Budgeterat resultat\t0\t\t
"""


def test_year_columns_under_a_kind_in_the_key_header_are_of_that_kind() -> None:
    """ "Budget (tkr) | 2025 | 2026": the years are budget years; and revenue
    equal to costs plus a zero result is no total row (one figure and zeros)."""
    (table,) = _tables(PLAN)
    revenue = table.rows[0]
    assert not revenue.is_total
    assert [(c.kind, c.year, c.value) for c in revenue.cells] == [
        ("budget", 2025, 233760),
        ("budget", 2026, 236000),
        ("budget", 2027, 238000),
    ]


OWNED = """Driftsredovisning

Verksamhet (mnkr)\tBudget 2023\tPrognos helår 2023
Kommunstyrelse politisk verksamhet\t-12,0\t-11,5
Kommunledningsförvaltning\t-178,9\t-172,7
Totalt (mnkr)\t-190,9\t-184,2
"""


def test_a_row_word_makes_the_owners_name_a_rows_name() -> None:
    """In the administration's own report its name says whose table it is;
    "raden …", "the … line" make it the name of the row of that name."""
    meta = DocumentMeta(
        doc=DOC,
        title="Delårsrapport 2023",
        municipality="Provs kommun",
        organ="Kommunstyrelsen / Kommunledningsförvaltningen",
        kind="delårsrapport",
        year=2023,
    )
    for history, question in (
        ((), "Vad är prognosen för helåret 2023 för raden Kommunledningsförvaltning?"),
        (
            ("Vad är budgeten 2023 för raden Kommunledningsförvaltning?",),
            "Och prognosen?",
        ),
    ):
        called = lookup_in(OWNED, meta, question, history)
        assert called is not None, question
        assert [(f.label, f.value) for f in called.facts] == [
            ("Kommunledningsförvaltning", -172.7)
        ]
