"""Memory of the daemon on one large JSON-lines file (issue 14, defect 6).

    .venv/bin/python benchmarks/jsonl_memory.py --lines 12000 --size 2700

Writes a JSON-lines file of generated articles (``--lines`` of about ``--size`` bytes)
into a new working folder's inbox, runs ``newsdesk run --once`` on it (with the
``--python`` given: another checkout's venv, for a before/after run) and samples the
resident memory (RSS, from /proc) of the daemon and of each worker every 0.1 s. Prints
the records written, the wall time, and the peak RSS of the daemon and of the largest
worker. ``--disable`` leaves plugins out (repeatable); ``--max-file-mb`` is set in the
configuration (a checkout that reads JSON lines whole needs it above the file's size).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

STORY = ("The harbour council met on Tuesday to discuss the new tram line and the bridge "
         "repairs. Residents asked for more stops in the northern districts. ")


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (workers may be grandchildren, under a fork server)."""
    try:
        kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [d for k in kids for d in descendants(k)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=12000)
    ap.add_argument("--size", type=int, default=2700, help="bytes a line, about")
    ap.add_argument("--python", default=sys.executable, help="the interpreter to run")
    ap.add_argument("--disable", action="append", default=[], metavar="NAME")
    ap.add_argument("--max-file-mb", type=float, default=50.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsdesk-jsonl-mem-"))
    try:
        (work / "inbox").mkdir()
        (work / "config").mkdir()
        (work / "config" / "newsdesk.toml").write_text(
            f"[daemon]\nmax_file_mb = {args.max_file_mb}\nworkers = {args.workers}\n")
        filler = (STORY * (args.size // len(STORY) + 1))[:args.size]
        with (work / "inbox" / ".feed.tmp").open("wb") as fh:
            for i in range(1, args.lines + 1):
                fh.write(orjson.dumps({"text": f"Article {i}. {filler}"}) + b"\n")
        size = (work / "inbox" / ".feed.tmp").stat().st_size
        (work / "inbox" / ".feed.tmp").rename(work / "inbox" / "feed.jsonl")
        cmd = [args.python, "-m", "newsdesk", "run", "--once", "--workdir", str(work),
               "--log-format", "json"]
        for name in args.disable:
            cmd += ["--disable", name]
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                stderr=(work / "daemon.log").open("wb"))
        daemon_peak = worker_peak = 0
        while proc.poll() is None:
            daemon_peak = max(daemon_peak, rss_kb(proc.pid))
            for child in descendants(proc.pid):
                worker_peak = max(worker_peak, rss_kb(child))
            time.sleep(0.1)
        wall = time.monotonic() - t0
        records = sum(f.read_bytes().count(b"\n") for f in (work / "output").glob("*.jsonl"))
        print(f"python: {args.python}")
        print(f"file: {args.lines:,} lines, {size / 1e6:.1f} MB; disabled: "
              f"{', '.join(args.disable) or 'none'}; exit {proc.returncode}")
        print(f"records: {records:,}; wall: {wall:.1f} s")
        print(f"peak RSS: daemon {daemon_peak / 1024:.0f} MB, largest "
              f"{worker_peak / 1024:.0f} MB")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
