"""Admission: which inbox files are waiting, which are being read, and which to look at
again. Every structure here is keyed by one type, :data:`Key` (the file's absolute path
as ``str``), so that a file is never known under two spellings.

The watcher thread only calls :meth:`Admission.notify`; everything else runs in the
daemon's loop thread.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

import structlog

from newsdesk.names import safe_name
from newsdesk.watcher import backlog

log = structlog.get_logger("newsdesk.admission")

#: A file as admission knows it: its absolute path.
Key = str


def key_of(path: Path | str) -> Key:
    return str(path)


class Admission:
    """The queue of files to take, the files in flight, and the files to retry.

    ``limit`` is ``daemon.queue_size``: paths beyond it stay in the inbox and
    :attr:`shed` is set, so that a rescan takes them once the queue has room.
    """

    def __init__(self, limit: int, *, busy_elsewhere: Callable[[Key], bool]) -> None:
        self.limit = limit
        #: True for a file another part of the daemon holds (the mover, "keep").
        self.busy_elsewhere = busy_elsewhere
        self._incoming: deque[Key] = deque()
        self._incoming_lock = threading.Lock()
        self.queue: deque[Key] = deque()
        self.queued: set[Key] = set()
        #: From submission to a worker until the committer releases the file.
        self.in_flight: set[Key] = set()
        #: Reported again while in flight: looked at again once released.
        self.again: set[Key] = set()
        #: Files to take again at a time (``time.monotonic()``): still being written.
        self.retries: dict[Key, float] = {}
        self.shed = False

    # --- from the watcher thread -------------------------------------------------------

    def notify(self, path: Path | str) -> None:
        with self._incoming_lock:
            self._incoming.append(key_of(path))

    # --- the loop thread ---------------------------------------------------------------

    def drain_incoming(self) -> None:
        with self._incoming_lock:
            keys = list(self._incoming)
            self._incoming.clear()
        self.enqueue(keys)

    def enqueue(self, keys: Iterable[Path | str]) -> None:
        for item in keys:
            key = key_of(item)
            if key in self.queued:
                continue
            if len(self.queue) >= self.limit:
                self.shed = True  # left in the inbox; a rescan takes it later
                continue
            self.retries.pop(key, None)
            self.queued.add(key)
            self.queue.append(key)

    @property
    def waiting(self) -> bool:
        """Anything queued, shed or due to be retried."""
        return bool(self.queue or self.shed or self.retries)

    def take_next(self) -> Key | None:
        """Pop the next file to submit; None when the queue is empty. A file already in
        flight is not submitted twice: it is marked to be looked at again."""
        while self.queue:
            key = self.queue.popleft()
            self.queued.discard(key)
            if key in self.in_flight:
                self.again.add(key)
                continue
            self.in_flight.add(key)
            return key
        return None

    def release(self, key: Key) -> None:
        """The daemon is done with ``key``: queue it again if it was reported meanwhile."""
        self.in_flight.discard(key)
        if key in self.again:
            self.again.discard(key)
            self.enqueue([key])

    def retry_later(self, key: Key, delay_s: float) -> None:
        """Release ``key`` and take it again after ``delay_s`` (a file still written)."""
        self.in_flight.discard(key)
        self.again.discard(key)
        self.retries[key] = time.monotonic() + delay_s

    def next_retry_in(self) -> float | None:
        if not self.retries:
            return None
        return max(0.0, min(self.retries.values()) - time.monotonic())

    def due_retries(self) -> None:
        now = time.monotonic()
        due = [k for k, at in self.retries.items() if at <= now]
        for key in due:
            del self.retries[key]
        self.enqueue(due)

    def rescan(self, inbox: Path, ignore: list[str], stable_before: float | None,
               candidate: Callable[[Path], None]) -> int:
        """Queue files that no event announced (events lost, watcher restarted, a full
        queue); hand files still changing to ``candidate``. Returns how many it queued."""
        settled, fresh = backlog(inbox, ignore, stable_before)
        found = 0
        for path in settled:
            key = key_of(path)
            if (key in self.in_flight or key in self.queued or key in self.retries
                    or self.busy_elsewhere(key)):
                continue
            found += 1
            self.enqueue([key])
        for path in fresh:
            candidate(path)
        if found:
            log.info("rescan took files that were waiting in the inbox", files=found)
        return found

    def describe(self, key: Key) -> str:
        return safe_name(Path(key).name)
