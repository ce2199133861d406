"""Lists of words as regular expressions the engine searches fast."""

from __future__ import annotations

import re


def alternation(words: list[str]) -> str:
    """An expression that matches, at any position and inside any larger expression, as
    ``"|".join(map(re.escape, words))`` does (the words tried in their order), written as a
    tree of shared leading characters: the regex engine then tries a branch per distinct
    first character at each position instead of one per word (the event stems are 100
    words; a sentence's every position tried them all). Words with different first
    characters never match at the same place, so only the order of words that share
    one matters, and it is kept; no word is moved across an empty one."""
    parts: list[str] = []
    segment: dict[str, list[str]] = {}  # first character -> the rests, in order
    for word in [*words, None]:
        if word:
            segment.setdefault(word[0], []).append(word[1:])
            continue
        parts += [re.escape(first) + ("" if rests == [""] else alternation(rests))
                  for first, rests in segment.items()]
        segment = {}
        if word is not None:
            parts.append("")  # an empty word, where it stands in the order
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
