"""The score of issue 3: F1 of 4-word shingles between an output body and a reference body.

Words are the whitespace-separated tokens, lower-cased. A text's shingles are
the set of its runs of 4 consecutive words (a text of fewer than 4 words has
its whole word tuple as its one shingle). Precision is the share of the
output's shingles found in the reference's, recall the share of the
reference's found in the output's, F1 their harmonic mean. Two empty texts
score 1; one empty text scores 0. Averages are over documents.
"""

from __future__ import annotations

N = 4


def shingles(text: str, n: int = N) -> set[tuple[str, ...]]:
    words = text.lower().split()
    if not words:
        return set()
    if len(words) < n:
        return {tuple(words)}
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def prf(output: str, reference: str) -> tuple[float, float, float]:
    """Return (precision, recall, F1) of ``output`` against ``reference``."""
    out, ref = shingles(output), shingles(reference)
    if not out and not ref:
        return 1.0, 1.0, 1.0
    if not out or not ref:
        return 0.0, 0.0, 0.0
    common = len(out & ref)
    p, r = common / len(out), common / len(ref)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
