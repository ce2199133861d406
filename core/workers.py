"""Worker processes that read files and run the worker stages.

Each worker is a process with its own plugin manager, fed through its own pipe.
Given the plugins' preload modules (``newsdesk_worker_preload``), the workers are
forked from one fork server (multiprocessing's "forkserver" start method) that
imported those modules first, so the read-only models they build are in memory once,
shared by the workers; without, each worker is a freshly spawned interpreter. A task that runs past the timeout gets its worker killed; a worker
that dies fails the task it was running. Either way the worker is replaced and
the other tasks go on. Tasks queued behind a lost one are handed back to be
sent again, and so is a task the lost worker had not started on.

A file a reader reads by line (JSON lines; the daemon's tasks only) comes back in
parts: ``("head", seq, digest, resume)`` once the worker has opened and hashed it,
``("part", seq, part)`` for each line done (each restarts the time limit), then the
file's own result. A worker lost part way costs the line in hand alone: the task is
sent again from the last part's end, with that line to be failed unread
(:class:`newsdesk.streaming.Resume`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

import structlog

from newsdesk.app import Settings
from newsdesk.article import Article, Source
from newsdesk.errors import NewsdeskError
from newsdesk.intake import Lines
from newsdesk.names import safe_name
from newsdesk.orphans import end_with_parent
from newsdesk.streaming import Part, Resume

log = structlog.get_logger("newsdesk.workers")

#: Workers lost in a row on a task before they started on it (or, for a file read by
#: line, before they opened it again), after which it is given up: one failed record
#: (for a file read by line, of what is left of it, saying from which line).
LOSSES_BEFORE_HEAD = 3

#: A worker says that the task in hand is progressing (an article of a many-article
#: file is done) at most this often; the time limit then counts from there.
ALIVE_EVERY_S = 0.2


@dataclass
class Task:
    """A file for a worker: ``seq`` identifies it to the caller; ``tag`` stays here."""

    seq: int
    path: str
    #: The folder a symlink may not point out of (None: the pool's own root).
    root: str | None = None
    tag: Any = None
    #: The file already read by the caller (a Spark executor reads it from any file
    #: system): its source and bytes, handed to the worker instead of ``path``.
    given: tuple[Source, bytes] | None = None
    started: float = 0.0
    #: A file one article a line is read by line and sent back in parts (the daemon);
    #: otherwise its articles come back together (``newsdesk process``, Spark).
    by_line: bool = False
    #: Where to go on in a file read by line, when a line cost the worker that read it.
    resume: Resume | None = None
    #: The file read by line that this task reads (its digest, once the worker says).
    digest: str | None = None
    #: Parts of this task received so far; workers lost before saying "head" in a row.
    parts: int = 0
    losses: int = 0
    headed: bool = False


@dataclass
class Result:
    """What came back for a task.

    ``digest`` is the sha256 of the bytes read and ``articles`` what they
    became; ``refused`` is why a file was not read (it goes to failed/),
    ``vanished`` why it could not be read yet (it changed or disappeared),
    ``lost`` why the task was lost with its worker (a timeout or a crash).
    """

    task: Task | None
    source: Source | None = None
    digest: str = ""
    articles: list[Article] = field(default_factory=list)
    plugin_ms: dict[str, float] = field(default_factory=dict)
    refused: str | None = None
    vanished: str | None = None
    lost: str | None = None
    #: The journal already has this content as done: the stages did not run.
    seen: bool = False
    #: Another process has the file open for writing: take it again later.
    busy: str | None = None
    #: What the file was when taken: (st_dev, st_ino, st_size, st_mtime_ns).
    taken: tuple[int, int, int, int] | None = None
    #: Some articles of a file read by line (more follow, then the file's own result).
    part: Part | None = None
    #: The file was read by line: its articles came back in parts.
    by_line: bool = False
    #: A file read by line was left part way, the daemon stopping: it stays in the inbox.
    interrupted: bool = False


class Seen:
    """The journal, read-only, in a worker: content already done is not processed again.

    The daemon checks again before it writes (another worker may have had the same
    content at the same time); this check only saves the stages' work.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.db: Any = None

    def __call__(self, digest: str) -> bool:
        if self.path is None:
            return False
        import sqlite3

        try:
            if self.db is None:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                          check_same_thread=False)
            row = self.db.execute("SELECT state FROM files WHERE hash = ?",
                                  (digest,)).fetchone()
        except sqlite3.Error:
            self.db = None
            return False  # no journal yet, or busy: the daemon's own check decides
        return bool(row) and row[0] == "done"

    def progress(self, digest: str) -> Resume:
        """How far the journal says a file read by line got (its parts written and
        marked done, contiguous from the start); the start when it knows nothing."""
        if self.path is None or self.db is None:
            return Resume()
        import sqlite3

        try:
            rows = self.db.execute(
                "SELECT parts.start, parts.stop, parts.line FROM parts JOIN files "
                "ON files.hash = parts.key WHERE parts.file = ? AND files.state = 'done' "
                "ORDER BY parts.start", (digest,)).fetchall()
        except sqlite3.Error:
            return Resume()
        at = Resume()
        for start, stop, line in rows:
            if start > at.start:
                break  # a gap: go on from before it
            if stop > at.start:
                at = Resume(stop, line)
        return at


