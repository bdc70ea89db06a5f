"""A follow-up asking for the period before ("Och året innan?", "And the previous
evaluation?") gets the latest earlier year the row has, not a neighbouring row."""

from __future__ import annotations

from assistant_fixtures import lookup_in

from assistant.reading.query import Catalog, interpret
from corpus.models import DocumentMeta

META = DocumentMeta(
    doc="kompass.txt",
    title="Utvärdering 2024",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="utvärdering",
    period="2024",
)
TEXT = """# Utvärdering 2024

## Resultat per område

Område\tProv 2024\tProv 2021\tMedel 2018-
1 Styrning\t70\t61\t66
2 Brukarens fokus\t58\t49\t61

## Delområden

Delområde\tUppnått\tMax
2.1 Strategi för brukarens fokus\t10\t20
"""
FIRST = "Vilken poäng fick Prov inom brukarens fokus 2024?"


def test_an_earlier_period_is_the_latest_earlier_year_of_the_row():
    found = lookup_in(TEXT, META, "Och vid förra utvärderingen?", (FIRST,))
    assert found is not None
    assert [(f.label, f.column, f.value) for f in found.facts] == [
        ("2 Brukarens fokus", "Prov 2021", 49.0)
    ]
    # In English too; an undated row (of the document's own period) never stands in.
    found = lookup_in(TEXT, META, "And the time before?", (FIRST,))
    assert found is not None and found.facts[0].column == "Prov 2021"


def test_the_cue_reads_only_in_a_follow_up_without_a_year_of_its_own():
    catalog = Catalog([META], frozenset())
    before = interpret("Och året innan?", [FIRST], catalog)
    assert before.years == (2023,) and before.or_earlier
    assert "innan" not in (before.focus or "")
    named = interpret("Och 2021?", [FIRST], catalog)
    assert named.years == (2021,) and not named.or_earlier
    alone = interpret("Vad gjordes innan beslutet?", [], catalog)
    assert not alone.or_earlier


def test_a_part_of_the_year_does_not_answer_the_whole_year():
    from assistant.tables.lookup import part_of_year_only

    catalog = Catalog([META], frozenset())
    whole = interpret("Vad kostade övertiden under hela året?", [], catalog)
    part = "Övertiden för perioden januari till september uppgår till 163 974 kronor."
    assert part_of_year_only(whole, part)
    # A text that also speaks of the whole year, or a question about the part.
    assert not part_of_year_only(whole, f"{part} Prognosen för helåret är 0,2 mnkr.")
    asked = interpret("Vad kostade övertiden januari till september?", [], catalog)
    assert not part_of_year_only(asked, part)
    # "helårsarbetare" is a unit of staff, not the whole year.
    assert part_of_year_only(whole, f"{part} Det motsvarar 0,42 helårsarbetare.")
