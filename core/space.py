"""Out of space: telling a full disk from other errors, and saying so once a minute.

A full output or state disk pauses intake (no new file is taken) and the batch in
hand is retried until there is room; nothing is lost, written twice or torn, and
the daemon goes on by itself once space returns.
"""

from __future__ import annotations

import errno
import sqlite3
import time

import structlog

log = structlog.get_logger("newsdesk.daemon")

#: Seconds between two "still no space" lines.
SAY_EVERY_S = 60.0
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_no_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says a disk is full."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, OSError) and current.errno in NO_SPACE_ERRNOS:
            return True
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if code == sqlite3.SQLITE_FULL or "disk is full" in str(current):
                return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


class Pause:
    """Whether intake is paused for want of space, and the log lines that say so."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.since = 0.0
        self._said = 0.0

    @property
    def paused(self) -> bool:
        return self.reason is not None

    def no_space(self, where: str, exc: BaseException) -> None:
        """A write to ``where`` ("the output disk", "the state disk") failed for want of
        space: pause, and say so now and then once a minute."""
        now = time.monotonic()
        if self.reason is None:
            self.since = now
        self.reason = f"no space left on {where}"
        if now - self._said >= SAY_EVERY_S or self._said == 0.0:
            self._said = now
            log.error("no space left; intake paused until there is room (nothing is lost)",
                      where=where, error=f"{type(exc).__name__}: {exc}",
                      paused_s=round(now - self.since))

    def room(self) -> None:
        """A write went through: resume if paused."""
        if self.reason is not None:
            log.warning("space again; intake resumed", was=self.reason,
                        paused_s=round(time.monotonic() - self.since, 1))
            self.reason = None
            self._said = 0.0
