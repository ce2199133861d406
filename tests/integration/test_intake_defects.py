"""The reliability battery's intake cases (issue 14), each against a real daemon
subprocess and real files: names, symlinks, identity, half-written files, large
JSON-lines files, the folder lock, settings out of range and failed/ reports."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from .conftest import DISABLE_STAGES, STORY, drop

pytestmark = pytest.mark.integration



#: A worker-stage plugin that takes its time on articles that ask for it.
SLOW = '''
import os, time
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    if "SLOW" in article.content:
        mark = os.environ.get("SLOWPOKE_MARK")
        if mark:
            open(mark, "w").close()  # the test knows the article is in its worker
        time.sleep(2.0)
    if "TICK" in article.content:
        time.sleep(0.01)
    article.record["seen_text"] = article.content
'''


def write_config(workdir: Path, text: str) -> None:
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "newsdesk.toml").write_text(text)


def slow_plugin(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "slowpoke.py").write_text(SLOW)
    return folder


def raw_stream(workdir: Path) -> bytes:
    return b"".join(f.read_bytes() for f in sorted((workdir / "output").glob("*.jsonl")))


def failed_reports(workdir: Path) -> list[dict[str, Any]]:
    return [orjson.loads(p.read_bytes()) for p in (workdir / "failed").glob("*/error.json")]


# --- 1. names that are not UTF-8 ---------------------------------------------------------


def test_a_name_that_is_not_utf8_is_processed_logged_and_survives_a_restart(daemon, tmp_path):
    """A file name with bytes that are not UTF-8 is processed (its record names it with
    escapes), logged at debug level, archived; the daemon goes on and restarts."""
    d = daemon("--log-level", "debug", *DISABLE_STAGES)
    d.start()
    bad = os.fsdecode(b"bad\xff\xfe.txt")
    (d.inbox / bad).write_text(STORY)
    drop(d.inbox, "after.txt", "after " + STORY)
    records = d.wait_records(2)
    names = {r["source"]["name"]: r for r in records}
    assert set(names) == {"bad\\xff\\xfe.txt", "after.txt"}
    assert names["bad\\xff\\xfe.txt"]["status"] == "ok"
    assert d.stop() == 0
    assert list(d.inbox.iterdir()) == []
    archived = [p.name for p in (tmp_path / "archive").rglob("*.txt")]
    assert bad in archived
    # a second one at the next start, taken from the backlog
    (d.inbox / os.fsdecode(b"again\xc3.txt")).write_text("again " + STORY)
    d.start()
    assert "again\\xc3.txt" in {r["source"]["name"] for r in d.wait_records(3)}
    assert d.stop() == 0


# --- 2 and 3. symlinks -------------------------------------------------------------------


def test_a_symlink_loop_is_refused_with_its_reason_and_no_worker_dies(daemon, tmp_path):
    """A symlink loop gives a failed record saying so, not a dead worker."""
    d = daemon(*DISABLE_STAGES).start()
    os.symlink("loop.txt", d.inbox / "loop.txt")
    os.symlink("b.txt", d.inbox / "a.txt")
    os.symlink("a.txt", d.inbox / "b.txt")
    records = {r["source"]["name"]: r for r in d.wait_records(3)}
    for name in ("loop.txt", "a.txt", "b.txt"):
        message = records[name]["errors"][0]["message"]
        assert records[name]["status"] == "failed"
        assert "symlink" in message and "loop" in message, message
        assert "worker process died" not in message
    assert '"worker process died' not in d.log.read_text()
    assert d.stop() == 0


@pytest.mark.slow
def test_a_symlink_swapped_in_while_the_file_is_taken_never_publishes_an_outside_file(
        daemon, tmp_path):
    """Swapping a regular file and a symlink to an outside file under one name, as fast
    as possible while the daemon takes it, never publishes the outside file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-CONTENT " + STORY)
    write_config(tmp_path, "[daemon]\nstable_s = 0.0\n")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(slow_plugin(tmp_path))).start()
    stop = threading.Event()

    def swap(name: str) -> None:
        target = d.inbox / name
        link = d.inbox / f".{name}.link"
        plain = d.inbox / f".{name}.plain"
        while not stop.is_set():
            try:
                plain.write_text(f"public {name} " + STORY)
                os.rename(plain, target)
                os.symlink(secret, link)
                os.rename(link, target)
            except OSError:
                pass

    threads = [threading.Thread(target=swap, args=(f"race{n}.txt",)) for n in range(2)]
    for t in threads:
        t.start()
    time.sleep(8)
    stop.set()
    for t in threads:
        t.join()
    assert d.stop() == 0
    data = raw_stream(tmp_path)
    assert b'"status":"ok"' in data  # the race ran: files were taken
    assert b"SECRET-OUTSIDE-CONTENT" not in data
    assert secret.read_text().startswith("SECRET-OUTSIDE-CONTENT")


