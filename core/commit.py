"""Commit: what happens to a file once a worker is done with it.

For a batch of finished files: journal "pending", write the records (sinks make them
durable), journal "done" (with the next batch's commit), and only then hand the files
to the mover. After a crash, :meth:`Committer.recover` settles the pending rows from
what the sinks hold. Runs in the daemon's loop thread only.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pluggy
import structlog

from newsdesk import output
from newsdesk.admission import Admission, key_of
from newsdesk.article import Article, now_iso
from newsdesk.disposal import Mover
from newsdesk.guard import HookGuard
from newsdesk.journal import Journal
from newsdesk.metrics import Metrics
from newsdesk.names import safe_name
from newsdesk.pipeline import MAIN_STAGES, failed_article, run_stages
from newsdesk.space import Pause, is_no_space
from newsdesk.workers import Result

log = structlog.get_logger("newsdesk.daemon")

#: Records written at most per batch; a batch is also flushed when nothing is in flight
#: or when its oldest record has waited ``output.batch_ms``.
MAX_BATCH = 512
#: Seconds between retries of a batch the sinks refused (a full disk, say).
RETRY_S = 2.0
#: While files wait in the inbox beyond what the workers hold (a burst), a batch waits
#: this many times ``output.batch_ms`` for company: each batch costs three synced writes
#: and two SQLite commits whatever its size, and a file in a burst waits far longer in
#: the queue than this. At a steady rate the queue is empty and ``batch_ms`` holds.
BURST_FACTOR = 5


@dataclass
class Finished:
    """A file whose records are ready to be written."""

    path: Path
    digest: str
    articles: list[Article]
    lost: str | None = None
    #: What the file was when it was taken (dev, ino, size, mtime_ns), for the mover.
    taken: tuple[int, int, int, int] | None = None
    done_at: float = field(default_factory=time.monotonic)
    #: Some articles of a file read by line: its bytes (start, stop) and last line.
    part: tuple[int, int, int] | None = None
    #: The end of a file read by line (its parts came before): the file's own row.
    stream: Stream | None = None

    @property
    def failed(self) -> bool:
        if self.stream is not None:
            return self.stream.failed
        return bool(self.lost) or all(a.failed for a in self.articles)

    @property
    def name(self) -> str:
        return safe_name(self.path.name)

    @property
    def whole(self) -> bool:
        """A file whose records came together (not a part or the end of one read by line)."""
        return self.part is None and self.stream is None

    def error_info(self) -> dict[str, Any] | None:
        errors = [dict(e, article=a.id, line=a.source.line)
                  for a in self.articles if a.failed for e in a.errors]
        if self.stream is not None:
            errors = list(self.stream.errors)  # the failed lines of every part and the end
            if self.stream.more_errors:
                errors.append({"stage": "daemon", "message": f"{self.stream.more_errors} "
                               "more failed lines (see their records)"})
        if self.lost:
            errors.append({"stage": "worker", "message": self.lost})
        if not errors:
            return None
        return {"file": self.name, "id": self.digest, "time": now_iso(), "errors": errors}


#: Failed lines of a file read by line listed in its report (the rest are counted).
REPORT_ERRORS = 100


@dataclass
class Stream:
    """A file read by line, between its first part and its end."""

    path: Path
    digest: str
    #: Its parts are not written: the same content is written by another file, or done.
    dropped: bool = False
    ok: int = 0
    failed_lines: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    more_errors: int = 0
    #: Set at the end: every article failed (none before a restart either).
    failed: bool = False

    def count(self, articles: list[Article]) -> None:
        for a in articles:
            if not a.failed:
                self.ok += 1
                continue
            self.failed_lines += 1
            for e in a.errors:
                if len(self.errors) < REPORT_ERRORS:
                    self.errors.append(dict(e, article=a.id, line=a.source.line))
                else:
                    self.more_errors += 1


def journal_rows(batch: list[Finished]) -> tuple[list[tuple[str, str, list[str], str]],
                                                list[tuple[str, str, int, int, int]]]:
    """The journal rows of a batch: one a whole file; for a file read by line, one for
    its parts in the batch (key ``<hash>:<first byte>``, with a row of ``parts``), or,
    when its end is in the batch, the file's own row with those parts' ids."""
    rows: list[tuple[str, str, list[str], str]] = []
    parts: list[tuple[str, str, int, int, int]] = []
    groups: dict[tuple[Path, str], list[Finished]] = {}
    for f in batch:
        if f.whole:
            rows.append((f.digest, f.name, [a.id for a in f.articles],
                         "failed" if f.failed else "ok"))
        else:
            groups.setdefault((f.path, f.digest), []).append(f)
    for (_, digest), group in groups.items():
        ids = [a.id for f in group for a in f.articles]
        end = next((f for f in group if f.stream is not None), None)
        if end is not None:
            rows.append((digest, end.name, ids, "failed" if end.failed else "ok"))
            continue
        first, last = group[0].part, group[-1].part
        assert first is not None and last is not None
        key = f"{digest}:{first[0]}"
        ok = any(not a.failed for f in group for a in f.articles)
        rows.append((key, group[0].name, ids, "ok" if ok else "failed"))
        parts.append((key, digest, first[0], last[1], last[2]))
    return rows, parts


class Committer:
    """Writes finished files' records exactly once and then disposes of the files."""

    def __init__(self, pm: pluggy.PluginManager, journal: Journal, mover: Mover,
                 admission: Admission, *, batch_ms: float, guard: HookGuard,
                 pause: Pause, metrics: Metrics) -> None:
        self.pm = pm
        self.guard = guard
        self.pause = pause
        self.metrics = metrics
        #: Records written since start, by status, and the last error an article had.
        self.counts = {"ok": 0, "partial": 0, "failed": 0}
        self.last_error: dict[str, str] | None = None
        self.journal = journal
        self.mover = mover
        self.admission = admission
        self.batch_s = batch_ms / 1000
        self.ready: list[Finished] = []
        #: Files read by line whose parts are coming in, by task.
        self.streams: dict[int, Stream] = {}
        self.unwritten: set[str] = set()  # content hashes waiting to be written
        self.deferred: dict[str, list[Path]] = {}  # same content arriving twice at once
        self.written_not_done: list[str] = []
        self.skip_ids: set[str] = set()
        self.retry_at = 0.0
        self.written = 0
        self.plugin_ms: dict[str, float] = {}
        self.articles_timed = 0

    # --- finishing ---------------------------------------------------------------------

    def add(self, finished: Finished) -> None:
        self.ready.append(finished)

    def finish(self, path: Path, result: Result) -> None:
        """Take a worker's result for ``path``: run the main-process stages and queue its
        records, or skip content already written."""
        digest = result.digest
        if result.seen or digest in self.written_not_done:
            self.skip_seen(path, digest, result.taken)
            return
        if digest in self.unwritten:  # the same content is being written: wait for it
            self.deferred.setdefault(digest, []).append(path)
            self.admission.in_flight.discard(key_of(path))
            return
        for key, ms in result.plugin_ms.items():
            self.plugin_ms[key] = self.plugin_ms.get(key, 0.0) + ms
        why = self.guard.set_aside(digest)
        if why is not None:
            log.error("file set aside: it crashed the daemon before", file=safe_name(path.name),
                      article=digest[:12], reason=why)
            source = result.articles[0].source if result.articles else None
            if source is not None:
                article = failed_article(source, digest, "index", "daemon", why)
                self.ready.append(Finished(path, digest, [article], taken=result.taken))
                self.unwritten.add(digest)
                return
        for article in result.articles:
            self._main_stages(path, digest, article)
        self.articles_timed += len(result.articles)
        self.unwritten.add(digest)
        self.ready.append(Finished(path, digest, result.articles, taken=result.taken))

    # --- files read by line -----------------------------------------------------------

    def _stream(self, seq: int, path: Path, digest: str) -> Stream:
        """The stream of task ``seq`` (a new one when its file is new, or changed)."""
        stream = self.streams.get(seq)
        if stream is not None and stream.digest == digest:
            return stream
        if stream is not None:
            self.end_stream(seq)
        stream = Stream(path, digest)
        stream.dropped = (digest in self.unwritten or digest in self.written_not_done
                          or self.journal.state(digest) == "done")
        if not stream.dropped:
            self.unwritten.add(digest)
        self.streams[seq] = stream
        return stream

    def part(self, path: Path, seq: int, result: Result) -> None:
        """Some articles of a file read by line: the main-process stages, then queued
        to be written (before the file is done)."""
        part = result.part
        assert part is not None
        stream = self._stream(seq, path, result.digest)
        if stream.dropped:
            return  # written by the file that holds the same content, or done before
        for key, ms in result.plugin_ms.items():
            self.plugin_ms[key] = self.plugin_ms.get(key, 0.0) + ms
        for article in part.articles:
            why = self.guard.set_aside(article.id)
            if why is not None:
                log.error("line set aside: it crashed the daemon before",
                          file=safe_name(path.name), line=article.source.line, reason=why)
                article.fail("index", "daemon", why)
            elif not article.failed:
                self.guard.run(partial(run_stages, self.pm, article, MAIN_STAGES,
                                       self.plugin_ms),
                               digest=article.id, stage=MAIN_STAGES[0],
                               name=safe_name(path.name))
        self.articles_timed += len(part.articles)
        stream.count(part.articles)
        self.ready.append(Finished(path, result.digest, part.articles,
                                   part=(part.start, part.stop, part.line)))

    def finish_stream(self, path: Path, seq: int, result: Result,
                      rest: Article | None = None) -> None:
        """The end of a file read by line: its own row, then the file is disposed of.
        ``rest``: the failed record of what was left of it when it was given up."""
        digest = result.digest
        stream = self.streams.pop(seq, None) or Stream(path, digest)
        if stream.digest != digest:  # parts of an earlier version only
            self.unwritten.discard(stream.digest)
            stream = Stream(path, digest)
        if stream.dropped or (not stream.ok and not stream.failed_lines and (
                digest in self.unwritten or digest in self.written_not_done)):
            if digest in self.unwritten and self.journal.state(digest) != "done":
                self.deferred.setdefault(digest, []).append(path)  # written by its twin
                self.admission.in_flight.discard(key_of(path))
            else:
                self.skip_seen(path, digest, result.taken)
            return
        if rest is not None:
            stream.count([rest])
        stream.failed = (not stream.ok and stream.failed_lines > 0
                         and not self.journal.any_ok_part(digest))
        self.unwritten.add(digest)
        self.ready.append(Finished(path, digest, [rest] if rest else [], lost=result.lost,
                                   taken=result.taken, stream=stream))

    def end_stream(self, seq: int) -> None:
        """Forget the stream of task ``seq`` without an end (the file was left part way,
        or changed): its parts already queued are written; the file stays in the inbox."""
        stream = self.streams.pop(seq, None)
        if stream is not None and not stream.dropped:
            self.unwritten.discard(stream.digest)

    def _main_stages(self, path: Path, digest: str, article: Article) -> None:
        """The main-process stages on one article, each plugin within
        ``daemon.hook_timeout_s`` (a plugin past it is recorded in ``errors``)."""
        if article.failed:
            return
        self.guard.run(lambda: run_stages(self.pm, article, MAIN_STAGES, self.plugin_ms),
                       digest=digest, stage=MAIN_STAGES[0], name=safe_name(path.name))

    def skip_seen(self, path: Path, digest: str,
                  taken: tuple[int, int, int, int] | None = None) -> None:
        log.info("content already processed; skipped", file=safe_name(path.name),
                 article=digest[:12])
        self.unwritten.discard(digest)
        self.dispose(path, failed=False, error=None, taken=taken)

    def dispose(self, path: Path, *, failed: bool, error: dict[str, Any] | None,
                taken: tuple[int, int, int, int] | None) -> None:
        self.mover.put(path, failed, error, taken)
        self.admission.release(key_of(path))

    # --- writing -----------------------------------------------------------------------

    @property
    def wait_s(self) -> float:
        """How long a batch waits for company: ``output.batch_ms``, or ``BURST_FACTOR``
        times that while files are queued beyond what the workers hold."""
        return self.batch_s * BURST_FACTOR if self.admission.queue else self.batch_s

    def timeout(self) -> float | None:
        """Seconds until the oldest ready record is due, None when nothing is ready."""
        if not self.ready:
            return None
        oldest = self.ready[0].done_at + self.wait_s
        if self.retry_at:
            oldest = max(oldest, self.retry_at)
        return max(0.0, oldest - time.monotonic())

    def flush(self, in_flight: int) -> None:
        """Write a batch if one is due: full, old enough (``wait_s``), or nothing else in
        flight."""
        if not self.ready:
            return
        now = time.monotonic()
        if now < self.retry_at:
            return
        due = self.ready[0].done_at + self.wait_s
        if in_flight and now < due and len(self.ready) < MAX_BATCH:
            return
        batch, self.ready = self.ready[:MAX_BATCH], self.ready[MAX_BATCH:]
        seen = self.journal.done_among([f.digest for f in batch if f.whole])
        if seen:
            for f in batch:
                if f.whole and f.digest in seen:
                    if f.lost:  # its failed record is written (then a crash): not twice
                        self.unwritten.discard(f.digest)
                        self.dispose(f.path, failed=True, error=f.error_info(), taken=f.taken)
                    else:
                        self.skip_seen(f.path, f.digest, f.taken)
            batch = [f for f in batch if not (f.whole and f.digest in seen)]
        made = [a.record_and_line() for f in batch for a in f.articles
                if a.id not in self.skip_ids]
        records = [record for record, _ in made]
        rows, parts = journal_rows(batch)
        try:
            self.journal.commit(rows, done=self.written_not_done, parts=parts)
        except (sqlite3.Error, OSError) as exc:
            if not is_no_space(exc):
                raise
            self.pause.no_space("the state disk", exc)
            self.ready = batch + self.ready
            self.retry_at = now + RETRY_S
            return
        self.written_not_done = []
        try:
            output.write(self.pm, output.Batch(records, [line for _, line in made]))
        except Exception as exc:
            if is_no_space(exc):
                self.pause.no_space("the output disk", exc)
            else:
                log.error("could not write records; will retry", error=f"{type(exc).__name__}: "
                          f"{exc}", records=len(records), exc_info=True)
                self.last_error = {"time": now_iso(), "message": f"could not write records: "
                                                                 f"{type(exc).__name__}: {exc}"}
            self.ready = batch + self.ready
            self.retry_at = now + RETRY_S
            return
        self.retry_at = 0.0
        self.pause.room()
        self.metrics.written(records)
        for record in records:
            status = str(record.get("status", "ok"))
            self.counts[status] = self.counts.get(status, 0) + 1
        self.written_not_done = [r[0] for r in rows]  # marked done with the next batch
        self.written += len(records)
        for f in batch:
            for a in f.articles:
                if a.errors:
                    log.warning("article written with errors", article=a.id[:12],
                                file=f.name, status=a.status, errors=a.errors)
                    e = a.errors[-1]
                    self.last_error = {"time": now_iso(), "message": f"{f.name}: "
                                       f"{e.get('plugin', '?')} ({e.get('stage', '?')}): "
                                       f"{e.get('message', '')}"[:500]}
                else:
                    log.debug("article written", article=a.id[:12], file=f.name)
            if f.part is not None:
                for a in f.articles:
                    self.guard.forget(a.id)
                continue  # the file is disposed of at its end
            self.dispose(f.path, failed=f.failed, error=f.error_info(), taken=f.taken)
            self.guard.forget(f.digest)
            self.unwritten.discard(f.digest)
            self.admission.enqueue(self.deferred.pop(f.digest, []))

    def close(self) -> None:
        """Mark the last batch done: a batch is marked with the next one's commit, and
        there is none; without this a clean stop would look like a crash."""
        if self.written_not_done:
            try:
                self.journal.mark_done(self.written_not_done)
            except (sqlite3.Error, OSError) as exc:
                if not is_no_space(exc):
                    raise
                log.warning("could not mark the last batch done (no space); the next start "
                            "settles it from the stream", error=str(exc))
            self.written_not_done = []

    # --- crash recovery ----------------------------------------------------------------

    def recover(self) -> None:
        """Settle the files that were being written when the daemon last stopped."""
        entries = self.journal.pending()
        if not entries:
            return
        pending = frozenset(i for e in entries for i in e.ids)
        held = output.recover(self.pm, pending)
        done = [e.hash for e in entries if set(e.ids) <= held]
        again = [e.hash for e in entries if not set(e.ids) <= held]
        self.skip_ids |= held
        self.journal.mark_done(done)
        self.journal.forget(again)
        log.info("recovered after an unclean stop", written_before=len(done),
                 to_process_again=len(again))
