"""Metrics an operator can scrape: a Prometheus text endpoint (``run --metrics-port``).

Off by default; listens on the loopback address unless ``--metrics-address`` says
otherwise. Uses the official ``prometheus-client`` library with a registry of its
own (nothing is registered at import time).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from newsdesk.errors import NewsdeskError

log = structlog.get_logger("newsdesk.metrics")

#: Seconds; the stages run from under a millisecond (index) to seconds (translate).
STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                 10.0, 30.0, 60.0, 120.0)


class Metrics:
    """The daemon's counters, gauges and histograms, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.articles = Counter("newsdesk_articles", "Articles written to the stream, by "
                                "status (ok, partial, failed)", ["status"], registry=r)
        self.stage_seconds = Histogram("newsdesk_stage_seconds", "Time an article spent in "
                                       "each stage (read, clean, extract, translate, index)",
                                       ["stage"], buckets=STAGE_BUCKETS, registry=r)
        self.queue_depth = Gauge("newsdesk_queue_depth", "Files waiting to be taken",
                                 registry=r)
        self.in_flight = Gauge("newsdesk_in_flight", "Files in the workers or waiting to be "
                               "written", registry=r)
        self.worker_restarts = Counter("newsdesk_worker_restarts", "Worker processes "
                                       "replaced (a crash, a time-out, a failed start)",
                                       registry=r)
        self.paused = Gauge("newsdesk_intake_paused", "1 while intake is paused (no space "
                            "left on the output or state disk)", registry=r)
        self.workers = Gauge("newsdesk_workers", "Worker processes", registry=r)
        for status in ("ok", "partial", "failed"):
            self.articles.labels(status)  # present at 0 from the start
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def written(self, records: Iterable[dict[str, Any]]) -> None:
        """Count records just written and observe their stage timings."""
        for record in records:
            self.articles.labels(str(record.get("status", "ok"))).inc()
            timings = record.get("timings_ms")
            if isinstance(timings, dict):
                for stage, ms in timings.items():
                    if isinstance(ms, int | float):
                        self.stage_seconds.labels(stage).observe(ms / 1000)

    def serve(self, port: int, address: str = "127.0.0.1") -> None:
        """Start the HTTP endpoint in a thread of its own."""
        try:
            self._server, self._thread = start_http_server(port, address, self.registry)
        except OSError as exc:
            raise NewsdeskError(f"--metrics-port {port}: cannot listen on {address}:{port}: "
                            f"{exc.strerror or exc}") from None
        log.info("metrics endpoint listening", url=f"http://{address}:{port}/metrics")

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
