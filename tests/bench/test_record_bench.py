"""The scoring of benchmarks/record_bench.py, on records the test writes itself."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _bench():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("record_bench", BENCH / "record_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["record_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_a_snippet_counts_as_found_across_line_breaks_and_a_without_snippet_as_a_false_positive():
    bench = _bench()
    row = {"with": ["the ferry  runs again", "not in the text"], "without": ["Sign up now"]}
    assert bench.snippet_counts("Today the ferry\nruns again.\n\nSign up now", row) == (1, 1, 1)


def test_the_halves_split_by_a_fixed_hash_and_a_micro_f1_adds_counts_before_dividing():
    bench = _bench()
    assert {bench.half(i) for i in range(20)} == {"dev", "check"}
    assert bench.half("page-7") == bench.half("page-7")
    tally = bench.Tally("f1")
    tally.add("a", (3, 1, 0))
    tally.add("b", (1, 0, 3))
    assert tally.value() == 2 * 4 / (2 * 4 + 1 + 3)


def test_a_title_must_match_exactly_and_a_date_to_the_day():
    bench = _bench()
    assert bench.title_ok(" Storm closes port ", "Storm closes port")
    assert not bench.title_ok("Storm closes port | Daily", "Storm closes port")
    assert bench.day_ok("2024-03-05T10:00:00+01:00", "2024-03-05")
    assert not bench.day_ok(None, "2024-03-05")
    assert bench.author_counts(["Ann Lee", "Bob Ray"], "Ann Lee") == (1, 1, 0)
