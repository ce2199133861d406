"""One Argos process per daemon: workers send it their passages, it batches those of the
articles in flight together into one CTranslate2 call per language pair, and holds each
model in memory once instead of once per worker.

The daemon's process starts it (``newsdesk_startup``) when Argos packages are installed;
workers find it by an abstract Unix socket named after the state folder and prove
themselves with a key kept in that folder. Without it, workers run the models themselves.

The daemon's process supervises it: when it dies (a crash, the OOM killer, kill -9) one
warning names the exit status or signal and a new one starts after a back-off; after
too many deaths within a time window it is left dead, with one error line, and workers
run the models themselves. A worker whose passages were in flight when it died
translates them itself; its later passages go to the new process.
"""

from __future__ import annotations

import collections
import hashlib
import multiprocessing
import os
import queue
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Client, Connection, Listener, wait
from pathlib import Path
from typing import Any

import structlog

from newsdesk_plugins.translate.engines import EngineError, RemoteGone

log = structlog.get_logger("newsdesk.translate")

KEY_FILE = "translate-broker.key"


class BrokerGone(RemoteGone):
    """The broker process went away with a request in flight (it died or was stopped)."""


@dataclass(frozen=True)
class RestartPolicy:
    """How the daemon's process restarts a broker that died."""

    #: Restarts allowed within ``window_s``; one death more and it is left dead.
    max_restarts: int = 5
    #: The time window, in seconds, over which deaths are counted.
    window_s: float = 600.0
    #: Wait before a restart after the first death in the window; doubled for each
    #: further death in the window, up to ``max_backoff_s``.
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0

    def backoff(self, deaths: int) -> float:
        """Seconds to wait before restarting after the ``deaths``-th death in the window."""
        return float(min(self.max_backoff_s, self.backoff_s * 2 ** max(0, deaths - 1)))


def describe_exit(code: int | None) -> str:
    """An exit status in words: "killed by SIGKILL", "exit status 1"."""
    if code is None:
        return "unknown exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def address(state: Path) -> str:
    """The broker's abstract socket name for a state folder (no file, no length limit)."""
    digest = hashlib.sha256(str(state.resolve()).encode()).hexdigest()[:24]
    return f"\0newsdesk-translate-{digest}"


def _write_key(state: Path, key: bytes) -> None:
    state.mkdir(parents=True, exist_ok=True)
    path = state / KEY_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)


def _read_key(state: Path) -> bytes | None:
    try:
        return (state / KEY_FILE).read_bytes()
    except OSError:
        return None


@dataclass
class _Request:
    texts: list[str]
    src: str
    tgt: str
    done: threading.Event = field(default_factory=threading.Event)
    result: list[str] | None = None
    error: str | None = None
    batch: int = 0
    #: The worker closed its connection before the batch ran: nothing to translate for it.
    gone: bool = False


