"""One Argos process per daemon: workers send it their passages, it batches those of the
articles in flight together into one CTranslate2 call per language pair, and holds each
model in memory once instead of once per worker.

The daemon's process starts it (``newsdesk_startup``) when Argos packages are installed;
workers find it by an abstract Unix socket named after the state folder and prove
themselves with a key kept in that folder. Without it, workers run the models themselves.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from newsdesk_plugins.translate.engines import EngineError

KEY_FILE = "translate-broker.key"


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


def serve(state: str, folder: str, beam_size: int, threads: int, timeout_s: float,
          window_s: float, ready: Any, parent: int) -> None:
    """Body of the broker process."""
    from newsdesk_plugins.translate.engines.argos import Argos

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
                by_pair.setdefault((req.src, req.tgt), []).append(req)
            for (src, tgt), reqs in by_pair.items():
                texts = [t for req in reqs for t in req.texts]
                batches.append(len(reqs))
                try:
                    out = engine.translate(texts, src, tgt)
                except EngineError as exc:
                    for req in reqs:
                        req.error = str(exc)
                else:
                    pos = 0
                    for req in reqs:
                        req.result = out[pos : pos + len(req.texts)]
                        pos += len(req.texts)
                for req in reqs:
                    req.batch = len(reqs)
                    req.done.set()

    def client(conn: Connection) -> None:
        with conn:
            while True:
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    return
                if message[0] == "stats":
                    conn.send(("ok", list(batches)))
                    continue
                _op, texts, src, tgt = message
                req = _Request(list(texts), str(src), str(tgt))
                pending.put(req)
                req.done.wait()
                try:
                    conn.send(("error", req.error) if req.error is not None else ("ok", req.result, req.batch))
                except OSError:
                    return

    threading.Thread(target=batcher, daemon=True, name="argos-batcher").start()
    while True:
        try:
            conn = listener.accept()
        except (OSError, EOFError, multiprocessing.AuthenticationError):
            continue
        threading.Thread(target=client, args=(conn,), daemon=True, name="argos-client").start()


class Broker:
    """The daemon's handle on the broker process."""

    def __init__(self, state: Path, folder: Path, beam_size: int, threads: int, timeout_s: float,
                 window_s: float) -> None:
        self.folder = folder
        self.args = (str(state), str(folder), beam_size, threads, timeout_s, window_s)
        self.process: Any = None

    def start(self, wait_s: float = 30.0) -> None:
        ctx = multiprocessing.get_context("spawn")
        ready = ctx.Event()
        self.process = ctx.Process(target=serve, args=(*self.args, ready, os.getpid()), daemon=True,
                                   name="newsdesk-argos")
        self.process.start()
        deadline = time.monotonic() + wait_s
        while not ready.wait(0.05):
            if not self.process.is_alive():
                code = self.process.exitcode
                self.process = None
                raise RuntimeError(f"the Argos process exited with status {code} as it started "
                                   "(another one serving this state folder?)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Argos process did not start within {wait_s:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.process = None


class BrokerClient:
    """A worker's connection to the broker (made on first use, again after a failure)."""

    def __init__(self, state: Path, timeout_s: float) -> None:
        self.state = state
        self.timeout_s = timeout_s
        self._conn: Connection | None = None

    def connect(self) -> bool:
        """True when a broker serves this state folder (connects if need be)."""
        if self._conn is None:
            key = _read_key(self.state)
            if key is None:
                return False
            try:
                self._conn = Client(address(self.state), family="AF_UNIX", authkey=key)
            except (OSError, EOFError, multiprocessing.AuthenticationError):
                return False
        return True

    def call(self, message: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.connect():
            raise EngineError("the Argos process is not running")
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
            raise EngineError(f"the Argos process went away: {exc or type(exc).__name__}") from None
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
