"""Which live stories an article is scored against: the same ones in every process."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from newsdesk_plugins.index.stories import MAX_CANDIDATES, candidates


def test_stories_tied_on_shared_keys_are_taken_in_story_id_order() -> None:
    hits = Counter({f"s{i:02d}": 2 for i in range(20)} | {"s99": 5, "s50": 3})
    assert candidates(hits, 5) == ["s99", "s50", "s00", "s01", "s02"]


def test_the_order_the_stories_were_counted_in_does_not_change_the_candidates() -> None:
    ids = [f"story-{i}" for i in range(3 * MAX_CANDIDATES)]
    forward: Counter[str] = Counter()
    backward: Counter[str] = Counter()
    for group in (ids, ids[::3]):
        forward.update(group)
    for group in (ids[::3][::-1], ids[::-1]):
        backward.update(group)
    assert candidates(forward) == candidates(backward)
    assert len(candidates(forward)) == MAX_CANDIDATES


_COUNT_FROM_SETS = """
from collections import Counter
from newsdesk_plugins.index.stories import candidates
by_key = {k: {f"story-{i}" for i in range(40)} for k in ("harbour", "storm")}
hits = Counter()
for k in ("harbour", "storm"):
    hits.update(by_key[k])
print(",".join(candidates(hits)))
"""


def test_candidates_counted_from_sets_are_the_same_under_any_string_hashing() -> None:
    """``by_key`` holds sets, whose order follows each process's hash seed."""
    seen = {subprocess.run([sys.executable, "-c", _COUNT_FROM_SETS], capture_output=True,
                           text=True, check=True, env={"PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(seen) == 1
