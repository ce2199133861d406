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

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import filterfalse
from operator import itemgetter
from typing import Protocol

from newsdesk_plugins.index.names import sound_key
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


#: An article dated before a story's first article, beyond the window, joins it (its date
#: then taken for a stray one) only from this score.
STRAY_SCORE = 0.5
#: Below this cosine of the name keys, names do not make a story (entities alone may).
MIN_NAMES = 0.25
#: Names alone join what the English words of both sides keep apart only from this cosine.
STRONG_NAMES = 0.6
#: Letters a name key keeps (inflected and transliterated forms share their start).
KEY_LETTERS = 4
#: Name keys kept per article.
ARTICLE_KEYS = 30
_CAPITAL = re.compile(r"(?<![\w.])([^\W\d_][\w\-]*)", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
_WORD_OR_HYPHEN = re.compile(r"[\w\-]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SENTENCE_END = re.compile(r"[.!?:\n]\s*$")
_NUMBER = re.compile(r"(?<![\w.,\-])(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)(?!\w|-\d|[.,]\d)")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,\u00a0 ]\d{3})+")
_SEPARATORS = re.compile(r"[.,\u00a0 ]")
_JOINER = re.compile(r"[ \t\-]+")


def _fold(word: str) -> str:
    """A word's sound key (:func:`names.sound_key`: the forms of a name in every script
    and transliteration meet) cut to ``KEY_LETTERS``."""
    return sound_key(word)[:KEY_LETTERS]


def number_keys(text: str, year: int | None = None) -> list[str]:
    """The numbers of the text that can tell one event from another, as ``~#`` keys, the
    same in every language (`2.000`, `2,000` and `2000` are 2000; `6,8` and `6.8` are 6.8):
    from 32 up (smaller ones are days of the month and small counts every story has),
    not the year of the article's date nor the one before or after it."""
    out = []
    for m in _NUMBER.finditer(text[:6000]):
        raw = m.group(1)
        if _THOUSANDS.fullmatch(raw):
            value = _SEPARATORS.sub("", raw)
        else:
            value = raw.replace(",", ".")
        if "." not in value:
            n = int(value)
            if n < 32 or (year is not None and abs(n - year) <= 1):
                continue
        out.append("~#" + value)
    return out


def name_runs(title: str, text: str) -> list[list[str]]:
    """The article's names as runs of name keys: its capitalised words not at the start
    of a sentence (names, and German nouns), each part of a hyphenated word on its own,
    by sound (:func:`_fold`), a run being the words written one after the other with
    nothing but a space or a hyphen between them (`Robert Fico`, `Banská Bystrica`).

    The words are found by an expression that starts only at a capital (``_capitals``),
    so that the other words cost nothing; a capital after a hyphen is checked to be where
    ``_CAPITAL`` would start a word (not inside a word it takes whole, like
    `pro-Russian`). Skipping the other words changes no run: the text between two
    capitalised words then holds them, and no run joins across them. A body with
    characters beyond U+FFFF goes word by word through ``_CAPITAL``."""
    runs: list[list[str]] = []
    body = f"{title}\n{text[:6000]}"
    capitals = _capitals() if body.isascii() or not _ASTRAL.search(body) else None
    last_end = -1  # where the run before ended (-1: no run open)
    for m in (capitals or _CAPITAL).finditer(body):
        word = m.group(1)
        start = m.start()
        joined = last_end >= 0 and _JOINER.fullmatch(body[last_end:start]) is not None
        last_end = -1
        if capitals is None:
            if not word[0].isupper():
                continue
        elif start and body[start - 1] == "-" and _inside_a_word(body, start):
            continue
        if start == 0 or _SENTENCE_END.search(body[max(0, start - 3):start]):
            continue  # a sentence's first word: no name, and no part of the next one
        keys = ["~" + k for k in (_fold(p) for p in word.split("-") if len(p) >= KEY_LETTERS)
                if len(k) == KEY_LETTERS]
        if not keys:
            continue
        if joined:
            runs[-1].extend(keys)
        else:
            runs.append(keys)
        last_end = m.end()
    return runs


