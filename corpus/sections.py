"""Section tree from the heading numbering (not the ``#`` depth), and TOC detection.

Heading kinds, in the order they are tried:
- markdown ``#`` lines and whole-line bold (``**…**``, ``<b>…</b>``);
- plain numbered lines ("7.3 Personal") that continue the numbering seen so far
  and are not part of a numbered list (a neighbouring numbered line).
Numbered headings form the path by their numbers ("7 Ekonomi > 7.3 Personal").
Unnumbered headings nest under the current numbered section, by relative level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from corpus.models import Section
from corpus.text import clean_inline, is_blank, plain

_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_LINE_RE = re.compile(r"^\s*(?:\*\*(.+)\*\*|<b>(.+)</b>)\s*$")
# "7.3 Personal", "2. Marks kommun", "10Nämndens" (missing space)
_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*([A-ZÅÄÖ].*)$")
_PLAIN_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-ZÅÄÖ].*)$")
_LIST_ITEM_RE = re.compile(r"^\s*\d{1,2}[.)]\s")
_TOC_TITLE_RE = re.compile(r"^(innehåll|innehållsförteckning|contents)\b", re.I)
_TOC_ENTRY_RE = re.compile(r"(?:\t|\.{3,})\s*(?:<b>)?\s*\d{1,3}\s*(?:</b>)?\s*$")
# Inside a run of entries, "4 Uppföljning verksamhetsmål 4": a numbered heading and its
# page whose tab or dot leader a PDF extraction lost.
_BARE_START_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\D")
_BARE_TOC_ENTRY_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\D.*\D\d{1,3}\s*$")
# A dotted leader to a page number: a contents line, never a heading.
_LEADER_ENTRY_RE = re.compile(
    r"(?:\.{4,}|…{2,})\s*(?:</?b>)?\s*\d{1,3}\s*(?:</b>)?\s*$"
)
_HEADING_MARK_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
MAX_HEADING_CHARS = 160
BOLD_LEVEL = 7  # a bold-only line ranks below every markdown level


@dataclass(frozen=True)
class Heading:
    line: int
    number: tuple[int, ...]  # () for unnumbered
    title: str
    level: int  # markdown depth, BOLD_LEVEL for bold lines, 0 for plain numbered


def detect_toc(lines: tuple[str, ...]) -> tuple[int, ...]:
    """Line numbers of a table of contents near the top (title + entries)."""
    limit = max(60, len(lines) * 2 // 5)
    n = 0
    while n < min(limit, len(lines)):
        start = n
        title = clean_inline(lines[n]).rstrip(". ")
        if _TOC_TITLE_RE.match(title) or _TOC_ENTRY_RE.search(lines[n]):
            run = _toc_run(lines, n + 1 if _TOC_TITLE_RE.match(title) else n)
            has_title = bool(_TOC_TITLE_RE.match(title))
            if len(run) >= (2 if has_title else 5) and _pages_ascending(lines, run):
                return tuple(range(start + 1, run[-1] + 2))
        n = start + 1
    return ()


def contents_lines(lines: tuple[str, ...]) -> tuple[int, ...]:
    """Line numbers of the table of contents near the top and of every other line
    with a dotted leader to a page number (a second contents list in a file that
    binds several documents, or entries the run missed): never answer text."""
    leaders = {n + 1 for n, line in enumerate(lines) if _LEADER_ENTRY_RE.search(line)}
    return tuple(sorted(leaders.union(detect_toc(lines))))


def _toc_run(lines: tuple[str, ...], n: int) -> list[int]:
    """Indexes of consecutive TOC entries from ``n``, allowing short blank gaps."""
    run: list[int] = []
    blanks = 0
    wrapping = False  # the last line taken was the start of an entry without its page
    while n < len(lines):
        if is_blank(lines[n]):
            blanks += 1
            if blanks > 2:
                break
        elif _TOC_ENTRY_RE.search(lines[n]) or (
            run and _BARE_TOC_ENTRY_RE.search(plain(lines[n]))
        ):
            run.append(n)
            blanks, wrapping = 0, False
        elif run and _continues_entry(lines, n, wrapping or len(run) >= SETTLED_RUN):
            # A numbered entry wrapped over lines, or one whose page was lost.
            run.append(n)
            blanks, wrapping = 0, True
        else:
            break
        n += 1
    return run


# After this many entries a run is a contents list: an unnumbered line in it that
# an entry follows is a wrapped entry or a group heading, not the text after it.
SETTLED_RUN = 3
LOOKAHEAD_LINES = 3  # non-blank lines an entry may wrap over in a PDF extraction


def _is_entry(line: str) -> bool:
    """An entry's end: a page after a tab or leader, after a numbered heading, or a
    page alone on its line (the end of a wrapped entry)."""
    text = plain(line).strip()
    return bool(
        _TOC_ENTRY_RE.search(line)
        or _BARE_TOC_ENTRY_RE.search(text)
        or re.fullmatch(r"\d{1,3}", text)
    )


def _continues_entry(lines: tuple[str, ...], n: int, wrapping: bool) -> bool:
    """Inside a contents run, a line without a tab that starts a numbered entry
    (or, ``wrapping``, continues one or stands in a run of several entries: an
    unnumbered entry wrapped over two lines, a group heading without a page) and
    that an entry's end follows within a few lines. A table's caption or header
    line ("Tabell 3.", "Mått<TAB>Värde") and a sentence are not."""
    # A contents line a PDF printed in a heading's font is still a contents line.
    text = plain(_HEADING_MARK_RE.sub("", lines[n]))
    if "\t" in lines[n] or len(text) > 120:
        return False
    if not (wrapping or _BARE_START_RE.match(text)) or text.rstrip().endswith("."):
        return False
    ahead = [line for line in lines[n + 1 : n + 8] if not is_blank(line)]
    return any(_is_entry(line) for line in ahead[:LOOKAHEAD_LINES])


def _pages_ascending(lines: tuple[str, ...], run: list[int]) -> bool:
    # Pages of the entries themselves (not of wrapped lines or lost-page entries).
    pages = [
        int(re.findall(r"\d+", plain(lines[i]))[-1]) for i in run if _is_entry(lines[i])
    ]
    rises = sum(b >= a for a, b in pairwise(pages))
    return rises >= 0.9 * (len(pages) - 1)


def _is_successor(number: tuple[int, ...], current: tuple[int, ...]) -> bool:
    """True if ``number`` plausibly follows ``current`` (child, next sibling, ...)."""
    if not current:
        return number[0] <= 2 and all(part <= 2 for part in number[1:])
    if number == (*current, 1):
        return True
    for depth in range(len(current)):
        if number[:depth] == current[:depth] and len(number) == depth + 1:
            return 1 <= number[depth] - current[depth] <= 2
    return False


def find_headings(lines: tuple[str, ...], skip: set[int]) -> list[Heading]:
    """All headings; ``skip`` holds 1-based line numbers to ignore (TOC, tables)."""
    headings: list[Heading] = []
    current: tuple[int, ...] = ()
    sentences_are_text = _marks_unnumbered_headings(lines)
    for index, raw in enumerate(lines):
        line_no = index + 1
        if (
            line_no in skip
            or "\t" in raw
            or is_blank(raw)
            or _LEADER_ENTRY_RE.search(raw)
        ):
            continue
        heading = _markup_heading(raw, line_no)
        if heading is None:
            heading = _plain_numbered(lines, index, current, sentences_are_text)
        if heading is None:
            continue
        if heading.number:
            current = heading.number
        headings.append(heading)
    return headings


def _markup_heading(raw: str, line_no: int) -> Heading | None:
    md = _MD_HEADING_RE.match(raw)
    bold = None if md else _BOLD_LINE_RE.match(raw)
    if md:
        marked = md[2]
    elif bold:
        marked = bold[1] or bold[2]
    else:
        return None
    text = plain(marked)
    if not text or len(text) > MAX_HEADING_CHARS:
        return None
    if bold and text.endswith("."):
        return None  # a bold sentence, not a heading
    level = len(md[1]) if md else BOLD_LEVEL
    numbered = _NUMBERED_RE.match(text)
    if numbered:
        number = tuple(int(p) for p in numbered[1].split("."))
        return Heading(line_no, number, numbered[2].strip(), level)
    return Heading(line_no, (), text, level)


def _marks_unnumbered_headings(lines: tuple[str, ...]) -> bool:
    """The document marks its headings (a PDF's, by their style) and numbers none
    of them: a numbered sentence in it is a footnote or a note ("8 Hållbart
    medarbetarengagemang (HME) är ett index ..."), not a heading the markup
    missed, as a numbered line continuing numbered headings may be."""
    marked = [
        h
        for n, raw in enumerate(lines, 1)
        if (h := _markup_heading(raw, n)) is not None
    ]
    return bool(marked) and not any(h.number for h in marked)


def _plain_numbered(
    lines: tuple[str, ...],
    index: int,
    current: tuple[int, ...],
    sentences_are_text: bool = False,
) -> Heading | None:
    """A plain numbered line as a heading (see ``_marks_unnumbered_headings`` for
    ``sentences_are_text``)."""
    text = lines[index].strip()
    match = _PLAIN_NUMBERED_RE.match(text)
    if not match or len(text) > MAX_HEADING_CHARS:
        return None
    # A footnote's number is one level ("8 Hållbart ... är ett index."); "1.1
    # Tilläggsisolera, byta fönster osv." is a section's.
    footnote = sentences_are_text and "." not in match[1]
    if text.endswith((".", "!", "?")) and (
        footnote or _sibling_beside(lines, index, match[1])
    ):
        return None  # a numbered list of sentences ("1. Att verka ... .", "2. ...")
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if after[:1].islower() or after[:1].isdigit():
        # The line runs on into the next one ("5. År 2025 ska ... till högst" /
        # "300 kg per person/år."): a numbered sentence a PDF wrapped, no heading.
        return None
    neighbours = [lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    if any(_LIST_ITEM_RE.match(n) or _PLAIN_NUMBERED_RE.match(n) for n in neighbours):
        return None  # part of a numbered list
    number = tuple(int(p) for p in match[1].split("."))
    if not _is_successor(number, current):
        return None
    return Heading(index + 1, number, match[2].strip(), 0)


def _sibling_beside(lines: tuple[str, ...], index: int, number: str) -> bool:
    """The nearest non-blank line above or below is numbered at the same depth
    with the number before or after ``number`` ("1." beside "2.")."""
    parts = [int(p) for p in number.split(".")]
    siblings = {".".join(map(str, [*parts[:-1], parts[-1] + step])) for step in (-1, 1)}
    for step in (-1, 1):
        k = index + step
        while 0 <= k < len(lines) and is_blank(lines[k]):
            k += step
        found = (
            _PLAIN_NUMBERED_RE.match(lines[k].strip()) if 0 <= k < len(lines) else None
        )
        if found and found[1] in siblings:
            return True
    return False


def _stem(title: str) -> str:
    words = re.findall(r"[a-zåäöé]+", title.lower())
    return " ".join(words[:2])


def build_sections(
    doc: str, lines: tuple[str, ...], headings: list[Heading], front_title: str
) -> list[Section]:
    """Sections in document order; each runs to the line before the next heading."""
    starts: list[tuple[int, str, str, tuple[str, ...]]] = []
    if not headings or headings[0].line > 1:
        starts.append((1, "", front_title, (front_title,)))
    numbered_path: dict[tuple[int, ...], str] = {}
    current: tuple[int, ...] = ()
    stack: list[tuple[int, str]] = []  # unnumbered (effective level, label)
    children_seen: dict[tuple[tuple[int, ...], int], set[str]] = {}
    for heading in headings:
        if heading.number:
            current = heading.number
            label = f"{'.'.join(map(str, current))} {heading.title}"
            numbered_path = {
                k: v for k, v in numbered_path.items() if current[: len(k)] == k
            }
            numbered_path[current] = label
            stack = []
            path = tuple(numbered_path[k] for k in sorted(numbered_path, key=len))
            starts.append(
                (heading.line, ".".join(map(str, current)), heading.title, path)
            )
            continue
        stem = _stem(heading.title)
        depth = next(
            (i for i, (lvl, _) in enumerate(stack) if lvl >= heading.level), None
        )
        level = heading.level
        if depth is not None:
            # A heading that recurs under each sibling ("Allmänt" under every
            # "Område N") keeps that relative place even at a shallower # level.
            if stem in children_seen.get((current, depth), set()) and stem != _stem(
                stack[depth][1]
            ):
                depth += 1
                level = stack[depth - 1][0] + 1
            stack = stack[:depth]
        if stack:
            children_seen.setdefault((current, len(stack) - 1), set()).add(stem)
        stack.append((level, heading.title))
        base = tuple(numbered_path[k] for k in sorted(numbered_path, key=len))
        if not base and starts and starts[0][1] == "" and starts[0][0] == 1:
            base = (front_title,)
        path = base + tuple(label for _, label in stack)
        starts.append((heading.line, "", heading.title, path))
    sections: list[Section] = []
    for i, (start, number, title, path) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        sections.append(Section(doc, number, title, path, start, end))
    return sections
