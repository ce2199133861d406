"""How long a batch of finished records waits for company (newsdesk.commit)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from newsdesk.admission import Admission
from newsdesk.commit import BURST_FACTOR, Committer, Finished


class _Journal:
    def done_among(self, digests: list[str]) -> set[str]:
        raise AssertionError("nothing may be written while the batch waits")


def _committer(batch_ms: float) -> tuple[Committer, Admission]:
    admission = Admission(100, busy_elsewhere=lambda key: False)
    none: Any = None
    journal: Any = _Journal()
    return Committer(none, journal, none, admission, batch_ms=batch_ms, guard=none,
                     pause=none, metrics=none), admission


def _ready(committer: Committer, age_s: float) -> None:
    committer.add(Finished(Path("a.txt"), "d" * 64, [], done_at=time.monotonic() - age_s))


def test_a_batch_waits_batch_ms_when_no_file_is_queued() -> None:
    committer, _ = _committer(batch_ms=20)
    _ready(committer, age_s=0.005)
    timeout = committer.timeout()
    assert timeout is not None and 0.0 < timeout <= 0.015


def test_in_a_burst_a_batch_waits_longer_for_company_and_is_not_written_early() -> None:
    committer, admission = _committer(batch_ms=20)
    admission.enqueue([Path("queued.txt")])  # a file waits beyond what the workers hold
    _ready(committer, age_s=0.05)  # older than batch_ms, younger than the burst's wait
    timeout = committer.timeout()
    assert timeout is not None and 0.0 < timeout <= 0.02 * BURST_FACTOR - 0.05
    committer.flush(in_flight=3)  # workers busy: not due yet (the journal would raise)
    assert len(committer.ready) == 1
    admission.take_next()  # the queue is empty again: the batch is overdue
    assert committer.timeout() == 0.0


def test_batch_ms_0_writes_at_once_even_in_a_burst() -> None:
    committer, admission = _committer(batch_ms=0)
    admission.enqueue([Path("queued.txt")])
    _ready(committer, age_s=0.0)
    assert committer.timeout() == 0.0
