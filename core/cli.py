"""The ``newsdesk`` command: argument parsing and the one-line errors a user reads.

Plugins add subcommands with ``newsdesk_register_commands``; the CLI first
reads the options that decide which plugins load, then builds the full parser.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, cast

import structlog

from newsdesk import __version__, bench, log
from newsdesk.app import App, Settings, build_app, load_config, plugin_manager
from newsdesk.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, NewsdeskError
from newsdesk.folderlock import FolderLock

logger = structlog.get_logger("newsdesk.cli")

#: What ``newsdesk --help`` says newsdesk is (for users, not the module's docstring).
DESCRIPTION = (
    "Turn news article files dropped in an inbox folder into one structured JSON record "
    "each (clean text, entities, facts, translation, story) on a JSON-lines stream and "
    "in a search index."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, documented exit code
        self.exit(EXIT_USAGE, f"newsdesk: error: {message} (see 'newsdesk --help')\n")


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands that all take the common options, plugin commands included
    (``newsdesk search --workdir DIR`` must work like ``newsdesk run --workdir DIR``)."""

    common: argparse.ArgumentParser | None = None

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        parents = list(kwargs.get("parents", []))
        if self.common is not None and self.common not in parents:
            kwargs["parents"] = [*parents, self.common]
        return super().add_parser(name, **kwargs)


def _common() -> _Parser:
    common = _Parser(add_help=False)
    g = common.add_argument_group("common options")
    g.add_argument("--workdir", default=".", metavar="DIR",
                   help="working folder; every other folder is relative to it (default: .)")
    g.add_argument("--config", metavar="FILE",
                   help="configuration file (default: WORKDIR/config/newsdesk.toml if present, "
                        "else the embedded defaults)")
    g.add_argument("--plugins-dir", action="append", default=[], metavar="DIR",
                   help="load every .py file in DIR as a plugin (repeatable)")
    g.add_argument("--disable", action="append", default=[], metavar="NAME",
                   help="do not load the plugin NAME (repeatable)")
    g.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
    g.add_argument("--log-format", choices=["auto", "console", "json"])
    return common


def _folder_options(p: argparse.ArgumentParser) -> None:
    for name in ("inbox", "output", "archive", "failed", "state"):
        p.add_argument(f"--{name}", metavar="DIR", help=f"the {name} folder")


def build_parser(common: _Parser) -> tuple[argparse.ArgumentParser, Any]:
    parser = _Parser(prog="newsdesk", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    sub = parser.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=_Parser,
                                action=_Subcommands)
    cast(_Subcommands, sub).common = common

    p = sub.add_parser("run", parents=[common], help="watch the inbox and stream records")
    _folder_options(p)
    p.add_argument("--once", action="store_true", help="process the backlog, then exit")
    p.add_argument("--stdout", action="store_true", help="also print records on stdout")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (0: one a core)")
    p.add_argument("--after", choices=["archive", "delete", "keep"],
                   help="what to do with a file once its record is written")
    p.add_argument("--observer", choices=["native", "polling"], help="how to watch the inbox")
    p.add_argument("--metrics-port", type=int, metavar="PORT",
                   help="serve Prometheus metrics on this port (default: off)")
    p.add_argument("--metrics-address", metavar="ADDR",
                   help="address of the metrics endpoint (default: 127.0.0.1)")
    p.set_defaults(command=_cmd_run)

    p = sub.add_parser("status", parents=[common],
                       help="is a daemon running on the working folder, and how is it doing")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(command=_cmd_status)

    p = sub.add_parser("process", parents=[common],
                       help="process files and folders once; JSON lines on stdout, nothing moved")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (0: one a core)")
    p.set_defaults(command=_cmd_process)

    p = sub.add_parser("plugins", parents=[common],
                       help="list loaded plugins, their hooks and the processes these run in")
    p.set_defaults(command=_cmd_plugins)

    p = sub.add_parser("config", parents=[common], help="print the effective configuration")
    p.set_defaults(command=_cmd_config)

    p = sub.add_parser("bench", parents=[common],
                       help="measure a real daemon on generated (or given) articles")
    bench.add_arguments(p)
    p.set_defaults(command=bench.command)

    return parser, sub


