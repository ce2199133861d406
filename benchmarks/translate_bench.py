"""Benchmark of the translate plugin: prints figures beside the issue's targets.

    .venv/bin/python benchmarks/translate_bench.py ../shared/datasets/flores-dev
    .venv/bin/python benchmarks/translate_bench.py ../shared/datasets/flores-dev --no-translation
    .venv/bin/python benchmarks/translate_bench.py ../shared/datasets/flores-dev --argos-dir state/argos-packages

Language identification: accuracy per language of the plugin's identifier (fastText's
lid.176.ftz restricted to the configured languages) on every flores-dev sentence and on
a line of 3 to 8 consecutive words cut from each (seeded), beside the same model over all
its languages, py3langid, lingua (low- and high-accuracy modes) and pycld2 where they
are installed (the ``bench`` extra); sentences per second, load time and memory.

Mixed paragraphs: paragraphs of two flores sentences (one a line) in one language with a
line in another language put among them (a full sentence, or 3 to 8 words of one; as a
control, 3 to 8 words of a third sentence in the same language, which must not split the
paragraph), cut and labelled by the plugin's own segmenter: the share of lines given the
right language.

Translation: for each installed engine and each flores language it has a pair to
English for, chrF and BLEU (sacrebleu, the ``bench`` extra) against ``dev.en`` and
sentences per second, the sentences sent in batches as the stage sends an article's
passages; and the share of sentences the numbers check flags.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk_plugins.translate import DEFAULT_LANGUAGES
from newsdesk_plugins.translate.engines import Engine, EngineError
from newsdesk_plugins.translate.engines.apertium import Apertium
from newsdesk_plugins.translate.engines.argos import Argos
from newsdesk_plugins.translate.engines.libretranslate import LibreTranslate
from newsdesk_plugins.translate.langid import LanguageId
from newsdesk_plugins.translate.numbers import mismatch

LANGS = ["de", "en", "es", "it", "pl", "ru", "uk"]
TARGET_FULL, TARGET_SHORT = 99.0, 90.0


def read(folder: Path, lang: str) -> list[str]:
    return (folder / f"dev.{lang}").read_text(encoding="utf-8").splitlines()


def short_lines(sentences: list[str], rng: random.Random) -> list[str]:
    """One line of 3 to 8 consecutive words from each sentence that has that many."""
    out = []
    for sentence in sentences:
        words = sentence.split()
        n = rng.randint(3, 8)
        if len(words) >= n:
            start = rng.randint(0, len(words) - n)
            out.append(" ".join(words[start : start + n]))
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_rss_mb() -> float:
    """Resident memory now (max RSS only ever grows, so it cannot show a model's cost)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return rss_mb()


def _plugin(languages: list[str]) -> dict[str, Callable[[str], str]]:
    """The plugin's identifier (fastText's lid.176.ftz, restricted) and the same model
    over all its languages."""
    lid = LanguageId(languages, 0, 0.0, target="en")
    everything = LanguageId([], 0, 0.0)
    lid.warm()
    everything.warm()
    gate = lid.gate()
    assert gate is not None

    def gated(text: str) -> str:
        return "en" if gate.certain(text) else lid._identifier().classify(text)[0]

    return {f"fastText lid.176.ftz, {len(languages)} languages (the plugin's model)":
                lambda t: lid._identifier().classify(t)[0],
            f"English function words, then fastText, {len(languages)} languages "
            "(the plugin, target en)": gated,
            "fastText lid.176.ftz, all languages": lambda t: everything._identifier().classify(t)[0]}


def _py3langid(languages: list[str]) -> dict[str, Callable[[str], str]]:
    from py3langid.langid import _load_identifier

    restricted = _load_identifier(norm_probs=True)
    restricted.set_languages(languages)
    everything = _load_identifier(norm_probs=True)
    return {f"py3langid, {len(languages)} languages": lambda t: str(restricted.classify(t)[0]),
            "py3langid, all languages": lambda t: str(everything.classify(t)[0])}


def _lingua(languages: list[str]) -> dict[str, Callable[[str], str]]:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [IsoCode639_1.from_str(lang) for lang in languages]

    def wrap(detector: object) -> Callable[[str], str]:
        def detect(text: str) -> str:
            found = detector.detect_language_of(text)  # type: ignore[attr-defined]
            return found.iso_code_639_1.name.lower() if found is not None else "und"
        return detect

    return {
        "lingua low accuracy, all languages":
            wrap(LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()),
        f"lingua low accuracy, {len(languages)} languages":
            wrap(LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()),
        f"lingua high accuracy, {len(languages)} languages":
            wrap(LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()),
    }


def identifiers(languages: list[str]) -> dict[str, tuple[Callable[[str], str], float, float]]:
    """Each identifier with its load time (s) and the resident memory it added (MB).

    lingua loads a language's models on its first use, so its figures are taken after
    one call in every language."""
    out: dict[str, tuple[Callable[[str], str], float, float]] = {}

    def add(make: Callable[[], dict[str, Callable[[str], str]]], warm: bool = False) -> None:
        for name, fn in make().items():
            rss, t0 = vm_rss_mb(), time.perf_counter()
            if warm:
                for lang_text in ("Der Hund", "The dog", "El perro", "Il cane", "Pies", "Собака", "Собака їсть"):
                    fn(lang_text)
            out[name] = (fn, time.perf_counter() - t0, vm_rss_mb() - rss)
            if warm:
                print(f"  {name}: models loaded on first use in {out[name][1]:.2f} s, "
                      f"+{out[name][2]:.0f} MB resident")

    def timed(make: Callable[[], dict[str, Callable[[str], str]]], label: str, warm: bool = False) -> None:
        rss, t0 = vm_rss_mb(), time.perf_counter()
        try:
            add(make, warm)
        except ImportError as exc:
            print(f"({label} not installed, pip install -e '.[bench]': not compared: {exc})")
            return
        print(f"{label}: loaded in {time.perf_counter() - t0:.2f} s, +{vm_rss_mb() - rss:.0f} MB resident")

    timed(lambda: _plugin(languages), "fastText lid.176.ftz (the plugin's; two detectors, one model each)")
    timed(lambda: _py3langid(languages), "py3langid (two models)")
    timed(lambda: _lingua(languages), "lingua (three detectors)", warm=True)
    try:
        import pycld2

        def cld2(text: str) -> str:
            try:
                return str(pycld2.detect(text, bestEffort=True)[2][0][1])
            except pycld2.error:
                return "error"

        out["pycld2"] = (cld2, 0.0, 0.0)
    except ImportError:
        print("(pycld2 not installed: not compared)")
    return out


def bench_langid(folder: Path, languages: list[str], seed: int) -> None:
    rng = random.Random(seed)
    data = {lang: read(folder, lang) for lang in LANGS}
    shorts = {lang: short_lines(lines, rng) for lang, lines in data.items()}
    print("## Language identification (flores-dev)\n")
    idents = identifiers(languages)
    print()
    header = "| identifier | lines | " + " | ".join(LANGS) + " | mean | target | sentences/s |"
    print(header)
    print("|" + "---|" * (len(LANGS) + 5))
    for name, (fn, _, _) in idents.items():
        for kind, sets, target in (("full sentences", data, TARGET_FULL), ("3-8 words", shorts, TARGET_SHORT)):
            accs = []
            n = 0
            t0 = time.perf_counter()
            for lang in LANGS:
                got = sum(fn(s) == lang for s in sets[lang])
                accs.append(100 * got / len(sets[lang]))
                n += len(sets[lang])
            speed = n / (time.perf_counter() - t0)
            mean = sum(accs) / len(accs)
            worst = min(accs)
            verdict = "met" if worst >= target else f"NOT met (worst {worst:.1f})"
            print(f"| {name} | {kind} | " + " | ".join(f"{a:.1f}" for a in accs)
                  + f" | {mean:.2f} | >= {target:g}: {verdict} | {speed:,.0f} |")
    print()


def bench_mixed(folder: Path, languages: list[str], seed: int, n: int = 500) -> None:
    from newsdesk_plugins.translate.segments import segment

    rng = random.Random(seed)
    data = {lang: read(folder, lang) for lang in LANGS}
    lid = LanguageId(languages, 12, 0.6, target="en")
    print(f"## Mixed paragraphs ({n} per kind, the plugin's segmenter and defaults)\n")
    print("| inserted line | lines right | paragraphs all right | inserted lines right |")
    print("|---|---|---|---|")
    for kind in ("full sentence", "3-8 words", "3-8 words, same language (control)"):
        lines_ok = lines = paras_ok = inserted_ok = 0
        for _ in range(n):
            a, b = rng.sample(LANGS, 2)
            if kind.endswith("(control)"):
                b = a
            i, j, k = rng.sample(range(len(data[a])), 3)
            base = [data[a][i], data[a][j]]
            other = data[b][k]
            if kind != "full sentence":
                cut = short_lines([other], rng)
                other = cut[0] if cut else other
            pos = rng.randint(0, 2)
            para = base[:pos] + [other] + base[pos:]
            want = [a] * pos + [b] + [a] * (2 - pos)
            text = "\n".join(para)
            got: list[str | None] = []
            for seg in segment(text, lid, 1500, None):
                got.extend([seg.lang] * (seg.text.count("\n") + 1))
            right = [g == w for g, w in zip(got, want, strict=True)]
            lines += 3
            lines_ok += sum(right)
            paras_ok += all(right)
            inserted_ok += right[pos]
        print(f"| {kind} | {100 * lines_ok / lines:.1f}% | {100 * paras_ok / n:.1f}% | {100 * inserted_ok / n:.1f}% |")
    print()


def engines(args: argparse.Namespace) -> list[Engine]:
    out: list[Engine] = [Apertium(600), Argos(Path(args.argos_dir), beam_size=args.beam, threads=args.threads)]
    if args.libretranslate:
        out.append(LibreTranslate(args.libretranslate, args.key, 120, 1, 32))
    return out


def bench_translation(folder: Path, args: argparse.Namespace) -> None:
    try:
        import sacrebleu
    except ImportError:
        print("sacrebleu is not installed (pip install -e '.[bench]'): no translation figures")
        return
    refs = read(folder, "en")[: args.limit]
    print(f"## Translation into English (flores-dev, first {len(refs)} sentences, batches of {args.batch})\n")
    print("| engine | pair | chrF | BLEU | sentences/s | numbers flagged |")
    print("|---|---|---|---|---|---|")
    found = False
    for engine in engines(args):
        for lang in LANGS:
            if lang == "en" or not engine.supports(lang, "en"):
                continue
            found = True
            src = read(folder, lang)[: args.limit]
            hyps: list[str] = []
            t0 = time.perf_counter()
            try:
                for i in range(0, len(src), args.batch):
                    hyps.extend(engine.translate(src[i : i + args.batch], lang, "en"))
            except EngineError as exc:
                print(f"| {engine.name} | {lang}-en | failed: {exc} | | | |")
                continue
            speed = len(src) / (time.perf_counter() - t0)
            chrf = sacrebleu.corpus_chrf(hyps, [refs]).score
            bleu = sacrebleu.corpus_bleu(hyps, [refs]).score
            flagged = 100 * sum(mismatch(s, h) for s, h in zip(src, hyps, strict=True)) / len(src)
            print(f"| {engine.name} | {lang}-en | {chrf:.1f} | {bleu:.1f} | {speed:.1f} | {flagged:.1f}% |")
    if not found:
        print("| (none) | no engine has a pair from a flores language to English | | | | |")
    print()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("flores", type=Path, help="the flores-dev folder (dev.en, dev.es, ...)")
    p.add_argument("--languages", default=",".join(DEFAULT_LANGUAGES),
                   help="the languages the plugin's identifier chooses among (default: the plugin's)")
    p.add_argument("--seed", type=int, default=1, help="seed of the 3-8-word line cuts")
    p.add_argument("--no-translation", action="store_true", help="language identification only")
    p.add_argument("--limit", type=int, default=997, help="sentences translated per language")
    p.add_argument("--batch", type=int, default=16, help="sentences per engine call")
    p.add_argument("--argos-dir", default="state/argos-packages", help="installed Argos packages")
    p.add_argument("--beam", type=int, default=2, help="Argos beam size")
    p.add_argument("--threads", type=int, default=1, help="Argos CPU threads")
    p.add_argument("--libretranslate", default="", metavar="URL", help="a LibreTranslate server to measure")
    p.add_argument("--key", default="", help="its API key")
    args = p.parse_args()
    if not (args.flores / "dev.en").exists():
        print(f"{args.flores}: no dev.en here (give the flores-dev folder)", file=sys.stderr)
        return 2
    languages = [c for c in args.languages.split(",") if c]
    bench_langid(args.flores, languages, args.seed)
    bench_mixed(args.flores, languages, args.seed)
    if not args.no_translation:
        bench_translation(args.flores, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
