"""Scoring helpers for benchmarks/extract_bench.py (and its tests)."""

from __future__ import annotations

import re
from typing import Any


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 of true positives, false positives and false negatives (1.0 when there is nothing)."""
    if tp == fp == fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def norm_authors(names: list[str]) -> set[str]:
    """Split and normalise author names for comparison (case, spaces, dots: "Thomas W. Smith"
    and "thomas w smith" are one name; accents are kept)."""
    out: set[str] = set()
    for value in names:
        for name in re.split(r"\s*(?:,|;|\band\b)\s*", value):
            name = re.sub(r"\s+", " ", re.sub(r"[.,]", " ", name)).strip().lower()
            if name:
                out.add(name)
    return out


def _value(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def labelled_scores(pairs: list[tuple[dict[str, Any], dict[str, Any]]], verbose: bool = False) -> dict[str, float]:
    """Score records against the hand labels.

    Entities are compared as (canonical name, type) per article; merging counts
    the labelled variants (each alias form of a labelled entity) that were found
    and ended up in an entity with the labelled canonical name ("variants found"
    tells how many were found at all); counts as (value, event);
    quotes by the speaker of each labelled quote (matched by its text); cited
    sources as names.
    """
    stats = {k: [0, 0, 0] for k in ("PER", "LOC", "ORG", "counts", "cited")}
    merged = variants = found_variants = speakers_ok = quotes = 0
    for item, rec in pairs:
        gold = {(e["name"], e["type"]) for e in item.get("entities", [])}
        got = {(e["name"], e["type"]) for e in rec.get("entities", [])}
        for kind in ("PER", "LOC", "ORG"):
            g = {x for x in gold if x[1] == kind}
            o = {x for x in got if x[1] == kind}
            stats[kind][0] += len(g & o)
            stats[kind][1] += len(o - g)
            stats[kind][2] += len(g - o)
            if verbose and g != o:
                print(f"# {item['id']} {kind}: missed {sorted(n for n, _ in g - o)}; extra {sorted(n for n, _ in o - g)}")
        by_form = {}
        for e in rec.get("entities", []):
            for form in e["aliases"]:
                by_form[form] = e["name"]
        for e in item.get("entities", []):
            for form in e.get("aliases", []):
                variants += 1
                if form not in by_form:
                    if verbose:
                        print(f"# {item['id']} variant not found: {form!r} ({e['name']})")
                    continue
                found_variants += 1
                ok = by_form.get(form) == e["name"]
                merged += ok
                if verbose and not ok:
                    print(f"# {item['id']} merge: {form!r} -> {by_form.get(form)!r}, want {e['name']!r}")
        g_counts = [(_value(c["value"]), c["event"]) for c in item.get("counts", [])]
        o_counts = [(_value([c["min"], c["max"]] if "min" in c and c["min"] != c["max"] else c["value"]),
                     c["event"]) for c in rec.get("facts", [])]
        rest = list(o_counts)
        for c in g_counts:
            if c in rest:
                rest.remove(c)
                stats["counts"][0] += 1
            else:
                stats["counts"][2] += 1
                if verbose:
                    print(f"# {item['id']} count missed {c}; got {o_counts}")
        stats["counts"][1] += len(rest)
        if verbose and rest:
            print(f"# {item['id']} count extra {rest}")
        for q in item.get("quotes", []):
            quotes += 1
            found = [x for x in rec.get("quotes", []) if q["text"][:30] in x["text"] or x["text"][:30] in q["text"]]
            ok = bool(found) and found[0]["speaker"] == q["speaker"]
            speakers_ok += ok
            if verbose and not ok:
                print(f"# {item['id']} quote {q['text'][:40]!r}: speaker {found[0]['speaker'] if found else 'NO QUOTE'!r}, want {q['speaker']!r}")
        g_cited = set(item.get("cited", []))
        o_cited = {c["name"] for c in rec.get("cited", [])}
        stats["cited"][0] += len(g_cited & o_cited)
        stats["cited"][1] += len(o_cited - g_cited)
        stats["cited"][2] += len(g_cited - o_cited)
        if verbose and g_cited != o_cited:
            print(f"# {item['id']} cited: missed {sorted(g_cited - o_cited)}; extra {sorted(o_cited - g_cited)}")
    return {
        "PER F1": f1(*stats["PER"]),
        "LOC F1": f1(*stats["LOC"]),
        "ORG F1": f1(*stats["ORG"]),
        "merging": merged / found_variants if found_variants else 1.0,
        "variants found": found_variants / variants if variants else 1.0,
        "counts F1": f1(*stats["counts"]),
        "speakers": speakers_ok / quotes if quotes else 1.0,
        "cited F1": f1(*stats["cited"]),
    }
