"""A daemon killed alone (kill -9 of its PID, not its group) leaves no process behind."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import DISABLE_STAGES, HANGING, STORY, drop

pytestmark = pytest.mark.integration

def marked(mark: str) -> list[int]:
    """PIDs of the live processes whose environment holds ``mark``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{entry}/environ").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if mark.encode() in env and state != "Z":
            found.append(int(entry))
    return found


@pytest.mark.slow
def test_a_daemon_killed_alone_takes_its_fork_server_and_a_hung_worker_with_it(
        daemon: Any, tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hang.py").write_text(HANGING)
    mark = f"NEWSDESK_ORPHAN_TEST={uuid.uuid4().hex}"
    key, value = mark.split("=")
    d = daemon(*DISABLE_STAGES, "--plugins-dir", str(plugins), "--workers", "2",
               env={key: value}).start()
    d.wait_log("workers loaded", timeout=120)
    drop(d.inbox, "hang.txt", "HANG " + STORY)
    drop(d.inbox, "fine.txt", STORY)
    d.wait_records(1, timeout=60)  # fine.txt written; hang.txt is held in its worker
    time.sleep(1.0)
    before = marked(mark)
    assert len(before) >= 3, before  # the daemon, the fork server, its workers
    d.kill9()
    deadline = time.monotonic() + 20
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marked(mark) == []
