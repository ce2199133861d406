"""One bad article never costs the index, and `reindex` never leaves less than it found
(a real daemon, then the real command)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .conftest import drop, stream_records

pytestmark = pytest.mark.integration

FAR_DATE = '''
from newsdesk import hookimpl

@hookimpl
def newsdesk_extract(article):
    if "FAR" in article.content:
        article.record["published"] = "9999-12-31T00:00:00Z"
'''


def body(n: int) -> str:
    return (f"Harbour report {n}\n\nThe harbour authority counted ship{n} arrivals on the "
            f"quay this morning, item number{n}. Dock workers said the cranes ran all night "
            "and the port expects more cargo next week as the season begins.\n")


def index_ids(workdir: Path) -> set[str]:
    return TantivyBackend(workdir / "state" / "index", writable=False).ids()


def reindex(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdesk", "reindex", "--workdir",
                           str(workdir), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_date_the_index_cannot_hold_costs_that_field_never_the_index(daemon, tmp_path):
    """An article dated 9999 is indexed without its date, with a note in its record;
    the articles after it are indexed; `reindex` rebuilds all of them."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "fardate.py").write_text(FAR_DATE)
    d = daemon("--plugins-dir", str(plugins), "--disable", "extract", "--disable",
               "translate").start()
    drop(d.inbox, "far.txt", "FAR " + body(0))
    d.wait_records(1, timeout=60)
    for n in range(1, 4):
        drop(d.inbox, f"near{n}.txt", body(n))
    records = d.wait_records(4, timeout=60)
    ids = {r["id"] for r in records}
    deadline = time.monotonic() + 20
    while index_ids(tmp_path) != ids and time.monotonic() < deadline:
        time.sleep(0.2)
    assert index_ids(tmp_path) == ids
    far = next(r for r in records if r["source"]["name"] == "far.txt")
    assert any(e["plugin"] == "index" and "9999" in e["message"] for e in far["errors"])
    assert "plugin raised" not in d.log.read_text()  # the index stage ran whole
    assert d.stop() == 0
    done = reindex(tmp_path, "--disable", "extract", "--disable", "translate")
    assert done.returncode == 0, done.stderr
    assert index_ids(tmp_path) == ids
    d.start()  # and the next start finds the index agreeing with the stream
    drop(d.inbox, "after.txt", body(9))
    d.wait_records(5, timeout=60)
    assert d.stop() == 0
    assert index_ids(tmp_path) == {r["id"] for r in stream_records(tmp_path)}


@pytest.mark.slow
def test_reindex_from_a_shorter_stream_keeps_the_current_index(daemon, tmp_path):
    """`reindex` from files holding fewer articles than the index leaves the index as it
    was, with one line saying why; --force replaces it."""
    d = daemon("--disable", "extract", "--disable", "translate").start()
    for n in range(4):
        drop(d.inbox, f"a{n}.txt", body(n))
    records = d.wait_records(4, timeout=60)
    assert d.stop() == 0
    ids = {r["id"] for r in records}
    assert index_ids(tmp_path) == ids
    (stream,) = (tmp_path / "output").glob("*.jsonl")
    part = tmp_path / "part.jsonl"
    part.write_bytes(stream.read_bytes().splitlines(keepends=True)[0])
    done = reindex(tmp_path, str(part), "--disable", "extract", "--disable", "translate")
    assert done.returncode == 4
    assert "fewer than the 4 of the current one" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert index_ids(tmp_path) == ids
    done = reindex(tmp_path, str(part), "--force", "--disable", "extract", "--disable",
                   "translate")
    assert done.returncode == 0, done.stderr
    assert len(index_ids(tmp_path)) == 1
