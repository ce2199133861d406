"""Configuration: one TOML file, every key declared, every value checked.

The framework's own sections are the dataclasses below; a plugin declares
its own with the ``newsdesk_config_sections`` hook. Loading happens in two
steps because the plugin list itself is configured: :func:`read_toml` and
:func:`load_core` first, then :meth:`Config.bind_sections` once the plugins
are known. Unknown sections and keys are errors that name the file and key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError

#: Where ``newsdesk`` looks for a configuration file when none is given,
#: relative to the working folder. Without it the embedded defaults apply.
DEFAULT_CONFIG_PATH = Path("config") / "newsdesk.toml"

#: Name patterns the watcher and the backlog scan never take.
DEFAULT_IGNORE = [".*", "*.part", "*.tmp", "*~", "*.swp", "*.crdownload"]


def choices(*values: str, default: str) -> Any:
    """A string field that must be one of ``values``."""
    return field(default=default, metadata={"choices": values})


@dataclass(frozen=True)
class Range:
    """The values a number setting may take: ``low`` (or more than ``above``) up to
    ``high``; None leaves that side open."""

    low: float | None = None
    above: float | None = None
    high: float | None = None

    def holds(self, value: float) -> bool:
        return ((self.low is None or value >= self.low)
                and (self.above is None or value > self.above)
                and (self.high is None or value <= self.high))

    def __str__(self) -> str:
        if self.above is not None:
            lower = f"more than {self.above:g}"
        elif self.low is not None:
            lower = f"at least {self.low:g}"
        else:
            lower = ""
        upper = f"at most {self.high:g}" if self.high is not None else ""
        return " and ".join(part for part in (lower, upper) if part)


def bounded(default: float, *, low: float | None = None, above: float | None = None,
            high: float | None = None) -> Any:
    """A number field whose value must lie in a :class:`Range`, checked at start."""
    return field(default=default, metadata={"range": Range(low, above, high)})


@dataclass
class PathsSettings:
    """Every folder the daemon reads or writes, relative to ``workdir`` unless absolute."""

    workdir: str = "."
    inbox: str = "inbox"
    output: str = "output"
    archive: str = "archive"
    failed: str = "failed"
    state: str = "state"


@dataclass
class DaemonSettings:
    """How ``newsdesk run`` takes files and runs the stages."""

    workers: int = bounded(0, low=0)
    queue_size: int = bounded(10000, low=1)
    timeout_s: float = bounded(120.0, above=0)
    start_timeout_s: float = bounded(300.0, above=0)
    max_file_mb: float = bounded(50.0, above=0)
    after: str = choices("archive", "delete", "keep", default="archive")
    observer: str = choices("native", "polling", default="native")
    poll_interval_s: float = bounded(1.0, above=0)
    stable_s: float = bounded(1.0, low=0)
    rescan_s: float = bounded(10.0, low=0)  # 0: no periodic rescan
    ignore: list[str] = field(default_factory=lambda: list(DEFAULT_IGNORE))
    #: Seconds a main-process hook (newsdesk_index, newsdesk_shutdown) may take.
    hook_timeout_s: float = 60.0
    #: Port of the Prometheus metrics endpoint; 0 leaves it off.
    metrics_port: int = 0
    #: Address the metrics endpoint listens on (loopback unless told otherwise).
    metrics_address: str = "127.0.0.1"


@dataclass
class OutputSettings:
    """Handing records to the sinks. The stream files' own settings (prefix, fsync) are
    the JSON-lines sink's, in its ``[jsonl]`` section."""

    stdout: bool = False
    batch_ms: float = bounded(20.0, low=0)


#: Keys that moved out of a framework section: (section, key) -> where they are now.
MOVED = {
    ("output", "prefix"): "[jsonl] prefix",
    ("output", "fsync"): "[jsonl] fsync",
}


@dataclass
class PluginsSettings:
    """Which plugins load."""

    dirs: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)


@dataclass
class LogSettings:
    """Logging to stderr."""

    level: str = choices("debug", "info", "warning", "error", default="info")
    format: str = choices("auto", "console", "json", default="auto")


CORE_SECTIONS: dict[str, type] = {
    "paths": PathsSettings,
    "daemon": DaemonSettings,
    "output": OutputSettings,
    "plugins": PluginsSettings,
    "log": LogSettings,
}


@dataclass(frozen=True)
class Section:
    """A configuration section a plugin declares: its name and its dataclass."""

    name: str
    schema: type


