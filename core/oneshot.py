"""``newsdesk process``: files and folders in, JSON lines on stdout in input order.

Nothing is moved, no journal is kept and the stream file is not written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import structlog

from newsdesk.app import App
from newsdesk.article import Article
from newsdesk.errors import EXIT_OK, PathError
from newsdesk.intake import Refused, Vanished, take
from newsdesk.output import Batch, write
from newsdesk.pipeline import MAIN_STAGES, WORKER_STAGES, failed_article, read, run_stages
from newsdesk.scan import is_ignored

log = structlog.get_logger("newsdesk.process")


def expand(paths: list[str], ignore: list[str]) -> Iterator[tuple[Path, Path | None]]:
    """Yield ``(file, root)`` for each path: files as given, folders walked in name order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if not p.is_dir()):
                if not is_ignored(file.name, ignore):
                    yield file, path
        elif path.exists() or path.is_symlink():
            yield path, None
        else:
            raise PathError(f"{raw}: no such file or folder")


def process_file(app: App, path: Path, root: Path | None) -> list[Article]:
    """Take, read and run every stage on one file; never raises for bad input."""
    max_bytes = int(app.config.daemon.max_file_mb * 1024 * 1024)
    try:
        taken = take(path, root, max_bytes)
    except (Refused, Vanished) as exc:
        from newsdesk.intake import placeholder_source

        source, data = placeholder_source(path)
        return [failed_article(source, data, "read", "intake", str(exc))]
    articles = read(app.pm, taken.source, taken.data)
    for article in articles:
        run_stages(app.pm, article, WORKER_STAGES + MAIN_STAGES)
    return articles


def process_paths(app: App, paths: list[str]) -> int:
    files = list(expand(paths, app.config.daemon.ignore))
    show = sys.stderr.isatty()
    app.pm.hook.newsdesk_startup(config=app.config)
    try:
        for n, (path, root) in enumerate(files, start=1):
            articles = process_file(app, path, root)
            write(app.pm, Batch.of([a.to_record() for a in articles]))
            if show:
                print(f"\rnewsdesk: {n}/{len(files)} files", end="", file=sys.stderr, flush=True)
        if show and files:
            print(file=sys.stderr)
    finally:
        app.shutdown()
    return EXIT_OK
