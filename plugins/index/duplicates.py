"""Exact duplicates by a hash of the normalised text, near-duplicates (the same
article syndicated or lightly edited, in the same language) by MinHash LSH.

The signatures and the LSH bands are datasketch's MinHash (permutation scheme
``affine32``, seed 1) and MinHashLSH, value for value (tests/index/test_minhash.py
compares them with datasketch's own), computed here: importing datasketch imports
``scipy.integrate`` (for the one search of the LSH's band count), about 30 MB of
every process that imports it. A signature is numpy's work in the worker
(:func:`signature`); the daemon's LSH and Jaccard estimate use plain Python on the
signature's bytes, so neither numpy nor scipy is imported there.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache
from operator import eq
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
#: The seed of the permutations (datasketch's default).
SEED = 1
#: Bytes per signature value (``affine32``: one unsigned 32-bit value a permutation).
VALUE_BYTES = 4


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def digest(text: str, ws: list[str] | None = None) -> str:
    """A hash of the text's words in order: the same text with other spacing,
    punctuation or case hashes the same (``ws``: its words, when already split)."""
    return hashlib.sha1(" ".join(words(text) if ws is None else ws).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[Any, Any]:
    """The ``a`` (odd) and ``b`` of each permutation ``h -> a * h + b mod 2**32``, drawn as
    datasketch draws them for the ``affine32`` scheme."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def signature(text: str, num_perm: int, shingle: int, min_words: int,
              ws: list[str] | None = None) -> bytes | None:
    """The MinHash signature (``num_perm`` values, their bytes) of the text's word
    shingles; None for a text of fewer than ``min_words`` words (``ws``: its words,
    when already split).

    Words are hashed once (crc32 of their UTF-8, stable across runs; encoded in one
    piece and split, so no Python code runs per word) and shingle hashes are combined
    with numpy, so a long article costs one pass over its words. Each distinct shingle
    hash is mixed by MurmurHash3's 32-bit finaliser and permuted; a value is the least
    of its permutation over the shingles."""
    import numpy as np

    if ws is None:
        ws = words(text)
    if len(ws) < min_words:
        return None
    if not ws:  # no shingle: every value stays the largest (as datasketch leaves it)
        return b"\xff" * (num_perm * VALUE_BYTES)
    encoded = " ".join(ws).encode("utf-8").split(b" ")  # a word holds no space
    h = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(ws))
    k = min(shingle, len(ws))
    n = len(ws) - k + 1
    combined = h[:n].copy()
    for j in range(1, k):
        combined = (combined * np.uint64(0x9E3779B1) + h[j:j + n]) & np.uint64(0xFFFFFFFF)
    hv = np.unique(combined).astype(np.uint32)
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    a, b = _permutations(num_perm)
    values = (hv.reshape(-1, 1) * a + b).min(axis=0)
    return bytes(values.astype("<u4").tobytes())


def jaccard(one: bytes, other: bytes) -> float:
    """The Jaccard similarity two signatures estimate: the share of equal values."""
    a, b = array("I", one), array("I", other)
    if len(a) != len(b) or not a:
        raise ValueError(f"signatures of {len(a)} and {len(b)} values cannot be compared")
    return sum(map(eq, a, b)) / len(a)


def _legendre_nodes(n: int) -> list[tuple[float, float]]:
    """The ``n`` nodes and weights of Gauss-Legendre quadrature on [-1, 1] (Newton's method
    on the Legendre polynomial's roots): exact for a polynomial of degree < 2n."""
    nodes = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            step = p1 / dp
            x -= step
            if abs(step) < 1e-16:
                break
        p0, p1 = 1.0, x
        for k in range(2, n + 1):
            p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
        dp = n * (x * p1 - p0) / (x * x - 1)
        nodes.append((x, 2 / ((1 - x * x) * dp * dp)))
    return nodes


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """The bands and rows per band (b, r; b * r <= num_perm) whose chance of making a pair
    of a similarity below ``threshold`` a candidate and of missing a pair above it,
    integrated over the similarity and weighed alike, is least: datasketch's
    ``MinHashLSH`` choice. The probabilities are polynomials of degree b * r, so the
    Gauss-Legendre rule of ``num_perm // 2 + 1`` nodes integrates them exactly."""
    if num_perm < 2:
        raise ValueError("MinHash LSH needs at least 2 permutations")
    rule = _legendre_nodes(num_perm // 2 + 1)
    below = [(threshold / 2 * (x + 1), threshold / 2 * w) for x, w in rule]
    above = [((1 - threshold) / 2 * (x + 1) + threshold, (1 - threshold) / 2 * w)
             for x, w in rule]
    best, opt = math.inf, (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = sum(w * (1 - (1 - s ** float(r)) ** float(b)) for s, w in below)
            fn = sum(w * (1 - s ** float(r)) ** float(b) for s, w in above)
            error = fp * 0.5 + fn * 0.5
            if error < best:
                best, opt = error, (b, r)
    return opt


class NearDuplicates:
    """An in-memory LSH over signatures (:func:`signature`); the signatures themselves are
    stored by the caller. Each of the ``bands`` tables maps a band of ``rows`` values (its
    bytes) to the article that has it, or to the articles, in order, when several do."""

    def __init__(self, threshold: float, num_perm: int, shingle: int, min_words: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.min_words = min_words
        # The LSH is asked for candidates well below the threshold (fewer misses); each
        # candidate is then checked against the threshold on its full signature.
        self.bands, self.rows = lsh_params(max(0.3, threshold - 0.2), num_perm)
        if self.bands < 2:  # as datasketch's MinHashLSH refuses it
            raise ValueError(f"MinHash LSH with {num_perm} permutations at this threshold "
                             "has fewer than 2 bands")
        self._tables: list[dict[bytes, str | list[str]]] = [{} for _ in range(self.bands)]
        self._ids: set[str] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, rid: str) -> bool:
        return rid in self._ids

    def signature(self, text: str, ws: list[str] | None = None) -> bytes | None:
        """:func:`signature` with these settings."""
        return signature(text, self.num_perm, self.shingle, self.min_words, ws)

    def _keys(self, sig: bytes) -> list[bytes]:
        if len(sig) != self.num_perm * VALUE_BYTES:
            raise ValueError(f"a signature of {len(sig)} bytes; {self.num_perm} permutations "
                             f"make {self.num_perm * VALUE_BYTES}")
        step = self.rows * VALUE_BYTES
        return [sig[i * step:(i + 1) * step] for i in range(self.bands)]

    def candidates(self, sig: bytes) -> list[str]:
        """The articles sharing at least one band with the signature, by id."""
        found: set[str] = set()
        for key, table in zip(self._keys(sig), self._tables, strict=True):
            hit = table.get(key)
            if hit is None:
                continue
            if isinstance(hit, str):
                found.add(hit)
            else:
                found.update(hit)
        return sorted(found)

    def add(self, rid: str, sig: bytes) -> None:
        if rid in self._ids:
            return
        for key, table in zip(self._keys(sig), self._tables, strict=True):
            hit = table.get(key)
            if hit is None:
                table[key] = rid
            elif isinstance(hit, str):
                table[key] = [hit, rid]
            else:
                hit.append(rid)
        self._ids.add(rid)

    def add_all(self, items: Iterable[tuple[str, bytes]]) -> None:
        for rid, sig in items:
            self.add(rid, sig)
