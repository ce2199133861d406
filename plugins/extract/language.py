"""The body's language, by py3langid (its model ships in its wheel)."""

from __future__ import annotations

#: Fewer letters than this and the language is not guessed.
MIN_LETTERS = 20


def identify(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None if too little text."""
    sample = text[:1500]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)
