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

from newsdesk import output, ready
from newsdesk.app import App
from newsdesk.article import Article, now_iso
from newsdesk.disposal import Mover
from newsdesk.errors import EXIT_OK, PathError, PluginError
from newsdesk.intake import placeholder_source
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
        self.inbox = config.path("inbox").absolute()
        self.archive_dir = config.path("archive").absolute()
        self.failed_dir = config.path("failed").absolute()
        if not self.inbox.is_dir():
            raise PathError(f"{self.inbox}: inbox folder not found (paths.inbox, --inbox)")
        self.max_bytes = int(config.daemon.max_file_mb * 1024 * 1024)
        self.journal = Journal(config.path("state") / "journal.sqlite3")
        workers = config.daemon.workers or os.cpu_count() or 1
        self.pool = Pool(app.settings, workers, config.daemon.timeout_s,
                         root=str(self.inbox), max_bytes=self.max_bytes,
                         log_level=config.log.level, log_format=config.log.format,
                         start_timeout_s=config.daemon.start_timeout_s)
        self.watcher = Watcher(
            self.inbox, self._notify, ignore=config.daemon.ignore,
            polling=config.daemon.observer == "polling",
            poll_interval_s=config.daemon.poll_interval_s, stable_s=config.daemon.stable_s,
            on_overflow=self._on_overflow,
        )
        self._rescan_now = False
        self._shed = False  # paths were left out of a full queue
        self.mover = Mover(after=config.daemon.after, archive=self.archive_dir,
                           failed=self.failed_dir)
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)
        self._incoming: deque[Path] = deque()
        self._incoming_lock = threading.Lock()
        self.queue: deque[Path] = deque()
        self.queued: set[Path] = set()
        self.in_flight: set[str] = set()  # paths from submission until handed to the mover
        self.again: set[str] = set()  # paths reported again while in flight
        self.unwritten: set[str] = set()  # content hashes waiting to be written
        self.deferred: dict[str, list[Path]] = {}  # same content arriving twice at once
        self.ready: list[Finished] = []
        self.skip_ids: set[str] = set()
        self.stopping = False
        self.seq = 0
        self.written = 0
        self._retry_at = 0.0
        self.written_not_done: list[str] = []
        self._wake_pending = threading.Event()
        self.plugin_ms: dict[str, float] = {}
        self.articles_timed = 0
        self._loaded_told = False

    # --- signals and the watcher thread ---------------------------------------------

    def _notify(self, path: Path) -> None:
        with self._incoming_lock:
            self._incoming.append(path)
        self._wake()

    def _wake(self) -> None:
        if self._wake_pending.is_set():
            return  # the loop has not drained the last wake-up yet
        self._wake_pending.set()
        try:
            os.write(self._wake_w, b"x")
        except BlockingIOError:
            pass  # the pipe is full: the loop is awake anyway

    def _on_overflow(self) -> None:
        log.warning("the kernel dropped inbox events (queue overflow); rescanning the inbox")
        self._rescan_now = True
        self._wake()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise KeyboardInterrupt
        self.stopping = True
        self._wake()

    # --- the loop --------------------------------------------------------------------

    def run(self) -> int:
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.mover.start()
            self.recover()
            if not self.once:
                self.watcher.start()
            log.info("watching", inbox=str(self.inbox), workers=self.pool.size,
                     once=self.once, config=self.config.where)
            self._enqueue(backlog(self.inbox, self.config.daemon.ignore)[0])
            self.app.pm.hook.newsdesk_startup(config=self.config)
            self.pool.start()
            ready.log_ready(log, workers=self.pool.size, loaded=self.pool.loaded)
            self._loop()
            # The last batch's records are written: mark it done now (a batch is marked
            # with the next one's commit, and there is none), or the next start would
            # take this clean stop for a crash and recover.
            if self.written_not_done:
                self.journal.mark_done(self.written_not_done)
                self.written_not_done = []
        except WorkerStartError as exc:
            raise PluginError(f"a worker could not start its plugins: {exc}") from exc
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)
            self.watcher.stop()
            self.pool.stop()
            if self.mover.is_alive():
                self.mover.close()
            self.app.shutdown()
            self.journal.close()
            os.close(self._wake_r)
            os.close(self._wake_w)
        n = max(1, self.articles_timed)
        log.info("stopped", written=self.written, workers_replaced=self.pool.replaced,
                 plugin_mean_ms={k: round(v / n, 4) for k, v in sorted(self.plugin_ms.items())})
        return EXIT_OK

    def _loop(self) -> None:
        next_health = time.monotonic() + 1.0
        rescan_s = self.config.daemon.rescan_s
        next_rescan = time.monotonic() + rescan_s if rescan_s > 0 else float("inf")
        while True:
            self._drain_incoming()
            if not self.stopping:
                self._feed()
            busy = self.pool.in_flight > 0
            if self.stopping and not busy and not self.ready:
                break  # files still queued were not taken: they stay in the inbox
            if self.once and not (busy or self.ready or self.queue or self._shed
                                  or self.watcher.waiting):
                break
            timeout = self._timeout(busy)
            results, resend = self.pool.poll(timeout, [self._wake_r])
            self._drain_wake()
            for task in resend:
                self.pool.submit(task)
            for result in results:
                self._finish(result)
            self._drain_incoming()
            if not self.stopping:
                self._feed()  # keep the workers busy before deciding to flush
            self._flush()
            if not self._loaded_told and self.pool.loaded == self.pool.size:
                self._loaded_told = True
                ready.log_workers_loaded(log, workers=self.pool.size)
            now = time.monotonic()
            if now >= next_health:
                next_health = now + 1.0
                self._check_watcher()
            if self._shed and len(self.queue) < self.config.daemon.queue_size // 2:
                self._shed = False
                self._rescan(settled_only=self.once)
            if not self.once and (self._rescan_now or now >= next_rescan):
                self._rescan_now = False
                next_rescan = now + rescan_s if rescan_s > 0 else float("inf")
                self._rescan()
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
        self._wake_pending.clear()
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
        limit = self.config.daemon.queue_size
        for path in paths:
            if path in self.queued:
                continue
            if len(self.queue) >= limit:
                self._shed = True  # left in the inbox; a rescan takes it later
                continue
            self.queued.add(path)
            self.queue.append(path)

    def _check_watcher(self) -> None:
        if self.once or self.stopping or self.watcher.alive():
            return
        log.error("the inbox watcher stopped; restarting it and rescanning the inbox")
        self.watcher.stop()
        self.watcher.start()
        self._rescan()

    def _rescan(self, settled_only: bool = False) -> None:
        """Take files that no event announced (events lost, watcher restarted, a full
        queue)."""
        stable_before = None if settled_only else time.time() - self.config.daemon.stable_s
        settled, fresh = backlog(self.inbox, self.config.daemon.ignore, stable_before)
        found = 0
        for path in settled:
            key = str(path)
            if key in self.in_flight or path in self.queued or self.mover.is_moving(path):
                continue
            if self.mover.kept and self.mover.is_kept(path):
                continue
            found += 1
            self._enqueue([path])
        for path in fresh:
            self.watcher.candidate(path)
        if found:
            log.info("rescan took files that were waiting in the inbox", files=found)

    # --- taking files ----------------------------------------------------------------

    def _feed(self) -> None:
        while self.queue and self.pool.capacity > 0:
            path = self.queue.popleft()
            self.queued.discard(path)
            self._take(path)

    def _take(self, path: Path) -> None:
        key = str(path)
        if key in self.in_flight:
            self.again.add(key)  # look again once the current read is done
            return
        self.seq += 1
        self.in_flight.add(key)
        self.pool.submit(Task(self.seq, key))

    # --- finishing --------------------------------------------------------------------

    def _finish(self, result: Result) -> None:
        task = result.task
        assert task is not None
        path = Path(task.path)
        if result.lost:
            source, raw = placeholder_source(path)
            article = failed_article(source, raw, "worker", "daemon", result.lost)
            self.ready.append(Finished(path, article.id, [article], lost=result.lost))
            return
        if result.vanished:
            log.debug("file not taken yet", file=path.name, reason=result.vanished)
            self._release(path)
            return
        digest = result.digest
        if result.refused:
            log.warning("file refused", file=path.name, article=digest[:12],
                        reason=result.refused)
            self.ready.append(Finished(path, digest, result.articles))
            return
        if digest in self.unwritten:  # the same content is being written: wait for it
            self.deferred.setdefault(digest, []).append(path)
            self.in_flight.discard(task.path)
            return
        if digest in self.written_not_done:
            self._skip_seen(path, digest)
            return
        for key, ms in result.plugin_ms.items():
            self.plugin_ms[key] = self.plugin_ms.get(key, 0.0) + ms
        for article in result.articles:
            run_stages(self.app.pm, article, MAIN_STAGES, self.plugin_ms)
        self.articles_timed += len(result.articles)
        self.unwritten.add(digest)
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
        seen = self.journal.done_among([f.digest for f in batch if not f.lost])
        if seen:
            for f in batch:
                if f.digest in seen:
                    self._skip_seen(f.path, f.digest)
            batch = [f for f in batch if f.digest not in seen]
        records = [a.to_record() for f in batch for a in f.articles
                   if a.id not in self.skip_ids]
        self.journal.commit(
            [(f.digest, f.path.name, [a.id for a in f.articles],
              "failed" if f.failed else "ok") for f in batch],
            done=self.written_not_done,
        )
        self.written_not_done = []
        try:
            output.write(self.app.pm, output.Batch.of(records))
        except Exception as exc:
            log.error("could not write records; will retry", error=f"{type(exc).__name__}: "
                      f"{exc}", records=len(records), exc_info=True)
            self.ready = batch + self.ready
            self._retry_at = now + RETRY_S
            return
        self._retry_at = 0.0
        self.written_not_done = [f.digest for f in batch]  # marked done with the next batch
        self.written += len(records)
        for f in batch:
            for a in f.articles:
                if a.errors:
                    log.warning("article written with errors", article=a.id[:12],
                                file=f.path.name, status=a.status, errors=a.errors)
                else:
                    log.debug("article written", article=a.id[:12], file=f.path.name)
            self._dispose(f.path, failed=f.failed, error=f.error_info())
            self.unwritten.discard(f.digest)
            self._enqueue(self.deferred.pop(f.digest, []))

    def _skip_seen(self, path: Path, digest: str) -> None:
        log.info("content already processed; skipped", file=path.name, article=digest[:12])
        self.unwritten.discard(digest)
        self._dispose(path, failed=False, error=None)

    def _dispose(self, path: Path, *, failed: bool, error: dict[str, Any] | None) -> None:
        self.mover.put(path, failed, error)
        self._release(path)

    def _release(self, path: Path) -> None:
        """The daemon is done with ``path``: look at it again if it was reported meanwhile."""
        key = str(path)
        self.in_flight.discard(key)
        if key in self.again:
            self.again.discard(key)
            self._enqueue([path])

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
