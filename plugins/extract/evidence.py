"""Typing by the text's own evidence: what a name is called in the sentence.

- A name right after a noun that says what it is ("the airline Air Astana", "mobile
  operator Kcell", "the broadcaster Khabar 24", "the Polish daily Gazeta Wyborcza",
  "die Fluggesellschaft Lufthansa", "телеканал Хабар") is an organisation, whatever its
  words look like (the rules would take two capitalised words for a person).
- "Air" followed by a name ("Air Arabia") is an airline.
- An all-capitals word in parentheses right after an organisation ("Collective Security
  Treaty Organization (CSTO)") is that organisation's alias.
- A place from the gazetteer that is really a common word opening a sentence ("Most
  recently"), or one word of a longer capitalised name ("Arab Spring"), is no place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar


class _Tok(Protocol):
    i: int
    idx: int
    text: str
    lower_: str
    whitespace_: str


class _Mention(Protocol):
    start: int
    end: int
    text: str
    type: str
    canonical: str | None


#: The caller's mention type: each function returns what its ``make`` builds.
M = TypeVar("M", bound=_Mention)


#: Nouns (lower case) that say the next name is an organisation, in the rules' languages.
ORG_CUES = frozenset({
    # en
    "airline", "airlines", "carrier", "carriers", "broadcaster", "broadcasters", "channel",
    "channels", "operator", "operators", "daily", "dailies", "newspaper", "newspapers",
    "weekly", "website", "outlet", "portal", "company", "firm", "bank",
    "tv", "radio", "magazine", "tabloid", "party", "agency",
    # de
    "fluggesellschaft", "fluglinie", "sender", "fernsehsender", "zeitung",
    "tageszeitung", "konzern", "unternehmen", "firma", "mobilfunkanbieter", "betreiber",
    "partei", "gewerkschaft", "nachrichtenagentur", "agentur",
    # ru (nominative)
    "авиакомпания", "авиакомпании", "телеканал", "телеканалы", "оператор", "газета",
    "издание", "компания", "банк", "партия",
    # pl, es
    "linia", "linie", "stacja", "dziennik", "gazeta", "spółka", "agencja", "aerolínea", "agencia",
    "aerolíneas", "cadena", "diario", "periódico", "operadora", "empresa",
})
#: German nouns are capitalised: these cues count with a capital too.
CAPITAL_CUES = frozenset({
    "fluggesellschaft", "fluglinie", "sender", "fernsehsender", "zeitung", "tageszeitung",
    "konzern", "unternehmen", "firma", "mobilfunkanbieter", "betreiber", "partei",
    "gewerkschaft", "nachrichtenagentur", "agentur",
})
#: Words between the cue and the name that keep the cue ("airlines, Air Arabia and ...").
_BRIDGE = {",", ":", "the"}
_NUMBER = re.compile(r"^\d{1,3}$")
_ACRONYM = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,7})\)")


_ACRONYM_WORD = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,6}$")
#: Words that join the names of a list ("Air Arabia and flydubai").
_LIST_JOINERS = {",", "and", "or", "und", "oder", "y", "o", "i", "oraz", "и", "или", "et", "e"}


def org_by_cue(doc: Sequence[_Tok], text: str, is_name: Callable[[str], bool],
               make: Callable[[int, int, str], M],
               unknown_word: Callable[[str], bool] = lambda word: False) -> list[M]:
    """Names after an organisation noun, and "Air" + name; ``make(start, end, text)``
    builds an ORG mention. A name may end in a number ("Khabar 24") or be an acronym
    ("the news agency ANP"); after the noun, a brand written in lower case that no
    dictionary knows ("flydubai"; ``unknown_word``) is a name too, and so is each further
    name of a list ("airlines, Air Arabia and flydubai")."""
    out: list[M] = []
    n = len(doc)

    def name_at(k: int) -> bool:
        word = doc[k].text
        return (is_name(word) or bool(_ACRONYM_WORD.match(word))
                or (word.isalpha() and word.islower() and len(word) > 3 and unknown_word(word)))

    for i, tok in enumerate(doc):
        if tok.lower_ in ORG_CUES and (tok.text == tok.lower_ or tok.lower_ in CAPITAL_CUES):
            start = i + 1
            while start < n and doc[start].text in _BRIDGE:
                start += 1
        elif tok.text == "Air":
            start = i
        else:
            continue
        if start >= n or not (is_name(doc[start].text) if tok.text == "Air" else name_at(start)):
            continue
        items: list[tuple[int, int, bool]] = []  # start, end, joined by a comma only
        comma_only = False
        while True:
            last = start
            while last + 1 < n and doc[last].whitespace_ == " " and (
                    is_name(doc[last + 1].text) or _NUMBER.match(doc[last + 1].text)):
                last += 1
            if tok.text == "Air" and last == start:
                break
            items.append((doc[start].idx, doc[last].idx + len(doc[last].text), comma_only))
            # the next name of a list: ", X", "and X", ", and X"
            k = last + 1
            joiners = []
            while k < n and doc[k].lower_ in _LIST_JOINERS and k - last <= 2:
                joiners.append(doc[k].lower_)
                k += 1
            if tok.text == "Air" or not joiners or k >= n or not name_at(k) \
                    or doc[k].text in _BRIDGE:
                break
            comma_only = joiners == [","]
            start = k
        # "Kloop, Rinat Tuhvatshin, on Tuesday": names joined by commas alone are a list
        # only when an "and" closes it
        closed = bool(items) and not items[-1][2]
        for s, e, comma in items:
            if comma and not closed:
                break
            out.append(make(s, e, text[s:e]))
    return out


#: Nouns naming an outlet or agency, after its name ("the Beta news agency").
_OUTLET_NOUNS = frozenset({"agency", "newspaper", "daily", "weekly", "broadcaster", "channel", "website",
                           "portal", "outlet", "magazine", "tabloid"})
#: Verbs that credit a report to an outlet named before them ("the Kyiv Independent reported").
_CREDIT_VERBS = frozenset({"reported", "reports", "wrote", "writes", "quoted", "cited", "published"})
#: Verbs after which "on X" names a platform ("wrote on Telegram", "said on Facebook").
_POST_VERBS = frozenset({"said", "wrote", "posted", "announced", "reported", "stated", "added", "says",
                         "writes", "posts", "published"})


def _name_run_before(doc: Sequence[_Tok], end: int, is_name: Callable[[str], bool]) -> int:
    """The first token of the run of names or acronyms (at most three) ending at ``end``."""
    k = end
    while k - 1 >= 0 and end - k < 3 and doc[k - 1].whitespace_ == " " and (
            is_name(doc[k - 1].text) or _ACRONYM_WORD.match(doc[k - 1].text)):
        k -= 1
    return k


def credited_outlets(doc: Sequence[_Tok], text: str, is_name: Callable[[str], bool],
                     not_an_outlet: Callable[[str], bool], make: Callable[[int, int, str], M]) -> list[M]:
    """Organisations the text's shape credits: "the Beta news agency", "the BNS news agency",
    "the Kyiv Independent reported", "wrote on Telegram". ``not_an_outlet(name)`` is true for
    a nationality or language adjective ("the Dutch news agency"), a title or a place named
    alone; a run after "the" is no person's name."""
    out: list[M] = []
    n = len(doc)
    for i, tok in enumerate(doc):
        low = tok.lower_
        first = -1
        if low in _OUTLET_NOUNS or low in _CREDIT_VERBS:
            if low in _OUTLET_NOUNS and i > 0 and doc[i - 1].lower_ == "news":
                end = i - 2
            else:
                end = i - 1
            if end < 0 or doc[end].whitespace_ != " ":
                continue
            first = _name_run_before(doc, end + 1, is_name)
            if first > end or first == 0 or doc[first - 1].lower_ != "the":
                continue
            last = end
        elif low == "on" and i > 0 and doc[i - 1].lower_ in _POST_VERBS and i + 1 < n:
            first = last = i + 1
            if not is_name(doc[first].text) or (last + 1 < n and is_name(doc[last + 1].text)):
                continue
        else:
            continue
        s, e = doc[first].idx, doc[last].idx + len(doc[last].text)
        name = text[s:e]
        if not_an_outlet(name):
            continue
        out.append(make(s, e, name))
    return out


