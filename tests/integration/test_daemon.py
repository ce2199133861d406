"""The real daemon as a subprocess on a temporary inbox."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from .conftest import DISABLE_STAGES, HANGING, STORY, drop

pytestmark = pytest.mark.integration



RAISING = '''
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    article.record["probe"] = {"saw": len(article.content)}

@hookimpl
def newsdesk_extract(article):
    raise ValueError("extract exploded on purpose")
'''

SLOW_START = '''
import time
from newsdesk import hookimpl

@hookimpl
def newsdesk_configure(config, pm, role):
    if role == "worker":
        time.sleep(3)

@hookimpl
def newsdesk_clean(article):
    article.record["slow_start"] = True
'''


def write_config(workdir: Path, text: str) -> None:
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "newsdesk.toml").write_text(text)


def by_name(records: list[dict]) -> dict[str, dict]:
    return {r["source"]["name"]: r for r in records}


def test_takes_the_backlog_then_renamed_and_slowly_written_files(daemon, tmp_path):
    """Processes files already in the inbox, then files renamed in and files written
    slowly, each only once it is complete, and archives them."""
    d = daemon()
    d.inbox.mkdir(exist_ok=True)
    (d.inbox / "before.txt").write_text(STORY)
    d.start()
    drop(d.inbox, "renamed.txt", STORY + "renamed\n")
    with (d.inbox / "slow.txt").open("w") as fh:
        for n in range(5):
            fh.write(f"Chunk {n} of a slowly written story. ")
            fh.flush()
            time.sleep(0.2)
    records = by_name(d.wait_records(3))
    assert set(records) == {"before.txt", "renamed.txt", "slow.txt"}
    slow_text = "".join(f"Chunk {n} of a slowly written story. " for n in range(5))
    assert records["slow.txt"]["source"]["size"] == len(slow_text)
    assert all(r["status"] == "ok" and r["schema"] == "newsdesk/2" for r in records.values())
    assert d.stop() == 0
    archived = sorted(p.name for p in (tmp_path / "archive").rglob("*.txt"))
    assert archived == ["before.txt", "renamed.txt", "slow.txt"]
    assert list(d.inbox.iterdir()) == []


def test_bad_inputs_give_records_and_failed_files_and_the_daemon_goes_on(daemon, tmp_path):
    """Each bad input gives a correct record or a failed record plus the file in failed/
    with its error file, and the daemon keeps taking files."""
    write_config(tmp_path, "[daemon]\nmax_file_mb = 0.01\n")
    d = daemon()
    russian = "Протесты в Алматы продолжаются третий день подряд. Полиция сообщает о задержаниях."
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the inbox")
    d.start()
    drop(d.inbox, "empty.txt", b"")
    drop(d.inbox, "scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nbinary")
    drop(d.inbox, "photo.jpg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    drop(d.inbox, "packed.txt", gzip.compress(b"hello"))
    drop(d.inbox, "cp1251.txt", (russian + "\n") .encode("cp1251") * 3)
    drop(d.inbox, "koi8.txt", (russian + "\n").encode("koi8-r") * 3)
    drop(d.inbox, "huge.txt", b"word " * 5000)
    drop(d.inbox, "bad.json", b'{"text": "unterminated')
    lines = [orjson.dumps({"text": f"{n} {STORY}"}) for n in ("first", "third")]
    drop(d.inbox, "mixed.jsonl", lines[0] + b"\nnot json at all\n" + lines[1] + b"\n")
    drop(d.inbox, "odd name \u0436\u0443\u0440\u043d\u0430\u043b\nline.txt", STORY)
    drop(d.inbox, "unknown.xyz", "unknown type " + STORY)
    os.symlink(outside, d.inbox / "link.txt")
    records = d.wait_records(14, timeout=120)
    drop(d.inbox, "after.txt", "after " + STORY)  # the daemon is still taking files
    records = by_name(d.wait_records(15))
    failed = {n for n, r in records.items() if r["status"] == "failed"}
    assert failed >= {"empty.txt", "scan.txt", "photo.jpg.txt", "packed.txt", "huge.txt",
                      "bad.json", "unknown.xyz", "link.txt"}
    assert records["cp1251.txt"]["status"] == "ok"
    assert records["koi8.txt"]["status"] == "ok"
    assert records["after.txt"]["status"] == "ok"
    assert "empty" in records["empty.txt"]["errors"][0]["message"]
    assert "PDF" in records["scan.txt"]["errors"][0]["message"]
    assert "over the limit" in records["huge.txt"]["errors"][0]["message"]
    assert "outside" in records["link.txt"]["errors"][0]["message"]
    lines = [r for r in d.records() if r["source"]["name"] == "mixed.jsonl"]
    assert [r["status"] for r in sorted(lines, key=lambda r: r["source"]["line"])] == [
        "ok", "failed", "ok"]
    assert d.stop() == 0
    for name in ("empty.txt", "scan.txt", "huge.txt", "bad.json", "link.txt"):
        folder = tmp_path / "failed" / records[name]["id"][:12]
        assert (folder / name).exists() or (folder / name).is_symlink(), name
        assert orjson.loads((folder / "error.json").read_bytes())["file"] == name
    assert outside.read_text() == "not for the inbox"  # never followed, never moved
    assert (tmp_path / "failed" / records["link.txt"]["id"][:12] / "link.txt").is_symlink()


def test_duplicate_content_is_skipped_with_a_log_line(daemon):
    """A file whose content was already processed gets no second record."""
    d = daemon().start()
    drop(d.inbox, "one.txt", STORY)
    d.wait_records(1)
    drop(d.inbox, "two.txt", STORY)
    d.wait_log("content already processed")
    drop(d.inbox, "three.txt", STORY + "changed\n")
    records = d.wait_records(2)
    assert [r["source"]["name"] for r in records] == ["one.txt", "three.txt"]
    assert d.stop() == 0


def test_a_raising_plugin_gives_a_partial_record_and_later_stages_run(daemon, tmp_path):
    """An exception in one plugin becomes an errors entry; the article is partial."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "probe.py").write_text(RAISING)
    d = daemon("--plugins-dir", str(plugins)).start()
    drop(d.inbox, "a.txt", STORY)
    (record,) = d.wait_records(1)
    assert record["status"] == "partial"
    assert record["probe"] == {"saw": len(STORY)}
    assert record["errors"] == [{"stage": "extract", "plugin": "probe", "type": "ValueError",
                                 "message": "extract exploded on purpose"}]
    assert set(record["timings_ms"]) >= {"clean", "extract", "translate", "index"}
    assert d.stop() == 0


