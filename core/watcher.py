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

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import structlog
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from newsdesk.scan import is_ignored

log = structlog.get_logger("newsdesk.watcher")


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
                 polling: bool, poll_interval_s: float, stable_s: float) -> None:
        self.inbox = inbox.absolute()
        self.notify = notify
        self.ignore = ignore
        self.polling = polling
        self.poll_interval_s = poll_interval_s
        self.stable_s = stable_s
        self._lock = threading.Lock()
        self._candidates: dict[Path, tuple[int, int, float]] = {}
        self._observer: Observer | PollingObserver | None = None

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
            observer: Observer | PollingObserver = PollingObserver(timeout=self.poll_interval_s)
        else:
            observer = Observer()
        observer.schedule(_Handler(self), str(self.inbox), recursive=False)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def alive(self) -> bool:
        return self._observer is not None and self._observer.is_alive()

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None


def backlog(inbox: Path, ignore: list[str]) -> list[Path]:
    """Return the files already in the inbox, oldest first."""
    entries = []
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
            entries.append((mtime, entry.name))
    return [inbox / name for _, name in sorted(entries)]
