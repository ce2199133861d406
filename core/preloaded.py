"""The last module the workers' fork server imports (after the plugins' preload modules,
see ``newsdesk.workers``): garbage is collected and the heap's free memory handed back
to the system (glibc's ``malloc_trim``, ``newsdesk.heap.trim``), so that the workers do
not inherit it; then everything left is moved out of the garbage collector's sight
(``gc.freeze``), so that a collection in a forked worker does not write to the shared
objects, and so copy their memory pages."""

import gc

from newsdesk.heap import trim

gc.collect()
trim()  # where the C library is not glibc, the free memory stays in the server's heap
gc.freeze()
