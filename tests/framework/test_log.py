"""newsdesk.log: one stderr shared by the daemon and its processes stays one event a line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import structlog

from newsdesk import log

WRITER = """
import sys
import structlog
from newsdesk import log
log.setup("info", sys.argv[1])
say = structlog.get_logger().info
for n in range(int(sys.argv[2])):
    say("an event from a process", writer=sys.argv[3], n=n, padding="x" * 150)
"""


def _write_together(tmp_path: Path, fmt: str, processes: int, lines: int) -> list[bytes]:
    """Run ``processes`` interpreters logging ``lines`` events each at once into one
    O_APPEND file (as the daemon's workers share its stderr), unbuffered."""
    target = tmp_path / "shared.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with target.open("ab") as fh:
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, fmt, str(lines), f"w{k}"],
                                  stderr=fh, stdout=subprocess.DEVNULL, env=env)
                 for k in range(processes)]
        assert [p.wait(timeout=120) for p in procs] == [0] * processes
    return target.read_bytes().splitlines()


def test_json_lines_from_processes_sharing_stderr_never_run_into_one_another(tmp_path: Path) -> None:
    """Under PYTHONUNBUFFERED=1 a print() is two writes (message, newline); four processes
    logging at once then leave lines holding two events. Each line must be one event."""
    lines = _write_together(tmp_path, "json", processes=4, lines=3000)
    events = [orjson.loads(line) for line in lines]
    assert len(events) == 12000
    assert {e["writer"] for e in events} == {"w0", "w1", "w2", "w3"}
    for writer in ("w0", "w1", "w2", "w3"):
        assert [e["n"] for e in events if e["writer"] == writer] == list(range(3000))


def test_console_lines_from_processes_sharing_stderr_are_whole_too(tmp_path: Path) -> None:
    lines = _write_together(tmp_path, "console", processes=4, lines=2000)
    assert len(lines) == 8000
    assert all(len(re.findall(rb"an event from a process", line)) == 1 for line in lines)


@pytest.fixture
def configured_here() -> Iterator[None]:
    """structlog's configuration is process-wide: put the defaults back afterwards."""
    yield
    structlog.reset_defaults()


def test_json_format_writes_one_object_a_line_to_stderr(
        capsys: pytest.CaptureFixture[str], configured_here: None) -> None:
    log.setup("info", "json")
    structlog.get_logger().info("hello", text="two\nlines", value=1.5)
    structlog.get_logger().debug("not at info")
    out = capsys.readouterr().err.splitlines()
    assert len(out) == 1
    event = orjson.loads(out[0])
    assert (event["event"], event["text"], event["value"], event["level"]) == ("hello", "two\nlines", 1.5, "info")
    assert event["timestamp"].endswith("Z")


def test_a_text_only_stderr_gets_the_same_json_lines(
        monkeypatch: pytest.MonkeyPatch, configured_here: None) -> None:
    """Where stderr has no binary buffer (an embedding host's stream), the lines are
    written as text, still one write each."""
    import io

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    log.setup("info", "json")
    structlog.get_logger().warning("careful", n=2)
    lines = stream.getvalue().splitlines()
    assert [orjson.loads(line)["event"] for line in lines] == ["careful"]
