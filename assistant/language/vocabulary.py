"""Word lists for reading questions: stop words, metric words, question cues.

These are properties of Swedish and English question language, not of any document.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from assistant.language.glossary import translate
from assistant.language.lexicon import words_of

WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+")
# A year a question may ask about.
YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")

STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett var vi
    men så kan ska skall sig från vid efter under eller år året åren också hur vad
    vilken vilket vilka när var vem vems varför finns fanns blir blev bli sin sitt sina
    mycket många stor stort stora hög högt höga låg lågt
    enligt inom mellan samt mot jämför jämfört jämförelse sådan sådana dess deras denna detta dessa där här nu
    beskriv berätta säg ge lista visa ange anger angavs gäller gällde gälla tas togs
    kommun kommunen kommunens kommuner dokumentet dokumenten planen rapporten
    fick får få fått gjorde gör göra gjort går gick gått ha hade haft ligger låg
    uppgår uppgick uppgå redovisas redovisades anges angavs står stod sägs säger
    ska skulle kommer kunde måste bör borde vill ville
    got get gets did done does make makes made say says said stated
    två tre fyra fem sex sju åtta nio tio elva tolv
    one two three four five six seven eight nine ten vara varit
    gjordes gjorts görs genomfördes genomförts beslutades togs tas del delen part
    summerar summeras summera uppgår
    högst högsta störst största flest mest lägst lägsta minst minsta färst
    highest largest biggest most top lowest smallest least fewest
    the a an of in on at to for and or is are was were be been what which who whom
    how much many does do did has have had its this that these those there by
    with from as about into than then also tell me list give show describe
    municipality municipality's council document documents plan report according
    alltså egentligen ungefär typ liksom förresten menas avses betyder hos än
    respektive respectively
    jag du mig dig vi oss ni er man min mitt mina din ditt dina vår vårt våra just
    i we you us our my your right now
    should would could will shall when where while during some any both all already
    actually going kind their them they his her someone something
    någon något några alla ser ut helt redan väl ju nog då bara kanske egen eget egna
    över over big years compare compared comparison between among versus
    end beginning start senast senaste latest recent
    och? ?
    """.split()
)

# Words that mark an elliptic follow-up ("Och för 2025?", "And in Kramfors?").
FOLLOWUP_CUES = (
    "och ",
    "och?",
    "men ",
    "samma ",
    "hur är det med",
    "hur blir det",
    "än ",
    "and ",
    "what about",
    "how about",
    "same ",
)

# Column kinds (as produced by the table parser) and the question words for them,
# most specific first: "avvikelse prognos mot budget" is a deviation, not a budget.
METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "avvikelse": (
        "avvikelse",
        "avvikelsen",
        "avviker",
        "överskott",
        "underskott",
        "deviation",
        "variance",
        "surplus",
        "deficit",
    ),
    "mål": ("målet", "målvärde", "målvärdet", "målnivå", "target"),
    "prognos": (
        "prognos",
        "prognosen",
        "prognostiseras",
        "prognostiserad",
        "forecast",
        "forecasted",
    ),
    "utfall": (
        "utfall",
        "utfallet",
        "använt",
        "använts",
        "förbrukat",
        "förbrukats",
        "förbrukade",
        "använde",
        "användes",
        "betalades",
        "betalats",
        "utbetalt",
        "kostade",
        "outcome",
        "actual",
        "actuals",
        "spent",
        "used",
        "paid",
    ),
    "bokslut": ("bokslut", "bokslutet", "accounts"),
    "startläge": ("startläge", "startläget", "baseline"),
    "budget": ("budget", "budgeten", "budgeterad", "budgeterat", "anslag"),
}


def names_kind(word: str, cues: tuple[str, ...]) -> bool:
    """``word`` is one of a column kind's ``cues``, or a compound holding one of
    five letters or more ("driftbudget", "investeringsbudget", "helårsprognos")."""
    return word in cues or any(len(c) >= 5 and c in word for c in cues)


SHARE_CUES = (
    "hur stor del",
    "hur stor andel",
    "vilken andel",
    "how much of",
    "what share",
    "what proportion",
)

NUMBER_CUES = (
    "medelvärde",
    "genomsnitt",
    "i snitt",
    "vilket värde",
    "average",
    "what value",
    "hur stor",
    "hur mycket",
    "hur många",
    "hur hög",
    "hur låg",
    "vilket belopp",
    "vilken summa",
    "hur mkt",
    "how much",
    "how many",
    "how large",
    "how big",
    "how high",
    "what amount",
    "andel",
    "procent",
    "poäng",
    "score",
    "belopp",
    "kostnad",
    "kostar",
    "cost",
    "mnkr",
    "tkr",
    "kronor",
    "antal",
    "siffror",
    "siffrorna",
    "värden",
    "värdena",
    "figures",
    "numbers",
    "nettokostnad",
    "sjukfrånvaro",
    "sick leave",
    "percent",
    "share",
    "summa",
    "summan",
    "totalt",
    "sammanlagt",
    "what is the total",
    "what is the sum",
)

# Words that name a period, not a thing; the column choice handles them.
PERIOD_WORDS = frozenset(
    "helår helåret helårs helårsprognos delår delåret delårs period perioden hittills "
    "januari februari mars april maj juni juli augusti september oktober november "
    "december jan feb aug sept sep okt nov dec full whole year years".split()
)

PERSON_CUES = (
    "vem ",
    "vilka personer",
    "vems ",
    "who ",
    "whom ",
)

