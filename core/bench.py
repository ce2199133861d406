"""``newsdesk bench``: the daemon's real path, measured.

A real ``newsdesk run`` subprocess on a temporary working folder; files are
dropped into its inbox by write-then-rename, and the output file is tailed to
see each record appear. Prints throughput, drop-to-line latency, memory, the
time to start watching and the mean time per plugin per article.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from newsdesk.app import App, Settings, build_app
from newsdesk.pipeline import STAGES

WORDS = (
    "the government said on monday that talks with regional leaders would resume after "
    "protests in the capital drew thousands of people into the streets police reported "
    "several arrests while officials promised an inquiry into the violence and the "
    "economy ministry announced new measures to limit fuel prices for the winter months"
).split()


def make_article(n: int, size: int, rng: random.Random) -> bytes:
    """Return a unique plain-text article of about ``size`` bytes."""
    parts = [f"Generated article {n}\n\n"]
    length = len(parts[0])
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        sentence = sentence.capitalize() + ". "
        if rng.random() < 0.2:
            sentence += "\n\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size].encode()


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--count", type=int, default=5000, help="articles for the throughput run")
    p.add_argument("--size", type=int, default=5000, help="bytes per generated article")
    p.add_argument("--rate", type=float, default=100.0, help="articles/s offered, latency run")
    p.add_argument("--seconds", type=float, default=10.0, help="length of the latency run")
    p.add_argument("--folder", metavar="DIR", help="drop these files instead of generated ones")
    p.add_argument("--stages", action="store_true",
                   help="keep the stage plugins enabled (default: framework only)")
    p.add_argument("--workers", type=int, default=0, help="daemon worker processes (0: a core)")
    p.add_argument("--keep", action="store_true", help="keep the temporary working folder")


class Tail(threading.Thread):
    """Follows the output folder and notes when each source file's record appears."""

    def __init__(self, folder: Path) -> None:
        super().__init__(daemon=True)
        self.folder = folder
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        offsets: dict[Path, int] = {}
        buffers: dict[Path, bytes] = {}
        while not self.stop.is_set():
            got = False
            for file in sorted(self.folder.glob("*.jsonl")):
                with file.open("rb") as fh:
                    fh.seek(offsets.get(file, 0))
                    chunk = fh.read()
                if not chunk:
                    continue
                got = True
                offsets[file] = offsets.get(file, 0) + len(chunk)
                data = buffers.get(file, b"") + chunk
                *lines, buffers[file] = data.split(b"\n")
                now = time.time()
                for line in lines:
                    self.seen[orjson.loads(line)["source"]["name"]] = now
            if not got:
                time.sleep(0.001)


