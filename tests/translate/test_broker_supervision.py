"""The shared Argos process under supervision: killed, it is restarted and no passage is
lost; a crash loop is stopped; a worker going away or a pair that does not load does
not stop it serving."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Client
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from newsdesk.article import Article
from newsdesk_plugins.translate.broker import KEY_FILE, Broker, BrokerClient, RestartPolicy, address
from newsdesk_plugins.translate.cache import Cache
from newsdesk_plugins.translate.engines import EngineError
from newsdesk_plugins.translate.engines.argos import Argos
from newsdesk_plugins.translate.langid import LanguageId
from newsdesk_plugins.translate.packages import install_file
from newsdesk_plugins.translate.stage import Translator, run

from .conftest import LANGS, make_article
from .tiny_argos import build_package

ARTICLES = [
    "El gato come pescado en la casa. La casa es grande y blanca.",
    "Hola mundo, buenos días. Uno dos tres cuatro cinco.",
    "La casa es grande. El gato come pescado.",
    "Uno dos tres. Hola mundo, buenos días.",
    "Buenos días, el gato es grande y blanco.",
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("supervised") / "translate-es_en-1_0.argosmodel")


@pytest.fixture()
def state(package: Path, tmp_path: Path) -> Path:
    install_file(package, tmp_path / "state" / "argos-packages")
    return tmp_path / "state"


@pytest.fixture()
def make_broker(state: Path) -> Iterator[Callable[..., Broker]]:
    made: list[Broker] = []

    def make(window_s: float = 0.05, **policy: Any) -> Broker:
        b = Broker(state, state / "argos-packages", 1, 1, 30.0, window_s=window_s,
                   policy=RestartPolicy(**{"backoff_s": 0.1, **policy}))
        made.append(b)
        b.start()
        return b

    yield make
    for b in made:
        b.stop()


def wait_for(what: str, cond: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def stats(state: Path) -> dict[str, Any]:
    """The broker's counters (pid, loaded pairs, open connections, requests in flight) and
    the sizes of its batches."""
    answer = BrokerClient(state, 10.0).call(("stats",))
    return {**answer[2], "batches": answer[1]}


def serving(state: Path, not_pid: int) -> int | None:
    """The pid of a broker serving the state folder other than ``not_pid``."""
    try:
        pid = int(stats(state)["pid"])
    except EngineError:
        return None
    return pid if pid != not_pid else None


class Worker:
    """What a worker process holds: its own Argos engine talking to the broker, a cache
    shared with the others, and the stage around them."""

    def __init__(self, state: Path, lid: LanguageId) -> None:
        self.state = state
        self.argos = Argos(state / "argos-packages", beam_size=1, remote=BrokerClient(state, 30.0))
        self.stage = Translator("en", lid, [self.argos], None, 1500, 200_000)

    def translate(self, text: str) -> Article:
        # A connection to the cache per call: SQLite connections belong to the thread
        # that opened them, and the test runs a worker's articles in different threads.
        self.stage.cache = Cache(self.state / "cache.sqlite")
        try:
            art = make_article(text)
            run(self.stage, art)
        finally:
            self.stage.cache.close()
        return art


Started = tuple[list[threading.Thread], list[Any]]


def in_parallel(jobs: list[Callable[[], Any]]) -> Started:
    """Run each job in its own thread (as workers would); :func:`joined` collects them."""
    out: list[Any] = [None] * len(jobs)

    def call(i: int) -> None:
        try:
            out[i] = jobs[i]()
        except BaseException as exc:  # noqa: BLE001 - shown by the assertion below
            out[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    return threads, out


def joined(started: Started) -> list[Any]:
    threads, out = started
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    errors = [o for o in out if isinstance(o, BaseException)]
    assert not errors, errors
    return out


def reference(state: Path, text: str) -> list[str]:
    """The passages' translations by the same model run in this process (no broker, no cache)."""
    stage = Translator("en", LanguageId(LANGS, 12, 0.6), [Argos(state / "argos-packages", beam_size=1)], None,
                       1500, 200_000)
    art = make_article(text)
    run(stage, art)
    return [s["translation"] for s in art.record["segments"]]


