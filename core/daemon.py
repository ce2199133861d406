"""``newsdesk run``: the inbox daemon.

One thread owns everything that writes (journal, index stage, sinks, moving
files); the watcher thread only reports paths, and worker processes do the
reading and the worker stages. The order for each file is: take its bytes,
skip it if the journal has its content, process it in a worker, run the index
stage here, then for a batch of files: journal "pending", write the records
(sinks make them durable), journal "done", and only then archive the files.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import structlog

from newsdesk import output
from newsdesk.app import App
from newsdesk.article import Article, content_id, now_iso
from newsdesk.disposal import dispose
from newsdesk.errors import EXIT_OK, PathError, PluginError
from newsdesk.intake import Refused, Vanished, placeholder_source, take
from newsdesk.journal import Journal
from newsdesk.pipeline import MAIN_STAGES, failed_article, run_stages
from newsdesk.watcher import Watcher, backlog
from newsdesk.workers import Pool, Result, Task, WorkerStartError

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
    done_at: float = field(default_factory=time.monotonic)

    @property
    def failed(self) -> bool:
        return bool(self.lost) or all(a.failed for a in self.articles)

    def error_info(self) -> dict[str, Any] | None:
        errors = [dict(e, article=a.id, line=a.source.line)
                  for a in self.articles if a.failed for e in a.errors]
        if self.lost:
            errors.append({"stage": "worker", "message": self.lost})
        if not errors:
            return None
        return {"file": self.path.name, "time": now_iso(), "errors": errors}


class Daemon:
    """The inbox daemon of one configured :class:`App`."""

    def __init__(self, app: App, *, once: bool = False) -> None:
        self.app = app
        self.config = config = app.config
        self.once = once
        self.inbox = config.path("inbox")
        if not self.inbox.is_dir():
            raise PathError(f"{self.inbox}: inbox folder not found (paths.inbox, --inbox)")
        self.max_bytes = int(config.daemon.max_file_mb * 1024 * 1024)
        self.journal = Journal(config.path("state") / "journal.sqlite3")
        workers = config.daemon.workers or os.cpu_count() or 1
        self.pool = Pool(app.settings, workers, config.daemon.timeout_s,
                         log_level=config.log.level, log_format=config.log.format)
        self.watcher = Watcher(
            self.inbox, self._notify, ignore=config.daemon.ignore,
            polling=config.daemon.observer == "polling",
            poll_interval_s=config.daemon.poll_interval_s, stable_s=config.daemon.stable_s,
        )
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)
        self._incoming: deque[Path] = deque()
        self._incoming_lock = threading.Lock()
        self.queue: deque[Path] = deque()
        self.queued: set[Path] = set()
        self.in_flight: dict[str, Task] = {}  # content hash -> task
        self.unwritten: set[str] = set()  # hashes in flight or waiting to be written
        self.deferred: dict[str, list[Path]] = {}  # same content arriving twice at once
        self.ready: list[Finished] = []
        self.skip_ids: set[str] = set()
        self.stopping = False
        self.seq = 0
        self.written = 0
        self._retry_at = 0.0

    # --- signals and the watcher thread ---------------------------------------------

    def _notify(self, path: Path) -> None:
        with self._incoming_lock:
            self._incoming.append(path)
        self._wake()

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except BlockingIOError:
            pass  # the pipe is full: the loop is awake anyway

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise KeyboardInterrupt
        self.stopping = True
        self._wake()

    # --- the loop --------------------------------------------------------------------

    def run(self) -> int:
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.recover()
            if not self.once:
                self.watcher.start()
            log.info("watching", inbox=str(self.inbox), workers=self.pool.size,
                     once=self.once, config=self.config.where)
            self._enqueue(backlog(self.inbox, self.config.daemon.ignore))
            self.app.pm.hook.newsdesk_startup(config=self.config)
            self.pool.start()
            self._loop()
        except WorkerStartError as exc:
            raise PluginError(f"a worker could not start its plugins: {exc}") from exc
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)
            self.watcher.stop()
            self.pool.stop()
            self.app.shutdown()
            self.journal.close()
            os.close(self._wake_r)
            os.close(self._wake_w)
        log.info("stopped", written=self.written)
        return EXIT_OK

    def _loop(self) -> None:
        next_health = time.monotonic() + 1.0
        while True:
            self._drain_incoming()
            if not self.stopping:
                self._feed()
            busy = self.pool.in_flight > 0
            if not busy and not self.ready and not self.queue:
                if self.stopping or (self.once and not self.watcher.waiting):
                    break
            timeout = self._timeout(busy)
            results, resend = self.pool.poll(timeout, [self._wake_r])
            self._drain_wake()
            for task in resend:
                self.pool.submit(task)
            for result in results:
                self._finish(result)
            self._flush()
            now = time.monotonic()
            if now >= next_health:
                next_health = now + 1.0
                self._check_watcher()
            if self.watcher.waiting:
                self.watcher.settle()

    def _timeout(self, busy: bool) -> float:
        if self.ready:
            oldest = self.ready[0].done_at + self.config.output.batch_ms / 1000
            if self._retry_at:
                oldest = max(oldest, self._retry_at)
            return max(0.0, oldest - time.monotonic())
        if self.queue and self.pool.capacity > 0:
            return 0.0
        return min(1.0, self.config.daemon.stable_s / 2) if self.watcher.waiting else 1.0

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 65536):
                pass
        except BlockingIOError:
            pass

    def _drain_incoming(self) -> None:
        with self._incoming_lock:
            paths = list(self._incoming)
            self._incoming.clear()
        self._enqueue(paths)

    def _enqueue(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self.queued:
                self.queued.add(path)
                self.queue.append(path)

    def _check_watcher(self) -> None:
        if self.once or self.stopping or self.watcher.alive():
            return
        log.error("the inbox watcher stopped; restarting it and rescanning the inbox")
        self.watcher.stop()
        self.watcher.start()
        self._enqueue(backlog(self.inbox, self.config.daemon.ignore))

    # --- taking files ----------------------------------------------------------------

    def _feed(self) -> None:
        while self.queue and self.pool.capacity > 0:
            path = self.queue.popleft()
            self.queued.discard(path)
            self._take(path)

    def _take(self, path: Path) -> None:
        bound = log.bind(file=path.name)
        try:
            taken = take(path, self.inbox, self.max_bytes)
        except Vanished as exc:
            bound.info("file not taken yet", reason=str(exc))
            return
        except Refused as exc:
            source, raw = placeholder_source(path)
            article = failed_article(source, raw, "read", "intake", str(exc))
            bound.warning("file refused", article=article.id[:12], reason=str(exc))
            self.ready.append(Finished(path, article.id, [article]))
            return
        digest = content_id(taken.data)
        if digest in self.unwritten:
            self.deferred.setdefault(digest, []).append(path)
            return
        if self.journal.state(digest) == "done":
            bound.info("content already processed; skipped", article=digest[:12])
            self._dispose(path, failed=False, error=None)
            return
        self.seq += 1
        task = Task(self.seq, taken.source, taken.data, tag=(path, digest))
        self.in_flight[digest] = task
        self.unwritten.add(digest)
        self.pool.submit(task)

    # --- finishing --------------------------------------------------------------------

    def _finish(self, result: Result) -> None:
        path, digest = result.task.tag
        self.in_flight.pop(digest, None)
        if result.lost:
            article = failed_article(result.task.source, result.task.data, "worker",
                                     "daemon", result.lost)
            self.ready.append(Finished(path, digest, [article], lost=result.lost))
        else:
            for article in result.articles:
                run_stages(self.app.pm, article, MAIN_STAGES)
            self.ready.append(Finished(path, digest, result.articles))

    def _flush(self) -> None:
        if not self.ready:
            return
        now = time.monotonic()
        if now < self._retry_at:
            return
        due = self.ready[0].done_at + self.config.output.batch_ms / 1000
        if self.pool.in_flight and now < due and len(self.ready) < MAX_BATCH:
            return
        batch, self.ready = self.ready[:MAX_BATCH], self.ready[MAX_BATCH:]
        records = [a.to_record() for f in batch for a in f.articles
                   if a.id not in self.skip_ids]
        self.journal.mark_pending(
            (f.digest, f.path.name, [a.id for a in f.articles],
             "failed" if f.failed else "ok") for f in batch
        )
        try:
            output.write(self.app.pm, output.Batch.of(records))
        except Exception as exc:
            log.error("could not write records; will retry", error=f"{type(exc).__name__}: "
                      f"{exc}", records=len(records), exc_info=True)
            self.ready = batch + self.ready
            self._retry_at = now + RETRY_S
            return
        self._retry_at = 0.0
        self.journal.mark_done(f.digest for f in batch)
        self.written += len(records)
        for f in batch:
            for a in f.articles:
                log.info("article written", article=a.id[:12], file=f.path.name,
                         status=a.status)
            self._dispose(f.path, failed=f.failed, error=f.error_info())
            self.unwritten.discard(f.digest)
            self._enqueue(self.deferred.pop(f.digest, []))

    def _dispose(self, path: Path, *, failed: bool, error: dict[str, Any] | None) -> None:
        try:
            dispose(path, after=self.config.daemon.after, archive=self.config.path("archive"),
                    failed=self.config.path("failed"), failed_file=failed, error=error)
        except OSError as exc:
            log.error("could not move the file after processing", file=path.name,
                      error=str(exc))

    # --- crash recovery ---------------------------------------------------------------

    def recover(self) -> None:
        """Settle the files that were being written when the daemon last stopped."""
        entries = self.journal.pending()
        if not entries:
            return
        pending = frozenset(i for e in entries for i in e.ids)
        held = output.recover(self.app.pm, pending)
        done = [e.hash for e in entries if set(e.ids) <= held]
        again = [e.hash for e in entries if not set(e.ids) <= held]
        self.skip_ids |= held
        self.journal.mark_done(done)
        self.journal.forget(again)
        log.info("recovered after an unclean stop", written_before=len(done),
                 to_process_again=len(again))


def run_daemon(app: App, *, once: bool = False) -> int:
    """Run the daemon until SIGINT/SIGTERM (or, with ``once``, until the backlog is done)."""
    return Daemon(app, once=once).run()