@dataclass
class ByLine:
    """How a worker talks back about a file read by line (see :mod:`newsdesk.streaming`):
    ``head(digest, resume)`` once it knows the file, ``send(part)`` for each line done;
    ``stopped()`` says the daemon is stopping."""

    resume: Resume | None
    #: The file's digest that ``resume`` is for (a file changed since starts anew).
    digest: str | None
    head: Callable[[str, Resume], None]
    send: Callable[[Part], None]
    stopped: Callable[[], bool]


def handle(pm: Any, path: str, root: str | None, max_bytes: int,
           seen: Seen | None = None, given: tuple[Source, bytes] | None = None,
           alive: Callable[[], None] | None = None, by_line: ByLine | None = None) -> Result:
    """Take, read and run the worker stages on one file (in a worker process); content
    the journal has as done is not read into articles; a file ``given`` with its bytes
    is not taken again. With ``by_line``, a file a reader reads by line is streamed."""
    from pathlib import Path

    from newsdesk.article import content_id
    from newsdesk.intake import Busy, Refused, Taken, Vanished, placeholder_source, take
    from newsdesk.pipeline import WORKER_STAGES, failed_article, prepare, read, run_stages

    def streamed(source: Source, head: bytes) -> bool:
        return bool(pm.hook.newsdesk_read_by_line(source=source, head=head))

    try:
        taken = Taken(*given) if given else take(
            Path(path), Path(root) if root else None, max_bytes,
            streamed if by_line is not None else None)
    except Busy as exc:
        return Result(None, busy=str(exc))
    except Vanished as exc:
        return Result(None, vanished=str(exc))
    except Refused as exc:
        source, unread = placeholder_source(Path(path))
        article = failed_article(source, unread, "read", "intake", exc)
        return Result(None, source=source, digest=article.id, articles=[article],
                      refused=str(exc))
    if isinstance(taken, Lines):
        assert by_line is not None
        try:
            return _by_line(pm, taken, max_bytes, seen, by_line)
        finally:
            taken.close()
    digest = content_id(taken.data)
    if seen is not None and seen(digest):
        return Result(None, source=taken.source, digest=digest, seen=True, taken=taken.stat)
    plugin_ms: dict[str, float] = {}
    articles = read(pm, taken.source, taken.data)
    for n, article in enumerate(articles, start=1):
        run_stages(pm, article, WORKER_STAGES, plugin_ms)
        prepare(pm, article, plugin_ms)
        if alive is not None and n < len(articles):
            alive()  # the time limit is per article: its clock starts again for the next
            # (not after the last: the file's result follows at once, a message less)
    return Result(None, source=taken.source, digest=digest,
                  articles=articles, plugin_ms=plugin_ms, taken=taken.stat)


