"""The daemon's start-up milestones, told in the log: ``ready`` once the inbox is
watched (files dropped from then on are taken; the first records may wait for the
workers), and ``workers loaded`` once every worker has its plugins configured.

Both lines carry ``uptime_s``, the seconds since the process started (interpreter
start-up and imports included), so that "ready within 3 s" is read off the log.
"""

from __future__ import annotations

import os
import time
from typing import Any

_IMPORTED = time.monotonic()


def uptime_s() -> float:
    """Seconds since this process started (since this module's import where /proc is
    not there to tell)."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            started_ticks = int(fh.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/uptime", "rb") as fh:
            boot_s = float(fh.read().split()[0])
        return max(0.0, boot_s - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, IndexError, ValueError):
        return time.monotonic() - _IMPORTED


def log_ready(log: Any, *, workers: int, loaded: int, **extra: Any) -> None:
    """The inbox is watched: the daemon takes files from now on."""
    log.info("ready", uptime_s=round(uptime_s(), 2), workers=workers, workers_loaded=loaded,
             **extra)


def log_workers_loaded(log: Any, *, workers: int) -> None:
    """Every worker has configured its plugins: records flow at full rate from now on."""
    log.info("workers loaded", uptime_s=round(uptime_s(), 2), workers=workers,
             workers_loaded=workers)
