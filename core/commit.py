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

    @property
    def failed(self) -> bool:
        return bool(self.lost) or all(a.failed for a in self.articles)

    @property
    def name(self) -> str:
        return safe_name(self.path.name)

    def error_info(self) -> dict[str, Any] | None:
        errors = [dict(e, article=a.id, line=a.source.line)
                  for a in self.articles if a.failed for e in a.errors]
        if self.lost:
            errors.append({"stage": "worker", "message": self.lost})
        if not errors:
            return None
        return {"file": self.name, "id": self.digest, "time": now_iso(), "errors": errors}


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

    def timeout(self) -> float | None:
        """Seconds until the oldest ready record is due, None when nothing is ready."""
        if not self.ready:
            return None
        oldest = self.ready[0].done_at + self.batch_s
        if self.retry_at:
            oldest = max(oldest, self.retry_at)
        return max(0.0, oldest - time.monotonic())

    def flush(self, in_flight: int) -> None:
        """Write a batch if one is due: full, old enough, or nothing else in flight."""
        if not self.ready:
            return
        now = time.monotonic()
        if now < self.retry_at:
            return
        due = self.ready[0].done_at + self.batch_s
        if in_flight and now < due and len(self.ready) < MAX_BATCH:
            return
        batch, self.ready = self.ready[:MAX_BATCH], self.ready[MAX_BATCH:]
        seen = self.journal.done_among([f.digest for f in batch if not f.lost])
        if seen:
            for f in batch:
                if f.digest in seen:
                    self.skip_seen(f.path, f.digest, f.taken)
            batch = [f for f in batch if f.digest not in seen]
        records = [a.to_record() for f in batch for a in f.articles
                   if a.id not in self.skip_ids]
        try:
            self.journal.commit(
                [(f.digest, f.name, [a.id for a in f.articles],
                  "failed" if f.failed else "ok") for f in batch],
                done=self.written_not_done,
            )
        except (sqlite3.Error, OSError) as exc:
            if not is_no_space(exc):
                raise
            self.pause.no_space("the state disk", exc)
            self.ready = batch + self.ready
            self.retry_at = now + RETRY_S
            return
        self.written_not_done = []
        try:
            output.write(self.pm, output.Batch.of(records))
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
        self.written_not_done = [f.digest for f in batch]  # marked done with the next batch
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
