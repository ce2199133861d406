"""One BLAS thread while natasha's tagger runs.

numpy's OpenBLAS starts a thread per core for every matrix product. natasha's
tagger multiplies small matrices, one article at a time, in a worker process
that already has a core of its own: the extra threads mostly spin, and on the
project's 2-core machine they doubled the CPU time of a Russian article. The
number of threads is set through OpenBLAS's own call (numpy offers none), for the
duration of the tagger's run only, and put back afterwards. Where numpy's BLAS is
not an OpenBLAS this module can find (another platform, another build), nothing is
changed and the tagger runs as it would anyway.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

#: (set, get) function names of the OpenBLAS builds numpy's wheels have shipped.
_NAMES = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


@cache
def _openblas() -> tuple[ctypes._CFuncPtr, ctypes._CFuncPtr] | None:  # type: ignore[name-defined]
    """numpy's OpenBLAS thread setter and getter, or None where they are not found."""
    import numpy

    libs = Path(numpy.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*.so*")) if libs.is_dir() else []:
        try:
            lib = ctypes.CDLL(str(path))  # already loaded by numpy: the same library
        except OSError:
            continue
        for set_name, get_name in _NAMES:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                setter.restype = None
                getter.restype = ctypes.c_int
                return setter, getter
    return None


def blas_threads() -> int | None:
    """How many threads numpy's OpenBLAS uses now (None: not found)."""
    found = _openblas()
    return int(found[1]()) if found else None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with numpy's OpenBLAS on one thread, then restore its setting."""
    found = _openblas()
    if found is None:
        yield
        return
    setter, getter = found
    before = int(getter())
    setter(1)
    try:
        yield
    finally:
        setter(before)
