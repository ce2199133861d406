"""The shared Argos process: passages of articles in flight together are one batch."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk_plugins import translate
from newsdesk_plugins.translate.broker import KEY_FILE, Broker, BrokerClient, address
from newsdesk_plugins.translate.engines.argos import Argos
from newsdesk_plugins.translate.packages import install_file

from ..plugin_config import configured, plugin_config
from .conftest import make_article
from .tiny_argos import build_package


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("broker")
    package = build_package(root / "translate-es_en-1_0.argosmodel")
    install_file(package, root / "state" / "argos-packages")
    return root / "state"


@pytest.fixture()
def broker(state: Path) -> Iterator[Broker]:
    b = Broker(state, state / "argos-packages", 1, 1, 30.0, window_s=0.5)
    b.start()
    yield b
    b.stop()


def test_two_workers_passages_share_one_batch(broker: Broker, state: Path) -> None:
    """Two clients asking at the same time get their own answers from one model call."""
    answers: dict[str, Any] = {}

    def ask(name: str, texts: list[str]) -> None:
        answers[name] = BrokerClient(state, 30.0).call(("translate", texts, "es", "en"))

    threads = [threading.Thread(target=ask, args=("a", ["hola mundo", "la casa es grande"])),
               threading.Thread(target=ask, args=("b", ["uno dos tres"]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [len(answers["a"][1]), len(answers["b"][1])] == [2, 1]
    assert answers["a"][2] == answers["b"][2] == 2  # both requests went in one batch
    assert BrokerClient(state, 30.0).call(("stats",))[1] == [2]


def test_an_argos_engine_uses_the_broker_and_works_alone_without_it(broker: Broker, state: Path) -> None:
    """A worker's Argos engine sends its passages to the running broker; once the broker is
    stopped it runs the model itself, and when a broker serves again the worker's copy of
    the model is dropped and the passages go to the broker."""
    engine = Argos(state / "argos-packages", beam_size=1, remote=BrokerClient(state, 30.0))
    first = engine.translate(["hola mundo"], "es", "en")
    assert len(first) == 1
    assert engine._loaded == {}  # the model was not loaded in this process
    broker.stop()
    assert engine.translate(["hola mundo"], "es", "en") == first
    assert "es-en" in engine._loaded
    broker.start()
    assert engine.translate(["hola mundo"], "es", "en") == first
    assert engine._loaded == {}
    assert BrokerClient(state, 30.0).call(("stats",))[2]["loaded"] == ["es-en"]


def test_a_client_without_the_key_is_refused(broker: Broker, state: Path) -> None:
    """The broker answers only processes that can read the state folder's key."""
    client = BrokerClient(state, 5.0)
    real_key = (state / KEY_FILE).read_bytes()
    (state / KEY_FILE).write_bytes(b"wrong key")
    try:
        assert client.connect() is False
    finally:
        (state / KEY_FILE).write_bytes(real_key)
    assert client.connect() is True
    assert address(state) != address(state / "other")


def test_newsdesk_startup_starts_it_and_newsdesk_shutdown_stops_it(state: Path) -> None:
    """In the daemon's process the stage starts the shared Argos process at start-up when
    packages are installed, and stops it at shutdown; a worker's stage then translates
    through it."""
    config = plugin_config(translate, state.parent, translate={"cache": ""})
    main_pm, worker_pm = configured(translate, config, "main"), configured(translate, config, "worker")
    main = main_pm.get_plugin("translate.engine")
    worker = worker_pm.get_plugin("translate.engine")
    main.newsdesk_startup(config=config)
    try:
        assert main.broker.process.is_alive()
        art = make_article("El gato come pescado en la casa.")
        worker.newsdesk_translate(article=art)
        assert art.record["segments"][0]["engine"] == "argos"
        (argos,) = [e for e in worker.engines if e.name == "argos"]
        assert argos._loaded == {}
    finally:
        process = main.broker.process
        main.newsdesk_shutdown(config=config)
        worker.newsdesk_shutdown(config=config)
    assert not process.is_alive()


def test_a_second_broker_for_the_same_state_folder_says_why_it_cannot_start(broker: Broker, state: Path) -> None:
    """Only one shared Argos process serves a state folder; a second one fails at once
    with a clear reason and the first keeps serving."""
    second = Broker(state, state / "argos-packages", 1, 1, 30.0, window_s=0.01)
    with pytest.raises(RuntimeError, match=r"exited as it started \(exit status 1; another one serving"):
        second.start()
    assert BrokerClient(state, 30.0).connect()


def test_the_broker_does_not_outlive_a_killed_daemon(tmp_path: Path) -> None:
    """When the process that started it dies (even by SIGKILL), the shared Argos process
    exits within seconds instead of lingering with the models."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from newsdesk_plugins.translate.broker import Broker\n"
        "if __name__ == '__main__':\n"
        f"    b = Broker(Path({str(tmp_path)!r}), Path({str(tmp_path / 'pkgs')!r}), 1, 1, 5.0, 0.01)\n"
        "    b.start()\n"
        "    print(b.process.pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    (tmp_path / "parent.py").write_text(script)
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            break  # gone
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            break  # exited, waiting to be reaped by whoever adopted it
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail(f"the Argos process outlived its parent: {Path(f'/proc/{child}/stat').read_text()[:200]}")


def test_no_packages_no_broker(tmp_path: Path) -> None:
    """Without Argos packages no process is started."""
    config = plugin_config(translate, tmp_path)
    stage = configured(translate, config, "main").get_plugin("translate.engine")
    stage.newsdesk_startup(config=config)
    assert stage.broker.process is None
