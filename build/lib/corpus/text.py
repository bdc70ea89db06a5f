"""Clean-up helpers: raw line text → text for embedding and display.

The raw lines are never changed (citations quote them); these functions only
produce the cleaned copy used in ``embed_text`` and ``Cell.text``.
"""

from __future__ import annotations

import html
import re

_LI_RE = re.compile(r"<li[^>]*>\s*", re.IGNORECASE)
_BLOCK_END_RE = re.compile(r"</(?:li|p|ul|ol|div)>|<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS_RE = re.compile(r"(?<!\\)(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_HEADING_MARK_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET_RE = re.compile(r"^\s*[•●■▪◦○]\s*")
# "sam-arbete", "Informations-säkerhet": a hyphen inside one word (soft-hyphen
# remnant). Both parts must be 3+ lowercase letters after the first, so real
# compounds ("personal- och", "e-arkiv", "IT-system") stay as they are.
_MONTHS = r"(?:jan|feb|mars?|apr|maj|juni?|juli?|aug|sept?|okt|nov|dec)"
_INWORD_HYPHEN_RE = re.compile(
    rf"\b(?!{_MONTHS}-)([A-ZÅÄÖa-zåäö][a-zåäö]{{2,}})-(?!{_MONTHS}\b)([a-zåäö]{{3,}})\b"
)
# "KOMMUNGEMENS AM": an upper-case word broken before its last one or two letters.
_CAPS_SPLIT_RE = re.compile(r"\b([A-ZÅÄÖ]{6,}) ([A-ZÅÄÖ]{1,2})\b(?= [A-ZÅÄÖ]{3,}|$)")
_KNOWN_SHORT_CAPS = {"IT", "KS", "EU", "AB", "VA", "HR", "IP", "KF", "OCH"}


def strip_tags(text: str) -> str:
    """Remove HTML tags; ``<li>`` items become "• item" lines, entities are decoded."""
    if "<" in text:
        text = _LI_RE.sub("\n• ", text)
        text = _BLOCK_END_RE.sub(" ", text)
        text = _TAG_RE.sub("", text)
        text = re.sub(r"•\s*•", "•", text)  # "<li>• a</li>" carries its own bullet
    return html.unescape(text) if "&" in text else text


def strip_emphasis(text: str) -> str:
    """Remove markdown emphasis (*a*, **a**, ***a***) and unescape ``\\*``."""
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS_RE.sub(r"\2", text)
    return text.replace("\\*", "*")


def join_layout_breaks(text: str) -> str:
    """Join within-word breaks that are layout artefacts, never real compounds."""
    text = _INWORD_HYPHEN_RE.sub(r"\1\2", text)

    def caps(match: re.Match[str]) -> str:
        if match.group(2) in _KNOWN_SHORT_CAPS:
            return match.group(0)
        return match.group(1) + match.group(2)

    return _CAPS_SPLIT_RE.sub(caps, text)


def clean_inline(text: str) -> str:
    """One raw line or cell → cleaned single-line text (list items keep bullets)."""
    text = strip_tags(text)
    text = _HEADING_MARK_RE.sub("", text)
    text = strip_emphasis(text)
    text = join_layout_breaks(text)
    lines = [re.sub(r"[ \t]+", " ", part).strip() for part in text.split("\n")]
    return "\n".join(part for part in lines if part)


def clean_block(lines: list[str]) -> str:
    """Several raw lines → cleaned text; blank lines separate paragraphs.

    A line ending in a markdown hard break or broken mid-sentence is joined to
    the next line within the same paragraph.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in lines:
        cleaned = clean_inline(raw.replace("\t", " | ").strip(" |"))
        if not cleaned:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if raw.lstrip().startswith(("-", "•", "*")) or _BULLET_RE.match(raw):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            paragraphs.append(cleaned)
            continue
        current.append(cleaned)
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def is_blank(line: str) -> bool:
    """Whitespace-only lines are blank (they mark old page/layout breaks)."""
    return not line.strip()


def plain(text: str) -> str:
    """Tags, emphasis, bullets and surrounding whitespace removed (for matching)."""
    text = strip_emphasis(strip_tags(text)).replace("\n", " ")
    return _BULLET_RE.sub("", re.sub(r"\s+", " ", text)).strip()


def slug(text: str, limit: int = 40) -> str:
    """Readable id fragment: "Övergripande mål" → "overgripande-mal"."""
    table = str.maketrans("åäöÅÄÖéÉ", "aaoAAOeE")
    text = plain(text).translate(table).lower()
    text = re.sub(r"[^a-z0-9.]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "x"


def split_sentences(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most ``limit`` characters on sentence/word ends."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n", text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, sentence = sentence[:cut], sentence[cut:].lstrip()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip() if current else sentence
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()]
