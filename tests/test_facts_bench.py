"""The facts benchmark's scoring (benchmarks/facts_bench.py): what counts as a hit."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import facts_bench  # noqa: E402


def test_a_range_is_the_same_count_as_a_number_with_min_and_max() -> None:
    label = {"value": [20, 30], "event": "KILL"}
    record = {"value": 20, "min": 20, "max": 30, "event": "KILL"}
    assert facts_bench.count_key(label) == facts_bench.count_key(record)
    assert facts_bench.count_key({"value": 5, "event": "KILL"}) == (5, 5, "KILL")


def test_a_wrong_speaker_is_counted_apart_from_a_missing_one() -> None:
    item = {"id": "x", "entities": [], "counts": [],
            "quotes": [{"text": "We will stay until the end of the week", "speaker": "Anna Berg"},
                       {"text": "Nobody told us anything about the plan", "speaker": "Olaf Ries"}]}
    rec = {"quotes": [{"text": "We will stay until the end of the week", "speaker": "Olaf Ries"},
                      {"text": "Nobody told us anything about the plan", "speaker": None}]}
    s = facts_bench.score_labelled([item], {"L-x": rec})
    assert (s.quotes, s.speakers_ok, s.speakers_wrong) == (2, 0, 1)


def test_pairwise_f1_is_one_for_the_gold_grouping_and_zero_without_stories() -> None:
    gold = {"a": "s1", "b": "s1", "c": "s2", "d": "s2"}
    assert facts_bench.pairwise(gold, {"a": "x", "b": "x", "c": "y", "d": "y"})[2] == 1.0
    assert facts_bench.pairwise(gold, {k: "" for k in gold})[2] == 0.0
    # all in one story: every gold pair found, four wrong pairs
    p, r, _ = facts_bench.pairwise(gold, {k: "x" for k in gold})
    assert (round(p, 3), r) == (0.333, 1.0)


def test_the_halves_split_by_a_fixed_hash_of_the_id() -> None:
    ids = [f"a{n}" for n in range(40)]
    halves = [facts_bench.half_of(i) for i in ids]
    assert halves == [facts_bench.half_of(i) for i in ids]
    assert 10 < halves.count("dev") < 30


def test_a_found_count_whose_qualifier_differs_is_counted_as_not_kept() -> None:
    item = {"id": "x", "entities": [], "quotes": [],
            "counts": [{"value": 40, "event": "ARREST", "qualifier": "about"},
                       {"value": 9, "event": "KILL", "qualifier": "at least"}]}
    rec = {"facts": [{"value": 40, "min": 40, "max": 40, "event": "ARREST", "qualifier": "about"},
                     {"value": 9, "min": 9, "max": 9, "event": "KILL", "qualifier": None}]}
    s = facts_bench.score_labelled([item], {"L-x": rec})
    assert s.qualified == [2, 1]
