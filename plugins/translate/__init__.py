"""The translate plugin: every passage in the reader's language, the original kept.

Reads clean's ``text`` and ``title`` (or the input itself when clean did not run) and
extract's ``lang`` when there is one, and writes ``segments`` and ``translation`` into
the record. See docs/plugins/translate.md.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from newsdesk import hookimpl
from newsdesk.config import Config, Section, choices
from newsdesk.errors import ConfigError

if TYPE_CHECKING:
    from newsdesk_plugins.translate.stage import Translator

#: The languages the identifier chooses among unless configured otherwise.
DEFAULT_LANGUAGES = ["en", "ru", "uk", "pl", "de", "it", "es", "fr", "pt", "nl", "cs", "be", "bg"]
ENGINES = ("argos", "libretranslate", "apertium")


@dataclass
class TranslateSettings:
    """The [translate] section."""

    #: The language every passage is translated into (ISO 639-1).
    target: str = "en"
    #: "auto": for each language pair the first engine installed for it, in the order
    #: argos, libretranslate, apertium; or one named engine only; "none": identify only.
    engine: str = choices("auto", "argos", "libretranslate", "apertium", "none", default="auto")
    #: The languages articles are expected in: identification chooses among these
    #: (more accurate on short lines); empty: all 176 languages fastText's lid.176 knows.
    languages: list[str] = field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    #: A passage with fewer letters than this is not judged: it takes its neighbours' language.
    min_letters: int = 12
    #: A judgement less sure than this (0 to 1) counts as too short to judge.
    min_confidence: float = 0.6
    #: Passages longer than this are cut (at sentence ends) before translation.
    max_segment_chars: int = 1500
    #: Longer texts are translated up to this many characters (and the record says so).
    max_chars: int = 200000
    #: The translation cache, relative to the state folder; empty: no cache.
    cache: str = "translate_cache.sqlite"
    #: Where Argos language packages are installed, relative to the state folder.
    argos_dir: str = "argos-packages"
    #: argostranslate's package index, read by `newsdesk translate install FROM TO`.
    argos_index: str = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    #: Beam size of the Argos models (1: greedy, fastest).
    argos_beam_size: int = 2
    #: CPU threads one worker gives CTranslate2.
    argos_threads: int = 1
    #: Seconds one Argos batch (the passages of one article) may take.
    argos_timeout_s: float = 120.0
    #: One Argos process for the whole daemon (started when packages are installed):
    #: it batches the passages of articles in flight together and holds each model
    #: once; false: each worker loads the models it needs.
    argos_shared: bool = True
    #: How long the shared Argos process waits for more articles' passages to batch.
    argos_batch_window_ms: float = 30.0
    #: The URL of a self-hosted LibreTranslate server; empty: not used.
    libretranslate_url: str = ""
    #: Its API key, if it asks for one.
    libretranslate_key: str = ""
    #: Seconds to wait for one answer of the server.
    libretranslate_timeout_s: float = 30.0
    #: Further attempts after a failed request (connection refused, time-out, 5xx).
    libretranslate_retries: int = 2
    #: Passages sent in one request.
    libretranslate_batch: int = 32
    #: Seconds one Apertium call (the passages of one article) may take.
    apertium_timeout_s: float = 60.0
    #: Seconds a download of `newsdesk translate install` may stall.
    download_timeout_s: float = 60.0


def state_path(config: Config, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.path("state") / path


def build(config: Config, role: str = "main") -> Translator:
    """Build the stage's engine (nothing loads until the first article)."""
    from newsdesk_plugins.translate.broker import Broker, BrokerClient
    from newsdesk_plugins.translate.cache import Cache
    from newsdesk_plugins.translate.engines import Engine
    from newsdesk_plugins.translate.engines.apertium import Apertium
    from newsdesk_plugins.translate.engines.argos import Argos
    from newsdesk_plugins.translate.engines.libretranslate import LibreTranslate
    from newsdesk_plugins.translate.langid import LanguageId
    from newsdesk_plugins.translate.stage import Translator

    s: TranslateSettings = config.section("translate")
    engines: list[Engine] = []
    wanted = ENGINES if s.engine == "auto" else (() if s.engine == "none" else (s.engine,))
    for name in wanted:
        if name == "argos":
            remote = BrokerClient(config.path("state"), s.argos_timeout_s) if s.argos_shared else None
            engines.append(Argos(state_path(config, s.argos_dir), s.argos_beam_size, s.argos_threads,
                                 timeout_s=s.argos_timeout_s, remote=remote))
        elif name == "libretranslate" and s.libretranslate_url:
            engines.append(LibreTranslate(s.libretranslate_url, s.libretranslate_key, s.libretranslate_timeout_s,
                                          s.libretranslate_retries, s.libretranslate_batch))
        elif name == "apertium":
            engines.append(Apertium(s.apertium_timeout_s))
    cache = Cache(state_path(config, s.cache)) if s.cache else None
    lid = LanguageId(s.languages, s.min_letters, s.min_confidence, target=s.target.lower())
    broker = None
    if role == "main" and s.argos_shared and "argos" in wanted:
        broker = Broker(config.path("state"), state_path(config, s.argos_dir), s.argos_beam_size,
                        s.argos_threads, s.argos_timeout_s, s.argos_batch_window_ms / 1000)
    return Translator(s.target.lower(), lid, engines, cache, s.max_segment_chars, s.max_chars,
                      broker=broker)


def run_id(role: str) -> str:
    """Name this run for the once-per-run warnings: the daemon's process (a worker's
    parent) or this process, by id and start time (ids are reused, start times are not)."""
    pid = os.getppid() if role == "worker" else os.getpid()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        started = stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        started = "?"
    return f"{pid}:{started}"


@hookimpl
def newsdesk_config_sections() -> Sequence[Section]:
    return [Section("translate", TranslateSettings)]


@hookimpl
def newsdesk_worker_preload() -> Sequence[str]:
    # imported once in the workers' fork server, shared by the workers
    return ["newsdesk_plugins.translate.preload"]


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    s: TranslateSettings = config.section("translate")
    if s.engine == "libretranslate" and not s.libretranslate_url:
        raise ConfigError("[translate] engine is 'libretranslate' but libretranslate_url is empty")
    if s.max_segment_chars < 100:
        raise ConfigError("[translate] max_segment_chars must be at least 100")
    bad = [code for code in [s.target, *s.languages] if not re.fullmatch(r"[a-z]{2,3}", code)]
    if bad:
        raise ConfigError(f"[translate] {bad[0]!r} is not a language code (ISO 639-1, like 'en')")
    if pm.has_plugin("translate.engine"):
        old: Any = pm.get_plugin("translate.engine")
        pm.unregister(name="translate.engine")
        old.close()
    stage = build(config, role)
    stage.run_id = run_id(role)
    if role == "worker":
        # The identifier (about 0.1 s) loads as the worker starts, not inside the first
        # article's time limit; translation models still load on first use.
        stage.lid.warm()
    pm.register(stage, name="translate.engine")


@hookimpl
def newsdesk_register_commands(subparsers: argparse._SubParsersAction) -> None:
    from newsdesk_plugins.translate.commands import register

    register(subparsers)
