"""Counts: how many were killed, wounded, arrested, how much money, how many
demonstrators. Event vocabulary (after GDELT's counts):

KILL, WOUND, ARREST, PROTEST, DAMAGE, SEIZE, EVACUATE, DISPLACE, MONEY.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsdesk_plugins.extract.wordtree import alternation

EVENTS: dict[str, tuple[str, ...]] = {
    "KILL": ("kill", "dead", "died", "death", "fatalit", "lives", "bodies", "slain", "убит", "погиб",
             "гибел", "жертв", "смерт", "getötet", "tote", "starben", "ums leben", "todesopfer", "загин", "tués", "morts"),
    "WOUND": ("wound", "injur", "hurt", "suffered", "beaten", "hospital", "ранен", "травм", "пострада", "госпитализ", "поранен",
              "verletzt", "verwundet", "blessé"),
    "ARREST": ("arrest", "detain", "custody", "задерж", "арест", "затрим", "festgenommen", "verhaftet", "festnahm",
               "gewahrsam",
               "arrêt", "interpell"),
    "PROTEST": ("protest", "demonstr", "rally", "rallies", "rallied", "marched", "протест", "митинг", "демонстрант",
                "manifest", "kundgeb"),
    "DAMAGE": ("damag", "destroy", "burn", "torch", "set on fire", "looted", "set alight", "поврежд", "сожж",
               "разруш", "подожж", "beschädigt", "zerstört", "brannten"),
    "SEIZE": ("seiz", "confiscat", "captur", "изъя", "захват", "beschlagnahm", "erbeutet"),
    "EVACUATE": ("evacuat", "эваку", "evakuier"),
    "DISPLACE": ("displac", "fled", "refugee", "homeless", "беженц", "flüchtl", "obdachlos", "vertrieben"),
}
#: Event stems of languages whose words would collide with others' if shared (Italian
#: "mort-" with English "mortgage", Spanish "deten-" with English "detention" already
#: matching ARREST): used only for articles in that language.
EVENTS_BY_LANG: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {"KILL": ("muert", "muri", "fallec", "asesinad", "víctimas mortales"), "WOUND": ("herid", "lesionad"),
           "ARREST": ("detenid", "detuv", "arrestad", "capturad"), "PROTEST": ("manifest", "protest", "marcha"),
           "DAMAGE": ("dañ", "destru", "incendi", "quemad"), "SEIZE": ("incaut", "decomis"),
           "EVACUATE": ("evacu",), "DISPLACE": ("desplazad", "refugiad", "damnificad")},
    "it": {"KILL": ("mort", "uccis", "vittim", "decedut"), "WOUND": ("ferit", "feriti"),
           "ARREST": ("arrestat", "fermat", "arresti"), "PROTEST": ("manifest", "protest", "corteo"),
           "DAMAGE": ("danneggi", "distrutt", "incendi"), "SEIZE": ("sequestr",),
           "EVACUATE": ("evacu",), "DISPLACE": ("sfollat", "profugh", "rifugiat")},
    "pl": {"KILL": ("zgin", "zabit", "zmarł", "ofiar", "śmier"), "WOUND": ("rann", "poszkodowan", "obrażen", "szpital"),
           "ARREST": ("zatrzyma", "aresztowa"), "PROTEST": ("protest", "proteś", "demonstr", "manifest"),
           "DAMAGE": ("zniszcz", "uszkodz", "spalon", "podpal"), "SEIZE": ("przejęt", "skonfiskowa", "zarekwirowa"),
           "EVACUATE": ("ewakuow",), "DISPLACE": ("uchodźc", "przesiedl", "bezdomn")},
    "fr": {"KILL": ("tué", "mort", "décéd", "victimes"), "WOUND": ("bless",), "ARREST": ("arrêt", "interpell", "garde à vue"),
           "PROTEST": ("manifest", "protest", "rassembl"), "DAMAGE": ("détrui", "endommag", "incendi", "brûl"),
           "SEIZE": ("saisi", "confisqu"), "EVACUATE": ("évacu",), "DISPLACE": ("déplacé", "réfugié", "sans-abri")},
}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₸": "KZT", "dollars": "USD", "euros": "EUR",
              "euro": "EUR", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB", "tenge": "KZT", "долларов": "USD",
              "рублей": "RUB", "тенге": "KZT", "евро": "EUR", "Euro": "EUR", "Dollar": "USD", "US-Dollar": "USD",
              "dólares": "USD", "dollari": "USD", "rublos": "RUB", "rubli": "RUB", "zł": "PLN", "złotych": "PLN",
              "złote": "PLN", "zloty": "PLN", "zlotys": "PLN", "dolarów": "USD"}
_CURRENCY_CODES = frozenset(CURRENCIES.values())
#: Vague quantities as [low, high] ranges.
VAGUE: dict[str, list[int]] = {
    "dozens": [24, 99], "several dozen": [24, 99], "scores": [40, 99], "hundreds": [200, 999],
    "several hundred": [200, 999], "thousands": [2000, 9999], "several thousand": [2000, 9999],
    "tens of thousands": [20000, 99999], "hundreds of thousands": [200000, 999999],
    "десятки": [20, 99], "несколько десятков": [20, 99], "сотни": [200, 999], "несколько сотен": [200, 999],
    "тысячи": [2000, 9999], "несколько тысяч": [2000, 9999], "десятки тысяч": [20000, 99999],
    "dutzende": [24, 99], "hunderte": [200, 999], "tausende": [2000, 9999], "zehntausende": [20000, 99999],
    "decenas": [20, 99], "cientos": [200, 999], "centenares": [200, 999], "decine": [20, 99],
    "centinaia": [200, 999], "migliaia": [2000, 9999], "dziesiątki": [20, 99], "setki": [200, 999],
    "tysiące": [2000, 9999], "dizaines": [20, 99], "centaines": [200, 999], "milliers": [2000, 9999],
}
QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than", "nearly": "nearly", "almost": "nearly",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "up to": "up to", "as many as": "up to", "fewer than": "fewer than", "less than": "fewer than",
    "не менее": "at least", "по меньшей мере": "at least", "как минимум": "at least", "более": "more than",
    "больше": "more than", "свыше": "more than", "почти": "nearly", "около": "about", "порядка": "about",
    "примерно": "about", "до": "up to", "mindestens": "at least", "mehr als": "more than", "über": "more than",
    "fast": "nearly", "knapp": "nearly", "etwa": "about", "rund": "about", "ungefähr": "about", "bis zu": "up to",
    "al menos": "at least", "por lo menos": "at least", "más de": "more than", "casi": "nearly", "cerca de": "about",
    "unos": "about", "unas": "about", "alrededor de": "about", "aproximadamente": "about", "hasta": "up to",
    "almeno": "at least", "più di": "more than", "oltre": "more than", "quasi": "nearly", "circa": "about",
    "fino a": "up to", "co najmniej": "at least", "ponad": "more than", "przeszło": "more than", "prawie": "nearly",
    "blisko": "nearly", "około": "about", "au moins": "at least", "plus de": "more than", "près de": "nearly",
    "presque": "nearly", "environ": "about", "jusqu'à": "up to",
    # abbreviations written before a number ("ok. 40 osób", "ca. 200 Menschen")
    "ok.": "about", "ca.": "about", "ок.": "about", "niemal": "nearly", "nawet": "up to",
    "menos de": "fewer than", "weniger als": "fewer than", "менее": "fewer than", "mniej niż": "fewer than",
    "close to": "nearly", "an estimated": "about", "en torno a": "about",
}
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "тыс": 1e3, "тысяч": 1e3,
               "млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9,
               "миллиардов": 1e9, "Millionen": 1e6, "Million": 1e6, "Milliarden": 1e9, "Milliarde": 1e9, "Tausend": 1e3, "bn": 1e9, "m": 1e6,
               "mil": 1e3, "millón": 1e6, "millones": 1e6, "mil millones": 1e9, "mila": 1e3, "mille": 1e3,
               "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9, "millions": 1e6, "milliard": 1e9,
               "milliards": 1e9, "tys": 1e3, "tysięcy": 1e3, "mln": 1e6, "milion": 1e6, "miliony": 1e6,
               "milionów": 1e6, "mld": 1e9, "miliard": 1e9, "miliardów": 1e9}
UNITS = ("degrees", "km", "kilometres", "kilometers", "miles", "tonnes", "tons", "percent", "%", "hectares", "litres", "liters",
         "barrels", "км", "тонн", "процент", "Prozent", "Kilometer", "Tonnen")
_STOP = {"of", "were", "was", "have", "had", "has", "are", "is", "in", "on", "at", "and", "who", "to", "by", "from",
         "with", "for", "the", "a", "an", "that", "which", "as", "after", "during", "since", "than", "or", "but",
         "в", "на", "и", "из", "по", "с", "за", "были", "был", "была", "было", "что", "которые",
         "und", "wurden", "ont", "été", "sont", "les", "des", "fueron", "han", "en", "de", "del", "la", "el",
         "los", "las", "que", "y", "por", "furono", "sono", "stati", "state", "nel", "nella", "di", "della", "e",
         "zostało", "zostali", "zostały", "w", "we", "na", "i", "z", "przez", "podczas", "par", "dans", "et", "à", "du", "them", "those", "whom", "these", "их", "них", "ihnen", "sind", "waren", "bei", "der", "die", "das", "von"}

_NUM = r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:[.,]\d+)?"
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_MULT = "|".join(sorted((re.escape(m) for m in MULTIPLIERS), key=len, reverse=True))
_CUR = r"[$€£₽₸]"
_RANGE_WORDS = ("from", "between", "от", "von")
#: The characters a count can start with (a match is never needed to start at the space
#: before a number: its span begins at the number): a cheap test at each position
#: before the full expression is tried.
_FIRST = "".join(sorted({w[0] for w in (*_RANGE_WORDS, *VAGUE)} | {"$", "€", "£", "₽", "₸"}))
_COUNT = re.compile(
    rf"(?=[\d{re.escape(_FIRST)}])"
    rf"(?:(?:from|between|от|von)\s+(?P<lo>{_NUM})\s+(?:to|and|до|bis)\s+(?P<hi>{_NUM})"
    rf"|(?P<cur>{_CUR})?\s?(?P<num>{_NUM})(?:\s*(?:-|–|to)\s*(?P<hi2>{_NUM}))?(?:\s?(?P<mult>{_MULT})\b)?"
    rf"|\b(?P<vague>{_VAGUE})\b)",
    re.I,
)
#: Between an event verb and the count it governs: the rest of the verb's word, then at
#: most a qualifier ("detained about 9,900").
#: Prepositions that open a short time or place phrase between a verb and its count in
#: languages that put one there ("nahm am Wochenende elf Verdächtige fest", "zatrzymała w
#: sobotę 40 osób", "задержали в четверг 200 человек").
_PHRASE_PREPS = r"(?:am|im|an|on|in|at|w|we|в|во|на|el|en)"
#: (Spanish marks a person object with "a": "detuvo a 15 personas".)
_GOVERNS = re.compile(rf"^\w*\s+(?:{_PHRASE_PREPS}\s+\w+\s+)?(?:a\s+)?(?:(?:{_QUAL})\s+)?$", re.I)
#: A preposition right before a count makes it a place, origin or time ("evacuated from
#: four villages", "in 40 towns", "aus zwei Dörfern", "из трёх сёл"): not the event's count.
_PREP_BEFORE = re.compile(r"(?<!\w)(?:from|in|into|across|near|aus|in|im|из|в|во|z|ze|w|we|desde)\s+$", re.I)
#: German separable verbs: the particle closing a clause ("nahm ... fest") joins the
#: verb it belongs to ("festnahm") before the event words are read.
_PARTICLE_END = re.compile(r"\b(fest|um|ab|aus|ein|fort|weg|zurück|frei)\s*(?:[.,;!?]|$)")
_LOWER_WORD = re.compile(r"\b[a-zäöüß]{3,}\b")
#: An event word that is a verb form (English and German participles, Russian past and
#: short participles, Polish past, Spanish preterite).
_VERB_END = re.compile(r"^\w*(?:ed|en|t|ли|ло|л|ла|ны|на|ł|ła|ło|li|ły|ó|aron|ieron|uvo|uvieron)\s", re.I)
#: (The qualifiers as a ``wordtree.alternation``: the same as ``_QUAL``, searched 2x faster.)
_QUAL_BEFORE = re.compile(
    rf"\b(?P<qual>{alternation(sorted(QUALIFIERS, key=lambda q: len(re.escape(q)), reverse=True), True)})\s*$",
    re.I)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüßА-Яа-яЁё]+(?:-[A-Za-zÄÖÜäöüßА-Яа-яЁё]+)*")
_JOINERS = {"and", "und", "a"}
#: Number words that are mostly articles ("ein Sprecher" is not a count).
_ARTICLES = {"ein", "eine", "einer", "einem", "einen", "eines", "un", "une", "uno", "una", "a", "an"}
_UNIT_AFTER = re.compile(r"\s*(?:%|percent|per cent|процент|Prozent|km|kg|kilo|tonn|тонн|degrees|градус|Grad)", re.I)
_AGE = re.compile(r"[- ]?(?:year|years|jährige|летн|лет\b|года\b|год\b)", re.I)
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")


@lru_cache(maxsize=16)
def _months(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Month names of ``lang`` and English (dateparser's locale data), as the word just
    before a number ("January 2") and just after it ("2 January", "2. Januar", "2 мая").
    Forms of three letters or fewer ("May", "Mai", "Jan") count only capitalised: "20 may
    have died" is a count."""
    import importlib

    forms: set[str] = set()
    for code in {lang, "en"}:
        try:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{code}").info
        except (ImportError, AttributeError):
            continue
        for key in _MONTH_KEYS:
            forms.update(str(f) for f in info.get(key, ()))
    long = sorted({f.lower() for f in forms if len(f) > 3}, key=len, reverse=True)
    short = sorted({f[:1].upper() + f[1:].lower() for f in forms if len(f) <= 3}, key=len, reverse=True)
    names = "|".join([f"(?i:{re.escape(f)})" for f in long] + [re.escape(f) for f in short]) or "(?!)"
    return (re.compile(rf"(?<!\w)(?:{names})\.?\s+$"), re.compile(rf"^\.?\s+(?:{names})(?!\w)"))


