"""A file read line by line in a worker (JSON lines): each line's article goes back to
the daemon as soon as its worker stages are done, as a :class:`Part`.

Parts are contiguous: each covers the bytes from where the last one stopped to the end
of its line (blank lines before it included), so the daemon always knows how far the
file got, and where to send it on from when a line costs its worker (past
``daemon.timeout_s``, or a crash): that line is then failed without being read again
and the file goes on from the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from newsdesk.article import Article
from newsdesk.identity import article_id
from newsdesk.intake import Lines
from newsdesk.pipeline import WORKER_STAGES, failed_article, read, run_stages


@dataclass
class Part:
    """Articles of a file read by line: bytes ``start`` to ``stop`` of it, whose last
    line is number ``line``."""

    articles: list[Article]
    start: int
    stop: int
    line: int
    plugin_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Resume:
    """Where a file read by line starts: byte ``start``, after line number ``line``;
    ``fail_first``: the first line there cost a worker (the reason), so it is failed
    without being read again."""

    start: int = 0
    line: int = 0
    fail_first: str | None = None


def stream(pm: Any, lines: Lines, at: Resume, max_line: int, send: Callable[[Part], None],
           stopped: Callable[[], bool]) -> bool:
    """Read ``lines`` from ``at``, run the worker stages on each line's article and
    ``send`` it as a part. Returns False when ``stopped`` said so before the end."""
    number = at.line
    fail_first = at.fail_first
    start = at.start
    for offset, end, raw in lines.read(at.start, max_line):
        if stopped():
            return False
        number += 1
        if raw is not None and not raw.strip():
            continue  # a blank line: no article; the next part covers it
        source = replace(lines.source, line=number)
        plugin_ms: dict[str, float] = {}
        if fail_first is not None:
            articles = [failed_article(source, article_id(lines.digest, number), "worker",
                                       "daemon", f"line {number}: {fail_first}")]
            fail_first = None
        elif raw is None:
            articles = [failed_article(
                source, article_id(lines.digest, number), "read", "intake",
                f"line {number} is {end - offset:,} bytes, over the limit of {max_line:,} "
                "(daemon.max_file_mb)")]
        else:
            data = raw[:-1] if raw.endswith(b"\n") else raw
            articles = read(pm, source, data.removesuffix(b"\r"), lines.digest)
            for article in articles:
                run_stages(pm, article, WORKER_STAGES, plugin_ms)
        send(Part(articles, start, end, number, plugin_ms))
        start = end
    return True
