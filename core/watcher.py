"""Watching the inbox with watchdog, and deciding when a file is complete.

A file is complete on close-after-write or when it is moved into the inbox
(inotify on Linux). Where those events do not exist (the polling observer,
for network filesystems) a file is complete when its size and mtime have not
changed for ``stable_s`` seconds; files that are created but never reported
closed take that path too. The handlers never raise: an exception in a
watchdog handler would kill the observer thread, so each one is caught and
logged, and :meth:`Watcher.alive` lets the daemon check the thread itself.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import structlog
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from newsdesk.inotify_grouping import observer as native_observer
from newsdesk.scan import is_ignored

log = structlog.get_logger("newsdesk.watcher")


#: The only events asked of the kernel: fewer events, less risk of overflowing its queue.
EVENTS: list[type[FileSystemEvent]] = [FileCreatedEvent, FileClosedEvent, FileMovedEvent]


class _OverflowSpy(logging.Handler):
    """watchdog reports a kernel queue overflow only as a log warning: listen for it."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.callback = callback

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.callback()


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            if event.is_directory:
                return
            kind = event.event_type
            if kind == "moved":
                self.watcher.complete(Path(os.fsdecode(event.dest_path)))
            elif kind == "closed":
                self.watcher.complete(Path(os.fsdecode(event.src_path)))
            elif kind in ("created", "modified"):
                self.watcher.candidate(Path(os.fsdecode(event.src_path)))
        except Exception:
            log.error("watch event handler failed; event skipped", exc_info=True)


class Watcher:
    """Reports complete files in ``inbox`` to ``notify`` (called from any thread)."""

    def __init__(self, inbox: Path, notify: Callable[[Path], None], *, ignore: list[str],
                 polling: bool, poll_interval_s: float, stable_s: float,
                 on_overflow: Callable[[], None] = lambda: None) -> None:
        self.inbox = inbox.absolute()
        self.notify = notify
        self.ignore = ignore
        self.polling = polling
        self.poll_interval_s = poll_interval_s
        self.stable_s = stable_s
        self._lock = threading.Lock()
        self._candidates: dict[Path, tuple[int, int, float]] = {}
        self._observer: BaseObserver | None = None
        #: Pair inotify move events by cookie (see newsdesk.inotify_grouping); False:
        #: watchdog's own grouping (kept for comparison in benchmarks).
        self.indexed = os.environ.get("NEWSDESK_WATCHDOG_GROUPER") != "watchdog"
        self._spy = _OverflowSpy(on_overflow)

    def _wanted(self, path: Path) -> bool:
        return path.parent == self.inbox and not is_ignored(path.name, self.ignore)

    def complete(self, path: Path) -> None:
        if not self._wanted(path):
            return
        with self._lock:
            self._candidates.pop(path, None)
        self.notify(path)

    def candidate(self, path: Path) -> None:
        if not self._wanted(path):
            return
        try:
            st = os.stat(path)
        except OSError:
            with self._lock:
                self._candidates.pop(path, None)
            return
        with self._lock:
            self._candidates[path] = (st.st_size, st.st_mtime_ns, time.monotonic())

    def settle(self) -> float:
        """Report candidates that have been stable for ``stable_s``; return the seconds
        until the next one could be due (or a long wait when there are none)."""
        now = time.monotonic()
        due: list[Path] = []
        next_due = 3600.0
        with self._lock:
            for path, (size, mtime, since) in list(self._candidates.items()):
                try:
                    st = os.stat(path)
                except OSError:
                    del self._candidates[path]
                    continue
                if (st.st_size, st.st_mtime_ns) != (size, mtime):
                    self._candidates[path] = (st.st_size, st.st_mtime_ns, now)
                    next_due = min(next_due, self.stable_s)
                elif now - since >= self.stable_s:
                    del self._candidates[path]
                    due.append(path)
                else:
                    next_due = min(next_due, self.stable_s - (now - since))
        for path in due:
            self.notify(path)
        return next_due

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._candidates)

    def start(self) -> None:
        if self.polling:
            observer: BaseObserver = PollingObserver(timeout=self.poll_interval_s)
        else:
            observer = native_observer() if self.indexed else Observer()
        events = None if self.polling else EVENTS
        observer.schedule(_Handler(self), str(self.inbox), recursive=False, event_filter=events)
        logging.getLogger("watchdog").addHandler(self._spy)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def alive(self) -> bool:
        return self._observer is not None and self._observer.is_alive()

    def stop(self) -> None:
        logging.getLogger("watchdog").removeHandler(self._spy)
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None


def backlog(inbox: Path, ignore: list[str], settled_before: float | None = None
            ) -> tuple[list[Path], list[Path]]:
    """Return the files in the inbox, oldest first, as ``(settled, fresh)``.

    A file modified after ``settled_before`` (a ``time.time()``) is fresh: it
    may still be being written. Without ``settled_before`` every file is settled.
    """
    entries = []
    fresh = []
    limit_ns = None if settled_before is None else int(settled_before * 1e9)
    with os.scandir(inbox) as it:
        for entry in it:
            if is_ignored(entry.name, ignore):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    continue
                mtime = entry.stat(follow_symlinks=False).st_mtime_ns
            except OSError:
                continue
            if limit_ns is not None and mtime > limit_ns:
                fresh.append(inbox / entry.name)
            else:
                entries.append((mtime, entry.name))
    return [inbox / name for _, name in sorted(entries)], fresh
