"""Stories: articles about the same event, across outlets and languages.

An article is compared with the stories active around its time (last seen
within ``window_days``) on two things the languages share: the English text
(its translation, or itself when English) as weighted terms, and the
canonical entity names extract wrote. It joins the best story that scores
over the threshold, else it starts one. A story lives on as long as articles
keep joining it within the window, so day-to-day developments of an event
are linked the way Europe Media Monitor links its daily clusters over a week.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from newsdesk_plugins.index.state import StoryRow

DAY = 86400.0
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
#: Terms kept per article and per story centroid.
ARTICLE_TERMS = 40
STORY_TERMS = 80
#: Entities an article without English text must share with a story to join it.
MIN_SHARED = 3
#: Below this cosine of the English terms, shared entities alone do not make a story.
MIN_TEXT = 0.2
#: Candidate stories scored per article (those sharing the most keys with it).
MAX_CANDIDATES = 12
#: Terms of a story that lead to it as a candidate.
KEY_TERMS = 15


#: Below this cosine of the name keys, an article without English joins by entities alone.
MIN_NAMES = 0.25
#: Letters a name key keeps (inflected and transliterated forms share their start).
KEY_LETTERS = 4
#: Name keys kept per article.
ARTICLE_KEYS = 30
_CAPITAL = re.compile(r"(?<![\w.])([^\W\d_][\w\-]*)", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:\n]\s*$")


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """A word in Latin letters, lower case, cut to ``KEY_LETTERS`` (names recur: each
    is transliterated once)."""
    from anyascii import anyascii

    return str(anyascii(word)).lower()[:KEY_LETTERS]


def name_keys(title: str, text: str, idf: IdfLike | None = None,
              skip: Iterable[str] = ()) -> dict[str, float]:
    """The article's capitalised words not at the start of a sentence (names, and
    German nouns), folded to Latin letters and cut to ``KEY_LETTERS``, as ``~key``
    terms, L2-normalised: a language-neutral trace of who and where, for articles
    compared across languages without a translation. The words of the entities in
    ``skip`` are left out (entities are compared on their own, as with the terms)."""
    skipped = {_fold(w) for n in skip for w in _WORD.findall(n)}
    counts: Counter[str] = Counter()
    body = f"{title}\n{text[:6000]}"
    for m in _CAPITAL.finditer(body):
        word = m.group(1)
        if not word[0].isupper() or len(word) < KEY_LETTERS:
            continue
        if _SENTENCE_END.search(body[max(0, m.start() - 3):m.start()]) or m.start() == 0:
            continue
        key = _fold(word)
        if len(key) == KEY_LETTERS and key.isalpha() and key not in skipped:
            counts["~" + key] += 1
    weights = {k: (1 + math.log(c)) * (idf.get(k, 1.0) if idf else 1.0) for k, c in counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:ARTICLE_KEYS]
    return _normalise(dict(top))


def _keys_of(names: Iterable[str]) -> set[str]:
    return {"~" + _fold(w) for n in names for w in _WORD.findall(n)}


def split_terms(v: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(English words, name keys), each L2-normalised on its own."""
    words = {k: x for k, x in v.items() if not k.startswith("~")}
    keys = {k: x for k, x in v.items() if k.startswith("~")}
    return _normalise(words), _normalise(keys)


class IdfLike(Protocol):
    def get(self, term: str, default: float = 1.0) -> float: ...


def _stopwords() -> frozenset[str]:
    from stop_words import get_stop_words

    extra = {"said", "says", "told", "also", "would", "could", "one", "two", "new", "year",
             "years", "first", "last", "week", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "according", "people", "time", "percent"}
    return frozenset(get_stop_words("en")) | extra