def _inside_a_word(body: str, at: int) -> bool:
    """Whether ``_CAPITAL`` takes ``body[at]`` (after a hyphen) into a word starting before
    it: the first place of the run of word characters and hyphens holding it where a word
    may start (a letter, after nothing of ``[\\w.]`` at the run's start, else after a
    hyphen) is before ``at``."""
    first = at - 1
    while first > 0 and _WORD_OR_HYPHEN.match(body, first - 1):
        first -= 1
    for p in range(first, at):
        if _LETTER.match(body, p) and (
                (p == first and (p == 0 or body[p - 1] != ".")) or (p > first and body[p - 1] == "-")):
            return True
    return False


@functools.cache
def _capitals() -> re.Pattern[str]:
    """``_CAPITAL`` starting only at a capital letter of the Basic Multilingual Plane (the
    letters whose ``isupper()`` is true, as one explicit set)."""
    ranges: list[str] = []
    start = None
    for cp in range(0x10000 + 1):
        ch = chr(cp) if cp <= 0xFFFF else ""
        capital = bool(ch) and ch.isupper() and _LETTER.fullmatch(ch) is not None
        if capital and start is None:
            start = cp
        elif not capital and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return re.compile(r"(?<![\w.])([" + "".join(ranges) + r"][\w\-]*)")


def name_keys(title: str, text: str, idf: IdfLike | None = None,
              skip: Iterable[str] = (), runs: list[list[str]] | None = None) -> dict[str, float]:
    """The keys of the article's names (:func:`name_runs`) as ``~key`` terms, weighted by
    count and rarity, L2-normalised: a language-neutral trace of who and where, for
    articles compared across languages without a translation. The words of the entities
    in ``skip`` are left out."""
    return top_terms(name_key_counts(runs if runs is not None else name_runs(title, text), skip),
                     ARTICLE_KEYS, idf)


def name_key_counts(runs: list[list[str]], skip: Iterable[str] = ()) -> dict[str, int]:
    """The counts :func:`name_keys` weighs (they do not depend on the other articles)."""
    skipped = {"~" + _fold(w) for n in skip for w in _WORD.findall(n)}
    return dict(Counter(k for run in runs for k in run if k not in skipped))


def top_terms(counts: dict[str, int], limit: int, idf: IdfLike | None = None) -> dict[str, float]:
    """The ``limit`` terms of ``counts`` weighing most (1 + log of the count, times the
    term's idf when given), L2-normalised."""
    if isinstance(idf, _IdfView):  # the same sums as ``_IdfView.get``, without a call a term
        df, docs, log = idf.df, 1 + idf.n, math.log
        weights = {k: (1 + log(c)) * (log(docs / (1 + df.get(k, 0))) + 1.0)
                   for k, c in counts.items()}
    else:
        weights = {k: (1 + math.log(c)) * (idf.get(k, 1.0) if idf else 1.0)
                   for k, c in counts.items()}
    return _normalise(dict(heaviest(weights, limit)))


