"""Reliability battery: a real ``newsdesk run`` under kill -9, a full disk and plugin
faults, and an account of every file offered.

    .venv/bin/python benchmarks/chaos.py --kills 20

Each round offers a burst of files to the inbox (renamed in, as a well-behaved
writer does), waits a random moment, then kills -9 either the daemon or one of its
worker processes. A killed daemon is started again. Some rounds also fill the
output disk (a tmpfs the script mounts; root only, else that fault is left out and
the script says so) and free it a few seconds later, and a plugin folder adds
faults: a stage that raises, a value JSON cannot hold, a worker that exits. At the
end the daemon is started once more, drains the inbox and is stopped with SIGTERM.

Every third round (``--lines-every``) also offers a JSON-lines file of 120 articles
(``--lines``), read by line; half of them have a line that hangs (past
``daemon.timeout_s``, ``--timeout``), and a few lines carry the plugin faults.

It prints: files and articles offered, records, lost (an article with no record),
twice (an article with more than one record), torn (a line that is not one whole JSON
object), and the kills by kind. Every article is accounted for by its file's name,
which is unique, and its line in a JSON-lines file; its content is unique too.

By default every installed plugin runs (``--disable NAME`` to leave one out).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

FAULTS = '''
import os
import time
from newsdesk import hookimpl

@hookimpl
def newsdesk_clean(article):
    if "CHAOS-RAISE" in article.content:
        raise RuntimeError("chaos: a stage that raises")
    if "CHAOS-SET" in article.content:
        article.record["chaos"] = {"a", "set"}
    if "CHAOS-EXIT" in article.content:
        os._exit(7)
    if "CHAOS-HANG" in article.content:
        # Past daemon.timeout_s: the worker is killed and the line failed. A worker whose
        # daemon was killed alone ends instead of hanging on as an orphan.
        parent = os.getppid()
        for _ in range(7200):
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)
'''

WORDS = ("harbour council tram district residents minister budget storm river bridge "
         "election school hospital court police market train station festival museum "
         "report week morning night city region village farmers workers union").split()


def article(rng: random.Random, tag: str, fault: str) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 200)))
    return (f"Chaos report {tag}\n\nThe {rng.choice(WORDS)} of {tag} said on Monday that "
            f"{words}.\n\n{fault}\n")


class Daemon:
    def __init__(self, workdir: Path, args: list[str]) -> None:
        self.workdir = workdir
        self.args = args
        self.log = workdir / "daemon.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.offset = 0

    def start(self) -> None:
        self.starts += 1
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        fh = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "run", "--workdir", str(self.workdir),
             "--log-format", "json", *self.args],
            stdout=subprocess.DEVNULL, stderr=fh, start_new_session=True)
        fh.close()

    def wait_ready(self, timeout: float = 180) -> bool:
        """Wait for this start's ``workers loaded`` line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if b'"event":"workers loaded"' in self.log.read_bytes()[self.offset:]:
                return True
            time.sleep(0.2)
        return False

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def workers(self) -> list[int]:
        if not self.alive():
            return []
        assert self.proc is not None
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in children.split()]

    def kill9(self, group: bool = True) -> None:
        """kill -9 the daemon with its workers, or the daemon alone (its workers are
        left to notice, at their closed pipe)."""
        assert self.proc is not None
        try:
            if group:
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)

    def stop(self, timeout: float = 120) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)


def lines_file(rng: random.Random, tag: str, n: int, faults: Counter[str],
               with_faults: bool) -> str:
    """A JSON-lines file of ``n`` articles (one may hang, some carry plugin faults)."""
    hang = rng.randint(1, n) if with_faults and rng.random() < 0.5 else 0
    out = []
    for line in range(1, n + 1):
        fault = ""
        if line == hang:
            fault = "CHAOS-HANG"
        elif with_faults and rng.random() < 0.02:
            fault = rng.choice(["CHAOS-RAISE", "CHAOS-SET", "CHAOS-EXIT"])
        if fault:
            faults[f"{fault} (a line)"] += 1
        out.append(orjson.dumps({"text": article(rng, f"{tag}-l{line}", fault),
                                 "url": f"https://chaos.example/{tag}/{line}"}).decode())
    return "\n".join(out) + "\n"


