"""The index's own record of what it was handed and has not committed yet.

The index holds what it committed; the spool, a JSON-lines file in the state folder,
holds the records handed to it since (appended, and synced with ``fdatasync``, before
the stream is written). At start-up the spool is indexed and emptied. So the index never
reads the stream files to know what it should hold: it works with the JSON-lines sink
disabled, its prefix changed or its files rotated away.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsdesk.output import datasync

from .stream import records


class Spool:
    """An append-only JSON-lines file, emptied once its records are committed."""

    def __init__(self, path: Path, *, fsync: bool) -> None:
        self.path = path
        self.fsync = fsync
        self._fd = -1

    def _open(self) -> int:
        if self._fd < 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return self._fd

    def append(self, lines: Sequence[bytes]) -> None:
        """Append whole JSON lines (each ending in a newline); raises OSError."""
        if not lines:
            return
        fd = self._open()
        data = memoryview(b"".join(lines))
        while data:
            data = data[os.write(fd, data):]
        if self.fsync:
            datasync(fd)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every whole record line (a torn last line, cut by a crash, is skipped)."""
        if self.path.exists():
            yield from records([self.path])

    def clear(self) -> None:
        """Empty the spool (its records are committed to the index)."""
        fd = self._open()
        os.ftruncate(fd, 0)
        if self.fsync:
            datasync(fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
