"""The index with a real daemon: searching from another process while it writes, and
the stream and the index agreeing after kill -9."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsdesk_plugins.index.backend import Filters
from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .conftest import drop, stream_records

pytestmark = pytest.mark.integration

#: extract is left out to keep these tests quick; clean gives the text that is indexed.
ARGS = ("--disable", "extract")


def body(n: int) -> str:
    return (f"Harbour report {n}\n\nThe harbour authority counted ship{n} arrivals on the "
            f"quay this morning, item number{n}. Dock workers said the cranes ran all night "
            "and the port expects more cargo next week as the season begins.\n")


def stream_ids(workdir: Path) -> set[str]:
    return {rec["id"] for rec in stream_records(workdir) if rec.get("status") != "failed"}


def test_a_search_from_another_process_sees_each_line_within_a_second(daemon) -> None:
    """While the daemon writes, `newsdesk search` never fails (no "locked"), and each
    record is found by a reader within a second of its line reaching the stream."""
    d = daemon(*ARGS)
    d.start()
    lags: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def searcher() -> None:
        while not stop.is_set():
            run = subprocess.run([sys.executable, "-m", "newsdesk", "search", "--workdir",
                                  str(d.workdir), "harbour", "--json", "--limit", "3"],
                                 capture_output=True, timeout=60)
            if run.returncode != 0 and b"no index here yet" not in run.stderr:
                failures.append(run.stderr.decode(errors="replace"))

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        reader = None
        for n in range(12):
            drop(d.inbox, f"harbour{n}.txt", body(n))
            before = len(d.records())
            recs = d.wait_records(before + 1)
            seen_at = time.monotonic()
            target = recs[-1]["id"]
            while True:
                if reader is None and (d.workdir / "state" / "index" / "meta.json").exists():
                    reader = TantivyBackend(d.workdir / "state" / "index", writable=False)
                if reader is not None and target in {
                        h.id for h in reader.search(f"number{n}", Filters(), 5).hits}:
                    break
                if time.monotonic() - seen_at > 5:
                    break
                time.sleep(0.01)
            lags.append(time.monotonic() - seen_at)
            time.sleep(0.15)
    finally:
        stop.set()
        thread.join(60)
    assert d.stop() == 0
    assert failures == []
    assert max(lags) < 1.0, lags


@pytest.mark.slow
def test_kill_9_in_a_burst_then_restart_leaves_stream_and_index_equal(daemon) -> None:
    """kill -9 in the middle of a burst, start again and let it finish: the index holds
    exactly the stream's articles, and every record's story and duplicate_of agree with
    the index."""
    d = daemon(*ARGS)
    d.start()
    names = [f"burst{n:04d}.txt" for n in range(300)]
    for n, name in enumerate(names):
        text = body(n) if n % 10 else body(n - 1 if n else 0).replace("Harbour", "Port")
        drop(d.inbox, name, text)
    while len(d.records()) < 60:
        time.sleep(0.01)
    d.kill9()
    assert len(d.records()) < len(names), "the burst finished before the kill"
    d.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len({r["source"]["name"] for r in d.records()}) < 300:
        time.sleep(0.1)
    assert d.stop() == 0
    index = TantivyBackend(d.workdir / "state" / "index", writable=False)
    assert index.ids() == stream_ids(d.workdir)
    records = {r["id"]: r for r in d.records()}
    hits = index.search("", Filters(), 10_000).hits
    assert len(hits) == len(records)
    for hit in hits:
        assert hit.story == records[hit.id].get("story", "")
        assert hit.duplicate_of == records[hit.id].get("duplicate_of", "")
    assert any(r.get("duplicate_of") for r in records.values())


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 1 MB tmpfs (needs root and mount rights; skipped where they are missing)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')[:80]}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.slow
def test_a_full_disk_under_the_index_keeps_the_stream_and_catches_up(daemon, small_disk) -> None:
    """With the index on a full disk every record still reaches the stream, one error is
    logged, and once there is room the waiting articles are indexed."""
    d = daemon(*ARGS)
    (d.workdir / "config").mkdir(exist_ok=True)
    (d.workdir / "config" / "newsdesk.toml").write_text(
        f'[index]\nfolder = "{small_disk / "index"}"\n')
    d.start()
    rng = random.Random(6)
    for n in range(200):  # varied words, so that the index does not compress to nothing
        filler = " ".join("".join(rng.choice("abcdefghijklmnop") for _ in range(7))
                          for _ in range(500))
        drop(d.inbox, f"big{n}.txt", f"Big report {n}\n\n{filler}.\n")
    d.wait_records(200, timeout=60)
    d.wait_log("could not write the index")
    log = d.log.read_text()
    assert log.count("could not write the index") == 1 and "No space left" in log
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    drop(d.inbox, "after.txt", body(999))
    d.wait_log("the index is written again")
    assert d.stop() == 0
    index = TantivyBackend(small_disk / "index", writable=False)
    assert index.ids() == stream_ids(d.workdir)
