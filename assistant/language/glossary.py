"""English-to-Swedish glossary of municipal planning, finance, HR and service terms.

Lets English questions be matched against Swedish plan documents by keyword search and
by table-row label matching.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.language.lexicon import DATA_DIR, read_data_file

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.tsv"


class GlossaryError(ValueError):
    """A glossary line that does not follow the format (file and line named)."""


def load_glossary(path: Path = GLOSSARY_FILE) -> dict[str, str]:
    """English term -> Swedish alternatives, from a TSV file (``#`` comments)."""
    entries: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
            raise GlossaryError(f"{path}:{n}: expected 'english<TAB>swedish words'")
        english, swedish = fields[0].strip(), " ".join(fields[1].split())
        if english != english.lower() or len(english.split()) > 4:
            raise GlossaryError(
                f"{path}:{n}: {english!r} must be lower case, at most 4 words"
            )
        if english in entries:
            raise GlossaryError(f"{path}:{n}: {english!r} is listed twice")
        entries[english] = swedish
    return entries


_ENTRIES = load_glossary()
# Multi-word English terms (2–4 words) are matched before single words.
PHRASES: dict[str, str] = {k: v for k, v in _ENTRIES.items() if " " in k}
WORDS: dict[str, str] = {k: v for k, v in _ENTRIES.items() if " " not in k}


# A word with at least one letter: a code such as "DN40" or "B2" is kept whole (a
# product, a meter size, a zone), a figure alone is no word.
_LETTERS_RE = re.compile(r"[^\W_]*[^\W\d_][^\W_]*")
_POSSESSIVE_RE = re.compile(r"['’]s\b")


# The stop words of ``vocabulary.toml``, read here once (``vocabulary`` imports
# this module, so its STOPWORDS cannot be imported).
_GRAMMAR = frozenset(read_data_file(DATA_DIR / "vocabulary.toml")["stopwords"])


def _content_variant(phrase: str) -> str:
    """The phrase without its grammar words ("head finance" for "head of
    finance"): a question's topic words, stop words dropped, still find it."""
    kept = [w for w in phrase.split() if w not in _GRAMMAR]
    return " ".join(kept) if len(kept) >= 2 else phrase


_VARIANTS = {_content_variant(p): p for p in sorted(PHRASES)}
_PHRASES_BY_WORDS = {**_VARIANTS, **{p: p for p in PHRASES}}
_PHRASE_PARTS = sorted(
    (tuple(words.split()) for words in _PHRASES_BY_WORDS),
    key=lambda parts: (-len(parts), -len(" ".join(parts)), parts),
)


def english_terms(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The English planning terms in ``text`` with their Swedish alternatives
    (``(english, swedish)``, in text order) and the words no term covered.

    Phrases are matched first (longest first); their words are not looked up again.
    """
    tokens = _LETTERS_RE.findall(_POSSESSIVE_RE.sub("", text.lower()))
    used = [False] * len(tokens)
    hits: list[tuple[int, str, str]] = []
    for parts in _PHRASE_PARTS:
        n = len(parts)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == parts and not any(used[i : i + n]):
                used[i : i + n] = [True] * n
                swedish = PHRASES[_PHRASES_BY_WORDS[" ".join(parts)]]
                hits.append((i, " ".join(tokens[i : i + n]), swedish))
    for i, token in enumerate(tokens):
        if not used[i] and token in WORDS:
            used[i] = True
            hits.append((i, token, WORDS[token]))
    hits.sort(key=lambda hit: hit[0])
    return [hit[1:] for hit in hits], [
        t for t, u in zip(tokens, used, strict=True) if not u
    ]


def translate(text: str) -> tuple[list[tuple[str, ...]], list[str]]:
    """The Swedish alternatives of each English planning term in ``text`` (one
    group per term, in text order) and the words no term covered.

    Example: translate("The board's sick leave in Mark") -> ([("styrelse", ...),
    ("sjukfrånvaro",)], ["the", "in", "mark"]).
    """
    terms, rest = english_terms(text)
    groups = list(dict.fromkeys(tuple(swedish.split()) for _, swedish in terms))
    return groups, rest


def swedish_for(text: str) -> list[str]:
    """Swedish glossary words for the English terms in ``text``, in text order.

    Example: swedish_for("The board's sick leave") -> ["styrelse", "nämnd",
    "sjukfrånvaro"].
    """
    groups, _ = translate(text)
    return list(dict.fromkeys(w for group in groups for w in group))
