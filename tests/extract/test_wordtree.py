"""Word lists as regular expressions: the same matches as the plain alternation."""

from __future__ import annotations

import random
import re

from newsdesk_plugins.extract.wordtree import alternation


def test_the_stem_tree_matches_what_the_plain_alternation_matches() -> None:
    """``alternation`` (words as a tree of shared first letters) finds, at every position,
    what the plain "a|b|c" expression finds, also where one word is the start of another,
    a word is empty, or more of the expression follows and the engine backtracks."""
    rng = random.Random(5)
    for _ in range(600):
        words = ["".join(rng.choice("ab.") for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 6))]
        text = "".join(rng.choice("ab. ") for _ in range(60))
        for after in ("", "(?!a)", "b?\\."):
            plain = re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")" + after)
            tree = re.compile(alternation(words) + after)
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], words


def test_the_tree_ignoring_case_matches_what_the_plain_alternation_matches_with_re_i() -> None:
    """With ``ignore_case`` (for an expression compiled with ``re.I``) words that differ in
    the case of a letter share its branch and still match as the plain alternation does."""
    rng = random.Random(7)
    for _ in range(600):
        words = ["".join(rng.choice("aAbB") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))]
        text = "".join(rng.choice("aAbB ") for _ in range(60))
        for after in ("", "(?!a)", r"\s*$"):
            plain = re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")" + after, re.I)
            tree = re.compile(alternation(words, ignore_case=True) + after, re.I)
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], words