def offer(inbox: Path, name: str, text: str) -> None:
    tmp = inbox / f".{name}.part"
    tmp.write_text(text)
    os.rename(tmp, inbox / name)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; return the ballast file."""
    ballast = folder / ".ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (1 << 20, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return ballast


def mount_tmpfs(mnt: Path, size: str) -> str | None:
    mnt.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stderr.strip() or "mount failed")


#: An article offered: its file's name and, for a JSON-lines file, its line.
Key = tuple[str, int | None]


def account(output: Path, offered: set[Key]) -> dict[str, Any]:
    names: Counter[Key] = Counter()
    ids: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    torn = records = 0
    for file in sorted(output.glob("*.jsonl")):
        for line in file.read_bytes().splitlines(keepends=True):
            try:
                if not line.endswith(b"\n"):
                    raise ValueError("no newline")
                rec = orjson.loads(line)
            except ValueError:
                torn += 1
                continue
            records += 1
            statuses[str(rec.get("status"))] += 1
            if rec.get("status") == "failed" and "daemon.timeout_s" in str(rec.get("errors")):
                statuses["failed: timed out"] += 1
            names[(rec["source"]["name"], rec["source"].get("line"))] += 1
            ids[rec["id"]] += 1
    return {"offered": len(offered), "files": len({name for name, _ in offered}),
            "records": records,
            "lost": len(offered - set(names)),
            "twice": sum(1 for n in offered if names[n] > 1),
            "same id twice": sum(1 for c in ids.values() if c > 1),
            "torn": torn,
            "unknown": len(set(names) - offered),
            "statuses": ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20, help="kill -9 rounds (default 20)")
    ap.add_argument("--burst", type=int, default=25, help="files offered per round")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, help="working folder (default: a new temp one)")
    ap.add_argument("--disable", action="append", default=[], metavar="NAME",
                    help="leave a plugin out (repeatable)")
    ap.add_argument("--no-disk", action="store_true", help="leave out the full-disk fault")
    ap.add_argument("--no-faults", action="store_true", help="leave out the plugin faults")
    ap.add_argument("--lines-every", type=int, default=3, metavar="N",
                    help="offer a JSON-lines file every N rounds (0: never; default 3)")
    ap.add_argument("--lines", type=int, default=120,
                    help="articles in each JSON-lines file (default 120)")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="daemon.timeout_s: how long a hanging line holds its worker")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsdesk-chaos-"))
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    extra = ["--workers", str(args.workers)]
    for name in args.disable:
        extra += ["--disable", name]
    if not args.no_faults:
        plugins = workdir / "chaos-plugins"
        plugins.mkdir(exist_ok=True)
        (plugins / "chaosfaults.py").write_text(FAULTS)
        extra += ["--plugins-dir", str(plugins)]
    output = workdir / "output"
    disk_note = "left out (--no-disk)" if args.no_disk else ""
    mounted = False
    if not args.no_disk:
        why = mount_tmpfs(output, "64m")
        if why:
            disk_note = f"left out: cannot mount a tmpfs ({why})"
        else:
            mounted = True
            disk_note = "output on a 64 MB tmpfs, filled to the last byte in some rounds"
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    (config / "newsdesk.toml").write_text(f"[daemon]\ntimeout_s = {args.timeout}\n")
    daemon = Daemon(workdir, extra)
    offered: set[Key] = set()
    kills: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    t0 = time.monotonic()
    daemon.start()
    try:
        for round_no in range(args.kills):
            for i in range(args.burst):
                tag = f"r{round_no:03}-{i:03}"
                fault = ""
                if not args.no_faults and rng.random() < 0.08:
                    fault = rng.choice(["CHAOS-RAISE", "CHAOS-SET", "CHAOS-EXIT"])
                    faults[fault] += 1
                name = f"{tag}.txt"
                offer(inbox, name, article(rng, tag, fault))
                offered.add((name, None))
            if args.lines_every and round_no % args.lines_every == 0:
                name = f"r{round_no:03}-feed.jsonl"
                offer(inbox, name, lines_file(rng, f"r{round_no:03}", args.lines, faults,
                                              not args.no_faults))
                offered.update((name, line) for line in range(1, args.lines + 1))
            if rng.random() < 0.75:  # else the kill may come while the workers load
                daemon.wait_ready()
            ballast = None
            if mounted and round_no % 5 == 2:
                ballast = fill(output)
                faults["full disk"] += 1
            time.sleep(rng.uniform(0.5, 6.0))
            workers = daemon.workers()
            if workers and rng.random() < 0.4:
                victim = rng.choice(workers)
                try:
                    os.kill(victim, signal.SIGKILL)
                    kills["worker"] += 1
                except ProcessLookupError:
                    pass
                time.sleep(rng.uniform(0.5, 3.0))
            alone = rng.random() < 0.5
            daemon.kill9(group=not alone)
            kills["daemon alone" if alone else "daemon and workers"] += 1
            if ballast is not None:
                time.sleep(rng.uniform(0.5, 2.0))
                ballast.unlink()
            daemon.start()
            print(f"round {round_no + 1}/{args.kills}: {len(offered)} offered, "
                  f"{sum(kills.values())} kills", file=sys.stderr, flush=True)
        # Drain: wait until the inbox is empty and every file is accounted for.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            left = [p for p in inbox.iterdir() if not p.name.startswith(".")]
            if not left and account(output, offered)["lost"] == 0:
                break
            if not daemon.alive():
                daemon.start()
            time.sleep(1)
        code = daemon.stop()
    finally:
        if daemon.alive():
            daemon.kill9()
    figures = account(output, offered)
    failed_dir = workdir / "failed"
    print(f"files offered: {figures['files']} ({figures['offered']} articles)")
    print(f"records: {figures['records']} ({figures['statuses']})")
    print(f"lost: {figures['lost']}")
    print(f"twice: {figures['twice']}")
    print(f"torn: {figures['torn']}")
    print(f"same id twice: {figures['same id twice']}; records of no article offered: "
          f"{figures['unknown']}")
    print(f"kills: {sum(kills.values())} (" + ", ".join(
        f"{k} {v}" for k, v in sorted(kills.items())) + ")")
    print("faults: " + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())))
    print(f"full disk: {disk_note}")
    print(f"files in failed/: {sum(1 for p in failed_dir.glob('*') if not p.name.endswith('.error.json')) if failed_dir.is_dir() else 0}")
    print(f"last stop: exit {code}; {time.monotonic() - t0:.0f} s; workdir {workdir}")
    if mounted:
        subprocess.run(["umount", "-l", str(output)], capture_output=True)
    if args.workdir is None and figures["lost"] == figures["twice"] == figures["torn"] == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if figures["lost"] == figures["twice"] == figures["torn"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
