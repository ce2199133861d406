"""Component benchmark: CPU per article of the worker stages clean and extract, in one process.

    .venv/bin/python benchmarks/stage_cpu.py --generated 300 \
        --folder ../shared/datasets/news-articles-dev/html [--profile out.prof]

A component figure, not the product's: the clean and extract hooks run as a worker
calls them (``build_app(role="worker")``, ``newsdesk_read``, then ``newsdesk_clean`` and
``newsdesk_extract``), each timed with ``time.process_time`` (CPU, so the load of a
shared machine moves it little), on ``--generated`` articles of ``newsdesk.benchtext``
(the bench's language mix) and on the files of ``--folder`` (``.gz`` files are
decompressed in memory). The first ``--warm`` articles run once before (models, caches).
Prints the mean per article of each stage, by source and by the language extract found.
Run two checkouts' pythons on it alternately (before, after, before, after) for an A/B.
``--profile FILE`` writes a cProfile of the timed hooks.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import tempfile
import time
from pathlib import Path

from newsdesk import benchtext
from newsdesk.app import Settings, build_app
from newsdesk.article import Article, Source
from newsdesk.pipeline import read


def inputs(generated: int, mix: str, folders: list[str]) -> list[tuple[str, str, bytes]]:
    """(kind, file name, bytes) of the generated articles and of the folders' files."""
    items = [("generated", name, data) for name, data in
             benchtext.make_articles(generated, 5000, benchtext.parse_mix(mix))] if generated else []
    for folder in folders:
        for f in sorted(Path(folder).iterdir()):
            if f.is_file():
                data = f.read_bytes()
                if f.suffix == ".gz":
                    items.append(("folder", f.name[:-3], gzip.decompress(data)))
                else:
                    items.append(("folder", f.name, data))
    return items


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--generated", type=int, default=300, help="benchtext articles (0: none)")
    p.add_argument("--languages", default="en=7,de=1,pl=1,ru=0.5,uk=0.5", help="their language mix")
    p.add_argument("--folder", action="append", default=[], help="files to run as well (repeatable)")
    p.add_argument("--warm", type=int, default=60, help="articles run once before the timing")
    p.add_argument("--profile", help="write a cProfile of the timed hooks here")
    args = p.parse_args(argv)
    items = inputs(args.generated, args.languages, args.folder)
    with tempfile.TemporaryDirectory(prefix="stage-cpu-") as workdir:
        pm = build_app(Settings(workdir=workdir, command="process"), role="worker").pm

        def articles(name: str, data: bytes) -> list[Article]:
            source = Source(path=f"{workdir}/{name}", name=name, size=len(data),
                            mtime="2026-01-01T00:00:00Z", received="2026-01-01T00:00:00Z")
            return read(pm, source, data)

        for _, name, data in items[:args.warm]:
            for article in articles(name, data):
                pm.hook.newsdesk_clean(article=article)
                pm.hook.newsdesk_extract(article=article)
        totals: dict[tuple[str, str], list[float]] = {}
        profile = cProfile.Profile() if args.profile else None
        for kind, name, data in items:
            for article in articles(name, data):
                t0 = time.process_time()
                if profile:
                    profile.enable()
                pm.hook.newsdesk_clean(article=article)
                t1 = time.process_time()
                pm.hook.newsdesk_extract(article=article)
                t2 = time.process_time()
                if profile:
                    profile.disable()
                lang = article.record.get("lang") or "-"
                for key, spent in (((kind, "clean"), t1 - t0), ((kind, "extract"), t2 - t1),
                                   ((f"{kind}:{lang}", "extract"), t2 - t1)):
                    total = totals.setdefault(key, [0.0, 0])
                    total[0] += spent
                    total[1] += 1
    print("stage_cpu (component benchmark: CPU per article of one worker's hooks)")
    for (kind, stage), (spent, n) in sorted(totals.items()):
        print(f"  {kind:14s} {stage:8s} n={int(n):5d} {spent / n * 1000:8.2f} ms")
    if profile and args.profile:
        profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
