"""Lifecycle and output hooks: configure, startup, shutdown, write, recover; the sinks."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk import hookimpl
from newsdesk.app import App, Settings, build_app
from newsdesk.cli import main
from newsdesk.loader import new_manager
from newsdesk.output import Batch, dumps, recover, write
from newsdesk_plugins.jsonl_sink import JsonlSink

from .helpers import write_plugin

PROBE = """
    from newsdesk import hookimpl

    EVENTS = []

    class Engine:
        def __init__(self, greeting):
            self.greeting = greeting

        @hookimpl
        def newsdesk_clean(self, article):
            article.record["probe"] = {"greeting": self.greeting}

    @hookimpl
    def newsdesk_configure(config, pm, role):
        EVENTS.append(f"configure:{role}:{config.command}")
        pm.register(Engine("hi"), name="probe.engine")

    @hookimpl
    def newsdesk_startup(config):
        EVENTS.append("startup")

    @hookimpl
    def newsdesk_write(batch):
        EVENTS.append("write:" + ",".join(r["source"]["name"] for r in batch.records))

    @hookimpl
    def newsdesk_shutdown(config):
        EVENTS.append("shutdown")
"""


def test_process_calls_configure_startup_write_and_shutdown_in_order(
    capsys: pytest.CaptureFixture[str], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `process`: newsdesk_configure (role "main"), newsdesk_startup once, then
    newsdesk_write with the records in input order (a batch may hold several), then
    newsdesk_shutdown once."""
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    write_plugin(workdir / "plugins", "probe", PROBE)
    inbox = workdir / "inbox"
    (inbox / "a.txt").write_text("First.")
    (inbox / "b.txt").write_text("Second.")
    code = main(["process", "--workdir", str(workdir), "--plugins-dir", str(workdir / "plugins"),
                 str(inbox / "b.txt"), str(inbox / "a.txt")])
    out, _ = capsys.readouterr()
    assert code == 0
    probe = importlib.import_module("newsdesk_dir_plugin_probe")
    events = probe.EVENTS
    assert events[:2] == ["configure:main:process", "startup"] and events[-1] == "shutdown"
    written = [n for e in events[2:-1] for n in e.removeprefix("write:").split(",")]
    assert written == ["b.txt", "a.txt"]
    assert [orjson.loads(line)["probe"] for line in out.splitlines()] == [{"greeting": "hi"}] * 2


def _app_with_folder_plugin(tmp_path: Path, name: str, body: str, role: str) -> App:
    """An app for `process` in ``tmp_path`` whose config lists a plugin folder holding
    ``name.py``."""
    write_plugin(tmp_path / "plugins", name, body)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text('[plugins]\ndirs = ["plugins"]\n')
    return build_app(Settings(workdir=str(tmp_path), command="process"), role=role)


def test_a_class_instance_registered_at_configure_receives_the_stage_hooks(
    tmp_path: Path,
) -> None:
    """A stateful plugin registers an instance in newsdesk_configure; its methods are
    called like any hook implementation."""
    app = _app_with_folder_plugin(tmp_path, "probe", PROBE, role="worker")
    assert app.pm.has_plugin("probe.engine")
    probe = importlib.import_module("newsdesk_dir_plugin_probe")
    assert probe.EVENTS == ["configure:worker:process"]


TWO_CONFIGURES = """
    from newsdesk import hookimpl

    CALLS = []

    class Engine:
        pass

    @hookimpl
    def newsdesk_configure(config, pm, role):
        CALLS.append("first")
        pm.register(Engine(), name="twice.engine")

    @hookimpl(specname="newsdesk_configure")
    def configure_cache(config, pm, role):
        CALLS.append("second")
"""


def test_a_plugin_with_two_configure_implementations_has_each_called_once(
    tmp_path: Path,
) -> None:
    """A module implementing newsdesk_configure twice (one through ``specname``) has each
    implementation called once, so what it registers is registered once."""
    app = _app_with_folder_plugin(tmp_path, "twice", TWO_CONFIGURES, role="main")
    assert app.pm.has_plugin("twice.engine")
    twice = importlib.import_module("newsdesk_dir_plugin_twice")
    assert sorted(twice.CALLS) == ["first", "second"]
    assert app.owners["twice.engine"] == "twice"


@pytest.mark.parametrize(
    ("command", "stdout", "sinks"),
    [
        ("process", False, {"stdout.sink"}),
        ("run", False, {"jsonl.sink"}),
        ("run", True, {"jsonl.sink", "stdout.sink"}),
        ("plugins", False, set()),
    ],
)
def test_the_builtin_sinks_register_only_where_they_write(
    tmp_path: Path, command: str, stdout: bool, sinks: set[str]
) -> None:
    """The stream file is written only by `run`; stdout by `process`, or `run --stdout`."""
    overrides = {"output": {"stdout": True}} if stdout else {}
    app = build_app(Settings(workdir=str(tmp_path), command=command, overrides=overrides))
    assert {n for n in ("jsonl.sink", "stdout.sink") if app.pm.has_plugin(n)} == sinks
    app.shutdown()


