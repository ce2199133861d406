"""``newsdesk process``: files and folders in, JSON lines on stdout in input order.

The files go through the same worker pool as under ``run``; records are
written in the order of the input. Nothing is moved, no journal is kept and
the stream file is not written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import structlog

from newsdesk.app import App
from newsdesk.article import Article
from newsdesk.errors import EXIT_OK, PathError, PluginError
from newsdesk.intake import placeholder_source
from newsdesk.output import Batch, write
from newsdesk.pipeline import MAIN_STAGES, failed_article, run_stages
from newsdesk.scan import is_ignored
from newsdesk.workers import Pool, Result, Task, WorkerStartError, preload_modules

log = structlog.get_logger("newsdesk.process")


def expand(paths: list[str], ignore: list[str]) -> Iterator[tuple[Path, Path | None]]:
    """Yield ``(file, root)`` for each path: files as given, folders walked in name order.

    Inside a folder, hidden and temporary names are skipped and a symlink may not
    point outside it; a file named on the command line is taken as it is.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_symlink() or not p.is_dir()):
                parts = file.relative_to(path).parts  # hidden folders are skipped too
                if not any(is_ignored(part, ignore) for part in parts):
                    yield file, path
        elif path.exists() or path.is_symlink():
            yield path, None
        else:
            raise PathError(f"{raw}: no such file or folder")


def _articles(app: App, result: Result) -> list[Article]:
    task = result.task
    assert task is not None
    if result.lost or result.vanished or result.busy:
        source, unread = placeholder_source(Path(task.path))
        stage = "worker" if result.lost else "read"
        reason = result.lost or result.vanished or result.busy or ""
        return [failed_article(source, unread, stage, "process", reason)]
    return result.articles


def process_paths(app: App, paths: list[str]) -> int:
    files = list(expand(paths, app.config.daemon.ignore))
    show = sys.stderr.isatty()
    max_bytes = int(app.config.daemon.max_file_mb * 1024 * 1024)
    size = min(app.config.daemon.workers or os.cpu_count() or 1, max(1, len(files)))
    pool = Pool(app.settings, size, app.config.daemon.timeout_s, root=None,
                max_bytes=max_bytes, log_level=app.config.log.level,
                log_format=app.config.log.format,
                start_timeout_s=app.config.daemon.start_timeout_s,
                # shared models only pay with two workers or more
                preload=preload_modules(app.pm) if size > 1 else None)
    # A file inside a folder argument must stay inside that folder: per-task roots.
    pending = [Task(n, str(f), root=str(root) if root else None) for n, (f, root) in
               enumerate(files)]
    done: dict[int, list[tuple[Article, bool]]] = {}
    next_out = 0
    app.pm.hook.newsdesk_startup(config=app.config)
    pool.start()
    try:
        queue = list(reversed(pending))
        while next_out < len(pending):
            while queue and pool.capacity > 0:
                pool.submit(queue.pop())
            results, resend = pool.poll(1.0)
            for task in resend:
                pool.submit(task)
            for result in results:
                assert result.task is not None
                placeholder = bool(result.lost or result.vanished or result.busy)
                done[result.task.seq] = [(a, placeholder) for a in _articles(app, result)]
            ready = []
            while next_out in done:
                ready.extend(done.pop(next_out))
                next_out += 1
            # The main-process stages (index: duplicates and stories) in input order, so
            # the first of two copies is the original whichever worker finished first.
            for article, placeholder in ready:
                if not placeholder:
                    run_stages(app.pm, article, MAIN_STAGES)
            if ready:
                write(app.pm, Batch.of([a.to_record() for a, _ in ready]))
                if show:
                    print(f"\rnewsdesk: {next_out}/{len(pending)} files", end="",
                          file=sys.stderr, flush=True)
        if show and pending:
            print(file=sys.stderr)
    except WorkerStartError as exc:
        raise PluginError(f"a worker could not start its plugins: {exc}") from exc
    finally:
        pool.stop()
        app.shutdown()
    return EXIT_OK
