"""Imported by the workers' fork server (the ``newsdesk_worker_preload`` hook) before it
forks any worker: what the translate stage loads the same in every worker is loaded here
once and shared by the workers (copy-on-write) instead of each loading its own. That is
fastText's language model (:func:`langid.shared_model`, about 7 MB), the
stop-words lists the function-word check reads, and pycountry's language table, which
the Apertium engine reads to name a language pair (about 3 MB, read on the first article
not in the target language).

A failure here costs memory, not records: each worker then loads what it needs itself
and reports its own errors; one line on stderr says so.
"""

from __future__ import annotations

import sys


def preload() -> None:
    from newsdesk_plugins.translate import (
        TranslateSettings,
        stage,  # noqa: F401 - imported to share
    )
    from newsdesk_plugins.translate.engines.apertium import iso3
    from newsdesk_plugins.translate.langid import FunctionWords, shared_model

    shared_model()
    defaults = TranslateSettings()
    if FunctionWords.available(defaults.target):  # its lists stay in stop-words' cache
        FunctionWords(defaults.target, defaults.languages)
    iso3("en")  # pycountry's language table loads on first use


try:
    preload()
except Exception as exc:  # noqa: BLE001 - the workers load what they need themselves
    print(f"newsdesk: translate: preloading in the workers' fork server failed "
          f"({type(exc).__name__}: {exc}); each worker loads its own", file=sys.stderr)
