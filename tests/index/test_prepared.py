"""The index's per-article features, computed in the worker (newsdesk_index_prepare), give
the decisions the daemon would have made computing them itself."""

from __future__ import annotations

from pathlib import Path

from newsdesk.article import Article, Source
from newsdesk_plugins.index import IndexSettings, group_settings
from newsdesk_plugins.index.grouping import Grouper
from newsdesk_plugins.index.prepare import KEY, IndexPrepare

from .helpers import STORM_EN, TRAM_DE, TRAM_EN, record


def _articles() -> list[Article]:
    edited = TRAM_EN.replace("after a long debate", "after a long and heated debate")
    records = [
        record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
               entities=["Lyon", "Claire Dubois"]),
        record(TRAM_EN.upper(), title="Copy", published="2026-03-03"),
        record(edited + " Copyright Example Wire.", title="Lyon tram approved",
               published="2026-03-03", entities=["Lyon", "Claire Dubois"]),
        record(STORM_EN, title="Storm hits Portugal", published="2026-03-02",
               entities=["Portugal", "Porto"]),
        record(TRAM_DE, title="Straßenbahn in Lyon", lang="de", published="2026-03-03",
               entities=["Lyon", "Claire Dubois"],
               translation={"text": TRAM_EN, "title": "Tram in Lyon"}),
        record("Short.", title="Too short to sign"),
        # undated: the year whose numbers the daemon leaves out depends on the stories
        record(STORM_EN + " In 2026 about 4,500 homes lost power, against 120 in 2025.",
               title="Storm update", entities=["Portugal", "Porto"]),
    ]
    out = []
    for rec in records:
        source = Source(path="a", name="a", size=1, mtime="", received=rec["source"]["received"])
        out.append(Article(source=source, content="", id=str(rec["id"]), record=rec))
    return out


def test_the_index_decides_the_same_from_features_prepared_in_the_worker(
        tmp_path: Path) -> None:
    """Exact and near duplicates and stories come out the same whether the words,
    hashes, signature and counts were prepared in the worker or computed by the daemon."""
    s = IndexSettings()
    worker = IndexPrepare(s.duplicate_threshold, s.num_perm, s.shingle_words, s.min_words)
    arts = _articles()
    for art in arts:
        worker.newsdesk_index_prepare(art)
    assert all(KEY in art.prepared for art in arts)
    by_daemon = Grouper(tmp_path / "a.sqlite3", group_settings(s))
    by_worker = Grouper(tmp_path / "b.sqlite3", group_settings(s))
    alone = [by_daemon.decide(a.id, a.record, a.source.received) for a in arts]
    prepared = [by_worker.decide(a.id, a.record, a.source.received, prepared=a.prepared[KEY])
                for a in arts]
    assert prepared == alone
    assert alone[1].duplicate_of == alone[2].duplicate_of == arts[0].id
    assert alone[4].story == alone[0].story != alone[3].story


def test_features_prepared_with_other_settings_are_not_used(tmp_path: Path) -> None:
    """A worker whose signature length differs from the daemon's (another configuration)
    has its features ignored: the daemon computes them itself."""
    s = IndexSettings()
    worker = IndexPrepare(s.duplicate_threshold, 64, s.shingle_words, s.min_words)
    arts = _articles()
    for art in arts:
        worker.newsdesk_index_prepare(art)
    g = Grouper(tmp_path / "a.sqlite3", group_settings(s))
    decisions = [g.decide(a.id, a.record, a.source.received, prepared=a.prepared[KEY])
                 for a in arts]
    assert decisions[2].duplicate_of == arts[0].id


def _state_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("articles", "stories", "names")}
    finally:
        db.close()


def test_the_state_file_is_the_same_whether_features_were_prepared_in_the_worker_or_not(
        tmp_path: Path) -> None:
    """Articles, stories and entity names (their folded and sound keys made in the worker)
    are remembered alike, row for row, read back as the same values."""
    import json

    s = IndexSettings()
    worker = IndexPrepare(s.duplicate_threshold, s.num_perm, s.shingle_words, s.min_words)
    arts = _articles()
    arts[4].record["entities"][0]["aliases"] = ["Лион"]
    for art in arts:
        worker.newsdesk_index_prepare(art)
    by_daemon = Grouper(tmp_path / "a.sqlite3", group_settings(s))
    by_worker = Grouper(tmp_path / "b.sqlite3", group_settings(s))
    for a in arts:
        by_daemon.decide(a.id, a.record, a.source.received)
        by_worker.decide(a.id, a.record, a.source.received, prepared=a.prepared[KEY])
    by_daemon.close()
    by_worker.close()
    a, b = _state_rows(tmp_path / "a.sqlite3"), _state_rows(tmp_path / "b.sqlite3")
    assert a["names"] == b["names"]
    assert ("Лион", "lion", "Lyon", "lion") in b["names"]

    def values(rows: list[tuple[object, ...]], json_columns: tuple[int, ...]) -> list[object]:
        return [tuple(json.loads(str(v)) if i in json_columns else v for i, v in enumerate(r))
                for r in rows]

    assert values(a["articles"], (7, 8)) == values(b["articles"], (7, 8))
    assert values(a["stories"], (5, 6)) == values(b["stories"], (5, 6))


def test_a_name_written_once_is_written_again_after_the_state_is_cleared(
        tmp_path: Path) -> None:
    """The state remembers which names it wrote to skip them; clearing the names table
    (reindex) forgets that too."""
    from newsdesk_plugins.index.state import State, name_rows

    state = State(tmp_path / "s.sqlite3")
    rows = name_rows([("Lyon", "Lyon"), ("Lion", "Lyon")])
    state.put_name_rows(rows)
    state.put_name_rows(rows)
    assert state.forms("Lyon") == ["Lion", "Lyon"]
    state.clear()
    assert state.forms("Lyon") == ["Lyon"]
    state.put_name_rows(rows[:1])
    state.put_names([("Lion", "Lyon")])
    assert state.forms("Lyon") == ["Lion", "Lyon"]
    state.close()
