"""The daemon in production, with a real daemon: a full state disk, main-process hooks
that hang or kill the process, the ready line, `newsdesk status`, the metrics endpoint
and systemd's readiness notice."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import orjson
import pytest

from .conftest import DISABLE_STAGES, STORY, drop, whole_records, write_config

pytestmark = pytest.mark.integration


BAD_INDEX_HOOK = '''
import os, time
from newsdesk import hookimpl

@hookimpl
def newsdesk_index(article):
    if "HANG" in article.content:
        time.sleep(600)
    if "EXIT" in article.content:
        os._exit(3)
    article.record["indexed_by_probe"] = True
'''


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; return the ballast file."""
    ballast = folder / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (1 << 20, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return ballast


def wait_for(check, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def newsdesk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdesk", *args], capture_output=True,
                          text=True, timeout=timeout)


def probe_plugins(tmp_path: Path) -> Path:
    plugins = tmp_path / "myplugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "probe.py").write_text(BAD_INDEX_HOOK)
    return plugins


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_a_full_state_disk_pauses_intake_says_so_and_goes_on_when_space_returns(
        daemon, tmp_path, tmpfs):
    """The state disk (journal) fills: the daemon neither crashes nor loses a file; it
    says intake is paused, and once there is room every file gets one whole record.
    A start while the disk is still full waits the same way."""
    state = tmpfs("state", "4m")
    write_config(tmp_path, f'[paths]\nstate = "{state}"\n')
    d = daemon(*DISABLE_STAGES).start()
    for n in range(3):
        drop(d.inbox, f"before{n}.txt", f"{n} {STORY}")
    d.wait_records(3)
    ballast = fill(state)
    for n in range(5):
        drop(d.inbox, f"full{n}.txt", f"{n} full {STORY}")
    d.wait_log("no space left", timeout=30)
    assert d.proc.poll() is None
    assert d.stop() == 0  # SIGTERM works while paused; the files stay in the inbox
    d.start()  # the disk is still full: the start does not crash
    time.sleep(3)
    assert d.proc.poll() is None
    ballast.unlink()
    d.wait_log("space again", timeout=30)
    records = d.wait_records(8, timeout=60)
    names = sorted(r["source"]["name"] for r in whole_records(tmp_path / "output"))
    assert names == sorted([f"before{n}.txt" for n in range(3)]
                           + [f"full{n}.txt" for n in range(5)])
    assert len(records) == 8
    assert d.stop() == 0


@pytest.mark.slow
def test_a_full_output_disk_pauses_intake_once_a_minute_and_resumes(daemon, tmp_path, tmpfs):
    """With the output disk full, the daemon says so once (not at every retry), takes no
    new file, and resumes by itself when space returns."""
    out = tmpfs("out", "1m")
    write_config(tmp_path, f'[paths]\noutput = "{out}"\n')
    d = daemon(*DISABLE_STAGES).start()
    drop(d.inbox, "first.txt", STORY)
    wait_for(lambda: len(whole_records(out)) == 1)
    ballast = fill(out)
    for n in range(4):  # records larger than a page: the file cannot grow
        drop(d.inbox, f"later{n}.json", orjson.dumps({"text": f"{n} {STORY}",
                                                       "filler": "x" * 20_000}))
    d.wait_log("no space left", timeout=30)
    time.sleep(5)  # two retries at least
    log = d.log.read_text()
    assert log.count("intake paused") == 1
    ballast.unlink()
    d.wait_log("space again", timeout=30)
    wait_for(lambda: len(whole_records(out)) == 5)
    assert d.stop() == 0
    assert sorted(r["source"]["name"] for r in whole_records(out)) == [
        "first.txt", *(f"later{n}.json" for n in range(4))]


@pytest.mark.slow
def test_a_hanging_index_hook_costs_its_article_only_and_sigterm_works(daemon, tmp_path):
    """A main-process hook that sleeps forever: past daemon.hook_timeout_s its article is
    written with an error naming the hook; the next articles are indexed; SIGTERM stops
    the daemon at once."""
    write_config(tmp_path, "[daemon]\nhook_timeout_s = 2.0\n")
    d = daemon("--plugins-dir", str(probe_plugins(tmp_path)), *DISABLE_STAGES).start()
    drop(d.inbox, "hang.txt", "HANG " + STORY)
    d.wait_records(1, timeout=30)
    drop(d.inbox, "fine.txt", STORY)
    records = {r["source"]["name"]: r for r in d.wait_records(2, timeout=30)}
    hang = records["hang.txt"]
    assert hang["status"] == "partial"
    assert any(e["plugin"] == "probe" and "newsdesk_index" in e["message"]
               and "hook_timeout_s" in e["message"]
               for e in hang["errors"])
    assert records["fine.txt"]["indexed_by_probe"] is True
    t0 = time.monotonic()
    assert d.stop(timeout=30) == 0
    assert time.monotonic() - t0 < 15


@pytest.mark.slow
def test_a_file_that_kills_the_daemon_twice_is_set_aside_with_the_reason(tmp_path):
    """An index plugin that calls os._exit on one file: the daemon dies, and again at the
    next start; at the third start the file goes to failed/ with a failed record saying
    why, and the other files are processed."""
    plugins = probe_plugins(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "exit.txt").write_text("EXIT " + STORY)
    args = ["run", "--workdir", str(tmp_path), "--plugins-dir", str(plugins),
            *DISABLE_STAGES, "--log-format", "json"]
    for _ in range(2):
        died = newsdesk(*args, timeout=120)
        assert died.returncode == 3, died.stderr[-2000:]
    (inbox / "fine.txt").write_text(STORY)
    done = newsdesk(*args, "--once", timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    records = {r["source"]["name"]: r for r in whole_records(tmp_path / "output")}
    assert records["exit.txt"]["status"] == "failed"
    assert "died 2 times" in records["exit.txt"]["errors"][0]["message"]
    assert records["fine.txt"]["status"] == "ok"
    (kept,) = (tmp_path / "failed").glob("*/exit.txt")  # failed/<id12>/exit.txt
    report = json.loads((kept.parent / "error.json").read_text())
    assert "newsdesk_index" in json.dumps(report)


@pytest.mark.slow
def test_ready_line_status_and_metrics_of_a_running_daemon(daemon, tmp_path):
    """The daemon logs `workers loaded` with its number of workers; the metrics endpoint
    (loopback) has articles by status, stage latencies, queue depth and worker restarts;
    the status file has the same counts."""
    port = free_port()
    d = daemon(*DISABLE_STAGES, "--workers", "2", "--metrics-port", str(port))
    d.start()
    d.wait_log('"event":"workers loaded"', timeout=60)
    (ready,) = [json.loads(line) for line in d.log.read_text().splitlines()
                if '"event":"workers loaded"' in line]
    assert ready["workers"] == 2
    drop(d.inbox, "a.txt", STORY)
    drop(d.inbox, "b.txt", "b " + STORY)
    drop(d.inbox, "empty.txt", "")
    d.wait_records(3)
    time.sleep(1.5)  # the status file is written every second
    status = json.loads((tmp_path / "state" / "status.json").read_text())
    assert status["pid"] == d.proc.pid and status["workers"] == 2 and status["ready"]
    assert status["written"] == {"ok": 2, "partial": 0, "failed": 1}
    assert "empty file" in status["last_error"]["message"]
    shown = newsdesk("status", "--workdir", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert f"running: yes (pid {d.proc.pid})" in shown.stdout
    assert "2 done" in shown.stdout and "1 failed" in shown.stdout
    assert "empty file" in shown.stdout  # the last error
    as_json = json.loads(newsdesk("status", "--json", "--workdir", str(tmp_path)).stdout)
    assert as_json["running"] and as_json["pid"] == d.proc.pid and as_json["workers"] == 2
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    assert 'newsdesk_articles_total{status="ok"} 2.0' in text
    assert 'newsdesk_articles_total{status="failed"} 1.0' in text
    assert 'newsdesk_stage_seconds_bucket{le="0.001",stage="read"}' in text
    assert "newsdesk_queue_depth 0.0" in text
    assert "newsdesk_worker_restarts_total 0.0" in text
    assert d.stop() == 0
    shown = newsdesk("status", "--workdir", str(tmp_path))
    assert shown.returncode == 1
    assert "running: no" in shown.stdout and "last run since start: 2 done" in shown.stdout


def test_the_metrics_endpoint_is_off_by_default_and_on_loopback(daemon, tmp_path):
    """Without --metrics-port nothing listens; with it, the address is 127.0.0.1."""
    d = daemon(*DISABLE_STAGES).start()
    assert "metrics endpoint" not in d.log.read_text()
    assert d.stop() == 0
    port = free_port()
    d2 = daemon(*DISABLE_STAGES, "--metrics-port", str(port)).start()
    d2.wait_log("metrics endpoint listening")
    assert f"http://127.0.0.1:{port}/metrics" in d2.log.read_text()
    assert d2.stop() == 0


def test_systemd_is_told_ready_and_stopping(daemon, tmp_path):
    """Under systemd (Type=notify), READY=1 is sent once the workers are loaded and
    STOPPING=1 on the way out."""
    address = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(address))
    sock.settimeout(60)
    try:
        d = daemon(*DISABLE_STAGES, env={"NOTIFY_SOCKET": str(address)}).start()
        got = sock.recv(4096).decode()
        assert "READY=1" in got
        assert d.stop() == 0
        got = sock.recv(4096).decode()
        assert "STOPPING=1" in got
    finally:
        sock.close()
