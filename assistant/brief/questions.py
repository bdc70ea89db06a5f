"""Questions to ask next: drawn from the brief's own items, each asked through the
assistant (restricted to the document) and kept only when it is answered."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from assistant.brief.models import BriefItem, BriefPart
from assistant.models import Answer, Filters
from corpus.models import DocumentMeta

MAX_WORDS = 9  # a question names a long row by its first words
MAX_ASKED = 14  # questions tried at most (each is a full `ask`)

Ask = Callable[[str, Sequence[str], Filters | None], Answer]


def _short(text: str, words: int = MAX_WORDS) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:")
    text = re.sub(r"^\d{1,3}[.)]\s*(?:[a-z]\s+)?", "", text)  # "22. a Chefsfrågor"
    parts = text.split(" ")
    return " ".join(parts[:words]) if len(parts) > words else text


def _first_lower(text: str) -> str:
    """Lower-case the first letter unless the first word is an abbreviation or name."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first.isupper() or first[1:].lower() != first[1:]):
        return text
    return text[:1].lower() + text[1:]


def _genitive(name: str) -> str:
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def _field(item: BriefItem, name: str) -> str:
    return dict(item.fields).get(name, "")


def _section(item: BriefItem) -> str:
    return item.citations[0].section if item.citations else ""


def _organ(meta: DocumentMeta) -> str:
    """The body's name without its parenthesised abbreviation or second organ."""
    return re.sub(r"\s*\(.*?\)", "", meta.organ.split("/")[0]).strip()


def _asking_heading(item: BriefItem) -> Iterator[str]:
    """A heading that asks ("Vad är X?") is itself a question."""
    if item.citations:
        heading = item.citations[0].section.split(" > ")[-1]
        if heading.endswith("?"):
            yield re.sub(r"^[\d.]+\s+", "", heading)


def _mission(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    yield from _asking_heading(item)
    organ = _organ(meta)
    # The body's own mission, asked only when the part's text names the body.
    if organ and organ.lower()[:8] in f"{item.text} {_section(item)}".lower():
        yield f"Vad ansvarar {_first_lower(organ)} för?"
        yield f"Vad är {_genitive(_first_lower(organ))} uppdrag?"


def _vision(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    yield from _asking_heading(item)
    if meta.municipality:
        yield f"Vad är {_genitive(meta.municipality)} vision?"


def _goals(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    indicator = _field(item, "Indikator")
    if indicator:
        about = _first_lower(_short(indicator))
        for column in ("Målvärde", "Senaste utfall"):
            value = _field(item, column).split(":")[0]
            if value:
                yield f"Vad är {_first_lower(value)} för {about}?"
        return
    goal = _field(item, "Mål")
    numbered = re.match(r"(?i)^(mål\s*\d+)\b", goal)
    if numbered:
        yield f"Hur går det med {numbered[1].lower()}?"
    elif goal:
        yield f"Hur går det med målet {_first_lower(_short(goal))}?"


def _economy(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    if not item.fields:
        return
    label = item.text.split(" (")[0].split(" – ")[0]
    planned = [f for f, _ in item.fields if re.match(r"(?i)budget|prognos", f)]
    column = (planned or [item.fields[-1][0]])[-1]
    yield f"Vad är {_first_lower(label)} {_first_lower(column)}?"


def _risks(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    name = _field(item, "Risk")
    if len(item.fields) > 1:
        yield f"Vilket {_first_lower(item.fields[1][0])} har risken {_first_lower(_short(name))}?"


def _assignments(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    name = _field(item, "Uppdrag")
    yield f"Vad är status för uppdraget {_first_lower(_short(name))}?"


def _abbreviations(item: BriefItem, meta: DocumentMeta) -> Iterator[str]:
    if "vanlig förkortning" not in item.text:
        yield f"Vad står {item.text.split(' – ')[0]} för?"


# The questions each part's items lead to, by part key.
_ASKERS: dict[str, Callable[[BriefItem, DocumentMeta], Iterator[str]]] = {
    "mission": _mission,
    "vision": _vision,
    "goals": _goals,
    "economy": _economy,
    "risks": _risks,
    "assignments": _assignments,
    "abbreviations": _abbreviations,
}


def _candidates(part: BriefPart, meta: DocumentMeta) -> Iterator[str]:
    asker = _ASKERS.get(part.key)
    if asker is None:
        return
    for item in part.items:
        yield from asker(item, meta)


def suggest_questions(
    parts: Sequence[BriefPart],
    meta: DocumentMeta,
    ask: Ask,
    wanted: int = 5,
) -> tuple[str, ...]:
    """Up to ``wanted`` questions from different parts, each answered (not refused)
    by ``ask`` within the document."""
    pools = [list(dict.fromkeys(_candidates(p, meta))) for p in parts if p.items]
    ordered: list[str] = []
    depth = 0
    while any(depth < len(p) for p in pools):
        ordered += [p[depth] for p in pools if depth < len(p)]
        depth += 1
    kept: list[str] = []
    filters = Filters(doc=meta.doc)
    for question in list(dict.fromkeys(ordered))[:MAX_ASKED]:
        if len(kept) >= wanted:
            break
        answer = ask(question, (), filters)
        if not answer.refused and answer.citations:
            kept.append(question)
    return tuple(kept)