def _is_day_of_month(sentence: str, start: int, end: int, lang: str) -> bool:
    """True when the number at ``sentence[start:end]`` is a day beside a month name."""
    before, after = _months(lang)
    return bool(before.search(sentence[max(0, start - 20):start]) or after.match(sentence[end:end + 20]))


_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?![\s\n]|$))+(?:[.!?]+[\"”»“]?|\n|$)")
#: A full stop that ends no sentence: before a lower-case word ("20 tys. osób"), or after a
#: short lower-case abbreviation before a number ("ok. 40 osób", "ca. 200 Menschen").
_NO_END = re.compile(r"(?:\.[ \t]+[a-zß-öø-ÿа-яёąćęłńóśźż]|(?<![^\W\d_])[a-zа-яё]{1,3}\.[ \t]+\d)$")


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences counts are read in, each with its position: lines and full stops
    split them, but not the full stop of an abbreviation (see ``_NO_END``)."""
    out: list[tuple[int, str]] = []
    start = None
    for m in _SENTENCE.finditer(text):
        if start is None:
            start = m.start()
        if m.end() < len(text) and _NO_END.search(text[max(0, m.end() - 5):m.end() + 2]):
            continue
        out.append((start, text[start:m.end()]))
        start = None
    if start is not None:
        out.append((start, text[start:]))
    return out


@dataclass
class Count:
    value: float | int | list[float | int]
    qualifier: str | None
    what: str | None
    event: str | None
    span: tuple[int, int]
    unit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """``value`` is always a number (a range's lower bound); ``min``/``max`` give the
        range ("dozens": 24-99), equal for a single number, so a column reads as numbers."""
        lo, hi = self.value if isinstance(self.value, list) else (self.value, self.value)
        return {"value": lo, "min": lo, "max": hi, "qualifier": self.qualifier, "what": self.what,
                "event": self.event, "unit": self.unit, "span": list(self.span)}


def _number(text: str, lang: str = "en") -> float | None:
    text = text.replace("\u00a0", "").replace(" ", "")
    if lang != "en" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _clean(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


#: Languages whose number words are read: text2num's, and number-parser's for Russian and Ukrainian.
TEXT2NUM_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl")
NUMBER_PARSER_LANGS = ("ru", "uk")


@lru_cache(maxsize=65536)
def _value_of(words: str, lang: str) -> float | None:
    """The value of number words ("two thousand", "двух тысяч"), or None."""
    if lang in TEXT2NUM_LANGS:
        from text_to_num import text2num

        try:
            return float(text2num(words, lang))
        except (ValueError, TypeError):
            return None
    if lang in NUMBER_PARSER_LANGS:
        from number_parser import parse_number

        value = parse_number(words, language=lang)
        return float(value) if isinstance(value, int | float) else None
    return None


#: Words (as written) known to start no number ("the", "Police"), by language: a sentence
#: whose every word is here has no number words, and its words need no reading one by
#: one. At most ``NOT_NUMBER_WORDS_MAX`` words a language (emptied when full).
_NOT_NUMBER_WORDS: dict[str, set[str]] = {}
NOT_NUMBER_WORDS_MAX = 100_000


def _may_have_number_words(sentence: str, lang: str) -> bool:
    """False when no word of ``sentence`` starts a run of number words (each distinct word
    is asked once a process, unless the known words were emptied)."""
    known = _NOT_NUMBER_WORDS.setdefault(lang, set())
    for word in set(_WORD.findall(sentence)) - known:
        low = word.lower()
        if low not in _ARTICLES and _value_of(low, lang) is not None:
            return True
        if len(known) >= NOT_NUMBER_WORDS_MAX:
            known.clear()
        known.add(word)
    return False


def _word_numbers(sentence: str, lang: str) -> list[tuple[int, int, float]]:
    """Runs of number words ("two thousand", "twenty-five", "три") with their values."""
    if lang not in TEXT2NUM_LANGS and lang not in NUMBER_PARSER_LANGS:
        return []
    if not _may_have_number_words(sentence, lang):
        return []
    out: list[tuple[int, int, float]] = []
    words = list(_WORD.finditer(sentence))
    i = 0
    while i < len(words):
        first = words[i].group().lower()
        if first in _ARTICLES or _value_of(first, lang) is None:
            i += 1
            continue
        j = i
        best: tuple[int, float] | None = None
        while j < len(words):
            word = words[j].group().lower()
            if _value_of(word, lang) is None and word not in _JOINERS:
                break
            chunk = sentence[words[i].start():words[j].end()].lower()
            value = _value_of(chunk if lang == "en" else chunk.replace("-", " "), lang)
            if value is not None:
                best = (j, value)
            j += 1
        if best is not None:
            out.append((words[i].start(), words[best[0]].end(), best[1]))
            i = best[0] + 1
        else:
            i += 1
    return out


@lru_cache(maxsize=16)
def _events(lang: str) -> dict[str, tuple[str, ...]]:
    """The event stems for an article in ``lang``: the shared ones and its own."""
    own = EVENTS_BY_LANG.get(lang, {})
    return {event: stems + own.get(event, ()) for event, stems in EVENTS.items()}


@lru_cache(maxsize=16)
def _event_pattern(lang: str) -> re.Pattern[str]:
    parts = [f"(?P<{event}>{'|'.join(re.escape(s) for s in stems)})" for event, stems in _events(lang).items()]
    return re.compile("|".join(parts))


@lru_cache(maxsize=16)
def _event_finder(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """``_event_pattern`` as one ``alternation`` of the stems (same matches, found faster)
    and each stem's event (the first event listing it, as in ``_event_pattern``)."""
    events = _events(lang)
    event_of: dict[str, str] = {}
    for event, stems in events.items():
        for stem in stems:
            event_of.setdefault(stem, event)
    return re.compile(alternation([stem for stems in events.values() for stem in stems])), event_of


_DIGIT = re.compile(r"\d")
#: Every match of _COUNT holds a digit or one of these words (any case).
_VAGUE_WORDS = tuple(sorted({w for v in VAGUE for w in v.split() if w not in ("several", "of", "несколько")}))
#: Any of them inside a (lower-case) text, found in one pass (as a word tree).
_VAGUE_INSIDE = re.compile(alternation(list(_VAGUE_WORDS)))


def _may_count(sentence: str) -> bool:
    """False when _COUNT cannot match: no digit and no vague quantity. Two searches (a
    digit; any vague word inside the lower-case sentence, as ``word in low`` tells) cost
    far less than the expression tried at every position of the sentence."""
    if _DIGIT.search(sentence):
        return True
    return _VAGUE_INSIDE.search(sentence.lower()) is not None


@lru_cache(maxsize=64)
def _event_hits(sentence: str, lang: str) -> tuple[tuple[int, int, str, bool], ...]:
    """The event words of a (lower-case) sentence: (start, end, event, known to be a
    verb), read once for all its counts."""
    finder, event_of = _event_finder(lang)
    hits = [(h.start(), h.end(), event_of[h.group()], False) for h in finder.finditer(sentence)]
    if lang == "de":
        hits += _separable_hits(sentence, _event_pattern(lang))
    return tuple(sorted(hits))


@lru_cache(maxsize=4096)
def _event_named(target: str, lang: str) -> str | None:
    """The event a counted thing's own words name ("protesters": PROTEST), the first in
    ``_events``' order with a stem in them; None when none does. Cached: counted things
    repeat ("people", "demonstrators")."""
    for event, stems in _events(lang).items():
        if any(stem in target for stem in stems):
            return event
    return None


def _separable_hits(sentence: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str, bool]]:
    """Event verbs split by German word order: "Die Polizei nahm drei Personen fest" reads
    "festnahm" at "nahm". Each lower-case word of the clause before the particle is tried
    with the particle before it; a hit is placed on the verb."""
    out: list[tuple[int, int, str, bool]] = []
    for p in _PARTICLE_END.finditer(sentence):
        clause_start = max(sentence.rfind(",", 0, p.start()), sentence.rfind(";", 0, p.start())) + 1
        for w in _LOWER_WORD.finditer(sentence, clause_start, p.start()):
            joined = pattern.match(p.group(1) + w.group())
            if joined and joined.end() > len(p.group(1)):
                out.append((w.start(), w.end(), joined.lastgroup or "", True))
    return out


def find_counts(sentence: str, offset: int, lang: str) -> list[Count]:
    """Return the counts in one sentence; ``offset`` is its position in the text."""
    found: list[tuple[int, int, float | int | list[float | int], str | None]] = []
    for m in _COUNT.finditer(sentence) if _may_count(sentence) else ():
        unit = None
        if m.group("lo"):
            lo, hi = _number(m.group("lo"), lang), _number(m.group("hi"), lang)
            if lo is None or hi is None:
                continue
            value: float | int | list[float | int] = [_clean(lo), _clean(hi)]
        elif m.group("num"):
            num = _number(m.group("num"), lang)
            if num is None:
                continue
            if _YEARLIKE.match(m.group("num")) and not m.group("cur") \
                    and not _QUAL_BEFORE.search(sentence[max(0, m.start("num") - 25):m.start("num")]):
                continue  # a year; "etwa 2000 Menschen", "около 1500 человек" are counts
            prev = sentence[max(0, m.start("num") - 2):m.start("num")]
            nxt = sentence[m.end("num"):m.end("num") + 2]
            if re.search(r"[:/.]$", prev) or re.match(r"[:/.]\d", nxt):
                continue  # times, dates, scores
            if _AGE.match(sentence[m.end("num"):m.end("num") + 14]):
                continue  # ages
            if not m.group("cur") and _is_day_of_month(sentence, m.start("num"), m.end("num"), lang):
                continue  # "January 2", "2 мая"
            mult = MULTIPLIERS.get(m.group("mult") or "", MULTIPLIERS.get((m.group("mult") or "").lower(), 1))
            if not float(num).is_integer() and mult == 1 and not m.group("cur") and not _UNIT_AFTER.match(sentence[m.end():]):
                continue  # "magnitude 6.4": a decimal without a unit is not a count
            value = _clean(num * mult)
            if m.group("hi2"):
                hi = _number(m.group("hi2"), lang)
                if hi is not None:
                    value = [value, _clean(hi * mult)]
            if m.group("cur"):
                unit = CURRENCIES[m.group("cur")]
        else:
            value = list(VAGUE[m.group("vague").lower()])
        begin = m.start("cur") if m.group("cur") else (m.start("num") if m.group("num") else m.start())
        found.append((begin, m.end(), value, unit))
    taken = [(s, e) for s, e, _, _ in found]
    for s, e, v in _word_numbers(sentence, lang):
        if not any(s < te and ts < e for ts, te in taken):
            found.append((s, e, _clean(v), "words"))
    out: list[Count] = []
    low = sentence.lower()
    for start, end, value, unit in sorted(found, key=lambda f: f[0]):
        from_words = unit == "words"
        unit = None if from_words else unit
        q = _QUAL_BEFORE.search(sentence[max(0, start - 25):start])
        qual = QUALIFIERS.get(q.group("qual").lower()) if q else None
        if q:
            start = start - (len(sentence[max(0, start - 25):start]) - q.start())
        what_tokens: list[str] = []
        stop = end
        for tok in re.finditer(r"\S+", sentence[end:end + 60]):
            raw = tok.group()
            word = raw.strip(".,;:!?\"'«»“”()")
            if word[:2].lower() in ("d'", "d’"):
                word = word[2:]  # French "d'euros"
            if not word and not what_tokens and raw == ".":
                continue  # "20 tys. osób": the abbreviation's dot
            if not what_tokens and word.lower() in ("of", "из", "de", "di", "des", "du"):
                continue
            if not word or word.lower() in _STOP or word[0].isdigit():
                break
            if unit is None and (word in CURRENCIES or word in UNITS):
                unit = CURRENCIES.get(word, word)
                stop = end + tok.start() + len(word)
                break
            if what_tokens and lang == "en" and word.islower() and word.endswith(("ed", "ing")):
                break
            if what_tokens and word.islower() and word.endswith(_VERB_ENDINGS.get(lang, ())):
                break
            what_tokens.append(word)
            stop = end + tok.start() + len(word)
            if raw != word or len(what_tokens) == 3:
                break
        what = " ".join(what_tokens) or None
        if from_words and what is None and unit is None:
            continue  # a bare "one" is not a count
        event = _event(low, start, stop, what, unit, lang)
        if event is None and unit is None:
            continue
        out.append(Count(value, qual, what, event, (offset + start, offset + stop), unit))
    return out


_AUXILIARIES = re.compile(r"^\s*(?:(?:were|was|have|had|has|been|being|are|is|got|ont|été|sont|wurden|worden|"
                          r"sind|были|был|была|было|получили|got|fueron|han|sido|resultaron|furono|sono|stati|"
                          r"state|rimast[eioa]|zostało|zostali|zostały|zostal[ai]|są|było|été)\s+){0,3}$", re.I)
#: A verb (an English past form) right after the count and its counted thing, which is
#: no event word (those are read first): the count is that verb's, not an event's.
_OTHER_VERB_AFTER = re.compile(r"^\s*(?:(?:were|was|have|had|has|been|are|is)\s+){0,3}[a-z]{3,}ed\b")
_CLAUSE = re.compile(r"[;]|,\s|\s(?:and|but|while|whereas|и|а|но|und|aber|pero|mientras|ma|mentre|ale|podczas gdy|mais|tandis que)\s")
#: "and" of languages where it is a single letter or a word other languages use otherwise.
_CLAUSE_BY_LANG = {"es": re.compile(r"\s[yo]\s"), "it": re.compile(r"\s[eo]\s"), "pl": re.compile(r"\s(?:i|oraz)\s"),
                   "fr": re.compile(r"\s(?:et|ou)\s")}
#: Verb endings that close the counted thing after its first word ("12 personas murieron").
_VERB_ENDINGS = {"es": ("aron", "ieron", "ados", "adas", "idos", "idas", "ado", "ido"),
                 "it": ("arono", "erono", "irono", "ati", "ate", "iti", "ite", "uti", "ute"),
                 "fr": ("és", "ées", "ent"), "pl": ("ło", "li", "ły")}


def _event(sentence: str, start: int, end: int, what: str | None, unit: str | None,
           lang: str = "en") -> str | None:
    """The event a count belongs to: the counted thing's own word ("demonstrators"),
    else the nearest event word in its clause (after the count counts more), else in
    the sentence."""
    if unit in _CURRENCY_CODES:
        return "MONEY"
    if unit is not None:
        return None  # a measure (degrees, km, tonnes), not an event count
    cuts = [m.end() for m in _CLAUSE.finditer(sentence)]
    if lang in _CLAUSE_BY_LANG:
        cuts += [m.end() for m in _CLAUSE_BY_LANG[lang].finditer(sentence)]
    bounds = [0] + sorted(cuts) + [len(sentence)]
    c_start = bounds[bisect_right(bounds, start) - 1]  # the last bound at or before start
    after_end = bisect_left(bounds, end)  # the first bound at or after end
    c_end = bounds[after_end] if after_end < len(bounds) else len(sentence)
    hits = _event_hits(sentence, lang)
    if _PREP_BEFORE.search(sentence[max(0, start - 12):start]):
        return None  # "from four villages", "in 40 towns": where, not how many
    # "detained dozens of demonstrators": the verb right before the count governs it
    # (not the counted noun).
    governing = [(pos_end, event) for pos, pos_end, event, verb in hits
                 if pos_end <= start and _GOVERNS.match(sentence[pos_end:start])
                 and (verb or _VERB_END.match(sentence[pos:start]))]
    if governing:
        return max(governing)[1]
    # "35 demonstrators were arrested": the verb right after the count says what happened to them.
    after = [(pos, event) for pos, pos_end, event, _ in hits
             if end <= pos <= end + 30 and pos_end <= c_end and _AUXILIARIES.match(sentence[end:pos])]
    if after:
        return min(after)[1]
    named = _event_named(what.lower(), lang) if what else None
    if named is not None:
        return named
    verb = _OTHER_VERB_AFTER.match(sentence[end:end + 40]) if lang == "en" else None
    if verb:
        # "two airlines cancelled flights", "200 were rescued": another verb governs the
        # count, unless an event word completes it ("were treated in hospital")
        v_end = end + verb.end()
        near = [event for pos, pos_end, event, _ in hits if v_end <= pos <= v_end + 15 and pos_end <= c_end]
        return near[0] if near else None
    for lo, hi in ((c_start, c_end), (0, len(sentence))):
        best: tuple[float, str] | None = None
        for pos, pos_end, event, _ in hits:
            if pos < lo or pos_end > hi:
                continue
            distance = pos - end if pos >= end else (start - pos_end) * 1.2 + 2
            if best is None or distance < best[0]:
                best = (distance, event)
        if best is not None and best[0] <= (120 if lo == c_start else 100):
            return best[1]
    return None
