"""COMPONENT benchmark (not the product path): natasha's Russian NER, which extract uses for
Russian, against the Latin/Cyrillic rules (RuleEngine) on the Russian articles of the
labelled set, both through the same canonical names.

    .venv/bin/python benchmarks/russian_ner.py [--labelled FILE]

Entities are scored as in facts_bench.py: (canonical name, type) per article.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsdesk_plugins.extract.canonical import Canonicaliser
from newsdesk_plugins.extract.entities import RuleEngine
from newsdesk_plugins.extract.resources import gazetteer, read_aliases
from newsdesk_plugins.extract.russian import NatashaEngine

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("PER", "ORG", "LOC")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", type=Path, default=ROOT / "tests" / "extract" / "data" / "labelled.jsonl")
    args = ap.parse_args()
    items = [json.loads(line) for line in args.labelled.read_text("utf-8").splitlines() if line.strip()]
    items = [i for i in items if i.get("lang") == "ru"]
    canon = Canonicaliser(read_aliases(None), gazetteer())
    engines = {"natasha (default)": NatashaEngine(), "rules": RuleEngine("ru", gazetteer())}
    print(f"component benchmark: {len(items)} Russian labelled articles")
    for name, engine in engines.items():
        tally = {t: [0, 0, 0] for t in TYPES}
        for item in items:
            gold = {(e["name"], e["type"]) for e in item["entities"]}
            got = {(e.as_dict()["name"], e.type) for e in canon.group(engine(item["text"]))}
            for t in TYPES:
                g = {x for x in gold if x[1] == t}
                o = {x for x in got if x[1] == t}
                tally[t][0] += len(g & o)
                tally[t][1] += len(o - g)
                tally[t][2] += len(g - o)
        cells = []
        for t in TYPES:
            tp, fp, fn = tally[t]
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            cells.append(f"{t} P/R {p:.3f}/{r:.3f}")
        print(f"  {name:<18} " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
