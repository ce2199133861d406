"""Exact duplicates by a hash of the normalised text, near-duplicates (the same
article syndicated or lightly edited, in the same language) by MinHash LSH
(datasketch)."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def digest(text: str, ws: list[str] | None = None) -> str:
    """A hash of the text's words in order: the same text with other spacing,
    punctuation or case hashes the same (``ws``: its words, when already split)."""
    return hashlib.sha1(" ".join(words(text) if ws is None else ws).encode("utf-8")).hexdigest()


class NearDuplicates:
    """An in-memory LSH over word shingles; signatures are stored by the caller."""

    def __init__(self, threshold: float, num_perm: int, shingle: int, min_words: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.min_words = min_words
        self._template = MinHash(num_perm=num_perm)
        # The LSH is asked for candidates well below the threshold (fewer misses); each
        # candidate is then checked against the threshold on its full signature.
        self.lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)

    def signature(self, text: str, ws: list[str] | None = None) -> MinHash | None:
        """The MinHash of the text's word shingles; None for a text too short to tell
        (``ws``: its words, when already split).

        Words are hashed once (crc32 of their UTF-8, stable across runs; encoded in one
        piece and split, so no Python code runs per word) and shingle hashes are
        combined with numpy, so a long article costs one pass over its words."""
        if ws is None:
            ws = words(text)
        if len(ws) < self.min_words:
            return None
        encoded = " ".join(ws).encode("utf-8").split(b" ")  # a word holds no space
        h = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(ws))
        k = min(self.shingle, len(ws))
        n = len(ws) - k + 1
        combined = h[:n].copy()
        for j in range(1, k):
            combined = (combined * np.uint64(0x9E3779B1) + h[j:j + n]) & np.uint64(0xFFFFFFFF)
        m = MinHash(num_perm=self.num_perm, permutations=self._template.permutations,
                    scheme=self._template.scheme, hashfunc=int)
        m.update_batch(np.unique(combined).tolist())
        return m

    def from_bytes(self, data: bytes) -> MinHash:
        values = np.frombuffer(data, dtype=self._template.hashvalues.dtype)
        return MinHash(num_perm=self.num_perm, permutations=self._template.permutations,
                       scheme=self._template.scheme, hashfunc=int,
                       hashvalues=values.copy())

    @staticmethod
    def to_bytes(m: MinHash) -> bytes:
        return bytes(m.hashvalues.tobytes())

    def candidates(self, m: MinHash) -> list[str]:
        return [str(k) for k in self.lsh.query(m)]

    def add(self, rid: str, m: MinHash) -> None:
        if rid not in self.lsh:
            self.lsh.insert(rid, m)

    def add_all(self, items: Iterable[tuple[str, MinHash]]) -> None:
        for rid, m in items:
            self.add(rid, m)
