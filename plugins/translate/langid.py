"""Which language a passage is in: py3langid (its model ships in its wheel), restricted
to the languages expected, with a script check for text none of them is written in."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
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


class LanguageId:
    """Identifies passages; the model loads on first use (once per process)."""

    def __init__(self, languages: Sequence[str], min_letters: int, min_confidence: float) -> None:
        self.languages = [code.lower() for code in languages]
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self._model: Any = None
        scripts = {SCRIPTS.get(code, "LATIN") for code in self.languages}
        #: None: every language py3langid knows is a candidate, so no script is refused.
        self.scripts: set[str] | None = scripts if self.languages else None

    def _identifier(self) -> Any:
        if self._model is None:
            from py3langid.langid import _load_identifier

            model = _load_identifier(norm_probs=True)
            unknown = sorted(set(self.languages) - set(model.nb_classes))
            if unknown:
                raise ValueError(f"[translate] languages: {', '.join(unknown)} not known to py3langid")
            if self.languages:
                model.set_languages(self.languages)
            self._model = model
        return self._model

    def warm(self) -> None:
        """Load the model now (a worker does this as it starts)."""
        self._identifier()

    def judge(self, text: str, relaxed: bool = False) -> tuple[str | None, float]:
        """Return (language, confidence) of ``text``.

        The language is None when the passage is too short or too ambiguous to judge
        (it then inherits its neighbours'), and ``"und"`` when its letters are in a
        script none of the expected languages is written in. ``relaxed``: judge
        whatever has three letters, half as sure (the last resort for a text of short
        lines only).
        """
        if letters(text) < (3 if relaxed else self.min_letters):
            return None, 0.0
        script = script_of(text)
        if self.scripts is not None and script not in self.scripts:
            return UNKNOWN, 1.0
        lang, prob = self._identifier().classify(text[:2000])
        if float(prob) < (self.min_confidence / 2 if relaxed else self.min_confidence):
            return None, float(prob)
        return str(lang), float(prob)


def known_languages() -> set[str]:
    """The languages py3langid's model knows."""
    from py3langid.langid import _load_identifier

    return set(_load_identifier().nb_classes)
