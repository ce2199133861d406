"""The translate stage inside a real daemon with two workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from ..translate.conftest import needs_apertium
from .conftest import drop

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GERMAN = "Die Feuerwehr war bis in die Nacht im Einsatz, um den Brand zu löschen. Artikel {n}."
SPANISH = "Los bomberos trabajaron toda la noche para apagar el incendio. Artículo {n}."


@needs_apertium
def test_two_workers_warn_once_per_pair_and_share_the_cache(daemon: Any, tmp_path: Path) -> None:
    """Eight articles over two workers: German (no engine) gives one warning in the run,
    Spanish is translated by Apertium, every status is ok; the next run (same log file)
    warns once again."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text("[daemon]\nworkers = 2\ntimeout_s = 60.0\n")
    d = daemon().start()
    for n in range(8):
        drop(d.inbox, f"a{n}.txt", "Fire in the old town\n\n" + (GERMAN if n % 2 else SPANISH).format(n=n))
    records = d.wait_records(8, timeout=90)
    assert d.stop() == 0
    assert all(r["status"] == "ok" for r in records)
    spanish = [r for r in records if r["segments"] and r["segments"][-1]["lang"] == "es"]
    german = [r for r in records if r["segments"] and r["segments"][-1]["lang"] == "de"]
    assert len(spanish) == 4 and len(german) == 4
    assert all("firefighters" in r["translation"]["text"].lower() or "fire" in r["translation"]["text"].lower()
               for r in spanish)
    assert all(r["segments"][-1]["note"] == "no translation engine installed for de->en" for r in german)
    log = [orjson.loads(line) for line in d.log.read_bytes().splitlines() if line.startswith(b"{")]
    warnings = [e for e in log if e.get("event") == "no translation engine for a language pair"]
    assert [w["pair"] for w in warnings] == ["de-en"]
    assert (tmp_path / "state" / "translate_cache.sqlite").is_file()

    d2 = daemon().start()
    drop(d2.inbox, "again.txt", "Fire in the old town, again\n\n" + GERMAN.format(n=0))
    d2.wait_records(9, timeout=60)
    assert d2.stop() == 0
    log = [orjson.loads(line) for line in d2.log.read_bytes().splitlines() if line.startswith(b"{")]
    warnings = [e for e in log if e.get("event") == "no translation engine for a language pair"]
    assert [w["pair"] for w in warnings] == ["de-en", "de-en"]


def test_workers_share_one_argos_process(daemon: Any, tmp_path: Path) -> None:
    """With an Argos package installed, the daemon starts one shared Argos process at
    start-up; workers' Spanish passages are translated through it, and it stops with
    the daemon."""
    from newsdesk_plugins.translate.packages import install_file

    from ..translate.tiny_argos import build_package

    install_file(build_package(tmp_path / "es_en.argosmodel"), tmp_path / "state" / "argos-packages")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text(
        "[daemon]\nworkers = 2\ntimeout_s = 60.0\n[translate]\nengine = \"argos\"\n")
    d = daemon().start()
    for n in range(4):
        drop(d.inbox, f"s{n}.txt", "Incendio\n\n" + SPANISH.format(n=n))
    records = d.wait_records(4, timeout=90)
    assert d.stop() == 0
    assert all(r["segments"][-1]["engine"] == "argos" for r in records)
    log = d.log.read_text()
    assert "shared Argos process started" in log


def test_a_killed_argos_process_is_replaced_and_no_passage_is_lost(daemon: Any, tmp_path: Path) -> None:
    """kill -9 of the shared Argos process while workers' passages wait in it: the daemon
    logs one warning naming the signal and starts a new one; the workers translate the
    passages in flight themselves, so every article comes out translated and ok; later
    articles are translated by the new process."""
    import os
    import signal
    import time

    from newsdesk_plugins.translate.broker import BrokerClient
    from newsdesk_plugins.translate.engines import EngineError
    from newsdesk_plugins.translate.packages import install_file

    from ..translate.tiny_argos import build_package

    state = tmp_path / "state"
    install_file(build_package(tmp_path / "es_en.argosmodel"), state / "argos-packages")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text(
        "[daemon]\nworkers = 2\ntimeout_s = 60.0\n"
        # Passages wait 3 s in the shared process for company: time to kill it with them.
        "[translate]\nengine = \"argos\"\nargos_batch_window_ms = 3000.0\n")

    def stats() -> dict[str, Any] | None:
        try:
            answer = BrokerClient(state, 10.0).call(("stats",))
        except EngineError:
            return None
        return {**answer[2], "batches": answer[1]}

    def wait_stats(what: str, ok: Any) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            s = stats()
            if s is not None and ok(s):
                return s
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}:\n" + d.log.read_text()[-3000:])

    d = daemon().start()
    for n in range(4):
        drop(d.inbox, f"s{n}.txt", "Incendio\n\n" + SPANISH.format(n=n))
    old = wait_stats("passages waiting in the shared Argos process", lambda s: s["requests"] >= 1)["pid"]
    os.kill(old, signal.SIGKILL)
    records = d.wait_records(4, timeout=90)
    new = wait_stats("a new shared Argos process", lambda s: s["pid"] != old)["pid"]
    for n in range(4, 6):
        drop(d.inbox, f"s{n}.txt", "Incendio\n\n" + SPANISH.format(n=n))
    records = d.wait_records(6, timeout=90)
    served = stats()
    assert d.stop() == 0
    assert all(r["status"] == "ok" for r in records), [r["errors"] for r in records]
    assert all(r["segments"][-1]["engine"] == "argos" and r["segments"][-1]["translation"] for r in records)
    assert served is not None and served["pid"] == new and served["batches"]
    log = [orjson.loads(line) for line in d.log.read_bytes().splitlines() if line.startswith(b"{")]
    trouble = [e for e in log if e.get("level") in ("warning", "error")]
    assert [(e["event"], e["exit"], e["pid"]) for e in trouble] == [
        ("the shared Argos process died; starting a new one", "killed by SIGKILL", old)]
    assert [e["pid"] for e in log if e.get("event") == "shared Argos process restarted"] == [new]
    assert any(e.get("event", "").startswith("the shared Argos process went away with a batch in flight")
               for e in log)
