"""``newsdesk spark`` on a folder: the records of ``newsdesk process``, exactly once,
indexed, and the plugins that fail cost only their article."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from ..fixture_inputs import SampleInput
from ..fixture_text import make_article_text
from .conftest import (
    committed_files,
    committed_lines,
    committed_records,
    needs_spark,
    process_group_gone,
    run_process,
    run_spark,
    spark_cmd,
)

needs_spark()

pytestmark = [pytest.mark.slow, pytest.mark.integration]


#: Written by the index plugin in the main process before the record (``run``,
#: ``process``); under Spark the driver decides them after the sink, into the index only.
GROUPING = ("story", "duplicate_of", "date_uncertain")


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what differs from run to run (timings, the time it was received)
    and without the grouping fields (see ``GROUPING``)."""
    out = {k: v for k, v in record.items() if k != "timings_ms" and k not in GROUPING}
    out["source"] = {k: v for k, v in record["source"].items() if k != "received"}
    return out


def by_source(records: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    keyed = {(r["source"]["name"], r["source"].get("line", 0)): comparable(r) for r in records}
    assert len(keyed) == len(records), "two records of the same file and line"
    return keyed


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One folder of good and bad inputs, through `process` and then `spark --once`."""
    from ..fixture_inputs import sample_inputs

    workdir = tmp_path_factory.mktemp("spark") / "work"
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True)
    samples: list[SampleInput] = sample_inputs()
    for sample in samples:
        sample.write(inbox)
    for n, lang in enumerate(("en", "de", "fr", "es", "ru")):
        (inbox / f"story-{lang}.txt").write_text(make_article_text(2500, lang, 40 + n))
    processed = run_process(workdir, str(inbox))
    first = run_spark(workdir)
    return {"workdir": workdir, "samples": samples, "processed": processed,
            "records": committed_records(workdir), "log": first.stderr}


def test_spark_writes_the_records_process_writes_for_the_same_folder(
        spark_run: dict[str, Any]) -> None:
    """Every file gives the records `newsdesk process` gives, field for field (timings,
    the time received and the index's grouping fields aside): bad inputs (empty,
    binary, broken JSON, odd names) included, as `failed` records with the same reasons."""
    ours, theirs = by_source(spark_run["records"]), by_source(spark_run["processed"])
    assert sorted(ours) == sorted(theirs)
    assert len(theirs) >= len(spark_run["samples"]) + 5
    for key in theirs:
        assert ours[key] == theirs[key], key
    empty = ours[("empty.txt", 0)]
    assert empty["status"] == "failed" and empty["errors"][0]["message"] == "empty file"


def test_a_second_once_run_adds_nothing(spark_run: dict[str, Any]) -> None:
    """Run again on the same folder: every file was taken by the first run, so the
    committed output and the index stay as they were."""
    workdir = spark_run["workdir"]
    before = sorted(committed_lines(workdir))
    files = committed_files(workdir / "output" / "spark")
    run_spark(workdir)
    assert sorted(committed_lines(workdir)) == before
    assert committed_files(workdir / "output" / "spark") == files


def test_search_finds_what_a_spark_run_wrote(spark_run: dict[str, Any], cli_env: dict[str, str]
                                             ) -> None:
    """The driver indexed each committed batch: `newsdesk search` lists every record
    that is indexable (not failed) with its id."""
    import sys

    workdir = spark_run["workdir"]
    done = subprocess.run([sys.executable, "-m", "newsdesk", "search", "--workdir", str(workdir),
                           "--json", "--limit", "1000"], capture_output=True, timeout=120,
                          env=cli_env)
    assert done.returncode == 0, done.stderr
    found = {orjson.loads(line)["id"] for line in done.stdout.splitlines()}
    wanted = {r["id"] for r in spark_run["records"] if r["status"] != "failed"}
    assert found == wanted


SLOW = '''
import time
from pathlib import Path
from newsdesk import hookimpl

@hookimpl
def newsdesk_extract(article):
    with open(Path(article.source.path).parent.parent / "calls.log", "a") as fh:
        fh.write(article.source.name + "\\n")
    time.sleep(0.4)
'''


def test_a_driver_killed_mid_batch_then_restarted_gives_every_input_exactly_once(
        tmp_path: Path) -> None:
    """kill -9 of the driver while a batch is in the executors, then `--once`: each
    input has exactly one committed record, and no committed file ends in a torn line."""
    workdir = tmp_path / "work"
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW)
    names = [f"story-{n:02d}.txt" for n in range(16)]
    for n, name in enumerate(names):
        (inbox / name).write_text(make_article_text(1200, "en", 100 + n))
    log = (tmp_path / "spark.log").open("wb")
    proc = subprocess.Popen(spark_cmd(workdir, "--plugins-dir", str(plugins),
                                      "--max-files-per-trigger", "4"),
                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    calls = workdir / "calls.log"
    metadata = workdir / "output" / "spark" / "_spark_metadata"
    deadline = time.monotonic() + 400
    # Wait for batch 0 to be committed and batch 1 to be in the middle of its files.
    while time.monotonic() < deadline:
        done = (metadata / "0").exists()
        called = len(calls.read_text().split()) if calls.exists() else 0
        if done and called >= 6:
            break
        assert proc.poll() is None, (tmp_path / "spark.log").read_text()[-3000:]
        time.sleep(0.1)
    else:
        raise AssertionError("no batch committed in time")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    log.close()
    process_group_gone(proc.pid)
    assert len(committed_records(workdir)) < len(names), "killed too late to test anything"
    run_spark(workdir, "--plugins-dir", str(plugins))
    names_out = sorted(r["source"]["name"] for r in committed_records(workdir))
    assert names_out == names
    ids = [r["id"] for r in committed_records(workdir)]
    assert len(set(ids)) == len(ids)


FAULTY = '''
import os, time
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    if article.source.name.startswith("raise"):
        raise RuntimeError("this plugin raises on purpose")
    if article.source.name.startswith("hang"):
        time.sleep(3600)
    if article.source.name.startswith("exit"):
        os._exit(3)
'''


def test_a_raising_a_hanging_and_an_exiting_plugin_cost_only_their_article(
        tmp_path: Path) -> None:
    """A plugin that raises leaves its article `partial` with the error; one that hangs
    past daemon.timeout_s or ends its process leaves a `failed` record saying so; the
    other articles are `ok` and the job finishes."""
    workdir = tmp_path / "work"
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True)
    (workdir / "config").mkdir()
    (workdir / "config" / "newsdesk.toml").write_text("[daemon]\ntimeout_s = 8.0\n")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "faulty.py").write_text(FAULTY)
    for n, name in enumerate(["raise.txt", "hang.txt", "exit.txt", "fine-1.txt", "fine-2.txt"]):
        (inbox / name).write_text(make_article_text(900, "en", 200 + n))
    run_spark(workdir, "--plugins-dir", str(plugins))
    records = {r["source"]["name"]: r for r in committed_records(workdir)}
    assert sorted(records) == ["exit.txt", "fine-1.txt", "fine-2.txt", "hang.txt", "raise.txt"]
    assert records["raise.txt"]["status"] == "partial"
    assert records["raise.txt"]["errors"] == [{
        "stage": "clean", "plugin": "faulty", "type": "RuntimeError",
        "message": "this plugin raises on purpose"}]
    assert records["hang.txt"]["status"] == "failed"
    assert "timed out after 8 s" in records["hang.txt"]["errors"][0]["message"]
    assert records["exit.txt"]["status"] == "failed"
    assert "worker process died (exit code 3)" in records["exit.txt"]["errors"][0]["message"]
    assert records["fine-1.txt"]["status"] == "ok" and records["fine-2.txt"]["status"] == "ok"
