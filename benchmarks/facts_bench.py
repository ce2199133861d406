"""Product benchmark of the facts an analyst reads: entities, quote speakers, counts, stories.

    .venv/bin/python benchmarks/facts_bench.py [--half dev|check] [--baseline-ref REF] [-v]

Every labelled article (tests/extract/data/labelled.jsonl, one JSON file each) and every
article of the story set (benchmarks/data/story_set.jsonl, one text file each: title,
date line when it has one, body) goes through the real ``newsdesk process`` command
with every default plugin on, and the records it prints are scored as written:

- entities: (canonical name, type) per article; precision and recall for PER, ORG, LOC;
- speakers: each labelled quote, found in the record by its text; right when the
  record's speaker is the labelled one (a labelled null wants null); *wrong* counts
  the quotes given a speaker other than the labelled one (worse than none);
- counts: (value or range, event) pairs, F1;
- stories: pairwise F1 over the story set (a pair of articles is positive when both
  carry the same ``story``).

Beside each figure, the baseline a user would otherwise have, measured in the same run:
the same command from the engine as it was at ``--baseline-ref`` (a git commit of this
repository, unpacked to a temporary folder) and, for stories, "one story per day"
(articles grouped by the day of their ``published`` date, else the day they were read).

``--half dev`` / ``--half check`` scores only the articles whose sha1(id) is even / odd
(all articles are still processed together, as a user would).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "extract" / "data" / "labelled.jsonl"
STORY_SET = ROOT / "benchmarks" / "data" / "story_set.jsonl"
#: main when this benchmark was written: the engine before the issue 11 work.
DEFAULT_BASELINE = "f949066"
TYPES = ("PER", "ORG", "LOC")


def half_of(item_id: str) -> str:
    return "dev" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "check"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --- inputs ------------------------------------------------------------------------------

def write_inputs(folder: Path, labelled: list[dict[str, Any]], stories: list[dict[str, Any]]) -> None:
    """One file per article, as a user would drop them."""
    folder.mkdir(parents=True)
    for item in labelled:
        obj = {"text": item["text"]}
        if item.get("title"):
            obj["title"] = item["title"]
        (folder / f"L-{item['id']}.json").write_text(json.dumps(obj, ensure_ascii=False), "utf-8")
    for item in stories:
        parts = [item["title"]]
        if item.get("date"):
            parts.append(item["date"])
        parts.append(item["text"])
        (folder / f"S-{item['id']}.txt").write_text("\n\n".join(parts) + "\n", "utf-8")


def engine_tree(ref: str, into: Path) -> Path:
    """The repository's core/, plugins/ and config/ at ``ref``, importable from ``into/pkgs``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref,
                              "core", "plugins", "config"], capture_output=True, check=True).stdout
    tar = into / "tree.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as tf:
        tf.extractall(into, filter="data")
    pkgs = into / "pkgs"
    pkgs.mkdir()
    (pkgs / "newsdesk").symlink_to(into / "core")
    (pkgs / "newsdesk_plugins").symlink_to(into / "plugins")
    return into


def process(inputs: Path, workdir: Path, tree: Path | None) -> dict[str, dict[str, Any]]:
    """Run ``newsdesk process`` on the folder; the records by input file stem."""
    workdir.mkdir(parents=True)
    shutil.copytree((tree or ROOT) / "config", workdir / "config")
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "pkgs")
    run = subprocess.run([sys.executable, "-m", "newsdesk", "process", "--workdir", str(workdir),
                          "--log-level", "error", str(inputs)],
                         cwd=workdir, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"facts_bench: newsdesk process exited {run.returncode}: "
                         f"{run.stderr.strip().splitlines()[-1:]}")
    out = {}
    for line in run.stdout.splitlines():
        if line.strip():
            rec = json.loads(line)
            out[Path(rec["source"]["name"]).stem] = rec
    return out


# --- scoring -----------------------------------------------------------------------------

