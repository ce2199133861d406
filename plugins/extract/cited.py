"""The news agencies and outlets an article cites as its sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from newsdesk_plugins.extract.wordtree import alternation

_OUTLET_WORDS = r"(?:news agency|agency|newspaper|news portal|portal|website|outlet|broadcaster|channel|TV|radio|daily|weekly|magazine|agentur|Zeitung|агентство|издание|газета|портал)"
#: The words that name a source after them ("according to", "по данным"), in order.
_SOURCE_CUES = (
    "according to", "citing", "cited by", "quoted by", "reported by", "told", "by", "laut", "zufolge",
    "nach angaben von", "nach angaben der", "nach angaben des", "berichtete", "berichtet", "meldete",
    "meldet", "по данным", "по информации", "со ссылкой на", "сообщает", "сообщило", "сообщил",
    "передает", "передаёт", "пишет", "как сообщает", "повідомляє", "повідомило", "пише", "за даними",
    "selon", "d'après", "wie", "según", "informó", "informa", "de acuerdo con", "secondo", "riferisce",
    "riporta", "według", "podaje", "podała", "informuje", "як повідомляє", "з посиланням на",
)
#: Context that makes a name a cited source, around "{X}". (The cues as a
#: ``wordtree.alternation``: the same as the plain alternation, searched faster.)
_BEFORE = re.compile(r"(?:" + alternation(_SOURCE_CUES, True) + r")\s+(?:the\s+|der\s+|die\s+|dem\s+|агентство\s+|агентства\s+|издание\s+|газета\s+|la\s+|el\s+|l'|agencji\s+|агентство\s+)?(?:\w+\s+)?[«\"„“]?$", re.I)
_QUOTED_OUTLET = re.compile(r"(?:пишет|сообщает|передает|передаёт|сообщило|по данным|writes|reports|berichtet|berichtete|schreibt)\s+(?:издание\s+|газета\s+|агентство\s+)?«(?P<name>[^»]{2,40})»", re.I)
_AFTER = re.compile(r"^(?:'s)?\s*(?:news agency|agency|newspaper|\w+\s+)?(?:reported|reports|said|says|writes|wrote|quoted|cited|added|announced|informed|berichtete|meldete|berichtet|meldet|schreibt|сообщает|сообщило|сообщил|пишет|передает|передаёт|повідомляє|повідомило|informó|informa|riferisce|riporta|podaje|podała|rapporte|indique)\b", re.I)
_DATELINE = re.compile(r"^\s*\(?$|^.{0,40}\($")
#: An outlet named beside an outlet word, within one line (a name never runs on past a
#: line break: "reported by the news portal" closing a paragraph names nothing).
_NAMED_OUTLET = re.compile(rf"\bthe[^\S\n]+(?P<name>(?:[A-Z][\w.&-]+[^\S\n]?){{1,4}}?)[^\S\n]+{_OUTLET_WORDS}\b|\b(?:the[^\S\n]+)?{_OUTLET_WORDS}[^\S\n]+(?P<name2>[A-Z][\w.&-]+(?:[^\S\n][A-Z][\w.&-]+){{0,3}})")


_OUTLET_BEFORE = re.compile(rf"\b{_OUTLET_WORDS}\s*$", re.I)
_OUTLET_AFTER = re.compile(rf"\s+{_OUTLET_WORDS}\b", re.I)
_SPEECH = re.compile(r"\b(?:said|says|told|reported|reports|quoted|cited|according|sagte|berichtete|berichtet|meldete|zufolge|сообщ|передает|передаёт|пишет|заявил|по данным)", re.I)


@lru_cache(maxsize=4)
def _agency_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """One expression for every agency form; Cyrillic forms may carry a case ending."""
    ordered = sorted(forms, key=len, reverse=True)
    pattern = alternation(ordered)  # the same as "|".join(map(re.escape, ordered)), faster
    return re.compile(rf"(?<![\w-])(?P<form>{pattern})(?:(?<=[а-яёА-ЯЁ])[а-яё]{{0,3}})?(?![\w-])")


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[left + 1:min(right_candidates) if right_candidates else len(text)]


def find_cited(text: str, agencies: dict[str, str], orgs: list[tuple[int, int, str]],
               is_demonym: Callable[[str], bool] = lambda word: False) -> list[dict[str, Any]]:
    """Return [{name, spans}] for agencies and outlets cited as sources.

    ``agencies`` maps surface forms to canonical names; ``orgs`` are the ORG
    mentions found (start, end, canonical) so outlets not in the list count too
    when the context names them as a source.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    candidates: list[tuple[int, int, str, bool]] = []
    for m in _agency_pattern(tuple(agencies)).finditer(text):
        form = m.group("form")
        candidates.append((m.start(), m.end(), agencies[form], True))
    for start, end, canonical in orgs:
        candidates.append((start, end, canonical, False))
    for start, end, canonical, known in candidates:
        before = text[max(0, start - 40):start]
        after = text[end:end + 40]
        context = bool(_BEFORE.search(before) or _AFTER.match(after))
        if not known:  # an organisation not on the list is a source only if called an outlet
            context = context and bool(_OUTLET_BEFORE.search(before) or _OUTLET_AFTER.match(after))
        if known and (re.search(r"\(\s*$", before) and re.match(r"\s*\)", after)):
            context = True  # "(Reuters) -" dateline
        if known and _OUTLET_BEFORE.search(before):
            context = True
        if known and _OUTLET_AFTER.match(after):
            context = True
        if known and _SPEECH.search(_sentence_of(text, start, end)):
            context = True
        if context:
            found.setdefault(canonical, []).append((start, end))
    for m in _QUOTED_OUTLET.finditer(text) if "«" in text else ():  # the expression needs a «
        name = m.group("name").strip()
        canonical = agencies.get(name, name)
        found.setdefault(canonical, []).append((m.start("name"), m.end("name")))
    for m in _NAMED_OUTLET.finditer(text):
        name = (m.group("name") or m.group("name2") or "").strip()
        if m.group("name") and is_demonym(name.split()[0]):
            continue
        if not name or name in found or agencies.get(name, name) in found:
            continue
        canonical = agencies.get(name, name)
        before = text[max(0, m.start() - 40):m.start()]
        after = text[m.end():m.end() + 40]
        if _BEFORE.search(before) or _AFTER.match(after):
            found.setdefault(canonical, []).append((m.start(), m.end()))
    return [{"name": name, "spans": [list(s) for s in sorted(set(spans))]} for name, spans in found.items()]
