"""Bodies a question names are hard constraints of the table lookup: a row of
another body, or of the whole municipality, is a neighbouring number."""

from __future__ import annotations

from assistant_fixtures import lookup_in

from assistant.language.textmatch import stems
from assistant.reading.bodies import belongs_to, is_body_head, named_bodies, names_body
from assistant.tables.lookup import LookupResult
from corpus.models import DocumentMeta

DOC = "plan.txt"
META = DocumentMeta(
    doc=DOC,
    title="Verksamhetsplan 2024",
    municipality="Provs kommun",
    organ="Kommunstyrelsen",
    kind="verksamhetsplan",
    period="2024",
)
TEXT = """# Verksamhetsplan 2024

## Personal

Miljönämnden har en egen plan.

Personalföljetal för kommunstyrelsens förvaltning.

Nyckeltal\tUtfall 2022\tUtfall 2023
Sjukfrånvaro (%)\t4,1\t4,5
Personalomsättning (%)\t\t12
Personalomsättning i Provs kommun\t15\t11
Övertid i timmar\t315\t253

## Nämnder

Kommunstyrelsen fördelar budget till nämnderna.

Nämnd\tBudget 2024
Valnämnd\t54
Socialnämnd\t1 200
"""


def ask(question: str) -> LookupResult | None:
    return lookup_in(TEXT, META, question)


def labels(result: LookupResult | None) -> list[str]:
    assert result is not None
    return [f.label for f in result.facts]


def test_swedish_and_english_body_names_are_read() -> None:
    (social,) = named_bodies("Hur stor är socialnämndens budget?", english=False)
    assert social.named_in({"socialnämnd"}) and not social.named_in({"valnämnd"})
    (english,) = named_bodies("What is the social services committee's budget?", True)
    assert english.named_in({"socialnämnd"}) and not english.named_in({"valnämnd"})
    assert named_bodies("Hur hög är sjukfrånvaron på förvaltningen?", False) == []
    assert is_body_head("förvaltningen") and not is_body_head("socialnämnden")
    assert names_body("Hur hög är sjukfrånvaron på förvaltningen?", False)
    assert not names_body("Hur hög är sjukfrånvaron i kommunen?", False)


def test_a_named_body_picks_its_own_row() -> None:
    assert labels(ask("Vad är socialnämndens budget 2024?")) == ["Socialnämnd"]


def test_a_body_no_row_names_gets_no_row() -> None:
    result = ask("Vad är budgeten för byggnadsnämnden 2024?")
    assert result is None or not result.facts
    # English: the corpus has a "miljönämnd", so the committee is a body.
    english = ask("What is the 2024 budget of the environmental committee?")
    assert english is None or not english.facts


def test_english_words_that_name_no_body_of_the_corpus_constrain_nothing() -> None:
    # No "central..." body in the corpus: the owner's administration is meant.
    assert labels(
        ask("How much overtime did the central administration have in 2023?")
    ) == ["Övertid i timmar"]


def test_the_owners_own_body_constrains_nothing() -> None:
    assert labels(
        ask("Hur mycket övertid hade kommunstyrelsens förvaltning 2023?")
    ) == ["Övertid i timmar"]


def test_a_unit_of_the_owner_is_not_answered_with_the_municipalitys_row() -> None:
    # The administration's 2022 cell is empty: the municipality's 15 is no answer.
    result = ask("Hur hög var personalomsättningen på förvaltningen 2022?")
    assert result is not None and not result.facts and result.missing_years == (2022,)
    whole = ask("Hur hög var personalomsättningen i Provs kommun 2022?")
    assert labels(whole) == ["Personalomsättning i Provs kommun"]


def test_the_owners_administration_belongs_to_the_owner() -> None:
    board = set(stems("Kommunstyrelsen Provs kommun"))
    (own,) = named_bodies("sjukfrånvaron på kommunledningsförvaltningen", False)
    (other,) = named_bodies("sjukfrånvaron på samhällsbyggnadsförvaltningen", False)
    assert belongs_to(own, board) and not belongs_to(other, board)
    committee = set(stems("Kultur- och fritidsnämnden"))
    same, social = named_bodies("fritidsförvaltningen och socialförvaltningen", False)
    assert belongs_to(same, committee) and not belongs_to(social, committee)
