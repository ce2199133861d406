"""Built-in sink: records as JSON lines on standard output.

On under ``newsdesk process`` and, with ``--stdout`` or ``output.stdout``,
under ``newsdesk run``.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

import pluggy

from newsdesk import hookimpl
from newsdesk.config import Config
from newsdesk.output import Batch


class StdoutSink:
    """Writes each batch to a binary stream and flushes it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    @hookimpl
    def newsdesk_write(self, batch: Batch) -> None:
        self.stream.write(b"".join(batch.lines))
        self.stream.flush()


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    if role == "main" and (config.command == "process" or config.output.stdout):
        pm.register(StdoutSink(sys.stdout.buffer), name="stdout.sink")
