"""A watchdog inotify observer that pairs move events by cookie in constant time.

watchdog's inotify backend holds every event in a delay queue so that an
``IN_MOVED_FROM`` can wait half a second for its ``IN_MOVED_TO``; pairing them
searches that queue from its head for the cookie. When files are renamed into
the inbox faster than the events are dispatched, the queue grows and each
rename costs a scan of it: a burst costs time quadratic in its size (a third of
the daemon's CPU in a burst of 5,000, more in larger ones). :class:`IndexedGrouper`
indexes the waiting ``IN_MOVED_FROM`` events by cookie, releases one as soon as
its ``IN_MOVED_TO`` pairs it (watchdog sleeps out the whole delay), and does not
hold later events behind one that waits (watchdog does, half a second for every
file moved out of the folder).

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
    """A held IN_MOVED_FROM: when it came, and whether it still waits for its pair."""

    __slots__ = ("event", "at", "live")

    def __init__(self, event: Any, at: float) -> None:
        self.event = event
        self.at = at
        self.live = True


class IndexedGrouper:
    """The queue of one watch group: events in order, moved-from events by cookie.

    The same interface as watchdog's ``InotifyMoveEventGrouper``. An ``IN_MOVED_FROM``
    waits for its ``IN_MOVED_TO`` in a queue of its own (``_held``), so the events after
    it are not held behind it: watchdog holds every later event for up to half a second
    behind a file moved out of the folder. The pair, when the TO comes, goes to the tail
    of the main queue (as in watchdog); a FROM left unpaired comes out alone after the
    delay, possibly after events that came later. newsdesk watches one folder, not
    recursively, for created, closed and moved-in files: a lone FROM is a deletion it
    ignores, so nothing it acts on changes order.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque[Any] = deque()  # events and (from, to) pairs, in order
        self._held: deque[_Entry] = deque()  # IN_MOVED_FROM events, oldest first
        self._from: dict[int, _Entry] = {}
        self._closed = False

    def read_event(self) -> Any:
        """Return the next event (or a ``(from, to)`` pair), or None once closed."""
        with self._cond:
            while True:
                if self._closed:
                    return None
                if self._queue:
                    return self._queue.popleft()
                while self._held and not self._held[0].live:
                    self._held.popleft()  # paired meanwhile: its pair is in the queue
                if not self._held:
                    self._cond.wait()
                    continue
                head = self._held[0]
                wait = head.at + DELAY_S - time.monotonic()
                if wait <= 0:
                    self._held.popleft()
                    self._forget(head)
                    return head.event
                # Until the delay ends, or an event or the head's IN_MOVED_TO comes:
                # ``put_event`` notifies.
                self._cond.wait(wait)

    def put_event(self, event: Any) -> None:
        """Queue ``event``; an IN_MOVED_TO is paired with its held IN_MOVED_FROM."""
        ev = event.ev
        with self._cond:
            if ev.is_moved_from:
                entry = _Entry(event, time.monotonic())
                self._from.setdefault(ev.cookie, entry)
                self._held.append(entry)
            else:
                if ev.is_moved_to:
                    source = self._from.pop(ev.cookie, None)
                    if source is not None:
                        source.live = False
                        event = (source.event, event)
                self._queue.append(event)
            self._cond.notify()

    def get_queued_moved_from_event(self, cookie: int) -> Any:
        """The held IN_MOVED_FROM with ``cookie``, left where it is (or None)."""
        with self._cond:
            entry = self._from.get(cookie)
            return entry.event if entry is not None else None

    def discard_pending_events(self) -> None:
        with self._cond:
            self._queue.clear()
            self._held.clear()
            self._from.clear()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _forget(self, entry: _Entry) -> None:
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

        def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False,
                     **options: Any) -> Any:
            """Watch ``path``, not recursively: watchdog's recursive bookkeeping asks its
            grouper questions :class:`IndexedGrouper` does not answer."""
            if recursive:
                raise ValueError("the indexed inotify observer watches one folder, not recursively")
            return super().schedule(event_handler, path, recursive=False, **options)

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
