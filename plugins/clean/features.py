"""Per-line statistics the line cleaner decides on: words, stop words, dates, shape."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

LANGS = ("en", "ru", "de", "pl", "es", "fr", "it")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
#: :data:`_WORD` for a line of ASCII characters only, whose letters are A-Z and a-z
#: (the same words; a plain character range is quicker to test than a Unicode class).
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
_TOKEN = re.compile(r"\S+")
TERMINAL = tuple(".!?…:;\"'»”“)]。！？」』") + ("...",)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Return the stop words of each language (from the stop-words package).

    English's list holds every letter of the alphabet: of its one-letter words
    only "a" and "i" are kept, or any line of initials would look like prose.
    One-letter words of the other languages (Polish "w", "z"; Russian "в", "и")
    are real prepositions and conjunctions and stay.
    """
    from stop_words import get_stop_words

    out = {}
    for lang in LANGS:
        words = {w.casefold() for w in get_stop_words(lang)}
        if lang == "en":
            words = {w for w in words if len(w) > 1 or w in ("a", "i")}
        out[lang] = frozenset(words)
    return out


@lru_cache(maxsize=1)
def _stopword_langs() -> dict[str, tuple[int, ...]]:
    """Each stop word of :func:`stopwords`, to the indexes in :data:`LANGS` of the
    languages having it."""
    langs: dict[str, list[int]] = {}
    for i, lang in enumerate(LANGS):
        for word in stopwords()[lang]:
            langs.setdefault(word, []).append(i)
    return {word: tuple(found) for word, found in langs.items()}


def guess_lang(words: Sequence[str], folded: bool = False) -> str:
    """Return the language among :data:`LANGS` whose stop words cover most of the first
    250 of ``words`` (``folded``: the words are case-folded already); the first of
    :data:`LANGS` on a tie. Each word is looked up once, for every language."""
    first = words[:250] if folded else " ".join(words[:250]).casefold().split(" ")
    index = _stopword_langs()
    scores = [0] * len(LANGS)
    for word in first:
        for i in index.get(word, ()):
            scores[i] += 1
    best = max(range(len(LANGS)), key=scores.__getitem__)
    return LANGS[best]


@lru_cache(maxsize=1)
def _month_names() -> frozenset[str]:
    """Month and weekday names of the seven languages, from dateparser's language data."""
    import importlib

    keys = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    names: set[str] = set()
    for lang in LANGS:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        for k in keys:
            for name in info.get(k, []):
                n = name.casefold().rstrip(".")
                if len(n) >= 3:
                    names.add(n)
    return frozenset(names)


_NUMERIC_DATE = re.compile(
    r"\b(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_NUMBER = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_RELATIVE = re.compile(
    r"\b\d+\s*(?:h|hrs?|hours?|min|mins|minutes?|days?|weeks?|months?|years?|ч|час\w*|мин\w*|дн\w*|"
    r"std|stunden?|tagen?|godz\w*|dni|horas?|días?|heures?|jours?|ore|giorni)\b\.?\s*(?:ago|назад|temu|fa)?",
    re.IGNORECASE,
)


#: The longest line, in words, whose date and time pieces are counted: the rules that
#: read them are about short lines (a Posted/Updated line or a dateline of at most 14
#: words, an embedded post's attribution of at most 16), and the two searches for them
#: cost as much as the rest of a long line's statistics.
DATE_LINE_WORDS = 16


@dataclass(slots=True)
class LineStats:
    """What the cleaner knows about one line (not changed once made; not frozen, which
    makes it five times slower to build, and there is one for every line). What few
    rules read (:attr:`tokens`, :attr:`lower_ratio`) is worked out when they ask."""

    text: str
    words: int
    stop_ratio: float
    terminal: bool
    #: Counted only in lines of at most :data:`DATE_LINE_WORDS` words (0 in longer lines).
    date_tokens: int
    digits: bool
    #: The line's words, case-folded (empty when it has none).
    folded: tuple[str, ...] = ()
    #: The line's words as written.
    cased: Sequence[str] = ()

    @property
    def tokens(self) -> int:
        """How many runs of non-space characters the line has."""
        return len(self.text.split())

    @property
    def lower_ratio(self) -> float:
        """The share of the line's words that open with a lower-case letter."""
        if not self.words:
            return 0.0
        return sum(map(str.islower, map(itemgetter(0), self.cased))) / self.words

    @property
    def prose(self) -> bool:
        """A line that reads like a sentence of running text."""
        if self.words >= 15 and self.terminal and self.stop_ratio >= 0.2:
            return True
        return self.words >= 30 and self.stop_ratio >= 0.25

    @property
    def prose_loose(self) -> bool:
        """Running text by a lower bar, for an extractor's output (mostly story already)."""
        if self.words >= 8 and self.terminal and self.stop_ratio >= 0.15:
            return True
        return self.words >= 20 and self.stop_ratio >= 0.2


def date_tokens(line: str, folded: Sequence[str] | None = None) -> int:
    """Return how many date or time pieces ``line`` holds (numeric dates, times, month names
    beside a number, relative times like "3 hours ago"); ``folded``: its case-folded words."""
    n = len(_NUMERIC_DATE.findall(line)) + len(_RELATIVE.findall(line))
    if _NUMBER.search(line):
        months = _month_names()
        words = folded if folded is not None else [w.casefold() for w in _WORD.findall(line)]
        n += sum(1 for w in words if w in months)
        if n and _YEAR.search(line):
            n += 1
    return n


def words_of(line: str) -> list[str]:
    """Return the words of ``line`` (letters, with inner apostrophes and hyphens)."""
    return _ASCII_WORD.findall(line) if line.isascii() else _WORD.findall(line)


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def stats(line: str, stop: frozenset[str], words: list[str] | None = None,
          folded: tuple[str, ...] | None = None, cyrillic: bool = True) -> LineStats:
    """Return the :class:`LineStats` of ``line`` using the stop words ``stop``
    (``words``, ``folded``: the line's words, and case-folded, when the caller has them
    already; ``cyrillic``: False when the caller knows the line has no Cyrillic letter)."""
    if words is None:
        words = words_of(line)
    n = len(words)
    if n:
        if folded is None:
            folded = tuple(" ".join(words).casefold().split(" "))
        hits = sum(map(stop.__contains__, folded))
        if cyrillic and _CYRILLIC.search(line):
            hits = max(hits, sum(map(stopwords()["ru"].__contains__, folded)))
    else:
        folded = ()
        hits = 0
    stripped = line.rstrip()
    digits = _DIGIT.search(line) is not None
    return LineStats(
        text=line,
        words=n,
        stop_ratio=hits / n if n else 0.0,
        terminal=stripped.endswith(TERMINAL),
        date_tokens=date_tokens(line, folded) if digits and n <= DATE_LINE_WORDS and len(line) < 200 else 0,
        digits=digits,
        folded=folded,
        cased=words,
    )
