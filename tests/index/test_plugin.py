"""The plugin inside ``newsdesk run``: the index hook, indexing at write time, commits,
a deleted index folder, a failing disk, and its own spool at start-up (it never reads
the stream files)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from newsdesk import hookimpl
from newsdesk.app import App, Settings, build_app
from newsdesk.article import Article, Source
from newsdesk.errors import PluginError
from newsdesk.output import Batch
from newsdesk.pipeline import run_stages
from newsdesk_plugins.index.backend import Filters, IndexUnavailable
from newsdesk_plugins.index.documents import to_doc
from newsdesk_plugins.index.plugin import IndexPlugin
from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .helpers import STORM_EN, TRAM_EN, record


def app_for(workdir: Path, commit_s: float = 0.0) -> App:
    (workdir / "config").mkdir(parents=True, exist_ok=True)
    (workdir / "config" / "newsdesk.toml").write_text(f"[index]\ncommit_s = {commit_s}\n")
    return build_app(Settings(workdir=str(workdir), command="run"))


def plugin(app: App) -> IndexPlugin:
    p = app.pm.get_plugin("index.writer")
    assert isinstance(p, IndexPlugin)
    return p


def article(rec: dict[str, Any]) -> Article:
    src = Source(path="/x/" + rec["id"][:8], name=rec["id"][:8] + ".txt", size=1,
                 mtime="2026-03-03T10:00:00Z", received="2026-03-03T10:00:00Z")
    keep = {k: v for k, v in rec.items() if k not in ("id", "source", "status", "errors",
                                                       "timings_ms", "schema")}
    return Article(id=rec["id"], source=src, content=rec["text"], record=keep)


def reader(workdir: Path) -> TantivyBackend:
    return TantivyBackend(workdir / "state" / "index", writable=False)


def test_the_index_hook_adds_story_and_duplicate_of_to_the_record(workdir: Path) -> None:
    """newsdesk_index, run as the daemon runs it, gives every article a story and a copy
    its duplicate_of."""
    app = app_for(workdir)
    first = article(record(TRAM_EN, title="Lyon tram"))
    copy = article(record(TRAM_EN + " Copyright Wire.", title="Lyon tram (wire)"))
    for a in (first, copy):
        run_stages(app.pm, a, ("index",))
    assert first.record["story"].startswith("st-") and "duplicate_of" not in first.record
    assert copy.record["duplicate_of"] == first.id
    assert copy.record["story"] == first.record["story"]
    assert not first.errors and not copy.errors
    app.shutdown()


def test_written_records_are_searchable_from_another_reader(workdir: Path) -> None:
    """newsdesk_write indexes the batch the stream got; a read-only reader sees it after
    the commit; failed records are left out."""
    app = app_for(workdir)
    recs = [record(TRAM_EN, title="Lyon tram"), record(STORM_EN, title="Storm"),
            record("unreadable", status="failed")]
    app.pm.hook.newsdesk_write(batch=Batch.of(recs))
    r = reader(workdir)
    assert r.ids() == {recs[0]["id"], recs[1]["id"]}
    assert [h.title for h in r.search("storm", Filters(), 5).hits] == ["Storm"]
    app.shutdown()


def test_a_commit_follows_within_commit_s_without_another_batch(workdir: Path) -> None:
    """With commit_s set, a lone batch is committed by the timer, well within a second."""
    app = app_for(workdir, commit_s=0.3)
    app.pm.hook.newsdesk_write(batch=Batch.of([record(TRAM_EN, title="first")]))
    time.sleep(0.05)
    app.pm.hook.newsdesk_write(batch=Batch.of([record(STORM_EN, title="second")]))
    r = reader(workdir)
    deadline = time.monotonic() + 1.0
    while r.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert r.count() == 2
    app.shutdown()


def test_the_index_is_committed_on_the_timer_thread_never_in_the_writing_one(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With commit_s set, even a batch that comes when a commit is due returns before the
    commit: tantivy's work is done on the timer's thread, off the daemon's loop."""
    import threading

    app = app_for(workdir, commit_s=0.2)
    p = plugin(app)
    committed_in: list[str] = []
    commit = p.backend.commit

    def spy() -> None:
        committed_in.append(threading.current_thread().name)
        commit()

    monkeypatch.setattr(p.backend, "commit", spy)
    time.sleep(0.3)  # a commit is due
    app.pm.hook.newsdesk_write(batch=Batch.of([record(TRAM_EN, title="first")]))
    assert threading.current_thread().name not in committed_in
    r = reader(workdir)
    deadline = time.monotonic() + 2.0
    while r.count() < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert r.count() == 1
    assert committed_in and threading.current_thread().name not in committed_in
    app.shutdown()


