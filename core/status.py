"""``newsdesk status``: is a daemon running on this working folder, and how is it doing.

Whether one runs comes from the folder lock (the kernel's word, never a stale PID
file); the figures come from ``<state>/status.json``, which the daemon replaces
every second or so (write to a temporary name, then rename: a reader never sees
half a file).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

STATUS_NAME = "status.json"


@dataclass
class Snapshot:
    """What the daemon tells about itself."""

    pid: int
    started: float  # time.time() at start
    workers: int = 0
    queue: int = 0
    in_flight: int = 0
    written: dict[str, int] = field(default_factory=lambda: {"ok": 0, "partial": 0,
                                                             "failed": 0})
    worker_restarts: int = 0
    last_error: dict[str, str] | None = None
    paused: str | None = None
    ready: bool = False
    updated: float = 0.0


class StatusFile:
    """The daemon's side: replace ``<state>/status.json`` with a snapshot."""

    def __init__(self, state: Path) -> None:
        self.path = state / STATUS_NAME
        self._tmp = state / f".{STATUS_NAME}.{os.getpid()}.tmp"

    def write(self, snap: Snapshot) -> None:
        snap.updated = time.time()
        try:
            self._tmp.write_bytes(orjson.dumps(asdict(snap)))
            os.replace(self._tmp, self.path)
        except OSError:
            pass  # a full state disk: the status is stale, the daemon goes on


def read(state: Path) -> dict[str, Any] | None:
    try:
        data = orjson.loads((state / STATUS_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def duration(seconds: float) -> str:
    s = int(max(0, seconds))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return (f"{d}d " if d else "") + f"{h:02}:{m:02}:{s:02}"


def report(state: Path, holder: int | None, now: float | None = None) -> tuple[dict[str, Any],
                                                                              list[str]]:
    """The status of the daemon of ``state`` as data and as lines for a person."""
    now = time.time() if now is None else now
    snap = read(state)
    if snap is not None and holder is not None and snap.get("pid") != holder:
        snap = None  # the file of an earlier run; this daemon has not written one yet
    out: dict[str, Any] = {"running": holder is not None, "pid": holder}
    lines = [f"running: yes (pid {holder})" if holder else "running: no"]
    if snap is None:
        if holder is not None:
            lines.append("starting (no status written yet)")
        return out, lines
    label = "" if holder is not None else "last run "
    written = snap.get("written") or {}
    done = int(written.get("ok", 0)) + int(written.get("partial", 0))
    failed = int(written.get("failed", 0))
    out.update(uptime_s=round(now - float(snap.get("started", now)), 1),
               ready=bool(snap.get("ready")), workers=snap.get("workers"),
               queue=snap.get("queue"), in_flight=snap.get("in_flight"),
               done=done, partial=int(written.get("partial", 0)), failed=failed,
               worker_restarts=snap.get("worker_restarts"),
               last_error=snap.get("last_error"), paused=snap.get("paused"),
               updated=snap.get("updated"))
    if holder is not None:
        lines.append(f"uptime: {duration(out['uptime_s'])}"
                     + ("" if out["ready"] else " (starting)"))
        lines.append(f"workers: {out['workers']} ({out['worker_restarts']} restarted)")
        lines.append(f"queue: {out['queue']} waiting, {out['in_flight']} in flight")
    lines.append(f"{label}since start: {done} done ({out['partial']} partial), "
                 f"{failed} failed")
    err = out["last_error"]
    lines.append(f"{label}last error: " + (f"{err.get('time', '?')} {err.get('message', '')}"
                                          if err else "none"))
    if holder is not None:
        lines.append(f"paused: {out['paused']}" if out["paused"] else "paused: no")
    return out, lines
