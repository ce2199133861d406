"""The garbage collector's settings of the long-running daemon (newsdesk.heap)."""

from __future__ import annotations

import gc

from newsdesk.heap import GC_YOUNG, settle_collector


def test_settling_freezes_what_start_up_made_and_sweeps_the_young_less_often() -> None:
    before = gc.get_threshold()
    try:
        made = {"a": [1]}  # a container the collector tracks
        assert any(o is made for o in gc.get_objects())
        settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GC_YOUNG, *before[1:])
        # frozen: in the permanent generation, which no sweep walks
        assert not any(o is made for o in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