def _by_line(pm: Any, lines: Lines, max_bytes: int, seen: Seen | None,
             by_line: ByLine) -> Result:
    """A file read by line: from where the daemon says (a line cost a worker) or from
    where the journal says it got (a restart), its parts sent as they are done."""
    from newsdesk.streaming import stream

    digest = lines.digest
    result = Result(None, source=lines.source, digest=digest, taken=lines.stat, by_line=True)
    if seen is not None and seen(digest):
        result.seen = True
        return result
    at = by_line.resume
    if at is None or by_line.digest != digest:
        at = seen.progress(digest) if seen is not None else Resume()
    by_line.head(digest, at)
    if not stream(pm, lines, at, max_bytes, by_line.send, by_line.stopped):
        result.interrupted = True
    elif not lines.unchanged():
        result.vanished = f"{lines.source.name}: file changed while it was read"
    return result


def worker_main(conn: Connection, settings: Settings, log_level: str, log_format: str,
                root: str | None, max_bytes: int, journal: str | None = None) -> None:
    """Body of a worker process: configure, then serve tasks until told to stop."""
    from newsdesk import log as logsetup
    from newsdesk.app import build_app

    # Ctrl-C in a terminal and a service manager's SIGTERM reach the whole process group:
    # the daemon stops its workers itself (``Pool.stop``), letting the article in hand
    # finish, instead of each worker dying with a KeyboardInterrupt traceback on stderr.
    # A worker whose daemon is gone ends at the closed pipe, or, held in a plugin that
    # does not return, when the process it was started from is gone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    end_with_parent()

    logsetup.setup(log_level, "json" if log_format == "auto" else log_format)
    try:
        app = build_app(settings, role="worker")
    except Exception as exc:  # reported to the parent, which stops with one line
        message = str(exc) if isinstance(exc, NewsdeskError) else f"{type(exc).__name__}: {exc}"
        conn.send(("error", message))
        return
    conn.send(("ready", os.getpid()))
    seen = Seen(journal)
    current = [0]
    last = [time.monotonic()]

    def alive() -> None:
        now = time.monotonic()
        if now - last[0] >= ALIVE_EVERY_S:
            last[0] = now
            conn.send(("alive", current[0]))

    tasks: deque[Any] = deque()
    stop = [False, False]  # [stop the file read by line in hand, exit after it]

    def take_messages(block: bool) -> None:
        """Read what the daemon sent: tasks (queued), "stop" or None (exit)."""
        while block or conn.poll():
            block = False
            try:
                message = conn.recv()
            except (EOFError, ConnectionResetError):  # the daemon is gone
                message = None
            if message is None:
                stop[:] = [True, True]
                return
            if message == "stop":
                stop[0] = True
            else:
                tasks.extend(message)  # one or more tasks a message

    def stopped() -> bool:
        take_messages(False)
        return stop[0]

    try:
        while not stop[1]:
            if not tasks:
                take_messages(True)
                continue
            seq, path, task_root, given, options = tasks.popleft()
            current[0] = seq
            by_line = None
            if options is not None:
                resume, digest = options

                def head(digest: str, at: Resume, seq: int = seq) -> None:
                    conn.send(("head", seq, digest, at))

                def send(part: Part, seq: int = seq) -> None:
                    conn.send(("part", seq, part))

                by_line = ByLine(resume, digest, head, send, stopped)
            conn.send((seq, handle(app.pm, path, task_root or root, max_bytes, seen,
                                   given, alive, by_line)))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the daemon is gone (killed): nobody to answer; end without a traceback
    finally:
        app.shutdown()


class _Worker:
    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process = ctx.Process(
            target=worker_main, args=(child, *args),
            name="newsdesk-worker", daemon=True,
        )
        self.process.start()
        child.close()
        self.ready = False
        self.spawned = time.monotonic()
        self.tasks: deque[Task] = deque()
        # sent at the next poll
        #: Tasks as sent (seq, path, root, given, by-line options), or "stop".
        self.outbox: list[Any] = []


class WorkerStartError(Exception):
    """A worker could not configure its plugins."""


def preload_modules(pm: Any) -> list[str]:
    """The modules the plugins ask the workers' fork server to import
    (``newsdesk_worker_preload``), in plugin order, each once."""
    names: list[str] = []
    for group in reversed(pm.hook.newsdesk_worker_preload()):
        names += [str(n) for n in group if str(n) not in names]
    return names


