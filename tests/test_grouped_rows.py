"""A table whose key column only groups its rows ("KS", "KS", "SOC") is read by
the text column that names each row (the indicator), and a superlative that is
part of such a name is no ranking."""

from __future__ import annotations

from assistant_fixtures import lookup_in, ranked_in

from corpus.models import DocumentMeta
from corpus.tables import find_tables

DOC = "mal.txt"
META = DocumentMeta(
    doc=DOC,
    title="Mål för miljö och klimat",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="uppföljning",
    period="2022",
)
TEXT = """# Mål för miljö och klimat

## Nämndernas mål

Nämnd\tMål för nämndens verksamhet\tIndikator\tSenast uppmätta värde (ange år)\tMål 2022\tMål 2025
KS\tEnergiförbrukningen ska minska\tEnergiförbrukning för de 10 fastigheter som har högst energiförbrukning (kwh/kvm)\t218 (2020)\t170\t140
KS\t\tAntal fastigheter som värms upp med fossila energikällor\t3 (aug 2021)\t1\t0
SOC\tMindre miljöpåverkan\tAntal skadetillfällen på fordon\t12 (2021)\t10\t6
SOC\t\tAndel medarbetare med utbildning i sparsam körning\t0% (2020)\t50%\t90%
"""


def test_rows_grouped_by_a_repeated_key_are_named_by_their_indicator() -> None:
    """The board names no row (it repeats): the indicator column does, after it;
    a table whose key is unique keeps its key alone."""
    lines = tuple(TEXT.splitlines())
    (table,) = find_tables(lines, set(), set(), "mal", DOC)
    labels = [row.label for row in table.rows]
    assert labels[0] == (
        "KS \u2013 Energiförbrukning för de 10 fastigheter som har högst "
        "energiförbrukning (kwh/kvm)"
    )
    assert labels[3] == "SOC \u2013 Andel medarbetare med utbildning i sparsam körning"
    unique = "Område\tIndikator\tMål 2025\nEnergi\tKWh per kvm\t140\nAvfall\tKg per invånare\t350"
    (plain,) = find_tables(tuple(unique.splitlines()), set(), set(), "u", "u.txt")
    assert [row.label for row in plain.rows] == ["Energi", "Avfall"]


def test_a_question_finds_the_row_by_its_indicator() -> None:
    result = lookup_in(
        TEXT,
        META,
        "Vad är målet 2025 för antal fastigheter som värms upp med fossila energikällor?",
    )
    assert result is not None
    assert [f.value for f in result.facts] == [0.0]
    assert result.facts[0].label.startswith("KS \u2013 Antal fastigheter som värms")


def test_a_superlative_in_the_name_of_a_row_looks_that_row_up() -> None:
    """ "de tio fastigheter som drar mest energi" names the row "... de 10
    fastigheter som har högst energiförbrukning": its figure, not a ranking of
    the column; a superlative naming no row still ranks."""
    question = "Vad är målet 2025 för energiförbrukningen i de tio fastigheter som drar mest energi?"
    result = lookup_in(TEXT, META, question)
    assert result is not None and result.ranking is None
    assert [f.value for f in result.facts] == [140.0]
    assert ranked_in(TEXT, META, question) is None
    ranked = ranked_in(TEXT, META, "Vilken indikator har högst mål 2025?")
    assert ranked is not None and ranked.ranking == "max"


ABBREVIATED = """# Delårsrapport

## Medarbetare

Årets värde för hållbart medarbetarengagemang (HME) ökade.

KF indikatorer\tUtfall 2022\tUtfall aug 2023
21. Hållbart medarbetarengagemang (HME)\t77\t78

Nämnds indikatorer\tUtfall 2022\tUtfall aug 2023
Hållbart medarbetarengagemang KS\t75\t77
"""


def test_an_abbreviation_the_document_spells_out_finds_rows_of_the_long_form() -> None:
    """ "hme ks": the document spells HME out, so the board's row "Hållbart
    medarbetarengagemang KS" is found too and, the question naming the board,
    chosen over the council's indicator."""
    from assistant.language.abbreviations import spelled_in

    assert spelled_in([ABBREVIATED]) == {"hme": "hållbart medarbetarengagemang"}
    result = lookup_in(ABBREVIATED, META, "hme ks aug 2023?")
    assert result is not None
    assert [(f.label, f.value) for f in result.facts] == [
        ("Hållbart medarbetarengagemang KS", 77.0)
    ]
