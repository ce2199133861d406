"""Finding and registering plugins: entry points, plugin folders, enable and disable.

There is no global plugin manager: :func:`load_plugins` builds a fresh one for
each process (the CLI's, and each worker's).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy
import structlog

from newsdesk import PROJECT_NAME, hookspecs
from newsdesk.errors import PluginError
from newsdesk.hookcall import PluginManager

log = structlog.get_logger("newsdesk.loader")


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name and where it came from."""

    name: str
    origin: str


def new_manager() -> pluggy.PluginManager:
    """Return an empty plugin manager that knows every newsdesk hook (and shims each
    implementation registered on it: :mod:`newsdesk.hookcall`)."""
    pm = PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def load_plugins(
    pm: pluggy.PluginManager, dirs: list[Path], disabled: list[str]
) -> list[PluginInfo]:
    """Register every plugin of the entry-point group and of ``dirs``, except ``disabled``.

    Entry points come first (the built-ins register this way too), then the
    folders in order; a folder's plugin is named after its file. A plugin that
    fails to import raises :class:`PluginError` naming it, and so does a name
    used twice (two entry points, or a folder file named like a loaded plugin).
    """
    skip = set(disabled)
    loaded: list[PluginInfo] = []
    origins: dict[str, str] = {}
    for ep in sorted(entry_points(group=PROJECT_NAME), key=lambda e: e.name):
        if ep.name in skip:
            continue
        dist = ep.dist.name if ep.dist else "?"
        origin = f"entry point {ep.value} ({dist})"
        if ep.name in origins:
            raise PluginError(
                f"two installed plugins are named {ep.name!r}: {origins[ep.name]} and {origin}; "
                "uninstall one of them"
            )
        origins[ep.name] = origin
        if pm.has_plugin(ep.name):
            continue
        try:
            module = ep.load()
        except Exception as exc:
            log.debug("plugin import failed", plugin=ep.name, exc_info=True)
            raise PluginError(
                f"plugin {ep.name!r} (entry point {ep.value}) failed to import: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        _register(pm, module, ep.name)
        loaded.append(PluginInfo(ep.name, origin))
    for folder in dirs:
        if not folder.is_dir():
            raise PluginError(f"{folder}: plugin folder not found")
        for file in sorted(folder.glob("*.py")):
            name = file.stem
            if name.startswith("_") or name in skip:
                continue
            if pm.has_plugin(name):
                raise PluginError(f"{file}: a plugin named {name!r} is already loaded")
            module = _import_file(file, name)
            _register(pm, module, name)
            loaded.append(PluginInfo(name, f"file {file}"))
    return loaded


def _register(pm: pluggy.PluginManager, module: object, name: str) -> None:
    try:
        pm.register(module, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(f"plugin {name!r} is invalid: {exc}") from exc
    unknown = sorted(
        caller.name
        for caller in pm.get_hookcallers(module) or []
        if not caller.has_spec()
        and any(i.plugin is module and not i.optionalhook for i in caller.get_hookimpls())
    )
    if unknown:
        pm.unregister(module)
        raise PluginError(
            f"plugin {name!r} implements {', '.join(unknown)}, which is not a newsdesk hook "
            "(misspelt? see newsdesk.hookspecs)"
        )


def _import_file(file: Path, name: str) -> ModuleType:
    module_name = f"newsdesk_dir_plugin_{name}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise PluginError(f"{file}: cannot be imported as a plugin")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        log.debug("plugin import failed", plugin=name, file=str(file), exc_info=True)
        raise PluginError(f"{file}: plugin failed to import: {type(exc).__name__}: {exc}") from exc
    return module


def hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """Return the names of the hooks ``plugin`` implements, in spec order."""
    callers = pm.get_hookcallers(plugin) or []
    return sorted(c.name for c in callers)
