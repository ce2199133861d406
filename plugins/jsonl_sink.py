"""Built-in sink: the record stream, JSON lines in the output folder, one file a day.

Each batch is one ``write`` of whole lines to a file opened for appending,
then ``fsync``: a line is on disk before its input file is archived. A reader
tailing the file can see a large batch half written (the kernel copies it page
by page), so it takes lines up to the last newline, as ``tail -f | jq`` does. Only ``newsdesk run`` writes the
stream (``process`` prints to stdout and touches nothing).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pluggy
import structlog

from newsdesk import hookimpl
from newsdesk.config import Config
from newsdesk.output import Batch

log = structlog.get_logger("newsdesk.jsonl")

#: How far back from the end of the newest files recovery looks for ids.
RECOVERY_WINDOW = 64 * 1024 * 1024


def cut_torn_tail(fd: int, path: Path) -> None:
    """Cut a last line left without its newline by a crash in the middle of a write.

    Its record was never reported durable, so it is written again whole.
    """
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return
    start = max(0, size - RECOVERY_WINDOW)
    tail = os.pread(fd, size - start, start)
    keep = start + tail.rfind(b"\n") + 1 if b"\n" in tail else start
    os.ftruncate(fd, keep)
    log.warning("cut a torn last line from the stream", file=str(path), bytes=size - keep)


class JsonlSink:
    """Appends batches to ``<output>/<prefix>-YYYY-MM-DD.jsonl``."""

    def __init__(self, folder: Path, prefix: str, fsync: bool) -> None:
        self.folder = folder
        self.prefix = prefix
        self.fsync = fsync
        self._day = ""
        self._fd = -1

    def path_for(self, day: str) -> Path:
        return self.folder / f"{self.prefix}-{day}.jsonl"

    def _open(self) -> int:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        if day != self._day or self._fd < 0:
            self.close()
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.path_for(day)
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            self._day = day
            cut_torn_tail(self._fd, path)
        return self._fd

    @hookimpl
    def newsdesk_write(self, batch: Batch) -> None:
        fd = self._open()
        data = memoryview(b"".join(batch.lines))
        while data:
            written = os.write(fd, data)
            data = data[written:]
        if self.fsync:
            os.fsync(fd)

    @hookimpl
    def newsdesk_recover(self, pending: frozenset[str]) -> frozenset[str]:
        held: set[str] = set()
        files = sorted(self.folder.glob(f"{self.prefix}-*.jsonl"))[-2:]
        for file in files:
            with file.open("rb") as fh:
                size = fh.seek(0, os.SEEK_END)
                fh.seek(max(0, size - RECOVERY_WINDOW))
                if size > RECOVERY_WINDOW:
                    fh.readline()  # skip the partial first line of the window
                for line in fh:
                    if not line.endswith(b"\n"):
                        break  # a torn last line does not count as written
                    try:
                        rid = orjson.loads(line).get("id")
                    except orjson.JSONDecodeError:
                        continue
                    if rid in pending:
                        held.add(rid)
        return frozenset(held)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    @hookimpl
    def newsdesk_shutdown(self) -> None:
        self.close()


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    if role == "main" and config.command == "run":
        sink = JsonlSink(config.path("output"), config.output.prefix, config.output.fsync)
        pm.register(sink, name="jsonl.sink")
