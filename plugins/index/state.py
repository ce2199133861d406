"""What the duplicate finder and the story clusterer remember across restarts:
a SQLite file in the state folder (WAL, so ``newsdesk stories`` reads it while
the daemon writes)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from newsdesk_plugins.index.names import sound_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    t REAL NOT NULL,
    lang TEXT NOT NULL,
    digest TEXT NOT NULL,
    duplicate_of TEXT NOT NULL,
    story TEXT NOT NULL,
    title TEXT NOT NULL,
    entities TEXT NOT NULL,
    terms TEXT NOT NULL,
    minhash BLOB
);
CREATE INDEX IF NOT EXISTS articles_digest ON articles (digest);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story);
CREATE INDEX IF NOT EXISTS articles_t ON articles (t);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    first REAL NOT NULL,
    last REAL NOT NULL,
    n INTEGER NOT NULL,
    title TEXT NOT NULL,
    terms TEXT NOT NULL,
    entities TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_last ON stories (last);
CREATE TABLE IF NOT EXISTS names (
    form TEXT NOT NULL,
    fold TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (form, canonical)
);
CREATE INDEX IF NOT EXISTS names_fold ON names (fold);
"""


#: A names row: (written form, fold, canonical name, sound).
NameRow = tuple[str, str, str, str]
#: Name pairs remembered as written before the set is emptied (it only saves queries).
MAX_NAMES_KNOWN = 50_000


