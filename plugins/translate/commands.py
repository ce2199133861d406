"""`newsdesk translate install FROM TO`, `newsdesk translate list` and
`newsdesk translate cache [--prune-days N]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.errors import EXIT_FAILURE, EXIT_USAGE

if TYPE_CHECKING:
    from newsdesk.app import App


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "translate", help="install or list translation language packages (Argos) and engines; "
                          "show or prune the translation cache",
        description="install: an Argos package for FROM TO from argostranslate's package index, "
                    "or from a local .argosmodel file (--file); list: the installed language "
                    "pairs of every engine; cache: the translation cache's size, and with "
                    "--prune-days N the removal of translations written more than N days ago.")
    p.add_argument("action", choices=["install", "list", "cache"])
    p.add_argument("pair", nargs="*", metavar="LANG", help="install: FROM TO (ISO 639-1 codes, e.g. ru en)")
    p.add_argument("--file", metavar="PATH", help="install from this .argosmodel file (no network)")
    p.add_argument("--prune-days", type=float, metavar="N",
                   help="cache: delete translations written more than N days ago")
    p.set_defaults(command=run)


def run(args: argparse.Namespace, app: App) -> int:
    from newsdesk_plugins.translate import TranslateSettings, state_path

    settings: TranslateSettings = app.config.section("translate")
    folder = state_path(app.config, settings.argos_dir)
    if args.action == "list":
        return list_pairs(settings, folder)
    if args.action == "cache":
        return cache(args, settings, app)
    return install(args, settings, folder)


def cache(args: argparse.Namespace, settings: object, app: App) -> int:
    import sqlite3
    import time

    from newsdesk_plugins.translate import TranslateSettings, state_path
    from newsdesk_plugins.translate.cache import Cache

    assert isinstance(settings, TranslateSettings)
    if not settings.cache:
        print("newsdesk: error: the translation cache is off ([translate] cache is empty)", file=sys.stderr)
        return EXIT_USAGE
    path = state_path(app.config, settings.cache)
    if not path.exists():
        print(f"no translation cache yet ({path})")
        return 0
    store = Cache(path)
    try:
        if args.prune_days is not None:
            if args.prune_days < 0:
                print("newsdesk: error: --prune-days must be 0 or more", file=sys.stderr)
                return EXIT_USAGE
            gone = store.prune(args.prune_days * 86400)
            print(f"pruned {gone} translation(s) written more than {args.prune_days:g} day(s) ago")
        st = store.stats()
    except sqlite3.Error as exc:
        print(f"newsdesk: error: {path}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        store.close()
    oldest = time.strftime("%Y-%m-%d", time.gmtime(st.oldest)) if st.oldest else "-"
    print(f"{path}: {st.entries} translation(s), {st.bytes / 1e6:.1f} MB, oldest written {oldest}"
          + (f", {st.undated} undated (written before entries were dated)" if st.undated else ""))
    return 0


def install(args: argparse.Namespace, settings: object, folder: Path) -> int:
    from newsdesk_plugins.translate import TranslateSettings
    from newsdesk_plugins.translate.packages import PackageError, install_file, install_from_index

    assert isinstance(settings, TranslateSettings)
    try:
        if args.file:
            if args.pair:
                print("newsdesk: error: give either FROM TO or --file, not both", file=sys.stderr)
                return EXIT_USAGE
            pkg = install_file(Path(args.file).expanduser(), folder)
        else:
            if len(args.pair) != 2:
                print("newsdesk: error: translate install needs FROM TO (e.g. ru en) or --file PATH", file=sys.stderr)
                return EXIT_USAGE
            src, tgt = (code.lower() for code in args.pair)
            pkg = install_from_index(src, tgt, folder, settings.argos_index, settings.download_timeout_s)
    except PackageError as exc:
        print(f"newsdesk: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"installed argos {pkg.pair} (package version {pkg.version}) in {pkg.path}")
    return 0


def list_pairs(settings: object, folder: Path) -> int:
    from newsdesk_plugins.translate import TranslateSettings
    from newsdesk_plugins.translate.engines.apertium import Apertium
    from newsdesk_plugins.translate.engines.libretranslate import LibreTranslate
    from newsdesk_plugins.translate.packages import installed

    assert isinstance(settings, TranslateSettings)
    rows: list[tuple[str, str, str]] = []
    for pkg in installed(folder):
        rows.append((pkg.pair, "argos", f"package {pkg.version}, {pkg.path}"))
    apertium = Apertium(settings.apertium_timeout_s)
    for mode, path in sorted(apertium.modes().items()):
        pair = _apertium_pair(mode)
        if pair:
            rows.append((pair, "apertium", f"mode {mode}, {path}"))
    if settings.libretranslate_url:
        libre = LibreTranslate(settings.libretranslate_url, settings.libretranslate_key,
                               settings.libretranslate_timeout_s, 0, 1)
        pairs = libre.pairs()
        for src, tgt in sorted(pairs):
            rows.append((f"{src}-{tgt}", "libretranslate", settings.libretranslate_url))
        if not pairs:
            rows.append(("-", "libretranslate", f"{settings.libretranslate_url}: no pairs "
                                                f"({libre._pairs_error or 'the server lists none'})"))
    if not rows:
        print(f"no translation engine installed (argos packages go in {folder}; "
              "see `newsdesk translate install`)")
        return 0
    for pair, engine, where in rows:
        print(f"{pair:<8} {engine:<15} {where}")
    return 0


def _apertium_pair(mode: str) -> str | None:
    """"spa-eng" -> "es-en"; variants ("spa-eng_US") and unknown codes are left out."""
    import pycountry

    parts = mode.split("-")
    if len(parts) != 2:
        return None
    codes = []
    for part in parts:
        lang = pycountry.languages.get(alpha_3=part)
        code = getattr(lang, "alpha_2", None) if lang is not None else None
        if code is None:
            return None
        codes.append(str(code))
    return "-".join(codes)