def serve(state: str, folder: str, beam_size: int, threads: int, timeout_s: float,
          window_s: float, ready: Any, parent: int) -> None:
    """Body of the broker process."""
    from newsdesk_plugins.translate.engines.argos import Argos

    # Ctrl-C in a terminal, and a service manager's SIGTERM (systemd's default
    # KillMode=control-group), reach the whole process group: the daemon stops this process
    # in its own time (SIGKILL from Broker.stop: it holds nothing to flush) instead of it
    # dying first and being taken for a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    engine = Argos(Path(folder), beam_size, threads, timeout_s=timeout_s)
    key = secrets.token_bytes(32)
    listener = Listener(address(Path(state)), family="AF_UNIX", authkey=key)  # raises if one runs
    _write_key(Path(state), key)

    def watch_parent() -> None:
        # Killed daemon (even by SIGKILL): do not linger as an orphan holding the models.
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True, name="argos-parent").start()
    ready.set()
    pending: queue.Queue[_Request] = queue.Queue()
    batches: list[int] = []
    counts = {"clients": 0, "requests": 0}
    lock = threading.Lock()

    def batcher() -> None:
        while True:
            first = pending.get()
            group = [first]
            deadline = time.monotonic() + window_s
            while (left := deadline - time.monotonic()) > 0:
                try:
                    group.append(pending.get(timeout=left))
                except queue.Empty:
                    break
            by_pair: dict[tuple[str, str], list[_Request]] = {}
            for req in group:
                if req.gone:
                    req.done.set()
                else:
                    by_pair.setdefault((req.src, req.tgt), []).append(req)
            for (src, tgt), reqs in by_pair.items():
                texts = [t for req in reqs for t in req.texts]
                batches.append(len(reqs))
                try:
                    out = engine.translate(texts, src, tgt)
                    if len(out) != len(texts):
                        raise EngineError(f"argos {src}-{tgt} returned {len(out)} translations "
                                          f"for {len(texts)} passages")
                except Exception as exc:  # noqa: BLE001 - one pair failing must not stop the others
                    # Each request of the pair gets the reason; the batcher serves on.
                    reason = str(exc) if isinstance(exc, EngineError) else f"argos {src}-{tgt} failed: {exc!r}"
                    for req in reqs:
                        req.error = reason
                else:
                    pos = 0
                    for req in reqs:
                        req.result = out[pos : pos + len(req.texts)]
                        pos += len(req.texts)
                for req in reqs:
                    req.batch = len(reqs)
                    req.done.set()

    def answer(message: Any, conn: Connection) -> tuple[Any, ...]:
        if not isinstance(message, tuple) or not message:
            return ("error", f"the Argos process got a message it does not understand: {type(message).__name__}")
        if message[0] == "stats":
            with lock:
                info = {"pid": os.getpid(), "loaded": sorted(engine._loaded), **counts}
            return ("ok", list(batches), info)
        if message[0] != "translate" or len(message) != 4:
            return ("error", f"the Argos process got a message it does not understand: {message[0]!r}")
        _op, texts, src, tgt = message
        req = _Request([str(t) for t in texts], str(src), str(tgt))
        with lock:
            counts["requests"] += 1
        try:
            pending.put(req)
            while not req.done.wait(0.2):
                # Requests and answers alternate: anything readable now is the end of file of
                # a worker that went away (killed, or it gave up waiting).
                if not req.gone and _readable(conn):
                    req.gone = True
        finally:
            with lock:
                counts["requests"] -= 1
        if req.gone and req.result is None:
            return ("error", "the Argos process dropped the request: its connection was closed")
        return ("error", req.error) if req.error is not None else ("ok", req.result, req.batch)

    def client(conn: Connection) -> None:
        with lock:
            counts["clients"] += 1
        try:
            with conn:
                while True:
                    try:
                        message = conn.recv()
                    except (EOFError, OSError):
                        return  # the worker closed its end (or went away)
                    except Exception:  # noqa: BLE001 - a message that does not unpickle
                        message = None
                    reply = answer(message, conn)
                    try:
                        conn.send(reply)
                    except OSError:
                        return  # the worker went away while its passages were translated
        finally:
            with lock:
                counts["clients"] -= 1

    threading.Thread(target=batcher, daemon=True, name="argos-batcher").start()
    while True:
        try:
            conn = listener.accept()
        except (OSError, EOFError, multiprocessing.AuthenticationError):
            continue
        threading.Thread(target=client, args=(conn,), daemon=True, name="argos-client").start()


def _end(process: Any) -> None:
    """Stop a broker process. It ignores SIGTERM (see ``serve``) and holds nothing to flush
    (the cache is written by the workers), so it is killed."""
    if process.is_alive():
        process.kill()
        process.join(5)


def _readable(conn: Connection) -> bool:
    try:
        return bool(conn.poll(0))
    except (OSError, EOFError, ValueError):
        return True