#: "AMSTERDAM (ANP) —": an agency credit in a dateline; "— BTA" or "(BNS)" closing a text.
_DATELINE_CREDIT = re.compile(r"^[^\S\n]*[A-ZÀ-ÞА-ЯЁ][\w.,' -]{1,40}?[^\S\n]*\(([A-Z][A-Za-z]{1,7})\)[^\S\n]*[—–-]", re.M)
_CLOSING_CREDIT = re.compile(r"(?:^[^\S\n]*[—–-][^\S\n]*([A-Z]{2,7})[^\S\n]*$|\(([A-Z]{2,7})\)[^\S\n]*$)(?![\s\S]*\w)", re.M)


def agency_credits(text: str, make: Callable[[int, int, str], M]) -> list[M]:
    """Agencies credited by the layout: a dateline's parenthesis and a text's last line."""
    out = [make(m.start(1), m.end(1), m.group(1)) for m in _DATELINE_CREDIT.finditer(text)]
    for m in _CLOSING_CREDIT.finditer(text):
        g = 1 if m.group(1) else 2
        out.append(make(m.start(g), m.end(g), m.group(g)))
    return out


#: A German name whose capitalised adjectives (an adjective is capitalised inside a sentence
#: only in a name) lead to a noun of an authority, outlet or company: "des Bayerischen
#: Landeskriminalamts", "der Westdeutschen Allgemeinen Zeitung", "die Deutsche Bahn".
_GERMAN_HEADS = ("amt", "amts", "amtes", "ministerium", "ministeriums", "behörde", "gericht", "gerichts",
                 "gerichtshof", "zeitung", "partei", "polizei", "rundfunk", "rundfunks", "verband", "verbands",
                 "verbandes", "institut", "instituts", "kommission", "agentur", "bank", "gesellschaft", "bahn",
                 "dienst", "dienstes", "anstalt", "rat", "rats", "rates", "senat", "senats", "armee", "garde")
