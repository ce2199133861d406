"""Fixtures for integration tests: a real ``newsdesk run`` subprocess on a temp folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest


class DaemonProcess:
    """A ``newsdesk run`` subprocess and its working folder."""

    def __init__(self, workdir: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.workdir = workdir
        self.inbox = workdir / "inbox"
        self.inbox.mkdir(exist_ok=True)
        self.args = list(args)
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "daemon.log"

    def start(self, *extra: str) -> DaemonProcess:
        cmd = [sys.executable, "-m", "newsdesk", "run", "--workdir", str(self.workdir),
               "--log-format", "json", *self.args, *extra]
        self._log_fh = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._log_fh,
                                     env=self.env)
        self.wait_log('"watching"', start_offset=0)
        return self

    def wait_log(self, needle: str, timeout: float = 30, start_offset: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle.encode() in self.log.read_bytes()[start_offset:]:
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"daemon exited {self.proc.returncode}:\n"
                                     + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} not logged within {timeout} s:\n"
                             + self.log.read_text(errors="replace")[-3000:])

    def records(self) -> list[dict[str, Any]]:
        return stream_records(self.workdir)

    def wait_records(self, n: int, timeout: float = 30) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            records = self.records()
            if len(records) >= n:
                return records
            time.sleep(0.05)
        raise AssertionError(f"{len(self.records())} records, expected {n}:\n"
                             + self.log.read_text(errors="replace")[-3000:])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self._log_fh.close()
        return code

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._log_fh.close()



#: A short story every daemon test can drop.
STORY = (
    "The city council met on Tuesday to discuss the new tram line.\n\n"
    "Residents asked for more stops in the northern districts.\n"
)

#: A worker-stage plugin: an article with HANG never returns, one with CRASH kills its worker.
HANGING = '''
import os, time
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    if "HANG" in article.content:
        time.sleep(600)
    if "CRASH" in article.content:
        os._exit(3)
'''

#: Options that turn off the four stage plugins (the framework alone).
DISABLE_STAGES = ("--disable", "clean", "--disable", "extract", "--disable", "translate",
                  "--disable", "index")

def stream_records(workdir: Path) -> list[dict[str, Any]]:
    """The records of the stream so far, read as a consumer must read a file that is
    still being appended to: up to its last newline (a large batch can be seen half
    written)."""
    out = []
    for file in sorted((workdir / "output").glob("*.jsonl")):
        data = file.read_bytes()
        out += [orjson.loads(line) for line in data[: data.rfind(b"\n") + 1].splitlines()]
    return out


def drop(inbox: Path, name: str, data: bytes | str) -> Path:
    """Write a file under a hidden name, then rename it into the inbox."""
    raw = data.encode() if isinstance(data, str) else data
    tmp = inbox / f".{abs(hash(name))}.tmp"
    tmp.write_bytes(raw)
    dest = inbox / name
    os.rename(tmp, dest)
    return dest


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Any]:
    """Make daemons on a temp working folder; stops any left running."""
    made: list[DaemonProcess] = []

    def make(*args: str, env: dict[str, str] | None = None) -> DaemonProcess:
        d = DaemonProcess(tmp_path, *args, env=env)
        made.append(d)
        return d

    yield make
    for d in made:
        if d.proc is not None and d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait(10)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Any]:
    """Mount small tmpfs file systems (a full disk on demand): ``tmpfs(name, size)``
    returns the mount point, ``resize(mnt, size)`` grows one. Needs root and mount
    rights; the test is skipped with the reason where they are missing."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        mnt = tmp_path / name
        mnt.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root and mount rights): "
                        + done.stderr.decode(errors="replace").strip()[:120])
        mounted.append(mnt)
        return mnt

    yield mount
    for mnt in mounted:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def resize(mnt: Path, size: str) -> None:
    """Give a tmpfs of the ``tmpfs`` fixture a new size (room comes back)."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mnt)], check=True)


def stream_lines(folder: Path) -> list[bytes]:
    """Every line of every stream file in ``folder``, newline included."""
    out: list[bytes] = []
    for file in sorted(folder.glob("*.jsonl")):
        out += file.read_bytes().splitlines(keepends=True)
    return out


def write_config(workdir: Path, text: str) -> None:
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "newsdesk.toml").write_text(text)


def whole_records(folder: Path) -> list[dict[str, Any]]:
    """The stream's records, asserting that every line is one whole JSON object."""
    out = []
    for line in stream_lines(folder):
        assert line.endswith(b"\n"), f"torn line: {line[:80]!r}"
        out.append(orjson.loads(line))
    return out