def terms(title: str, text: str, stop: frozenset[str], limit: int = ARTICLE_TERMS,
          idf: IdfLike | None = None) -> dict[str, float]:
    """The article's top terms (title words count twice), L2-normalised weights."""
    counts: Counter[str] = Counter()
    for w in _WORD.findall(title.lower()):
        if w not in stop:
            counts[w] += 2
    for w in _WORD.findall(text[:6000].lower()):
        if w not in stop:
            counts[w] += 1
    weights = {t: (1 + math.log(c)) * (idf.get(t, 1.0) if idf else 1.0)
               for t, c in counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return _normalise(dict(top))


def _normalise(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {k: round(x / norm, 5) for k, x in v.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


@dataclass
class Features:
    """What an article brings to story matching."""

    t: float
    terms: dict[str, float]
    entities: list[str]
    title: str


@dataclass
class _Live:
    row: StoryRow
    keys: set[str] = field(default_factory=set)


class Stories:
    """Online story clustering over a sliding window; the caller persists rows."""

    def __init__(self, window_days: float, threshold: float) -> None:
        self.window = window_days * DAY
        self.threshold = threshold
        self.live: dict[str, _Live] = {}
        self.by_key: dict[str, set[str]] = {}
        self.stop = _stopwords()
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.newest = 0.0

    # --- features ------------------------------------------------------------------

    def features(self, t: float, title: str, en_title: str, en_text: str,
                 entities: Iterable[str], text: str = "") -> Features:
        idf = self._idf() if self.docs >= 50 else None
        names = sorted({e.lower() for e in entities if e})
        # The words of the entity names are left out of the terms: entities are compared
        # on their own, and the terms then say what happened rather than to whom.
        stop = self.stop | {w for n in names for w in _WORD.findall(n)}
        words = terms(en_title, en_text, stop, idf=idf)
        keys = name_keys(title, text, idf)
        return Features(t=t, terms={**words, **keys}, entities=names, title=en_title or title)

    def _idf(self) -> IdfLike:
        return _IdfView(self.df, self.docs)

    def count_terms(self, f: Features) -> None:
        self.df.update(f.terms.keys())
        self.docs += 1

    # --- assigning -----------------------------------------------------------------

    def score(self, f: Features, s: StoryRow) -> float:
        """How well an article fits a story: cosine of the English terms (at least
        ``MIN_TEXT``), plus the share of the article's entities that are among the
        story's main ones. Without English on one side: the cosine of the name keys
        (the capitalised words of the original text, in Latin letters, cut to their
        first letters, so `Tokajewa`, `Tokáyev` and `Токаев` meet) with the entities."""
        words_f, keys_f = split_terms(f.terms)
        words_s, keys_s = split_terms(s.terms)
        text = cosine(words_f, words_s) if words_f and words_s else 0.0
        top = {k for k, _ in sorted(s.entities.items(), key=lambda kv: -kv[1])[:12]}
        shared = len(top.intersection(f.entities))
        ent = shared / max(1, min(len(f.entities), len(top))) if f.entities else 0.0
        if not words_f or not words_s:  # no English on one side
            names = cosine(keys_f, keys_s) if keys_f and keys_s else 0.0
            # the names must share more than the entities' own words (the same mayor
            # and city may be another event)
            if names >= MIN_NAMES and shared >= 1 and set(keys_f).intersection(keys_s) - _keys_of(f.entities):
                return 0.6 * names + 0.4 * ent
            return ent * 0.8 if shared >= MIN_SHARED else 0.0  # entities alone: enough
        if text < MIN_TEXT or (shared == 0 and text < 0.5):
            return 0.0  # the same people and places, but not the same happening
        return 0.65 * text + 0.35 * ent

    def best(self, f: Features, anytime: bool = False) -> tuple[str, float] | None:
        """The best story for the article: one active around its time (any time when
        ``anytime``: the article's date is unknown) scoring at least the threshold."""
        hits: Counter[str] = Counter()
        keys = f.entities + sorted(f.terms, key=lambda k: -f.terms[k])[:KEY_TERMS]
        for k in keys:
            hits.update(self.by_key.get(k, ()))
        best: tuple[str, float] | None = None
        # Only the stories sharing the most keys are scored (the others cannot reach
        # the threshold in practice, and scoring all would cost a cosine each).
        for sid, _ in hits.most_common(MAX_CANDIDATES):
            live = self.live.get(sid)
            if live is None:
                continue
            s = live.row
            if not anytime and not (s.first - self.window <= f.t <= s.last + self.window):
                continue
            sc = self.score(f, s)
            if sc >= self.threshold and (best is None or sc > best[1]
                                         or (sc == best[1] and sid < best[0])):
                best = (sid, sc)
        return best

    def join(self, sid: str | None, new_id: str, f: Features) -> StoryRow:
        """Add the article to story ``sid`` (or a new story named after ``new_id``)."""
        if sid is None or sid not in self.live:
            row = StoryRow(id=sid or new_id, first=f.t, last=f.t, n=0, title=f.title,
                           terms={}, entities={})
            self.live[row.id] = _Live(row)
        live = self.live[sid or new_id]
        s = live.row
        merged = {k: v * s.n for k, v in s.terms.items()}
        for k, v in f.terms.items():
            merged[k] = merged.get(k, 0.0) + v
        s.n += 1
        top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_TERMS]
        s.terms = _normalise(dict(top))
        for e in f.entities:
            s.entities[e] = s.entities.get(e, 0) + 1
        if len(s.entities) > 60:
            s.entities = dict(sorted(s.entities.items(), key=lambda kv: -kv[1])[:60])
        s.first, s.last = min(s.first, f.t), max(s.last, f.t)
        if not s.title:
            s.title = f.title
        self._index(live)
        self.newest = max(self.newest, f.t)
        return s

    def load(self, row: StoryRow) -> None:
        live = _Live(row)
        self.live[row.id] = live
        self._index(live)
        self.newest = max(self.newest, row.last)

    def _index(self, live: _Live) -> None:
        s = live.row
        keys = set(sorted(s.terms, key=lambda k: -s.terms[k])[:KEY_TERMS])
        keys |= {k for k, _ in sorted(s.entities.items(), key=lambda kv: -kv[1])[:12]}
        for k in live.keys - keys:
            self.by_key.get(k, set()).discard(s.id)
        for k in keys - live.keys:
            self.by_key.setdefault(k, set()).add(s.id)
        live.keys = keys

    def expire(self) -> None:
        """Forget stories no article has joined for twice the window (they stay on disk)."""
        cut = self.newest - 2 * self.window
        for sid in [sid for sid, live in self.live.items() if live.row.last < cut]:
            for k in self.live[sid].keys:
                self.by_key.get(k, set()).discard(sid)
            del self.live[sid]


class _IdfView:
    """Inverse document frequencies computed on lookup from running counts."""

    def __init__(self, df: Counter[str], n: int) -> None:
        self.df = df
        self.n = n

    def get(self, term: str, default: float = 1.0) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0