# --- 4. identity is never a path ---------------------------------------------------------


def test_two_refused_files_of_one_name_are_two_failed_records(daemon, tmp_path):
    """A second refused file under the name of a first is refused again with its own
    record and its own failed/ entry, not archived as already processed."""
    write_config(tmp_path, "[daemon]\nmax_file_mb = 0.001\n")
    d = daemon(*DISABLE_STAGES).start()
    drop(d.inbox, "big.txt", b"first " * 400)
    d.wait_records(1)
    deadline = time.monotonic() + 10
    while (d.inbox / "big.txt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    drop(d.inbox, "big.txt", b"second " * 400)
    records = d.wait_records(2)
    assert [r["status"] for r in records] == ["failed", "failed"]
    assert len({r["id"] for r in records}) == 2
    assert d.stop() == 0
    kept = sorted(p.read_bytes()[:6] for p in (tmp_path / "failed").glob("*/big.txt"))
    assert kept == [b"first ", b"second"]
    assert len(failed_reports(tmp_path)) == 2
    assert not list((tmp_path / "archive").rglob("big.txt"))


def test_a_file_replaced_while_in_flight_gets_the_records_of_both_versions(daemon, tmp_path):
    """A file replaced by new content under the same name while the first version is in
    flight: both versions get their record, and the new one is not archived unread."""
    mark = tmp_path / "in-worker"
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(slow_plugin(tmp_path)),
               env={"SLOWPOKE_MARK": str(mark)}).start()
    drop(d.inbox, "story.txt", "SLOW version one " + STORY)
    deadline = time.monotonic() + 30
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert mark.exists()  # version one is in its worker, for 2 s
    drop(d.inbox, "story.txt", "version two " + STORY)
    d.wait_records(2, timeout=30)
    time.sleep(1.0)
    assert d.stop() == 0
    assert sorted(r["seen_text"].split(" The")[0] for r in d.records()) == [
        "SLOW version one", "version two"]
    assert list(d.inbox.iterdir()) == []


# --- 5. half-written files ---------------------------------------------------------------


@pytest.mark.slow
def test_a_writer_that_pauses_longer_than_stable_s_is_not_cut(daemon, tmp_path):
    """A writer that holds the file open and pauses longer than ``stable_s`` does not get
    its file taken half-written: the record has every line."""
    write_config(tmp_path, "[daemon]\nstable_s = 0.3\nrescan_s = 0.5\n")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(slow_plugin(tmp_path))).start()
    with (d.inbox / "paused.txt").open("w") as fh:
        fh.write("First half of a story that a slow writer sends.\n")
        fh.flush()
        time.sleep(2.5)
        fh.write("Second half, after the pause. END-OF-STORY\n")
    records = d.wait_records(1)
    time.sleep(2.0)  # a cut file would give a second record for its tail
    records = d.records()
    assert d.stop() == 0
    complete = [r for r in records if "END-OF-STORY" in r["seen_text"]
                and r["seen_text"].startswith("First half")]
    assert complete, [r["seen_text"] for r in records]
    # no record of the first half alone, or the first half was reprocessed as a new version
    halves = [r for r in records if "END-OF-STORY" not in r["seen_text"]]
    assert not halves or complete
    archived = list((tmp_path / "archive").rglob("paused.txt"))
    assert archived and any(b"END-OF-STORY" in p.read_bytes() for p in archived)


# --- 6. large JSON-lines files -----------------------------------------------------------


@pytest.mark.slow
def test_a_large_jsonl_file_has_a_time_limit_per_article_not_per_file(daemon, tmp_path):
    """A JSON-lines file whose articles together take longer than ``timeout_s`` (each
    well within it) gives one ok record per line."""
    write_config(tmp_path, "[daemon]\ntimeout_s = 1.5\nworkers = 1\n")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(slow_plugin(tmp_path))).start()
    n = 400  # 400 x 10 ms: about 4 s, over the 1.5 s limit as a whole
    lines = b"".join(orjson.dumps({"text": f"TICK article {i}. " + STORY}) + b"\n"
                     for i in range(n))
    drop(d.inbox, "feed.jsonl", lines)
    records = d.wait_records(n, timeout=60)
    assert d.stop() == 0
    assert len(records) == n
    assert {r["status"] for r in records} == {"ok"}
    assert sorted(r["source"]["line"] for r in records) == list(range(1, n + 1))


# --- 12. one daemon per folder -----------------------------------------------------------


