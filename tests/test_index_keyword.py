"""Keyword index: Swedish stemming, compounds via 4-grams, filters, persistence."""

from __future__ import annotations

import pytest

from index.keyword import KeywordIndex, KeywordIndexError, stem_words, tokenize

TEXTS = {
    "budget": "Driftsbudgeten uppgår till en nettokostnad om 205,6 mnkr för 2024.",
    "sick": "Sjukfrånvaron bland medarbetarna har minskat under året.",
    "library": "Biblioteket i centrum har utökat sina öppettider till kvällar.",
    "invest": "Summa investeringar 18 800 tkr år 2025 i Kramfors kommun.",
}


@pytest.fixture
def index() -> KeywordIndex:
    return KeywordIndex().build(list(TEXTS), list(TEXTS.values()))


def _top(index: KeywordIndex, query: str, **kw) -> list[str]:
    return [cid for cid, _ in index.search(query, 4, **kw)]


def test_tokenize_stems_numbers_and_grams():
    tokens = tokenize("Budgeten för drift: 18 800 tkr och 205,6 mnkr")
    assert "budget" in tokens and "drift" in tokens
    assert "för" not in tokens  # stopword
    assert {"18800", "205,6"} <= set(tokens)
    assert {"#budg", "#drif", "#rift"} <= set(tokens)
    assert tokenize("205.6") == ["205,6"]  # an English decimal point


def test_split_compound_query_finds_the_compound(index):
    assert _top(index, "budget för drift")[0] == "budget"
    assert _top(index, "sjukfrånvaro")[0] == "sick"
    assert _top(index, "sjuk")[0] == "sick"


def test_english_query_matches_swedish_numbers_and_names(index):
    assert _top(index, "What were the total investments of 18800 in Kramfors?")[0] == (
        "invest"
    )
    assert _top(index, "net cost 205.6")[0] == "budget"


def test_allowed_restricts_results_and_no_match_is_empty(index):
    assert _top(index, "budget drift", allowed={"sick", "library"}) == []
    assert _top(index, "kvällar", allowed={"library"}) == ["library"]
    assert index.search("xyzzy qwerty", 3) == []
    assert KeywordIndex().build([], []).search("budget", 3) == []


def test_save_and_load_roundtrip(index, tmp_path):
    index.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw")
    assert loaded.search("budget för drift", 4) == index.search("budget för drift", 4)
    with pytest.raises(KeywordIndexError, match="ingest --force"):
        KeywordIndex.load(tmp_path / "missing")


def test_stem_words_normalises_labels():
    assert stem_words("Nettokostnader") == stem_words("nettokostnader")
    assert stem_words("Personalkostnaderna") == stem_words("personalkostnader")