# "Vad heter förvaltningschefen?" asks for a person; "Vad heter modellen?" for a name.
ROLE_WORDS = (
    "chef",
    "direktör",
    "ordförande",
    "handläggare",
    "ansvarig",
    "sekreterare",
    "controller",
    "samordnare",
    "strateg",
    "manager",
    "director",
    "chair",
    "officer",
)

# Words that point back to the previous question ("Hur mycket av det går till HR?").
BACK_REFERENCES = frozenset(
    "det den dem detta dessa denne samma it that those them these same".split()
)

LIST_CUES = (
    "vilka",
    "lista",
    "räkna upp",
    "nämn",
    "which",
    "what are",
    "list",
    "name the",
)

ENGLISH_MARKERS = frozenset(
    "the what which who how is are was were does do did has have been be of in for "
    "and by to from with on at as its their this that these than since much many "
    "between compare municipality forecast target goal goals risks "
    "what's".split()
)
SWEDISH_MARKERS = frozenset(
    "vad vilka vilken vilket hur är var och för kommunen kommunens har om det som en "
    "ett med av på finns någon sedan mycket många blir ska till från inom under "
    "enligt mellan jämfört".split()
)

REFUSAL_SV = "Det framgår inte av dokumenten."
REFUSAL_EN = "The documents do not say."


def fold(text: str) -> str:
    """Lower-case and normalise whitespace kinds (no-break, thin) to plain spaces."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(
        r"\s+", " ", text.replace("\u00a0", " ").replace("\u2009", " ")
    ).lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens; an English "'s" goes with its word.

    Example: "Mark's driftbudget 2024?" -> ["mark", "driftbudget", "2024"].
    """
    text = re.sub(r"(?<=\w)['’]s\b", "", text)
    return [w.lower() for w in WORD_RE.findall(text)]


# Abbreviations every Swedish municipality uses for its bodies.
ABBREVIATIONS = {
    "ks": "kommunstyrelsen",
    "ksau": "kommunstyrelsens arbetsutskott",
    "kf": "kommunfullmäktige",
    "klf": "kommunledningsförvaltningen",
    "bun": "barn- och utbildningsnämnden",
    "son": "socialnämnden",
}

# Short column headers and the words questions use for them ("Max" -> "maxpoängen").
COLUMN_SYNONYMS = {
    "max": "maximal maximalt maxpoäng maximum",
    "min": "minimal minimalt minimum",
    "medel": "medelvärde genomsnitt snitt average mean",
    "uppnått": "uppnådd uppnådda poäng",
    "antal": "hur många number",
}


def column_words(label: str) -> str:
    """A column header with the words questions use for its short forms:
    column_words("Medel 2020-") -> "Medel 2020- medelvärde genomsnitt ..."."""
    extra = [COLUMN_SYNONYMS[w] for w in words(label) if w in COLUMN_SYNONYMS]
    return " ".join([label, *extra])


NUMBERED_THINGS = frozenset(
    "mål målet område området avsnitt avsnittet kapitel kapitlet bilaga indikator "
    "goal area section chapter appendix".split()
)


def capitalised_words(text: str) -> set[str]:
    """The words ``text`` writes capitalised, lower-cased, its first word aside
    (there a capital starts the sentence, elsewhere it marks a name)."""
    return {w.lower() for w in WORD_RE.findall(text)[1:] if w[:1].isupper()}


def content_words(text: str) -> list[str]:
    """Words that carry the topic: no stop words, no bare numbers except the number
    of a numbered thing ("mål 6" keeps "6").

    Example: "Vilka nyckeltal hör till mål 6 år 2025?" -> ["nyckeltal", "hör", "mål", "6"].
    """
    ws = [x for w in words(text) for x in words(ABBREVIATIONS.get(w, w))]
    out = []
    for i, w in enumerate(ws):
        if w in STOPWORDS:
            continue
        if w.isdigit() and not (len(w) <= 2 and i and ws[i - 1] in NUMBERED_THINGS):
            continue
        out.append(w)
    return out


def detect_language(text: str) -> str:
    """Return "en" or "sv" from marker words and Swedish letters (default "sv")."""
    ws = words(text)
    # Swedish letters in a name ("Enköping's", a chat's "enköping") say nothing
    # about the language.
    places = swedish_municipalities()
    common = " ".join(
        w for w in text.split() if not w[:1].isupper() and _fold_place(w) not in places
    )
    sv_bonus = 2 if any(ch in common.lower() for ch in "åäö") else 0
    en = sum(w in ENGLISH_MARKERS for w in ws) + _english_terms(text)
    sv = sum(w in SWEDISH_MARKERS for w in ws) + sv_bonus
    return "en" if en > sv else "sv"


@cache
def swedish_municipalities() -> frozenset[str]:
    """The Swedish municipalities with one-word names, lower case (data/places.toml)."""
    return frozenset(words_of("places", "swedish_municipalities"))


def _fold_place(word: str) -> str:
    """A word as a municipality name: lower case, no punctuation or genitive
    ("Enköpings," → "enköping")."""
    low = word.lower().strip(".,;:!?()\"'")
    return (
        low.removesuffix("'s").removesuffix("s")
        if low not in swedish_municipalities()
        else low
    )


def _english_terms(text: str) -> int:
    """English planning terms of the glossary that are no Swedish word (a short
    question may have no grammar word: "sick leave rate kramfors KS?"); a term
    Swedish writes alike ("budget", "risk") says nothing."""
    groups, uncovered = translate(text)
    swedish = {w for group in groups for w in group}
    rest = set(uncovered)
    return sum(
        1
        for w in words(text)
        if len(w) > 3  # "ks", "hr": abbreviations either language uses
        and w.isalpha()
        and w not in rest
        and w not in swedish
    )
