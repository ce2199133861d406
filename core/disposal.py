"""What happens to an input file once its records are written: archived, deleted or
kept; a failed file goes to ``failed/<id12>/<name>`` with ``error.json`` beside it
(``<id12>``: the first 12 characters of its record's id), so that no two failed files
or reports collide and a long name keeps its report.

A file is moved only if it is still the file that was read: same inode, size and
modification time. One replaced or written to since is left in the inbox and reported
back (``on_changed``), to be processed as a new version."""

from __future__ import annotations

import errno
import os
import queue
import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import structlog

from newsdesk.names import safe_name

log = structlog.get_logger("newsdesk.disposal")

#: What a file was when it was read: st_dev, st_ino, st_size, st_mtime_ns.
Taken = tuple[int, int, int, int]
#: A file for the mover: path, failed?, its report, what it was when read.
Job = tuple[Path, bool, dict[str, Any] | None, Taken | None]


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


def move(path: Path, folder: Path, taken: Taken | None = None) -> Path:
    """Move ``path`` (a file or a symlink itself, never its target) into ``folder``;
    with ``taken``, only if it is still that file (else :class:`Changed`)."""
    if folder not in _made:
        folder.mkdir(parents=True, exist_ok=True)
        _made.add(folder)
    dest = folder / path.name
    try:
        try:
            _relocate(path, dest, taken)
        except FileExistsError:
            dest = unique(dest)
            _relocate(path, dest, taken)
    except FileNotFoundError:
        if not os.path.lexists(path) or folder.is_dir():
            raise
        _made.discard(folder)  # the folder was removed under us: make it again
        return move(path, folder, taken)
    return dest


def _relocate(path: Path, dest: Path, taken: Taken | None = None) -> None:
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
    if taken is not None and not same_file(dest, taken):
        os.unlink(dest)  # the name was given to another file meanwhile: leave it be
        raise Changed(str(path))
    if taken is None:
        os.unlink(path)
        return
    _unlink_if_taken(path, dest, taken)


#: The prefix of an inbox name being removed (see :func:`_unlink_if_taken`).
ASIDE = ".newsdesk-aside."


def restore_aside(inbox: Path) -> int:
    """Put back the files a stopped daemon left set aside in ``inbox`` (killed between
    renaming a name aside and unlinking it): under their own name, or beside it,
    numbered, when it is taken. They are then taken as any file: content already done
    is skipped by the journal. Returns how many."""
    count = 0
    for aside in inbox.glob(ASIDE + "*"):
        back = _put_back(aside, inbox / aside.name[len(ASIDE):])
        log.info("a file set aside by a stopped daemon is back in the inbox",
                 file=safe_name(back.name))
        count += 1
    return count


def _unlink_if_taken(path: Path, dest: Path | None, taken: Taken) -> None:
    """Remove ``path`` from the inbox only if it is still the file read.

    There is no "unlink this inode" call: a writer renaming a new file over the name
    between a check and ``unlink`` would lose that file. So the name is first renamed
    to a hidden one, ``.newsdesk-aside.<name>`` (atomic: whatever is there goes with
    it; a daemon killed meanwhile puts it back at its next start,
    :func:`restore_aside`), checked there, and only then unlinked; a file that is not the one read is put back under its name (or,
    when the name is taken again, beside it under a numbered name) and
    :class:`Changed` raised, to be processed as a new version.
    """
    aside = path.with_name(ASIDE + path.name)
    if len(os.fsencode(aside.name)) > NAME_MAX:  # no room for the prefix: as before
        os.unlink(path)
        return
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return  # gone already: nothing left to remove
    if same_file(aside, taken):
        os.unlink(aside)
        return
    if dest is not None and os.path.samefile(aside, dest):
        os.unlink(dest)  # written to since the check: not the version read
    raise Changed(str(_put_back(aside, path)))


def _put_back(aside: Path, name: Path) -> Path:
    """Give the file set aside at ``aside`` its ``name`` again, or, when that is taken,
    a numbered name beside it (a link never replaces another file); return the name."""
    back = name
    while True:
        try:
            os.link(aside, back, follow_symlinks=False)
            break
        except FileExistsError:
            back = unique(name)
    os.unlink(aside)
    return back


