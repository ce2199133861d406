"""Taking a file: the checks before its bytes are trusted (size, symlinks, permissions,
a file that changes while it is read)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.article import Source, now_iso
from newsdesk.identity import unread_id


class Refused(Exception):
    """The file cannot be taken; the message says why. It goes to failed/."""


class Vanished(Exception):
    """The file disappeared or changed while it was read; try again when it settles."""


@dataclass(frozen=True)
class Taken:
    """A file's bytes and what it was when they were read."""

    source: Source
    data: bytes
    #: (st_dev, st_ino, st_size, st_mtime_ns) of the file read.
    stat: tuple[int, int, int, int] | None = None


def take(path: Path, root: Path | None, max_bytes: int) -> Taken:
    """Read ``path`` whole, refusing what must not be read.

    A symlink is refused when its target lies outside ``root`` (never followed
    there); a file larger than ``max_bytes`` is refused unread. Raises
    :class:`Refused` (to failed/) or :class:`Vanished` (gone or changing).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError as exc:
        raise Vanished(f"{path.name}: file disappeared before it was read") from exc
    except OSError as exc:
        raise Refused(f"cannot look at the file: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(st.st_mode):
        target = path.resolve()
        if root is not None and not target.is_relative_to(root.resolve()):
            raise Refused(f"symlink to {target} points outside {root}; refused, not followed")
        try:
            st = os.stat(path)
        except FileNotFoundError as exc:
            raise Refused("dangling symlink") from exc
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not a regular file")
    if st.st_size > max_bytes:
        raise Refused(
            f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} (daemon.max_file_mb)"
        )
    try:
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            data = fh.read(max_bytes + 1)
            after = os.fstat(fh.fileno())
    except FileNotFoundError as exc:
        raise Vanished(f"{path.name}: file disappeared while it was read") from exc
    except PermissionError as exc:
        raise Refused("no permission to read the file") from exc
    except IsADirectoryError as exc:
        raise Refused("not a regular file") from exc
    except OSError as exc:
        raise Refused(f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise Refused(f"file grew past the limit of {max_bytes:,} bytes while it was read")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(
        data
    ) != after.st_size:
        raise Vanished(f"{path.name}: file changed while it was read")
    if after.st_nlink == 0:
        raise Vanished(f"{path.name}: file was removed while it was read")
    mtime = datetime.fromtimestamp(after.st_mtime, UTC).isoformat(timespec="seconds")
    source = Source(
        path=os.path.abspath(path),
        name=path.name,
        size=len(data),
        mtime=mtime.replace("+00:00", "Z"),
        received=now_iso(),
    )
    return Taken(source=source, data=data,
                 stat=(after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns))


def placeholder_source(path: Path) -> tuple[Source, str]:
    """Return a source for a file that could not be read, and its id
    (:func:`newsdesk.identity.unread_id`: its name and inode, never its path alone)."""
    try:
        st = os.lstat(path)
        size, mtime = st.st_size, datetime.fromtimestamp(st.st_mtime, UTC).isoformat(
            timespec="seconds").replace("+00:00", "Z")
    except OSError:
        size, mtime = 0, ""
    source = Source(path=str(path.absolute()), name=path.name, size=size, mtime=mtime,
                    received=now_iso())
    return source, unread_id(path)
