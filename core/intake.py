"""Taking a file: the checks before its bytes are trusted (size, symlinks, permissions,
a file that changes while it is read)."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.article import Source, now_iso
from newsdesk.identity import unread_id
from newsdesk.names import safe_name

#: Bytes of a file's start shown to ``by_line`` (see :func:`take`).
HEAD_BYTES = 65536
#: Bytes read at a time when a file is hashed or read by line.
CHUNK = 1 << 20
#: Asked with a file's source and first bytes: is it read one line at a time?
ByLine = Callable[[Source, bytes], bool]


class Refused(Exception):
    """The file cannot be taken; the message says why. It goes to failed/."""


class Vanished(Exception):
    """The file disappeared or changed while it was read; try again when it settles."""


class Busy(Vanished):
    """Another process has the file open for writing: take it again later."""


@dataclass(frozen=True)
class Taken:
    """A file's bytes and what it was when they were read."""

    source: Source
    data: bytes
    #: (st_dev, st_ino, st_size, st_mtime_ns) of the file read.
    stat: tuple[int, int, int, int] | None = None


def take(path: Path, root: Path | None, max_bytes: int,
         by_line: ByLine | None = None) -> Taken | Lines:
    """Read ``path`` whole (or, when ``by_line`` says so, open it to be read line by
    line: :class:`Lines`), refusing what must not be read.

    The file is opened without following a symlink in its last component
    (``O_NOFOLLOW``) unless it was a symlink when looked at, and what was opened is
    then checked on the descriptor itself: a regular file, inside ``root`` (its real
    path, from ``/proc/self/fd``), not over ``max_bytes`` (a file read by line may be
    of any size; each of its lines is held to ``max_bytes`` by :meth:`Lines.read`), not
    open for writing by another process, and unchanged while it was read. Swapping a file and a symlink
    under one name cannot make it read a file outside ``root``. Raises
    :class:`Refused` (to failed/), :class:`Busy` (still being written: wait) or
    :class:`Vanished` (gone or changing).
    """
    name = safe_name(path.name)
    try:
        st = os.lstat(path)
    except FileNotFoundError as exc:
        raise Vanished(f"{name}: file disappeared before it was read") from exc
    except OSError as exc:
        raise Refused(f"cannot look at the file: {exc.strerror or exc}") from exc
    link = stat.S_ISLNK(st.st_mode)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if link else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        if link:
            raise Refused("dangling symlink") from exc
        raise Vanished(f"{name}: file disappeared before it was read") from exc
    except PermissionError as exc:
        raise Refused("no permission to read the file") from exc
    except IsADirectoryError as exc:
        raise Refused("not a regular file") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP and link:
            raise Refused("symlink loop: the link leads back to itself (too many levels "
                          "of symbolic links); refused, not followed") from exc
        if exc.errno == errno.ELOOP:  # a regular file when looked at, a symlink now
            raise Vanished(f"{name}: replaced by a symlink while it was taken") from exc
        raise Refused(f"cannot open the file: {exc.strerror or exc}") from exc
    try:
        return _read(fd, path, name, root, max_bytes, link, by_line)
    finally:
        os.close(fd)


def _read(fd: int, path: Path, name: str, root: Path | None, max_bytes: int,
          link: bool, by_line: ByLine | None = None) -> Taken | Lines:
    """Check what ``fd`` is, then read it (see :func:`take`)."""
    before = os.fstat(fd)
    if not stat.S_ISREG(before.st_mode):
        raise Refused("not a regular file")
    if root is not None:
        real = opened_path(fd, path)
        inside = root.resolve()
        if not Path(real).is_relative_to(inside):
            what = "symlink to" if link else "file at"
            raise Refused(f"{what} {safe_name(real)} points outside {safe_name(str(root))}; "
                          "refused, not followed")
    if open_for_writing(fd):
        raise Busy(f"{name}: another process has the file open for writing")
    if by_line is not None:
        head = os.pread(fd, HEAD_BYTES, 0)
        if by_line(_source(path, name, before), head):
            return _lines(fd, path, name, before)
    if before.st_size > max_bytes:
        raise Refused(
            f"file is {before.st_size:,} bytes, over the limit of {max_bytes:,} "
            "(daemon.max_file_mb)"
        )
    try:
        data = read_fd(fd, max_bytes + 1)
    except OSError as exc:
        raise Refused(f"cannot read the file: {exc.strerror or exc}") from exc
    after = os.fstat(fd)
    if len(data) > max_bytes:
        raise Refused(f"file grew past the limit of {max_bytes:,} bytes while it was read")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        data
    ) != after.st_size:
        raise Vanished(f"{name}: file changed while it was read")
    if after.st_nlink == 0:
        raise Vanished(f"{name}: file was removed while it was read")
    return Taken(source=_source(path, name, after), data=data, stat=_identity(after))


