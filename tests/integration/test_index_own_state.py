"""The index keeps its own record of what it holds: with the JSON-lines sink disabled,
its prefix changed or its files moved away, a restart deletes nothing from the index,
and what was handed to the index before a kill -9 is indexed at the next start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .conftest import drop

pytestmark = pytest.mark.integration

#: extract and translate are left out to keep this quick; clean gives the indexed text.
ARGS = ("--disable", "extract", "--disable", "translate")


def body(n: int) -> str:
    return (f"Harbour report {n}\n\nThe harbour authority counted ship{n} arrivals on the "
            f"quay this morning, item number{n}. Dock workers said the cranes ran all night "
            "and the port expects more cargo next week as the season begins.\n")


def archived(workdir: Path) -> int:
    return sum(1 for p in (workdir / "archive").rglob("*.txt"))


def wait_archived(workdir: Path, n: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while archived(workdir) < n:
        assert time.monotonic() < deadline, f"{archived(workdir)} of {n} files archived"
        time.sleep(0.05)


def spool_line(d: Any, offset: int) -> dict[str, Any]:
    """The "index spool checked" log line of the start whose log begins at ``offset``."""
    d.wait_log("index spool checked", start_offset=offset)
    lines = d.log.read_bytes()[offset:].splitlines()
    line: dict[str, Any] = next(orjson.loads(x) for x in lines if b"index spool checked" in x)
    return line


def indexed(workdir: Path) -> set[str]:
    return TantivyBackend(workdir / "state" / "index", writable=False).ids()


@pytest.mark.slow
def test_a_restart_without_the_stream_files_deletes_nothing_from_the_index(daemon) -> None:
    d = daemon(*ARGS)
    # 1. the usual stream: three articles indexed
    d.start()
    for n in range(3):
        drop(d.inbox, f"a{n}.txt", body(n))
    wait_archived(d.workdir, 3)
    assert d.stop() == 0
    first = indexed(d.workdir)
    assert len(first) == 3

    # 2. the JSON-lines sink disabled: two more, and kill -9 as soon as they are archived,
    #    long before the index commits them (commit_s = 60): they are only in its spool
    (d.workdir / "config").mkdir(exist_ok=True)
    (d.workdir / "config" / "newsdesk.toml").write_text("[index]\ncommit_s = 60.0\n")
    offset = d.log.stat().st_size
    d.start("--disable", "jsonl")
    assert spool_line(d, offset)["indexed"] == 0
    for n in range(3, 5):
        drop(d.inbox, f"a{n}.txt", body(n))
    wait_archived(d.workdir, 5)
    d.kill9()

    # 3. the stream files moved away (rotated) and the prefix changed
    rotated = d.workdir / "rotated"
    rotated.mkdir()
    for file in (d.workdir / "output").glob("*.jsonl"):
        file.rename(rotated / file.name)
    (d.workdir / "config" / "newsdesk.toml").write_text('[jsonl]\nprefix = "renamed"\n')
    offset = d.log.stat().st_size
    d.start()
    assert spool_line(d, offset)["indexed"] == 2  # the two killed before their commit
    assert len(indexed(d.workdir)) == 5
    drop(d.inbox, "a5.txt", body(5))
    wait_archived(d.workdir, 6)
    assert d.stop() == 0
    now = indexed(d.workdir)
    assert first <= now
    assert len(now) == 6
    assert [p.name for p in (d.workdir / "output").glob("*.jsonl")][0].startswith("renamed-")
