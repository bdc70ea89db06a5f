"""Swedish keyword index: BM25 (bm25s) over stems plus character 4-grams.

Swedish writes compounds as one word ("driftsbudget", "sjukfrånvaron"), so plain
stemmed BM25 misses "budget för drift". Every stem of four or more letters is also
indexed as its character 4-grams (tokens prefixed with ``#``); the query side does
the same, so compound parts meet whichever way the words are split.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

GRAM = 4
GRAM_PREFIX = "#"
INDEX_FORMAT = 1
_IDS_FILE = "ids.json"
# Numbers keep their Swedish form: "18 800" → "18800", "205,6" stays, "205.6" → "205,6".
_TOKEN = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?|[^\W\d_]+", re.UNICODE)
_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")
# Function words in Swedish and English: they carry no topic and their grams
# ("#från", "#with") would match unrelated compounds.
_STOPWORD_TEXT = """
och i att det som en på är av för med till den har de inte om ett men var jag
sig så vi kan man eller ska vara under efter från hur vad vilka vilken vilket
när där detta dessa denna också mot utan samt per enligt ut in upp sin sitt sina
hos bli blir kommer skulle the a an of in on for to and or is are was were be
what which who how when where does do did with by at from as that this these
those it its has have had much many
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class KeywordIndexError(RuntimeError):
    """The keyword index folder is missing or unreadable."""


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("swedish")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[0].isdigit():
            word = _NUMBER_SPACES.sub("", word).replace(".", ",")
        out.append(word)
    return out


def tokenize(text: str) -> list[str]:
    """Stems, numbers and ``#``-prefixed 4-grams of stems (stopwords dropped)."""
    stemmer = _stemmer()
    tokens: list[str] = []
    for word in _words(text):
        if word[0].isdigit():
            tokens.append(word)
            continue
        if word in STOPWORDS or len(word) < 2:
            continue
        stem = stemmer.stemWord(word)
        tokens.append(stem)
        if len(stem) >= GRAM:
            tokens.extend(
                GRAM_PREFIX + stem[i : i + GRAM] for i in range(len(stem) - GRAM + 1)
            )
    return tokens


def stem_words(text: str) -> list[str]:
    """Stems only (no grams, no stopwords): for normalising labels."""
    stemmer = _stemmer()
    return [
        w if w[0].isdigit() else stemmer.stemWord(w)
        for w in _words(text)
        if w not in STOPWORDS
    ]


class KeywordIndex:
    """BM25 over :func:`tokenize` tokens, addressed by chunk id."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._bm25 = None

    def __len__(self) -> int:
        return len(self._ids)

    def build(self, ids: Sequence[str], texts: Sequence[str]) -> KeywordIndex:
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids but {len(texts)} texts")
        import bm25s

        self._ids = list(ids)
        self._bm25 = None
        if self._ids:
            bm25 = bm25s.BM25()
            bm25.index([tokenize(t) for t in texts], show_progress=False)
            self._bm25 = bm25
        return self

    def search(
        self, text: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, BM25 score > 0), restricted to ``allowed`` ids."""
        if self._bm25 is None or k <= 0:
            return []
        vocab = self._bm25.vocab_dict
        query = [t for t in tokenize(text) if t in vocab]
        if not query:
            return []
        scores = np.asarray(self._bm25.get_scores(query), dtype=np.float64)
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in self._ids), bool, len(self._ids))
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0.0]

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"format": INDEX_FORMAT, "ids": self._ids}
        (directory / _IDS_FILE).write_text(json.dumps(meta), encoding="utf-8")
        if self._bm25 is not None:
            self._bm25.save(str(directory / "bm25"), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        directory = Path(directory)
        try:
            meta = json.loads((directory / _IDS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeywordIndexError(
                f"keyword index at {directory} is missing or corrupt ({exc}); "
                "rebuild it with `python -m assistant ingest --force`"
            ) from exc
        if meta.get("format") != INDEX_FORMAT:
            raise KeywordIndexError(
                f"keyword index at {directory} has format {meta.get('format')}, "
                f"expected {INDEX_FORMAT}; rebuild with "
                "`python -m assistant ingest --force`"
            )
        index = cls()
        index._ids = list(meta["ids"])
        if index._ids:
            import bm25s

            index._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
        return index


def iter_tokens(texts: Iterable[str]) -> Iterable[list[str]]:
    """Tokenise many texts lazily (handy for diagnostics)."""
    return (tokenize(t) for t in texts)
