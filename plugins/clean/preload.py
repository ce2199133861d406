"""Imported by the workers' fork server (the ``newsdesk_worker_preload`` hook) before it
forks any worker: the clean engine and trafilatura are imported, and the tables the
line features build on first use (the stop-word index that guesses a page's language,
dateparser's month and weekday names) are built here once and shared by the workers
(copy-on-write) instead of each building its own on its first article.

A failure here costs memory, not records: each worker then builds what it needs itself
and reports its own errors; one line on stderr says so.
"""

from __future__ import annotations

import sys


def preload() -> None:
    import trafilatura  # noqa: F401 - imported to share

    from newsdesk_plugins.clean import engine  # noqa: F401 - imported to share
    from newsdesk_plugins.clean.features import _month_names, _stopword_langs

    _stopword_langs()
    _month_names()


try:
    preload()
except Exception as exc:  # noqa: BLE001 - the workers build what they need themselves
    print(f"newsdesk: clean: preloading in the workers' fork server failed "
          f"({type(exc).__name__}: {exc}); each worker builds its own", file=sys.stderr)
