"""Identity: the ``id`` of every record, set by the framework (never by a reader).

- An article that is a whole file: the sha256 of the file's bytes.
- An article that is one of many in a file (a JSON-lines line): the sha256 of the
  file's digest and its line number, so two equal lines of two files (or of one file)
  are two records.
- A file whose bytes cannot be read (refused, or lost with its worker): the sha256 of
  its name and of what the file system says the file is (device, inode, size, times).
  Never a path alone: two different files refused under one name are two records.

The same bytes give the same ids again, which crash recovery relies on: after a
crash, a file is read again and its records are recognised in the sinks by id.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path


def content_id(data: bytes) -> str:
    """The id of an article that is a whole file: the sha256 hex digest of its bytes."""
    return hashlib.sha256(data).hexdigest()


def article_id(file_digest: str, line: int | None) -> str:
    """The id of an article read from a file whose bytes hash to ``file_digest``."""
    if line is None:
        return file_digest
    return hashlib.sha256(f"{file_digest}:{line}".encode()).hexdigest()


def unread_id(path: Path | str) -> str:
    """The id of a file whose bytes were not read: its name and its inode's identity."""
    h = hashlib.sha256(b"unread\0")
    h.update(os.fsencode(os.path.basename(os.fspath(path))))
    try:
        st = os.lstat(path)
        h.update(f"\0{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:"
                 f"{st.st_ctime_ns}".encode())
    except OSError:
        h.update(f"\0gone:{time.time_ns()}".encode())  # nothing left to name it by
    return h.hexdigest()
