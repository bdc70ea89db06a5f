"""Words typed without å, ä and ö are read as the documents spell them."""

from __future__ import annotations

from assistant.language.spelling import Spelling

CORPUS = [
    "Ådalshallen",
    "får",
    "far",
    "år",
    "är",
    "många",
    "chefer",
    "Enköpings",
    "kommun",
]
NAMES = ["ådalshallen", "enköpings"]


def spelling() -> Spelling:
    return Spelling(CORPUS, NAMES)


def test_a_swedish_question_gets_the_documents_letters_back() -> None:
    restored = spelling().restore("hur manga chefer har adalshallen?", swedish=True)
    assert restored == "hur många chefer har ådalshallen?"


def test_a_capital_is_kept() -> None:
    assert (
        spelling()
        .restore("Budget for Adalshallen", swedish=False)
        .endswith("Ådalshallen")
    )


def test_a_word_the_documents_write_plainly_stays() -> None:
    # "far" is written as such; "ar" folds from two words ("år", "är").
    assert spelling().restore("far ar", swedish=True) == "far ar"


def test_an_english_question_gets_only_names_back() -> None:
    # "manga" is no name: an English question keeps its own words.
    restored = spelling().restore("How manga staff in Enkopings kommun", swedish=False)
    assert restored == "How manga staff in Enköpings kommun"