def test_a_batch_holds_each_record_as_one_json_line() -> None:
    """Batch.lines are the records serialised by orjson, each ending in one newline."""
    recs = [{"id": "a", "text": "line\nbreak"}, {"id": "b", "text": "ünïcode"}]
    batch = Batch.of(recs)
    assert batch.ids == ["a", "b"]
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in batch.lines)
    assert [orjson.loads(line) for line in batch.lines] == recs


def test_write_hands_every_sink_the_batch_and_skips_empty_batches() -> None:
    """newsdesk_write reaches every sink; an empty batch reaches none."""
    got: list[tuple[str, list[str]]] = []

    class Sink:
        def __init__(self, tag: str) -> None:
            self.tag = tag

        @hookimpl
        def newsdesk_write(self, batch: Batch) -> None:
            got.append((self.tag, batch.ids))

    pm = new_manager()
    pm.register(Sink("one"), name="one")
    pm.register(Sink("two"), name="two")
    write(pm, Batch.of([]))
    write(pm, Batch.of([{"id": "x"}]))
    assert sorted(got) == [("one", ["x"]), ("two", ["x"])]


def test_recover_combines_what_the_sinks_hold() -> None:
    """newsdesk_recover answers are merged: an id any sink holds is held; a sink's None
    (cannot tell) and ids not pending are ignored."""

    class Holds:
        def __init__(self, ids: frozenset[str] | None) -> None:
            self.ids = ids

        @hookimpl
        def newsdesk_recover(self, pending: frozenset[str]) -> frozenset[str] | None:
            return self.ids

    pm = new_manager()
    pm.register(Holds(frozenset({"a", "zzz"})), name="one")
    pm.register(Holds(None), name="two")
    pm.register(Holds(frozenset({"c"})), name="three")
    assert recover(pm, frozenset({"a", "b", "c"})) == frozenset({"a", "c"})


def test_the_stream_file_appends_whole_lines_and_recovers_only_complete_ones(
    tmp_path: Path,
) -> None:
    """The JSON-lines sink appends each batch to today's file; after a crash it reports
    the ids of complete lines only, not of a torn last line."""
    sink = JsonlSink(tmp_path, "articles", fsync=False)
    sink.newsdesk_write(Batch.of([{"id": "one"}, {"id": "two"}]))
    sink.newsdesk_write(Batch.of([{"id": "three"}]))
    sink.close()
    (stream,) = tmp_path.glob("articles-*.jsonl")
    assert [orjson.loads(x)["id"] for x in stream.read_bytes().splitlines()] == [
        "one", "two", "three"]
    with stream.open("ab") as fh:
        fh.write(dumps({"id": "four"})[:-3])  # a line cut short by a crash
    held = sink.newsdesk_recover(frozenset({"two", "four", "five"}))
    assert held == frozenset({"two"})


def test_each_batch_is_synced_to_disk_before_the_stream_sink_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``fsync`` on, the sink syncs the stream file's data (and size) once a batch,
    after the whole batch is written and before it returns; off, it does not."""
    import os

    synced: list[int] = []

    def sync(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)

    monkeypatch.setattr(os, "fdatasync", sync)
    sink = JsonlSink(tmp_path, "articles", fsync=True)
    sink.newsdesk_write(Batch.of([{"id": "one"}, {"id": "two"}]))
    sink.newsdesk_write(Batch.of([{"id": "three"}]))
    (stream,) = tmp_path.glob("articles-*.jsonl")
    first = len(dumps({"id": "one"}) + dumps({"id": "two"}))
    assert synced == [first, stream.stat().st_size]
    unsynced = JsonlSink(tmp_path / "off", "articles", fsync=False)
    unsynced.newsdesk_write(Batch.of([{"id": "four"}]))
    assert len(synced) == 2
    sink.close()
    unsynced.close()


def test_the_stdout_sink_writes_the_lines_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """The stdout sink writes exactly the batch's bytes, so stdout is JSON lines."""
    from newsdesk_plugins.stdout_sink import StdoutSink

    class Buffer:
        def __init__(self) -> None:
            self.data = b""
            self.flushed = False

        def write(self, data: bytes) -> Any:
            self.data += data

        def flush(self) -> None:
            self.flushed = True

    buffer = Buffer()
    batch = Batch.of([{"id": "a"}, {"id": "b"}])
    StdoutSink(buffer).newsdesk_write(batch)  # type: ignore[arg-type]
    assert buffer.data == b"".join(batch.lines) and buffer.flushed
