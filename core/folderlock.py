"""One working folder, one daemon: an advisory lock on ``<state>/daemon.lock``.

The lock is ``flock(2)`` on an open file, so the kernel releases it when the holder
exits, however it exits (kill -9 included): there is never a stale lock to remove by
hand. The holder writes its PID into the file, so a refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from newsdesk.errors import LockedError

LOCK_NAME = "daemon.lock"


class FolderLock:
    """The lock of one state folder, held from :meth:`acquire` until the process ends
    or :meth:`release`."""

    def __init__(self, state: Path) -> None:
        self.path = state / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock, or raise :class:`LockedError` naming the holder's PID."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise LockedError(
                f"{self.path}: another newsdesk daemon ({who}) is running on this working "
                "folder; one folder, one daemon") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = None


def holder(state: Path) -> int | None:
    """The PID of the daemon holding ``state``'s lock, or None when none holds it."""
    path = state / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
