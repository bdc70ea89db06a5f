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


def _candidates(part: BriefPart, meta: DocumentMeta) -> Iterator[str]:
    organ = re.sub(r"\s*\(.*?\)", "", meta.organ.split("/")[0]).strip()
    for item in part.items:
        if part.key in ("mission", "vision") and item.citations:
            heading = item.citations[0].section.split(" > ")[-1]
            if heading.endswith("?"):  # a heading that asks ("Vad är X?")
                yield re.sub(r"^[\d.]+\s+", "", heading)
        # The body's own mission, asked only when the part's text names the body.
        named = organ and organ.lower()[:8] in f"{item.text} {_section(item)}".lower()
        if part.key == "mission" and named:
            yield f"Vad ansvarar {_first_lower(organ)} för?"
            yield f"Vad är {_genitive(_first_lower(organ))} uppdrag?"
        elif part.key == "vision" and meta.municipality:
            yield f"Vad är {_genitive(meta.municipality)} vision?"
        elif part.key == "goals":
            indicator = _field(item, "Indikator")
            target = _field(item, "Målvärde").split(":")[0]
            outcome = _field(item, "Senaste utfall").split(":")[0]
            if indicator and target:
                yield f"Vad är {_first_lower(target)} för {_first_lower(_short(indicator))}?"
            if indicator and outcome:
                yield f"Vad är {_first_lower(outcome)} för {_first_lower(_short(indicator))}?"
            goal = _field(item, "Mål")
            numbered = re.match(r"(?i)^(mål\s*\d+)\b", goal)
            if not indicator and numbered:
                yield f"Hur går det med {numbered[1].lower()}?"
            elif not indicator and goal:
                yield f"Hur går det med målet {_first_lower(_short(goal))}?"
        elif part.key == "economy" and item.fields:
            label = item.text.split(" (")[0].split(" – ")[0]
            named = [f for f, _ in item.fields if re.match(r"(?i)budget|prognos", f)]
            column = (named or [item.fields[-1][0]])[-1]
            yield f"Vad är {_first_lower(label)} {_first_lower(column)}?"
        elif part.key == "risks":
            name = _field(item, "Risk")
            if len(item.fields) > 1:
                yield f"Vilket {_first_lower(item.fields[1][0])} har risken {_first_lower(_short(name))}?"
        elif part.key == "assignments":
            name = _field(item, "Uppdrag")
            yield f"Vad är status för uppdraget {_first_lower(_short(name))}?"
        elif part.key == "abbreviations" and "vanlig förkortning" not in item.text:
            yield f"Vad står {item.text.split(' – ')[0]} för?"


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
