"""natasha's tagger runs with one OpenBLAS thread; the setting is put back afterwards."""

from __future__ import annotations

import pytest

from newsdesk_plugins.extract import blas


def test_one_blas_thread_inside_and_setting_restored() -> None:
    """Inside one_blas_thread numpy's OpenBLAS uses one thread; after it, the thread count set before."""
    found = blas._openblas()
    if found is None:
        pytest.skip("numpy's BLAS here is not an OpenBLAS this module can find")
    setter, _getter = found
    before = blas.blas_threads()
    setter(2)
    try:
        with blas.one_blas_thread():
            assert blas.blas_threads() == 1
        assert blas.blas_threads() == 2
    finally:
        setter(before)


def test_restored_after_an_error() -> None:
    """An exception inside the block still puts the thread count back."""
    if blas._openblas() is None:
        pytest.skip("numpy's BLAS here is not an OpenBLAS this module can find")
    before = blas.blas_threads()
    with pytest.raises(RuntimeError):
        with blas.one_blas_thread():
            raise RuntimeError("boom")
    assert blas.blas_threads() == before
