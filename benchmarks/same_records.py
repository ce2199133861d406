"""Differential check: the same files through ``newsdesk process`` of two checkouts give
the same records, apart from the time fields.

    .venv/bin/python benchmarks/same_records.py --before ../speed-base/.venv/bin/python \
        --after .venv/bin/python --folder ../shared/datasets/news-articles-dev/html \
        --generated 40

A speed change must not change a record: this runs each checkout's own ``newsdesk
process`` (every default plugin on, from an empty folder so no configuration file is
read) over the same files, drops ``timings_ms`` and the read time from each record and
compares the rest field by field. ``--generated N`` adds N articles per language of
``newsdesk.benchtext`` (written to a temporary folder, not kept); ``.gz`` files are
decompressed there first (the readers refuse compressed data). Exit status 0: all
records equal; 1: a difference (the first few are printed).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from newsdesk import benchtext

#: Fields that say when or how long, not what: left out of the comparison.
TIME_FIELDS = ("timings_ms",)
SOURCE_TIME_FIELDS = ("received",)


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its time fields."""
    out = {k: v for k, v in record.items() if k not in TIME_FIELDS}
    if isinstance(out.get("source"), dict):
        out["source"] = {k: v for k, v in out["source"].items() if k not in SOURCE_TIME_FIELDS}
    return out


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Paths at which ``a`` and ``b`` differ (at most a few per record)."""
    if type(a) is not type(b):
        return [f"{where}: {a!r:.80} != {b!r:.80}"]
    if isinstance(a, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{where}.{key}: only in {'after' if key not in a else 'before'}")
            else:
                out += differences(a[key], b[key], f"{where}.{key}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r:.80} != {b!r:.80}"]


def process(python: str, files: list[Path], cwd: Path) -> dict[str, dict[str, Any]]:
    """Records by source path from ``python -m newsdesk process FILES`` run in ``cwd``."""
    done = subprocess.run([os.path.abspath(python), "-m", "newsdesk", "process", *map(str, files)], cwd=cwd,
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"same_records: {python} process exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace')[-400:]}")
    records = [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {str(r["source"]["path"]): r for r in records}


def unzipped(files: list[Path], folder: Path) -> list[Path]:
    """``files`` with each ``.gz`` file (news-articles-dev's pages are ``.html.gz``, which
    the readers refuse as compressed data) replaced by its decompressed copy in ``folder``
    (a temporary folder, not kept), so the pages themselves run through the stages."""
    folder.mkdir(exist_ok=True)
    out = []
    for f in files:
        if f.suffix == ".gz":
            plain = folder / f.name[:-3]
            plain.write_bytes(gzip.decompress(f.read_bytes()))
            out.append(plain)
        else:
            out.append(f)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--before", required=True, metavar="PYTHON", help="the checkout's python before")
    p.add_argument("--after", default=sys.executable, metavar="PYTHON", help="the python after")
    p.add_argument("--folder", action="append", default=[], help="files to run (repeatable)")
    p.add_argument("--generated", type=int, default=40,
                   help="benchtext articles per language added to the files (0: none)")
    p.add_argument("--show", type=int, default=10, help="differences printed at most")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same-records-") as tmp:
        work = Path(tmp)
        files = [f for folder in args.folder for f in sorted(Path(folder).iterdir()) if f.is_file()]
        files = unzipped(files, work / "unzipped")
        gen = work / "generated"
        gen.mkdir()
        for lang in benchtext.KITS if args.generated else ():
            for name, data in benchtext.make_articles(args.generated, 5000, [(lang, 1.0)], seed=13):
                (gen / name).write_bytes(data)
                files.append(gen / name)
        cwd = work / "cwd"
        cwd.mkdir()
        before = process(args.before, files, cwd)
        after = process(args.after, files, cwd)
    found = 0
    for path in sorted(set(before) | set(after)):
        if path not in before or path not in after:
            found += 1
            print(f"{path}: only {'after' if path not in before else 'before'}")
            continue
        diff = differences(comparable(before[path]), comparable(after[path]))
        if diff:
            found += 1
            if found <= args.show:
                print(f"{Path(path).name}: " + "; ".join(diff[:5]))
    print(f"same_records: {len(before)} records before, {len(after)} after, "
          f"{found} differ (time fields left out: {', '.join(TIME_FIELDS)}, source.received)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
