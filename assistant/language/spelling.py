"""A question typed without the Swedish letters, spelt as the documents spell it.

A chat question is often typed on a keyboard without å, ä and ö ("adalshallen",
"Enkoping", "hur manga chefer"): its words then match nothing the documents write,
neither in the keyword index nor in the topic coverage that decides whether a
question is answered. A word the documents never write whose letters, folded
("å" -> "a"), are those of exactly one word they do write is that word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from assistant.language.vocabulary import WORD_RE

# The letters a keyboard without Swedish keys writes plainly.
FOLD = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")


def fold(word: str) -> str:
    """``word`` without its diacritics: fold("Ådalshallen") -> "Adalshallen"."""
    return word.translate(FOLD)


class Spelling:
    """The documents' spelling of words typed without diacritics."""

    def __init__(self, corpus_words: Iterable[str], names: Collection[str]) -> None:
        """``corpus_words``: every word the documents write; ``names``: those they
        write only capitalised (lower case)."""
        written = {w.lower() for w in corpus_words}
        by_plain: dict[str, set[str]] = defaultdict(set)
        for word in written:
            plain = fold(word)
            if plain != word:
                by_plain[plain].add(word)
        # A plain form the documents also write ("har" beside "här"), or one that
        # two of their words fold to ("ar": "år", "är"), stays as typed.
        self._spelt = {
            plain: found.pop()
            for plain, found in by_plain.items()
            if len(found) == 1 and plain not in written
        }
        self._written = frozenset(written)
        self._names = frozenset(w.lower() for w in names)

    def restore(self, text: str, swedish: bool) -> str:
        """``text`` with each word the documents never write replaced by the one
        they write with diacritics. In an English question only names are ("the
        budget of Adalshallen"): an English word ("far") is no Swedish one typed
        plainly ("får")."""

        def spelt(match: re.Match[str]) -> str:
            typed = match.group(0)
            low = typed.lower()
            found = None if low in self._written else self._spelt.get(low)
            if found is None or not (swedish or found in self._names):
                return typed
            return found.capitalize() if typed[:1].isupper() else found

        return WORD_RE.sub(spelt, text)
