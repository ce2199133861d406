"""The spark plugin: ``newsdesk spark`` runs the configured plugin chain as an Apache Spark
Structured Streaming job (see docs/spark.md).

Spark is an optional extra (``pip install -e '.[spark]'``): this module imports
nothing of it, so the command is listed, and says how to install Spark, where
pyspark is missing.
"""

from __future__ import annotations

import argparse
from typing import Any

from newsdesk import hookimpl


@hookimpl
def newsdesk_register_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    from newsdesk_plugins.spark import command

    command.register(subparsers)