@pytest.mark.slow
def test_a_broker_killed_with_passages_in_flight_is_replaced_and_no_passage_is_lost(
        make_broker: Callable[..., Broker], state: Path) -> None:
    """kill -9 of the shared Argos process while three workers' passages wait in it: every
    passage still comes back translated (by the worker itself, exactly as the broker would
    have), one warning names the signal, a new process serves within seconds, the workers
    drop their own copies of the model and their passages are batched together again in
    the new process, which loads the model once; the translation cache keeps answering."""
    lid = LanguageId(LANGS, 12, 0.6)
    expected = {text: reference(state, text) for text in ARTICLES}
    broker = make_broker(window_s=2.0)  # passages wait 2 s for company: time to kill it
    old = broker.process.pid
    workers = [Worker(state, lid) for _ in range(3)]
    with capture_logs() as logs:
        started = in_parallel([lambda w=w, t=t: w.translate(t) for w, t in zip(workers, ARTICLES, strict=False)])
        wait_for("three requests waiting in the broker", lambda: stats(state)["requests"] == 3)
        os.kill(old, signal.SIGKILL)
        articles = joined(started)
        new = wait_for("a new broker", lambda: serving(state, old))
    for art, text in zip(articles, ARTICLES, strict=False):
        assert art.status == "ok" and art.errors == []
        assert [s["engine"] for s in art.record["segments"]] == ["argos"]
        assert [s["translation"] for s in art.record["segments"]] == expected[text]
    assert all("es-en" in w.argos._loaded for w in workers)  # they ran the model themselves
    died = [e for e in logs if e["log_level"] in ("warning", "error")]
    assert [(e["event"], e.get("exit"), e.get("pid")) for e in died] == [  # a stray warning shows whole
        ("the shared Argos process died; starting a new one", "killed by SIGKILL", old)]
    assert broker.restarts == 1 and broker.process.pid == new

    # The new process serves: two workers' new articles go in one batch, the model loads once there.
    again = joined(in_parallel([lambda w=w, t=t: w.translate(t) for w, t in zip(workers, ARTICLES[3:], strict=False)]))
    for art, text in zip(again, ARTICLES[3:], strict=False):
        assert [s["translation"] for s in art.record["segments"]] == expected[text]
    after = stats(state)
    assert after["pid"] == new and after["loaded"] == ["es-en"]
    assert after["batches"] == [2]
    assert all(w.argos._loaded == {} for w in workers[:2])

    # The cache written while the broker was dead answers: no model call at all.
    art = workers[2].translate(ARTICLES[0])
    assert [s["translation"] for s in art.record["segments"]] == expected[ARTICLES[0]]
    assert stats(state)["batches"] == [2]


@pytest.mark.slow
def test_a_crash_loop_is_stopped_by_the_restart_limit_with_one_error_line(
        make_broker: Callable[..., Broker], state: Path) -> None:
    """A broker that keeps dying is restarted at most max_restarts times within the window
    (each death one warning), then left dead with one error line that says workers now
    load the models themselves; they do, and translate."""
    broker = make_broker(max_restarts=2, window_s=60.0)
    with capture_logs() as logs:
        pid = broker.process.pid
        for _ in range(2):
            os.kill(pid, signal.SIGKILL)
            pid = wait_for("a new broker", lambda old=pid: serving(state, old))
        os.kill(pid, signal.SIGKILL)
        wait_for("the supervisor to give up", lambda: broker.given_up)
        time.sleep(1.0)  # longer than any back-off: nothing more starts
    assert broker.process is None and broker.restarts == 2
    assert serving(state, 0) is None
    levels = [e["log_level"] for e in logs if e["log_level"] in ("warning", "error")]
    assert levels == ["warning", "warning", "error"]
    (error,) = [e for e in logs if e["log_level"] == "error"]
    assert "not restarted again" in error["event"] and "each worker loads the Argos models itself" in error["event"]
    assert error["exit"] == "killed by SIGKILL" and error["deaths"] == 3
    worker = Worker(state, LanguageId(LANGS, 12, 0.6))
    art = worker.translate(ARTICLES[0])
    assert art.status == "ok" and art.record["segments"][0]["engine"] == "argos"
    assert "es-en" in worker.argos._loaded


