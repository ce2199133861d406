"""Workers lost around a task, with a real daemon (found by the chaos battery): a worker
killed before it started on a file does not cost the file, and a file whose worker
died has one failed record, not one a start."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from .conftest import DISABLE_STAGES, STORY, drop, whole_records, write_config

pytestmark = pytest.mark.integration

#: Workers load slowly (and say when they begin); a line or file asking for it kills
#: its worker.
PLUGIN = '''
import os, time
from newsdesk import hookimpl

@hookimpl
def newsdesk_configure(config, pm, role):
    if role == "worker" and os.environ.get("LOADING_DIR"):
        open(os.path.join(os.environ["LOADING_DIR"], str(os.getpid())), "w").close()
        time.sleep(float(os.environ.get("LOAD_S", "0")))

@hookimpl
def newsdesk_clean(article):
    if "EXIT-HERE" in article.content:
        os._exit(7)
'''


def plugin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "losses.py").write_text(PLUGIN)
    return folder


def wait_for(what: str, check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not within {timeout} s")


@pytest.mark.slow
def test_a_worker_killed_while_it_loads_does_not_cost_the_file_queued_for_it(
        daemon, tmp_path):
    """A JSON-lines file handed to a worker still loading its plugins, which is then
    killed: the file is sent again to its replacement and every line has its ok record
    (was: one failed record for the whole file, which went to failed/)."""
    write_config(tmp_path, "[daemon]\nworkers = 1\n")
    loading = tmp_path / "loading"
    loading.mkdir()
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(plugin_dir(tmp_path)),
               env={"LOADING_DIR": str(loading), "LOAD_S": "8"}).start()
    wait_for("a worker loading", lambda: list(loading.iterdir()), 120)
    first = int(next(loading.iterdir()).name)
    lines = b"".join(orjson.dumps({"text": f"article {i}. {STORY}"}) + b"\n"
                     for i in range(1, 31))
    drop(d.inbox, "feed.jsonl", lines)
    time.sleep(2.0)  # the file is queued for the loading worker
    assert b'"workers loaded"' not in d.log.read_bytes()
    os.kill(first, signal.SIGKILL)
    d.wait_records(30, timeout=180)
    assert d.stop() == 0
    records = whole_records(tmp_path / "output")
    assert Counter(r["source"]["line"] for r in records) == Counter(range(1, 31))
    assert {r["status"] for r in records} == {"ok"}
    assert not list((tmp_path / "failed").glob("*/feed.jsonl"))


@pytest.mark.slow
def test_a_file_that_kills_its_worker_has_one_failed_record_across_restarts(
        daemon, tmp_path):
    """A file that kills its worker, and cannot be moved to failed/ (here: ``failed``
    is a file): it stays in the inbox and is taken again at the next start, where its
    worker dies again; the journal knows its failed record is written (was: a second
    record with the same id at each start)."""
    write_config(tmp_path, "[daemon]\nworkers = 1\n")
    (tmp_path / "failed").write_text("not a folder")
    plugins = str(plugin_dir(tmp_path))
    d = daemon(*DISABLE_STAGES, "--plugins-dir", plugins).start()
    drop(d.inbox, "dies.txt", "EXIT-HERE\n\n" + STORY)
    d.wait_records(1, timeout=180)
    d.wait_log("could not move the file after processing", timeout=60)
    assert d.stop() == 0
    assert (tmp_path / "inbox" / "dies.txt").exists()
    offset = d.log.stat().st_size
    d2 = daemon(*DISABLE_STAGES, "--plugins-dir", plugins).start()
    d2.wait_log("could not move the file after processing", timeout=180,
                start_offset=offset)
    assert d2.stop() == 0
    records = whole_records(tmp_path / "output")
    assert len(records) == 1 and records[0]["status"] == "failed"
    assert records[0]["source"]["name"] == "dies.txt"
