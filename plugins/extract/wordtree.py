"""Lists of words as regular expressions the engine searches fast."""

from __future__ import annotations

import re
from collections.abc import Sequence


def alternation(words: Sequence[str], ignore_case: bool = False) -> str:
    """An expression that matches, at any position and inside any larger expression, as
    ``"|".join(map(re.escape, words))`` does (the words tried in their order), written as a
    tree of shared leading characters: the regex engine then tries a branch per distinct
    first character at each position instead of one per word (the event stems are 100
    words; a sentence's every position tried them all). Words with different first
    characters never match at the same place, so only the order of words that share
    one matters, and it is kept; no word is moved across an empty one.

    ``ignore_case``: for an expression compiled with ``re.I``, words are grouped by their
    first character in lower case (characters the engine folds together otherwise, such
    as "s" and the long "ſ", must not open two words of one list)."""
    parts: list[str] = []
    segment: dict[str, list[str]] = {}  # first character (its key) -> the words, in order
    for word in [*words, None]:
        if word:
            segment.setdefault(word[0].lower() if ignore_case else word[0], []).append(word)
            continue
        for group in segment.values():
            rests = [w[1:] for w in group]
            parts.append(re.escape(group[0][0]) + ("" if rests == [""] else alternation(rests, ignore_case)))
        segment = {}
        if word is not None:
            parts.append("")  # an empty word, where it stands in the order
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
