"""Benchmark of the extract plugin: prints figures beside the issue's targets.

    .venv/bin/python benchmarks/extract_bench.py --dataset ../shared/datasets/news-articles-dev
    .venv/bin/python benchmarks/extract_bench.py --labelled [tests/extract/data/labelled.jsonl]
    .venv/bin/python benchmarks/extract_bench.py --speed
    .venv/bin/python benchmarks/extract_bench.py --dataset PATH --show-failures title,date

--dataset: title exact match, publication date right to the day, authors F1,
from each page's HTML alone (no clean plugin). --labelled: entities F1 per type,
canonical merging, counts F1 (value and event), quote speakers, cited sources F1
on the hand-labelled set. --speed: articles of about 5 KB a second on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_scoring import f1, labelled_scores, norm_authors  # noqa: E402

from newsdesk.article import Article, Source  # noqa: E402
from newsdesk_plugins.extract.engine import Extractor, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELLED = ROOT / "tests" / "extract" / "data" / "labelled.jsonl"


def article(content: str, kind: str = "text", record: dict[str, Any] | None = None, name: str = "a") -> Article:
    src = Source(path=name, name=name, size=len(content), mtime="", received="")
    return Article(id=name, source=src, content=content, content_type=kind, record=dict(record or {}))  # type: ignore[arg-type]


def extractor() -> Extractor:
    return Extractor(200_000, None, ROOT / "config" / "extract_aliases.toml")


def row(name: str, value: float, target: str, met: bool) -> None:
    print(f"  {name:<34} {value:>8.3f}   target {target:<8} {'met' if met else 'NOT met'}")


def bench_dataset(path: Path, verbose: bool, show: set[str] | None = None) -> None:
    ex = extractor()
    rows = [json.loads(line) for line in (path / "articles.jsonl").open(encoding="utf-8")]
    title_ok = date_ok = 0
    a_tp = a_fp = a_fn = 0
    for r in rows:
        html = gzip.decompress((path / "html" / f"{r['html_file']}.html.gz").read_bytes()).decode("utf-8", "replace")
        art = article(html, "html", name=str(r["id"]))
        run(ex, art)
        rec = art.record
        t_ok = (rec.get("title") or "").strip() == r["title"].strip()
        d_ok = (rec.get("published") or "")[:10] == r["date"][:10]
        title_ok += t_ok
        date_ok += d_ok
        got, want = norm_authors(rec.get("authors") or []), norm_authors([r["authors"]] if r["authors"] else [])
        a_tp += len(got & want)
        a_fp += len(got - want)
        a_fn += len(want - got)
        if show is not None:
            misses = {"title": not t_ok, "date": not d_ok, "authors": got != want}
            for what in sorted(k for k, bad in misses.items() if bad and (not show or k in show)):
                have = {"title": rec.get("title"), "date": rec.get("published"), "authors": sorted(got)}[what]
                ref = {"title": r["title"], "date": r["date"], "authors": sorted(want)}[what]
                print(f"# {r['id']} {what}: got {have!r}; want {ref!r}  ({r['link']})")
        elif verbose and not (t_ok and d_ok and got == want):
            print(f"# {r['id']}: title {rec.get('title')!r} / {r['title']!r}; date {rec.get('published')} / {r['date']}; authors {sorted(got)} / {sorted(want)}")
    n = len(rows)
    print(f"news-articles-dev ({n} pages, HTML only, no clean plugin)")
    row("title exact match", title_ok / n, ">= 0.95", title_ok / n >= 0.95)
    row("published right to the day", date_ok / n, ">= 0.92", date_ok / n >= 0.92)
    af = f1(a_tp, a_fp, a_fn)
    row("authors F1", af, ">= 0.85", af >= 0.85)


def run_labelled(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    ex = extractor()
    pairs = []
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        item = json.loads(line)
        art = article(item["text"], record={"text": item["text"], "title": item.get("title"), "removed": []}, name=item["id"])
        run(ex, art)
        pairs.append((item, art.record))
    return pairs


def bench_labelled(path: Path, verbose: bool) -> None:
    pairs = run_labelled(path)
    scores = labelled_scores(pairs, verbose)
    langs = sorted({item.get("lang", "?") for item, _ in pairs})
    print(f"labelled set ({len(pairs)} articles, languages {', '.join(langs)})")
    for name, target in (("PER F1", 0.85), ("LOC F1", 0.85), ("ORG F1", 0.75)):
        row(f"entities {name}", scores[name], f">= {target}", scores[name] >= target)
    row("canonical merging (found variants)", scores["merging"], "= 1.00", scores["merging"] >= 1.0)
    print(f"  {'  (labelled variants found at all)':<34} {scores['variants found']:>8.3f}")
    row("counts F1 (value and event)", scores["counts F1"], ">= 0.85", scores["counts F1"] >= 0.85)
    row("quote speakers right", scores["speakers"], ">= 0.80", scores["speakers"] >= 0.80)
    row("cited sources F1", scores["cited F1"], ">= 0.90", scores["cited F1"] >= 0.90)


def bench_speed(path: Path, n: int) -> None:
    ex = extractor()
    items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    load_avg = os.getloadavg()[0]
    print(f"speed (articles of 5 KB built from the labelled set, one process; load average {load_avg:.2f} "
          f"on {os.cpu_count()} cores)")
    total_n = total_cpu = 0.0
    for lang in sorted({i["lang"] for i in items}):
        texts = [i["text"] for i in items if i["lang"] == lang]
        docs = []
        for k in range(n):
            body, j = "", k
            while len(body.encode()) < 5000:
                body += texts[j % len(texts)] + "\n\n"
                j += 1
            docs.append(body.encode()[:5000].decode("utf-8", "ignore"))
        t0 = time.perf_counter()
        run(ex, article(docs[0], record={"text": docs[0], "title": "t", "removed": []}))
        load = time.perf_counter() - t0
        cpu0 = time.process_time()
        for k, body in enumerate(docs):
            run(ex, article(body, record={"text": body, "title": "t", "removed": []}, name=str(k)))
        cpu = time.process_time() - cpu0
        total_n += n
        total_cpu += cpu
        print(f"  {lang}: first article (engines load) {load:6.2f} s; {n / cpu:7.1f} articles per CPU-second")
    row("all languages, articles per CPU-second", total_n / total_cpu, ">= 100", total_n / total_cpu >= 100)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", type=Path, help="folder of news-articles-dev (articles.jsonl, html/)")
    p.add_argument("--labelled", nargs="?", const=DEFAULT_LABELLED, type=Path, help="the labelled set (JSON lines)")
    p.add_argument("--speed", action="store_true", help="measure articles of 5 KB a second")
    p.add_argument("-n", type=int, default=200, help="articles for --speed")
    p.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    p.add_argument("--show-failures", nargs="?", const="", metavar="FIELDS",
                   help="--dataset: print one line per miss (got, want, page link); FIELDS limits it "
                        "to some of title,date,authors")
    args = p.parse_args()
    if not (args.dataset or args.labelled or args.speed):
        p.error("give --dataset PATH, --labelled and/or --speed")
    if args.dataset:
        show = None if args.show_failures is None else {f for f in args.show_failures.split(",") if f}
        bench_dataset(args.dataset, args.verbose, show)
    if args.labelled:
        bench_labelled(args.labelled, args.verbose)
    if args.speed:
        bench_speed(args.labelled or DEFAULT_LABELLED, args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
