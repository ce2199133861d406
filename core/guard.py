"""Guards around the hooks that run in the daemon's own process (``newsdesk_index``).

- A time limit (``daemon.hook_timeout_s``): the stage runs in a thread of its own;
  past the limit the article is written without what the stage would have added,
  with an error naming the hook and its plugins, and the daemon goes on (the stuck
  thread is left behind; SIGTERM still stops the daemon).
- A file that crashed the daemon (a plugin calling ``os._exit``, a segfault in an
  extension) while its main-process stage ran is remembered; one that did so twice
  is set aside in failed/ with the reason instead of being run again.

Which file is in the main-process stage is written to ``<state>/main-stage.running``
before the stage and cleared after: a process that dies leaves it behind (no fsync is
needed: the page cache outlives a crashed process). Crash counts are kept in
``<state>/crashes.json``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import structlog

log = structlog.get_logger("newsdesk.daemon")

MARKER = "main-stage.running"
CRASHES = "crashes.json"
#: Crashes of the daemon with the same file in hand before the file is set aside.
CRASH_LIMIT = 2
#: Threads left stuck in a hook at most; past this, main-process stages are skipped.
MAX_STUCK = 8


class HookGuard:
    def __init__(self, state: Path, timeout_s: float) -> None:
        self.state = state
        self.timeout_s = timeout_s
        self.marker = state / MARKER
        self.crashes_file = state / CRASHES
        self.crashes: dict[str, dict[str, Any]] = {}
        self.stuck: list[threading.Thread] = []

    # --- crashes -----------------------------------------------------------------

    def recover(self) -> None:
        """At start-up: count a crash against the file a dead daemon had in hand."""
        try:
            self.crashes = orjson.loads(self.crashes_file.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            self.crashes = {}
        try:
            text = self.marker.read_text(errors="replace").strip()
        except OSError:
            return
        if not text:
            return
        digest, _, rest = text.partition("\t")
        stage, _, name = rest.partition("\t")
        entry = self.crashes.setdefault(digest, {"name": name, "stage": stage, "count": 0})
        entry["count"] = int(entry.get("count", 0)) + 1
        log.error("the daemon died while a main-process hook ran on a file",
                  file=name, article=digest[:12], hook=f"newsdesk_{stage}",
                  crashes=entry["count"],
                  then="set aside in failed/" if entry["count"] >= CRASH_LIMIT
                  else "tried once more")
        self._save()
        self._clear()

    def set_aside(self, digest: str) -> str | None:
        """Why the file of ``digest`` is not run again, or None."""
        entry = self.crashes.get(digest)
        if entry is None or int(entry.get("count", 0)) < CRASH_LIMIT:
            return None
        return (f"the daemon died {entry['count']} times while the hook newsdesk_"
                f"{entry.get('stage', '?')} ran on this file (a plugin that exits or "
                "crashes the process); set aside, not run again")

    def forget(self, digest: str) -> None:
        if self.crashes.pop(digest, None) is not None:
            self._save()

    def _save(self) -> None:
        tmp = self.crashes_file.with_name(f".{CRASHES}.tmp")
        try:
            tmp.write_bytes(orjson.dumps(self.crashes))
            os.replace(tmp, self.crashes_file)
        except OSError:
            log.warning("could not save the crash counts", exc_info=True)

    def _mark(self, digest: str, stage: str, name: str) -> None:
        try:
            self.marker.write_text(f"{digest}\t{stage}\t{name}\n", errors="replace")
        except OSError:
            pass  # a full state disk: the crash would not be counted, nothing else

    def _clear(self) -> None:
        try:
            self.marker.unlink(missing_ok=True)
        except OSError:
            pass

    # --- the time limit ------------------------------------------------------------

    def run(self, call: Callable[[], None], *, digest: str, stage: str, name: str,
            plugins: list[str]) -> str | None:
        """Run ``call`` (the stage on one article) within the time limit; return None, or
        why it did not finish."""
        self.stuck = [t for t in self.stuck if t.is_alive()]
        if len(self.stuck) >= MAX_STUCK:
            return (f"skipped: {len(self.stuck)} earlier calls of newsdesk_{stage} "
                    f"({', '.join(plugins)}) are still running past daemon.hook_timeout_s")
        self._mark(digest, stage, name)
        failure: list[BaseException] = []

        def body() -> None:
            try:
                call()
            except BaseException as exc:  # run_stages catches plugin errors; this is a bug
                failure.append(exc)

        thread = threading.Thread(target=body, name=f"newsdesk-{stage}", daemon=True)
        t0 = time.monotonic()
        thread.start()
        thread.join(self.timeout_s)
        if thread.is_alive():
            self.stuck.append(thread)
            self._clear()
            log.error("a main-process hook did not finish in time; the article is written "
                      "without it", hook=f"newsdesk_{stage}", plugins=plugins, file=name,
                      timeout_s=self.timeout_s)
            return (f"newsdesk_{stage} ({', '.join(plugins)}) did not finish within "
                    f"{self.timeout_s:g} s (daemon.hook_timeout_s); the article is written "
                    "without it")
        self._clear()
        if failure:
            raise failure[0]
        log.debug("main-process stage", stage=stage, ms=round((time.monotonic() - t0) * 1000, 3))
        return None