class Broker:
    """The daemon's handle on the broker process: starts it, and restarts it when it dies
    (see :class:`RestartPolicy`)."""

    def __init__(self, state: Path, folder: Path, beam_size: int, threads: int, timeout_s: float,
                 window_s: float, policy: RestartPolicy | None = None) -> None:
        self.folder = folder
        self.args = (str(state), str(folder), beam_size, threads, timeout_s, window_s)
        self.policy = policy or RestartPolicy()
        #: The running broker process (None before start, after stop, and once given up).
        self.process: Any = None
        #: How many times a new process was started after one died.
        self.restarts = 0
        #: True once it died more than ``policy.max_restarts`` times within ``policy.window_s``.
        self.given_up = False
        self._deaths: collections.deque[float] = collections.deque()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None

    def start(self, wait_s: float = 30.0) -> None:
        """Start the process and watch it; raises RuntimeError when it does not start."""
        self._stopping.clear()
        self.given_up = False
        self._deaths.clear()
        self._spawn(wait_s)
        self._supervisor = threading.Thread(target=self._supervise, args=(wait_s,), daemon=True,
                                            name="argos-supervisor")
        self._supervisor.start()

    def _spawn(self, wait_s: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        ready = ctx.Event()
        process = ctx.Process(target=serve, args=(*self.args, ready, os.getpid()), daemon=True,
                              name="newsdesk-argos")
        process.start()
        deadline = time.monotonic() + wait_s
        while not ready.wait(0.05):
            if self._stopping.is_set():
                break
            if not process.is_alive():
                process.join(1)
                raise RuntimeError(f"the Argos process exited as it started ({describe_exit(process.exitcode)}; "
                                   "another one serving this state folder?)")
            if time.monotonic() > deadline:
                _end(process)
                raise RuntimeError(f"the Argos process did not start within {wait_s:g} s")
        with self._lock:
            if not self._stopping.is_set():
                self.process = process
                return
        _end(process)  # stopped while it started

    def _supervise(self, wait_s: float) -> None:
        """Wait for the process to die; restart it, or give up after too many deaths."""
        while not self._stopping.is_set():
            process = self.process
            if process is None:
                return
            while not self._stopping.is_set() and not wait([process.sentinel], timeout=0.5):
                pass
            if self._stopping.is_set():
                return
            process.join(5)
            how = describe_exit(process.exitcode)
            pid = process.pid
            while True:  # until a new one serves, or it is given up
                delay = self._died(how, pid)
                if delay is None or self._stopping.wait(delay):
                    return
                try:
                    self._spawn(wait_s)
                except RuntimeError as exc:
                    how, pid = str(exc), None
                    continue
                break
            if self.process is not None:
                self.restarts += 1
                log.info("shared Argos process restarted", pid=self.process.pid, restarts=self.restarts)

    def _died(self, how: str, pid: int | None) -> float | None:
        """Count a death; the back-off before the next start, or None when it is given up."""
        now = time.monotonic()
        self._deaths.append(now)
        while self._deaths and now - self._deaths[0] > self.policy.window_s:
            self._deaths.popleft()
        deaths = len(self._deaths)
        with self._lock:
            self.process = None
        if deaths > self.policy.max_restarts:
            self.given_up = True
            log.error("the shared Argos process died too often and is not restarted again: from now on each "
                      "worker loads the Argos models itself (one copy per worker, no batching across articles)",
                      exit=how, pid=pid, deaths=deaths, window_s=self.policy.window_s)
            return None
        delay = self.policy.backoff(deaths)
        log.warning("the shared Argos process died; starting a new one",
                    exit=how, pid=pid, restart_in_s=delay, deaths=deaths, window_s=self.policy.window_s)
        return delay

    def stop(self) -> None:
        """Stop the process and its supervision (nothing is restarted after this)."""
        self._stopping.set()
        with self._lock:
            process, self.process = self.process, None
        if process is not None:
            _end(process)
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(10)


class BrokerClient:
    """A worker's connection to the broker (made on first use, again after a failure)."""

    def __init__(self, state: Path, timeout_s: float) -> None:
        self.state = state
        self.timeout_s = timeout_s
        self._conn: Connection | None = None

    def connect(self) -> bool:
        """True when a broker serves this state folder (connects if need be, and again
        when the broker it was connected to has gone: a new one may serve now)."""
        if self._conn is not None and self._stale():
            self.close()
        if self._conn is None:
            key = _read_key(self.state)
            if key is None:
                return False
            try:
                self._conn = Client(address(self.state), family="AF_UNIX", authkey=key)
            except (OSError, EOFError, multiprocessing.AuthenticationError):
                return False
        return True

    def _stale(self) -> bool:
        """True when the connection is dead. Between two calls the broker sends nothing,
        so anything to read is the end of file a dead broker left."""
        assert self._conn is not None
        return _readable(self._conn)

    def call(self, message: tuple[Any, ...]) -> tuple[Any, ...]:
        """Send one message, return the answer; :class:`BrokerGone` when the broker is not
        there or went away before answering, :class:`EngineError` for its refusals."""
        if not self.connect():
            raise BrokerGone("the Argos process is not running")
        assert self._conn is not None
        try:
            self._conn.send(message)
            if not self._conn.poll(self.timeout_s):
                raise EngineError(f"the Argos process did not answer within {self.timeout_s:g} s")
            answer: tuple[Any, ...] = self._conn.recv()
        except EngineError:
            self.close()
            raise
        except (OSError, EOFError) as exc:
            self.close()
            raise BrokerGone(f"the Argos process went away: {exc or type(exc).__name__}") from None
        if answer[0] == "error":
            raise EngineError(str(answer[1]))
        return answer

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        answer = self.call(("translate", texts, src, tgt))
        return [str(t) for t in answer[1]]

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
