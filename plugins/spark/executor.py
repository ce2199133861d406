"""What runs inside a Spark executor: one file's bytes in, its records as JSON lines out.

Spark calls :func:`records_of` in its Python worker processes (a Python UDF).
Each of those processes keeps one newsdesk worker (:class:`newsdesk.workers.Pool`
of size 1, spawned at the first file and kept while Spark reuses the Python
worker), so the plugins are configured, and their models loaded, once per
process, not per batch. The plugins run in that newsdesk worker, not in
Spark's: a plugin that hangs past ``daemon.timeout_s`` or kills its process
costs its own article (a ``failed`` record, as in the daemon), and the
worker is replaced.

Nothing here imports pyspark: this module is plain Python, testable without Spark.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

import orjson

from newsdesk import identity
from newsdesk.app import Settings
from newsdesk.article import Article, Source, now_iso
from newsdesk.output import dumps
from newsdesk.pipeline import failed_article
from newsdesk.scan import is_ignored
from newsdesk.workers import Pool, Result, Task

#: What marks an empty-file notice (see ``driver.EmptyFiles``).
NOTICE_KEY = "newsdesk_empty_file"


@dataclass(frozen=True)
class JobSpec:
    """What every executor needs to know, sent with the UDF (picklable)."""

    settings: Settings
    timeout_s: float
    start_timeout_s: float
    max_bytes: int
    ignore: tuple[str, ...]
    log_level: str
    #: The local folder of the driver's empty-file notices.
    notices: str


_POOLS: dict[bytes, Pool] = {}
_SEQ = count()


def _pool(job: JobSpec) -> Pool:
    """The newsdesk worker of this Python process for ``job``, started at first use."""
    key = pickle.dumps(job)
    pool = _POOLS.get(key)
    if pool is None:
        from newsdesk import log

        log.setup(job.log_level, "json")
        pool = Pool(job.settings, 1, job.timeout_s, root=None, max_bytes=job.max_bytes,
                    depth=1, log_level=job.log_level, log_format="json",
                    start_timeout_s=job.start_timeout_s)
        pool.start()
        atexit.register(pool.stop)
        _POOLS[key] = pool
    return pool


def local_path(uri: str) -> tuple[str, str]:
    """Return the path a record shows for ``uri`` (a local path for ``file:`` URIs, as
    ``newsdesk process`` shows it; the URI itself elsewhere) and the file's name.

    Spark gives a file's path as Hadoop prints it: ``file:/dir/a b.txt``, not
    percent-encoded (so not parsed as a URL: a name may hold ``%`` or a newline).
    """
    name = uri.rpartition("/")[2]
    if uri.startswith("file:"):
        path = uri.removeprefix("file:")
        return ("/" + path.lstrip("/") if path.startswith("//") else path), name
    return uri, name


def source_of(uri: str, mtime_s: float, size: int) -> Source:
    path, name = local_path(uri)
    mtime = datetime.fromtimestamp(mtime_s, UTC).isoformat(timespec="seconds")
    return Source(path=path, name=name, size=size, mtime=mtime.replace("+00:00", "Z"),
                  received=now_iso())


def _notice(uri: str, content: bytes, job: JobSpec) -> tuple[str, float] | None:
    """The empty file a notice stands for, or None when ``uri`` is not a notice."""
    if not local_path(uri)[0].startswith(job.notices.rstrip("/") + "/"):
        return None
    notice = orjson.loads(content)
    return str(notice[NOTICE_KEY]), float(notice["mtime"])


def records_of(job: JobSpec, uri: str, mtime_s: float, content: bytes) -> list[str]:
    """Run the plugin chain on one file; return its records as JSON lines (no newline).

    Ignored names (``daemon.ignore``: temporary and hidden files) give no record.
    """
    notice = _notice(uri, content, job)
    if notice is not None:
        uri, mtime_s = notice
        content = b""
    source = source_of(uri, mtime_s, len(content))
    if is_ignored(source.name, list(job.ignore)):
        return []
    if len(content) > job.max_bytes:
        reason = (f"file is {len(content):,} bytes, over the limit of {job.max_bytes:,} "
                  "(daemon.max_file_mb)")
        articles = [failed_article(source, unread_id(uri, source), "read", "intake", reason)]
    else:
        articles = _run(_pool(job), uri, source, content)
    return [dumps(a.to_record()).decode("utf-8").rstrip("\n") for a in articles]


def _run(pool: Pool, uri: str, source: Source, content: bytes) -> list[Article]:
    seq = next(_SEQ)
    while pool.capacity <= 0:  # the pool starts its worker from a thread: wait for it
        pool.poll(1.0)  # raises WorkerStartError when the worker cannot be started
    pool.submit(Task(seq, source.path, given=(source, content)))
    while True:
        results, resend = pool.poll(1.0)
        for task in resend:  # none with one task at a time; kept for the contract
            pool.submit(task)
        for result in results:
            if result.task is not None and result.task.seq == seq:
                return _articles(result, uri, source)


def unread_id(uri: str, source: Source) -> str:
    """The id of a file whose bytes did not make articles (refused, or lost with its
    worker), as :func:`newsdesk.identity.unread_id` gives it for a local file; a remote
    file by its URL, size and time (no inode to name it by)."""
    if uri.startswith("file:") and os.path.lexists(source.path):
        return identity.unread_id(source.path)
    h = hashlib.sha256(b"unread\0")
    h.update(f"{uri}\0{source.size}\0{source.mtime}".encode())
    return h.hexdigest()


def _articles(result: Result, uri: str, source: Source) -> list[Article]:
    if result.lost:
        return [failed_article(source, unread_id(uri, source), "worker", "spark", result.lost)]
    return result.articles

