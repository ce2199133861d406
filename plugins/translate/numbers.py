"""Numbers must survive translation: compare those of a passage and its translation."""

from __future__ import annotations

import re
from collections import Counter

#: A number as written: digits with decimal or thousands separators inside (a space
#: separates thousands only between groups of three digits: "10 000", not "2020 100").
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?!\d)|\d+(?:[.,]\d+)*")


def numbers(text: str) -> Counter[str]:
    """Return the numbers in ``text`` as their digit strings (separators dropped, so
    "1.500", "1,500" and "1 500" are the same number)."""
    return Counter(re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text))


def mismatch(source: str, translation: str) -> bool:
    """True when the digits of ``source`` and ``translation`` differ as multisets."""
    return numbers(source) != numbers(translation)
