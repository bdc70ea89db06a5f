"""Read a question: language, municipality/document hints, years, metric, follow-ups.

``interpret(question, history, catalog)`` returns a :class:`Query`. Slots the new
question leaves open are carried from earlier questions of the same chat, so that
"Och för 2024?" after a budget question keeps the municipality and the metric.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from assistant.language.glossary import english_terms, swedish_for
from assistant.language.lexicon import words_of
from assistant.language.textmatch import stem
from assistant.language.vocabulary import (
    BACK_REFERENCES,
    ENGLISH_MARKERS,
    FOLLOWUP_CUES,
    LIST_CUES,
    METRIC_WORDS,
    MONTH_ABBREVIATIONS,
    NUMBER_CUES,
    PERSON_CUES,
    ROLE_WORDS,
    STOPWORDS,
    SWEDISH_MARKERS,
    YEAR_RE,
    content_words,
    detect_language,
    fold,
    names_kind,
    swedish_municipalities,
    words,
)
from assistant.models import Query
from assistant.reading.bodies import is_body_head, is_body_word
from assistant.reading.counted import counted_noun
from corpus.lexicon import swedish
from corpus.models import DocumentMeta

# "från 2021 till delåret 2023", "from 2021 to 2023": a development over a span
# asks for every year in it ("mellan 2022 och 2024" asks for a change: two years).
YEAR_SPAN_RE = re.compile(
    r"\b(?:från|from)\s+(?:\w+\s+){0,2}?(19[5-9]\d|20[0-9]\d)\s+"
    r"(?:fram\s+)?(?:till|to|until|through)\s+(?:\w+\s+){0,2}?(19[5-9]\d|20[0-9]\d)\b",
    re.IGNORECASE,
)
MAX_SPAN_YEARS = 10


def _asked_years(question: str) -> tuple[int, ...]:
    """The years the question names, with every year of a span it asks over."""
    years = {int(y) for y in YEAR_RE.findall(question)}
    for match in YEAR_SPAN_RE.finditer(question):
        first, last = int(match[1]), int(match[2])
        if 0 < last - first < MAX_SPAN_YEARS:
            years.update(range(first, last + 1))
    return tuple(sorted(years))


# "i Umeå", "in Umeå", "Umeå kommun", "Umeås kommun", "municipality of Umeå"
PLACE_RE = re.compile(
    r"(?:\b(?:i|in|för|for|of)\s+([A-ZÅÄÖ][a-zåäöé]{2,})"
    r"(?=\s*(?:[?.!,;:]|$|och\b|and\b|för\b|for\b|in\b|i\b|år\b|\d)))"
    r"|(?:\b([A-ZÅÄÖ][a-zåäöé]{2,}?)s?\s+kommun\b)"
)
# "Umeås driftbudget", "Umeå's board": a capitalised genitive before a noun (a
# place only when the noun is something a municipality owns: see owned_by_place).
GENITIVE_RE = re.compile(
    r"(?<!^)(?<![.?!]\s)\b([A-ZÅÄÖ][a-zåäöé]{2,})(?:s|['’]s)\s+([A-Za-zÅÄÖåäö]+)"
)
MAX_QUESTION_CHARS = 2000
TIME_CUES = re.compile(
    r"\s*(?:när|vilket datum|vilken dag|vilket år|vilka år|when|what date|since when"
    r"|what years?|which years?)\b"
)
REF_RE = re.compile(
    r"\b(mål|målet|område|området|avsnitt|avsnittet|kapitel|kapitlet|bilaga|"
    r"goal|area|section|chapter|appendix)\s+(\d{1,2}(?:\.\d{1,2})*)\b",
    re.I,
)
# "Vilka genomförde ...?", "Vilka skrev ...?": plural who-questions (past-tense verb).
PAST_TENSE_WHO = re.compile(
    r"^\s*vilka\s+(?:genomförde|gjorde|skrev|undertecknade|signerade|deltog|ledde|"
    r"utförde|höll|ansvarade|beslutade|intervjuade)\b"
)


@dataclass(frozen=True)
class Catalog:
    """What the index holds: document metadata and the words of the corpus."""

    documents: tuple[DocumentMeta, ...]
    vocabulary: frozenset[str]
    # Words the corpus writes as names (``names_written``): "mark" in a chat's
    # lower case is the place Mark where the documents write "Mark".
    names: frozenset[str] = frozenset()

    def municipalities(self) -> list[str]:
        return sorted({d.municipality for d in self.documents if d.municipality})

    def meta(self, doc: str) -> DocumentMeta | None:
        return next((d for d in self.documents if d.doc == doc), None)


def municipality_names(municipality: str) -> set[str]:
    """Forms a question may use. Example: "Marks kommun" -> {"Mark", "Marks"}."""
    base = re.sub(r"\s+(kommun|stad|region)$", "", municipality.strip(), flags=re.I)
    names = {base}
    if base.endswith("s"):
        names.add(base[:-1])
    else:
        names.add(base + "s")
    return {n for n in names if len(n) >= 3}


def _common_word(word: str) -> bool:
    """A word of the language ("mark", "vara"): a place of that name is one only
    when written with a capital. Without the lexicon every word may be one."""
    lexicon = swedish()
    return lexicon is None or lexicon.is_word(word)


def _named_at(
    question: str, municipality: str, names: frozenset[str] = frozenset()
) -> int | None:
    """Where the question first names ``municipality``: with a capital first
    letter ("Mark", not the common noun "mark"), in lower case when the name is
    no word of the language (a chat's "kramfors") or one the corpus writes as a
    name (``names``), or in any case before "kommun"."""
    found = []
    low = question.lower()
    for name in municipality_names(municipality):
        lower = name.lower()
        for match in (
            re.search(rf"\b{re.escape(name)}\b", question),
            re.search(rf"\b{re.escape(lower)}s?\s+kommun", low),
            None
            if _common_word(lower) and lower not in names
            else re.search(rf"\b{re.escape(lower)}\b", low),
        ):
            if match:
                found.append(match.start())
    return min(found, default=None)


def find_municipality(question: str, catalog: Catalog) -> str | None:
    """The catalogued municipality the question names first, if any."""
    found = find_municipalities(question, catalog)
    return found[0] if found else None


def find_municipalities(question: str, catalog: Catalog) -> list[str]:
    """Every catalogued municipality the question names, in the order it names
    them (a comparison answers in that order)."""
    at = {
        m: i
        for m in catalog.municipalities()
        if (i := _named_at(question, m, catalog.names)) is not None
    }
    return sorted(at, key=at.__getitem__)


def every_place(query: Query, catalog: Catalog) -> Query | None:
    """A question about every municipality of the corpus without naming one ("i
    de olika kommunerna", "in each municipality"), without those words: it is
    asked of each place in turn. None for any other question."""
    if query.municipality or find_municipalities(query.text, catalog):
        return None
    low = query.text.lower()
    cue = next(
        (
            c
            for c in words_of("question_words", "every_place_cues")
            if re.search(rf"\b{re.escape(c)}\b", low)
        ),
        None,
    )
    if cue is None:
        return None
    drop = re.compile(
        rf"\s*\b(?:i |in |för |for |mellan |between )?{re.escape(cue)}\b", re.I
    )
    return replace(
        query,
        text=drop.sub("", query.text),
        search_text=drop.sub("", query.search_text),
        topic=drop.sub("", query.topic).strip() or None if query.topic else None,
    )


# A place named as a municipality: "kommunstyrelsen i Falkenberg", "Falkenbergs
# kommun", "the council of Varberg". It must be a municipality of the corpus, even
# when the corpus mentions the name (as a partner, say).
MUNICIPAL_PLACE_RE = re.compile(
    r"\b(?:kommun\w*|\w*nämnd\w*|\w*styrelse\w*|\w*fullmäktige|\w*förvaltning\w*|"
    r"council|board|municipality|administration)\s+(?:i|in|of)\s+([A-ZÅÄÖ][a-zåäöé]{2,})"
    r"|\b([A-ZÅÄÖ][a-zåäöé]{2,}?)s?\s+(?:kommun|municipality)\b"
)


def _may_be_own_place(name: str, catalog: Catalog) -> bool:
    """A place the corpus text names while a document's municipality is unknown (an
    upload without a sidecar whose first page did not say): it may be that
    document's own municipality, so it is no reason to refuse."""
    unattributed = any(not d.municipality for d in catalog.documents)
    return unattributed and (
        name in catalog.vocabulary or name.rstrip("s") in catalog.vocabulary
    )


@cache
def _foreign_owner(question: str, name: str, owned: tuple[str, ...]) -> bool:
    """``name`` is a Swedish municipality and follows "i"/"in" right after something
    a municipality owns ("kommunstyrelsens budget i Borås", "sick leave in Borås"):
    the question asks about that municipality's own body, budget or staff."""
    low = name.lower()
    if not {low, low.removesuffix("s")} & swedish_municipalities():
        return False
    before = re.search(rf"(\w+)\s+(?:i|in|för|for|of)\s+{re.escape(name)}\b", question)
    return before is not None and before[1].lower().startswith(owned)


def _no_place(low: str) -> bool:
    """A capitalised word after "i"/"in" that names no place: a grammar word, a
    question's own word ("Which municipality ...", "Vilken kommun ...") or a
    month ("in June 2023", "the administration in August")."""
    return (
        low in STOPWORDS
        or low in ENGLISH_MARKERS
        or low in SWEDISH_MARKERS
        or low in words_of("question_words", "months")
    )


def find_unknown_place(question: str, catalog: Catalog) -> str | None:
    """A capitalised place-like name the corpus never mentions ("i Umeå"), or a
    municipality the corpus has no documents of ("kommunstyrelsen i Falkenberg")."""
    known = {n.lower() for m in catalog.municipalities() for n in municipality_names(m)}
    for match in MUNICIPAL_PLACE_RE.finditer(question):
        name = (match.group(1) or match.group(2) or "").strip()
        low = name.lower()
        if _no_place(low):
            continue
        unknown = name and low not in known and low.rstrip("s") not in known
        if unknown and not _may_be_own_place(low, catalog):
            return name
    owned = words_of("question_words", "owned_by_place")
    genitives = [
        m.group(1)
        for m in GENITIVE_RE.finditer(question)
        if m.group(2).lower().startswith(owned)
    ]
    found = [
        (m.group(1) or m.group(2) or "").strip() for m in PLACE_RE.finditer(question)
    ]
    for name in [*found, *genitives]:
        if _names_unknown_place(question, name, catalog, known, owned):
            return name
    return _unknown_municipality_named(question, catalog, known)


def _unknown_municipality_named(
    question: str, catalog: Catalog, known: set[str]
) -> str | None:
    """A Swedish municipality that no document belongs to, written without "i"
    or "kommun" ("sundsvall", a chat's lower case; "Kungsbacka's", "driftbudget KS
    Härnösand 2025?") and no word of the language ("mark", "vara" are words
    first): out of scope when the corpus never mentions it, or when the question
    names no place of the corpus but something a municipality owns (then it asks
    about that place, even one the corpus mentions as a neighbour)."""
    municipalities = swedish_municipalities()
    ws = words(question.lower())
    owned = words_of("question_words", "owned_by_place")
    owner_asked = not set(ws) & known and any(
        content.startswith(owned) for w in ws for content in content_words(w)
    )
    for written in ws:
        # The Swedish genitive: "kungsbackas" is Kungsbacka's.
        word = written if written in municipalities else written.removesuffix("s")
        if word not in municipalities or word in known:
            continue
        if _common_word(word) and word not in catalog.names:
            continue
        mentioned = {word, word + "s"} & catalog.vocabulary
        if not mentioned or (owner_asked and not _may_be_own_place(word, catalog)):
            return word.capitalize()
    return None


def _names_unknown_place(
    question: str,
    name: str,
    catalog: Catalog,
    known: set[str],
    owned: tuple[str, ...],
) -> bool:
    """``name`` (after "i"/"in" or a genitive) is a place no document belongs to:
    a word the corpus never uses, or a municipality whose budget, board or staff
    is asked for ("budgeten i Borås": the text names Borås, owns nothing of it)."""
    low = name.lower()
    if not name or _no_place(low) or low in known:
        return False
    if _foreign_owner(question, name, owned):
        return not _may_be_own_place(low, catalog)
    stem_ = low.rstrip("s")
    if low in catalog.vocabulary or stem_ in catalog.vocabulary or stem_ in known:
        return False
    # An inflected or misspelt form of a word the corpus has is no place.
    return not any(w.startswith(low[:6]) for w in catalog.vocabulary if len(low) >= 6)


def find_document(question: str, catalog: Catalog) -> str | None:
    """A document named by a word that occurs in exactly one document's title or kind.

    Words are compared as stems, so "kommunstyrelsens" matches "Kommunstyrelsen" in
    several titles and names no single document.
    """
    places = {
        stem(n)
        for m in catalog.municipalities()
        for n in words(" ".join(municipality_names(m)))
    }
    # Municipality names say where, not which document (they are handled apart).
    qstems = {stem(w) for w in words(question) if len(w) >= 6} - places
    if not qstems:
        return None
    owners: dict[str, set[str]] = {}
    for meta in catalog.documents:
        for w in words(f"{meta.title} {meta.kind} {meta.organ}"):
            owners.setdefault(stem(w), set()).add(meta.doc)
    hits = {next(iter(owners[s])) for s in qstems if len(owners.get(s, ())) == 1}
    return next(iter(hits)) if len(hits) == 1 else None


def _consistent_doc(question: str, catalog: Catalog) -> str | None:
    """The named document, unless the question names another municipality."""
    doc = find_document(question, catalog)
    municipality = find_municipality(question, catalog)
    meta = catalog.meta(doc) if doc else None
    if meta and municipality and meta.municipality != municipality:
        return None
    return doc


# Column kinds that are measured against a budget: an outcome, a forecast, an account.
MEASURED_KINDS = ("utfall", "prognos", "bokslut")


@lru_cache(maxsize=8192)
def find_metrics(question: str) -> tuple[str, ...]:
    """Column kinds the question names, most specific first.

    Example: "avvikelse prognos mot budget" -> ("avvikelse", "prognos", "budget").
    """
    tokens = words(fold(question))
    ws = set(tokens)
    found = tuple(
        metric
        for metric, cues in METRIC_WORDS.items()
        if any(names_kind(w, cues) for w in ws)
    )
    low = f" {' '.join(tokens)} "
    cues = words_of("question_words", "budget_reference_cues")
    if "budget" in found and any(f" {cue} " in low for cue in cues):
        # "Resultatet jämfört med budget": the budget is what an outcome (or a
        # forecast) is measured against, so that, the budget and the deviation
        # are asked, whichever of them the table has.
        head = () if set(MEASURED_KINDS) & set(found) else ("utfall", "prognos")
        tail = () if "avvikelse" in found else ("avvikelse",)
        return (*head, *found, *tail)
    return found


def find_metric(question: str) -> str | None:
    metrics = find_metrics(question)
    return metrics[0] if metrics else None


def is_followup(question: str) -> bool:
    """Elliptic questions that only make sense with the previous one."""
    low = fold(question).strip()
    if any(low.startswith(cue) for cue in FOLLOWUP_CUES):
        return True
    ws = words(low)
    if len(ws) <= 8 and any(w in BACK_REFERENCES for w in ws):
        return True
    topic = [w for w in content_words(low) if not YEAR_RE.fullmatch(w)]
    return len(topic) <= 1 and len(words(low)) <= 5


def clean_question(question: str) -> str:
    text = re.sub(r"\s+", " ", question or "").strip()
    return text[:MAX_QUESTION_CHARS]


def _names_a_role(low: str) -> bool:
    """ "Vad heter förvaltningschefen?" / "What is the name of the director?"."""
    match = re.search(
        r"(?:vad heter|what is the name of|what's the name of)\s+(?:the\s+)?(\w+)", low
    )
    return match is not None and any(role in match.group(1) for role in ROLE_WORDS)


def _with_swedish(question: str) -> str:
    """An English question with the Swedish words for its planning terms appended
    (the documents are Swedish); a Swedish question unchanged."""
    if detect_language(question) != "en":
        return question
    extra = swedish_for(question)
    return f"{question} {' '.join(extra)}" if extra else question


@cache
def _asker_phrase() -> re.Pattern[str]:
    """ "(jag) som ny chef", "jag är ny controller", "as a new manager", "I'm the new
    controller": the asker and their role, which name no topic of the question."""
    new = "|".join(map(re.escape, words_of("question_words", "newcomer_words")))
    return re.compile(
        rf"(?:\bjag\s+)?\bsom\s+(?:{new})\s+[\w-]{{3,}}|\bjag\s+är\s+(?:{new})\s+[\w-]{{3,}}"
        rf"|\b(?:as|i'?m|i\s+am)\s+(?:a|an|the)\s+(?:{new})(?:\s+appointed)?\s+[\w-]{{3,}}",
        re.IGNORECASE,
    )


def without_asker(question: str) -> str:
    """``question`` without the asker's description of themselves.

    Example: without_asker("Vad ska jag som ny chef känna till om budgeten?")
    == "Vad ska känna till om budgeten?"
    """
    stripped = _asker_phrase().sub(" ", question)
    stripped = re.sub(r"\s+([,?.!])", r"\1", re.sub(r"\s+", " ", stripped))
    return stripped.strip(" ,:;") or question


def _read(question: str, catalog: Catalog) -> Query:
    question = without_asker(question)
    low = fold(question)
    wants_person = (
        any(re.search(rf"(?:^|\s){re.escape(c.strip())}\b", low) for c in PERSON_CUES)
        or bool(PAST_TENSE_WHO.match(low))
        or _names_a_role(low)
    )
    # "..., alla kolumner", "the whole row": every cell of the row, of any kind.
    whole_row = any(cue in low for cue in words_of("question_words", "whole_row_cues"))
    # "Vad menas med lägsta acceptabla nivå?" asks what a term means, not a figure.
    asks_meaning = any(cue in low for cue in words_of("question_words", "meaning_cues"))
    wants_number = not asks_meaning and (
        whole_row
        or any(cue in low for cue in NUMBER_CUES)
        or bool(set(words(low)) & set(words_of("question_words", "measure_words")))
        or _asks_amount(low)
        or _bare_at_date(low)
    )
    wants_time = bool(TIME_CUES.match(low)) or _asks_when_last(low)
    # A broad question: an overview cue, and no figure, time or person asked.
    broad = _overview_cued(low) and not (wants_number or wants_time or wants_person)
    # "(avsnitt 11.3)" says where to look, not what about.
    topic = _topic_words(_without_section_refs(question), catalog, broad)
    if cue := TIME_CUES.match(low):
        # "Vilket datum", "what date": the words asking when name no topic.
        topic = [w for w in topic if w not in words(cue[0])]
    years = _asked_years(question)
    # A broad question about a measure is searched by its topic: the words asking
    # for an overview ("Vad ska jag känna till om budgeten") draw in passages
    # about anything, the measure's do not.
    metrics = () if whole_row else find_metrics(question)
    about_measure = broad and bool(metrics) and bool(topic)
    searched = " ".join([*topic, *map(str, years)]) if about_measure else question
    return Query(
        text=question,
        search_text=_with_swedish(searched),
        lang=detect_language(question),
        municipality=find_municipality(question, catalog),
        doc=_consistent_doc(question, catalog),
        years=years,
        metric=None if whole_row else find_metric(question),
        metrics=metrics,
        refs=tuple(
            f"{m.group(1).lower()} {m.group(2)}" for m in REF_RE.finditer(question)
        ),
        wants_person=wants_person,
        topic=" ".join(topic) or None,
        wants_number=wants_number,
        wants_time=wants_time,
        wants_list=any(re.search(rf"\b{re.escape(c)}\b", low) for c in LIST_CUES)
        or bool(WHAT_PLURAL.match(low)),
        wants_overview=broad,
    )


def _without_section_refs(question: str) -> str:
    """``question`` without the sections it names by number ("avsnitt 11.3")."""
    return REF_RE.sub(
        lambda m: " " if m.group(1).lower() in SECTION_WORDS else m.group(0), question
    )


def _bare_at_date(low: str) -> bool:
    """A chat's bare topic at a month ("avtalstrohet enköping augusti 2023?"):
    without a question word, a point in time asks for the value measured then."""
    ws = {MONTH_ABBREVIATIONS.get(w, w) for w in words(low)}  # "aug" is "augusti"
    return bool(ws & set(words_of("question_words", "months"))) and not ws & set(
        words_of("question_words", "interrogatives")
    )


# The shortest amount word that heads compounds ("avgift" in "grundavgift").
MIN_AMOUNT_HEAD = 5


def _asks_amount(low: str) -> bool:
    """The question is about a fee, price or cost, alone or as a compound's head
    ("grundavgift", "mätaravgiften", "driftkostnad"): it asks for its figure."""
    amounts = words_of("question_words", "money_nouns")
    # A short English word is matched whole ("fee", not "coffee").
    return any(
        w == a or (len(a) >= MIN_AMOUNT_HEAD and w.endswith(a))
        for w in words(low)
        for a in amounts
    )


def _overview_cued(low: str) -> bool:
    return any(
        re.search(rf"\b{re.escape(c)}\b", low)
        for c in words_of("question_words", "overview_cues")
    )


# "What focus areas does ... have?": English asks for several things with "what"
# and a plural noun before the verb ("what are" is a list cue already).
WHAT_PLURAL = re.compile(r"what (?:\w+ )?\w{3,}s (?:do|does|did|are|were|have|has)\b")


def _strip_slots(text: str, query: Query, catalog: Catalog) -> str:
    """The previous question without its years and municipality (to be replaced)."""
    text = YEAR_RE.sub("", text)
    if query.municipality:
        for name in municipality_names(query.municipality):
            text = re.sub(rf"\b(i|in)?\s*{re.escape(name)}\b", "", text)
    return re.sub(r"\s+", " ", text).strip(" ?.")


def _names_scope(text: str) -> bool:
    """The text names a body or unit ("socialnämnden", "förvaltningen", "the
    board") or the whole organisation ("hela kommunen", "the whole municipality")."""
    low = text.lower()
    return any(
        is_body_word(w) or is_body_head(w) or w in _english_heads() for w in words(low)
    ) or any(cue in low for cue in words_of("question_words", "whole_organisation"))


def _english_heads() -> tuple[str, ...]:
    return words_of("question_words", "body_heads_en")


def _without_bodies(text: str) -> str:
    """``text`` without the words that name a body or unit, English names of
    one ("municipal executive board": kommunstyrelsen) included."""
    terms, _ = english_terms(text)
    english = {
        w
        for phrase, swedish in terms
        if any(is_body_word(s) for s in swedish.split())
        for w in phrase.split()
    }
    kept = [
        w
        for w in text.split()
        if not (
            (core := w.strip("?.,;:!").lower())
            and (
                is_body_word(core)
                or is_body_head(core)
                or core in _english_heads()
                or core in english
            )
        )
    ]
    return " ".join(kept)


def _names_another(text: str) -> bool:
    """A follow-up that names a thing right after its "och"/"and" ("och
    presidiedagar?"), not a group of the same thing ("och för kvinnorna?")."""
    said = words(text.lower())
    linking = set(words_of("question_words", "head_modifier_words")) | STOPWORDS
    return (
        len(said) > 1
        and said[0] in ("och", "and")
        and said[1].isalpha()
        and said[1] not in linking
    )


def _what_stays(previous: Query, current: Query, catalog: Catalog) -> tuple[str, str]:
    """The previous question's search text without its years and place, and its
    topic (without the thing it counted when the follow-up names another thing to
    count); a follow-up naming its own body or the whole municipality ("Och för
    socialnämnden?", "och för hela kommunen?") replaces the body asked about before."""
    search = _strip_slots(previous.search_text, previous, catalog)
    topic = previous.topic or ""
    # One naming another thing to count ("Hur många byalag ...?" – "och
    # presidiedagar per år?") asks for that count instead of the earlier one.
    replaced = counted_noun(previous.text)
    if replaced and current.topic and _names_another(current.text):
        topic = " ".join(w for w in topic.split() if w not in replaced.split())
    if _names_scope(current.text):
        return _without_bodies(search), _without_bodies(topic)
    return search, topic


def _merge(previous: Query, current: Query, catalog: Catalog) -> Query:
    carried: list[str] = []
    municipality, doc = current.municipality, current.doc
    if municipality is None and doc is None:
        municipality, doc = previous.municipality, previous.doc
        if municipality:
            carried.append("municipality")
        if doc:
            carried.append("doc")
    elif municipality and doc is None and previous.doc:
        meta = catalog.meta(previous.doc)
        if meta and meta.municipality == municipality:
            doc = previous.doc
    years = current.years or previous.years
    or_earlier = False
    if not current.years and previous.years:
        carried.append("years")
        if set(words(current.text)) & set(words_of("question_words", "earlier_cues")):
            years, or_earlier = (min(previous.years) - 1,), True
    metric = current.metric or previous.metric
    if current.metric is None and previous.metric:
        carried.append("metric")
    # "Och året innan?": the cue asks for a period, it names nothing.
    earlier = set(words_of("question_words", "earlier_cues")) if or_earlier else set()
    own_topic = [w for w in _topic_words(current.text, catalog) if w not in earlier]
    own_topic = _referred(own_topic, current.text, previous.text)
    before, before_topic = _what_stays(previous, current, catalog)
    # A follow-up refines the previous topic ("Och för kvinnorna?"), so keep both.
    topic = " ".join(dict.fromkeys([*before_topic.split(), *own_topic])) or None
    if not own_topic:
        carried.append("topic")
    search = f"{before} {current.text}"
    asks = bool(
        set(words(current.text)) & set(words_of("question_words", "interrogatives"))
    )
    wants_person = current.wants_person or (previous.wants_person and not asks)
    return replace(
        current,
        search_text=search.strip(),
        municipality=municipality,
        doc=doc,
        years=years,
        or_earlier=or_earlier,
        metric=metric,
        metrics=current.metrics or previous.metrics,
        topic=topic,
        focus=" ".join(own_topic) or None,
        wants_number=current.wants_number or previous.wants_number,
        wants_list=current.wants_list or previous.wants_list,
        # "Och i Enköping?" after a broad question is broad too.
        wants_overview=(
            current.wants_overview
            or (previous.wants_overview and not asks and not current.wants_number)
        )
        and not wants_person,
        # "Och beslutet om avtalet?" after "När fastställde ...?" asks "när" too;
        # a follow-up with its own question word asks what that word asks.
        wants_time=current.wants_time or (previous.wants_time and not asks),
        wants_person=wants_person,
        lang=current.lang if len(words(current.text)) > 2 else previous.lang,
        carried=tuple(carried),
    )


# "that department", "den avdelningens", "samma förvaltning": a noun pointed back to.
POINTED_BACK = re.compile(
    r"\b(?:that|this|the same|den|denna|detta|samma)\s+([a-zåäöé]{4,})", re.I
)


def _referred(own_topic: list[str], text: str, before: str) -> list[str]:
    """``own_topic`` with a noun pointed back to ("what is that department's
    budget?") replaced by what the question before called it: its compound
    ("IT-avdelningen") or the noun with the word before it ("IT department")."""
    match = POINTED_BACK.search(text)
    if match is None:
        return own_topic
    noun = words(match[1])[0]
    head = stem(noun)
    earlier = content_words(before)
    for i, word in enumerate(earlier):
        if stem(word).endswith(head):
            phrase = earlier[max(0, i - 1) : i + 1] if stem(word) == head else [word]
            return [*phrase, *(w for w in own_topic if w != noun)]
    return own_topic


def _asks_when_last(low: str) -> bool:
    """A chat question whose only question word is a time cue at its end
    ("kommunkompassen mark vilka år", "plan beslutad när?")."""
    ending = next(
        (
            cue
            for cue in words_of("question_words", "time_question_endings")
            if re.search(rf"(?:^|\s){re.escape(cue)}\s*\??\s*$", low)
        ),
        None,
    )
    if ending is None:
        return False
    before = words(low[: low.rstrip(" ?").rfind(ending)])
    return not set(before) & set(words_of("question_words", "interrogatives"))


def _topic_words(text: str, catalog: Catalog, broad: bool = False) -> list[str]:
    """Content words that are not metric words or place names; of a ``broad``
    question ("Vad ska jag känna till om budgeten?") the measure is the topic and
    the words asking for an overview are not."""
    if broad:
        # The words of a phrase that asks for an overview ("känna till", "what
        # should I know"); a one-word cue ("utmaningarna") is what is asked about.
        cues = words_of("question_words", "overview_cues")
        left_out = {w for cue in cues if " " in cue for w in words(cue)}
    else:
        left_out = {c for cues in METRIC_WORDS.values() for c in cues}
        # "Hur mycket återstod av budgeten?": what is left is computed, not sought.
        left_out |= set(words_of("question_words", "remainder_words"))
    places = {
        n.lower() for m in catalog.municipalities() for n in municipality_names(m)
    }
    return [w for w in content_words(text) if w not in left_out and w not in places]


def interpret(
    question: str,
    history: Sequence[str],
    catalog: Catalog,
    *,
    refers_back: bool = False,
) -> Query:
    """Interpret ``question`` in the light of earlier questions of the same chat;
    ``refers_back``: it continues the last of them (a later part of one question
    that speaks of the earlier part's subject).

    Example: history ["Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?"],
    question "Och för 2024?" -> Query(municipality="Marks kommun", years=(2024,),
    metric="budget", carried=("municipality", "metric", "topic"), ...).
    """
    previous: Query | None = None
    for earlier in history:
        text = clean_question(earlier)
        if not text:
            continue
        read = _read(text, catalog)
        previous = (
            _merge(previous, read, catalog)
            if previous and is_followup(text)
            else _carry_place(previous, read, catalog)
        )
    current = _read(clean_question(question), catalog)
    if previous is None:
        return current
    if refers_back or is_followup(current.text):
        return _merge(previous, current, catalog)
    return _carry_place(previous, current, catalog)


def _carry_place(previous: Query | None, current: Query, catalog: Catalog) -> Query:
    """A new, complete question still keeps the chat's municipality if it names none."""
    if previous is None or current.municipality or current.doc:
        return current
    if previous.municipality is None and previous.doc is None:
        return current
    return replace(
        current,
        municipality=previous.municipality,
        doc=previous.doc if previous.doc and current.wants_number else None,
        carried=("municipality",),
    )


SECTION_WORDS = {"avsnitt", "avsnittet", "kapitel", "kapitlet", "section", "chapter"}
THING_STEMS = {
    "målet": "mål",
    "goal": "mål",
    "området": "område",
    "area": "område",
    "bilaga": "bilaga",
    "appendix": "bilaga",
}


def section_matches(ref: str, section_path: str) -> bool:
    """Does a section path hold the numbered thing? "mål 6" matches "5.6 Mål 6 - …";
    "avsnitt 3.1" matches a section numbered 3.1."""
    thing, number = ref.split(" ", 1)
    if thing in SECTION_WORDS:
        return any(p.startswith(f"{number} ") for p in section_path.split(" > "))
    name = THING_STEMS.get(thing, thing)
    return (
        re.search(
            rf"\b{re.escape(name)}\w*\s*{re.escape(number)}\b", section_path, re.I
        )
        is not None
    )


def describe(query: Query) -> str:
    """The "Tolkat som" line. Example: "Marks kommun, budget, 2024"."""
    parts = [
        query.municipality or "",
        query.topic or "",
        query.metric or "",
        ", ".join(str(y) for y in query.years),
    ]
    return ", ".join(p for p in parts if p)