_HEADS = "|".join(_GERMAN_HEADS)
_CAP_HEADS = "|".join(h[0].upper() + h[1:] for h in _GERMAN_HEADS)
_GERMAN_PROPER = re.compile(
    r"(?<![.!?:\n]\s)(?<!^)\b((?:[A-ZÄÖÜ][\w-]*[a-zäöüß](?:e|en|er|es|em)\s+){1,3}"
    rf"(?:[A-ZÄÖÜ][a-zäöüß-]*(?:{_HEADS})|{_CAP_HEADS}))\b")


def german_proper_orgs(text: str, is_adjective: Callable[[str], bool],
                       make: Callable[[int, int, str], M]) -> list[M]:
    """German organisations named with capitalised adjectives (see ``_GERMAN_PROPER``);
    ``is_adjective(word)`` says, from the word's dictionary base form, that it is one."""
    out = []
    for m in _GERMAN_PROPER.finditer(text):
        words = m.group(1).split()
        # a place's adjective in -er ("Lausitzer") counts before another adjective
        if not all(is_adjective(w) or (w.endswith("er") and k + 2 < len(words))
                   for k, w in enumerate(words[:-1])):
            continue
        start = m.start(1)
        # a name word before the adjectives belongs to the name ("der Austria Presse Agentur")
        before = _NAME_BEFORE.search(text, max(0, start - 30), start)
        if before and not before.group(1).endswith(("e", "en", "er", "es", "em")) \
                and not _SENTENCE_OPEN.search(text, 0, before.start(1)):
            start = before.start(1)
        out.append(make(start, m.end(1), text[start:m.end(1)]))
    return out


