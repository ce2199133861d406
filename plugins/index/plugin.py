"""The index plugin as the daemon runs it: decide duplicates and stories as each
article finishes, spool each batch before the sinks write it, index it once they have,
commit on a short timer, and at start-up index what the spool still holds.

The index keeps its own record of what it holds (the index itself and its spool,
:mod:`newsdesk_plugins.index.spool`); it never reads the stream files, so the
JSON-lines sink may be disabled, renamed or rotated without the index losing articles.

Off the daemon's critical path: the duplicate and story memory (the state file's
articles of the last 30 days, by default) loads in a thread from configuration on, so
the daemon is ready before it is (the first decision waits for it); a decision's SQLite
rows are committed once per written batch, not once per article; the index is
committed on a timer's thread, never in the daemon's loop (unless ``commit_s`` is 0);
and deciding takes its own lock, so a tantivy commit on the timer thread does not hold
up the next article's decision.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from newsdesk import hookimpl
from newsdesk.article import Article
from newsdesk.config import Config
from newsdesk.errors import PluginError
from newsdesk.output import Batch
from newsdesk_plugins.index import documents
from newsdesk_plugins.index.backend import Backend, IndexUnavailable
from newsdesk_plugins.index.prepare import KEY as PREPARED
from newsdesk_plugins.index.spool import Spool
from newsdesk_plugins.index.tantivy_engine import in_range

if TYPE_CHECKING:  # grouping is imported where the memory is built
    from newsdesk_plugins.index.grouping import Decision, Grouper, GroupSettings

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
            from newsdesk_plugins.index.grouping import Grouper

            self.tmp = tempfile.TemporaryDirectory(prefix="newsdesk-process-")
            self.grouper = Grouper(Path(self.tmp.name) / "groups.sqlite3", self.settings)
        apply(self.grouper.decide(article.id, article.record, article.source.received,
                                  commit=False, prepared=article.prepared.get(PREPARED)),
              article)

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

    def __init__(self, backend: Backend, grouper: Grouper | Callable[[], Grouper] | None, *,
                 folder: Path, spool: Spool, commit_s: float) -> None:
        """``grouper``: the duplicate and story memory, or a function that builds it
        (called at once in a thread of its own; the first decision waits for it)."""
        self.backend = backend
        self.folder = folder
        self.spool = spool
        self.commit_s = commit_s
        #: The spool holds records the index has not committed (it could not be written,
        #: or too many waited and were dropped from memory): it is kept for the next start.
        self.spool_kept = False
        self.lock = threading.Lock()
        self.pending: list[dict[str, Any]] = []  # written to the stream, not committed
        self.last_commit = time.monotonic()
        self.timer: threading.Timer | None = None
        self.failing = False
        self.closed = False
        self.group_lock = threading.Lock()  # the duplicate and story memory
        self._grouper: Grouper | None = None
        self._grouper_error: str | None = None
        self._loaded = threading.Event()  # built (or failed) and published
        self._after_load: list[Callable[[Grouper], None]] = []
        self._uncommitted = 0  # decisions not yet committed to the state file
        if grouper is None or not callable(grouper):
            self._grouper = grouper
            self._loaded.set()
        else:
            threading.Thread(target=self._load, args=(grouper,), name="newsdesk-index-memory",
                             daemon=True).start()

    def _load(self, build: Callable[[], Grouper]) -> None:
        t0 = time.perf_counter()
        try:
            grouper = build()
            while True:  # what start-up asked of the memory, then publish it
                with self.group_lock:
                    jobs, self._after_load = self._after_load, []
                    if not jobs:
                        self._grouper = grouper
                        break
                for job in jobs:
                    job(grouper)
        except Exception as exc:  # noqa: BLE001 - told here once, then by every decision
            self._grouper_error = f"{type(exc).__name__}: {exc}"
            log.error("the duplicate and story memory could not be loaded; articles get no "
                      "story or duplicate_of", error=self._grouper_error, exc_info=True)
        else:
            log.debug("duplicate and story memory loaded",
                     seconds=round(time.perf_counter() - t0, 2))
        finally:
            self._loaded.set()

    @property
    def grouper(self) -> Grouper | None:
        """The duplicate and story memory (waits while it loads)."""
        self._loaded.wait()
        if self._grouper_error is not None:
            raise PluginError("the duplicate and story memory could not be loaded: "
                              f"{self._grouper_error}")
        return self._grouper

    def _when_loaded(self, job: Callable[[Grouper], None]) -> None:
        """Run ``job`` on the memory now if it is loaded, else before it is published.
        Call without holding a lock: ``job`` takes the ones it needs."""
        with self.group_lock:
            if self._grouper is None and not self._loaded.is_set():
                self._after_load.append(job)
                return
            grouper = self._grouper
        if grouper is not None:
            job(grouper)

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
        grouper = self.grouper
        if grouper is None:
            return
        with self.group_lock:
            # Committed before the batch holding the record is written (``commit_state``):
            # the state is never behind the index, and decisions of articles the index
            # never got are forgotten at the next start (``reconcile``).
            decision = grouper.decide(article.id, article.record, article.source.received,
                                      commit=False, prepared=article.prepared.get(PREPARED))
            self._uncommitted += 1
        apply(decision, article)

    @hookimpl(specname="newsdesk_write", tryfirst=True)
    def commit_state(self, batch: Batch) -> None:
        """Commit the decisions made so far, once per batch, before the sinks write it."""
        with self.group_lock:
            if self._uncommitted and self._grouper is not None:
                self._grouper.state.commit()
                self._uncommitted = 0

    @hookimpl(tryfirst=True, specname="newsdesk_write")
    def spool_batch(self, batch: Batch) -> None:
        """Before any sink writes the batch, keep its records in the spool, so a crash
        after the sinks wrote them cannot leave them out of the index. Never refuses the
        batch: a spool that cannot be written is logged and the records are indexed from
        memory."""
        lines = [line for r, line in zip(batch.records, batch.lines, strict=True)
                 if documents.indexable(r)]
        with self.lock:
            try:
                self.spool.append(lines)
            except OSError as exc:
                log.error("could not write the index spool; these articles are indexed "
                          "from memory, and lost from the index if the daemon stops before "
                          "the next commit (`newsdesk reindex` restores them)",
                          error=str(exc), file=str(self.spool.path), articles=len(lines))

    @hookimpl(trylast=True)
    def newsdesk_write(self, batch: Batch) -> None:
        """Index what the sinks now hold; never refuses the batch (the stream is
        written whatever happens to the index)."""
        with self.lock:
            self.pending += [r for r in batch.records if documents.indexable(r)]
            if self.commit_s <= 0:  # a commit with every batch, asked for
                self._commit()
            elif self.timer is None and not self.closed:
                # Committed on the timer's thread when due, never in the daemon's loop
                # (adding the documents and tantivy's commit take milliseconds).
                due = self.commit_s - (time.monotonic() - self.last_commit)
                self.timer = threading.Timer(max(0.0, due), self._on_timer)
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
            self.spool.close()
        self._loaded.wait()
        with self.group_lock:
            if self._grouper is not None:
                self._grouper.close()  # commits what is left
                self._grouper = None

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
                          "they stay in the index spool and are indexed at the next start",
                          articles=len(self.pending), spool=str(self.spool.path))
                self.pending = []
                self.spool_kept = True
            return
        if self.failing:
            log.info("the index is written again", articles=len(self.pending))
        self.failing = False
        self.pending = []
        if not self.spool_kept:
            try:
                self.spool.clear()
            except OSError as exc:  # indexed again at the next start: harmless
                log.warning("could not empty the index spool", error=str(exc))

    # --- start-up --------------------------------------------------------------------

    def reconcile(self) -> None:
        """Index what the spool holds (handed to the index, then the daemon stopped
        before the commit), and forget the duplicate/story decisions of articles the
        index never got (decided, then the daemon stopped before they were written:
        they are decided afresh when they come again), once the memory is loaded.
        Deletes nothing from the index."""
        t0 = time.perf_counter()
        spooled = [r for r in self.spool.records() if documents.indexable(r)]
        spooled_ids = {r["id"] for r in spooled}
        with self.lock:
            try:
                if not self.backend.exists():
                    self.backend.reopen()
            except IndexUnavailable as exc:
                log.error("could not read the index at start-up", error=str(exc))
                self.spool_kept = True
                return
            self.pending += spooled
            self._commit()
        log.info("index spool checked", indexed=len(spooled),
                 seconds=round(time.perf_counter() - t0, 3))
        self._when_loaded(lambda g: self._forget_unindexed(g, spooled_ids))

    def _forget_unindexed(self, grouper: Grouper, spooled: set[str]) -> None:
        with self.group_lock:
            decided = grouper.state.ids()
        with self.lock:
            try:
                never_indexed, _ = self.backend.compare(decided)
            except IndexUnavailable as exc:
                log.error("could not read the index to check the duplicate and story "
                          "memory", error=str(exc))
                return
        forgotten = never_indexed - spooled
        with self.group_lock:
            grouper.forget(forgotten)
        if forgotten:
            log.info("decisions of articles the index never got forgotten",
                     articles=len(forgotten))
