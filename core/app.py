"""One configured newsdesk: its configuration and its plugin manager, built per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
import structlog

from newsdesk import config as cfg
from newsdesk.hookcall import HookError, call_isolated
from newsdesk.loader import PluginInfo, load_plugins, new_manager

log = structlog.get_logger("newsdesk.app")


@dataclass(frozen=True)
class Settings:
    """What is needed to build an :class:`App` again in another process (picklable)."""

    workdir: str = "."
    config_file: str | None = None
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    command: str = "run"


@dataclass
class App:
    """The configuration and plugin manager of one process."""

    settings: Settings
    config: cfg.Config
    pm: pluggy.PluginManager
    plugins: list[PluginInfo]
    #: Plugins registered while configuring (stateful instances), by name: the name of
    #: the loaded plugin whose ``newsdesk_configure`` registered them.
    owners: dict[str, str] = field(default_factory=dict)
    shut_down: bool = field(default=False, init=False)

    @property
    def command(self) -> str:
        return self.settings.command

    def shutdown(self) -> list[HookError]:
        """Call ``newsdesk_shutdown`` once in every plugin, even after one has failed;
        a second call does nothing (the CLI calls it after every command, which may
        have called it already).

        Each failure is logged as one error line naming the plugin and the hook (the
        traceback at debug level) and returned.
        """
        if self.shut_down:
            return []
        self.shut_down = True
        _, call = call_isolated(self.pm.hook.newsdesk_shutdown, config=self.config)
        errors = [HookError(f.plugin, f.hook, f.error) for f in call.failures]
        for f, error in zip(call.failures, errors, strict=True):
            log.error(str(error), plugin=f.plugin, hook=f.hook)
            log.debug("plugin traceback", plugin=f.plugin, hook=f.hook, exc_info=f.error)
        return errors


def load_config(settings: Settings) -> cfg.Config:
    """Read and validate the framework's part of the configuration."""
    workdir = Path(settings.workdir)
    file = cfg.locate(workdir, settings.config_file)
    raw = cfg.read_toml(file) if file else {}
    overrides = {k: dict(v) for k, v in settings.overrides.items()}
    overrides.setdefault("paths", {}).setdefault("workdir", str(workdir))
    config = cfg.load_core(file, raw, overrides)
    config.command = settings.command
    return config


def _plugins(config: cfg.Config) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    pm = new_manager()
    dirs = [Path(d) if Path(d).is_absolute() else Path(config.paths.workdir) / d
            for d in config.plugins.dirs]
    return pm, load_plugins(pm, dirs, config.plugins.disable)


def plugin_manager(settings: Settings) -> pluggy.PluginManager:
    """Return a plugin manager with the configured plugins loaded but not configured
    (enough to ask them for CLI commands)."""
    return _plugins(load_config(settings))[0]


def build_app(settings: Settings, role: str = "main") -> App:
    """Load the configuration and the plugins, validate the plugins' sections and
    call ``newsdesk_configure``."""
    config = load_config(settings)
    pm, infos = _plugins(config)
    declared = [s for group in pm.hook.newsdesk_config_sections() for s in group]
    config.bind_sections(declared)
    owners = _configure(pm, config, role)
    return App(settings=settings, config=config, pm=pm, plugins=infos, owners=owners)


def _configure(pm: pluggy.PluginManager, config: cfg.Config, role: str) -> dict[str, str]:
    """Call every ``newsdesk_configure`` in pluggy's order (last registered first), one
    plugin at a time (all of its implementations once), and return which plugin
    registered each new plugin."""
    owners: dict[str, str] = {}
    caller = pm.hook.newsdesk_configure
    called: set[int] = set()
    for impl in reversed(caller.get_hookimpls()):
        if id(impl.plugin) in called:
            continue  # a plugin with two implementations (``specname``) had both called
        called.add(id(impl.plugin))
        before = {id(p) for p in pm.get_plugins()}
        pm.subset_hook_caller("newsdesk_configure", remove_plugins=[
            p for p in pm.get_plugins() if p is not impl.plugin
        ])(config=config, pm=pm, role=role)
        for name, plugin in pm.list_name_plugin():
            if id(plugin) not in before and name is not None:
                owners[name] = impl.plugin_name
    return owners
