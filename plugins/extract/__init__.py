"""The extract plugin: who, where, when, how many, who said what, according to whom.

Reads clean's ``text``, ``title``, ``removed`` and ``html_meta`` (or the input
itself when clean did not run) and writes ``title``, ``published``,
``modified``, ``authors``, ``site``, ``lang``, ``entities``, ``facts``,
``quotes`` and ``cited`` into the record. See docs/plugins/extract.md.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pluggy

from newsdesk import hookimpl
from newsdesk.config import Config, Section
from newsdesk.errors import ConfigError


@dataclass
class ExtractSettings:
    """The [extract] section."""

    #: A spaCy model to use for NER besides the rules: the name of a package the user
    #: installed (e.g. "en_core_web_sm") or a model folder (relative to workdir);
    #: empty: the embedded rules only.
    ner_model: str = ""
    #: The user's alias table, read on top of the shipped one (relative to workdir).
    aliases: str = "config/extract_aliases.toml"
    #: Longer texts are read up to this many characters (and the record says so).
    max_chars: int = 200_000


@hookimpl
def newsdesk_config_sections() -> Sequence[Section]:
    return [Section("extract", ExtractSettings)]


@hookimpl
def newsdesk_worker_preload() -> Sequence[str]:
    # the gazetteer, its name table, fastText, natasha: built once, shared by the workers
    return ["newsdesk_plugins.extract.preload"]


@hookimpl
def newsdesk_configure(config: Config, pm: pluggy.PluginManager, role: str) -> None:
    from newsdesk_plugins.extract.engine import Extractor

    settings: ExtractSettings = config.section("extract")
    model = _ner_model(settings.ner_model, Path(config.paths.workdir).expanduser())
    aliases = Path(settings.aliases).expanduser()
    if not aliases.is_absolute():
        aliases = Path(config.paths.workdir).expanduser() / aliases
    if pm.has_plugin("extract.engine"):
        pm.unregister(name="extract.engine")
    engine = Extractor(settings.max_chars, model, aliases)
    if role == "worker":
        # The rules (2-4 s) are built as the worker starts, not inside the first
        # article's time limit; the CLI and the daemon's main process stay fast.
        engine.warm()
    pm.register(engine, name="extract.engine")


def _ner_model(name: str, workdir: Path) -> str | None:
    """What ``spacy.load`` gets for ``ner_model``: an installed package's name or a model
    folder's path; a one-line ConfigError when it is neither."""
    if not name:
        return None
    if importlib.util.find_spec("spacy") is None:
        raise ConfigError(f"[extract] ner_model {name!r} needs spaCy, which is not installed: "
                          "pip install 'newsdesk[ner]', or leave ner_model empty")
    if "/" in name or name.startswith("."):
        folder = Path(name).expanduser()
        folder = folder if folder.is_absolute() else workdir / folder
        if not (folder / "config.cfg").is_file():
            raise ConfigError(f"[extract] ner_model {name!r}: {folder} is not a spaCy model folder "
                              "(no config.cfg in it)")
        return str(folder)
    if importlib.util.find_spec(name) is None:
        raise ConfigError(
            f"[extract] ner_model {name!r} is not installed; install it with "
            f"`python -m spacy download {name}` or leave ner_model empty"
        )
    return name
