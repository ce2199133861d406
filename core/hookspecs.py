"""Every hook newsdesk calls, grouped by phase.

Each hook has one typed spec. Implement one in a plugin with
``@newsdesk.hookimpl`` and a function of the same name; you may accept a
subset of the arguments. Unless a spec says "first result wins", every
implementation is called and their results are collected.

Phases, in the order an article meets them:

1. configuration and lifecycle: ``newsdesk_config_sections``,
   ``newsdesk_configure``, ``newsdesk_startup``, ``newsdesk_shutdown``,
   ``newsdesk_register_commands``, ``newsdesk_worker_preload``;
2. reading: ``newsdesk_read``;
3. stages: ``newsdesk_clean``, ``newsdesk_extract``, ``newsdesk_translate``
   (run in worker processes, in parallel across articles), ``newsdesk_index_prepare``
   (in the worker too), then ``newsdesk_index`` (run in the daemon's own process, one article at a time,
   so an index has a single writer);
4. output: ``newsdesk_write`` and ``newsdesk_recover``.

Each hook's docstring ends with the processes it runs in (``RUNS_IN`` below,
shown by ``newsdesk plugins``): **main**, the process of ``newsdesk run`` or
``newsdesk process`` (and of every CLI command); **worker**, their worker
processes; **executor**, the newsdesk worker inside each Spark executor under
``newsdesk spark`` (configured with ``role="worker"`` and ``config.command ==
"spark"``); **driver**, the process of ``newsdesk spark``, which runs the
main-process hooks on each batch's records once Spark's file sink has committed
them. A plugin that only makes sense in one process (a sink, an index writer)
registers its stateful part only where ``role == "main"``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk import hookspec

if TYPE_CHECKING:
    import pluggy

    from newsdesk.article import Article, Source
    from newsdesk.config import Config, Section
    from newsdesk.output import Batch


# --- 1. configuration and lifecycle --------------------------------------------------


@hookspec
def newsdesk_config_sections() -> Sequence[Section]:
    """Declare the configuration sections this plugin reads.

    Return a sequence of :class:`newsdesk.config.Section` (a section name and a
    dataclass whose fields, with their defaults, are the section's keys). The
    configuration file is validated against it: unknown keys and wrong types
    are errors that name the file and the key. Read the values in
    ``newsdesk_configure`` with ``config.section(name)``.

    Every implementation is called.

    Runs in: every process (main, worker, executor, driver).
    """
    raise NotImplementedError


@hookspec
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    """Configure the plugin, once per process, before any article.

    ``config`` is the validated configuration; ``pm`` the plugin manager, on
    which a stateful plugin registers an instance of its class (the pattern for
    plugins that hold open files, models or connections). ``role`` is
    ``"main"`` in the daemon or CLI process and ``"worker"`` in a worker
    process: stage plugins run in workers and should load models lazily there.

    Every implementation is called; the return value is ignored.

    Runs in: every process (main, worker, executor, driver).
    """


@hookspec
def newsdesk_startup(config: Config) -> None:
    """Called once in the main process when ``run``, ``process`` or ``spark`` starts, before the
    first article. Every implementation is called; the return value is ignored.

    Runs in: main, driver.
    """


@hookspec
def newsdesk_shutdown(config: Config) -> None:
    """Called once in every process that was configured, on its way out, after the last
    article: flush and close here. Every implementation is called; the return
    value is ignored.

    Runs in: every process (main, worker, executor, driver).
    """


@hookspec
def newsdesk_register_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add subcommands to the ``newsdesk`` CLI.

    Call ``subparsers.add_parser(name, help=...)``, add arguments, and
    ``parser.set_defaults(command=func)`` where ``func(args, app)`` receives
    the parsed arguments and a :class:`newsdesk.app.App` (configuration and
    plugin manager) and returns the exit code. The common options
    (``--workdir``, ``--config``, ``--plugins-dir``, ``--disable``, logging)
    are added to every subcommand; do not add them yourself.

    Every implementation is called; the return value is ignored.

    Runs in: main (the CLI, before the command runs).
    """


@hookspec
def newsdesk_worker_preload() -> Sequence[str]:
    """Name modules for the workers' fork server to import before it forks any worker.

    ``newsdesk run`` and ``newsdesk process`` fork their workers from one server
    process (multiprocessing's "forkserver" start method). What a module named here
    builds at its import in that server (a read-only model, a gazetteer, a matcher) is
    inherited by every worker, which shares its memory (copy-on-write) instead of
    loading its own copy. The server has no configuration: build only what does not
    depend on it, keep it in a module-level cache your ``newsdesk_configure`` reads, and
    catch your own errors there (a failure should leave the loading to each worker).

    Every implementation is called; the modules are imported in the order returned.

    Runs in: main (asked there; the modules are imported in the fork server).
    """
    raise NotImplementedError


# --- 2. reading -----------------------------------------------------------------------


@hookspec(firstresult=True)
def newsdesk_read(source: Source, data: bytes) -> list[Article] | None:
    """Turn a file's bytes into articles.

    ``source`` describes the file (name, path, size); ``data`` is its content.
    Return a list of :class:`newsdesk.article.Article` (one for most files,
    one a line for JSON lines), or None when the file is not of a type this
    reader handles. Raise :class:`newsdesk.errors.ReadError` when it is of the
    type but unusable (empty, binary, invalid); an article that could not be
    read on its own (one bad line) is returned already failed.

    First result wins: readers are asked in turn until one returns a list.

    Runs in: worker, executor.
    """


@hookspec(firstresult=True)
def newsdesk_read_by_line(source: Source, head: bytes) -> bool | None:
    """Say whether a file is one article a line, to be read line by line.

    ``head`` is the file's first bytes (up to 64 KiB). Return True for a file of
    one article a line (JSON lines): the daemon then never holds the whole file. It
    hashes the file in chunks and calls ``newsdesk_read`` once a line, with
    ``source.line`` set and ``data`` the line's bytes (without its newline); each
    article's records are written as they are done, a line past
    ``daemon.timeout_s`` costs that line alone, and each line (not the file) is held
    to ``daemon.max_file_mb``. Return None (or False) to have the file read whole.

    First result wins.

    Runs in: worker.
    """


# --- 3. stages ------------------------------------------------------------------------


@hookspec
def newsdesk_clean(article: Article) -> None:
    """Stage 1: turn ``article.content`` into the body text and its headline.

    Write ``text``, ``title`` and ``removed`` into ``article.record``. Runs in a
    worker process. An exception is recorded in the article's ``errors`` and the
    later stages still run (status "partial"). Every implementation is called;
    the return value is ignored.

    Runs in: worker, executor.
    """


@hookspec
def newsdesk_extract(article: Article) -> None:
    """Stage 2: read facts from the cleaned article (people, places, dates, counts,
    quotes) into ``article.record``. Runs in a worker process. Every
    implementation is called; the return value is ignored.

    Runs in: worker, executor.
    """


@hookspec
def newsdesk_translate(article: Article) -> None:
    """Stage 3: identify the languages of the passages and translate them into the
    target language, into ``article.record``. Runs in a worker process. Every
    implementation is called; the return value is ignored.

    Runs in: worker, executor.
    """


@hookspec
def newsdesk_index_prepare(article: Article) -> None:
    """Prepare, in the worker, what your ``newsdesk_index`` will need from the article.

    Called after the worker stages (clean, extract, translate) on each article that did
    not fail, in the worker process. Store what you computed in
    ``article.prepared[name]`` (``name``: your plugin's own key): it travels to the main
    process with the article and is never written into the record. Per-article work
    that does not depend on the main process's state (hashes, signatures, word
    counts) belongs here, off the daemon's single index thread; the main process
    should still compute it itself when it is missing (a record read back from a
    file, a plugin disabled in the workers). An exception is recorded in the
    article's ``errors`` under the stage "index" and the article goes on; the time
    counts to the record's ``timings_ms.index``.

    Every implementation is called; the return value is ignored.

    Runs in: worker, executor.
    """


@hookspec
def newsdesk_index(article: Article) -> None:
    """Stage 4: make the finished article searchable.

    Runs in the daemon's own process, one article at a time, after the worker
    stages and before the record is written: an index has a single writer and
    may add fields to the record (``duplicate_of``, ``story``). Under ``newsdesk
    spark`` it runs in the driver on each batch's records once Spark's file sink has
    committed them: what it adds reaches the later ``newsdesk_write`` hooks (the
    index) but not the records already written. Every implementation is called;
    the return value is ignored.

    Runs in: main, driver.
    """


# --- 4. output ------------------------------------------------------------------------


@hookspec
def newsdesk_write(batch: Batch) -> None:
    """Deliver finished records.

    ``batch.records`` are the records (dicts) and ``batch.lines`` the same
    records serialised as JSON lines (bytes ending in a newline). A durable
    sink must have them durably stored when it returns: only then is the input
    file archived and the article marked done. Raise to refuse the batch; it
    is retried and nothing is archived.

    Every implementation is called; the return value is ignored.

    Runs in: main, driver.
    """


@hookspec
def newsdesk_recover(pending: frozenset[str]) -> frozenset[str] | None:
    """After a crash, tell which of ``pending`` article ids this sink already holds.

    Called once at start-up with the ids of articles that were being written
    when the daemon stopped. Return the subset you hold durably, or None if
    this sink cannot tell. Ids no sink holds are processed again; a sink other
    than the stream file that needs exactly-once delivery must itself skip ids
    it already holds (record ids are content hashes, so that is a lookup).

    Every implementation is called; the answers are combined.

    Runs in: main (``newsdesk run`` only).
    """


#: Where each hook runs (see the module docstring): ``main``, ``worker``, ``executor``,
#: ``driver``. ``newsdesk plugins`` shows, for each plugin, the places of its hooks.
RUNS_IN: dict[str, tuple[str, ...]] = {
    "newsdesk_config_sections": ("main", "worker", "executor", "driver"),
    "newsdesk_configure": ("main", "worker", "executor", "driver"),
    "newsdesk_startup": ("main", "driver"),
    "newsdesk_shutdown": ("main", "worker", "executor", "driver"),
    "newsdesk_register_commands": ("main",),
    "newsdesk_worker_preload": ("main",),
    "newsdesk_read": ("worker", "executor"),
    "newsdesk_read_by_line": ("worker",),
    "newsdesk_clean": ("worker", "executor"),
    "newsdesk_extract": ("worker", "executor"),
    "newsdesk_translate": ("worker", "executor"),
    "newsdesk_index_prepare": ("worker", "executor"),
    "newsdesk_index": ("main", "driver"),
    "newsdesk_write": ("main", "driver"),
    "newsdesk_recover": ("main",),
}

#: The order places are listed in.
PLACES = ("main", "worker", "executor", "driver")


def runs_in(hooks: Sequence[str]) -> list[str]:
    """The places where any of ``hooks`` (full names) run, in :data:`PLACES` order."""
    where = {place for hook in hooks for place in RUNS_IN.get(hook, ())}
    return [place for place in PLACES if place in where]
