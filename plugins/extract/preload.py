"""Imported by the workers' fork server (the ``newsdesk_worker_preload`` hook) before it
forks any worker: the extract engine's read-only data, which does not depend on the
configuration, is built there once and shared by every worker forked from it
(copy-on-write) instead of each worker building its own copy. That is the gazetteer,
its canonical-name keys and its name table, fastText's language model, natasha's Russian NER,
pymorphy3's Ukrainian dictionary (persons' base forms), simplemma's streams and
dateparser's data for English, German, Polish and Ukrainian (the languages of the default
article mix; other languages' load in the worker that meets them), and the number-word
parsers (text2num, number-parser) with their data for those languages and Russian.

A failure here costs memory, not records: each worker then builds what it needs
itself, as it does without a fork server, and reports its own errors; one line on
stderr says so.
"""

from __future__ import annotations

import sys

#: Languages whose simplemma stream is loaded before the workers fork (the rules read
#: base forms and known words of every language; these are the default mix's).
PRELOADED_BASE_FORMS = ("en", "de", "pl", "uk")


def preload() -> None:
    """Build the shared data now (3 to 5 s of CPU, once, in the fork server)."""
    from newsdesk_plugins.extract import dates, engine, facts, language  # noqa: F401 - imported to share
    from newsdesk_plugins.extract.canonical import gazetteer_keys
    from newsdesk_plugins.extract.entities import (
        PERSON_MORPHOLOGY,
        BaseForms,
        person_morphology,
        shared_phrases,
    )
    from newsdesk_plugins.extract.resources import gazetteer
    from newsdesk_plugins.extract.russian import shared_natasha

    gaz = gazetteer()
    gaz.country_stems  # noqa: B018 - a cached property, built here to be shared
    gazetteer_keys(gaz)  # the canonical-name tables (a worker reading them shares them)
    shared_phrases()
    language.warm()
    shared_natasha()
    for lang in PRELOADED_BASE_FORMS:
        BaseForms(lang)(["Newsdesk"])  # opens simplemma's stream for the language
        dates.parse_date("5 March 2024", lang)  # dateparser's data for the language (9 MB in all)
    for lang in set(PERSON_MORPHOLOGY.values()):
        person_morphology(lang)
    for lang in (*PRELOADED_BASE_FORMS, "ru"):  # number words' parsers and language data
        facts._value_of.__wrapped__("two", lang)


try:
    preload()
except Exception as exc:  # noqa: BLE001 - the workers load what they need themselves
    print(f"newsdesk: extract: preloading models in the workers' fork server failed "
          f"({type(exc).__name__}: {exc}); each worker loads its own", file=sys.stderr)
