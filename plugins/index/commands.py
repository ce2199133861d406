"""``newsdesk search``, ``newsdesk stories`` and ``newsdesk reindex``."""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from newsdesk.app import App
from newsdesk.errors import EXIT_OK, EXIT_PATH, PathError
from newsdesk_plugins.index import documents, group_settings, resolve, settings_of
from newsdesk_plugins.index.backend import Filters, Hit, IndexUnavailable
from newsdesk_plugins.index.stream import records

MAX_LIMIT = 10_000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("search", help="search the index (ranked, with snippets)")
    p.add_argument("query", nargs="*", help="words, \"a phrase\", title:word, a AND b, ...; "
                   "empty: the newest articles")
    p.add_argument("--since", type=_day_start, help="published (else received) on or after: "
                   "YYYY-MM-DD or an ISO 8601 time")
    p.add_argument("--until", type=_day_end, help="published on or before (a date: that whole day)")
    p.add_argument("--lang", default="", help="language code, e.g. en")
    p.add_argument("--entity", default="", help="a canonical entity name or alias")
    p.add_argument("--site", default="", help="the site, as in the record")
    p.add_argument("--story", default="", help="a story id (see `newsdesk stories`)")
    p.add_argument("--limit", type=_limit, default=10, help="results to show (default 10)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(command=cmd_search)

    p = subparsers.add_parser("stories", help="list stories: articles grouped by event")
    p.add_argument("--since", type=_day_start, help="stories with articles on or after this")
    p.add_argument("--min-articles", type=_limit, default=2,
                   help="stories with at least this many articles (default 2)")
    p.add_argument("--limit", type=_limit, default=20, help="stories to show (default 20)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.set_defaults(command=cmd_stories)

    p = subparsers.add_parser("reindex", help="rebuild the index from JSON-lines files "
                              "(stop the daemon first)")
    p.add_argument("files", nargs="*", type=Path,
                   help="JSON-lines output files (default: the stream in the output folder)")
    p.add_argument("--force", action="store_true",
                   help="replace the index even if the new one holds fewer articles")
    p.set_defaults(command=cmd_reindex)


# --- argument types ---------------------------------------------------------------------


def _time(value: str) -> tuple[datetime, bool]:
    text = value.strip()
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
            _in_range(value, day)
            return day, True
        moment = documents.parse_time(text)
    except ValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD) or ISO 8601 time")
    _in_range(value, moment)
    return moment, False


def _in_range(value: str, moment: datetime) -> None:
    """Refuse a date the index cannot filter on, in one line (not tantivy's ValueError)."""
    from newsdesk_plugins.index.tantivy_engine import EARLIEST, LATEST

    first, last = EARLIEST, LATEST - timedelta(days=1)  # a day argument covers its day
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not first <= moment <= last:
        raise argparse.ArgumentTypeError(
            f"{value!r} is outside the dates the index can filter on "
            f"({first:%Y-%m-%d} to {last:%Y-%m-%d})")


def _day_start(value: str) -> datetime:
    return _time(value)[0]


def _day_end(value: str) -> datetime:
    moment, whole_day = _time(value)
    return moment + timedelta(days=1) - timedelta(microseconds=1) if whole_day else moment


def _limit(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= n <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}, got {n}")
    return n


# --- search -----------------------------------------------------------------------------


Command = Callable[[argparse.Namespace, App], int]


def _quiet_pipe(func: Command) -> Command:
    """A reader that stops early (``| head``) ends the command quietly."""

    @functools.wraps(func)
    def run(args: argparse.Namespace, app: App) -> int:
        try:
            return func(args, app)
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_OK

    return run


@_quiet_pipe
def cmd_search(args: argparse.Namespace, app: App) -> int:
    from newsdesk_plugins.index.tantivy_engine import TantivyBackend

    folder = resolve(app.config, settings_of(app.config).folder)
    try:
        backend = TantivyBackend(folder, writable=False)
    except IndexUnavailable as exc:
        raise PathError(str(exc)) from None
    query = " ".join(args.query)
    names = _known_names(app)
    entity_any: tuple[str, ...] = ()
    if args.entity and names is not None:
        entity_any = tuple(f for c in names.canonicals(args.entity) for f in names.forms(c))
    if query.strip() and names is not None:
        query = expand_query(query, names)
    if names is not None:
        names.close()
    filters = Filters(since=args.since, until=args.until, lang=args.lang, entity=args.entity,
                      entity_any=entity_any, site=args.site, story=args.story)
    results = backend.search(query, filters, args.limit)
    for note in results.notes:
        print(f"newsdesk: note: {note}", file=sys.stderr)
    out = sys.stdout
    if args.json:
        for hit in results.hits:
            out.write(orjson.dumps(hit_json(hit)).decode() + "\n")
    else:
        bold = out.isatty()
        for n, hit in enumerate(results.hits, 1):
            out.write(_hit_text(n, hit, bold))
        shown = len(results.hits)
        print(f"{shown} of {results.total} matching article{'s' * (results.total != 1)}",
              file=sys.stderr)
    out.flush()
    return EXIT_OK


def _known_names(app: App) -> Any:
    """The names the grouping memory holds (forms and canonical names of the entities seen),
    or None without one (grouping off, nothing indexed yet, an unreadable file)."""
    from newsdesk_plugins.index.state import State

    path = resolve(app.config, settings_of(app.config).state_file)
    if not path.exists():
        return None
    try:
        return State(path, readonly=True)
    except sqlite3.Error:
        return None


_QUERY_WORD = re.compile(r'"[^"]*"|\S+')
_SYNTAX = re.compile(r"^(?:AND|OR|NOT|\(|\))$|[:()*^~\[\]{}]")


def expand_query(query: str, names: Any) -> str:
    """A query whose words (or whole) name a known entity searches every form of it:
    `Алматы` becomes `(Алматы OR Almaty OR "Alma-Ata")`. Words with query syntax
    (fields, operators, brackets) are left as they are."""
    def forms(value: str) -> list[str]:
        return [f for c in names.canonicals(value) for f in names.forms(c)]

    def group(value: str, found: list[str]) -> str:
        alts = [value] + [f for f in dict.fromkeys(found) if f.lower() != value.lower()]
        quoted = [a if re.fullmatch(r"\w+", a) else '"' + a.replace('"', "") + '"' for a in alts]
        return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"

    whole = query.strip().strip('"')
    if not _SYNTAX.search(whole):
        found = forms(whole)
        if found:
            return group(whole, found)
    out = []
    for token in _QUERY_WORD.findall(query):
        bare = token.strip('"')
        found = [] if _SYNTAX.search(token) else forms(bare)
        out.append(group(bare, found) if found else token)
    return " ".join(out)


def plain_snippet(snippet: str) -> tuple[str, list[list[int]]]:
    """The snippet without markers and the [start, end) character ranges highlighted."""
    text, ranges, pos, start = [], [], 0, 0
    for ch in snippet:
        if ch == "\x02":
            start = pos
        elif ch == "\x03":
            ranges.append([start, pos])
        else:
            text.append(ch)
            pos += 1
    return "".join(text), ranges


def hit_json(hit: Hit) -> dict[str, Any]:
    snippet, ranges = plain_snippet(hit.snippet)
    return {"id": hit.id, "score": round(hit.score, 4), "title": hit.title,
            "date": hit.when.isoformat().replace("+00:00", "Z") if hit.when else None,
            "site": hit.site or None, "lang": hit.lang or None, "snippet": snippet,
            "highlights": ranges, "story": hit.story or None,
            "duplicate_of": hit.duplicate_of or None, "url": hit.url or None}


def _hit_text(n: int, hit: Hit, bold: bool) -> str:
    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("*", "*")
    snippet = hit.snippet.replace("\x02", on).replace("\x03", off)
    date = hit.when.strftime("%Y-%m-%d %H:%M") if hit.when else "no date"
    meta = ", ".join(x for x in (date, hit.site, hit.lang) if x)
    title = hit.title or "(no title)"
    dup = f"  duplicate of {hit.duplicate_of[:12]}" if hit.duplicate_of else ""
    return f"{n}. {title}\n   {meta}  id {hit.id[:12]}{dup}\n   {snippet}\n\n"


# --- stories ----------------------------------------------------------------------------


@_quiet_pipe
def cmd_stories(args: argparse.Namespace, app: App) -> int:
    from newsdesk_plugins.index.state import State

    path = resolve(app.config, settings_of(app.config).state_file)
    if not path.exists():
        raise PathError(f"{path}: no stories yet (the daemon groups articles as they arrive; "
                        "`newsdesk reindex` groups the stream)")
    try:
        state = State(path, readonly=True)
        rows = state.story_listing(args.since.timestamp() if args.since else None,
                                   args.min_articles, args.limit)
        state.close()
    except sqlite3.Error as exc:
        raise PathError(f"{path}: cannot read the stories: {exc}") from None
    for row in rows:
        row["first_seen"] = _iso(row["first_seen"])
        row["last_seen"] = _iso(row["last_seen"])
        if args.json:
            sys.stdout.write(orjson.dumps(row).decode() + "\n")
        else:
            ents = ", ".join(row["entities"])
            span = (f"{row['first_seen'][:16]} .. {row['last_seen'][:16]}"
                    if row["first_seen"] else "undated")
            sys.stdout.write(
                f"{row['story']}  {row['articles']} articles, {row['languages']} "
                f"language{'s' * (row['languages'] != 1)}, {span}\n"
                f"   {row['title'] or '(no title)'}\n"
                + (f"   {ents}\n" if ents else "") + "\n")
    if not args.json:
        print(f"{len(rows)} stor{'ies' if len(rows) != 1 else 'y'}", file=sys.stderr)
    return EXIT_OK


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- reindex ----------------------------------------------------------------------------


def cmd_reindex(args: argparse.Namespace, app: App) -> int:
    """Rebuild the index and the story memory beside the current ones, then swap them in.

    The current index stays as it is until the new one is complete and committed; a
    failure, an interruption or a new index holding fewer articles than the current
    one (without ``--force``) leaves it untouched.
    """
    from newsdesk_plugins.index.tantivy_engine import TantivyBackend

    config = app.config
    s = settings_of(config)
    files = list(args.files) or sorted(config.path("output").glob("*.jsonl"))
    for file in files:
        if not file.is_file():
            raise PathError(f"{file}: no such file")
    if not files:
        raise PathError(f"{config.path('output')}: no .jsonl files to reindex; "
                        "name the JSON-lines files to rebuild from")
    folder = resolve(config, s.folder)
    state_file = resolve(config, s.state_file)
    aside = folder.with_name(folder.name + ".rebuild")
    state_aside = state_file.with_name(state_file.name + ".rebuild")
    current = None
    before = 0
    try:
        if (folder / "meta.json").exists():
            # Holding the current index's writer lock keeps a daemon from starting on it.
            current = TantivyBackend(folder, writable=True, heap_mb=15)
            before = current.count()
    except IndexUnavailable as exc:
        if "another process" in str(exc):
            raise PathError(f"{exc}; stop it before `newsdesk reindex`") from None
        current = None  # unreadable or of another version: it is replaced
    try:
        _remove_index(aside)
        _remove_sqlite(state_aside)
        t0 = time.perf_counter()
        try:
            n = _build(files, aside, state_aside if s.group else None, s)
        except (IndexUnavailable, OSError) as exc:
            _remove_index(aside)
            _remove_sqlite(state_aside)
            print(f"newsdesk: error: {exc}; the current index is left as it was",
                  file=sys.stderr)
            return EXIT_PATH
        if n < before and not args.force:
            _remove_index(aside)
            _remove_sqlite(state_aside)
            print(f"newsdesk: error: the rebuilt index would hold {n} articles, fewer than "
                  f"the {before} of the current one; the current index is left as it was "
                  "(--force replaces it)", file=sys.stderr)
            return EXIT_PATH
        if current is not None:
            current.close()
            current = None
        _swap(aside, folder)
        if s.group:
            _remove_sqlite(state_file)
            os.replace(state_aside, state_file)
    finally:
        if current is not None:
            current.close()
    print(f"indexed {n} articles from {len(files)} file{'s' * (len(files) != 1)} "
          f"in {time.perf_counter() - t0:.1f} s (the index held {before} before)",
          file=sys.stderr)
    return EXIT_OK


def _build(files: list[Path], folder: Path, state_file: Path | None, s: Any) -> int:
    """Index every indexable record of ``files`` into a new index in ``folder`` (and a
    new story memory in ``state_file``); return how many."""
    from newsdesk_plugins.index.backend import IndexDoc
    from newsdesk_plugins.index.grouping import Decision, Grouper
    from newsdesk_plugins.index.tantivy_engine import TantivyBackend

    backend = TantivyBackend(folder, writable=True, heap_mb=max(s.writer_heap_mb, 128),
                             threads=0)
    grouper = Grouper(state_file, group_settings(s)) if state_file is not None else None
    n = 0
    try:
        batch: list[IndexDoc] = []
        for rec in records(files):
            if not documents.indexable(rec):
                continue
            if grouper is not None:
                keep = None
                if isinstance(rec.get("story"), str) and rec["story"]:
                    keep = Decision(rec.get("duplicate_of") or "", rec["story"],
                                    rec.get("date_uncertain") is True)
                source = rec.get("source")
                received = source.get("received") if isinstance(source, dict) else None
                d = grouper.decide(rec["id"], rec, received, keep=keep, commit=False)
                rec = {**rec, "story": d.story, "duplicate_of": d.duplicate_of}
            batch.append(documents.to_doc(rec))
            n += 1
            if len(batch) >= 1000:
                backend.upsert(batch)
                batch = []
        backend.upsert(batch)
        backend.commit()
    finally:
        backend.close()
        if grouper is not None:
            grouper.close()
    return n


def _swap(new: Path, folder: Path) -> None:
    """Put the index built in ``new`` in the place of ``folder``."""
    old = folder.with_name(folder.name + ".old")
    _remove_index(old)
    if folder.exists():
        os.rename(folder, old)
    os.rename(new, folder)
    _remove_index(old)


def _remove_index(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