@pytest.mark.slow
def test_a_hanging_or_crashing_plugin_fails_its_article_and_the_others_go_on(daemon, tmp_path):
    """A plugin past the timeout, or one that kills its worker, fails that article; the
    worker is replaced and the other articles are processed."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "hang.py").write_text(HANGING)
    write_config(tmp_path, "[daemon]\ntimeout_s = 2.0\nworkers = 2\n")
    # The stage plugins load their models on a worker's first article, which can take
    # longer than this test's short timeout; the test is about the framework alone.
    d = daemon("--plugins-dir", str(plugins), *DISABLE_STAGES).start()
    drop(d.inbox, "hang.txt", "HANG " + STORY)
    drop(d.inbox, "crash.txt", "CRASH " + STORY)
    for n in range(6):
        drop(d.inbox, f"fine{n}.txt", f"{n} {STORY}")
    records = by_name(d.wait_records(8, timeout=60))
    assert records["hang.txt"]["status"] == "failed"
    assert "timed out after 2 s" in records["hang.txt"]["errors"][0]["message"]
    assert records["crash.txt"]["status"] == "failed"
    assert "worker process died" in records["crash.txt"]["errors"][0]["message"]
    assert all(records[f"fine{n}.txt"]["status"] == "ok" for n in range(6))
    assert (tmp_path / "failed" / records["hang.txt"]["id"][:12] / "error.json").is_file()
    assert d.stop() == 0
    assert b'"workers_replaced":2' in d.log.read_bytes()


def test_sigterm_finishes_work_in_flight_and_exits_0(daemon):
    """On SIGTERM the daemon takes no new files, writes what it has, and exits 0."""
    d = daemon().start()
    for n in range(20):
        drop(d.inbox, f"n{n}.txt", f"{n} {STORY}")
    time.sleep(0.3)
    assert d.stop() == 0
    written = {r["source"]["name"] for r in d.records()}
    left = {p.name for p in d.inbox.iterdir()}
    assert written | left == {f"n{n}.txt" for n in range(20)}
    assert not written & left


@pytest.mark.slow
def test_kill_9_in_a_burst_then_restart_writes_every_record_exactly_once(daemon, tmp_path):
    """kill -9 in the middle of a burst, start again: every file's record is in the
    output exactly once, none lost, none twice; the killed daemon's workers end without
    a traceback (their pipe is reset, not closed, when the daemon dies with messages
    unread)."""
    d = daemon()
    d.start()
    names = [f"burst{n:04d}.txt" for n in range(600)]
    for n, name in enumerate(names):
        drop(d.inbox, name, f"Article number {n}. {STORY}")
    while len(d.records()) < 100:
        time.sleep(0.01)
    d.kill9()
    assert len(d.records()) < len(names), "the burst finished before the kill"
    d.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len({r["source"]["name"] for r in d.records()}) < 600:
        time.sleep(0.1)
    assert d.stop() == 0
    counts = Counter(r["source"]["name"] for r in d.records())
    assert set(counts) == set(names)
    assert max(counts.values()) == 1
    assert list(d.inbox.iterdir()) == []
    assert b"Traceback" not in d.log.read_bytes(), d.log.read_text(errors="replace")[-3000:]


def test_ctrl_c_to_the_process_group_stops_cleanly_without_tracebacks(tmp_path):
    """A terminal's Ctrl-C reaches the daemon and its workers at once: the daemon stops
    as on SIGTERM, exit 0, and no worker prints a KeyboardInterrupt traceback."""
    (tmp_path / "inbox").mkdir()
    log = tmp_path / "daemon.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "run", "--workdir", str(tmp_path), "--workers", "2",
             "--log-format", "json", *DISABLE_STAGES],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while b'"watching"' not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.05)
            drop(tmp_path / "inbox", "a.txt", STORY)
            while not list((tmp_path / "output").glob("*.jsonl")) and time.monotonic() < deadline:
                time.sleep(0.05)
            # a running daemon: both workers loaded (a Ctrl-C while a worker is still
            # starting Python can print that worker's traceback: a known gap)
            while b'"workers loaded"' not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGINT)
            code = proc.wait(30)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    text = log.read_text(errors="replace")
    assert code == 0, text[-2000:]
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert '"stopped"' in text


def test_once_processes_the_backlog_and_exits(tmp_path):
    """`run --once` takes what is in the inbox, then exits 0."""
    (tmp_path / "inbox").mkdir()
    for n in range(3):
        (tmp_path / "inbox" / f"{n}.txt").write_text(f"{n} {STORY}")
    done = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--once", "--workdir",
                           str(tmp_path)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = list((tmp_path / "output").glob("*.jsonl"))
    assert len(out) == 1 and len(out[0].read_bytes().splitlines()) == 3


def test_a_clean_stop_leaves_nothing_to_recover_at_the_next_start(tmp_path):
    """After `run --once` ends normally, its last batch is marked done in the journal: the
    next start finds nothing pending and does not log a recovery."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.txt").write_text(f"a {STORY}")
    cmd = [sys.executable, "-m", "newsdesk", "run", "--once", "--workdir", str(tmp_path),
           "--log-format", "json"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    (tmp_path / "inbox" / "b.txt").write_text(f"b {STORY}")
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "recovered after an unclean stop" not in second.stderr
    records = [line for f in (tmp_path / "output").glob("*.jsonl") for line in f.read_bytes().splitlines()]
    assert len(records) == 2


def test_a_missing_inbox_is_one_line_and_exit_code_4(tmp_path):
    """No inbox: one clear line on stderr, exit code 4, no traceback."""
    done = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.strip().startswith("newsdesk: error:")
    assert "inbox folder not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_torn_last_line_is_cut_and_its_record_written_again_whole(daemon, tmp_path):
    """A stream file ending in half a line (a crash mid-write) is repaired on the next
    write: the half line is cut, and every line of the file is whole JSON."""
    d = daemon().start()
    drop(d.inbox, "first.txt", STORY)
    d.wait_records(1)
    d.kill9()
    (stream,) = (tmp_path / "output").glob("*.jsonl")
    with stream.open("ab") as fh:
        fh.write(b'{"schema":"newsdesk/1","id":"torn')
    d.start()
    drop(d.inbox, "second.txt", "second " + STORY)
    d.wait_log("cut a torn last line")
    records = d.wait_records(2)
    assert [r["source"]["name"] for r in records] == ["first.txt", "second.txt"]
    assert d.stop() == 0


def test_the_polling_observer_takes_files_once_they_are_stable(daemon, tmp_path):
    """With observer = "polling", a file is taken once its size and mtime settle."""
    write_config(tmp_path, '[daemon]\nobserver = "polling"\npoll_interval_s = 0.2\n'
                           'stable_s = 0.5\n')
    d = daemon().start()
    with (d.inbox / "polled.txt").open("w") as fh:
        for n in range(3):
            fh.write(f"part {n}. ")
            fh.flush()
            time.sleep(0.2)
    (record,) = d.wait_records(1)
    assert record["source"]["size"] == len("part 0. part 1. part 2. ")
    assert d.stop() == 0


def test_stdout_option_prints_each_record_as_it_is_written(tmp_path):
    """`run --stdout --once` prints the records on stdout as well as to the stream."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.txt").write_text(STORY)
    done = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--once", "--stdout",
                           "--workdir", str(tmp_path)], capture_output=True, timeout=60)
    assert done.returncode == 0
    (line,) = done.stdout.splitlines()
    (stream,) = (tmp_path / "output").glob("*.jsonl")
    assert stream.read_bytes() == line + b"\n"


@pytest.mark.slow
def test_a_workers_start_up_does_not_count_against_its_first_articles_time_limit(
        daemon, tmp_path):
    """Plugins that take longer to start in a worker than daemon.timeout_s do not fail
    the articles waiting for that worker: the limit counts from when it is ready."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "slowstart.py").write_text(SLOW_START)
    write_config(tmp_path, "[daemon]\ntimeout_s = 2.0\nworkers = 1\n")
    d = daemon("--plugins-dir", str(plugins), *DISABLE_STAGES)
    for n in range(3):
        drop(d.inbox, f"early{n}.txt", f"{n} {STORY}")
    d.start()
    records = by_name(d.wait_records(3, timeout=60))
    assert {n: (r["status"], r.get("slow_start"), r["errors"]) for n, r in records.items()} == {
        f"early{n}.txt": ("ok", True, []) for n in range(3)}
    assert d.stop() == 0
    assert b'"workers_replaced":0' in d.log.read_bytes()


def test_the_daemon_says_it_is_ready_before_its_workers_have_loaded_then_when_they_have(
        daemon, tmp_path):
    """The `ready` line comes once the inbox is watched, with the uptime and how many
    workers are loaded (none yet: they take 3 s here); `workers loaded` follows when
    all are; a file dropped in between waits for them and is not lost."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "slowstart.py").write_text(SLOW_START)
    write_config(tmp_path, "[daemon]\nworkers = 1\n")
    d = daemon("--plugins-dir", str(plugins), *DISABLE_STAGES)
    d.start()
    d.wait_log('"event":"ready"')
    drop(d.inbox, "early.txt", STORY)
    d.wait_log('"event":"workers loaded"')
    assert len(d.wait_records(1, timeout=60)) == 1
    assert d.stop() == 0
    events = [orjson.loads(line) for line in d.log.read_bytes().splitlines()
              if line.startswith(b"{")]
    ready = next(e for e in events if e.get("event") == "ready")
    loaded = next(e for e in events if e.get("event") == "workers loaded")
    assert ready["workers"] == 1 and ready["workers_loaded"] == 0
    assert loaded["workers_loaded"] == 1 and loaded["uptime_s"] > ready["uptime_s"] > 0
