"""``newsdesk spark``: the arguments, the checks at start, and the one-line errors."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from newsdesk.app import App, Settings
from newsdesk.errors import EXIT_OK, NewsdeskError, PluginError

INSTALL = "pip install 'newsdesk[spark]' (from a checkout: pip install -e '.[spark]')"


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    p = subparsers.add_parser(
        "spark", help="run the plugin chain as a Spark Structured Streaming job "
                      "(records in OUTPUT/spark/, see docs/spark.md)")
    p.add_argument("--master", default="local[*]",
                   help="Spark master URL: local[N], spark://HOST:PORT, yarn... (default local[*])")
    p.add_argument("--once", action="store_true",
                   help="process the files there now, then exit (availableNow)")
    p.add_argument("--max-files-per-trigger", type=_positive, metavar="N",
                   help="at most N inbox files a micro-batch (default: all new files)")
    p.add_argument("--inbox", dest="spark_inbox", metavar="URL",
                   help="the folder to read: a path (relative to --workdir) or a URL "
                        "(hdfs://, s3a://, file:/); default the workdir's inbox")
    p.set_defaults(command=cmd_spark)


def job_settings(app: App) -> Settings:
    """The settings executors rebuild the app from: every path absolute (a standalone
    executor runs in a folder of its own)."""
    s = app.settings
    file = app.config.file
    return Settings(workdir=str(Path(app.config.paths.workdir).expanduser().absolute()),
                    config_file=str(file.absolute()) if file else None,
                    overrides=s.overrides, command="spark")


def cmd_spark(args: argparse.Namespace, app: App) -> int:
    if importlib.util.find_spec("pyspark") is None:
        raise PluginError(f"newsdesk spark needs Apache Spark's pyspark: {INSTALL}")
    from newsdesk_plugins.spark.driver import drive, folders, session
    from newsdesk_plugins.spark.executor import JobSpec

    config = app.config
    where = folders(app, args.spark_inbox)
    job = JobSpec(settings=job_settings(app), timeout_s=config.daemon.timeout_s,
                  start_timeout_s=config.daemon.start_timeout_s,
                  max_bytes=int(config.daemon.max_file_mb * 1024 * 1024),
                  ignore=tuple(config.daemon.ignore), log_level=config.log.level,
                  notices=str(where.notices))
    spark = session(args.master)
    app.pm.hook.newsdesk_startup(config=config)
    try:
        drive(spark, app, job, where, once=args.once, max_files=args.max_files_per_trigger)
    except NewsdeskError:
        raise
    finally:
        app.shutdown()
        spark.stop()
    return EXIT_OK
