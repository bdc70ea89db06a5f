"""Words broken by a narrow cell decided with a general Swedish vocabulary.

A break at a cell edge looks like an ordinary wrap; the document's own words
cannot decide a word used once ("återrapportering" / "skedde" is two words,
"indexvär" / "de" one). The pieces are split into the fewest non-words, words
being the document's or the lexicon's (Hunspell sv_SE with its compound rules).
"""

from __future__ import annotations

from collections import Counter

import pytest

from corpus.lexicon import swedish
from corpus.pdf_cells import EDGE_BREAK, close_breaks, whole_words

B = EDGE_BREAK


class _Words:
    """A lexicon of a few words, so the decision rule is tested on its own."""

    def __init__(self, *words: str) -> None:
        self.words = {w.lower() for w in words}

    def is_word(self, word: str) -> bool:
        return word.lower() in self.words


def test_lexicon_words_decide_a_break_the_document_cannot():
    known = whole_words(["Rapporten skedde sent."])
    lexicon = _Words("återrapportering", "skedde", "indexvärde")
    # Both pieces are words, the joined form is not: an ordinary wrap.
    assert close_breaks(f"återrapportering{B}skedde i maj", known, lexicon) == (
        "återrapportering skedde i maj"
    )
    # Without the lexicon the document knows "skedde" only: the old decision.
    assert close_breaks(f"återrapportering{B}skedde", Counter(), None) == (
        "återrapporteringskedde"
    )
    # The rest "de" is a frequent word, but the left piece is none: one word.
    frequent = whole_words(["de de de de de"])
    assert close_breaks(f"indexvär{B}de", frequent, lexicon) == "indexvärde"
    assert close_breaks(f"indexvär{B}de", frequent, _Words()) == "indexvär de"


def test_chain_of_breaks_is_decided_together():
    lexicon = _Words("kommun", "kommunikations", "policy", "kommunikationspolicy")
    # A word split over three lines of a narrow cell is one word again.
    assert close_breaks(f"Kommun{B}ikations{B}policy", Counter(), lexicon) == (
        "Kommunikationspolicy"
    )
    lexicon = _Words("etablera", "systematiskt")
    assert close_breaks(f"Etablera{B}systemat{B}iskt arbete", Counter(), lexicon) == (
        "Etablera systematiskt arbete"
    )


def test_words_only_split_prefers_the_compound_and_figures_are_whole():
    lexicon = _Words("kapitaltjänst", "kostnader", "kapitaltjänstkostnader")
    assert close_breaks(f"Kapitaltjänst{B}kostnader", Counter(), lexicon) == (
        "Kapitaltjänstkostnader"
    )
    # A misspelt compound still ends in a word across the break: one word...
    lexicon = _Words("rutiner", "ner", "arbete")
    assert close_breaks(f"handlägningsruti{B}ner", Counter(), lexicon) == (
        "handlägningsrutiner"
    )
    # ...but an unknown name before a wrapped word stays apart.
    assert close_breaks(f"Netpublicator{B}arbete", Counter(), lexicon) == (
        "Netpublicator arbete"
    )
    # A date after a word is a word of its own, never the word's rest.
    lexicon = _Words("avläsningsdatum")
    assert close_breaks(f"avläsningsdatum{B}2023-08-18", Counter(), lexicon) == (
        "avläsningsdatum 2023-08-18"
    )
    # "tjänst" / "en/entreprenaden": the rest before the slash decides.
    lexicon = _Words("tjänst", "tjänsten", "entreprenaden")
    assert close_breaks(f"produkten/tjänst{B}en/entreprenaden", Counter(), lexicon) == (
        "produkten/tjänsten/entreprenaden"
    )


@pytest.mark.skipif(swedish() is None, reason="hunspell-sv/spylls not installed")
def test_swedish_dictionary_knows_compounds_and_rejects_run_together_words():
    lexicon = swedish()
    assert lexicon is not None
    for word in ("indexvärde", "Kapitaltjänstkostnader", "laddinfrastruktur"):
        assert lexicon.is_word(word), word
    for word in ("återrapporteringskedde", "pedagogiskamåltider", "indexvär"):
        assert not lexicon.is_word(word), word
    known: Counter[str] = Counter()
    assert close_breaks(f"pedagogiska{B}måltider", known, lexicon) == (
        "pedagogiska måltider"
    )
    assert close_breaks(f"styrsyste{B}m, budget", known, lexicon) == (
        "styrsystem, budget"
    )