def test_restarts_back_off_and_old_deaths_leave_the_window() -> None:
    """The wait before a restart doubles with each death in the window, up to a ceiling;
    deaths older than the window no longer count."""
    policy = RestartPolicy(max_restarts=3, window_s=0.2, backoff_s=0.5, max_backoff_s=1.5)
    assert [policy.backoff(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
    b = Broker(Path("/nonexistent"), Path("/nonexistent"), 1, 1, 1.0, 0.01, policy=policy)
    with capture_logs():
        assert [b._died("exit status 1", 1) for _ in range(3)] == [0.5, 1.0, 1.5]
        assert b._died("exit status 1", 1) is None and b.given_up
        time.sleep(0.25)
        assert b._died("exit status 1", 1) == 0.5


def test_a_stop_while_it_waits_to_restart_starts_nothing(make_broker: Callable[..., Broker], state: Path) -> None:
    """Stopping the daemon during the back-off after a death ends the supervision without
    starting a new process."""
    broker = make_broker(backoff_s=5.0)
    old = broker.process.pid
    with capture_logs() as logs:
        os.kill(old, signal.SIGKILL)
        wait_for("the death to be noticed", lambda: any(e["log_level"] == "warning" for e in logs))
        t0 = time.monotonic()
        broker.stop()
    assert time.monotonic() - t0 < 3.0
    assert broker.process is None and broker.restarts == 0
    assert serving(state, 0) is None


def test_a_worker_that_goes_away_mid_request_does_not_stop_the_broker(
        make_broker: Callable[..., Broker], state: Path) -> None:
    """A worker that sends passages and disconnects before the answer (killed, or it gave
    up waiting) costs the broker nothing: its passages are dropped before the model runs,
    its connection is closed, and the next worker is served."""
    make_broker(window_s=1.0)
    conn = Client(address(state), family="AF_UNIX", authkey=(state / KEY_FILE).read_bytes())
    conn.send(("translate", ["hola mundo"], "es", "en"))
    wait_for("the request to arrive", lambda: stats(state)["requests"] == 1)
    conn.close()
    wait_for("the gone worker's request and connection to be dropped",
             lambda: (s := stats(state))["requests"] == 0 and s["clients"] == 1)
    answer = BrokerClient(state, 30.0).call(("translate", ["la casa es grande"], "es", "en"))
    assert answer[0] == "ok" and len(answer[1]) == 1
    assert stats(state)["batches"] == [1]  # the model ran for the second worker only


def test_a_message_the_broker_does_not_understand_gets_an_error_and_it_serves_on(
        make_broker: Callable[..., Broker], state: Path) -> None:
    """A malformed request is answered with a clear error on the same connection, which
    keeps working."""
    make_broker()
    client = BrokerClient(state, 10.0)
    with pytest.raises(EngineError, match="does not understand: 'bogus'"):
        client.call(("bogus", 1))
    assert len(client.translate(["hola mundo"], "es", "en")) == 1


@pytest.mark.slow
def test_a_pair_whose_model_does_not_load_fails_alone(make_broker: Callable[..., Broker], state: Path,
                                                      tmp_path: Path) -> None:
    """Passages of a pair whose package does not load each get that reason, while passages
    of another pair in the same batch window are translated; the broker serves on, and the
    stage keeps such passages untranslated with the reason."""
    broken = install_file(build_package(tmp_path / "en_es.argosmodel", src="en", tgt="es"),
                          state / "argos-packages")
    (broken.path / "model" / "model.bin").write_bytes(b"garbage")
    make_broker(window_s=0.5)
    started = in_parallel([
        lambda: BrokerClient(state, 30.0).translate(["hola mundo"], "es", "en"),
        lambda: BrokerClient(state, 30.0).translate(["hello world"], "en", "es"),
    ])
    threads, out = started
    for t in threads:
        t.join(60)
    assert isinstance(out[0], list) and len(out[0]) == 1
    assert isinstance(out[1], EngineError)
    assert "argos package translate-en_es-1_0 does not load" in str(out[1])
    assert stats(state)["batches"] == [1, 1]  # one window, one call per pair
    worker = Worker(state, LanguageId(LANGS, 12, 0.6))
    worker.stage.target = "es"
    art = worker.translate("The cat eats fish in the house. The house is big and white.")
    (seg,) = art.record["segments"]
    assert seg["translation"] is None and "does not load" in seg["note"]
    assert art.status == "partial" and worker.argos._loaded == {}
    assert len(BrokerClient(state, 30.0).translate(["hola mundo"], "es", "en")) == 1


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_process_group_does_not_kill_it(
        make_broker: Callable[..., Broker], state: Path, sig: int) -> None:
    """SIGINT (a terminal's Ctrl-C) and SIGTERM (a service manager stopping the service),
    sent to the whole process group, leave the shared Argos process serving: the daemon
    stops it in its own time, and no death is logged."""
    broker = make_broker()
    pid = broker.process.pid
    with capture_logs() as logs:
        os.kill(pid, sig)
        time.sleep(0.5)
    assert stats(state)["pid"] == pid and broker.restarts == 0
    assert not [e for e in logs if e["log_level"] in ("warning", "error")]
