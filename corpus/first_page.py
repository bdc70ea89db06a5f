"""Metadata printed on a document's first page, for any format.

Fed with the first page's lines (a PDF's page 1, a text file's or DOCX's first
lines) and, where the format knows them, each line's font size: the title is the
largest text (or, without sizes, the first line that is not a page marker, case
number or date), then the body (nämnd/styrelse/förvaltning), "X kommun", the date
and the case number (diarienummer) found anywhere on the page.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "layout_words.toml"
MAX_TITLE_CHARS = 120


@dataclass(frozen=True)
class PageLine:
    """One line of the first page; ``size`` is the font size in points if known."""

    text: str
    size: float | None = None
    bold: bool = False


@dataclass(frozen=True)
class FirstPageMeta:
    title: str = ""
    organ: str = ""
    municipality: str = ""
    date: str = ""  # ISO yyyy-mm-dd
    dnr: str = ""  # "KS 2024/628"
    kind: str = ""  # "delårsrapport"
    year: int | None = None
    period: str = ""  # "2024-2025" when the title spans years


@cache
def words() -> dict[str, list[str]]:
    """The word lists of ``corpus/data/layout_words.toml``."""
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    w = words()
    alt = "|".join
    page_word = alt(re.escape(x) for x in w["page_words"])
    page_of = alt(re.escape(x) for x in w["page_of_words"])
    labels = alt(re.escape(x) for x in sorted(w["dnr_labels"], key=len, reverse=True))
    suffix = alt(w["body_suffixes"])
    months = alt(w["months"])
    date_labels = alt(w["date_labels"])
    not_body_starts = alt(w["open_endings"])
    place = r"[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?"
    not_places = alt(x.capitalize() for x in w["not_place_words"])
    return {
        # "1 (9)", "Sida 2 av 9", "2/9", "- 2 -", "12"
        "page_marker": re.compile(
            rf"^(?:(?:{page_word})\s*)?\d{{1,4}}(?:\s*(?:\(\s*\d{{1,4}}\s*\)|"
            rf"(?:{page_of})\s*\d{{1,4}}))?$|^[-–—]\s*\d{{1,4}}\s*[-–—]$",
            re.IGNORECASE,
        ),
        # "Dnr KS 2024/628", "Diarienummer: KS2023/623", "KS 2023.0412"
        "dnr": re.compile(
            rf"(?:\b(?:{labels})\s*:?\s*)([A-ZÅÄÖ]{{1,6}}[- ]?\d{{2,4}}[/.:-]\d{{1,6}}"
            rf"(?:[-:.]\d{{1,4}})?|\d{{4}}[/.:-]\d{{1,6}})",
            re.IGNORECASE,
        ),
        "bare_dnr": re.compile(r"\b([A-ZÅÄÖ]{2,5}) ?((?:19|20)\d\d/\d{1,6})\b"),
        # "Kommunstyrelsen", "Barn- och utbildningsnämnden" (genitive "-s" dropped)
        # "Nämnden för Intraservice", "Styrelsen för ..." (Göteborg's names)
        "body": re.compile(
            rf"\b([A-ZÅÄÖ][a-zåäöé]*-,? (?:och|samt) [a-zåäöé-]*(?:{suffix})"
            rf"|(?:Nämnden|Styrelsen) för (?!(?:{not_body_starts})\b)[\wåäöÅÄÖé-]+"
            rf"(?: (?:och|samt) [\wåäöé-]+)?"
            rf"|[A-ZÅÄÖ][a-zåäöé-]*(?:{suffix}))s?\b"
        ),
        # "Borlänge kommun(s)", "Göteborgs Stad(s)", "Region Skåne", "Stockholms
        # läns landsting"; the genitive "-s" after kommun/stad is dropped.
        "municipality": re.compile(
            rf"\b((?!(?:{not_places})\b){place} (?:kommun|[Ss]tad|läns landsting))s?\b"
            rf"|\b(Region {place})\b"
        ),
        "iso_date": re.compile(r"\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b"),
        "text_date": re.compile(
            rf"\b([0-3]?\d)\s+({months})\s+((?:19|20)\d\d)\b", re.IGNORECASE
        ),
        "date_label": re.compile(rf"\b(?:{date_labels})\b", re.IGNORECASE),
        "year": re.compile(r"\b((?:19|20)\d\d)\b"),
        "period": re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)\b"),
    }


def is_page_marker(text: str) -> bool:
    """ "1 (9)", "Sida 2 av 9", "2/9", "- 2 -" or a lone page number."""
    return bool(_patterns()["page_marker"].match(text.strip()))


def find_dnr(text: str) -> str:
    """The case number in ``text`` ("Dnr KS 2024/628" -> "KS 2024/628"), or ""."""
    p = _patterns()
    found = p["dnr"].search(text)
    if found:
        # "KS2023/623" and "KS 2023/623" are the same case number.
        return re.sub(r"^([A-ZÅÄÖ]+)[- ]?(?=\d)", r"\1 ", found[1].strip())
    bare = p["bare_dnr"].search(text)
    return f"{bare[1]} {bare[2]}" if bare else ""


def find_date(text: str) -> str:
    """The first date in ``text`` as yyyy-mm-dd ("12 mars 2024" too), or ""."""
    p = _patterns()
    iso = p["iso_date"].search(text)
    spelled = p["text_date"].search(text)
    if iso and (not spelled or iso.start() < spelled.start()):
        return iso[0]
    if spelled:
        month = words()["months"].index(spelled[2].lower()) + 1
        return f"{spelled[3]}-{month:02d}-{int(spelled[1]):02d}"
    return ""


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>|[#*]", "", text).strip()


def _is_title_candidate(text: str) -> bool:
    return (
        bool(text)
        and "\t" not in text
        and len(text) <= MAX_TITLE_CHARS
        and re.search(r"[A-Za-zÅÄÖåäö]{3}", text) is not None
        and not is_page_marker(text)
        and not re.match(r"^\d{1,2}(?:\.\d{1,2})*\.?\s", text)  # a numbered chapter
        and not find_dnr(text)
        and not (find_date(text) and len(text) <= 30)
    )


def _title(lines: list[PageLine]) -> str:
    sized = [ln for ln in lines if ln.size is not None and _is_title_candidate(ln.text)]
    if sized:
        largest = max(ln.size or 0.0 for ln in sized)
        if largest > min(ln.size or 0.0 for ln in sized) + 0.5:
            # A title wrapped over lines: consecutive lines in the largest size.
            start = next(
                i
                for i, ln in enumerate(lines)
                if ln.size == largest and _is_title_candidate(ln.text)
            )
            parts: list[str] = []
            for ln in lines[start:]:
                if ln.size != largest or not _is_title_candidate(ln.text):
                    break
                parts.append(ln.text)
            return " ".join(parts)[: MAX_TITLE_CHARS * 2]
        return ""  # no text stands out: no title printed (the file name serves)
    # Without sizes: the first line naming a kind of document ("Verksamhetsplan
    # 2025"), else the first line that can be a title.
    candidates = [ln.text for ln in lines if _is_title_candidate(ln.text)][:20]
    named = next((t for t in candidates if find_kind(t)), "")
    return named or (candidates[0] if candidates else "")


def find_kind(text: str) -> str:
    """The first kind of document named in ``text`` ("delårsrapport"), or ""."""
    lowered = text.lower()
    return next((k for k in words()["document_kinds"] if k in lowered), "")


def _municipality(
    title: str, text: str, running: Sequence[str], rest: Sequence[str]
) -> str:
    """ "X kommun" in the title or a running header/footer; else, of those on the
    first page, the one the document names most (a cover may name a region or a
    partner too); else the one the document names most, if at least twice and
    more often than all others together (a federation's report that names its
    members, once or twice each, belongs to none of them)."""
    pattern = _patterns()["municipality"]
    for source in (title, "\n".join(running)):
        found = pattern.search(source)
        if found:
            return found[1] or found[2]
    names: Counter[str] = Counter()
    printed: dict[str, Counter[str]] = {}
    for line in (text, *rest):
        for found in pattern.finditer(line):
            name = found[1] or found[2]
            names[name.lower()] += 1
            printed.setdefault(name.lower(), Counter())[name] += 1
    on_page = {(found[1] or found[2]).lower(): None for found in pattern.finditer(text)}
    ranked = sorted(on_page, key=lambda key: -names[key]) or [
        key
        for key, count in names.most_common(1)
        if count >= 2 and count > names.total() - count
    ]
    return printed[ranked[0]].most_common(1)[0][0] if ranked else ""


# A name of two or three capitalised words ("Tolkförmedling Väst").
_NAME_RE = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+(?: [A-ZÅÄÖ][a-zåäöé]+){1,2}\b")
# A name the prose says this often is what the document is about, not a mention.
MIN_NAME_REPEATS = 5


def _repeated_name(rest: Sequence[str]) -> str:
    """The name the document's prose (no table rows) repeats most, at least
    ``MIN_NAME_REPEATS`` times: the owner of a document that names no
    municipality and no body of one (a federation's or a company's report)."""
    names: Counter[str] = Counter()
    for line in rest:
        if "\t" not in line:
            names.update(found[0] for found in _NAME_RE.finditer(_plain(line)))
    best = names.most_common(1)
    return best[0][0] if best and best[0][1] >= MIN_NAME_REPEATS else ""


def _year(title: str, text: str, running: Sequence[str]) -> int | None:
    """The title's year, else a running header/footer's ("2025 ÅRSBOKSLUT"),
    else the first on the page; dates and case numbers are not years."""
    p = _patterns()
    for source in (title, "\n".join(running), text):
        found = p["year"].search(p["iso_date"].sub("", p["dnr"].sub("", source)))
        if found:
            return int(found[1])
    return None


def read_first_page(
    lines: list[PageLine] | tuple[PageLine, ...],
    running: Sequence[str] = (),
    rest: Sequence[str] = (),
) -> FirstPageMeta:
    """Title, body, municipality, date, case number, year and period of a document;
    ``running``: its running headers/footers, ``rest``: all its lines (for the
    municipality it names most when the first page names none)."""
    cleaned = [PageLine(_plain(ln.text), ln.size, ln.bold) for ln in lines]
    cleaned = [ln for ln in cleaned if ln.text]
    title = _title(cleaned)
    text = "\n".join(ln.text.replace("\t", " ") for ln in cleaned)
    p = _patterns()
    body = p["body"].search(title) or p["body"].search(text)
    labelled = [ln.text for ln in cleaned if p["date_label"].search(ln.text)]
    date = next((d for d in map(find_date, labelled) if d), "") or find_date(text)
    dnr = next((d for d in (find_dnr(ln.text) for ln in cleaned) if d), "")
    kind = find_kind(title) or find_kind(text)
    period = p["period"].search(title)
    municipality = _municipality(title, text, running, rest)
    organ = body[1] if body else "" if municipality else _repeated_name(rest)
    return FirstPageMeta(
        title=title,
        organ=organ,
        municipality=municipality,
        date=date,
        dnr=dnr,
        kind=kind,
        year=int(period[1]) if period else _year(title, text, running),
        period=f"{period[1]}-{period[2]}" if period else "",
    )
