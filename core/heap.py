"""The process's memory: the garbage collector's settings for the long-running daemon
(:func:`settle_collector`), and handing the C heap's free memory back to the system:
glibc's ``malloc_trim(0)`` returns the free pages of every malloc arena, not only those
at the top of the main heap. The daemon runs a thread that trims every ``TRIM_EVERY_S``
seconds (:class:`Trimmer`; ctypes lets the other threads run meanwhile): what its
threads free (tantivy's writer between commits, SQLite, the records of each batch)
otherwise stays in their arenas, counted in its memory. A daemon fed 3,000 generated
articles held 98 MB of its own without it, 72 with it (docs/performance.md, fourth
pass). The workers' fork server trims once before forking (``newsdesk.preloaded``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from functools import cache
from typing import Any

#: Container objects allocated (net of those freed) before the garbage collector's young
#: generation is swept in the daemon once started (Python's default: 700).
GC_YOUNG = 10_000

#: Seconds between two trims in the daemon.
TRIM_EVERY_S = 5.0


def settle_collector() -> None:
    """Tune the garbage collector for the long-running daemon once it has started: every
    object made so far goes to the permanent generation (``gc.freeze``), so that full
    sweeps, which a burst triggers every few hundred articles, walk only what was made
    since; and the young generation is swept every ``GC_YOUNG`` net allocations instead
    of 700 (unpickling a worker's message allocates hundreds of objects, nearly all freed
    by reference counting: a bench's sweeps 0.09 -> 0.01 s of CPU). The workers keep
    Python's default: in one process their extract was 6-7% faster on real text with it,
    but through the daemon the workers' CPU did not move beyond the noise of a shared
    machine (docs/performance.md, fourth pass)."""
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


@cache
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def trim() -> bool:
    """Return the heap's free pages to the system; False where the C library is not glibc
    (nothing is done there)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


class Trimmer(threading.Thread):
    """Trims every ``every_s`` seconds until closed (not started where there is no glibc)."""

    def __init__(self, every_s: float = TRIM_EVERY_S) -> None:
        super().__init__(name="newsdesk-trim", daemon=True)
        self.every_s = every_s
        self._stop_now = threading.Event()
        self.trims = 0

    def start(self) -> None:
        if _libc() is not None:
            super().start()

    def run(self) -> None:
        while not self._stop_now.wait(self.every_s):
            trim()
            self.trims += 1

    def close(self) -> None:
        self._stop_now.set()
        if self.is_alive():
            self.join(5.0)
