"""The daemon hands its threads' freed heap memory back to the system (glibc)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsdesk import heap


def test_trim_hands_the_heaps_free_pages_back_to_the_system() -> None:
    if heap._libc() is None:
        pytest.skip("not glibc: malloc_trim is not there")
    # A thread's arena left full of holes (every 50th block kept, so it cannot shrink
    # from its top): its resident memory falls only when trimmed.
    code = ("import threading\n"
            "from newsdesk import heap\n"
            "def rss():\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith('VmRSS:'): return int(line.split()[1]) // 1024\n"
            "kept = []\n"
            "def churn():\n"
            "    blocks = [bytes(2000) for _ in range(60_000)]\n"
            "    kept.extend(blocks[::50])\n"
            "t = threading.Thread(target=churn); t.start(); t.join()\n"
            "before = rss(); heap.trim(); print(before, rss())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    before, after = map(int, out.stdout.split())
    assert before - after >= 60, (before, after)


def test_trim_says_whether_it_could_trim() -> None:
    assert heap.trim() is (heap._libc() is not None)


def test_the_trimmer_trims_until_closed() -> None:
    if heap._libc() is None:
        pytest.skip("not glibc: malloc_trim is not there")
    import time

    trimmer = heap.Trimmer(every_s=0.01)
    trimmer.start()
    deadline = time.monotonic() + 5
    while trimmer.trims < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    trimmer.close()
    assert trimmer.trims >= 3 and not trimmer.is_alive()