def _source(path: Path, name: str, st: os.stat_result) -> Source:
    mtime = datetime.fromtimestamp(st.st_mtime, UTC).isoformat(timespec="seconds")
    return Source(path=safe_name(os.path.abspath(path)), name=name, size=st.st_size,
                  mtime=mtime.replace("+00:00", "Z"), received=now_iso())


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _lines(fd: int, path: Path, name: str, before: os.stat_result) -> Lines:
    """Hash the file (in chunks: memory stays bounded) and keep it open to be read by
    line; a file that changes meanwhile is :class:`Vanished`."""
    h = hashlib.sha256()
    offset = 0
    try:
        while offset < before.st_size:
            chunk = os.pread(fd, min(CHUNK, before.st_size - offset), offset)
            if not chunk:
                break
            h.update(chunk)
            offset += len(chunk)
    except OSError as exc:
        raise Refused(f"cannot read the file: {exc.strerror or exc}") from exc
    after = os.fstat(fd)
    if (offset, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise Vanished(f"{name}: file changed while it was read")
    if after.st_nlink == 0:
        raise Vanished(f"{name}: file was removed while it was read")
    return Lines(source=_source(path, name, after), digest=h.hexdigest(),
                 stat=_identity(after), fd=os.dup(fd))


@dataclass
class Lines:
    """A file read one line at a time (JSON lines): the whole file is never in memory.

    ``digest`` is the sha256 of its bytes (hashed in chunks when taken); only those
    bytes are read (a file that grows meanwhile is read to its size when taken, then
    :meth:`unchanged` says False). Close it when done.
    """

    source: Source
    digest: str
    stat: tuple[int, int, int, int]
    fd: int

    def read(self, start: int, max_line: int) -> Iterator[tuple[int, int, bytes | None]]:
        """Yield ``(offset, end, line)`` for each line from byte ``start``: the line's
        bytes with its newline, or None for a line longer than ``max_line`` bytes
        (skipped, never held whole)."""
        size = self.stat[2]
        with os.fdopen(os.dup(self.fd), "rb", buffering=CHUNK) as fh:
            fh.seek(start)
            offset = start
            while offset < size:
                raw = fh.readline(min(max_line + 1, size - offset))
                if not raw:
                    return
                end = offset + len(raw)
                if len(raw) > max_line and not raw.endswith(b"\n"):
                    while end < size:  # skip the rest of the long line
                        rest = fh.readline(min(CHUNK, size - end))
                        if not rest:
                            break
                        end += len(rest)
                        if rest.endswith(b"\n"):
                            break
                    yield offset, end, None
                else:
                    yield offset, end, raw
                offset = end

    def unchanged(self) -> bool:
        """True while the file is still what was hashed (size and modification time)."""
        st = os.fstat(self.fd)
        return (st.st_size, st.st_mtime_ns) == self.stat[2:] and st.st_nlink > 0

    def close(self) -> None:
        os.close(self.fd)


def read_fd(fd: int, limit: int) -> bytes:
    """Read up to ``limit`` bytes from the start of ``fd`` (which stays open)."""
    with os.fdopen(os.dup(fd), "rb") as fh:
        return fh.read(limit)


def opened_path(fd: int, path: Path) -> str:
    """The real path of the file open on ``fd`` (from ``/proc/self/fd``; without /proc,
    the resolved ``path``, which a rename could race)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}").removesuffix(" (deleted)")
    except OSError:
        try:
            return os.path.realpath(path, strict=True)
        except (OSError, RuntimeError) as exc:
            raise Refused(f"cannot resolve the file's real path: {exc}") from exc


def open_for_writing(fd: int) -> bool:
    """True when another process has the file open for writing.

    Asks the kernel for a read lease (``F_SETLEASE``), which it refuses with EAGAIN
    while any descriptor is open for writing, and gives it back at once. Where leases
    are not available (another owner without CAP_LEASE, some network file systems)
    this says False, and the size and time checks before and after reading remain.
    """
    setlease = getattr(fcntl, "F_SETLEASE", None)
    if setlease is None:
        return False
    try:
        fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
    except OSError as exc:
        return exc.errno == errno.EAGAIN
    fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
    return False


def placeholder_source(path: Path) -> tuple[Source, str]:
    """Return a source for a file that could not be read, and its id
    (:func:`newsdesk.identity.unread_id`: its name and inode, never its path alone)."""
    try:
        st = os.lstat(path)
        size, mtime = st.st_size, datetime.fromtimestamp(st.st_mtime, UTC).isoformat(
            timespec="seconds").replace("+00:00", "Z")
    except OSError:
        size, mtime = 0, ""
    source = Source(path=safe_name(str(path.absolute())), name=safe_name(path.name),
                    size=size, mtime=mtime, received=now_iso())
    return source, unread_id(path)
