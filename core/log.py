"""Logging: structlog to stderr, readable on a terminal, JSON lines otherwise.

Nothing is configured at import time; :func:`setup` is called by the CLI and
by each worker process.

The daemon, its workers, the fork server and the shared translation process all
write to one stderr. Each line therefore goes out in a single ``write`` with its
newline: ``print`` writes the message and the newline separately, which under
``PYTHONUNBUFFERED=1`` (the default of many container images) are two system
calls, and another process's line can land between them.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
import structlog

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}


def _dumps(obj: Any, default: Any = None) -> bytes:
    return orjson.dumps(obj, default=default or str)


def _dumps_text(obj: Any, default: Any = None) -> str:
    return _dumps(obj, default).decode()


def setup(level: str = "info", fmt: str = "auto") -> None:
    """Configure structlog for this process: ``fmt`` is auto, console or json."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    factory: Any
    binary = getattr(sys.stderr, "buffer", None)
    if use_console:
        processors.append(structlog.dev.ConsoleRenderer())
        factory = structlog.WriteLoggerFactory(file=sys.stderr)
    elif binary is not None:
        # orjson's bytes go straight to the binary stream: no decode, one write.
        processors += [structlog.processors.dict_tracebacks,
                       structlog.processors.JSONRenderer(serializer=_dumps)]
        factory = structlog.BytesLoggerFactory(file=binary)
    else:  # a text-only stderr (some embedding hosts): one write of str
        processors += [structlog.processors.dict_tracebacks,
                       structlog.processors.JSONRenderer(serializer=_dumps_text)]
        factory = structlog.WriteLoggerFactory(file=sys.stderr)
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(LEVELS.get(level, logging.INFO)),
        logger_factory=factory,
        cache_logger_on_first_use=False,
    )
