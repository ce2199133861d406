"""Guards around the hooks that run in the daemon's own process (``newsdesk_index``,
``newsdesk_shutdown``).

- A time limit (``daemon.hook_timeout_s``), kept with ``SIGALRM`` in the daemon's main
  thread (the plugins' own objects, SQLite connections among them, stay in the thread
  that made them): past the limit, :class:`HookTimeout` is raised inside the plugin's
  call, which the hook call records as that plugin's error; the article is written
  without what the plugin would have added, and the next plugin gets the same limit.
  A plugin stuck in C code that never returns to Python cannot be interrupted this way.
- A file that crashed the daemon (a plugin calling ``os._exit``, a segfault in an
  extension) while its main-process stage ran is remembered; one that did so twice
  is set aside in failed/ with the reason instead of being run again.

Which file is in the main-process stage is written to ``<state>/main-stage.running``
before the stage and cleared after: a process that dies leaves it behind (no fsync is
needed: the page cache outlives a crashed process). The file is kept open while the
daemon runs and written in place at a fixed size, blank when nothing is in hand (creating
and removing it for each article cost the file system's journal a directory entry, an
inode and a block each time); it is removed at a clean stop. Crash
counts are kept in ``<state>/crashes.json``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import orjson
import structlog

log = structlog.get_logger("newsdesk.daemon")

MARKER = "main-stage.running"
CRASHES = "crashes.json"
#: The marker's fixed size: what is in hand, padded with spaces (a longer file name is cut).
MARKER_BYTES = 4096
#: Crashes of the daemon with the same file in hand before the file is set aside.
CRASH_LIMIT = 2


class HookGuard:
    def __init__(self, state: Path, timeout_s: float) -> None:
        self.state = state
        self.timeout_s = timeout_s
        self.marker = state / MARKER
        self.crashes_file = state / CRASHES
        self.crashes: dict[str, dict[str, Any]] = {}
        self._fd: int | None = None  # the marker, open while the daemon runs

    # --- crashes -----------------------------------------------------------------

    def recover(self) -> None:
        """At start-up: count a crash against the file a dead daemon had in hand."""
        try:
            self.crashes = orjson.loads(self.crashes_file.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            self.crashes = {}
        try:
            text = self.marker.read_text(errors="replace").strip()
        except OSError:
            return
        if not text:
            return
        digest, _, rest = text.partition("\t")
        stage, _, name = rest.partition("\t")
        entry = self.crashes.setdefault(digest, {"name": name, "stage": stage, "count": 0})
        entry["count"] = int(entry.get("count", 0)) + 1
        log.error("the daemon died while a main-process hook ran on a file",
                  file=name, article=digest[:12], hook=f"newsdesk_{stage}",
                  crashes=entry["count"],
                  then="set aside in failed/" if entry["count"] >= CRASH_LIMIT
                  else "tried once more")
        self._save()
        self._clear()

    def set_aside(self, digest: str) -> str | None:
        """Why the file of ``digest`` is not run again, or None."""
        entry = self.crashes.get(digest)
        if entry is None or int(entry.get("count", 0)) < CRASH_LIMIT:
            return None
        return (f"the daemon died {entry['count']} times while the hook newsdesk_"
                f"{entry.get('stage', '?')} ran on this file (a plugin that exits or "
                "crashes the process); set aside, not run again")

    def forget(self, digest: str) -> None:
        if self.crashes.pop(digest, None) is not None:
            self._save()

    def _save(self) -> None:
        tmp = self.crashes_file.with_name(f".{CRASHES}.tmp")
        try:
            tmp.write_bytes(orjson.dumps(self.crashes))
            os.replace(tmp, self.crashes_file)
        except OSError:
            log.warning("could not save the crash counts", exc_info=True)

    def _mark(self, digest: str, stage: str, name: str) -> None:
        line = f"{digest}\t{stage}\t{name}".encode(errors="replace")[:MARKER_BYTES - 1]
        self._write_marker(line + b"\n")

    def _clear(self) -> None:
        if self._fd is None:
            try:
                self.marker.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self._write_marker(b"")

    def _write_marker(self, line: bytes) -> None:
        """Write ``line`` over the marker, padded with spaces to its fixed size: written in
        place, the file keeps its size and blocks (no allocation, no truncation)."""
        try:
            fd = self._fd
            if fd is not None and os.fstat(fd).st_nlink == 0:  # removed while we ran
                self._close_fd()
                fd = None
            if fd is None:
                fd = self._fd = os.open(self.marker, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                                        0o644)
            os.pwrite(fd, line.ljust(MARKER_BYTES), 0)
        except OSError:
            pass  # a full state disk: the crash would not be counted, nothing else

    def _close_fd(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def close(self) -> None:
        """At a clean stop: close the marker and remove it (nothing was in hand)."""
        if self._fd is None:
            return
        self._close_fd()
        try:
            self.marker.unlink(missing_ok=True)
        except OSError:
            pass

    # --- the time limit ------------------------------------------------------------

    def run(self, call: Callable[[], object], *, digest: str, stage: str, name: str) -> None:
        """Run ``call`` (the stage on one article) with the crash marker set and each
        plugin within the time limit."""
        self._mark(digest, stage, name)
        try:
            with time_limit(self.timeout_s, f"newsdesk_{stage}"):
                call()
        finally:
            self._clear()


class HookTimeout(Exception):
    """A hook in the daemon's own process ran past ``daemon.hook_timeout_s``."""


@contextmanager
def time_limit(seconds: float, hook: str) -> Iterator[None]:
    """Raise :class:`HookTimeout` in the main thread each time ``seconds`` pass inside
    (the limit starts again for whatever runs after the interrupted call)."""
    armed = True

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            raise HookTimeout(f"{hook} did not finish within {seconds:g} s "
                              "(daemon.hook_timeout_s); stopped")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