class Pool:
    """A fixed number of worker processes, each with up to ``depth`` tasks queued.

    Files are read in the workers; ``root`` is the folder symlinks must stay in
    and ``max_bytes`` the largest file taken.
    """

    def __init__(self, settings: Settings, size: int, timeout_s: float, *, root: str | None,
                 max_bytes: int, depth: int = 8, log_level: str = "info",
                 log_format: str = "auto", start_timeout_s: float = 300.0,
                 journal: str | None = None, preload: Sequence[str] | None = None) -> None:
        self.args = (settings, log_level, log_format, root, max_bytes, journal)
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self.depth = depth
        #: "forkserver" when given the modules to preload (where the platform has it),
        #: else "spawn".
        self.start_method = ("forkserver" if preload is not None
                             and "forkserver" in multiprocessing.get_all_start_methods()
                             else "spawn")
        self.ctx = multiprocessing.get_context(self.start_method)
        if self.start_method == "forkserver":
            # One fork server per process: the first pool's list is the one it imports.
            self.ctx.set_forkserver_preload(["newsdesk.preloading", "newsdesk.workers", *(preload or ()),
                                             "newsdesk.preloaded"])
        self.workers: list[_Worker] = []
        self.replaced = 0
        self._starter: threading.Thread | None = None
        self._start_failed: str | None = None
        self._stopping = False
        # written by the starting thread when it adds a worker: wakes ``poll``
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)

    def start(self) -> None:
        """Start the workers from a thread and return at once: the first fork waits for
        the fork server to import its preload modules (seconds), which the caller (the
        daemon, watching its inbox) does not wait for. ``capacity`` counts the workers
        started so far."""
        self.workers = []
        self._starter = threading.Thread(target=self._start_all, name="newsdesk-workers-start",
                                         daemon=True)
        self._starter.start()

    def _start_all(self) -> None:
        try:
            for _ in range(self.size):
                if self._stopping:
                    return
                self.workers.append(self._spawn())
                os.write(self._wake_w, b"w")
        except Exception as exc:  # noqa: BLE001 - reported by the next poll()
            self._start_failed = f"{type(exc).__name__}: {exc}"
            os.write(self._wake_w, b"e")

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.args)

    @property
    def loaded(self) -> int:
        """Workers that have configured their plugins and take tasks."""
        return sum(1 for w in self.workers if w.ready)

    @property
    def in_flight(self) -> int:
        return sum(len(w.tasks) for w in self.workers)

    @property
    def capacity(self) -> int:
        return len(self.workers) * self.depth - self.in_flight

    def submit(self, task: Task) -> None:
        """Send ``task`` to the least busy worker (call only while ``capacity`` > 0)."""
        worker = min(self.workers, key=lambda w: len(w.tasks))
        if not worker.tasks:
            task.started = time.monotonic()
        worker.tasks.append(task)
        task.headed = False
        options = (task.resume, task.digest) if task.by_line else None
        worker.outbox.append((task.seq, task.path, task.root, task.given, options))

    def interrupt(self) -> None:
        """Ask each worker to leave the file read by line in hand after the line in hand
        (the daemon is stopping: the journal knows how far it got)."""
        for worker in self.workers:
            worker.outbox.append("stop")

    def _send(self) -> None:
        """Send each worker the tasks submitted since the last poll, in one message."""
        for worker in self.workers:
            if worker.outbox:
                tasks = [t for t in worker.outbox if t != "stop"]
                try:
                    if tasks:
                        worker.conn.send(tasks)
                    if len(tasks) < len(worker.outbox):
                        worker.conn.send("stop")
                except OSError:
                    pass  # a dead worker: poll() fails its task and resends the rest
                worker.outbox = []

    def waitables(self) -> list[Any]:
        workers = list(self.workers)
        return [w.conn for w in workers] + [w.process.sentinel for w in workers] + [self._wake_r]

    def poll(self, timeout: float, extra: Sequence[Any] = ()) -> tuple[list[Result], list[Task]]:
        """Wait up to ``timeout`` s for results (or for one of ``extra`` to be ready).

        Returns the results (finished or lost tasks) and the tasks to send again.
        """
        self._send()
        wait(self.waitables() + list(extra), timeout=max(0.0, timeout))
        try:
            while os.read(self._wake_r, 4096):
                pass
        except BlockingIOError:
            pass
        if self._start_failed is not None:
            raise WorkerStartError(f"the workers could not be started: {self._start_failed}")
        results: list[Result] = []
        resend: list[Task] = []
        now = time.monotonic()
        for index, worker in enumerate(list(self.workers)):
            try:
                while worker.conn.poll():
                    message = worker.conn.recv()
                    self._handle(worker, message, results, now)
            except (EOFError, OSError):
                pass
            if not worker.process.is_alive():
                code = worker.process.exitcode
                self._lose(index, f"worker process died (exit code {code})", results, resend)
            elif not worker.ready and now - worker.spawned > self.start_timeout_s:
                self._lose(index, f"the worker did not start its plugins within "
                                  f"{self.start_timeout_s:g} s (daemon.start_timeout_s); "
                                  "it was replaced",
                           results, resend)
            elif worker.ready and worker.tasks and now - worker.tasks[0].started > self.timeout_s:
                self._lose(index, f"timed out after {self.timeout_s:g} s (daemon.timeout_s); "
                                  "the worker was killed and replaced", results, resend)
        return results, resend

    def _handle(self, worker: _Worker, message: Any, results: list[Result], now: float) -> None:
        if message[0] == "ready":
            worker.ready = True
            if worker.tasks:  # the time limit counts from here, not from the plugins' start-up
                worker.tasks[0].started = now
            return
        if message[0] == "error":
            raise WorkerStartError(message[1])
        if message[0] == "alive":  # an article of a many-article file is done
            if worker.tasks and worker.tasks[0].seq == message[1]:
                worker.tasks[0].started = now
            return
        if message[0] in ("head", "part"):  # a file read by line
            task = worker.tasks[0]
            assert task.seq == message[1], "worker answered out of order"
            task.started = now  # the time limit is per line
            if message[0] == "head":
                _, _, task.digest, task.resume = message
                task.headed = True
                task.losses = 0
                at = task.resume
                if at is not None and at.start and at.fail_first is None:
                    log.info("a file read by line goes on from where it got",
                             file=safe_name(os.path.basename(task.path)),
                             from_line=at.line + 1)
            else:
                part: Part = message[2]
                task.resume = Resume(part.stop, part.line)
                task.parts += 1
                results.append(Result(task, digest=task.digest or "", part=part,
                                      plugin_ms=part.plugin_ms))
            return
        seq, result = message
        task = worker.tasks.popleft()
        assert task.seq == seq, "worker answered out of order"
        result.task = task
        results.append(result)
        if worker.tasks:
            worker.tasks[0].started = now

    def _lose(self, index: int, reason: str, results: list[Result], resend: list[Task]) -> None:
        worker = self.workers[index]
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        if worker.tasks:
            head = worker.tasks.popleft()
            name = safe_name(os.path.basename(head.path))
            at = head.resume
            if head.by_line and head.headed and at is not None:
                # A file read by line: the line in hand is failed, the file goes on.
                log.error("article lost with its worker; the file goes on from the next "
                          "line", file=name, after_line=at.line, reason=reason)
                head.losses = 0
                head.resume = Resume(at.start, at.line, at.fail_first or reason)
                resend.append(head)
            elif (not worker.ready or (head.by_line and head.digest is not None)) and (
                    head.losses < LOSSES_BEFORE_HEAD):
                # Lost before the worker started on it (killed while it loaded its
                # plugins) or, for a file known to be read by line, before it opened the
                # file again: no article was in hand; sent again as it was.
                log.warning("worker lost before it started on a file; sent again",
                            file=name, reason=reason, worker_ready=worker.ready,
                            part_way=head.digest is not None)
                head.losses += 1
                resend.append(head)
            else:
                log.error("article lost with its worker", file=name, reason=reason)
                results.append(Result(head, digest=head.digest or "", lost=reason,
                                      by_line=head.digest is not None))
            resend.extend(worker.tasks)
        self.workers[index] = self._spawn()
        self.replaced += 1

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every worker to finish and exit; kill those that do not."""
        self._stopping = True
        if self._starter is not None:
            self._starter.join()  # at most the fork in progress
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
            worker.conn.close()
        self.workers = []
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass
        self._wake_r = self._wake_w = -1
