"""The executor side of ``newsdesk spark`` without Spark: paths as Spark gives them."""

from __future__ import annotations

import orjson
import pytest

from newsdesk.app import Settings
from newsdesk_plugins.spark.executor import NOTICE_KEY, JobSpec, local_path, records_of


def test_a_local_file_shows_its_plain_path_whatever_its_name_holds() -> None:
    """Spark prints a local file as ``file:/dir/name``, not percent-encoded: a ``%``, a
    space or a newline in the name stays as it is."""
    assert local_path("file:/in/a%41 b.txt") == ("/in/a%41 b.txt", "a%41 b.txt")
    assert local_path("file:///in/line\nbreak.txt") == ("/in/line\nbreak.txt", "line\nbreak.txt")


def test_a_remote_file_keeps_its_url_as_its_path() -> None:
    assert local_path("hdfs://nn:8020/in/a.txt") == ("hdfs://nn:8020/in/a.txt", "a.txt")


def job(tmp: str) -> JobSpec:
    return JobSpec(settings=Settings(workdir=tmp), timeout_s=5.0, start_timeout_s=60.0,
                   max_bytes=100, ignore=(".*", "*.tmp"), log_level="error",
                   notices=f"{tmp}/notices")


def test_a_temporary_name_gives_no_record(tmp_path: object) -> None:
    """Names the daemon ignores (``daemon.ignore``) are not articles under Spark either."""
    assert records_of(job(str(tmp_path)), "file:/in/story.txt.tmp", 0.0, b"text") == []


def test_a_file_over_the_size_limit_is_a_failed_record_unread(tmp_path: object) -> None:
    """A file over daemon.max_file_mb gives a failed record saying so, as the daemon's."""
    [line] = records_of(job(str(tmp_path)), "file:/in/big.txt", 0.0, b"x" * 101)
    record = orjson.loads(line)
    assert record["status"] == "failed"
    assert record["source"]["path"] == "/in/big.txt"
    assert "over the limit of 100" in record["errors"][0]["message"]


@pytest.mark.slow  # a real newsdesk worker process, with every plugin
def test_an_empty_file_notice_stands_for_the_empty_file(tmp_path: object) -> None:
    """A notice (Spark skips empty files; the driver notices them) gives the record of
    the empty file it names: failed, "empty file", its own name and time."""
    spec = job(str(tmp_path))
    notice = orjson.dumps({NOTICE_KEY: "file:/in/empty.txt", "mtime": 1_700_000_000.0})
    [line] = records_of(spec, f"file:{spec.notices}/n.json", 0.0, notice)
    record = orjson.loads(line)
    assert record["status"] == "failed"
    assert record["errors"][0]["message"] == "empty file"
    assert record["source"]["name"] == "empty.txt"
    assert record["source"]["mtime"] == "2023-11-14T22:13:20Z"
    assert record["source"]["size"] == 0
