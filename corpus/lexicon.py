"""A general Swedish vocabulary: is a string a Swedish word form (compounds too)?

Used only to decide whether two fragments a layout broke apart at a line end form
one word ("indexvär" / "de" → "indexvärde") or two ("återrapportering" /
"skedde"). The dictionary is the Hunspell sv_SE word list of the ``hunspell-sv``
package (Göran Andersson's list from SFOL, LGPL-3.0), read with ``spylls`` (a
pure-Python Hunspell, MPL-2.0). Hunspell's affix flags say which forms may begin,
go on or end a compound, so "kapitaltjänstkostnader" is a word and
"pedagogiskamåltider" is not. Without the package the loader falls back to the
document's own words.
"""

from __future__ import annotations

import functools
import sysconfig
from pathlib import Path
from typing import Any, Protocol

# Where the hunspell-sv wheel puts its files, then the Debian package's place.
_STEM = "sv_SE"
_PLACES = (
    Path(sysconfig.get_path("data")) / "share" / "hunspell",
    Path("/usr/share/hunspell"),
)


class Lexicon(Protocol):
    """Says whether a string is a word of the language."""

    def is_word(self, word: str) -> bool: ...


class HunspellLexicon:
    """Hunspell look-ups with a cache (the same pieces recur in a document)."""

    def __init__(self, dictionary: Any) -> None:
        self._dictionary = dictionary
        self.is_word = functools.lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, word: str) -> bool:
        return bool(word) and bool(self._dictionary.lookup(word))


def dictionary_path() -> Path | None:
    """The sv_SE dictionary's path without extension, or None when not installed."""
    for place in _PLACES:
        if (place / f"{_STEM}.aff").is_file() and (place / f"{_STEM}.dic").is_file():
            return place / _STEM
    return None


@functools.cache
def swedish() -> Lexicon | None:
    """The Swedish lexicon, loaded once (about 4 s), or None without the data."""
    path = dictionary_path()
    if path is None:
        return None
    try:
        from spylls.hunspell import Dictionary
    except ImportError:
        return None
    return HunspellLexicon(Dictionary.from_files(str(path)))
