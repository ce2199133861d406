"""Component benchmark: CPU per article of the worker stages, in one process.

    .venv/bin/python benchmarks/stage_cpu.py --generated 300 \
        --folder ../shared/datasets/news-articles-dev/html [--profile out.prof]

A component figure, not the product's: the worker's hooks run as a worker calls them
(``build_app(role="worker")``, ``newsdesk_read``, then ``newsdesk_clean``,
``newsdesk_extract``, ``newsdesk_translate`` and ``newsdesk_index_prepare``), each timed with ``time.process_time`` (CPU, so the load of a
shared machine moves it little), on ``--generated`` articles of ``newsdesk.benchtext``
(the bench's language mix) and on the files of ``--folder`` (``.gz`` files are
decompressed in memory). The first ``--warm`` articles run once before (models, caches).
Prints the mean per article of each stage, by source and by the language extract found.
Run two checkouts' pythons on it alternately (before, after, before, after) for an A/B.
``--profile FILE`` writes a cProfile of the timed hooks (``--profile-stage`` names the
ones it covers). "index" is ``newsdesk_index_prepare``, the index's part run in the worker.
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
from newsdesk.log import setup
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
    p.add_argument("--profile-stage", action="append", default=[],
                   choices=["clean", "extract", "translate", "index_prepare"],
                   help="the hooks --profile covers (repeatable; default: all)")
    args = p.parse_args(argv)
    args.profile_stage = args.profile_stage or ["clean", "extract", "translate", "index_prepare"]
    items = inputs(args.generated, args.languages, args.folder)
    setup("info")  # as a worker logs: debug lines filtered out, not rendered
    with tempfile.TemporaryDirectory(prefix="stage-cpu-") as workdir:
        pm = build_app(Settings(workdir=workdir, command="process"), role="worker").pm

        def articles(name: str, data: bytes) -> list[Article]:
            source = Source(path=f"{workdir}/{name}", name=name, size=len(data),
                            mtime="2026-01-01T00:00:00Z", received="2026-01-01T00:00:00Z")
            return read(pm, source, data)

        stages = ("clean", "extract", "translate", "index_prepare")
        for _, name, data in items[:args.warm]:
            for article in articles(name, data):
                for stage in stages:
                    getattr(pm.hook, f"newsdesk_{stage}")(article=article)
        totals: dict[tuple[str, str], list[float]] = {}
        profile = cProfile.Profile() if args.profile else None
        for kind, name, data in items:
            for article in articles(name, data):
                spent: dict[str, float] = {}
                for stage in stages:
                    hook = getattr(pm.hook, f"newsdesk_{stage}")
                    profiled = profile is not None and stage in args.profile_stage
                    t0 = time.process_time()
                    if profiled:
                        profile.enable()
                    hook(article=article)
                    if profiled:
                        profile.disable()
                    spent[stage.split("_")[0]] = time.process_time() - t0
                lang = article.record.get("lang") or "-"
                for stage, seconds in spent.items():
                    for key in ((kind, stage), (f"{kind}:{lang}", stage)):
                        total = totals.setdefault(key, [0.0, 0])
                        total[0] += seconds
                        total[1] += 1
    print("stage_cpu (component benchmark: CPU per article of one worker's hooks)")
    for (kind, stage), (spent, n) in sorted(totals.items()):
        print(f"  {kind:14s} {stage:8s} n={int(n):5d} {spent / n * 1000:8.2f} ms")
    if profile and args.profile:
        profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
