"""``newsdesk run``: the inbox daemon.

Three parts, one module each:

- admission (:mod:`newsdesk.admission`): which files wait, which are in flight, which
  to retry; the watcher thread only reports paths to it;
- the workers (:mod:`newsdesk.workers`): processes that take a file's bytes, skip
  content the journal already has, and run the worker stages;
- commit (:mod:`newsdesk.commit`): the index stage here, then for a batch of files:
  journal "pending", write the records (sinks make them durable), journal "done", and
  only then archive the files; recovery after a crash.

This module holds the loop that drives them, the signals, and start and stop. One
thread owns everything that writes (journal, index stage, sinks, handing files to the
mover).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import structlog

from newsdesk import heap, ready
from newsdesk.admission import Admission
from newsdesk.app import App
from newsdesk.article import Article
from newsdesk.commit import Committer, Finished
from newsdesk.disposal import Mover, restore_aside
from newsdesk.errors import EXIT_OK, ConfigError, PathError, PluginError
from newsdesk.guard import HookGuard, HookTimeout, time_limit
from newsdesk.identity import article_id
from newsdesk.intake import placeholder_source
from newsdesk.journal import Journal
from newsdesk.metrics import Metrics
from newsdesk.names import safe_name
from newsdesk.pipeline import failed_article
from newsdesk.sdnotify import notify
from newsdesk.space import Pause, is_no_space
from newsdesk.status import Snapshot, StatusFile
from newsdesk.watcher import Watcher, backlog
from newsdesk.workers import Pool, Result, Task, WorkerStartError, preload_modules

log = structlog.get_logger("newsdesk.daemon")

__all__ = ["Daemon", "Finished", "run_daemon"]

#: Seconds before a file another process has open for writing is looked at again
#: (at least ``daemon.stable_s``).
BUSY_RETRY_S = 0.5


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
        check_operations_settings(config.daemon, config.where)
        self.started = time.time()
        self.stopping = False
        self.pause = Pause()
        state = config.path("state")
        state.mkdir(parents=True, exist_ok=True)
        self.journal = self._until_room(lambda: Journal(state / "journal.sqlite3"))
        self.metrics = Metrics()
        self.status = StatusFile(state)
        self.guard = HookGuard(state, config.daemon.hook_timeout_s)
        self._ready_said = False
        self._stop_said = False
        self._restarts_seen = 0
        workers = config.daemon.workers or os.cpu_count() or 1
        self.pool = Pool(app.settings, workers, config.daemon.timeout_s,
                         root=str(self.inbox), max_bytes=self.max_bytes,
                         log_level=config.log.level, log_format=config.log.format,
                         start_timeout_s=config.daemon.start_timeout_s,
                         journal=str(self.journal.path), preload=preload_modules(app.pm))
        self.watcher = Watcher(
            self.inbox, self._notify, ignore=config.daemon.ignore,
            polling=config.daemon.observer == "polling",
            poll_interval_s=config.daemon.poll_interval_s, stable_s=config.daemon.stable_s,
            on_overflow=self._on_overflow,
        )
        self._rescan_now = False
        self.mover = Mover(after=config.daemon.after, archive=self.archive_dir,
                           failed=self.failed_dir, on_changed=self._notify)
        self.admission = Admission(config.daemon.queue_size, busy_elsewhere=self._held)
        self.trimmer = heap.Trimmer()
        self.commit = Committer(app.pm, self.journal, self.mover, self.admission,
                                batch_ms=config.output.batch_ms, guard=self.guard,
                                pause=self.pause, metrics=self.metrics)
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)
        self._wake_pending = threading.Event()
        self.seq = 0
        self._loaded_told = False
        self._interrupted = False
        #: Start-up's objects frozen out of the garbage collector's sweeps: when every
        #: worker is loaded, and after the first batch (the index's memory is loaded).
        self._frozen = {"ready": False, "written": False}

    def _held(self, key: str) -> bool:
        """True for a file the mover holds (being moved, or kept and unchanged)."""
        path = Path(key)
        return self.mover.is_moving(path) or bool(self.mover.kept and self.mover.is_kept(path))

    # --- signals and the watcher thread ---------------------------------------------

    def _notify(self, path: Path) -> None:
        self.admission.notify(path)
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
            restore_aside(self.inbox)
            self.guard.recover()
            self._until_room(self.commit.recover)
            if self.config.daemon.metrics_port:
                self.metrics.serve(self.config.daemon.metrics_port,
                                   self.config.daemon.metrics_address)
            if not self.once:
                self.watcher.start()
            log.info("watching", inbox=str(self.inbox), workers=self.pool.size,
                     once=self.once, config=self.config.where)
            self.admission.enqueue(backlog(self.inbox, self.config.daemon.ignore)[0])
            self.app.pm.hook.newsdesk_startup(config=self.config)
            self.pool.start()
            self.trimmer.start()  # what the daemon's threads free goes back to the system
            ready.log_ready(log, workers=self.pool.size, loaded=self.pool.loaded)
            self._loop()
            self._say_stopping()
            self.commit.close()
        except WorkerStartError as exc:
            raise PluginError(f"a worker could not start its plugins: {exc}") from exc
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)
            self._say_stopping()
            self.trimmer.close()
            self.watcher.stop()
            self.pool.stop()
            if self.mover.is_alive():
                self.mover.close()
            self._shutdown_plugins()
            self.guard.close()
            self._write_status()
            self.metrics.close()
            self.journal.close()
            os.close(self._wake_r)
            os.close(self._wake_w)
        n = max(1, self.commit.articles_timed)
        log.info("stopped", written=self.commit.written, workers_replaced=self.pool.replaced,
                 plugin_mean_ms={k: round(v / n, 4)
                                 for k, v in sorted(self.commit.plugin_ms.items())})
        return EXIT_OK

    # --- the loop --------------------------------------------------------------------

    def _loop(self) -> None:
        admission, commit = self.admission, self.commit
        next_health = time.monotonic() + 1.0
        rescan_s = self.config.daemon.rescan_s
        next_rescan = time.monotonic() + rescan_s if rescan_s > 0 else float("inf")
        while True:
            admission.drain_incoming()
            admission.due_retries()
            if not self.stopping:
                self._feed()
            elif not self._interrupted:
                self._interrupted = True
                self.pool.interrupt()  # files read by line stop after the line in hand
            busy = self.pool.in_flight > 0
            if self.stopping and not busy and (not commit.ready or commit.retry_at):
                # Files still queued were not taken: they stay in the inbox. Records that
                # cannot be written now (a full disk, a failing sink) are not waited for:
                # their files stay in the inbox too, and the next start settles them.
                break
            if self.once and not (busy or commit.ready or admission.waiting
                                  or self.watcher.waiting):
                break
            results, resend = self.pool.poll(self._timeout(busy), [self._wake_r])
            self._drain_wake()
            for task in resend:
                self.pool.submit(task)
            for result in results:
                self._finish(result)
            admission.drain_incoming()
            if not self.stopping:
                self._feed()  # keep the workers busy before deciding to flush
            commit.flush(self.pool.in_flight)
            if not self._loaded_told and self.pool.loaded == self.pool.size:
                self._loaded_told = True
                ready.log_workers_loaded(log, workers=self.pool.size)
                self._say_ready()
                self._freeze("ready")
            if commit.written and not self._frozen["written"]:
                self._freeze("written")
            now = time.monotonic()
            if now >= next_health:
                next_health = now + 1.0
                self._check_watcher()
                self._write_status()
            if admission.shed and len(admission.queue) < admission.limit // 2:
                admission.shed = False
                self._rescan(settled_only=self.once)
            if not self.once and (self._rescan_now or now >= next_rescan):
                self._rescan_now = False
                next_rescan = now + rescan_s if rescan_s > 0 else float("inf")
                self._rescan()
            if self.watcher.waiting:
                self.watcher.settle()

    def _freeze(self, moment: str) -> None:
        """Move every object made so far (modules, plugins, the index's memory) out of the
        garbage collector's way (:func:`settle_collector`)."""
        self._frozen[moment] = True
        heap.settle_collector()

    def _timeout(self, busy: bool) -> float:
        due = self.commit.timeout()
        if due is not None:
            return due
        if self.admission.queue and self.pool.capacity > 0:
            return 0.0
        wait = min(1.0, self.config.daemon.stable_s / 2) if self.watcher.waiting else 1.0
        retry = self.admission.next_retry_in()
        return wait if retry is None else min(wait, retry)

    def _drain_wake(self) -> None:
        self._wake_pending.clear()
        try:
            while os.read(self._wake_r, 65536):
                pass
        except BlockingIOError:
            pass

    def _check_watcher(self) -> None:
        if self.once or self.stopping or self.watcher.alive():
            return
        log.error("the inbox watcher stopped; restarting it and rescanning the inbox")
        self.watcher.stop()
        self.watcher.start()
        self._rescan()

    def _rescan(self, settled_only: bool = False) -> None:
        stable_before = None if settled_only else time.time() - self.config.daemon.stable_s
        self.admission.rescan(self.inbox, self.config.daemon.ignore, stable_before,
                              self.watcher.candidate)

    # --- between admission and commit ---------------------------------------------------

    def _feed(self) -> None:
        if self.pause.paused:
            return  # no new file while a disk is full; the batch in hand is retried
        while self.pool.capacity > 0:
            key = self.admission.take_next()
            if key is None:
                return
            self.seq += 1
            self.pool.submit(Task(self.seq, key, by_line=True))

    def _finish(self, result: Result) -> None:
        task = result.task
        assert task is not None
        path = Path(task.path)
        if result.part is not None:  # some articles of a file read by line
            self.commit.part(path, task.seq, result)
            return
        if result.by_line and not result.seen and not (result.lost or result.vanished
                                                         or result.interrupted):
            self.commit.finish_stream(path, task.seq, result)
            return
        self.commit.end_stream(task.seq)
        if result.interrupted:
            log.info("file read by line left part way (stopping); the next start goes on "
                     "from where it got", file=safe_name(path.name))
            self.admission.release(task.path)
            return
        if result.lost and result.by_line:
            self.commit.finish_stream(path, task.seq, result, self._given_up(task, result))
            return
        if result.lost:
            source, unread = placeholder_source(path)
            article = failed_article(source, unread, "worker", "daemon", result.lost)
            self.commit.add(Finished(path, article.id, [article], lost=result.lost))
            return
        if result.busy:  # another process still writes it: look again in a while
            log.debug("file not taken yet", file=safe_name(path.name), reason=result.busy)
            self.admission.retry_later(task.path, max(BUSY_RETRY_S, self.config.daemon.stable_s))
            return
        if result.vanished:
            log.debug("file not taken yet", file=safe_name(path.name), reason=result.vanished)
            self.admission.release(task.path)
            return
        if result.refused:
            log.warning("file refused", file=safe_name(path.name), article=result.digest[:12],
                        reason=result.refused)
            self.commit.add(Finished(path, result.digest, result.articles))
            return
        self.commit.finish(path, result)


    def _given_up(self, task: Task, result: Result) -> Article:
        """The failed record of what was left of a file read by line when workers were
        lost on it again and again before it was even opened."""
        line = (task.resume.line if task.resume else 0) + 1
        source = replace(placeholder_source(Path(task.path))[0], line=line)
        return failed_article(source, article_id(result.digest, line), "worker", "daemon",
                              f"line {line} and after: not processed, the file was given up "
                              f"({result.lost})")

    # --- operations: readiness, status, metrics, a full disk -------------------------------

    def _until_room(self, action: Any) -> Any:
        """Run ``action``; while it fails for want of space, say so once a minute and try
        again every 2 s (a start on a full state disk waits instead of crashing)."""
        while True:
            try:
                done = action()
            except (sqlite3.Error, OSError) as exc:
                if not is_no_space(exc):
                    raise
                self.pause.no_space("the state disk", exc)
            else:
                self.pause.room()
                return done
            if self.stopping:
                raise KeyboardInterrupt
            time.sleep(2.0)

    def _say_ready(self) -> None:
        """Every worker is loaded: tell systemd (``Type=notify``) and the status file."""
        self._ready_said = True
        notify(f"READY=1\nSTATUS=workers loaded: {self.pool.size}")
        self._write_status()

    def _say_stopping(self) -> None:
        if not self._stop_said:
            self._stop_said = True
            notify("STOPPING=1")

    def _write_status(self) -> None:
        commit, m = self.commit, self.metrics
        replaced = self.pool.replaced
        if replaced > self._restarts_seen:
            m.worker_restarts.inc(replaced - self._restarts_seen)
            self._restarts_seen = replaced
        in_flight = self.pool.in_flight + len(commit.ready) if self.pool.workers else 0
        m.queue_depth.set(len(self.admission.queue))
        m.in_flight.set(in_flight)
        m.workers.set(self.pool.size)
        m.paused.set(1 if self.pause.paused else 0)
        last = commit.last_error
        if self.pause.paused:
            last = {"time": "now", "message": f"{self.pause.reason}; intake paused"}
        self.status.write(Snapshot(
            pid=os.getpid(), started=self.started, workers=self.pool.size,
            queue=len(self.admission.queue), in_flight=in_flight,
            written=dict(commit.counts), worker_restarts=replaced, last_error=last,
            paused=self.pause.reason, ready=self._ready_said))

    def _shutdown_plugins(self) -> None:
        """``newsdesk_shutdown`` in every plugin, each within ``daemon.hook_timeout_s`` (a
        plugin stuck there must not keep the daemon from stopping)."""
        try:
            with time_limit(self.config.daemon.hook_timeout_s, "newsdesk_shutdown"):
                self.app.shutdown()  # one plugin's error is logged; the others still run
        except HookTimeout:  # between two plugins' calls
            log.error("plugins did not shut down within daemon.hook_timeout_s")


def check_operations_settings(daemon: Any, where: str) -> None:
    """Refuse, in one line, the operations settings that are out of range."""
    if not daemon.hook_timeout_s > 0:
        raise ConfigError(f"{where}: [daemon] hook_timeout_s must be more than 0 seconds, "
                          f"got {daemon.hook_timeout_s!r}")
    if not 0 <= daemon.metrics_port <= 65535:
        raise ConfigError(f"{where}: [daemon] metrics_port must be 0 (off) to 65535, "
                          f"got {daemon.metrics_port!r}")


def run_daemon(app: App, *, once: bool = False) -> int:
    """Run the daemon until SIGINT/SIGTERM (or, with ``once``, until the backlog is done)."""
    return Daemon(app, once=once).run()
