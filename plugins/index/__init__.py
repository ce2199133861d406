"""The index plugin: every article searchable, duplicates and stories grouped.

In ``newsdesk run`` it decides ``duplicate_of`` and ``story`` for each article
(``newsdesk_index``, in the daemon's process, before the record is written),
indexes the records once the stream holds them (``newsdesk_write``) and, at
start-up, indexes what its spool still holds (it never reads the stream files). It adds the commands
``search``, ``stories`` and ``reindex``. See docs/plugins/index.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from newsdesk import hookimpl
from newsdesk.config import Config, Section
from newsdesk.errors import PluginError

if TYPE_CHECKING:
    from newsdesk_plugins.index.grouping import Grouper, GroupSettings


@dataclass
class IndexSettings:
    """The [index] section."""

    #: The index folder, relative to the state folder unless absolute.
    folder: str = "index"
    #: The duplicate and story memory (SQLite), relative to the state folder unless absolute.
    state_file: str = "index.sqlite3"
    #: Seconds at most between a record reaching the stream and searches seeing it.
    commit_s: float = 0.5
    #: The index's spool (records handed to it, not yet committed), relative to the
    #: state folder unless absolute.
    spool_file: str = "index-spool.jsonl"
    #: fsync the spool after each batch (a record is on disk for the index before the
    #: sinks write it).
    fsync: bool = True
    #: Memory for the index writer, in MB (tantivy takes at least 15 MB a thread).
    writer_heap_mb: int = 64
    #: Threads the index writer uses in the daemon (0: as many as tantivy likes).
    writer_threads: int = 1
    #: Find exact and near duplicates and group articles into stories.
    group: bool = True
    #: Estimated Jaccard similarity of word shingles from which an article is a near-duplicate.
    duplicate_threshold: float = 0.8
    #: MinHash permutations (more: more exact, slower).
    num_perm: int = 128
    #: Words per shingle.
    shingle_words: int = 3
    #: Texts shorter than this many words are checked for exact duplicates only.
    min_words: int = 30
    #: How many days back a near-duplicate is looked for.
    duplicate_days: float = 30.0
    #: A story takes articles up to this many days after its last one.
    story_window_days: float = 7.0
    #: Score (0-1) from which an article joins a story.
    story_threshold: float = 0.3


def settings_of(config: Config) -> IndexSettings:
    settings: IndexSettings = config.section("index")
    return settings


def resolve(config: Config, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else config.path("state") / path


@hookimpl
def newsdesk_config_sections() -> Sequence[Section]:
    return [Section("index", IndexSettings)]


@hookimpl
def newsdesk_worker_preload() -> Sequence[str]:
    # numpy for the workers' MinHash signatures (duplicates.signature: numpy.random draws
    # the permutations, numpy.unique imports numpy.ma)
    return ["numpy", "numpy.random", "numpy.ma", "newsdesk_plugins.index.grouping",
            "newsdesk_plugins.index.prepare"]


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    if role == "worker" and config.command in ("run", "process"):
        _configure_worker(config, pm)
        return
    if role == "main" and config.command == "process":
        _configure_process(config, pm)
        return
    # The single writer lives in the daemon's process, or in the Spark driver, which
    # hands it each batch's records once Spark's file sink has committed them.
    if role != "main" or config.command not in ("run", "spark"):
        return
    from newsdesk_plugins.index.backend import IndexUnavailable
    from newsdesk_plugins.index.plugin import IndexPlugin
    from newsdesk_plugins.index.spool import Spool
    from newsdesk_plugins.index.tantivy_engine import TantivyBackend

    s = settings_of(config)
    folder = resolve(config, s.folder)
    try:
        backend = TantivyBackend(folder, writable=True, heap_mb=s.writer_heap_mb,
                                 threads=s.writer_threads)
    except IndexUnavailable as exc:
        raise PluginError(f"index: {exc}") from None
    # The duplicate and story memory is built in a thread (reading the state file of a
    # long run takes seconds): the daemon is ready before it is.
    grouper = partial(make_grouper, resolve(config, s.state_file), s) if s.group else None
    if pm.has_plugin("index.writer"):
        pm.unregister(name="index.writer")
    spool = Spool(resolve(config, s.spool_file), fsync=s.fsync)
    pm.register(IndexPlugin(backend, grouper, folder=folder, spool=spool, commit_s=s.commit_s),
                name="index.writer")


def _configure_worker(config: Config, pm: pluggy.PluginManager) -> None:
    """The worker computes each article's words, hashes, signature and counts
    (``prepare.py``), so that the daemon's index thread only decides."""
    s = settings_of(config)
    if not s.group:
        return
    from newsdesk_plugins.index.prepare import IndexPrepare

    if pm.has_plugin("index.prepare"):
        pm.unregister(name="index.prepare")
    pm.register(IndexPrepare(s.duplicate_threshold, s.num_perm, s.shingle_words, s.min_words),
                name="index.prepare")


def _configure_process(config: Config, pm: pluggy.PluginManager) -> None:
    """``newsdesk process`` decides ``duplicate_of`` and ``story`` as ``run`` does, over the
    files of the one call: the memory is a temporary file removed at the end (the daemon's
    state and index are neither read nor written)."""
    s = settings_of(config)
    if not s.group:
        return
    from newsdesk_plugins.index.plugin import OneShotGrouping

    if pm.has_plugin("index.oneshot"):
        pm.unregister(name="index.oneshot")
    pm.register(OneShotGrouping(group_settings(s)), name="index.oneshot")


def make_grouper(state_file: Path, s: IndexSettings) -> Grouper:
    from newsdesk_plugins.index.grouping import Grouper

    return Grouper(state_file, group_settings(s))


def group_settings(s: IndexSettings) -> GroupSettings:
    from newsdesk_plugins.index.grouping import GroupSettings

    return GroupSettings(duplicate_threshold=s.duplicate_threshold, num_perm=s.num_perm,
                         shingle_words=s.shingle_words, min_words=s.min_words,
                         duplicate_days=s.duplicate_days,
                         story_window_days=s.story_window_days,
                         story_threshold=s.story_threshold)


@hookimpl
def newsdesk_register_commands(subparsers: argparse._SubParsersAction) -> None:
    from newsdesk_plugins.index import commands

    commands.register(subparsers)