_NAME_BEFORE = re.compile(r"(?<![\w-])([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)[^\S\n]+$")
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?:\n“”„\"»«]\s*)$")


def parenthesised_aliases(text: str, mentions: Sequence[_Mention],
                          make: Callable[[int, int, str, str], M]) -> list[M]:
    """"Collective Security Treaty Organization (CSTO)": the acronym is an alias of the
    organisation before it; ``make(start, end, text, canonical)`` builds the mention."""
    out = []
    for m in mentions:
        if m.type != "ORG":
            continue
        a = _ACRONYM.match(text, m.end)
        if a:
            out.append(make(a.start(1), a.end(1), a.group(1), m.canonical or m.text))
    return out


#: German articles and article contractions: a town's name takes none ("in Halle", "die
#: Halle" is a hall); countries and regions may ("die Ukraine", "im Iran").
GERMAN_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
                             "einer", "eines", "beim", "zum", "zur", "vom", "im", "am", "ins", "ans"})


def after_german_article(doc: Sequence[_Tok], i: int) -> bool:
    """True when token ``i`` follows an article, directly or past a lower-case adjective
    ("dem Essen", "der neuen Halle")."""
    k = i - 1
    if k >= 0 and doc[k].text.islower() and doc[k].text.endswith(("e", "en", "er", "es", "em")) \
            and doc[k].lower_ not in GERMAN_ARTICLES:
        k -= 1
    return k >= 0 and doc[k].lower_ in GERMAN_ARTICLES


def not_a_place(doc: Sequence[_Tok], start: int, end: int, sentence_start: bool,
                common: Callable[[str], bool], is_name: Callable[[str], bool],
                capitalised_nouns: bool) -> bool:
    """True when a one-word gazetteer place is a common word opening a sentence ("Most
    recently"), or the last word of a longer capitalised name ("Arab Spring"; not in
    German, where every noun is capitalised)."""
    if end - start != 1:
        return False
    if sentence_start:
        return common(doc[start].lower_)
    prev = doc[start - 1] if start > 0 else None
    return (not capitalised_nouns and prev is not None and prev.whitespace_ == " "
            and is_name(prev.text))


_REGION = re.compile(r"\b([A-Z][a-z]{3,}(?:[- ][A-Z][a-z]+)?)\s+(?:region|province|oblast|district)\b")
_MINISTRY = re.compile(r"\b(?:(?:interior|health|foreign|defen[cs]e|finance|justice|emergencies)"
                       r"\s+ministry|(?:Innen|Gesundheits|Außen|Verteidigungs|Finanz)ministeriums?)\b")


#: Words every match of ``_REGION`` / ``_MINISTRY`` holds: a text without any has no match,
#: and a substring test costs far less than the expression tried at every word.
_REGION_WORDS = ("region", "province", "oblast", "district")
_MINISTRY_WORDS = ("ministry", "ministerium")


def places_by_cue(text: str, make: Callable[[int, int, str], M]) -> list[M]:
    """"the Mangystau region": the name before a region word is a place."""
    if not any(word in text for word in _REGION_WORDS):
        return []
    return [make(m.start(1), m.end(1), m.group(1)) for m in _REGION.finditer(text)]


def ministries(text: str, make: Callable[[int, int, str], M]) -> list[M]:
    """"the interior ministry said", "des Innenministeriums": a ministry named plainly
    (the alias table gives its canonical name)."""
    if not any(word in text for word in _MINISTRY_WORDS):
        return []
    return [make(m.start(), m.end(), m.group()) for m in _MINISTRY.finditer(text)]
