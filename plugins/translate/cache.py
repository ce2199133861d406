"""The disk cache of translations: SQLite under the state folder, shared by workers.

Keyed by the segment's hash, the language pair, the engine and its model version, so
reprocessing an article translates nothing again and a new model translates afresh.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS warned (
    run TEXT NOT NULL,
    pair TEXT NOT NULL,
    at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run, pair)
);
"""
#: Columns added after the first release: (table, column, declaration). Rows written
#: before have 0 there, that is "age unknown", and go at the first prune.
_ADDED_COLUMNS = (("translations", "added", "INTEGER NOT NULL DEFAULT 0"),
                  ("warned", "at", "INTEGER NOT NULL DEFAULT 0"))


@dataclass
class CacheStats:
    entries: int
    bytes: int
    oldest: int | None  # unix time of the oldest dated entry
    undated: int  # entries written before entries were dated


def key(text: str, src: str, tgt: str, engine: str, version: str) -> str:
    """Return the cache key of one segment's translation."""
    h = hashlib.sha256()
    for part in (engine, version, src, tgt, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _set_up(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    for table, column, decl in _ADDED_COLUMNS:
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Cache:
    """One connection per process, opened on first use; WAL and a busy timeout let
    several worker processes read and write it at once."""

    def __init__(self, path: Path, busy_timeout_s: float = 30.0) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._db: sqlite3.Connection | None = None

    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        """Open the file and set it up (WAL, schema, added columns), retrying while another
        process holds it: SQLite answers "database is locked" at once, without waiting
        the busy timeout, when several connections switch a new file to WAL together."""
        deadline = time.monotonic() + self.busy_timeout_s
        pause = 0.01
        while True:
            db = sqlite3.connect(str(self.path), timeout=self.busy_timeout_s, isolation_level=None)
            try:
                _set_up(db)
                return db
            except sqlite3.OperationalError as exc:
                db.close()
                if not _is_busy(exc) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        db = self.db()
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            for k, v in db.execute(f"SELECT key, translation FROM translations WHERE key IN ({marks})", part):
                found[str(k)] = str(v)
        return found

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        now = int(time.time())
        rows = [(k, v, now) for k, v in items]
        if rows:
            with self.db():
                self.db().executemany(
                    "INSERT OR REPLACE INTO translations (key, translation, added) VALUES (?, ?, ?)", rows)

    def first_warning(self, run: str, pair: str) -> bool:
        """True the first time (across processes) ``pair`` is warned about in ``run``."""
        cur = self.db().execute("INSERT OR IGNORE INTO warned (run, pair, at) VALUES (?, ?, ?)",
                                (run, pair, int(time.time())))
        return cur.rowcount == 1

    def stats(self) -> CacheStats:
        db = self.db()
        entries, undated = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(added = 0), 0) FROM translations").fetchone()
        (oldest,) = db.execute("SELECT MIN(added) FROM translations WHERE added > 0").fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheStats(int(entries), size, int(oldest) if oldest else None, int(undated))

    def prune(self, older_than_s: float) -> int:
        """Delete translations (and once-per-run warning marks) written more than
        ``older_than_s`` seconds ago, or before entries were dated; return how many
        translations went. The file shrinks (VACUUM)."""
        cutoff = int(time.time() - older_than_s)
        db = self.db()
        with db:
            gone = db.execute("DELETE FROM translations WHERE added < ?", (cutoff,)).rowcount
            db.execute("DELETE FROM warned WHERE at < ?", (cutoff,))
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(gone)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
