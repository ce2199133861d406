"""A watchdog inotify observer that pairs move events by cookie in constant time.

watchdog's inotify backend holds every event in a delay queue so that an
``IN_MOVED_FROM`` can wait half a second for its ``IN_MOVED_TO``; pairing them
searches that queue from its head for the cookie. When files are renamed into
the inbox faster than the events are dispatched, the queue grows and each
rename costs a scan of it: a burst costs time quadratic in its size (a third of
the daemon's CPU in a burst of 5,000, more in larger ones). :class:`IndexedGrouper`
keeps the same queue and the same order of events, with the pending
``IN_MOVED_FROM`` events indexed by cookie, and releases a held
``IN_MOVED_FROM`` as soon as its ``IN_MOVED_TO`` pairs it (watchdog sleeps out
the whole delay).

The classes plug into watchdog where it allows (the observer's emitter class,
the watch group's grouper field). They need watchdog 7's inotify layout (7.0 and
7.1 checked; pyproject asks for watchdog >= 7.0); :func:`observer` returns
watchdog's own observer where that layout is missing (other platforms).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

try:
    from watchdog.observers.inotify import InotifyEmitter, InotifyObserver, InotifyWatchGroup
    from watchdog.observers.inotify_c import InotifyFD
    from watchdog.observers.inotify_move_event_grouper import (
        InotifyMoveEventGrouper,
    )
except ImportError:  # another platform, or another watchdog layout
    AVAILABLE = False
else:
    AVAILABLE = True

#: Seconds an unpaired IN_MOVED_FROM is held for its IN_MOVED_TO (watchdog's value).
DELAY_S = 0.5


class _Entry:
    __slots__ = ("event", "at", "delay", "live")

    def __init__(self, event: Any, at: float, delay: bool) -> None:
        self.event = event
        self.at = at
        self.delay = delay
        self.live = True


class IndexedGrouper:
    """The queue of one watch group: events in order, moved-from events by cookie.

    The same interface as watchdog's ``InotifyMoveEventGrouper``. An event taken
    out to be paired is marked dead in place (the pair goes to the tail, as in
    watchdog); :meth:`read_event` skips dead entries.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque[_Entry] = deque()
        self._from: dict[int, _Entry] = {}
        self._closed = False

    def read_event(self) -> Any:
        """Return the next event (or a ``(from, to)`` pair), or None once closed."""
        while True:
            with self._cond:
                while not self._closed and not self._queue:
                    self._cond.wait()
                if self._closed:
                    return None
                head = self._queue[0]
                if not head.live:
                    self._queue.popleft()
                    continue
                wait = head.at + DELAY_S - time.monotonic() if head.delay else 0.0
                if wait <= 0:
                    self._queue.popleft()
                    self._forget(head)
                    return head.event
                # Wait for the delay or for the head's IN_MOVED_TO, whichever comes first:
                # ``put_event`` notifies, and a paired head is dead at the next look.
                # (A sleep of the whole delay held every event behind a rename for half a
                # second whenever its IN_MOVED_TO was read a moment after its FROM.)
                self._cond.wait(wait)

    def put_event(self, event: Any) -> None:
        """Queue ``event``; an IN_MOVED_TO is paired with its queued IN_MOVED_FROM."""
        ev = event.ev
        with self._cond:
            if ev.is_moved_to:
                source = self._from.pop(ev.cookie, None)
                if source is not None:
                    source.live = False
                    event = (source.event, event)
            entry = _Entry(event, time.monotonic(), bool(ev.is_moved_from))
            if ev.is_moved_from:
                self._from.setdefault(ev.cookie, entry)
            self._queue.append(entry)
            self._cond.notify()

    def get_queued_moved_from_event(self, cookie: int) -> Any:
        """The queued IN_MOVED_FROM with ``cookie``, left in the queue (or None)."""
        with self._cond:
            entry = self._from.get(cookie)
            return entry.event if entry is not None else None

    def discard_pending_events(self) -> None:
        with self._cond:
            self._queue.clear()
            self._from.clear()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _forget(self, entry: _Entry) -> None:
        if entry.delay:
            cookie = entry.event.ev.cookie
            if self._from.get(cookie) is entry:
                del self._from[cookie]


if AVAILABLE:

    @dataclass
    class _WatchGroup(InotifyWatchGroup):
        _move_event_grouper: InotifyMoveEventGrouper = field(  # type: ignore[assignment]
            default_factory=IndexedGrouper, init=False)

    class _Emitter(InotifyEmitter):
        def on_thread_start(self) -> None:
            self._inotify = _WatchGroup(
                self._inotify_fd,
                os.fsencode(self.watch.path),
                is_recursive=self.watch.is_recursive,
                event_mask=self.get_event_mask_from_filter(),
                follow_symlink=self.watch.follow_symlink,
            )

    class IndexedInotifyObserver(BaseObserver):
        """watchdog's inotify observer with :class:`IndexedGrouper` in its watch groups."""

        def __init__(self) -> None:
            self._inotify_fd = InotifyFD()
            self._inotify_fd.start()
            super().__init__(_Emitter, inotify_fd=self._inotify_fd)

        def on_thread_stop(self) -> None:
            super().on_thread_stop()
            self._inotify_fd.stop()
            self._inotify_fd.join()


def observer() -> BaseObserver:
    """The inotify observer with indexed move pairing where watchdog's layout allows it,
    else watchdog's platform observer."""
    if AVAILABLE and Observer is InotifyObserver:
        return IndexedInotifyObserver()
    return Observer()