@dataclass
class Config:
    """The effective configuration of one run."""

    file: Path | None
    paths: PathsSettings
    daemon: DaemonSettings
    output: OutputSettings
    plugins: PluginsSettings
    log: LogSettings
    raw: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    #: The CLI command this run serves ("run", "process", "search", ...).
    command: str = "run"

    @property
    def where(self) -> str:
        return str(self.file) if self.file else "the embedded defaults"

    def path(self, name: str) -> Path:
        """Return the folder ``name`` ("inbox", "output", ...) resolved against workdir."""
        workdir = Path(self.paths.workdir).expanduser()
        value = Path(getattr(self.paths, name)).expanduser()
        return value if value.is_absolute() else workdir / value

    def section(self, name: str) -> Any:
        """Return the validated settings of a plugin's section."""
        try:
            return self.sections[name]
        except KeyError:
            raise KeyError(f"no configuration section {name!r} was declared") from None

    def bind_sections(self, declared: list[Section]) -> None:
        """Validate the plugin sections of the file against what plugins declared."""
        known = dict(CORE_SECTIONS)
        for section in declared:
            if section.name in known and known[section.name] is not section.schema:
                raise ConfigError(f"two plugins declare the configuration section [{section.name}]")
            known[section.name] = section.schema
            self.sections[section.name] = build(
                section.schema, self.raw.get(section.name, {}), section.name, self.where
            )
        # The section of a plugin that is disabled (`--disable extract`, `plugins.disable`)
        # stays in the file unread: disabling a plugin does not mean editing the file.
        # Sections are named after their plugin by convention, which is what this relies on.
        unknown = sorted(set(self.raw) - set(known) - set(self.plugins.disable))
        if unknown:
            raise ConfigError(
                f"{self.where}: unknown section [{unknown[0]}]; "
                f"expected one of: {', '.join(sorted(known))}"
            )

    def as_dict(self) -> dict[str, Any]:
        """Return every setting, framework and plugins, as plain data."""
        out = {name: dataclasses.asdict(getattr(self, name)) for name in CORE_SECTIONS}
        for name, value in sorted(self.sections.items()):
            out[name] = dataclasses.asdict(value)
        return out


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, or raise a one-line :class:`ConfigError` naming it."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


#: Lists a command-line option adds to rather than replaces (`--plugins-dir`, `--disable`).
ADDITIVE = frozenset({("plugins", "dirs"), ("plugins", "disable")})


def load_core(
    file: Path | None, raw: dict[str, Any], overrides: dict[str, dict[str, Any]] | None = None
) -> Config:
    """Build the framework's part of the configuration from a parsed file.

    ``overrides`` (from command-line options) are applied over the file, per
    section and key, and validated the same way; the lists of ``ADDITIVE`` are
    extended instead.
    """
    where = str(file) if file else "the embedded defaults"
    for name, value in raw.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: key {name!r} must be inside a [section]")
    merged: dict[str, Any] = {k: dict(v) for k, v in raw.items()}
    for section, values in (overrides or {}).items():
        target = merged.setdefault(section, {})
        for key, value in values.items():
            old = target.get(key)
            if (section, key) in ADDITIVE and isinstance(old, list) and isinstance(value, list):
                target[key] = old + [v for v in value if v not in old]
            else:
                target[key] = value
    built = {
        name: build(schema, merged.get(name, {}), name, where)
        for name, schema in CORE_SECTIONS.items()
    }
    plugin_raw = {k: v for k, v in merged.items() if k not in CORE_SECTIONS}
    config = Config(file=file, raw=plugin_raw, **built)
    check_folders(config)
    return config


#: The folders newsdesk writes to or moves files out of.
FOLDERS = ("inbox", "output", "archive", "failed", "state")


def check_folders(config: Config) -> None:
    """Refuse a folder that is the file system's root (``output = "/"``)."""
    for name in FOLDERS:
        if config.path(name).resolve() == Path("/").resolve():
            raise ConfigError(f"{config.where}: [paths] {name} must be a folder other than "
                              f"the root /, got {getattr(config.paths, name)!r}")


def build(schema: type, values: dict[str, Any], section: str, where: str) -> Any:
    """Instantiate dataclass ``schema`` from ``values``, checking every key and type."""
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema)}
    unknown = sorted(set(values) - set(fields))
    moved = [k for k in unknown if (section, k) in MOVED]
    if moved:
        raise ConfigError(
            f"{where}: [{section}] {moved[0]} has moved to {MOVED[(section, moved[0])]}"
        )
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} in [{section}]; "
            f"expected one of: {', '.join(fields)}"
        )
    kwargs = {}
    for name, value in values.items():
        kwargs[name] = _check(value, hints[name], fields[name], f"[{section}] {name}", where)
    return schema(**kwargs)


def _check(value: Any, hint: Any, fld: dataclasses.Field[Any], key: str, where: str) -> Any:
    expected = _describe(hint)
    if not _matches(value, hint):
        raise ConfigError(f"{where}: {key} must be {expected}, got {value!r}")
    allowed = fld.metadata.get("choices")
    if allowed and value not in allowed:
        raise ConfigError(f"{where}: {key} must be one of {', '.join(allowed)}, got {value!r}")
    limits = fld.metadata.get("range")
    if limits is not None and not limits.holds(value):
        raise ConfigError(f"{where}: {key} must be {limits}, got {value!r}")
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def _matches(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_matches(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if origin is dict:
        key_t, val_t = typing.get_args(hint) or (Any, Any)
        return isinstance(value, dict) and all(
            _matches(k, key_t) and _matches(v, val_t) for k, v in value.items()
        )
    if hint is Any:
        return True
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(a) for a in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        plural = {str: "strings", int: "integers", float: "numbers", bool: "booleans"}
        return f"a list of {plural.get(item, _describe(item))}"
    if origin is dict:
        return "a table"
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if hint is type(None):
        return "absent"
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def locate(workdir: Path, explicit: str | None) -> Path | None:
    """Return the configuration file to read: the one given, else
    ``$NEWSDESK_CONFIG``, else ``<workdir>/config/newsdesk.toml`` if it exists."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDESK_CONFIG")
    if env:
        return Path(env)
    candidate = workdir / DEFAULT_CONFIG_PATH
    return candidate if candidate.is_file() else None
