"""JSON-lines files read line by line by a real daemon (issue 14, defect 6): a file
larger than ``max_file_mb`` gives every line its record, a line past ``timeout_s``
costs that line alone, and a daemon killed part way through a file goes on from
where its journal says the file got, without losing or repeating a line."""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from .conftest import DISABLE_STAGES, STORY, drop, whole_records, write_config

pytestmark = pytest.mark.integration

#: A worker-stage plugin: a line asking for it hangs, others may take a little time.
SLEEPY = '''
import time
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    if "HANG-HERE" in article.content:
        time.sleep(600)
    if "TICK" in article.content:
        time.sleep(0.004)
    article.record["seen_text"] = article.content[:40]
'''

#: Workers load fast with the stages off, but the machine is shared: generous waits.
LOADED_S = 120


def sleepy_plugin(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "sleepy.py").write_text(SLEEPY)
    return folder


def feed(n: int, size: int = 2700, marks: dict[int, str] | None = None) -> bytes:
    """``n`` JSON lines of about ``size`` bytes; line ``k`` of ``marks`` gets its word."""
    filler = (STORY * (size // len(STORY) + 1))[:size]
    return b"".join(
        orjson.dumps({"text": f"{(marks or {}).get(i, '')} article {i}. {filler}",
                      "url": f"https://example.org/{i}"}) + b"\n"
        for i in range(1, n + 1))


def lines_of(records: list[dict[str, Any]]) -> Counter[int]:
    return Counter(r["source"]["line"] for r in records)


def wait_gone(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not path.exists(), f"{path.name} still in the inbox after {timeout} s"


@pytest.mark.slow
def test_a_jsonl_file_larger_than_max_file_mb_gives_each_of_its_12000_lines_a_record(
        daemon, tmp_path):
    """The issue's case: 12,000 lines of about 2.7 KB (33 MB) with ``max_file_mb = 1``:
    the file is never held whole (each line is held to the limit), every line has its
    one record, and the file is archived."""
    write_config(tmp_path, "[daemon]\nmax_file_mb = 1\nworkers = 2\n")
    d = daemon(*DISABLE_STAGES).start()
    d.wait_log('"workers loaded"', timeout=LOADED_S)
    n = 12_000
    data = feed(n)
    assert len(data) > 30 * 1024 * 1024
    path = drop(d.inbox, "feed.jsonl", data)
    records = d.wait_records(n, timeout=600)
    wait_gone(path, 60)
    assert d.stop() == 0
    records = whole_records(tmp_path / "output")
    assert lines_of(records) == Counter(range(1, n + 1))
    assert {r["status"] for r in records} == {"ok"}
    assert len({r["id"] for r in records}) == n
    assert list((tmp_path / "archive").glob("*/feed.jsonl"))


def test_a_line_over_max_file_mb_fails_alone_and_names_its_line(daemon, tmp_path):
    """A JSON-lines file larger than ``max_file_mb`` is read by line; one line over the
    limit gets a failed record naming the line, the others are written."""
    write_config(tmp_path, "[daemon]\nmax_file_mb = 0.05\nworkers = 1\n")
    d = daemon(*DISABLE_STAGES).start()
    d.wait_log('"workers loaded"', timeout=LOADED_S)
    data = feed(40, size=2000).split(b"\n")
    data[19] = orjson.dumps({"text": "x" * 80_000})  # line 20: over 0.05 MB
    drop(d.inbox, "mixed.jsonl", b"\n".join(data))
    records = d.wait_records(40, timeout=120)
    assert d.stop() == 0
    assert lines_of(records) == Counter(range(1, 41))
    failed = [r for r in records if r["status"] == "failed"]
    assert [r["source"]["line"] for r in failed] == [20]
    assert "line 20 is" in failed[0]["errors"][0]["message"]
    assert "daemon.max_file_mb" in failed[0]["errors"][0]["message"]


@pytest.mark.slow
def test_a_line_that_hangs_costs_that_line_alone_and_the_file_goes_on(daemon, tmp_path):
    """A plugin that hangs on line 15 of 40: that line gets a failed record naming the
    file's line and the time limit; every other line its ok record, once."""
    write_config(tmp_path, "[daemon]\ntimeout_s = 3\nworkers = 1\n")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(sleepy_plugin(tmp_path))).start()
    d.wait_log('"workers loaded"', timeout=LOADED_S)
    path = drop(d.inbox, "hang.jsonl", feed(40, size=500, marks={15: "HANG-HERE"}))
    d.wait_records(40, timeout=LOADED_S + 60)
    wait_gone(path, 60)
    assert d.stop() == 0
    records = whole_records(tmp_path / "output")
    assert lines_of(records) == Counter(range(1, 41))
    failed = [r for r in records if r["status"] == "failed"]
    assert [r["source"]["line"] for r in failed] == [15]
    assert failed[0]["source"]["name"] == "hang.jsonl"
    message = failed[0]["errors"][0]["message"]
    assert message.startswith("line 15: timed out after 3 s (daemon.timeout_s)")
    assert {r["status"] for r in records if r["source"]["line"] != 15} == {"ok"}
    assert list((tmp_path / "archive").glob("*/hang.jsonl"))
    log = d.log.read_text()
    assert "the file goes on from the next line" in log and "hang.jsonl" in log


@pytest.mark.slow
def test_a_daemon_stopped_or_killed_mid_file_goes_on_from_where_the_journal_says(
        daemon, tmp_path):
    """A JSON-lines file larger than ``max_file_mb``: a SIGTERM part way through stops
    the daemon after the line in hand (exit 0, the file left in the inbox), a kill -9
    part way through the next run loses nothing; each start goes on from where the
    file's written lines got (not from line 1), and every line has exactly one whole
    record."""
    write_config(tmp_path, "[daemon]\nmax_file_mb = 1\nworkers = 1\n")
    plugins = str(sleepy_plugin(tmp_path))
    d = daemon(*DISABLE_STAGES, "--plugins-dir", plugins).start()
    d.wait_log('"workers loaded"', timeout=LOADED_S)
    n = 3000
    path = drop(d.inbox, "feed.jsonl", feed(n, marks={i: "TICK" for i in range(1, n + 1)}))
    d.wait_records(400, timeout=300)
    assert d.stop(signal.SIGTERM, timeout=60) == 0
    assert len(d.records()) < n and path.exists()
    d2 = daemon(*DISABLE_STAGES, "--plugins-dir", plugins).start()
    d2.wait_records(1200, timeout=300)
    d2.kill9()
    assert len(d2.records()) < n
    d3 = daemon(*DISABLE_STAGES, "--plugins-dir", plugins).start()
    d3.wait_records(n, timeout=600)
    wait_gone(path, 60)
    assert d3.stop(signal.SIGTERM) == 0
    records = whole_records(tmp_path / "output")
    assert lines_of(records) == Counter(range(1, n + 1))
    events = [orjson.loads(line) for line in d3.log.read_bytes().splitlines()
              if line.startswith(b"{")]
    resumed = [e["from_line"] for e in events
               if e["event"] == "a file read by line goes on from where it got"]
    assert len(resumed) == 2 and all(line > 400 for line in resumed), resumed


@pytest.mark.slow
def test_two_names_with_the_same_jsonl_content_at_once_give_each_line_one_record(
        daemon, tmp_path):
    """The same JSON-lines bytes under two names, read by two workers at the same time:
    each line has one record (the ids are the content's), and both files are archived."""
    write_config(tmp_path, "[daemon]\nworkers = 2\n")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(sleepy_plugin(tmp_path))).start()
    d.wait_log('"workers loaded"', timeout=LOADED_S)
    n = 600
    data = feed(n, size=300, marks={i: "TICK" for i in range(1, n + 1)})
    a, b = drop(d.inbox, "a.jsonl", data), drop(d.inbox, "b.jsonl", data)
    d.wait_records(n, timeout=300)
    wait_gone(a, 120)
    wait_gone(b, 120)
    assert d.stop() == 0
    records = whole_records(tmp_path / "output")
    assert len(records) == n
    assert Counter(r["source"]["line"] for r in records) == Counter(range(1, n + 1))
    assert len(list((tmp_path / "archive").glob("*/*.jsonl"))) == 2
