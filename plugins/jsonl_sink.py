"""Built-in sink: the record stream, JSON lines in the output folder, one file a day.

Each batch is one ``write`` of whole lines to a file opened for appending,
then ``fdatasync`` (the data and the file's size; ``fsync`` where there is none): a line
is on disk before its input file is archived. A write
that fails part way (a full disk) is undone before the error goes up: the file
is cut back to where the batch began, so the retry of the batch leaves neither
a spliced line nor a duplicate. A reader tailing the file can see a large batch
half written (the kernel copies it page by page), so it takes lines up to the
last newline, as ``tail -f | jq`` does. Only ``newsdesk run`` writes the stream
(``process`` prints to stdout and touches nothing).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pluggy
import structlog

from newsdesk import hookimpl
from newsdesk.config import Config, Section
from newsdesk.output import Batch, datasync

log = structlog.get_logger("newsdesk.jsonl")


@dataclass
class JsonlSettings:
    """The [jsonl] section: the stream files' layout, which this sink alone owns."""

    #: File name prefix of the stream files: <prefix>-YYYY-MM-DD.jsonl in the output folder.
    prefix: str = "articles"
    #: fsync the stream after each batch (a record is on disk before its file is archived).
    fsync: bool = True


#: Bytes read at a time when scanning a stream file from its end.
CHUNK = 1024 * 1024
#: A record's id, near the start of its line (the framework writes ``schema`` then ``id``).
ID_AT_START = re.compile(rb'"id":"([^"\\]{1,200})"')


def cut_torn_tail(fd: int, path: Path) -> None:
    """Cut a last line left without its newline by a crash in the middle of a write.

    Its record was never reported durable, so it is written again whole. The
    line may be of any length: the file is read back from its end until a
    newline (or its start) is found.
    """
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return
    keep = 0
    end = size
    while end > 0:
        start = max(0, end - CHUNK)
        at = os.pread(fd, end - start, start).rfind(b"\n")
        if at >= 0:
            keep = start + at + 1
            break
        end = start
    os.ftruncate(fd, keep)
    log.warning("cut a torn last line from the stream", file=str(path), bytes=size - keep)


def lines_from_end(fh: BinaryIO) -> Iterator[bytes]:
    """The complete lines of a file, last first (a last line without its newline is
    not one), whatever their length."""
    end = fh.seek(0, os.SEEK_END)
    carry = b""
    seen_newline = False
    while end > 0:
        start = max(0, end - CHUNK)
        fh.seek(start)
        block = fh.read(end - start) + carry
        end = start
        parts = block.split(b"\n")
        carry = parts[0]  # may continue in the block before
        tail = parts[1:]
        if not seen_newline and tail:
            seen_newline = True
            tail = tail[:-1]  # after the last newline: torn, or empty
        yield from reversed(tail)
    if carry and seen_newline:
        yield carry


def line_id(line: bytes) -> str | None:
    """The ``id`` of a record line, read from its first bytes."""
    found = ID_AT_START.search(line, 0, 400)
    return found.group(1).decode("utf-8", "replace") if found else None


class JsonlSink:
    """Appends batches to ``<output>/<prefix>-YYYY-MM-DD.jsonl``."""

    def __init__(self, folder: Path, prefix: str, fsync: bool) -> None:
        self.folder = folder
        self.prefix = prefix
        self.fsync = fsync
        self._day = ""
        self._fd = -1
        self._end = 0  # where the last batch written whole ends
        self._repaired_earlier = False

    def path_for(self, day: str) -> Path:
        return self.folder / f"{self.prefix}-{day}.jsonl"

    def files(self) -> list[Path]:
        return sorted(self.folder.glob(f"{self.prefix}-*.jsonl"))

    def _repair_earlier(self, today: Path) -> None:
        """A crash just before midnight can leave the previous day's file torn: repair
        the newest file before today's once, when the sink first opens."""
        if self._repaired_earlier:
            return
        self._repaired_earlier = True
        earlier = [f for f in self.files() if f.name < today.name]
        if earlier:
            fd = os.open(earlier[-1], os.O_RDWR)
            try:
                cut_torn_tail(fd, earlier[-1])
            finally:
                os.close(fd)

    def _open(self) -> int:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        if day != self._day or self._fd < 0:
            self.close()
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.path_for(day)
            self._repair_earlier(path)
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            self._day = day
            cut_torn_tail(self._fd, path)
            self._end = os.fstat(self._fd).st_size
        return self._fd

    @hookimpl
    def newsdesk_startup(self) -> None:
        """Open today's file at start: a torn last line is cut before anything else."""
        try:
            self._open()
        except OSError as exc:  # a full or missing disk: tried again at the first write
            log.warning("could not open the stream file at start; tried again at the "
                        "first write", error=str(exc))

    @hookimpl
    def newsdesk_write(self, batch: Batch) -> None:
        fd = self._open()
        if os.fstat(fd).st_size != self._end:
            os.ftruncate(fd, self._end)  # what an earlier failed write could not undo
        data = memoryview(b"".join(batch.lines))
        try:
            while data:
                written = os.write(fd, data)
                data = data[written:]
            if self.fsync:
                datasync(fd)
        except OSError:
            self._undo(fd)
            raise
        self._end = os.fstat(fd).st_size

    def _undo(self, fd: int) -> None:
        """Cut the file back to the end of the last whole batch (a short write must not
        stay in the stream: the batch is written again whole)."""
        try:
            os.ftruncate(fd, self._end)
        except OSError:
            log.error("could not cut a partly written batch; retried at the next write",
                      exc_info=True)
            return
        if self.fsync:
            try:
                datasync(fd)
            except OSError:
                pass  # the size is fixed again before the next write

    @hookimpl
    def newsdesk_recover(self, pending: frozenset[str]) -> frozenset[str]:
        """The ids of ``pending`` the newest two files hold, read from their ends until
        every pending id is found (pending records are the last ones written)."""
        held: set[str] = set()
        for file in reversed(self.files()[-2:]):
            with file.open("rb") as fh:
                for line in lines_from_end(fh):
                    rid = line_id(line)
                    if rid in pending:
                        held.add(rid)
                        if len(held) == len(pending):
                            return frozenset(held)
        return frozenset(held)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    @hookimpl
    def newsdesk_shutdown(self) -> None:
        self.close()


@hookimpl
def newsdesk_config_sections() -> Sequence[Section]:
    return [Section("jsonl", JsonlSettings)]


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    if role == "main" and config.command == "run":
        s: JsonlSettings = config.section("jsonl")
        sink = JsonlSink(config.path("output"), s.prefix, s.fsync)
        pm.register(sink, name="jsonl.sink")