def heaviest(weights: dict[str, float], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` heaviest items, ties by term: ``sorted(weights.items(), key=lambda kv:
    (-kv[1], kv[0]))[:limit]``, sorted twice (by term, then by weight, a stable sort) for
    half the cost of a key tuple per item."""
    return sorted(sorted(weights.items()), key=itemgetter(1), reverse=True)[:limit]


def name_groups(runs: list[list[str]]) -> dict[str, str]:
    """Which name each key belongs to: the keys of one run are one name (`Claire` and
    `Dubois` are one person), so that names are counted rather than words."""
    groups: dict[str, str] = {}
    for run in runs:
        owner = next((groups[k] for k in run if k in groups), run[0] if run else "")
        for k in run:
            old = groups.get(k)
            if old is not None and old != owner:  # two names found to be one: merge
                for j, g in list(groups.items()):
                    if g == old:
                        groups[j] = owner
            groups[k] = owner
    return groups


def split_terms(v: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(English words, name keys), each L2-normalised on its own."""
    words = {k: x for k, x in v.items() if not k.startswith("~")}
    keys = {k: x for k, x in v.items() if k.startswith("~")}
    return _normalise(words), _normalise(keys)


class IdfLike(Protocol):
    def get(self, term: str, default: float = 1.0) -> float: ...


def stop_words() -> frozenset[str]:
    from stop_words import get_stop_words

    extra = {"said", "says", "told", "also", "would", "could", "one", "two", "new", "year",
             "years", "first", "last", "week", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "according", "people", "time", "percent"}
    return frozenset(get_stop_words("en")) | extra


def terms(title: str, text: str, stop: frozenset[str], limit: int = ARTICLE_TERMS,
          idf: IdfLike | None = None) -> dict[str, float]:
    """The article's top terms (title words count twice), L2-normalised weights."""
    return top_terms(term_counts(title, text, stop), limit, idf)


def term_counts(title: str, text: str, stop: frozenset[str]) -> dict[str, int]:
    """The counts :func:`terms` weighs (they do not depend on the other articles)."""
    # Counted in C (the same counts, in the same order: the title's words first)
    counts: Counter[str] = Counter()
    for w, n in Counter(filterfalse(stop.__contains__, _WORD.findall(title.lower()))).items():
        counts[w] = 2 * n
    counts.update(filterfalse(stop.__contains__, _WORD.findall(text[:6000].lower())))
    return dict(counts)


@dataclass(frozen=True)
class Counts:
    """All of an article's story features that do not depend on the other articles
    (computed in the worker: ``prepare.py``): the English term counts, the name-key
    counts, which name each key belongs to, and the entities by sound."""

    words: dict[str, int]
    #: :func:`name_runs`, and :func:`number_keys` read for no year (the year the daemon
    #: gives the article, and its neighbours, are left out there: :func:`for_year`).
    runs: list[list[str]]
    numbers: list[str]
    entities: list[str]
    #: :func:`name_groups` of ``runs`` (the numbers' keys, each a name of its own, are
    #: left out: a key not in it is its own name).
    groups: dict[str, str] = field(default_factory=dict)


def article_counts(title: str, en_title: str, en_text: str, entities: Iterable[str],
                   text: str, stop: frozenset[str]) -> Counts:
    """``Counts`` of an article (``stop``: :func:`stop_words`)."""
    names = sorted({e.lower() for e in entities if e})
    # Entities meet by sound (`Роберт Фицо` is `Robert Fico`, `Banska Bystrica` is
    # `Banská Bystrica`); their words stay out of the terms.
    keyed = sorted({"@" + k for k in (sound_key(n) for n in names) if k})
    # The words of the entity names are left out of the terms: entities are compared
    # on their own, and the terms then say what happened rather than to whom.
    stop = stop | {w for n in names for w in _WORD.findall(n)}
    runs = name_runs(title, text)
    return Counts(term_counts(en_title, en_text, stop), runs,
                  number_keys(f"{title}\n{text}"), keyed, name_groups(runs))


def for_year(numbers: list[str], year: int | None) -> list[str]:
    """``number_keys(text, year)`` from ``number_keys(text)``: without the whole numbers
    within one of ``year``."""
    if year is None:
        return numbers
    return [k for k in numbers if "." in k or abs(int(k[2:]) - year) > 1]


def _normalise(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {k: round(x / norm, 5) for k, x in v.items()} if norm else {}


def top_entities(s: StoryRow) -> set[str]:
    """A story's main entities: its 12 most counted."""
    return {k for k, _ in sorted(s.entities.items(), key=lambda kv: -kv[1])[:12]}


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
    #: No date to go by (none, or an implausible one): the time is the story's.
    undated: bool = False
    #: The name each name key belongs to (:func:`name_groups`).
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class _Live:
    row: StoryRow
    keys: set[str] = field(default_factory=set)
    #: :func:`top_entities` of ``row`` (set by ``Stories._index``).
    top: set[str] = field(default_factory=set)
    #: ``split_terms`` of ``row.terms``, and the terms dict it was made from (a story's
    #: terms are replaced, never changed in place, when an article joins it).
    _split: tuple[dict[str, float], tuple[dict[str, float], dict[str, float]]] | None = None

    def split(self) -> tuple[dict[str, float], dict[str, float]]:
        if self._split is None or self._split[0] is not self.row.terms:
            self._split = (self.row.terms, split_terms(self.row.terms))
        return self._split[1]


def candidates(hits: Counter[str], n: int = MAX_CANDIDATES) -> list[str]:
    """The ``n`` stories sharing the most keys, ties broken by story id: the same
    candidates whatever order the stories were counted in (``by_key`` holds sets, whose
    order changes with each process's string hashing)."""
    return [sid for sid, _ in heapq.nsmallest(n, hits.items(), key=lambda kv: (-kv[1], kv[0]))]


class Stories:
    """Online story clustering over a sliding window; the caller persists rows."""

    def __init__(self, window_days: float, threshold: float) -> None:
        self.window = window_days * DAY
        self.threshold = threshold
        self.live: dict[str, _Live] = {}
        self.by_key: dict[str, set[str]] = {}
        self.stop = stop_words()
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.newest = 0.0

    # --- features ------------------------------------------------------------------

    def features(self, t: float, title: str, en_title: str, en_text: str,
                 entities: Iterable[str], text: str = "", counts: Counts | None = None) -> Features:
        """The article's features; ``counts``: its :func:`article_counts`, when already
        counted (in the worker), else counted here."""
        idf = self._idf() if self.docs >= 50 else None
        if counts is None:
            counts = article_counts(title, en_title, en_text, entities, text, self.stop)
        year = datetime.fromtimestamp(t, UTC).year if t > 0 else None
        runs = counts.runs + [[k] for k in for_year(counts.numbers, year)]
        words = top_terms(counts.words, ARTICLE_TERMS, idf)
        keys = top_terms(name_key_counts(runs), ARTICLE_KEYS, idf)
        return Features(t=t, terms={**words, **keys}, entities=list(counts.entities),
                        title=en_title or title, names=counts.groups)

    def _idf(self) -> IdfLike:
        return _IdfView(self.df, self.docs)

    def count_terms(self, f: Features) -> None:
        self.df.update(f.terms.keys())
        self.docs += 1

    # --- assigning -----------------------------------------------------------------

    def score(self, f: Features, s: StoryRow,
              split: tuple[tuple[dict[str, float], dict[str, float]],
                           tuple[dict[str, float], dict[str, float]]] | None = None,
              top: set[str] | None = None) -> float:
        """How well an article fits a story, from two kinds of evidence.

        Words: the cosine of the English terms (at least ``MIN_TEXT``), plus the share
        of the article's entities among the story's main ones; only when both sides
        have English (a translation, or the article itself).

        Names: the cosine of the name keys (the capitalised words of the original text
        by sound, cut to their first letters, weighted by how rare they are, so
        `Tokajewa`, `Tokáyev` and `Токаев` meet), when they share at least
        ``MIN_SHARED`` names (a name's words count once: the same mayor and city may be
        another event), plus the share of entities; in every language pair. Entities
        are compared by sound too (`Роберт Фицо` is `Robert Fico`).

        When both sides have English and the words say another happening (the same
        people and places, other words), names alone must agree at ``STRONG_NAMES`` or
        share more than ``MIN_SHARED`` names. ``split``: ``split_terms`` of the
        article's and of the story's terms, when known; ``top``: the story's main
        entities (:func:`top_entities`), when known."""
        (words_f, keys_f), (words_s, keys_s) = split or (split_terms(f.terms),
                                                         split_terms(s.terms))
        if top is None:
            top = top_entities(s)
        shared = len(top.intersection(f.entities))
        ent = shared / max(1, min(len(f.entities), len(top))) if f.entities else 0.0
        names = cosine(keys_f, keys_s) if keys_f and keys_s else 0.0
        common = {f.names.get(k, k) for k in set(keys_f).intersection(keys_s)}
        by_names = 0.6 * names + 0.4 * ent if names >= MIN_NAMES and len(common) >= MIN_SHARED else 0.0
        if not words_f or not words_s:  # no English on one side
            if by_names:
                return by_names
            return ent * 0.8 if shared >= MIN_SHARED else 0.0  # entities alone: enough
        text = cosine(words_f, words_s)
        if text < MIN_TEXT or (shared == 0 and text < 0.5):
            # the same people and places, but perhaps not the same happening
            return by_names if names >= STRONG_NAMES or len(common) > MIN_SHARED else 0.0
        return max(0.65 * text + 0.35 * ent, by_names)

    def best(self, f: Features, anytime: bool = False) -> tuple[str, float] | None:
        """The best story for the article: one active around its time, or one whose
        articles have no date (any story when ``anytime``: the article's date is
        unknown), scoring at least the threshold."""
        return self._best(f, lambda s: anytime or s.undated
                          or s.first - self.window <= f.t <= s.last + self.window,
                          self.threshold)

    def best_before(self, f: Features) -> tuple[str, float] | None:
        """A story the article's date is implausible for: one of at least two dated
        articles, all more than the window after the article's date, that it fits at
        ``STRAY_SCORE`` or more. Reports are not written before their event, so such
        a date is more likely a stray one (a related link's, a copyright line's) than
        the article's; a follow-up long *after* a story is not taken (it may be a new
        event with the same people and words)."""
        return self._best(f, lambda s: not s.undated and s.n >= 2
                          and f.t < s.first - self.window,
                          max(self.threshold, STRAY_SCORE))

    def _best(self, f: Features, fits: Callable[[StoryRow], bool],
              threshold: float) -> tuple[str, float] | None:
        hits: Counter[str] = Counter()
        keys = f.entities + sorted(f.terms, key=lambda k: -f.terms[k])[:KEY_TERMS]
        for k in keys:
            hits.update(self.by_key.get(k, ()))
        best: tuple[str, float] | None = None
        split_f = split_terms(f.terms)  # once for every candidate
        # Only the stories sharing the most keys are scored (the others cannot reach
        # the threshold in practice, and scoring all would cost a cosine each).
        for sid in candidates(hits):
            live = self.live.get(sid)
            if live is None:
                continue
            s = live.row
            if not fits(s):
                continue
            sc = self.score(f, s, (split_f, live.split()), live.top)
            if sc >= threshold and (best is None or sc > best[1]
                                    or (sc == best[1] and sid < best[0])):
                best = (sid, sc)
        return best

    def join(self, sid: str | None, new_id: str, f: Features) -> StoryRow:
        """Add the article to story ``sid`` (or a new story named after ``new_id``)."""
        if sid is None or sid not in self.live:
            row = StoryRow(id=sid or new_id, first=f.t, last=f.t, n=0, title=f.title,
                           terms={}, entities={}, undated=f.undated)
            self.live[row.id] = _Live(row)
        live = self.live[sid or new_id]
        s = live.row
        merged = {k: v * s.n for k, v in s.terms.items()}
        for k, v in f.terms.items():
            merged[k] = merged.get(k, 0.0) + v
        s.n += 1
        s.terms = _normalise(dict(heaviest(merged, STORY_TERMS)))
        for e in f.entities:
            s.entities[e] = s.entities.get(e, 0) + 1
        if len(s.entities) > 60:
            s.entities = dict(sorted(s.entities.items(), key=lambda kv: -kv[1])[:60])
        if s.undated and not f.undated:  # the first dated article gives the story its time
            s.first, s.last, s.undated = f.t, f.t, False
        elif not f.undated:
            s.first, s.last = min(s.first, f.t), max(s.last, f.t)
        if not s.title:
            s.title = f.title
        self._index(live)
        if not f.undated:
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
        live.top = top_entities(s)  # the story's entities change only here and at load
        keys |= live.top
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