def test_a_deleted_index_folder_is_made_again_and_logged(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting the index under the daemon: the next batch makes a new index (holding that
    batch), and the log says `newsdesk reindex` rebuilds the rest."""
    import shutil

    app = app_for(workdir)
    app.pm.hook.newsdesk_write(batch=Batch.of([record(TRAM_EN, title="before")]))
    shutil.rmtree(workdir / "state" / "index")
    app.pm.hook.newsdesk_write(batch=Batch.of([record(STORM_EN, title="after")]))
    err = capsys.readouterr().err
    assert "index folder was deleted" in err and "newsdesk reindex" in err
    assert [h.title for h in reader(workdir).search("", Filters(), 5).hits] == ["after"]
    app.shutdown()


def test_a_failing_index_never_refuses_the_batch_and_catches_up(
        workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit that fails (a full disk) is logged once and the batch is not refused (the
    stream is still written); once the disk has room, the waiting records are indexed."""
    app = app_for(workdir)
    p = plugin(app)
    real_commit = p.backend.commit

    def full() -> None:
        raise IndexUnavailable("could not commit the index: No space left on device")

    monkeypatch.setattr(p.backend, "commit", full)
    a, b = record(TRAM_EN, title="a"), record(STORM_EN, title="b")
    app.pm.hook.newsdesk_write(batch=Batch.of([a]))
    app.pm.hook.newsdesk_write(batch=Batch.of([b]))
    err = capsys.readouterr().err
    assert err.count("could not write the index") == 1 and "No space left" in err
    monkeypatch.setattr(p.backend, "commit", real_commit)
    app.pm.hook.newsdesk_write(batch=Batch.of([]))  # an empty batch is not delivered...
    p._commit()  # ...so commit as the timer would
    assert reader(workdir).ids() == {a["id"], b["id"]}
    assert "written again" in capsys.readouterr().err
    app.shutdown()


def test_a_state_failure_becomes_an_error_in_the_record(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If duplicates and stories cannot be stored (a full disk), the article goes on with
    an index error in its record (status partial)."""
    import sqlite3

    app = app_for(workdir)
    p = plugin(app)
    assert p.grouper is not None

    def full(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(p.grouper.state, "put_article", full)
    a = article(record(TRAM_EN, title="x"))
    run_stages(app.pm, a, ("index",))
    assert a.status == "partial" and "disk is full" in a.errors[0]["message"]
    app.shutdown()


def test_startup_indexes_what_the_spool_holds_and_deletes_nothing(workdir: Path) -> None:
    """newsdesk_startup indexes the records handed to the index before a crash (its
    spool) and keeps every article it holds, whatever the stream files say: here there
    are none, as with the JSON-lines sink disabled."""
    committed, spooled = record(TRAM_EN, title="committed"), record(STORM_EN, title="spooled")
    app = app_for(workdir)
    p = plugin(app)
    p.backend.upsert([to_doc(committed)])
    p.backend.commit()
    p.spool.append(Batch.of([spooled]).lines)
    p.backend.close()
    p.spool.close()  # a crash: no shutdown, the spool is left as it was
    assert not list((workdir / "output").glob("*.jsonl"))
    app = app_for(workdir)
    app.pm.hook.newsdesk_startup(config=app.config)
    assert reader(workdir).ids() == {committed["id"], spooled["id"]}
    assert list(plugin(app).spool.records()) == []
    app.shutdown()


def test_a_batch_is_spooled_before_the_sinks_write_it_and_the_spool_empties_at_commit(
        workdir: Path) -> None:
    """The index's spool gets the batch before any other sink (so a crash after the
    stream write cannot leave the index without it) and is emptied once committed."""
    app = app_for(workdir, commit_s=60.0)
    p = plugin(app)
    seen: list[int] = []

    class Sink:
        @hookimpl
        def newsdesk_write(self, batch: Batch) -> None:
            seen.append(len(list(p.spool.records())))

    app.pm.register(Sink(), name="probe.sink")
    a = record(TRAM_EN, title="a")
    app.pm.hook.newsdesk_write(batch=Batch.of([a, record("unreadable", status="failed")]))
    assert seen == [1]  # the failed record is not for the index
    assert [r["id"] for r in p.spool.records()] == [a["id"]]
    p._commit()
    assert list(p.spool.records()) == []
    app.shutdown()


def test_decisions_about_articles_the_index_never_got_are_forgotten_at_startup(
        workdir: Path) -> None:
    """An article decided (story, duplicates) and then lost with the daemon before any
    sink had it is forgotten, to be decided afresh if it comes again; one the index holds
    is kept."""
    app = app_for(workdir)
    kept, lost = article(record(TRAM_EN, title="kept")), article(record(STORM_EN, title="lost"))
    for a in (kept, lost):
        run_stages(app.pm, a, ("index",))
    app.pm.hook.newsdesk_write(batch=Batch.of([kept.to_record()]))
    app.shutdown()
    app = app_for(workdir)
    app.pm.hook.newsdesk_startup(config=app.config)
    grouper = plugin(app).grouper
    assert grouper is not None
    assert grouper.state.ids() == {kept.id}
    app.shutdown()


def test_other_commands_do_not_open_the_index_for_writing(workdir: Path) -> None:
    """Only `run` registers the writer: `process` and the search commands leave the lock."""
    app = build_app(Settings(workdir=str(workdir), command="process"))
    assert app.pm.get_plugin("index.writer") is None
    assert not (workdir / "state" / "index").exists()


def test_a_second_daemon_on_the_same_index_is_one_clear_error(workdir: Path) -> None:
    """While one `run` holds the index, another one's configure fails with a plugin error
    naming the folder, not a traceback."""
    from newsdesk.errors import PluginError

    first = app_for(workdir)
    with pytest.raises(PluginError, match="another process"):
        app_for(workdir)
    first.shutdown()


def _plugin_with(workdir: Path, build: Any) -> IndexPlugin:
    from newsdesk_plugins.index.spool import Spool

    backend = TantivyBackend(workdir / "state" / "index", writable=True)
    return IndexPlugin(backend, build, folder=workdir / "state" / "index",
                       spool=Spool(workdir / "state" / "index-spool.jsonl", fsync=False),
                       commit_s=0.0)


def test_the_memory_loads_in_a_thread_while_start_up_goes_on(workdir: Path) -> None:
    """Start-up does not wait for the duplicate and story memory (reading a long run's
    state takes seconds); the first decision does, and what start-up asked of the memory
    (forgetting articles the stream lacks) is done as soon as it is loaded."""
    import threading

    from newsdesk_plugins.index import IndexSettings, group_settings
    from newsdesk_plugins.index.grouping import Grouper

    state = workdir / "state" / "index.sqlite3"
    ghost = record("An article the stream never got, decided before a crash.", title="g")
    early = Grouper(state, group_settings(IndexSettings()))
    early.decide(ghost["id"], ghost, None)
    early.close()
    release = threading.Event()

    def slow() -> Grouper:
        release.wait(10)
        return Grouper(state, group_settings(IndexSettings()))

    p = _plugin_with(workdir, slow)
    p.newsdesk_startup(config=None)  # type: ignore[arg-type]
    assert not p._loaded.is_set()
    release.set()
    a = article(record(TRAM_EN, title="Lyon tram"))
    p.newsdesk_index(a)
    assert a.record["story"].startswith("st-")
    assert p.grouper is not None and ghost["id"] not in p.grouper.state.ids()
    p.newsdesk_shutdown()


def test_a_memory_that_cannot_load_is_an_index_error_in_each_record(workdir: Path) -> None:
    """The reason is logged once and given in every record's errors; the daemon goes on."""
    def broken() -> Any:
        raise OSError("state file unreadable")

    p = _plugin_with(workdir, broken)
    with pytest.raises(PluginError, match="could not be loaded: OSError: state file unreadable"):
        p.newsdesk_index(article(record(TRAM_EN, title="x")))
    p.newsdesk_shutdown()


def test_decisions_are_committed_once_per_written_batch_before_the_sinks(
        workdir: Path) -> None:
    """A decision's rows are not committed article by article but before the batch that
    holds the record is written (so the state is never behind the stream)."""
    from newsdesk_plugins.index.state import State

    app = app_for(workdir)
    a = article(record(TRAM_EN, title="Lyon tram"))
    run_stages(app.pm, a, ("index",))
    seen = State(workdir / "state" / "index.sqlite3", readonly=True)
    assert a.id not in seen.ids()
    plugin(app).commit_state(Batch.of([]))
    assert a.id in seen.ids()
    seen.close()
    app.shutdown()