def _overrides(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def put(section: str, key: str, value: Any) -> None:
        if value is not None:
            out.setdefault(section, {})[key] = value

    for name in ("inbox", "output", "archive", "failed", "state"):
        put("paths", name, getattr(args, name, None))
    put("daemon", "workers", getattr(args, "workers", None))
    put("daemon", "after", getattr(args, "after", None))
    put("daemon", "observer", getattr(args, "observer", None))
    put("daemon", "metrics_port", getattr(args, "metrics_port", None))
    put("daemon", "metrics_address", getattr(args, "metrics_address", None))
    if getattr(args, "stdout", False):
        put("output", "stdout", True)
    put("log", "level", getattr(args, "log_level", None))
    put("log", "format", getattr(args, "log_format", None))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsdesk`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    common = _common()
    pre, _ = common.parse_known_args(argv)
    log.setup(pre.log_level or "info", pre.log_format or "auto")
    lock: FolderLock | None = None
    try:
        parser, sub = build_parser(common)
        # Plugins may add commands: load them (unconfigured) before parsing.
        pm = plugin_manager(_settings(pre, "", {}))
        pm.hook.newsdesk_register_commands(subparsers=sub)
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        settings = _settings(pre, args.cmd, _overrides(args))
        if args.cmd == "run":
            # One folder, one daemon: the lock comes before any plugin opens anything.
            lock = FolderLock(load_config(settings).path("state")).acquire()
        app = build_app(settings)
        try:
            log.setup(app.config.log.level, app.config.log.format)
            return int(args.command(args, app) or 0)
        finally:
            # A command that failed before its own shutdown (``spark`` without pyspark)
            # still closes what configuring opened (the index writer and its thread).
            app.shutdown()
    except NewsdeskError as exc:
        print(f"newsdesk: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:
        # The traceback is for whoever debugs: in the log at debug level, not in the
        # user's face (with locals, a structlog traceback can run to tens of kilobytes).
        logger.debug("unexpected error", exc_info=True)
        print(f"newsdesk: error: unexpected {type(exc).__name__}: {exc} "
              "(the traceback is logged with --log-level debug)", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        if lock is not None:
            lock.release()


def _settings(pre: argparse.Namespace, command: str,
              overrides: dict[str, dict[str, Any]]) -> Settings:
    plugins: dict[str, Any] = {}
    if pre.plugins_dir:
        plugins["dirs"] = list(pre.plugins_dir)
    if pre.disable:
        plugins["disable"] = list(pre.disable)
    if plugins:
        overrides = {**overrides, "plugins": plugins}
    return Settings(workdir=pre.workdir, config_file=pre.config, overrides=overrides,
                    command=command)


def _cmd_run(args: argparse.Namespace, app: App) -> int:
    from newsdesk.daemon import run_daemon

    return run_daemon(app, once=args.once)


def _cmd_status(args: argparse.Namespace, app: App) -> int:
    import orjson

    from newsdesk.folderlock import holder
    from newsdesk.status import report

    state = app.config.path("state")
    data, lines = report(state, holder(state))
    if args.json:
        print(orjson.dumps(data).decode())
    else:
        print("\n".join(lines))
    return 0 if data["running"] else 1


def _cmd_process(args: argparse.Namespace, app: App) -> int:
    from newsdesk.oneshot import process_paths

    return process_paths(app, args.paths)


def _cmd_plugins(args: argparse.Namespace, app: App) -> int:
    from newsdesk.hookspecs import runs_in
    from newsdesk.loader import hooks_of

    origins = {info.name: info.origin for info in app.plugins}
    for name, plugin in sorted(app.pm.list_name_plugin(), key=lambda np: np[0]):
        origin = origins.get(name) or (
            f"registered by {app.owners.get(name, '?')} at configure time ({type(plugin).__name__})")
        names = hooks_of(app.pm, plugin)
        hooks = ", ".join(h.removeprefix("newsdesk_") for h in names)
        print(f"{name}\t{origin}\t{hooks}\truns in {', '.join(runs_in(names))}")
    return 0


def _cmd_config(args: argparse.Namespace, app: App) -> int:
    from newsdesk.configfile import render

    print(f"# effective configuration, from {app.config.where}")
    print(render(app.config.as_dict()), end="")
    return 0
