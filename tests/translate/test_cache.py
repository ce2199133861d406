"""The translation cache: dated entries, the upgrade of an undated cache, and pruning
through `newsdesk translate cache --prune-days N`."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from newsdesk.cli import main
from newsdesk_plugins.translate.cache import Cache, key


def _age(path: Path, k: str, days: float) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE translations SET added = ? WHERE key = ?", (int(time.time() - days * 86400), k))


def test_a_cache_written_before_entries_were_dated_is_upgraded_in_place(tmp_path: Path) -> None:
    """An old cache (no date column) opens, keeps its translations, counts them as
    undated, and the next prune removes them while new entries stay."""
    path = tmp_path / "cache.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE translations (key TEXT PRIMARY KEY, translation TEXT NOT NULL)")
        db.execute("CREATE TABLE warned (run TEXT NOT NULL, pair TEXT NOT NULL, PRIMARY KEY (run, pair))")
        db.execute("INSERT INTO translations VALUES ('old', 'an old translation')")
    cache = Cache(path)
    assert cache.get_many(["old"]) == {"old": "an old translation"}
    cache.put_many([("new", "a new translation")])
    assert cache.stats().undated == 1 and cache.stats().entries == 2
    assert cache.prune(30 * 86400) == 1
    assert cache.get_many(["old", "new"]) == {"new": "a new translation"}
    cache.close()


def test_the_cache_command_prunes_old_translations_and_reports_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`translate cache --prune-days 30` deletes what was written more than 30 days ago,
    keeps the rest, and prints what is left."""
    path = tmp_path / "state" / "translate_cache.sqlite"
    cache = Cache(path)
    k_old, k_new = key("hola", "es", "en", "apertium", "1"), key("adiós", "es", "en", "apertium", "1")
    cache.put_many([(k_old, "hello"), (k_new, "goodbye")])
    cache.close()
    _age(path, k_old, 45)
    assert main(["translate", "cache", "--workdir", str(tmp_path), "--prune-days", "30"]) == 0
    out = capsys.readouterr().out
    assert "pruned 1 translation(s)" in out and ": 1 translation(s)" in out
    assert Cache(path).get_many([k_old, k_new]) == {k_new: "goodbye"}


def test_the_cache_command_without_a_cache_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before any translation there is no cache file, and the command says so (exit 0)."""
    assert main(["translate", "cache", "--workdir", str(tmp_path)]) == 0
    assert "no translation cache yet" in capsys.readouterr().out