#: The longest file name most file systems allow, in bytes.
NAME_MAX = 255


def write_error(dest: Path, info: dict[str, Any], error_path: Path | None = None) -> Path:
    """Write ``<dest>.error.json`` (or ``error_path``) naming the cause; a name too long
    for that becomes ``<id12>.error.json``."""
    if error_path is None:
        error_path = dest.with_name(dest.name + ".error.json")
        if len(os.fsencode(error_path.name)) + len(". .tmp") > NAME_MAX:  # with its temp name
            error_path = dest.with_name(f"{str(info.get('id') or 'unknown')[:12]}.error.json")
    tmp = error_path.with_name("." + error_path.name + ".tmp")
    tmp.write_bytes(orjson.dumps(info, option=orjson.OPT_INDENT_2))
    os.replace(tmp, error_path)
    return error_path


class Changed(Exception):
    """The file under this name is not the one that was read (replaced, or written to
    since): it stays in the inbox to be processed as a new version."""


def same_file(path: Path, taken: Taken | None) -> bool:
    """True when ``path`` is still the file read (always, when nothing was recorded)."""
    if taken is None:
        return True
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True  # gone: nothing to protect
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == taken


def failed_folder(failed: Path, error: dict[str, Any] | None) -> Path:
    """``failed/<id12>``: the folder of one failed file and its report."""
    ident = str((error or {}).get("id") or "unknown")
    return failed / ident[:12]


def dispose(path: Path, *, after: str, archive: Path, failed: Path, failed_file: bool,
            error: dict[str, Any] | None, taken: Taken | None = None) -> Path | None:
    """Apply the policy to a finished file; return where it went (None: deleted or gone).
    Raises :class:`Changed` for a file that is no longer the one read."""
    if not same_file(path, taken):
        raise Changed(str(path))
    if failed_file:
        folder = failed_folder(failed, error)
        try:
            dest = move(path, folder, taken)
        except FileNotFoundError:
            return None
        write_error(dest, error or {}, unique(folder / "error.json"))
        return dest
    if after == "delete":
        if taken is None:
            path.unlink(missing_ok=True)
        else:
            _unlink_if_taken(path, None, taken)
        return None
    if after == "keep":
        return path
    try:
        dest = move(path, archive / datetime.now(UTC).strftime("%Y-%m-%d"), taken)
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

    def __init__(self, *, after: str, archive: Path, failed: Path,
                 on_changed: Callable[[Path], None] = lambda path: None) -> None:
        super().__init__(name="newsdesk-mover", daemon=True)
        self.after, self.archive, self.failed = after, archive, failed
        #: Called (from this thread) with a file left in the inbox because it changed.
        self.on_changed = on_changed
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.kept: dict[str, tuple[int, int]] = {}  # after = "keep": files already taken
        self.moving: set[str] = set()
        self._lock = threading.Lock()

    def put(self, path: Path, failed: bool, error: dict[str, Any] | None,
            taken: Taken | None = None) -> None:
        """Queue ``path`` to be disposed of; ``taken`` is what the file was when it was
        read (dev, inode, size, mtime), checked before it is moved."""
        with self._lock:
            self.moving.add(str(path))
        self.jobs.put((path, failed, error, taken))

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
            path, failed, error, taken = job
            try:
                where = dispose(path, after=self.after, archive=self.archive,
                                failed=self.failed, failed_file=failed, error=error,
                                taken=taken)
                if where == path:
                    st = os.stat(path)
                    with self._lock:
                        self.kept[str(path)] = (st.st_size, st.st_mtime_ns)
            except Changed as exc:
                left = Path(str(exc) or path)  # a numbered name when its own was taken
                log.info("file changed after it was read; left in the inbox to be "
                         "processed as a new version", file=safe_name(left.name))
                with self._lock:
                    self.moving.discard(str(path))
                self.on_changed(path)
                if left != path:
                    self.on_changed(left)
            except OSError as exc:
                log.error("could not move the file after processing",
                          file=safe_name(path.name), error=str(exc))
            finally:
                with self._lock:
                    self.moving.discard(str(path))

    def close(self) -> None:
        """Finish the moves queued so far, then stop."""
        self.jobs.put(None)
        self.join()
