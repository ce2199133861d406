"""Processes the daemon starts end when it is gone, even when killed with SIGKILL.

A worker held in a plugin that never returns, and the fork server the workers come
from, would otherwise outlive a daemon killed alone (``kill -9 PID``, not its group),
holding the plugins' models in memory. Each such process watches its parent: when the
parent changes (it died and the process was handed to init or a subreaper), the process
ends at once. The fork server watches the daemon; a worker watches the process it was
started from (the fork server, or the daemon when workers are spawned), so the chain
ends within a couple of seconds of the daemon.
"""

from __future__ import annotations

import os
import threading
import time

#: How often a process looks at its parent, in seconds.
EVERY_S = 0.5


def end_with_parent(every_s: float = EVERY_S) -> None:
    """Start a thread that ends this process when its parent process is gone."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(every_s)
            if os.getppid() != parent:
                os._exit(0)  # the daemon is gone: nothing here is of use any more

    threading.Thread(target=watch, name="newsdesk-parent-watch", daemon=True).start()
