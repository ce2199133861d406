"""The index's MinHash signatures and LSH are datasketch's, value for value, without
importing it (datasketch, a test dependency, imports scipy)."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from newsdesk_plugins.index.duplicates import (
    VALUE_BYTES,
    NearDuplicates,
    jaccard,
    lsh_params,
    signature,
    words,
)

datasketch = pytest.importorskip("datasketch")


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(400)] + ["Zürich", "Київ", "łódź", "naïve", "Straße"]
    base = [rng.choice(vocab) for _ in range(300)]
    out = []
    for i in range(n):
        t = list(base) if i % 2 else [rng.choice(vocab) for _ in range(rng.randint(0, 400))]
        for _ in range(rng.randint(0, 40)):  # an edited copy of the same text, or another
            t[rng.randrange(len(t))] = rng.choice(vocab) if t else ""
        out.append(" ".join(t))
    return out


def _datasketch_signature(text: str, num_perm: int, shingle: int) -> bytes:
    """What the index computed with datasketch before (crc32 shingles, hashfunc=int)."""
    import zlib

    import numpy as np

    ws = words(text)
    h = np.fromiter(map(zlib.crc32, " ".join(ws).encode("utf-8").split(b" ")),
                    dtype=np.uint64, count=len(ws))
    k = min(shingle, len(ws))
    n = len(ws) - k + 1
    combined = h[:n].copy()
    for j in range(1, k):
        combined = (combined * np.uint64(0x9E3779B1) + h[j:j + n]) & np.uint64(0xFFFFFFFF)
    template = datasketch.MinHash(num_perm=num_perm)
    m = datasketch.MinHash(num_perm=num_perm, permutations=template.permutations,
                           scheme=template.scheme, hashfunc=int)
    m.update_batch(np.unique(combined).tolist())
    return bytes(m.hashvalues.tobytes())


@pytest.mark.parametrize("num_perm,shingle", [(128, 3), (64, 2), (256, 1), (16, 5)])
def test_a_signature_is_the_datasketch_minhash_of_the_same_shingles(num_perm: int,
                                                                    shingle: int) -> None:
    for text in _texts(40):
        if not words(text):
            continue
        ours = signature(text, num_perm, shingle, 1)
        assert ours is not None and len(ours) == num_perm * VALUE_BYTES
        assert ours == _datasketch_signature(text, num_perm, shingle)


def test_a_text_shorter_than_min_words_has_no_signature() -> None:
    assert signature("three words only", 128, 3, 30) is None
    assert signature("three words only", 128, 3, 3) is not None


def test_the_jaccard_estimate_is_datasketchs() -> None:
    sigs = [signature(t, 128, 3, 1) for t in _texts(20) if words(t)]
    for a in sigs:
        for b in sigs:
            assert a is not None and b is not None
            one = datasketch.MinHash(num_perm=128, hashvalues=_values(a), scheme="affine32")
            other = datasketch.MinHash(num_perm=128, hashvalues=_values(b), scheme="affine32")
            assert jaccard(a, b) == one.jaccard(other)


def test_signatures_of_another_length_are_refused() -> None:
    a = signature("a b c d e f", 128, 3, 1)
    b = signature("a b c d e f", 64, 3, 1)
    assert a is not None and b is not None
    with pytest.raises(ValueError, match="cannot be compared"):
        jaccard(a, b)
    with pytest.raises(ValueError, match="64 permutations"):
        NearDuplicates(0.8, 64, 3, 1).add("x", a)


def _values(sig: bytes) -> list[int]:
    from array import array

    return list(array("I", sig))


def test_the_band_count_is_datasketchs_for_every_threshold() -> None:
    from datasketch.lsh import _optimal_param

    for num_perm in (8, 16, 64, 128, 200, 256):
        for t in range(5, 100, 5):
            assert lsh_params(t / 100, num_perm) == _optimal_param(t / 100, num_perm, 0.5, 0.5), \
                (t, num_perm)


def test_the_lsh_finds_the_candidates_datasketchs_finds() -> None:
    texts = _texts(120, seed=11)
    near = NearDuplicates(0.8, 128, 3, 1)
    lsh = datasketch.MinHashLSH(threshold=0.6, num_perm=128)
    for i, text in enumerate(texts):
        sig = signature(text, 128, 3, 1)
        if sig is None:
            continue
        theirs = datasketch.MinHash(num_perm=128, hashvalues=_values(sig), scheme="affine32")
        assert near.candidates(sig) == sorted(lsh.query(theirs))
        near.add(f"a{i}", sig)
        lsh.insert(f"a{i}", theirs)
    assert len(near) == len(lsh.keys)
    assert any(len(near.candidates(s)) > 1 for s in
               (signature(t, 128, 3, 1) for t in texts) if s is not None)


def test_an_article_added_twice_is_one_candidate() -> None:
    near = NearDuplicates(0.8, 128, 3, 1)
    sig = signature(" ".join(f"w{i}" for i in range(50)), 128, 3, 1)
    assert sig is not None
    near.add("a", sig)
    near.add("a", sig)
    near.add("b", sig)
    assert near.candidates(sig) == ["a", "b"] and "a" in near and len(near) == 2


def test_the_index_plugin_imports_neither_scipy_nor_numpy_in_the_daemon() -> None:
    code = ("import sys\n"
            "from newsdesk_plugins.index.grouping import Grouper\n"
            "from newsdesk_plugins.index.plugin import IndexPlugin\n"
            "from newsdesk_plugins.index.duplicates import NearDuplicates, jaccard\n"
            "n = NearDuplicates(0.8, 128, 3, 30)\n"
            "n.add('a', b'\\x01' * 512); n.candidates(b'\\x01' * 512)\n"
            "print(sorted(m for m in ('scipy', 'numpy', 'datasketch') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
