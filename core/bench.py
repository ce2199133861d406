"""``newsdesk bench``: the daemon's real path, measured.

A real ``newsdesk run`` subprocess on a temporary working folder; files are
dropped into its inbox by write-then-rename, and the output file is tailed to
see each record appear. Articles are realistic generated ones (``benchtext``) or
the files of ``--folder``. Prints the cold start (to the ready line and to the
first record of a warm-up), then, with the workers warm: burst throughput beside
the floor (the same files read and written as JSON lines in one Python loop) and,
for HTML pages with the stages on, trafilatura alone on the same files (the baseline),
CPU per article, memory, drop-to-line latency at a steady rate, the records' size
and each stage's cost from the records' ``timings_ms``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from newsdesk import benchtext
from newsdesk.app import App, Settings, build_app
from newsdesk.benchbaseline import Baseline, trafilatura_rate
from newsdesk.pipeline import STAGES


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--count", type=int, default=5000, help="articles for the throughput run")
    p.add_argument("--size", type=int, default=5000, help="bytes per generated article")
    p.add_argument("--rate", type=float, default=None,
                   help="articles/s offered, latency run (default: 20 with --stages, else 100)")
    p.add_argument("--seconds", type=float, default=10.0, help="length of the latency run")
    p.add_argument("--folder", metavar="DIR", help="drop these files instead of generated ones")
    p.add_argument("--languages", default=benchtext.DEFAULT_MIX, metavar="MIX",
                   help=f"generated articles' languages by weight (default {benchtext.DEFAULT_MIX}; "
                        f"of {', '.join(benchtext.KITS)})")
    p.add_argument("--stages", action="store_true",
                   help="keep the stage plugins enabled (default: framework only)")
    p.add_argument("--workers", type=int, default=0, help="daemon worker processes (0: a core)")
    p.add_argument("--warm", type=int, default=40,
                   help="articles processed (and not counted) before the burst: cold start")
    p.add_argument("--python", metavar="EXE", default=sys.executable,
                   help="the Python whose newsdesk runs the daemon (another checkout's venv, "
                        "for an A/B comparison in one session)")
    p.add_argument("--keep", action="store_true", help="keep the temporary working folder")


#: Seconds after the warm-up at which idle memory is measured: past one period of the
#: daemon's heap trim (``newsdesk.heap``, every 5 s).
IDLE_SETTLE_S = 6.0


class Tail(threading.Thread):
    """Follows the output folder and notes when each source file's record appears.

    Woken by the folder's inotify events (watchdog's observer), with a look every 50 ms
    besides: following costs the CPU of what is written. (It polled every millisecond,
    1.4 ms of the driver's CPU an article taken from the two cores it measures.)"""

    def __init__(self, folder: Path) -> None:
        super().__init__(daemon=True)
        self.folder = folder
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        from watchdog.events import (
            FileCreatedEvent,
            FileModifiedEvent,
            FileSystemEvent,
            FileSystemEventHandler,
        )
        from watchdog.observers import Observer

        wake = self._wake

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                wake.set()

        observer = Observer()
        # Writes and new files only: the tail's own opening and reading of the files
        # are events too, and would wake it in a loop.
        observer.schedule(Wake(), str(self.folder), event_filter=[FileModifiedEvent, FileCreatedEvent])
        observer.start()
        offsets: dict[Path, int] = {}
        buffers: dict[Path, bytes] = {}
        try:
            while not self.stop.is_set():
                wake.wait(0.05)
                wake.clear()  # before reading: a write meanwhile wakes the next round
                for file in sorted(self.folder.glob("*.jsonl")):
                    with file.open("rb") as fh:
                        fh.seek(offsets.get(file, 0))
                        chunk = fh.read()
                    if not chunk:
                        continue
                    offsets[file] = offsets.get(file, 0) + len(chunk)
                    data = buffers.get(file, b"") + chunk
                    *lines, buffers[file] = data.split(b"\n")
                    now = time.time()
                    for line in lines:
                        self.seen[orjson.loads(line)["source"]["name"]] = now
        finally:
            observer.stop()
            observer.join()


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
    """The process's descendants (workers forked by a fork server are grandchildren).

    Read from /proc, never by starting a process: the memory sampler asks 4 times a
    second during the burst, and a ``pgrep`` a process cost the daemon's two cores about
    1 ms of CPU an article (the driver's own CPU, 1.5 ms an article, taken from the
    rate being measured)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = _direct_children(todo.pop())
        out += kids
        todo += kids
    return out


def _direct_children(pid: int) -> list[int]:
    """Children of ``pid``: its threads' ``children`` files, or, where the kernel has
    none (built without CONFIG_PROC_CHILDREN), :func:`_children_by_stat`."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    kids: list[int] = []
    try:
        for tid in tasks:
            try:
                kids += [int(x) for x in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
            except FileNotFoundError:
                if not Path(f"/proc/{pid}/task/{tid}").exists():
                    continue  # the thread ended meanwhile
                raise
        return kids
    except FileNotFoundError:
        return _children_by_stat(pid)


def _children_by_stat(pid: int) -> list[int]:
    """Children of ``pid`` found by every process's parent in /proc/*/stat."""
    return [int(entry) for entry in os.listdir("/proc")
            if entry.isdigit() and _parent(int(entry)) == pid]


def _parent(pid: int) -> int:
    """The parent's pid of a process, from /proc/PID/stat (0 when it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _memory_kb(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS, USS) of a process in KB, from /proc/PID/smaps_rollup: RSS counts a page
    shared with other processes in each of them, PSS divides it among them, USS is the
    process's private pages only."""
    found: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                found[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return 0, 0, 0
    return found.get("Rss", 0), found.get("Pss", 0), \
        found.get("Private_Clean", 0) + found.get("Private_Dirty", 0)


def tree_memory_mb(pid: int) -> dict[str, Any]:
    """The daemon's and its descendants' memory in MB: each summed (rss, pss, uss) and
    each process's own (by pid), with what each process is (``roles``)."""
    per = {p: tuple(kb / 1024 for kb in _memory_kb(p)) for p in [pid, *_children(pid)]}
    return {"rss": sum(m[0] for m in per.values()), "pss": sum(m[1] for m in per.values()),
            "uss": sum(m[2] for m in per.values()), "per": per, "roles": process_roles(pid, list(per))}


def process_roles(daemon: int, pids: list[int]) -> dict[int, str]:
    """What each process of the daemon's tree is, from its command line and parent:
    the daemon, multiprocessing's fork server and resource tracker, and the workers
    (forked by the fork server, or started by the daemon itself)."""
    def cmdline(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            return ""

    roles: dict[int, str] = {}
    servers = set()
    for pid in pids:
        line = cmdline(pid)
        if pid == daemon:
            roles[pid] = "daemon"
        elif "resource_tracker" in line:
            roles[pid] = "resource tracker"
        elif "forkserver" in line and _parent(pid) == daemon:
            roles[pid] = "fork server"
            servers.add(pid)
    for pid in pids:
        roles.setdefault(pid, "worker" if _parent(pid) in servers | {daemon} else "other")
    return roles


def describe_processes(tree: dict[str, Any]) -> str:
    """``role pid RSS/PSS/USS`` of each process of ``tree_memory_mb``'s result."""
    roles = tree.get("roles", {})
    return "; ".join(f"{roles.get(pid, 'pid')} {pid} {m[0]:.0f}/{m[1]:.0f}/{m[2]:.0f}"
                     for pid, m in tree["per"].items())


class MemoryPeak(threading.Thread):
    """Samples the daemon tree's summed RSS and PSS (4 times a second) and keeps the
    largest, and the sample (each process's memory) at the largest PSS: the kernel
    keeps a high-water mark of RSS per process, none of PSS."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.rss = 0.0
        self.pss = 0.0
        self.at_peak: dict[str, Any] | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.25):
            now = tree_memory_mb(self.pid)
            if now["pss"] > self.pss:
                self.at_peak = now
            self.rss, self.pss = max(self.rss, now["rss"]), max(self.pss, now["pss"])


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


def _inputs(args: argparse.Namespace) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """The burst's files and the latency run's files (generated unless ``--folder``)."""
    total = int(args.rate * args.seconds)
    if args.folder:
        files = [(p.name, p.read_bytes()) for p in sorted(Path(args.folder).iterdir())
                 if p.is_file() and not p.name.startswith(".")]
        if not files:
            raise SystemExit(f"newsdesk bench: {args.folder}: no files to drop")

        # A copy must differ from the original, or it is skipped as seen.
        def copies(prefix: str, n0: int, n: int) -> list[tuple[str, bytes]]:
            out = []
            for i in range(n0, n0 + n):
                name, data = files[i % len(files)]
                out.append((f"{prefix}{i:07d}-{name}", data + f"\n<!-- {i} -->".encode()))
            return out
        return copies("b", 0, args.warm + args.count), copies("lat", 10_000_000, total)
    try:
        mix = benchtext.parse_mix(args.languages)
    except ValueError as exc:
        raise SystemExit(f"newsdesk bench: {exc}") from None
    burst = benchtext.make_articles(args.warm + args.count, args.size, mix, seed=7)
    lat = [("lat" + name, data) for name, data in
           benchtext.make_articles(total, args.size, mix, seed=11)]
    return burst, lat


def floor_rate(files: list[tuple[str, bytes]], folder: Path) -> float:
    """Articles/s of the floor: one Python loop reading each file and writing a JSON
    line of it with orjson (no watching, no workers, no stages)."""
    src = folder / "floor-in"
    src.mkdir()
    for name, data in files:
        (src / name).write_bytes(data)
    paths = sorted(src.iterdir())
    t0 = time.perf_counter()
    with (folder / "floor.jsonl").open("wb") as out:
        for path in paths:
            data = path.read_bytes()
            out.write(orjson.dumps({"id": path.name, "source": {"path": str(path)},
                                    "text": data.decode("utf-8", "replace")})
                      + b"\n")
    elapsed = time.perf_counter() - t0
    shutil.rmtree(src, ignore_errors=True)
    return len(paths) / elapsed


def stage_costs(output: Path, names: set[str]) -> dict[str, Any]:
    """Per-stage mean and p95 of the records' ``timings_ms`` (the burst's records only),
    by language too, and the records' mean size in bytes."""
    per: dict[str, list[float]] = {}
    by_lang: dict[str, dict[str, list[float]]] = {}
    sizes: list[int] = []
    for file in sorted(output.glob("*.jsonl")):
        for line in file.read_bytes().splitlines():
            rec = orjson.loads(line)
            if rec.get("source", {}).get("name") not in names:
                continue
            sizes.append(len(line) + 1)
            lang = rec.get("lang") if isinstance(rec.get("lang"), str) else "?"
            timings = rec.get("timings_ms") or {}
            total = 0.0
            for stage, ms in timings.items():
                per.setdefault(stage, []).append(ms)
                by_lang.setdefault(lang, {}).setdefault(stage, []).append(ms)
                total += ms
            per.setdefault("total", []).append(total)
            by_lang.setdefault(lang, {}).setdefault("total", []).append(total)
    return {"stages": per, "by_lang": by_lang, "record_bytes": sizes}


def command(args: argparse.Namespace, app: App) -> int:
    if args.rate is None:
        args.rate = 20.0 if args.stages else 100.0
    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    inbox, out = work / "inbox", work / "output"
    inbox.mkdir()
    disable = [] if args.stages else _stage_plugins(app, work)
    cmd = [args.python, "-m", "newsdesk", "run", "--workdir", str(work),
           "--log-format", "json", "--workers", str(args.workers)]
    if app.config.file:
        cmd += ["--config", str(Path(app.config.file).absolute())]
    for name in disable:
        cmd += ["--disable", name]
    files, lat_files = _inputs(args)
    warm, burst = files[:args.warm], files[args.warm:]
    source = args.folder or f"generated, {args.languages}"
    print(f"newsdesk bench: work folder {work}; stage plugins "
          f"{'enabled' if args.stages else 'disabled: ' + (', '.join(disable) or 'none')}; "
          f"articles: {source}; daemon: {args.python}")
    log_file = (work / "daemon.log").open("wb")
    t_start = time.monotonic()
    t_start_wall = time.time()  # the tail notes records by wall-clock time
    proc = subprocess.Popen(cmd, stderr=log_file, stdout=subprocess.DEVNULL)
    results: dict[str, Any] = {}
    tail = Tail(out)
    try:
        watching = _wait_for(work / "daemon.log", b'"watching"', 60) - t_start
        out.mkdir(exist_ok=True)
        tail.start()
        results["watching_s"] = watching
        # Cold start: the warm-up articles are dropped as soon as the inbox is watched;
        # the time to their first and last record is the start a new user sees.
        for name, payload in warm:
            _drop(inbox, name, payload)
        if warm:
            _wait_all(tail, [n for n, _ in warm], 600)
            results.update(first_record_s=min(tail.seen[n] for n, _ in warm) - t_start_wall,
                           warm_done_s=max(tail.seen[n] for n, _ in warm) - t_start_wall)
        results["ready_s"] = _logged_at(work / "daemon.log", "ready", t_start)
        time.sleep(1.0)
        results["idle_early_tree"] = tree_memory_mb(proc.pid)
        # Idle is what an idle daemon holds: measured once the heap trimmer (every 5 s in
        # newsdesk.heap) has run; just after the warm-up the workers still hold memory
        # freed by the last articles (about 20 MB a worker on HTML pages).
        time.sleep(IDLE_SETTLE_S - 1.0)
        idle = _rss_kb(proc.pid, "VmRSS")
        idle_kids = {c: _rss_kb(c, "VmRSS") / 1024 for c in _children(proc.pid)}
        results.update(idle_rss_mb=idle / 1024, idle_rss_total_mb=idle / 1024 + sum(idle_kids.values()),
                       idle_kids=idle_kids, idle_tree=tree_memory_mb(proc.pid))
        # Throughput: a burst of count files, as fast as they can be dropped.
        names = [name for name, _ in burst]
        # Written first under hidden names (ignored), then renamed into place in a
        # tight loop: the burst arrives faster than the daemon can take it.
        for name, payload in burst:
            (inbox / f".{name}.tmp").write_bytes(payload)
        kids = _children(proc.pid)
        cpu0 = _cpu_s(proc.pid), sum(_cpu_s(k) for k in kids)
        sampler = MemoryPeak(proc.pid)
        sampler.start()
        t0 = time.time()
        for name in names:
            os.rename(inbox / f".{name}.tmp", inbox / name)
        drop_s = time.time() - t0
        _wait_all(tail, names, 1800)
        sampler.stop.set()
        sampler.join()
        results.update(peak_tree_rss_mb=sampler.rss, peak_tree_pss_mb=sampler.pss,
                       peak_tree=sampler.at_peak, after_tree=tree_memory_mb(proc.pid))
        elapsed = max(tail.seen[n] for n in names) - t0
        cpu1 = _cpu_s(proc.pid), sum(_cpu_s(k) for k in kids)
        results.update(cpu_main_ms=(cpu1[0] - cpu0[0]) * 1000 / len(names),
                       cpu_workers_ms=(cpu1[1] - cpu0[1]) * 1000 / len(names),
                       busy_main=(cpu1[0] - cpu0[0]) / elapsed)
        results.update(burst=len(names), burst_s=elapsed, rate=len(names) / elapsed,
                       drop_rate=len(names) / drop_s)
        peak = _rss_kb(proc.pid, "VmHWM")
        peak_total = peak + sum(_rss_kb(c, "VmHWM") for c in _children(proc.pid))
        results.update(peak_rss_mb=peak / 1024, peak_rss_total_mb=peak_total / 1024)
        # Latency: files offered at a steady rate.
        lat_names: list[tuple[str, float]] = []
        t0 = time.time()
        for n, (name, payload) in enumerate(lat_files):
            due = t0 + n / args.rate
            time.sleep(max(0.0, due - time.time()))
            _drop(inbox, name, payload)
            lat_names.append((name, time.time()))
        _wait_all(tail, [n for n, _ in lat_names], 300)
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
    results["costs"] = stage_costs(out, set(names))
    results["floor"] = floor_rate(burst, work)
    if args.stages:
        results["baseline"] = trafilatura_rate(burst, args.workers or os.cpu_count() or 1,
                                               work / "trafilatura.jsonl")
    timings = _plugin_timings(work / "daemon.log")
    _report(results, timings, args)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _logged_at(log: Path, event: str, t_start: float) -> float | None:
    """Seconds from start to the daemon's first log line ``event`` (None: not logged)."""
    for line in log.read_bytes().splitlines():
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if entry.get("event") == event and entry.get("uptime_s") is not None:
            return float(entry["uptime_s"])
    return None


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


def _baseline_line(b: Baseline | None, rate: float, cpu_ms: float) -> str:
    if b is None:
        return ("baseline, trafilatura alone: not run (the files are plain text; trafilatura "
                "reads HTML pages)")
    return (f"baseline, trafilatura alone (extract with metadata, a JSON line a page, same "
            f"files, as many processes as workers)  {b.rate:.1f} pages/s, CPU {b.cpu_ms:.2f} ms "
            f"a page ({b.extracted} of {b.pages} extracted); newsdesk {rate / b.rate:.2f}x its "
            f"rate, {cpu_ms / b.cpu_ms:.2f}x its CPU")


def _report(r: dict[str, Any], timings: dict[str, float], args: argparse.Namespace) -> None:
    stages = args.stages
    costs = r["costs"]
    print(f"inbox watched after start {r['watching_s']:.2f} s")
    if r.get("ready_s") is not None:
        print(f"ready (logged) after      {r['ready_s']:.2f} s          (target <= 3 s)")
    if "first_record_s" in r:
        print(f"cold start: first record  {r['first_record_s']:.2f} s after start; "
              f"{args.warm} warm-up articles done at {r['warm_done_s']:.2f} s (not in the burst)")
    print(f"idle RSS, daemon          {r['idle_rss_mb']:.1f} MB")
    print(f"idle RSS, with workers    {r['idle_rss_total_mb']:.1f} MB"
          + ("       (target <= 450 MB)" if stages else "")
          + f"; children: {', '.join(f'{mb:.0f}' for mb in r['idle_kids'].values())} MB")
    tree = r["idle_tree"]
    print(f"idle memory, whole tree   RSS summed {tree['rss']:.1f} MB, PSS {tree['pss']:.1f} MB"
          + (" (target <= 450 MB)" if stages else "")
          + f", USS {tree['uss']:.1f} MB ({len(tree['per'])} processes; PSS shares each shared "
          f"page among the processes that map it)")
    print("  per process (RSS / PSS / USS MB): " + describe_processes(tree))
    early = r["idle_early_tree"]
    print(f"  ({IDLE_SETTLE_S:.0f} s after the warm-up; at 1 s, before the heap's trim: "
          f"RSS summed {early['rss']:.1f} MB, PSS {early['pss']:.1f} MB)")
    print(f"burst of {r['burst']} articles    {r['rate']:.1f} articles/s  "
          f"(target >= {'150' if stages else '2000'}/s; files dropped at {r['drop_rate']:.0f}/s)")
    print(f"floor (read + orjson line, one loop)  {r['floor']:.0f} articles/s; "
          f"the daemon runs at {r['rate'] / r['floor']:.2%} of the floor "
          f"({r['floor'] / r['rate']:.0f}x slower)")
    if "baseline" in r:
        print(_baseline_line(r["baseline"], r["rate"], r["cpu_main_ms"] + r["cpu_workers_ms"]))
    print(f"CPU per article           daemon {r['cpu_main_ms']:.2f} ms, workers "
          f"{r['cpu_workers_ms']:.2f} ms (daemon busy {r['busy_main']:.0%} of the burst)")
    print(f"peak RSS, daemon          {r['peak_rss_mb']:.1f} MB")
    print(f"peak RSS, with workers    {r['peak_rss_total_mb']:.1f} MB"
          + ("       (target <= 700 MB)" if stages else ""))
    print(f"peak in the burst, sampled  RSS summed {r['peak_tree_rss_mb']:.1f} MB, "
          f"PSS summed {r['peak_tree_pss_mb']:.1f} MB"
          + ("       (target <= 700 MB)" if stages else ""))
    if r.get("peak_tree"):
        print("  per process at the PSS peak (RSS / PSS / USS MB): " + describe_processes(r["peak_tree"]))
    after = r["after_tree"]
    print(f"after the burst           RSS summed {after['rss']:.1f} MB, PSS {after['pss']:.1f} MB, "
          f"USS {after['uss']:.1f} MB")
    print("  per process (RSS / PSS / USS MB): " + describe_processes(after))
    print(f"latency at {args.rate:g}/s (n={r['lat_n']})  p50 {r['lat_p50']:.1f} ms  "
          f"p95 {r['lat_p95']:.1f} ms  p99 {r['lat_p99']:.1f} ms  "
          f"(target p99 <= {'100' if stages else '50'} ms)")
    sizes = costs["record_bytes"]
    if sizes:
        print(f"record size               mean {sum(sizes) / len(sizes):.0f} B, "
              f"max {max(sizes)} B per line")
    if costs["stages"]:
        print("stage cost per article, from the records' timings_ms (mean / p95 ms):")
        langs = sorted(costs["by_lang"], key=lambda k: -len(costs["by_lang"][k].get("total", [])))
        header = "  " + f"{'stage':10s} {'all':>13s}" + "".join(
            f" {lang + ' (' + str(len(costs['by_lang'][lang].get('total', []))) + ')':>13s}"
            for lang in langs)
        print(header)
        for stage in costs["stages"]:
            row = f"  {stage:10s} {_mean_p95(costs['stages'][stage]):>13s}"
            for lang in langs:
                row += f" {_mean_p95(costs['by_lang'][lang].get(stage, [])):>13s}"
            print(row)
    if timings:
        print("mean time per plugin per article (daemon's log, warm-up and latency run included):")
        for key, ms in timings.items():
            print(f"  {key:32s} {ms:.3f} ms")
    elif not stages:
        print("mean time per plugin per article: no stage plugin ran")


def _mean_p95(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{sum(values) / len(values):.2f} / {_pct(values, 95):.1f}"
