"""The disk cache of translations: SQLite under the state folder, shared by workers.

Keyed by the segment's hash, the language pair, the engine and its model version, so
reprocessing an article translates nothing again and a new model translates afresh.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    translation TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warned (
    run TEXT NOT NULL,
    pair TEXT NOT NULL,
    PRIMARY KEY (run, pair)
);
"""


def key(text: str, src: str, tgt: str, engine: str, version: str) -> str:
    """Return the cache key of one segment's translation."""
    h = hashlib.sha256()
    for part in (engine, version, src, tgt, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


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
            db = sqlite3.connect(str(self.path), timeout=self.busy_timeout_s, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

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
        rows = list(items)
        if rows:
            with self.db():
                self.db().executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", rows)

    def first_warning(self, run: str, pair: str) -> bool:
        """True the first time (across processes) ``pair`` is warned about in ``run``."""
        cur = self.db().execute("INSERT OR IGNORE INTO warned VALUES (?, ?)", (run, pair))
        return cur.rowcount == 1

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