@dataclass
class Scores:
    ent: dict[str, list[int]] = field(default_factory=lambda: {t: [0, 0, 0] for t in TYPES})
    quotes: int = 0
    speakers_ok: int = 0
    speakers_wrong: int = 0
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    #: labelled counts with a qualifier that were found, and of those, found with it
    qualified: list[int] = field(default_factory=lambda: [0, 0])
    misses: list[str] = field(default_factory=list)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def count_key(c: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(low, high, event) of a labelled or recorded count: a number is its own range;
    a list [a, b] (older records, the labels) or ``min``/``max`` give the range."""
    v = c.get("value")
    if isinstance(c.get("min"), (int, float)) and isinstance(c.get("max"), (int, float)):
        lo, hi = c["min"], c["max"]
    elif isinstance(v, list) and len(v) == 2:
        lo, hi = v
    else:
        lo = hi = v
    return lo, hi, c.get("event")


def score_labelled(items: Iterable[dict[str, Any]], records: dict[str, dict[str, Any]]) -> Scores:
    s = Scores()
    for item in items:
        rec = records.get(f"L-{item['id']}", {})
        gold = {(e["name"], e["type"]) for e in item.get("entities", [])}
        got = {(e.get("name"), e.get("type")) for e in rec.get("entities") or []}
        for t in TYPES:
            g = {x for x in gold if x[1] == t}
            o = {x for x in got if x[1] == t}
            s.ent[t][0] += len(g & o)
            s.ent[t][1] += len(o - g)
            s.ent[t][2] += len(g - o)
            if g != o:
                s.misses.append(f"{item['id']} {t}: missed {sorted(n for n, _ in g - o)}; "
                                f"extra {sorted(str(n) for n, _ in o - g)}")
        for q in item.get("quotes", []):
            s.quotes += 1
            found = [x for x in rec.get("quotes") or []
                     if q["text"][:30] in x.get("text", "") or x.get("text", "")[:30] in q["text"]]
            speaker = found[0].get("speaker") if found else None
            if found and speaker == q["speaker"]:
                s.speakers_ok += 1
                continue
            if speaker is not None:
                s.speakers_wrong += 1
            s.misses.append(f"{item['id']} quote {q['text'][:40]!r}: speaker "
                            f"{speaker if found else 'NO QUOTE'!r}, want {q['speaker']!r}")
        want = [count_key(c) for c in item.get("counts", [])]
        have = [count_key(c) for c in rec.get("facts") or []]
        rest = list(have)
        quals = {count_key(c): c.get("qualifier") for c in rec.get("facts") or []}
        for c, label in zip(want, item.get("counts", []), strict=True):
            if c in rest:
                rest.remove(c)
                s.counts[0] += 1
                if label.get("qualifier"):
                    s.qualified[0] += 1
                    s.qualified[1] += quals.get(c) == label["qualifier"]
            else:
                s.counts[2] += 1
                s.misses.append(f"{item['id']} count missed {c}; got {have}")
        s.counts[1] += len(rest)
        if rest:
            s.misses.append(f"{item['id']} count extra {rest}")
    return s


def pairwise(labels: dict[str, str], groups: dict[str, str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b in combinations(sorted(labels), 2):
        same_gold = labels[a] == labels[b]
        same_pred = bool(groups.get(a)) and groups.get(a) == groups.get(b)
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return prf(tp, fp, fn)


def story_groups(items: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {i["id"]: str(records.get(f"S-{i['id']}", {}).get("story") or "") for i in items}


def day_groups(items: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The baseline "one story per day": the day of ``published``, else of reading."""
    out = {}
    for i in items:
        rec = records.get(f"S-{i['id']}", {})
        when = rec.get("published") or (rec.get("source") or {}).get("received") or ""
        out[i["id"]] = str(when)[:10]
    return out


# --- report ------------------------------------------------------------------------------

def line(name: str, now: float, base: float | None, target: str) -> None:
    b = f"{base:8.3f}" if base is not None else "       -"
    print(f"  {name:<34} {now:8.3f} {b}   target {target}")


def report(now: Scores, base: Scores | None) -> None:
    print(f"  {'':<34} {'product':>8} {'baseline':>8}")
    for t in TYPES:
        p, r, _ = prf(*now.ent[t])
        bp, br, _ = prf(*base.ent[t]) if base else (None, None, None)
        line(f"{t} precision", p, bp, ">= 0.95")
        line(f"{t} recall", r, br, ">= 0.90")
    ok = now.speakers_ok / now.quotes if now.quotes else 1.0
    bok = (base.speakers_ok / base.quotes if base.quotes else 1.0) if base else None
    line(f"speakers right ({now.quotes} quotes)", ok, bok, ">= 0.95")
    line("  quotes with a wrong speaker", now.speakers_wrong,
         base.speakers_wrong if base else None, "= 0")
    line("counts F1 (value or range, event)", prf(*now.counts)[2],
         prf(*base.counts)[2] if base else None, ">= 0.92")
    kept = now.qualified[1] / now.qualified[0] if now.qualified[0] else 1.0
    bkept = (base.qualified[1] / base.qualified[0] if base.qualified[0] else 1.0) if base else None
    line(f"  qualifier kept ({now.qualified[0]} found)", kept, bkept, "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", choices=["dev", "check"], help="score one half only (by sha1 of the id)")
    ap.add_argument("--labelled", type=Path, default=LABELLED)
    ap.add_argument("--stories", type=Path, default=STORY_SET)
    ap.add_argument("--baseline-ref", default=DEFAULT_BASELINE,
                    help=f"git commit whose engine is the baseline (default {DEFAULT_BASELINE}); "
                         "'none' to skip it")
    ap.add_argument("--records", type=Path, help="also write the product's records here (JSON lines)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss of the product")
    args = ap.parse_args()
    labelled, stories = read_jsonl(args.labelled), read_jsonl(args.stories)
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as tmp:
        t = Path(tmp)
        write_inputs(t / "in", labelled, stories)
        records = process(t / "in", t / "work", None)
        if args.records:
            args.records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                            for r in records.values()), "utf-8")
        base_records = None
        if args.baseline_ref != "none":
            tree = engine_tree(args.baseline_ref, t / "base")
            base_records = process(t / "in", t / "work-base", tree)
    keep = (lambda i: half_of(i["id"]) == args.half) if args.half else (lambda i: True)
    lab = [i for i in labelled if keep(i)]
    sto = [i for i in stories if keep(i)]
    now = score_labelled(lab, records)
    base = score_labelled(lab, base_records) if base_records is not None else None
    langs = sorted({i.get("lang", "?") for i in lab})
    print(f"facts benchmark through `newsdesk process` (half: {args.half or 'all'}; "
          f"baseline: the engine at {args.baseline_ref})")
    print(f"labelled set: {len(lab)} articles ({', '.join(langs)})")
    report(now, base)
    gold = {i["id"]: i["story"] for i in sto}
    s_langs = sorted({i["lang"] for i in sto})
    print(f"story set: {len(sto)} articles, {len(set(gold.values()))} stories ({', '.join(s_langs)})")
    p, r, f = pairwise(gold, story_groups(sto, records))
    _, _, fb = pairwise(gold, story_groups(sto, base_records)) if base_records else (0, 0, None)
    line("story pairwise F1", f, fb, ">= 0.90")
    print(f"  {'  precision / recall (wrong merges / splits)':<34} {p:.3f} / {r:.3f}")
    _, _, fd = pairwise(gold, day_groups(sto, records))
    line("  baseline: one story per day", fd, None, "")
    uncertain = sum(1 for i in sto if records.get(f"S-{i['id']}", {}).get("date_uncertain"))
    print(f"  articles marked date_uncertain: {uncertain} "
          f"(story set articles without a date line: {sum(1 for i in sto if not i.get('date'))})")
    if args.verbose:
        for m in now.misses:
            print("#", m)
        by_story: dict[str, list[str]] = {}
        for i in sto:
            rec = records.get(f"S-{i['id']}", {})
            by_story.setdefault(str(rec.get("story")), []).append(f"{i['id']}({rec.get('published')})")
        for sid, members in sorted(by_story.items()):
            print(f"# story {sid}: {' '.join(members)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
