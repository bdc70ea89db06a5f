"""Who signs or made a document: the name blocks that close its cover letter and
the byline under its title.

A Swedish municipal report is sent with a tjänsteskrivelse that ends on blocks of a
name over a role ("Hannu Högberg / Bitr. kommundirektör / Enköpings kommun"); an
evaluation names its authors under its title ("Leif Eldås SKR och Cecilia Björnram
Varbergs kommun"). Neither says "signed" or "written by": a question asking who
signs ("who signs the report?", "Vem har skrivit under delårsrapporten?") or who made
the document itself ("who did the Kommunkompassen evaluation?") is answered from the
document's structure, not from words a passage shares with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.compose import BLOCK_LINE_CHARS, CitationBuilder, Draft
from assistant.language.lexicon import words_of
from assistant.models import Query

# A block is a name line and one to three lines of role and organisation.
MIN_BLOCK_LINES = 2
MAX_BLOCK_LINES = 4
NAME_LINE = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü-]+(?:\s+[A-ZÅÄÖ][a-zåäöéü-]+){1,2}$")
# A byline is a short line of names, not a sentence.
MAX_BYLINE_CHARS = 100
NAME_PAIR = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ][a-zåäöé]+")

IsName = Callable[[str], bool]


@dataclass(frozen=True)
class Signature:
    """A signature block (a name and the lines under it) or a byline (no roles),
    and where it stands."""

    name: str
    roles: tuple[str, ...]
    line_start: int  # 1-based
    line_end: int


def asks_who_signs(text: str) -> bool:
    """A question for the signatories: a verb of signing ("signs", "undertecknat",
    "skrivit under")."""
    return _has_verb(text, "signing_verbs")


def asks_who_made(text: str) -> bool:
    """A question for the makers of something: "who did/wrote", "vem genomförde"."""
    return _has_verb(text, "authoring_verbs")


PUNCTUATION = re.compile(r"[^\w\s-]")


def _has_verb(text: str, key: str) -> bool:
    low = " " + PUNCTUATION.sub(" ", text.lower()) + " "
    return any(f" {verb} " in low for verb in words_of("question_words", key))


def signature_blocks(lines: Sequence[str], is_name: IsName) -> list[Signature]:
    """The document's first run of signature blocks: runs of short lines without
    figures (no phone number, no amount) opening on a person's name, separated by
    blank lines only."""
    found: list[Signature] = []
    run: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], start=1):
        text = line.strip()
        if text:
            run.append((number, text))
            continue
        block = _signature(run, is_name)
        run = []
        if block is not None:
            found.append(block)
        elif found and number > found[-1].line_end + 1:
            break  # text after the blocks: the run of signatures has ended
    return found


def _signature(run: list[tuple[int, str]], is_name: IsName) -> Signature | None:
    if not MIN_BLOCK_LINES <= len(run) <= MAX_BLOCK_LINES:
        return None
    texts = [t for _, t in run]
    if any(len(t) > BLOCK_LINE_CHARS or any(c.isdigit() for c in t) for t in texts):
        return None
    if not (NAME_LINE.match(texts[0]) and is_name(texts[0])):
        return None
    return Signature(texts[0], tuple(texts[1:]), run[0][0], run[-1][0])


def byline(lines: Sequence[str], is_name: IsName) -> Signature | None:
    """The line right under the document's title when it names people."""
    texts = [(n, t.strip()) for n, t in enumerate(lines, start=1) if t.strip("-# \t")]
    if len(texts) < 2:
        return None
    number, text = texts[1]
    short = len(text) <= MAX_BYLINE_CHARS and not text.endswith(".")
    if short and any(is_name(m.group(0)) for m in NAME_PAIR.finditer(text)):
        return Signature(text, (), number, number)
    return None


def compose_signatories(
    query: Query,
    doc: str,
    blocks: Sequence[Signature],
    builder: CitationBuilder,
) -> Draft:
    """'Undertecknat av Hannu Högberg (Bitr. kommundirektör, Enköpings kommun) och
    Daniel Nilsson (Ekonomichef, Enköpings kommun) [1]', citing the blocks; a
    byline as 'Namn under titeln: …'."""
    english = query.lang == "en"
    people = [f"{b.name} ({', '.join(b.roles)})" if b.roles else b.name for b in blocks]
    joined = " and " if english else " och "
    names = (
        people[0] if len(people) == 1 else ", ".join(people[:-1]) + joined + people[-1]
    )
    n = builder.cite(doc, None, blocks[0].line_start, blocks[-1].line_end)
    if blocks[0].roles:
        lead = "Signed by" if english else "Undertecknat av"
    else:
        lead = "Named under the title:" if english else "Namn under titeln:"
    return Draft(
        text=f"{lead} {names} [{n}].",
        citations=builder.citations,
        stage="signatories",
    )
