"""Taking a file: the checks before its bytes are trusted (size, symlinks, permissions,
a file that changes while it is read)."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.article import Source, now_iso
from newsdesk.identity import unread_id
from newsdesk.names import safe_name


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


def take(path: Path, root: Path | None, max_bytes: int) -> Taken:
    """Read ``path`` whole, refusing what must not be read.

    The file is opened without following a symlink in its last component
    (``O_NOFOLLOW``) unless it was a symlink when looked at, and what was opened is
    then checked on the descriptor itself: a regular file, inside ``root`` (its real
    path, from ``/proc/self/fd``), not over ``max_bytes``, not open for writing by
    another process, and unchanged while it was read. Swapping a file and a symlink
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
        return _read(fd, path, name, root, max_bytes, link)
    finally:
        os.close(fd)


def _read(fd: int, path: Path, name: str, root: Path | None, max_bytes: int,
          link: bool) -> Taken:
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
    if before.st_size > max_bytes:
        raise Refused(
            f"file is {before.st_size:,} bytes, over the limit of {max_bytes:,} "
            "(daemon.max_file_mb)"
        )
    if open_for_writing(fd):
        raise Busy(f"{name}: another process has the file open for writing")
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
    mtime = datetime.fromtimestamp(after.st_mtime, UTC).isoformat(timespec="seconds")
    source = Source(
        path=safe_name(os.path.abspath(path)),
        name=name,
        size=len(data),
        mtime=mtime.replace("+00:00", "Z"),
        received=now_iso(),
    )
    return Taken(source=source, data=data,
                 stat=(after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns))


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
