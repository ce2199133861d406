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
    "tv", "radio", "magazine", "tabloid", "party",
    # de
    "fluggesellschaft", "fluglinie", "sender", "fernsehsender", "zeitung",
    "tageszeitung", "konzern", "unternehmen", "firma", "mobilfunkanbieter", "betreiber",
    "partei", "gewerkschaft",
    # ru (nominative)
    "авиакомпания", "авиакомпании", "телеканал", "телеканалы", "оператор", "газета",
    "издание", "компания", "банк", "партия",
    # pl, es
    "linia", "linie", "stacja", "dziennik", "gazeta", "spółka", "aerolínea",
    "aerolíneas", "cadena", "diario", "periódico", "operadora", "empresa",
})
#: German nouns are capitalised: these cues count with a capital too.
CAPITAL_CUES = frozenset({
    "fluggesellschaft", "fluglinie", "sender", "fernsehsender", "zeitung", "tageszeitung",
    "konzern", "unternehmen", "firma", "mobilfunkanbieter", "betreiber", "partei",
    "gewerkschaft",
})
#: Words between the cue and the name that keep the cue ("airlines, Air Arabia and ...").
_BRIDGE = {",", ":", "the"}
_NUMBER = re.compile(r"^\d{1,3}$")
_ACRONYM = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,7})\)")


def org_by_cue(doc: Sequence[_Tok], text: str, is_name: Callable[[str], bool],
               make: Callable[[int, int, str], M]) -> list[M]:
    """Names after an organisation noun, and "Air" + name; ``make(start, end, text)``
    builds an ORG mention. A name may end in a number ("Khabar 24")."""
    out: list[M] = []
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.lower_ in ORG_CUES and (tok.text == tok.lower_ or tok.lower_ in CAPITAL_CUES):
            start = i + 1
            while start < n and doc[start].text in _BRIDGE:
                start += 1
        elif tok.text == "Air":
            start = i
        else:
            continue
        if start >= n or not is_name(doc[start].text):
            continue
        last = start
        while last + 1 < n and doc[last].whitespace_ == " " and (
                is_name(doc[last + 1].text) or _NUMBER.match(doc[last + 1].text)):
            last += 1
        if tok.text == "Air" and last == start:
            continue
        s, e = doc[start].idx, doc[last].idx + len(doc[last].text)
        out.append(make(s, e, text[s:e]))
    return out


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


def places_by_cue(text: str, make: Callable[[int, int, str], M]) -> list[M]:
    """"the Mangystau region": the name before a region word is a place."""
    return [make(m.start(1), m.end(1), m.group(1)) for m in _REGION.finditer(text)]


def ministries(text: str, make: Callable[[int, int, str], M]) -> list[M]:
    """"the interior ministry said", "des Innenministeriums": a ministry named plainly
    (the alias table gives its canonical name)."""
    return [make(m.start(), m.end(), m.group()) for m in _MINISTRY.finditer(text)]
