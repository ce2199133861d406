"""Fixtures for the Spark tests: a real ``newsdesk spark`` subprocess in ``local[2]``.

The tests need pyspark (``pip install -e '.[spark]'``) and Java 17; ``.ci/run``
installs both, so in CI they run. Elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson
import pytest


def needs_spark() -> None:
    """Skip the calling test module, saying why, where pyspark or Java is missing."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java for Spark (apt-get install openjdk-17-jre-headless)",
                    allow_module_level=True)


MASTER = "local[2]"


def spark_cmd(workdir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk", "spark", "--workdir", str(workdir),
            "--master", MASTER, "--log-format", "json", *args]


def run_spark(workdir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``newsdesk spark --once`` to the end; fail with its log if it fails."""
    done = subprocess.run(spark_cmd(workdir, "--once", *args), capture_output=True, text=True,
                          timeout=timeout, start_new_session=True)
    assert done.returncode == 0, done.stderr[-4000:]
    return done


def run_process(workdir: Path, *paths: str) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "newsdesk", "process", "--workdir",
                           str(workdir), "--log-format", "json", *paths],
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-4000:]
    return [orjson.loads(line) for line in done.stdout.splitlines()]


def committed_files(output: Path) -> list[Path]:
    """The files Spark's file sink has committed, from its log ``_spark_metadata``
    (one JSON line per file after a version line; ``N.compact`` files repeat the
    earlier batches). A file a killed batch left behind is not in the log."""
    log = output / "_spark_metadata"
    files: set[Path] = set()
    for entry in sorted(log.iterdir()) if log.is_dir() else []:
        if entry.name.startswith("."):
            continue
        for line in entry.read_text().splitlines()[1:]:
            status = orjson.loads(line)
            if status.get("action", "add") == "add":
                files.add(Path(unquote(urlsplit(status["path"]).path)))
    return sorted(files)


def committed_lines(workdir: Path) -> list[bytes]:
    """Every line of every committed output file; a torn line fails the test."""
    lines = []
    for file in committed_files(workdir / "output" / "spark"):
        data = file.read_bytes()
        assert data == b"" or data.endswith(b"\n"), f"{file.name}: torn last line"
        lines += data.splitlines()
    return lines


def committed_records(workdir: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in committed_lines(workdir)]


def process_group_gone(pgid: int, timeout: float = 60) -> None:
    """Wait until no process of the group is left (the JVM ends when its driver does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)
    raise AssertionError(f"processes of group {pgid} still running {timeout} s after the driver")