def test_a_second_daemon_on_the_same_folder_is_refused_naming_the_first(daemon, tmp_path):
    """A second daemon on a working folder stops with one line naming the PID of the
    daemon that holds it (exit code 6); after a kill -9 of the first, it starts."""
    first = daemon(*DISABLE_STAGES).start()
    assert first.proc is not None
    second = subprocess.run(
        [sys.executable, "-m", "newsdesk", "run", "--workdir", str(tmp_path), *DISABLE_STAGES],
        capture_output=True, text=True, timeout=60)
    assert second.returncode == 6, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in second.stderr
    assert str(first.proc.pid) in lines[0] and "state" in lines[0]
    first.kill9()
    again = daemon(*DISABLE_STAGES).start()  # the kernel released the dead holder's lock
    drop(again.inbox, "a.txt", STORY)
    assert len(again.wait_records(1)) == 1
    assert again.stop() == 0


# --- 13. settings out of range -----------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("[daemon]\nqueue_size = 0\n", "[daemon] queue_size"),
    ("[daemon]\ntimeout_s = -5\n", "[daemon] timeout_s"),
    ("[daemon]\nstart_timeout_s = 0\n", "[daemon] start_timeout_s"),
    ("[daemon]\nmax_file_mb = 0\n", "[daemon] max_file_mb"),
    ("[daemon]\nworkers = -1\n", "[daemon] workers"),
    ("[daemon]\nstable_s = -1\n", "[daemon] stable_s"),
    ("[output]\nbatch_ms = -1\n", "[output] batch_ms"),
    ('[paths]\noutput = "/"\n', "[paths] output"),
])
def test_a_setting_out_of_range_is_refused_at_start_with_one_line(tmp_path, text, key):
    """queue_size = 0, a negative time limit, output = "/"...: exit 3, one line naming the
    key and its range, before anything runs."""
    (tmp_path / "inbox").mkdir()
    write_config(tmp_path, text)
    done = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0], done.stderr
    assert "must be" in lines[0]
    assert not (tmp_path / "output").exists()


# --- 14. failed/ reports -----------------------------------------------------------------


def test_failed_files_whose_names_collide_or_are_long_keep_their_reports(daemon, tmp_path):
    """``x.error.json`` and a later ``x`` keep both files and both reports; a 250-character
    name keeps its report."""
    d = daemon(*DISABLE_STAGES).start()
    drop(d.inbox, "x.error.json", b'{"text": "unterminated')
    d.wait_records(1)
    drop(d.inbox, "x", b"%PDF-1.7 binary")
    long_name = "n" * 246 + ".txt"
    drop(d.inbox, long_name, b"")
    records = d.wait_records(3)
    assert {r["status"] for r in records} == {"failed"}
    assert d.stop() == 0
    failed = tmp_path / "failed"
    kept = {p.name: p.read_bytes() for p in failed.glob("*/*") if p.name != "error.json"}
    assert kept == {"x.error.json": b'{"text": "unterminated', "x": b"%PDF-1.7 binary",
                    long_name: b""}
    reports = {r["file"]: r for r in failed_reports(tmp_path)}
    assert set(reports) == {"x.error.json", "x", long_name}
    assert "PDF" in reports["x"]["errors"][0]["message"]
    for folder in failed.iterdir():
        (record,) = [r for r in records if r["id"].startswith(folder.name)]
        assert reports[record["source"]["name"]]["id"] == record["id"]


@pytest.mark.slow
def test_a_search_since_out_of_range_is_one_line(tmp_path):
    """``search --since 1500-01-01`` on a real index says what is wrong in one line."""
    (tmp_path / "inbox").mkdir()
    drop(tmp_path / "inbox", "tram.txt", STORY)
    made = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--once", "--workdir",
                           str(tmp_path), "--disable", "clean", "--disable", "extract",
                           "--disable", "translate"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    found = subprocess.run([sys.executable, "-m", "newsdesk", "search", "--workdir",
                            str(tmp_path), "tram"], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr  # the index is there and searchable
    done = subprocess.run([sys.executable, "-m", "newsdesk", "search", "--workdir",
                           str(tmp_path), "--since", "1500-01-01", "tram"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--since" in lines[0], done.stderr
    assert "unexpected" not in lines[0] and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_page_nested_past_the_parsers_depth_limit_says_so(daemon, tmp_path):
    """A page whose elements nest 100,000 deep fails with a record that says the page is
    nested too deep for the parser, not that it has no text."""
    d = daemon("--disable", "extract", "--disable", "translate", "--disable", "index").start()
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + "Deep text." + "</div>" * depth + "</body></html>"
    drop(d.inbox, "deep.html", page)
    (record,) = d.wait_records(1, timeout=60)
    assert d.stop() == 0
    message = " ".join(e["message"] for e in record["errors"])
    assert record["status"] in ("failed", "partial"), record["errors"]
    assert "deeper than" in message and "has none" not in message, message
