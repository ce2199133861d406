"""Quotations and who said them: “…”, "…", «…», „…“, and dash lines
("– We will not leave, said X") with the attribution in the same or next line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsdesk_plugins.extract.wordtree import alternation

_PAIRS = re.compile(r"“(?P<a>[^”“]{3,1500})”|«(?P<b>[^»«]{3,1500})»|„(?P<c>[^“”„\"\n]{3,1500})[“”\"]|\"(?P<d>[^\"\n]{3,1500})\"")
#: Verbs of speech after a dash quote ("– We will not leave, said X"), in the languages the
#: rules read; a quote's attribution may use these and the verbs of ``_MORE_ATTR_VERBS``.
_DASH_VERBS = (
    "said", "says", "added", "told", "сказал", "сказала", "заявил", "заявила", "отметил",
    "отметила", "сообщил", "сообщила", "sagte", "erklärte", "dijo", "afirmó", "declaró", "señaló",
    "explicó", "añadió", "aseguró", "indicó", "detto", "dichiarato", "affermato", "spiegato",
    "aggiunto", "sottolineato", "powiedział", "powiedziała", "stwierdził", "stwierdziła", "dodał",
    "dodała", "podkreślił", "podkreśliła", "oświadczył", "oświadczyła", "déclaré", "affirmé",
    "expliqué", "ajouté", "souligné", "déclare", "affirme", "сказав", "заявив",
    "зазначив", "зазначила", "додав", "додала", "повідомив", "повідомила", "наголосив",
    "наголосила",
)
_MORE_ATTR_VERBS = ("asked", "replied", "wrote", "stated", "warned", "sagt", "betonte", "добавил", "добавила")
_DASH_LINE = re.compile(r"^[ \t]*[–—-][ \t]+(?P<q>[^\n]{3,1500}?)(?:,|\s)[ \t]*[–—-]?[ \t]*(?P<attr>(?:"
                        + "|".join(_DASH_VERBS) + r")\b.*)$", re.M)
_DASH_OPEN = re.compile(r"^[ \t]*[–—-][ \t]+(?P<q>[^\n]{10,1500})$", re.M)
_NEXT_ATTR = re.compile(r"[ \t]*[–—-]\s*(?P<attr>[^\n]{3,200})")
_SENT_END = re.compile(r"[.!?](?=\s|$)")
#: The verbs as a ``wordtree.alternation`` (the same matches as "|".join of them, faster).
_VERBS = alternation(_DASH_VERBS + _MORE_ATTR_VERBS, ignore_case=True)
_ATTR = re.compile(r"\b(?:" + _VERBS + r")\b", re.I)
#: (Polish "on" is left out: it is the English preposition in "wrote on Telegram".)
_PRONOUN_WORDS = r"(?:he|she|they|er|sie|он|она|él|ella|lui|lei|ona|il|elle|він|вона)"
#: A pronoun as the speaker: next to a verb of speech ("he said", "sagte sie", "– добавил он");
#: a pronoun alone ("on Telegram" read as Polish "on") is no attribution.
_PRONOUN = re.compile(rf"\b{_PRONOUN_WORDS}\s+(?:\w+\s+)?(?:{_VERBS})\b"
                      rf"|\b(?:{_VERBS})\s+{_PRONOUN_WORDS}\b", re.I)
#: "..., a shop owner said", "– said the spokeswoman": a speaker the text does not name.
_UNNAMED = re.compile(r"[\s,–—-]*(?:(?:a|an|the|one|some|another|ein|eine|der|die|un|una|el|la)\s+)"
                      r"?(?:[a-zа-яäöüß]+\s+){0,3}?(?:" + _VERBS + r")\b(?!\s+[A-ZА-Я])", re.I)
#: A quote shorter than this many words is a phrase in quotation marks, not a quotation.
MIN_WORDS = 4


@dataclass
class Quote:
    text: str
    speaker: str | None
    span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "speaker": self.speaker, "span": list(self.span)}


Persons = list[tuple[int, int, str, str]]  # start, end, canonical name, type


def _next_line(text: str, line_end: int) -> int:
    """The start of the line after ``line_end``, skipping one blank line."""
    pos = line_end + 1
    if text.startswith("\n", pos) or re.match(r"[ \t]+\n", text[pos:pos + 20]):
        pos = text.find("\n", pos) + 1
    return pos


#: A name right after one of these is what is spoken on, in or to, not who speaks
#: ("wrote on Telegram", "told the BNS news agency", "said in Almaty"); "according to X"
#: names the source.
_OBJECT_BEFORE = re.compile(r"(?:\b(?:on|in|(?<!according\s)to|at|from|with|told|auf|im|in|zu|в|во|на|по|w|na|dla|en|a)\s+(?:the\s+)?"
                            r"(?:(?-i:[a-zа-яё]+)\s+){0,2})$", re.I)


def _speaker_in(window_start: int, window_end: int, people: Persons, prefer_last: bool = False,
                persons_only: bool = False, text: str = "") -> str | None:
    inside = [p for p in people if p[0] >= window_start and p[1] <= window_end
              and not (text and _OBJECT_BEFORE.search(text[max(0, p[0] - 40):p[0]]))]
    per = [p for p in inside if p[3] == "PER"] or (
        [] if persons_only else [p for p in inside if p[3] == "ORG"])
    if not per:
        return None
    return (per[-1] if prefer_last else per[0])[2]


def _sole_speaker_before(text: str, para: int, people: Persons) -> str | None:
    """The speaker of the sentence closing the previous paragraph ("X, a lawyer, said ...
    .\n\n“...,” he said."): its only person, when the sentence opens with that person and
    has a verb of speech; else None."""
    body = text[:para].rstrip()
    cut = max(body.rfind(". ", 0, len(body) - 1), body.rfind("\n", 0, len(body) - 1))
    sentence_start = cut + 1
    if not _ATTR.search(body[sentence_start:]):
        return None
    inside = [p for p in people if p[0] >= sentence_start and p[1] <= len(body) and p[3] == "PER"]
    names = {p[2] for p in inside}
    subject = inside and not body[sentence_start:inside[0][0]].strip()  # the sentence opens with it
    return names.pop() if subject and len(names) == 1 else None


def find_quotes(text: str, people: Persons) -> list[Quote]:
    """Return the quotations in ``text``; ``people`` are the entity mentions
    (PER first, ORG as fallback speakers) with canonical names."""
    quotes: list[Quote] = []
    last_speaker: str | None = None
    spans: list[tuple[int, int, str]] = []
    for m in _PAIRS.finditer(text):
        body = next(g for g in m.groups() if g is not None)
        spans.append((m.start(), m.end(), body.strip()))
    for m in _DASH_LINE.finditer(text):
        spans.append((m.start("q"), m.end("q"), m.group("q").strip(" ,")))
    for m in _DASH_OPEN.finditer(text):
        # its attribution on the next line, also after one blank line
        nxt = _NEXT_ATTR.match(text, _next_line(text, m.end())) if m.end() + 1 < len(text) else None
        if nxt and not any(s <= m.start("q") < e for s, e, _ in spans):
            spans.append((m.start("q"), m.end("q"), m.group("q").strip()))
    for start, end, body in sorted(spans):
        if len(body.split()) < MIN_WORDS:
            continue
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, start) + 1
        sentence_end = _SENT_END.search(text, end)
        after_end = min(line_end, end + 160, sentence_end.end() if sentence_end else len(text))
        speaker = None
        after = text[end:after_end]
        if _ATTR.search(after) or re.match(r"\s*[,–—-]", after):
            speaker = _speaker_in(end, after_end, people, text=text)
        pronoun = bool(_PRONOUN.search(text[end:min(line_end, end + 40)]))
        if speaker is None and not pronoun and _UNNAMED.match(after):
            # "..., a shop owner said": the text names no one; a name earlier in the
            # sentence is someone else
            quotes.append(Quote(body, None, (start, end)))
            continue
        if speaker is None:
            before_start = max(line_start, start - 200)
            prev_end = text.rfind(". ", before_start, start)
            speaker = _speaker_in(prev_end + 1 if prev_end >= 0 else before_start, start, people,
                                  prefer_last=True, text=text)
        if speaker is None and line_end < len(text):
            # the next line, also after one blank line ("\n\n– said police spokesman X")
            nxt = _NEXT_ATTR.match(text, _next_line(text, line_end))
            if nxt and _ATTR.search(nxt.group("attr")):
                speaker = _speaker_in(nxt.start("attr"), nxt.end("attr"), people, text=text)
        if speaker is None and pronoun:
            # "he said": the previous speaker, else the last person named before the
            # quote in its paragraph
            para = text.rfind("\n\n", 0, start)
            speaker = last_speaker or _speaker_in(para + 1 if para >= 0 else 0, start, people,
                                                  prefer_last=True, persons_only=True)
            if speaker is None and para > 0:
                speaker = _sole_speaker_before(text, para, people)
        if speaker is not None:
            last_speaker = speaker
        quotes.append(Quote(body, speaker, (start, end)))
    return quotes
