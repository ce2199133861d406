"""The last module the workers' fork server imports (after the plugins' preload modules,
see ``newsdesk.workers``): garbage is collected and the heap's free memory handed back
to the system (glibc's ``malloc_trim``), so that the workers do not inherit it; then
everything left is moved out of the garbage collector's sight (``gc.freeze``), so that a
collection in a forked worker does not write to the shared objects, and so copy their
memory pages."""

import ctypes
import ctypes.util
import gc

gc.collect()
try:
    ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
except (OSError, AttributeError):
    pass  # not glibc: the free memory stays in the server's heap
gc.freeze()
