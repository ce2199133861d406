"""Configuring one plugin module the way the framework does, for its tests."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from newsdesk.config import Config, load_core


def plugin_config(plugin: ModuleType, workdir: Path | None = None, **sections: dict[str, Any]) -> Config:
    """The configuration with ``plugin``'s sections bound: the defaults, ``sections`` (by
    section name) over them, and ``workdir`` as paths.workdir when given."""
    raw: dict[str, dict[str, Any]] = dict(sections)
    if workdir is not None:
        raw["paths"] = {"workdir": str(workdir)}
    config = load_core(None, raw)
    config.bind_sections(list(plugin.newsdesk_config_sections()))
    return config


def configured(plugin: ModuleType, config: Config, role: str) -> pluggy.PluginManager:
    """A plugin manager on which ``plugin``'s ``newsdesk_configure`` ran in ``role``."""
    pm = pluggy.PluginManager("newsdesk")
    plugin.newsdesk_configure(config=config, pm=pm, role=role)
    return pm