def _dumps(value: Any) -> str:
    """JSON text of a row's value (orjson; the standard library's for what orjson refuses,
    a lone surrogate say); read back with ``json.loads`` either way."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value)


def name_rows(pairs: Iterable[tuple[str, str]]) -> list[NameRow]:
    """The ``names`` rows of (written form, canonical name) pairs."""
    return [(form, fold(form), canonical, sound(form)) for form, canonical in pairs]


@dataclass
class ArticleRow:
    """What is remembered of one article."""

    id: str
    t: float
    lang: str
    digest: str
    duplicate_of: str
    story: str
    title: str
    entities: list[str]
    terms: dict[str, float]
    minhash: bytes | None
    #: No publication date (``date_uncertain``).
    uncertain: bool = False


@dataclass
class StoryRow:
    """A story: its centroid (weighted English terms, entity counts) and its span."""

    id: str
    first: float
    last: float
    n: int
    title: str
    terms: dict[str, float]
    entities: dict[str, int]
    #: Every article of the story had no date: its span says nothing, and an article of
    #: any date may join it (the first dated one gives it its time).
    undated: bool = False


class State:
    """The SQLite file; ``readonly`` for commands that only look."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        #: (form, canonical) pairs this connection wrote to ``names`` (see put_name_rows).
        self._names_known: set[tuple[str, str]] = set()
        if readonly:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Built in the index plugin's loading thread, then used by the daemon's
            # thread, one at a time (the plugin's lock): not shared at once.
            self.db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
            if "uncertain" not in columns:  # a state file from before date_uncertain
                self.db.execute("ALTER TABLE articles ADD COLUMN uncertain INTEGER NOT NULL "
                                "DEFAULT 0")
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(names)")}
            if "sound" not in columns:  # a state file from before names by sound
                self.db.execute("ALTER TABLE names ADD COLUMN sound TEXT NOT NULL DEFAULT ''")
            self.db.execute("CREATE INDEX IF NOT EXISTS names_sound ON names (sound)")
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(stories)")}
            if "undated" not in columns:  # a state file from before undated stories
                self.db.execute("ALTER TABLE stories ADD COLUMN undated INTEGER NOT NULL "
                                "DEFAULT 0")
            self.db.commit()

    def close(self) -> None:
        self.db.close()

    def commit(self) -> None:
        try:
            self.db.commit()
        except sqlite3.Error:
            self._names_known.clear()  # what was written may be rolled back
            raise

    # --- articles ------------------------------------------------------------------

    def article(self, rid: str) -> ArticleRow | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (rid,)).fetchone()
        return _article(row) if row else None

    def by_digest(self, digest: str) -> ArticleRow | None:
        row = self.db.execute("SELECT * FROM articles WHERE digest = ? ORDER BY t LIMIT 1",
                              (digest,)).fetchone()
        return _article(row) if row else None

    def minhash(self, rid: str) -> tuple[str, bytes | None] | None:
        row = self.db.execute("SELECT lang, minhash FROM articles WHERE id = ?",
                              (rid,)).fetchone()
        return (row[0], row[1]) if row else None

    def put_article(self, a: ArticleRow) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles (id, t, lang, digest, duplicate_of, story, "
            "title, entities, terms, minhash, uncertain) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, a.t, a.lang, a.digest, a.duplicate_of, a.story, a.title,
             _dumps(a.entities), _dumps(a.terms), a.minhash, int(a.uncertain)))

    def articles_since(self, t: float) -> Iterator[ArticleRow]:
        for row in self.db.execute("SELECT * FROM articles WHERE t >= ?", (t,)):
            yield _article(row)

    def ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM articles")}

    def forget(self, ids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])

    def newest(self) -> float | None:
        row = self.db.execute("SELECT max(t) FROM articles").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def clear(self) -> None:
        self.db.execute("DELETE FROM articles")
        self.db.execute("DELETE FROM stories")
        self.db.execute("DELETE FROM names")
        self._names_known.clear()

    # --- names ---------------------------------------------------------------------

    def put_names(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Remember (written form, canonical name) pairs of entities, as extract wrote them."""
        self.put_name_rows(name_rows(pairs))

    def put_name_rows(self, rows: Iterable[NameRow]) -> None:
        """Remember entities' names as :func:`name_rows` made them (in a worker, say). A
        pair this connection has written is not written again (its row is kept: names are
        only ever added, or all cleared)."""
        known = self._names_known
        new = [r for r in rows if (r[0], r[2]) not in known]
        if not new:
            return
        self.db.executemany("INSERT OR IGNORE INTO names (form, fold, canonical, sound) "
                            "VALUES (?,?,?,?)", new)
        if len(known) > MAX_NAMES_KNOWN:
            known.clear()
        known.update((r[0], r[2]) for r in new)

    def canonicals(self, value: str) -> list[str]:
        """Canonical names an entity written ``value`` (any case, any script) goes by: the
        same letters once folded, or a name of at least ``MIN_SOUND`` letters that sounds
        the same (`Robert Fico` finds `Роберт Фицо` where extract left it in Cyrillic)."""
        key = sound(value)
        try:
            rows = self.db.execute(
                "SELECT DISTINCT canonical FROM names WHERE fold = ? OR (sound = ? AND ? != '')",
                (fold(value), key, key if len(key.replace(" ", "")) >= MIN_SOUND else "")
            ).fetchall()
        except sqlite3.OperationalError:  # a state file from before names by sound
            try:
                rows = self.db.execute("SELECT DISTINCT canonical FROM names WHERE fold = ?",
                                       (fold(value),)).fetchall()
            except sqlite3.OperationalError:  # from before the names table
                return []
        return sorted(r[0] for r in rows)

    def forms(self, canonical: str) -> list[str]:
        """Every written form of a canonical name seen so far, the name itself included."""
        try:
            rows = self.db.execute("SELECT DISTINCT form FROM names WHERE canonical = ?",
                                   (canonical,)).fetchall()
        except sqlite3.OperationalError:
            return [canonical]
        return sorted({canonical, *(r[0] for r in rows)})

    # --- stories -------------------------------------------------------------------

    def put_story(self, s: StoryRow) -> None:
        self.db.execute("INSERT OR REPLACE INTO stories (id, first, last, n, title, terms, "
                        "entities, undated) VALUES (?,?,?,?,?,?,?,?)",
                        (s.id, s.first, s.last, s.n, s.title, _dumps(s.terms),
                         _dumps(s.entities), int(s.undated)))

    def story(self, sid: str) -> StoryRow | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (sid,)).fetchone()
        return _story(row) if row else None

    def stories_since(self, t: float) -> Iterator[StoryRow]:
        for row in self.db.execute("SELECT * FROM stories WHERE last >= ?", (t,)):
            yield _story(row)

    def story_listing(self, since: float | None, min_articles: int,
                      limit: int) -> list[dict[str, Any]]:
        """Stories as ``newsdesk stories`` shows them, last seen first, counted from the
        articles table (so an article forgotten after a crash is not counted)."""
        # The span of a story is that of its dated articles: an undated article's time is
        # only where it was filed (the story's, or when it was read); a story of undated
        # articles only has no span (None).
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        dated = "CASE WHEN uncertain = 0 THEN t END" if "uncertain" in columns else "t"
        rows = self.db.execute(
            f"SELECT story, count(*) AS n, min({dated}), max({dated}), count(DISTINCT lang) "
            "FROM articles WHERE story != '' AND t >= ? GROUP BY story HAVING n >= ? "
            f"ORDER BY coalesce(max({dated}), max(t)) DESC LIMIT ?",
            (since if since is not None else float("-inf"), min_articles, limit)).fetchall()
        out = []
        for sid, n, first, last, langs in rows:
            story = self.story(sid)
            entities: dict[str, int] = {}
            title = story.title if story else ""
            for (names,) in self.db.execute("SELECT entities FROM articles WHERE story = ?",
                                            (sid,)):
                for name in json.loads(names):
                    entities[name] = entities.get(name, 0) + 1
            # Article rows hold each entity once per mention: ranked by mentions.
            top = sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            out.append({"story": sid, "articles": n, "languages": langs, "first_seen": first,
                        "last_seen": last, "title": title, "entities": [k for k, _ in top]})
        return out


#: Letters a name's sound key needs for names that only sound alike to be one (short keys
#: meet too often by chance).
MIN_SOUND = 8


#: Names' keys remembered (``sound`` and ``fold``: the same names come in many articles).
KEYS_MAX = 16384


@lru_cache(maxsize=KEYS_MAX)
def sound(value: str) -> str:
    """A name by the sound of its words (:func:`names.sound_key`), words apart by a space."""
    return " ".join(k for k in (sound_key(w) for w in re.findall(r"[^\W\d_]+", value)) if k)


@lru_cache(maxsize=KEYS_MAX)
def fold(value: str) -> str:
    """A name's lookup key: Latin letters (anyascii), lower case, hyphens and spaces alike, so
    `Алматы` meets `Almaty`, `ОДКБ` meets `ODKB` and `Alma Ata` meets `Alma-Ata`."""
    from anyascii import anyascii

    return re.sub(r"[\s\-‐–]+", " ", anyascii(value).lower()).strip()


def _article(row: tuple[Any, ...]) -> ArticleRow:
    return ArticleRow(id=row[0], t=row[1], lang=row[2], digest=row[3], duplicate_of=row[4],
                      story=row[5], title=row[6], entities=json.loads(row[7]),
                      terms=json.loads(row[8]), minhash=row[9],
                      uncertain=bool(row[10]) if len(row) > 10 else False)


def _story(row: tuple[Any, ...]) -> StoryRow:
    return StoryRow(id=row[0], first=row[1], last=row[2], n=row[3], title=row[4],
                    terms=json.loads(row[5]), entities=json.loads(row[6]),
                    undated=bool(row[7]) if len(row) > 7 else False)
