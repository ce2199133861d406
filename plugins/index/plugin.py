"""The index plugin as the daemon runs it: decide duplicates and stories as each
article finishes, index records once the stream holds them, commit on a short
timer, and make the index agree with the stream at start-up."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import structlog

from newsdesk import hookimpl
from newsdesk.article import Article
from newsdesk.config import Config
from newsdesk.output import Batch
from newsdesk_plugins.index import documents
from newsdesk_plugins.index.backend import Backend, IndexUnavailable
from newsdesk_plugins.index.grouping import Decision, GroupSettings, Grouper
from newsdesk_plugins.index.stream import records, stream_files
from newsdesk_plugins.index.tantivy_engine import in_range

log = structlog.get_logger("newsdesk.index")

#: Records kept for a retry after a failed commit; beyond this, `reindex` is needed.
MAX_PENDING = 50_000


def apply(decision: Decision, article: Article) -> None:
    """Write a grouping decision into the record."""
    if decision.duplicate_of and decision.duplicate_of != article.id:
        article.record["duplicate_of"] = decision.duplicate_of
    if decision.story:
        article.record["story"] = decision.story
    if decision.date_uncertain:
        article.record["date_uncertain"] = True


class OneShotGrouping:
    """``newsdesk process``: duplicates and stories over the files of one call, with the
    same rules as ``run``, remembered in a temporary file removed at shutdown."""

    def __init__(self, settings: GroupSettings) -> None:
        self.settings = settings
        self.tmp: tempfile.TemporaryDirectory[str] | None = None
        self.grouper: Grouper | None = None

    @hookimpl
    def newsdesk_index(self, article: Article) -> None:
        if self.grouper is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="newsdesk-process-")
            self.grouper = Grouper(Path(self.tmp.name) / "groups.sqlite3", self.settings)
        apply(self.grouper.decide(article.id, article.record, article.source.received,
                                  commit=False), article)

    @hookimpl
    def newsdesk_shutdown(self) -> None:
        if self.grouper is not None:
            self.grouper.close()
            self.grouper = None
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None


class IndexPlugin:
    """Registered on the plugin manager by ``newsdesk run`` (the single writer)."""

    def __init__(self, backend: Backend, grouper: Grouper | None, *, folder: Path,
                 output: Path, prefix: str, commit_s: float) -> None:
        self.backend = backend
        self.grouper = grouper
        self.folder = folder
        self.output = output
        self.prefix = prefix
        self.commit_s = commit_s
        self.lock = threading.Lock()
        self.pending: list[dict[str, Any]] = []  # written to the stream, not committed
        self.last_commit = time.monotonic()
        self.timer: threading.Timer | None = None
        self.failing = False
        self.closed = False

    # --- hooks -----------------------------------------------------------------------

    @hookimpl
    def newsdesk_startup(self, config: Config) -> None:
        self.reconcile()

    @hookimpl
    def newsdesk_index(self, article: Article) -> None:
        moment = documents.when(article.record)
        if moment is not None and not in_range(moment):
            article.add_error("index", "index", f"the date {moment.date().isoformat()} is "
                              "outside the years the index can hold (1677 to 2262); the "
                              "article is indexed without it")
        if self.grouper is None:
            return
        with self.lock:
            decision = self.grouper.decide(article.id, article.record, article.source.received)
        apply(decision, article)

    @hookimpl(trylast=True)
    def newsdesk_write(self, batch: Batch) -> None:
        """Index what the stream now holds; never refuses the batch (the stream is
        written whatever happens to the index)."""
        with self.lock:
            self.pending += [r for r in batch.records if documents.indexable(r)]
            if time.monotonic() - self.last_commit >= self.commit_s:
                self._commit()
            elif self.timer is None and not self.closed:
                self.timer = threading.Timer(self.commit_s, self._on_timer)
                self.timer.daemon = True
                self.timer.start()

    @hookimpl
    def newsdesk_shutdown(self) -> None:
        with self.lock:
            self.closed = True
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            if self.pending:
                self._commit()
            self.backend.close()
            if self.grouper is not None:
                self.grouper.close()

    # --- committing ------------------------------------------------------------------

    def _on_timer(self) -> None:
        with self.lock:
            self.timer = None
            if not self.closed and self.pending:
                self._commit()

    def _commit(self) -> None:
        """Add the pending records and commit; on failure keep them for the next try."""
        self.last_commit = time.monotonic()
        try:
            if not self.backend.exists():
                log.error("the index folder was deleted; made a new, empty index: "
                          "run `newsdesk reindex` to rebuild it from the stream",
                          folder=str(self.folder))
                self.backend.reopen()
            self.backend.upsert(documents.to_doc(r) for r in self.pending)
            self.backend.commit()
        except (IndexUnavailable, OSError, ValueError) as exc:
            self.backend.rollback()
            if not self.failing:
                log.error("could not write the index; the stream is still written and the "
                          "articles are indexed at the next commit, the next start or by "
                          "`newsdesk reindex`", error=str(exc), articles=len(self.pending))
            log.debug("index traceback", exc_info=True)
            self.failing = True
            if len(self.pending) > MAX_PENDING:
                log.error("too many articles waiting for the index; dropped from memory: "
                          "they are indexed at the next start or by `newsdesk reindex`",
                          articles=len(self.pending))
                self.pending = []
            return
        if self.failing:
            log.info("the index is written again", articles=len(self.pending))
        self.failing = False
        self.pending = []

    # --- start-up --------------------------------------------------------------------

    def reconcile(self) -> None:
        """Make the index hold exactly the stream's articles: index the records it
        misses, remove what the stream does not hold (indexed, then killed before the
        stream had it)."""
        t0 = time.perf_counter()
        files = stream_files(self.output, self.prefix)
        in_stream = {r["id"] for r in records(files) if documents.indexable(r)}
        with self.lock:
            try:
                if not self.backend.exists():
                    self.backend.reopen()
                missing, extra = self.backend.compare(in_stream)
            except IndexUnavailable as exc:
                log.error("could not read the index at start-up", error=str(exc))
                return
            if self.grouper is not None:
                self.grouper.forget(self.grouper.state.ids() - in_stream)
            if missing:
                for rec in records(files):
                    if rec.get("id") in missing and documents.indexable(rec):
                        self.pending.append(rec)
            if extra:
                self.backend.delete(extra)
            if missing or extra:
                self._commit()
        log.info("index checked against the stream", articles=len(in_stream),
                 indexed=len(missing), removed=len(extra),
                 seconds=round(time.perf_counter() - t0, 3))
