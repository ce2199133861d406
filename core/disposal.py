"""What happens to an input file once its records are written: archived, deleted or
kept; a failed file goes to failed/ with ``<name>.error.json`` beside it."""

from __future__ import annotations

import errno
import os
import queue
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import structlog

log = structlog.get_logger("newsdesk.disposal")


def unique(dest: Path) -> Path:
    """Return ``dest``, or ``name-1.ext``, ``name-2.ext``... if it is taken."""
    if not os.path.lexists(dest):
        return dest
    stem, suffix = dest.stem, dest.suffix
    n = 1
    while True:
        candidate = dest.with_name(f"{stem}-{n}{suffix}")
        if not os.path.lexists(candidate):
            return candidate
        n += 1


_made: set[Path] = set()


def move(path: Path, folder: Path) -> Path:
    """Move ``path`` (a file or a symlink itself, never its target) into ``folder``."""
    if folder not in _made:
        folder.mkdir(parents=True, exist_ok=True)
        _made.add(folder)
    dest = folder / path.name
    try:
        try:
            _relocate(path, dest)
        except FileExistsError:
            dest = unique(dest)
            _relocate(path, dest)
    except FileNotFoundError:
        if not os.path.lexists(path) or folder.is_dir():
            raise
        _made.discard(folder)  # the folder was removed under us: make it again
        return move(path, folder)
    return dest


def _relocate(path: Path, dest: Path) -> None:
    """Link ``dest`` to ``path`` and unlink ``path``.

    Not a rename: a rename out of a watched folder is an unmatched inotify
    IN_MOVED_FROM, which watchdog holds back for half a second to pair it, and
    every event behind it waits. A crash between the two steps leaves the file
    in both places; the journal then skips the inbox copy as already processed.
    """
    try:
        os.link(path, dest, follow_symlinks=False)
    except OSError as exc:
        if exc.errno == errno.EXDEV:  # another filesystem
            shutil.move(str(path), str(dest))
            return
        if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            os.rename(path, dest)  # no hard links here
            return
        raise
    os.unlink(path)


def write_error(dest: Path, info: dict[str, Any]) -> Path:
    """Write ``<dest>.error.json`` naming the cause."""
    error_path = dest.with_name(dest.name + ".error.json")
    tmp = error_path.with_name("." + error_path.name + ".tmp")
    tmp.write_bytes(orjson.dumps(info, option=orjson.OPT_INDENT_2))
    os.replace(tmp, error_path)
    return error_path


def dispose(path: Path, *, after: str, archive: Path, failed: Path, failed_file: bool,
            error: dict[str, Any] | None) -> Path | None:
    """Apply the policy to a finished file; return where it went (None: deleted or gone)."""
    if failed_file:
        try:
            dest = move(path, failed)
        except FileNotFoundError:
            return None
        write_error(dest, error or {})
        return dest
    if after == "delete":
        path.unlink(missing_ok=True)
        return None
    if after == "keep":
        return path
    try:
        dest = move(path, archive / datetime.now(UTC).strftime("%Y-%m-%d"))
    except FileNotFoundError:
        return None  # removed by the user after it was read
    if error:
        write_error(dest, error)
    return dest


class Mover(threading.Thread):
    """Applies :func:`dispose` in its own thread, so that the file system calls (slow on
    some file systems) overlap the daemon's loop. Only files whose records are already
    durable are handed to it; a move lost to a crash is redone at the next start,
    when the journal skips the file as already processed."""

    def __init__(self, *, after: str, archive: Path, failed: Path) -> None:
        super().__init__(name="newsdesk-mover", daemon=True)
        self.after, self.archive, self.failed = after, archive, failed
        self.jobs: queue.Queue[tuple[Path, bool, dict[str, Any] | None] | None] = queue.Queue()
        self.kept: dict[str, tuple[int, int]] = {}  # after = "keep": files already taken
        self.moving: set[str] = set()
        self._lock = threading.Lock()

    def put(self, path: Path, failed: bool, error: dict[str, Any] | None,
            taken: tuple[int, int, int, int] | None = None) -> None:
        """Queue ``path`` to be disposed of; ``taken`` is what the file was when it was
        read (dev, inode, size, mtime), checked before it is moved."""
        with self._lock:
            self.moving.add(str(path))
        self.jobs.put((path, failed, error))

    def is_moving(self, path: Path) -> bool:
        """True for a file handed over and not yet moved."""
        with self._lock:
            return str(path) in self.moving

    def is_kept(self, path: Path) -> bool:
        """True for a file left in the inbox by "keep" and unchanged since."""
        with self._lock:
            known = self.kept.get(str(path))
        if known is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return known == (st.st_size, st.st_mtime_ns)

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            path, failed, error = job
            try:
                where = dispose(path, after=self.after, archive=self.archive,
                                failed=self.failed, failed_file=failed, error=error)
                if where == path:
                    st = os.stat(path)
                    with self._lock:
                        self.kept[str(path)] = (st.st_size, st.st_mtime_ns)
            except OSError as exc:
                log.error("could not move the file after processing", file=path.name,
                          error=str(exc))
            finally:
                with self._lock:
                    self.moving.discard(str(path))

    def close(self) -> None:
        """Finish the moves queued so far, then stop."""
        self.jobs.put(None)
        self.join()
