"""A table printed in parts (one per area, same columns) is ranked as one frame,
unless the question names the part's own section."""

from __future__ import annotations

from assistant_fixtures import lookup_in

from assistant.tables.lookup import LookupResult
from corpus.models import DocumentMeta

DOC = "ikp.txt"
META = DocumentMeta(
    doc=DOC,
    title="Internkontrollplan 2024",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="internkontrollplan",
    period="2024",
)
TEXT = """# Internkontrollplan 2024

## Ekonomi

Process\tRisk\tRiskvärde
Inköp\tInköp utanför avtal\t12
Fakturor\tFel attest\t6

## IT

Process\tRisk\tRiskvärde
Drift\tIntrång i IT-miljön\t16
Behörigheter\tFel behörighet\t8

## Personal

Process\tRisk\tRiskvärde
Bisyssla\tOanmäld bisyssla\t20

## Mål

Mål\tUtfall\tRiskvärde\tKommentar
Nöjda invånare\t70\t99\tEtt annat slags tabell
"""


def ask(question: str) -> LookupResult | None:
    return lookup_in(TEXT, META, question)


def top(result: LookupResult | None) -> tuple[str, float]:
    assert result is not None and result.ranking == "max"
    return result.facts[0].label, result.facts[0].value


def test_a_superlative_ranks_every_part_of_a_table_printed_in_parts() -> None:
    # 20 is in the Personal part; 99 is in a table with other columns.
    assert top(ask("Vilken risk har högst riskvärde?")) == ("Bisyssla", 20.0)


def test_a_named_part_is_ranked_alone() -> None:
    assert top(ask("Vilken risk inom IT har högst riskvärde?")) == ("Drift", 16.0)


OVERVIEW = """# Utvärdering 2024

## Översikt av poängfördelning

Nedan visas resultatet per delområde inom respektive område.

<b>1.</b>\t<b>Demokrati</b>\t<b>Uppnått</b>\t<b>Max</b>
1.1\tInformation\t7\t10
1.2\tDialog\t20\t30

<b>2.</b>\t<b>Effektivitet</b>\t<b>Uppnått</b>\t<b>Max</b>
2.1\tJämförelser för ökad effektivitet\t11\t20
2.2\tSamverkan för ökad effektivitet\t13\t20
"""


def test_tables_after_one_lead_in_are_ranked_as_one_frame() -> None:
    """The lead-in names "område" for all the tables under it; only the first
    takes it for its caption, the others show the section title."""
    found = lookup_in(
        OVERVIEW, META, "Inom vilket område är poängen lägst i förhållande till max?"
    )
    assert found is not None and found.ranking == "min"
    assert "Jämförelser" in found.facts[0].label  # 11 of 20, below 7 of 10


def test_a_ranking_within_a_group_ranks_the_rows_of_that_group() -> None:
    # The lowest of the frame is "Information" (7); within Effektivitet, 11.
    found = lookup_in(
        OVERVIEW, META, "Vilket delområde inom effektivitet fick lägst poäng?"
    )
    assert found is not None and "Jämförelser" in found.facts[0].label
    found = lookup_in(OVERVIEW, META, "Vilket delområde fick lägst poäng?")
    assert found is not None and found.facts[0].label.endswith("Information")


OWNED = """# Verksamhetsplan 2025

## Detaljbudget

Detaljbudget per område\tBudget helår 2024\tBudget helår 2025
Kommunledningsförvaltningen\t300\t330
Ledningsstab\t100\t110
Ekonomi\t200\t220
"""
OWNED_META = DocumentMeta(
    doc="vp.txt",
    title="Verksamhetsplan 2025, Kommunledningsförvaltningen",
    municipality="Provs kommun",
    organ="Kommunstyrelsen / Kommunledningsförvaltningen",
    kind="verksamhetsplan",
    period="2025",
)


def test_the_owners_budget_alone_is_its_tables_total() -> None:
    """ "Vad är kommunledningsförvaltningens budget 2025?" names only the owner
    of the document and a kind: the owner's figure is the table's total row."""
    from assistant_fixtures import found_in

    question = "Vad är kommunledningsförvaltningens budget 2025?"
    result = found_in(OWNED, OWNED_META, question)
    assert result is not None
    assert [(f.label, f.value) for f in result.facts] == [
        ("Kommunledningsförvaltningen", 330.0)
    ]