def _rss_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_s(pid: int) -> float:
    """User plus system CPU seconds of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        return [int(x) for x in out.stdout.split()]
    except OSError:
        return []


def _drop(inbox: Path, name: str, data: bytes) -> None:
    tmp = inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.rename(tmp, inbox / name)


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def _stage_plugins(app: App, work: Path) -> list[str]:
    """The plugins, by the names ``--disable`` takes, that run a stage in a daemon on
    ``work``: found by configuring one as ``run`` does (some plugins register their
    stage only there), then shut down before the daemon starts."""
    config_file = str(Path(app.config.file).absolute()) if app.config.file else None
    probe = build_app(Settings(workdir=str(work), config_file=config_file, command="run"))
    try:
        return sorted({
            probe.owners.get(impl.plugin_name, impl.plugin_name) for stage in STAGES
            for impl in getattr(probe.pm.hook, f"newsdesk_{stage}").get_hookimpls()
        })
    finally:
        probe.shutdown()


def command(args: argparse.Namespace, app: App) -> int:
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    inbox, out = work / "inbox", work / "output"
    inbox.mkdir()
    disable = [] if args.stages else _stage_plugins(app, work)
    cmd = [sys.executable, "-m", "newsdesk", "run", "--workdir", str(work),
           "--log-format", "json", "--workers", str(args.workers)]
    if app.config.file:
        cmd += ["--config", str(Path(app.config.file).absolute())]
    for name in disable:
        cmd += ["--disable", name]
    files: list[tuple[str, bytes]] = []
    if args.folder:
        files = [(p.name, p.read_bytes()) for p in sorted(Path(args.folder).iterdir())
                 if p.is_file()]
    print(f"newsdesk bench: work folder {work}; stage plugins "
          f"{'enabled' if args.stages else 'disabled: ' + (', '.join(disable) or 'none')}")
    log_file = (work / "daemon.log").open("wb")
    t_start = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=log_file, stdout=subprocess.DEVNULL)
    tail = Tail(out)
    try:
        watching = _wait_for(work / "daemon.log", b'"watching"', 30) - t_start
        time.sleep(1.5)  # let workers finish starting before idle memory is read
        idle = _rss_kb(proc.pid, "VmRSS")
        idle_total = idle + sum(_rss_kb(c, "VmRSS") for c in _children(proc.pid))
        out.mkdir(exist_ok=True)
        tail.start()
        results: dict[str, Any] = {"watching_s": watching, "idle_rss_mb": idle / 1024,
                                   "idle_rss_total_mb": idle_total / 1024}
        # Throughput: a burst of count files, as fast as they can be dropped.
        burst = []
        for n in range(args.count):
            if files:
                name, data = files[n % len(files)]
                # a copy must differ from the original, or it is skipped as seen
                burst.append((f"{n:07d}-{name}", data + f"\n<!-- {n} -->".encode()))
            else:
                burst.append((f"a{n:07d}.txt", make_article(n, args.size, rng)))
        names = [name for name, _ in burst]
        # Written first under hidden names (ignored), then renamed into place in a
        # tight loop: the burst arrives faster than the daemon can take it.
        for name, payload in burst:
            (inbox / f".{name}.tmp").write_bytes(payload)
        kids = _children(proc.pid)
        cpu0 = _cpu_s(proc.pid), sum(_cpu_s(k) for k in kids)
        t0 = time.time()
        for name in names:
            os.rename(inbox / f".{name}.tmp", inbox / name)
        drop_s = time.time() - t0
        _wait_all(tail, names, 600)
        elapsed = max(tail.seen[n] for n in names) - t0
        cpu1 = _cpu_s(proc.pid), sum(_cpu_s(k) for k in kids)
        results.update(cpu_main_ms=(cpu1[0] - cpu0[0]) * 1000 / args.count,
                       cpu_workers_ms=(cpu1[1] - cpu0[1]) * 1000 / args.count,
                       busy_main=(cpu1[0] - cpu0[0]) / elapsed)
        results.update(burst=args.count, burst_s=elapsed, rate=args.count / elapsed,
                       drop_rate=args.count / drop_s)
        peak = _rss_kb(proc.pid, "VmHWM")
        peak_total = peak + sum(_rss_kb(c, "VmHWM") for c in _children(proc.pid))
        results.update(peak_rss_mb=peak / 1024, peak_rss_total_mb=peak_total / 1024)
        # Latency: files offered at a steady rate.
        lat_names: list[tuple[str, float]] = []
        total = int(args.rate * args.seconds)
        t0 = time.time()
        for n in range(total):
            due = t0 + n / args.rate
            time.sleep(max(0.0, due - time.time()))
            name = f"lat{n:07d}.txt"
            payload = make_article(10_000_000 + n, args.size, rng)
            _drop(inbox, name, payload)
            lat_names.append((name, time.time()))
        _wait_all(tail, [n for n, _ in lat_names], 120)
        lat = [(tail.seen[n] - t) * 1000 for n, t in lat_names]
        results.update(lat_p50=_pct(lat, 50), lat_p95=_pct(lat, 95), lat_p99=_pct(lat, 99),
                       lat_n=len(lat))
    finally:
        tail.stop.set()
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()
    timings = _plugin_timings(work / "daemon.log")
    _report(results, timings, args)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _wait_for(log: Path, needle: bytes, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in log.read_bytes():
            return time.monotonic()
        time.sleep(0.005)
    raise RuntimeError(f"the daemon did not start within {timeout} s; see {log}")


def _wait_all(tail: Tail, names: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(n in tail.seen for n in names):
            return
        time.sleep(0.01)
    missing = sum(1 for n in names if n not in tail.seen)
    raise RuntimeError(f"{missing} records did not appear within {timeout} s")


def _plugin_timings(log: Path) -> dict[str, float]:
    for line in reversed(log.read_bytes().splitlines()):
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if event.get("event") == "stopped":
            return dict(event.get("plugin_mean_ms") or {})
    return {}


def _report(r: dict[str, Any], timings: dict[str, float], args: argparse.Namespace) -> None:
    print(f"watching after start      {r['watching_s']:.2f} s          (target <= 1 s)")
    print(f"idle RSS, daemon          {r['idle_rss_mb']:.1f} MB        (target <= 80 MB)")
    print(f"idle RSS, with workers    {r['idle_rss_total_mb']:.1f} MB")
    print(f"burst of {r['burst']} x {args.size} B   {r['rate']:.0f} articles/s  "
          f"(target >= 2000/s; files dropped at {r['drop_rate']:.0f}/s)")
    print(f"CPU per article           daemon {r['cpu_main_ms']:.3f} ms, workers "
          f"{r['cpu_workers_ms']:.3f} ms (daemon busy {r['busy_main']:.0%} of the burst)")
    print(f"peak RSS, daemon          {r['peak_rss_mb']:.1f} MB")
    print(f"peak RSS, with workers    {r['peak_rss_total_mb']:.1f} MB")
    print(f"latency at {args.rate:g}/s (n={r['lat_n']})  p50 {r['lat_p50']:.1f} ms  "
          f"p95 {r['lat_p95']:.1f} ms  p99 {r['lat_p99']:.1f} ms  (target p99 <= 50 ms)")
    if timings:
        print("mean time per plugin per article:")
        for key, ms in timings.items():
            print(f"  {key:32s} {ms:.3f} ms")
    else:
        print("mean time per plugin per article: no stage plugin ran")
