"""Articles/s of `newsdesk spark` against `newsdesk process` on the same files, in one run.

The product path on both sides, every default plugin on: `newsdesk process
--workers N FOLDER` (the daemon's worker pool; records to stdout) beside
`newsdesk spark --once --master local[1]`, `local[2]` and, with `--cluster`, a
standalone master URL. The input is COUNT files made from real HTML pages
(a folder of `.html` or `.html.gz` files given on the command line, e.g. the
news-articles-dev dataset's `html/`): the pages are taken in turn, and each
copy after the first gets a distinct HTML comment so that its id differs.
The files are written to a temporary folder, never into the repository.

Rates are wall-clock: files / seconds from start to exit, start-up included
(the JVM, the session, the plugins' models). The Spark lines also give the
start-up (to "spark job started") and, from Spark's own progress reports, the
time of each micro-batch: `addBatch` (the executors at work) and the rest
(planning, offsets, commit logs), per batch.

    python benchmarks/spark_bench.py --html /work/shared/datasets/news-articles-dev/html \\
        --count 2000 --masters 'local[1]' 'local[2]' --workers 2 [--cluster spark://HOST:7077]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson


def make_inputs(html: Path, count: int, folder: Path) -> int:
    pages = sorted(p for p in html.iterdir() if p.name.endswith((".html", ".html.gz")))
    if not pages:
        raise SystemExit(f"{html}: no .html or .html.gz files")
    folder.mkdir(parents=True)
    for n in range(count):
        page = pages[n % len(pages)]
        data = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
        if n >= len(pages):
            data += f"\n<!-- copy {n // len(pages)} -->\n".encode()
        (folder / f"{n:05d}-{page.name.removesuffix('.gz')}").write_bytes(data)
    return count


def timed(cmd: list[str], log: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    with log.open("wb") as err:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}; see {log}")
    return seconds, len(done.stdout.splitlines())


def log_lines(log: Path) -> list[dict[str, Any]]:
    out = []
    for line in log.read_bytes().splitlines():
        if line.startswith(b"{"):
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                pass
    return out


def run_process(inbox: Path, work: Path, workers: int) -> dict[str, Any]:
    work.mkdir(parents=True)
    seconds, records = timed([sys.executable, "-m", "newsdesk", "process", "--workdir", str(work),
                              "--log-format", "json", "--workers", str(workers), str(inbox)],
                             work / "log.jsonl")
    return {"label": f"newsdesk process --workers {workers}", "seconds": seconds,
            "records": records}


def run_spark(inbox: Path, work: Path, master: str, extra: list[str]) -> dict[str, Any]:
    work.mkdir(parents=True)
    t0 = datetime.now().astimezone()
    seconds, _ = timed([sys.executable, "-m", "newsdesk", "spark", "--workdir", str(work),
                        "--log-format", "json", "--once", "--master", master,
                        "--inbox", str(inbox), *extra], work / "log.jsonl")
    events = log_lines(work / "log.jsonl")
    started = next((e for e in events if e.get("event") == "spark job started"), None)
    startup = (datetime.fromisoformat(started["timestamp"].replace("Z", "+00:00")) - t0
               ).total_seconds() if started else float("nan")
    batches = [e for e in events if e.get("event") == "spark batch"]
    records = 0
    for part in (work / "output" / "spark").glob("part-*"):
        records += sum(1 for _ in part.open("rb"))
    return {"label": f"newsdesk spark --master {master}", "seconds": seconds, "records": records,
            "startup": startup, "batches": batches}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--html", type=Path, required=True, help="folder of .html / .html.gz pages")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    p.add_argument("--cluster", help="a standalone master URL to run as well")
    p.add_argument("--workers", type=int, default=2, help="workers of `newsdesk process`")
    p.add_argument("--max-files-per-trigger", type=int, default=0,
                   help="Spark micro-batch size in files (0: all in one batch)")
    p.add_argument("--rounds", type=int, default=1,
                   help="repeat every run, in reversed order every other round")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args()

    root = Path(tempfile.mkdtemp(prefix="newsdesk-spark-bench-"))
    try:
        inbox = root / "inbox"
        n = make_inputs(args.html, args.count, inbox)
        extra = (["--max-files-per-trigger", str(args.max_files_per_trigger)]
                 if args.max_files_per_trigger else [])
        masters = list(args.masters) + ([args.cluster] if args.cluster else [])
        plan: list[str | None] = [None, *masters]  # None: `newsdesk process`
        runs = []
        for r in range(args.rounds):
            # alternate the order round by round, so that load on the machine hits all sides
            for k, master in enumerate(plan if r % 2 == 0 else plan[::-1]):
                work = root / f"round-{r}-{k}"
                runs.append(run_process(inbox, work, args.workers) if master is None
                            else run_spark(inbox, work, master, extra))
        print(f"{n} files made from {args.html} ({os.cpu_count()} cores on this machine)")
        for run in runs:
            print(f"{run['label']:<44} {run['seconds']:8.1f} s  {n / run['seconds']:7.2f} files/s"
                  f"  ({run['records']} records)")
            if "batches" in run:
                added = sum(b["duration_ms"].get("addBatch", 0) for b in run["batches"]) / 1000
                total = sum(b["duration_ms"].get("triggerExecution", 0)
                            for b in run["batches"]) / 1000
                nb = max(1, len(run["batches"]))
                print(f"    start-up to the first batch {run['startup']:.1f} s; "
                      f"{len(run['batches'])} batch(es): executors (addBatch) {added:.1f} s, "
                      f"other per-batch work {(total - added) / nb:.2f} s a batch; "
                      f"rate inside the batches {n / max(added, 1e-9):.2f} files/s")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
