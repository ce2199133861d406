"""The journal: which file contents have been processed, for exactly-once output.

A SQLite database in the state folder, keyed by the sha256 of a file's bytes.
A file's row goes ``pending`` (its records are about to be written, with
their ids) then ``done`` (the sinks hold them). After a crash, pending rows
are settled at start-up by asking the sinks which ids they already hold.

A file read by line (JSON lines) is written in parts before it is done: each part
is a row of its own (key ``<file hash>:<first byte>``) and a row of ``parts`` saying
which bytes and lines of the file it covers, so that after a crash the file goes on
from where its parts got (:meth:`Journal.progress`). The parts' rows are dropped when
the file's own row is done.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    ids BLOB NOT NULL,
    status TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    key TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    start INTEGER NOT NULL,
    stop INTEGER NOT NULL,
    line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS parts_file ON parts (file);
"""


@dataclass(frozen=True)
class Entry:
    """One file's row: its content hash, name, state and the ids of its records."""

    hash: str
    name: str
    state: str
    ids: tuple[str, ...]
    status: str


class Journal:
    """The journal of one state folder. Not thread-safe: one owner thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def state(self, digest: str) -> str | None:
        """Return "pending", "done" or None for a content hash."""
        row = self.db.execute("SELECT state FROM files WHERE hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    def done_among(self, digests: list[str]) -> set[str]:
        """Return which of ``digests`` are done, in one query."""
        found: set[str] = set()
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(h for (h,) in self.db.execute(
                f"SELECT hash FROM files WHERE state = 'done' AND hash IN ({marks})", chunk))
        return found

    def commit(self, pending: Iterable[tuple[str, str, list[str], str]],
               done: Iterable[str] = (),
               parts: Iterable[tuple[str, str, int, int, int]] = ()) -> None:
        """In one durable commit: rows ``(hash, name, ids, status)`` become pending (their
        records are about to be written) and the hashes in ``done`` become done.

        The daemon marks a batch done in the commit of the next one: a batch left
        pending by a crash is settled from the sinks at start-up, so nothing is lost
        by the delay, and each batch costs one synced commit instead of two.
        """
        now = time.time()
        rows = [(h, n, orjson.dumps(ids), s, now) for h, n, ids, s in pending]
        done = list(done)
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "UPDATE files SET state = 'done', updated = ? WHERE hash = ?",
                [(now, d) for d in done],
            )
            # A file done: the rows of its parts are no longer needed.
            self.db.executemany(
                "DELETE FROM files WHERE hash IN (SELECT key FROM parts WHERE file = ?)",
                [(d,) for d in done])
            self.db.executemany("DELETE FROM parts WHERE file = ?", [(d,) for d in done])
            self.db.executemany(
                "INSERT OR REPLACE INTO parts (key, file, start, stop, line) "
                "VALUES (?, ?, ?, ?, ?)", list(parts))
            self.db.executemany(
                "INSERT INTO files (hash, name, state, ids, status, updated) "
                "VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT(hash) DO UPDATE SET "
                "name = excluded.name, state = 'pending', ids = excluded.ids, "
                "status = excluded.status, updated = excluded.updated",
                rows,
            )

    def mark_done(self, digests: Iterable[str]) -> None:
        """Record that the records of these hashes are durably written."""
        self.commit((), digests)

    def forget(self, digests: Iterable[str]) -> None:
        """Drop rows (a pending file whose records no sink holds is processed again)."""
        with self.db:
            self.db.execute("BEGIN")
            keys = [(d,) for d in digests]
            self.db.executemany("DELETE FROM files WHERE hash = ?", keys)
            self.db.executemany("DELETE FROM parts WHERE key = ?", keys)

    def any_ok_part(self, digest: str) -> bool:
        """True when a part of the file read by line ``digest`` has an article that did
        not fail (its row's status is not "failed")."""
        row = self.db.execute(
            "SELECT 1 FROM parts JOIN files ON files.hash = parts.key "
            "WHERE parts.file = ? AND files.status != 'failed' LIMIT 1", (digest,)).fetchone()
        return row is not None

    def pending(self) -> list[Entry]:
        """Return the rows left pending by a crash."""
        rows = self.db.execute(
            "SELECT hash, name, state, ids, status FROM files WHERE state = 'pending'"
        ).fetchall()
        return [Entry(h, n, s, tuple(orjson.loads(i)), st) for h, n, s, i, st in rows]

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT state, COUNT(*) FROM files GROUP BY state").fetchall())

    def close(self) -> None:
        self.db.close()
