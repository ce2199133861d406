"""The clean stage: the story and nothing but the story, from scraped text and HTML.

Writes ``text``, ``title`` and ``removed`` (every line taken out, with its
role) into the record, and for HTML pages ``html_meta`` (what trafilatura
found of title, authors, date, site and url). See docs/plugins/clean.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy
import structlog

from newsdesk import hookimpl
from newsdesk.article import Article
from newsdesk.config import Config, Section

log = structlog.get_logger("newsdesk.clean")

PLUGIN = "clean"
STAGE = "clean"


@dataclass
class CleanSettings:
    """The ``[clean]`` configuration section."""

    #: Text beyond this many characters is not cleaned (an error says so).
    max_input_chars: int = 2_000_000
    #: HTML beyond this many characters is cut before parsing (an error says so):
    #: trafilatura takes about 5 s a million characters on the worst pages.
    max_html_chars: int = 1_500_000
    #: Ask trafilatura for precision over recall. Off: the line rules after trafilatura
    #: take its chrome out, and on web-pages-dev its precision mode loses story
    #: paragraphs (body F1 0.925 against 0.937 off, trafilatura alone 0.929), while on
    #: news-articles-dev it wins (0.927 against 0.912, trafilatura alone 0.890).
    favor_precision: bool = False
    #: What a line that is not running prose costs the story region, in characters
    #: (higher: a tighter region; a prose line adds its length).
    line_penalty: float = 120.0
    #: A short line seen in this many earlier articles of the same site is chrome (0: off).
    repeat_min_articles: int = 4
    #: Keep the per-site line counts in <state>/clean_sites.json across runs and workers.
    repeat_persist: bool = True
    #: A lexicon file replacing the shipped one; empty: config/clean_lexicon.toml if present.
    lexicon: str = ""


@hookimpl
def newsdesk_config_sections() -> list[Section]:
    return [Section("clean", CleanSettings)]


@hookimpl
def newsdesk_worker_preload() -> Sequence[str]:
    # imported once in the workers' fork server, shared by the workers
    return ["newsdesk_plugins.clean.preload"]


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    settings: CleanSettings = config.section("clean")
    lexicon = settings.lexicon
    if lexicon and not Path(lexicon).is_absolute():
        lexicon = str(Path(config.paths.workdir) / lexicon)
    elif not lexicon:
        candidate = Path(config.paths.workdir) / "config" / "clean_lexicon.toml"
        lexicon = str(candidate) if candidate.is_file() else ""
    from newsdesk_plugins.clean.engine import Cleaner

    memory_path = config.path("state") / "clean_sites.json" if settings.repeat_persist else None
    # ``newsdesk process`` leaves the working folder untouched: it reads the counts, never writes them
    cleaner = Cleaner(settings, lexicon or None, memory_path, memory_read_only=config.command == "process")
    pm.register(CleanStage(cleaner), name="clean.engine")


class CleanStage:
    """The registered stage: hands each article to the :class:`Cleaner`."""

    def __init__(self, cleaner: Any) -> None:
        self.cleaner = cleaner

    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        self.cleaner.clean(article)

    @hookimpl
    def newsdesk_shutdown(self, config: Config) -> None:
        self.cleaner.memory.save()
