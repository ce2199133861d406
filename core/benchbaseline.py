"""The baseline a user would pick instead of newsdesk, timed in the bench's own run.

For HTML pages that is trafilatura alone: each page's text and metadata extracted
(``trafilatura.extract`` with ``with_metadata=True``, JSON output) and written as one
line, on as many processes as the daemon has workers. Plain-text articles have no such
baseline (trafilatura reads HTML), and the bench says so instead of printing a figure.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

#: A file is taken for HTML when one of these is in its first KB (lower-cased).
_HTML_MARKS = (b"<html", b"<!doctype html", b"<head", b"<body")


@dataclass(frozen=True)
class Baseline:
    rate: float  # pages/s, wall clock, the pool's processes in parallel
    cpu_ms: float  # CPU per page in the pool's processes
    extracted: int  # pages trafilatura returned something for
    pages: int


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lower()
    return any(mark in head for mark in _HTML_MARKS)


def _extract(data: bytes) -> tuple[bytes, float]:
    import trafilatura

    t0 = time.process_time()
    out = trafilatura.extract(data, output_format="json", with_metadata=True)
    line = (out or "null").encode("utf-8") + b"\n"
    return line, time.process_time() - t0


def _ready() -> bool:
    import trafilatura  # noqa: F401 - imported before the clock starts

    return True


def trafilatura_rate(files: list[tuple[str, bytes]], processes: int, out: Path) -> Baseline | None:
    """Time trafilatura alone over ``files`` on ``processes`` processes, the lines
    written to ``out``; None when fewer than half of the files are HTML."""
    pages = [data for _, data in files]
    if not pages or sum(map(looks_like_html, pages)) * 2 < len(pages):
        return None
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(max(1, processes)) as pool:
        pool.starmap(_ready, [()] * max(1, processes))
        t0 = time.perf_counter()
        cpu = 0.0
        extracted = 0
        with out.open("wb") as sink:
            for line, seconds in pool.imap(_extract, pages, chunksize=4):
                sink.write(line)
                cpu += seconds
                extracted += line != b"null\n"
        elapsed = time.perf_counter() - t0
    return Baseline(rate=len(pages) / elapsed, cpu_ms=cpu * 1000 / len(pages),
                    extracted=extracted, pages=len(pages))
