"""The watcher thread never dies silently."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from structlog.testing import capture_logs
from watchdog.events import FileClosedEvent

from newsdesk.app import Settings, build_app
from newsdesk.daemon import Daemon
from newsdesk.watcher import Watcher, _Handler

pytestmark = pytest.mark.integration


def test_a_handler_exception_is_logged_and_the_observer_lives_on(tmp_path: Path) -> None:
    """An exception while handling an event is caught and logged, not raised."""
    def explode(path: Path) -> None:
        raise RuntimeError("notify failed")

    watcher = Watcher(tmp_path, explode, ignore=[], polling=False, poll_interval_s=1,
                      stable_s=1)
    with capture_logs() as logs:
        _Handler(watcher).dispatch(FileClosedEvent(str(tmp_path / "a.txt")))
    assert [e["event"] for e in logs] == ["watch event handler failed; event skipped"]


def test_a_dead_observer_thread_is_restarted_and_files_are_still_taken(tmp_path: Path) -> None:
    """When the observer thread stops, the daemon logs it, restarts it and goes on."""
    (tmp_path / "inbox").mkdir()
    app = build_app(Settings(workdir=str(tmp_path), overrides={"daemon": {"workers": 1}}))
    daemon = Daemon(app)
    outcome: dict[str, object] = {}

    def drive() -> None:
        try:
            deadline = time.monotonic() + 20
            while not daemon.watcher.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            daemon.watcher._observer.stop()  # the thread dies under the daemon
            while daemon.watcher.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            while not daemon.watcher.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            outcome["restarted"] = daemon.watcher.alive()
            time.sleep(0.2)
            (tmp_path / "inbox" / ".late.tmp").write_text("written after the restart")
            (tmp_path / "inbox" / ".late.tmp").rename(tmp_path / "inbox" / "late.txt")
            while daemon.commit.written < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            daemon.stopping = True
            daemon._wake()

    thread = threading.Thread(target=drive)
    thread.start()
    daemon.run()
    thread.join()
    assert outcome["restarted"] is True
    assert daemon.commit.written == 1
