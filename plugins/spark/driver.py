"""The Spark driver: the streaming query, the empty-file notices, and the index.

The query reads the inbox with Spark's ``binaryFile`` stream source (bytes as
they are: any encoding, name or size), runs :func:`executor.records_of` on each
file in the executors, and writes the JSON lines with Spark's file sink into
``<output>/spark/``: a batch's files count only once the sink has logged them in
``<output>/spark/_spark_metadata`` (exactly once across crashes, with the
checkpoint in ``<state>/spark/checkpoint``).

Spark's file sources skip empty files (they give no row), so the driver lists
the inbox for them and writes, for each, a small notice into
``<state>/spark/empty/``, a second stream source of the same query: the
executor turns a notice into the empty file's ``failed`` record.

After each batch the driver hands the records of newly committed files to the
hooks that run in the main process (``newsdesk_index``, then ``newsdesk_write``):
the index plugin indexes them, by id, so a file handed over twice (a driver
killed between indexing and noting it) changes nothing. The files handed over
are noted in ``<state>/spark/indexed.txt``.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import orjson
import structlog

from newsdesk.app import App
from newsdesk.article import FRAMEWORK_KEYS, Article, Source
from newsdesk.output import Batch, write
from newsdesk.pipeline import MAIN_STAGES, run_stages
from newsdesk_plugins.spark.executor import NOTICE_KEY, JobSpec, records_of

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.streaming import StreamingQuery

log = structlog.get_logger("newsdesk.spark")

#: The binaryFile source's columns (a streaming file source needs its schema given).
BINARY_SCHEMA = "path STRING, modificationTime TIMESTAMP, length BIGINT, content BINARY"


@dataclass(frozen=True)
class Folders:
    """Where the job reads and writes."""

    inbox: str  # a URI or a local path
    output: Path
    checkpoint: Path
    notices: Path
    indexed: Path


def folders(app: App, inbox: str | None) -> Folders:
    config = app.config
    state = config.path("state").absolute() / "spark"
    if inbox is None:
        source = str(config.path("inbox").absolute())
    elif "://" in inbox or inbox.startswith("file:"):
        source = inbox
    else:
        path = Path(inbox).expanduser()
        source = str(path if path.is_absolute() else (Path(config.paths.workdir) / path).absolute())
    return Folders(inbox=source, output=config.path("output").absolute() / "spark",
                   checkpoint=state / "checkpoint", notices=state / "empty",
                   indexed=state / "indexed.txt")


def session(master: str, app_name: str = "newsdesk") -> SparkSession:
    from pyspark.sql import SparkSession

    # Executors run this very Python (the venv where newsdesk is installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master).appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Plain pickled Python UDFs: no pandas or pyarrow needed.
        .config("spark.sql.execution.pythonUDF.arrow.enabled", "false")
        .config("spark.log.level", "WARN")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.python.worker.reuse", "true")
        # Files are small: pack a batch's files into about one task a core, not one a file.
        .config("spark.sql.files.openCostInBytes", "16384")
        .getOrCreate()
    )


def build_query(spark: SparkSession, job: JobSpec, where: Folders, *, once: bool,
                max_files: int | None) -> StreamingQuery:
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, StringType

    def read(path: str) -> DataFrame:
        reader = spark.readStream.format("binaryFile").schema(BINARY_SCHEMA)
        if max_files:
            reader = reader.option("maxFilesPerTrigger", max_files)
        return reader.load(path)

    files = read(where.inbox).unionByName(read(str(where.notices)))

    def run(path, mtime, content):  # no hints: with them, pyspark would ask for Arrow
        return records_of(job, path, mtime, bytes(content))

    chain = F.udf(run, ArrayType(StringType()), useArrow=False).asNondeterministic()
    lines = files.select(F.explode(chain(F.col("path"),
                                         F.col("modificationTime").cast("double"),
                                         F.col("content"))).alias("value"))
    writer = (lines.writeStream.format("text").outputMode("append")
              .option("checkpointLocation", str(where.checkpoint))
              .queryName("newsdesk"))
    if once:
        writer = writer.trigger(availableNow=True)
    return writer.start(str(where.output))


class EmptyFiles:
    """Lists the inbox for empty files and writes one notice for each (once)."""

    def __init__(self, spark: SparkSession, inbox: str, notices: Path,
                 ignore: list[str]) -> None:
        jvm = spark.sparkContext._jvm
        jsc = spark.sparkContext._jsc
        assert jvm is not None and jsc is not None, "no JVM behind the Spark session"
        conf = jsc.hadoopConfiguration()
        self.path = jvm.org.apache.hadoop.fs.Path(inbox)
        self.fs = self.path.getFileSystem(conf)
        self.notices = notices
        self.ignore = ignore
        notices.mkdir(parents=True, exist_ok=True)

    def scan(self) -> int:
        """Write a notice for each empty file not noticed before; return how many."""
        from newsdesk.scan import is_ignored

        written = 0
        try:
            statuses = self.fs.listStatus(self.path)
        except Exception:  # the inbox not there (yet): Spark's source says so itself
            return 0
        for status in statuses:
            if not status.isFile() or status.getLen() != 0:
                continue
            uri = status.getPath().toString()  # as the stream source gives it
            name = status.getPath().getName()
            if name.startswith(("_", ".")) or is_ignored(name, self.ignore):
                continue
            mtime = status.getModificationTime() / 1000
            key = hashlib.sha1(f"{uri}\0{mtime}".encode()).hexdigest()
            target = self.notices / f"{key}.json"
            if target.exists():
                continue
            temp = self.notices / f".{key}.tmp"  # hidden from Spark until renamed
            with open(temp, "wb") as fh:
                fh.write(orjson.dumps({NOTICE_KEY: uri, "mtime": mtime}))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, target)
            written += 1
        return written


class Indexer:
    """Hands the records of committed output files to the main-process hooks, once."""

    def __init__(self, spark: SparkSession, app: App, where: Folders) -> None:
        self.spark = spark
        self.app = app
        self.where = where
        where.indexed.parent.mkdir(parents=True, exist_ok=True)
        self.done = set(where.indexed.read_text().split("\n")) if where.indexed.exists() else set()
        self.done.discard("")
        self.records = 0

    def committed(self) -> list[str]:
        """The output files the sink has committed (read through Spark's own metadata log)."""
        if not (self.where.output / "_spark_metadata").is_dir():
            return []
        return sorted(self.spark.read.format("text").load(str(self.where.output)).inputFiles())

    def catch_up(self) -> int:
        """Hand over every committed file not handed over yet; return how many records."""
        n = 0
        for uri in self.committed():
            name = uri.rpartition("/")[2]
            if name in self.done:
                continue
            records = [r for r in (orjson.loads(line) for line in self._lines(uri))
                       if isinstance(r, dict)]
            finished = [self._main_stages(r) for r in records]
            write(self.app.pm, Batch.of(finished))
            with self.where.indexed.open("a") as fh:
                fh.write(name + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            self.done.add(name)
            n += len(records)
        self.records += n
        return n

    def _lines(self, uri: str) -> list[bytes]:
        parts = urlsplit(uri)  # inputFiles() gives percent-encoded URIs
        if parts.scheme in ("", "file"):
            with open(unquote(parts.path), "rb") as fh:
                return [line for line in fh if line.strip()]
        rows = self.spark.read.format("text").load(uri).collect()
        return [row.value.encode("utf-8") for row in rows if row.value.strip()]

    def _main_stages(self, record: dict[str, Any]) -> dict[str, Any]:
        """Run the main-process stages (index) on a record the executors wrote."""
        if record.get("status") == "failed":
            return record
        article = Article(
            id=record["id"], source=Source(**record["source"]), content="",
            record={k: v for k, v in record.items() if k not in FRAMEWORK_KEYS},
            errors=list(record.get("errors", [])),
            timings_ms=dict(record.get("timings_ms", {})),
        )
        run_stages(self.app.pm, article, MAIN_STAGES)
        return article.to_record()


def drive(spark: SparkSession, app: App, job: JobSpec, where: Folders, *, once: bool,
          max_files: int | None, poll_s: int = 1) -> int:
    """Run the query until it ends (``once``) or is interrupted; return the records
    handed to the main-process hooks."""
    empty = EmptyFiles(spark, where.inbox, where.notices, list(job.ignore))
    indexer = Indexer(spark, app, where)
    indexer.catch_up()  # a previous run killed after a commit, before its index
    empty.scan()
    query = build_query(spark, job, where, once=once, max_files=max_files)
    log.info("spark job started", inbox=where.inbox, output=str(where.output),
             master=spark.sparkContext.master, once=once)
    reported = [-1]

    def report() -> None:
        """Log each finished batch once: its files and where its time went."""
        for progress in query.recentProgress:
            batch = int(progress["batchId"])
            if batch > reported[0]:
                reported[0] = batch
                log.info("spark batch", batch=batch, files=int(progress["numInputRows"]),
                         duration_ms=dict(progress["durationMs"]))

    try:
        while True:
            finished = query.awaitTermination(poll_s)
            report()
            indexer.catch_up()
            if finished:
                break
            empty.scan()
            if query.exception() is not None:
                break
    except KeyboardInterrupt:
        query.stop()
        raise
    error = query.exception()
    if error is not None:
        from newsdesk.errors import NewsdeskError

        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NewsdeskError(f"the Spark job failed: {first} (the log has Spark's trace)")
    return indexer.records

