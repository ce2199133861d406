"""Calling hooks through pluggy, with each plugin's errors caught and named.

newsdesk calls every hook through pluggy's hook callers (``pm.hook.newsdesk_clean(...)``),
so ``wrapper=True`` and ``hookwrapper=True`` implementations, ``tryfirst``/``trylast``
and ``pm.add_hookcall_monitoring`` work as pluggy documents them. What pluggy does not
give is per-plugin error isolation: one implementation's exception would stop the call.
So :class:`PluginManager` puts a shim around every implementation as it is registered:

- a plain implementation's exception becomes a :class:`HookError` naming the plugin and
  the hook (``plugin 'x', hook 'newsdesk_configure': ValueError: ...``); inside
  :func:`isolated` (the pipeline's stages) it is recorded instead, the implementation
  returns None, and the other implementations still run;
- a wrapper's own exception becomes a :class:`HookError` naming the wrapper's plugin.

The shim also times each plain implementation inside :func:`isolated`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pluggy

from newsdesk.article import Article, note_writers, snapshot
from newsdesk.errors import EXIT_PLUGIN, NewsdeskError, PluginError

#: Marks a function as a shim (the value is the plugin's own function).
_SHIM = "__newsdesk_shim_of__"


class HookError(PluginError):
    """An exception raised by one plugin's implementation of one hook.

    Its message is one line naming both; ``error`` is the original exception (its
    traceback is on ``__cause__``). It is a :class:`PluginError`; a
    :class:`NewsdeskError` raised by the plugin keeps its exit code (a plugin's
    ``ConfigError`` is still a configuration error).
    """

    def __init__(self, plugin: str, hook: str, error: BaseException) -> None:
        self.plugin = plugin
        self.hook = hook
        self.error = error
        self.exit_code = error.exit_code if isinstance(error, NewsdeskError) else EXIT_PLUGIN
        what = str(error) if isinstance(error, NewsdeskError) else f"{type(error).__name__}: {error}"
        super().__init__(f"plugin {plugin!r}, hook {hook!r}: {what}")


@dataclass(frozen=True)
class Failure:
    """One implementation's exception, caught during an isolated call."""

    plugin: str
    hook: str
    error: Exception


@dataclass
class Call:
    """What happened during one isolated hook call."""

    hook: str
    failures: list[Failure] = field(default_factory=list)
    #: Milliseconds each plugin's plain implementations took, by plugin name.
    ms: dict[str, float] = field(default_factory=dict)


_current: ContextVar[Call | None] = ContextVar("newsdesk_isolated_call", default=None)


@contextmanager
def isolated(hook: str) -> Iterator[Call]:
    """While inside, an implementation of ``hook`` that raises is recorded in the
    returned :class:`Call` (and returns None) instead of stopping the hook call."""
    call = Call(hook)
    token = _current.set(call)
    try:
        yield call
    finally:
        _current.reset(token)


def call_isolated(caller: pluggy.HookCaller, **kwargs: Any) -> tuple[Any, Call]:
    """Call ``caller`` with every plain implementation's error isolated; a wrapper's
    error is recorded too (the result is then None). Returns the result and the call."""
    with isolated(caller.name) as call:
        try:
            result = caller(**kwargs)
        except HookError as exc:  # a wrapper raised (plain implementations do not)
            if not isinstance(exc.error, Exception):
                raise
            call.failures.append(Failure(exc.plugin, exc.hook, exc.error))
            result = None
    return result, call


def _plain_shim(fn: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    def shim(*args: Any) -> Any:
        call = _current.get()
        if call is None or call.hook != hook:
            try:
                result = fn(*args)
                if hook == "newsdesk_read" and isinstance(result, list):
                    for article in result:
                        if isinstance(article, Article):
                            note_writers(article, plugin, {})
                return result
            except HookError:
                raise  # already named (a hook called from inside a hook)
            except Exception as exc:
                raise HookError(plugin, hook, exc) from exc
        t0 = time.perf_counter()
        article = next((a for a in args if isinstance(a, Article)), None)
        before = snapshot(article) if article is not None else {}
        try:
            return fn(*args)
        except Exception as exc:
            call.failures.append(Failure(plugin, hook, exc))
            return None
        finally:
            call.ms[plugin] = call.ms.get(plugin, 0.0) + (time.perf_counter() - t0) * 1000
            if article is not None:
                note_writers(article, plugin, before)

    setattr(shim, _SHIM, fn)
    return shim


def _wrapper_shim(fn: Callable[..., Any], plugin: str,
                  hook: str) -> Callable[..., Generator[Any, Any, Any]]:
    def shim(*args: Any) -> Generator[Any, Any, Any]:
        try:
            return (yield from fn(*args))
        except HookError:
            raise  # an inner implementation's, already named, passing through
        except Exception as exc:
            raise HookError(plugin, hook, exc) from exc

    setattr(shim, _SHIM, fn)
    return shim


def shim_plugin(pm: pluggy.PluginManager, plugin: object) -> None:
    """Put the shim around each of ``plugin``'s hook implementations (once)."""
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin or hasattr(impl.function, _SHIM):
                continue
            # pluggy types HookImpl.function as final; it is a plain slot, and replacing it
            # after registration is the one way to wrap an implementation in place.
            target: Any = impl
            if impl.wrapper or impl.hookwrapper:
                target.function = _wrapper_shim(impl.function, impl.plugin_name, caller.name)
            else:
                target.function = _plain_shim(impl.function, impl.plugin_name, caller.name)


def original(function: Callable[..., Any]) -> Callable[..., Any]:
    """The plugin's own function behind a shim (``function`` itself if it is none)."""
    inner: Callable[..., Any] = getattr(function, _SHIM, function)
    return inner


class PluginManager(pluggy.PluginManager):
    """pluggy's plugin manager, shimming each plugin's implementations as it registers
    (plugins registered at configure time included)."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        registered = super().register(plugin, name)
        if registered is not None:
            shim_plugin(self, plugin)
        return registered
