"""Argos Translate packages run directly with CTranslate2 and SentencePiece.

Each installed package (see :mod:`newsdesk_plugins.translate.packages`) serves one
language pair; its model loads on first use. All sentences of a batch go to
CTranslate2 in one ``translate_batch`` call. When the daemon's shared Argos process
serves (see :mod:`newsdesk_plugins.translate.broker`) the passages go there instead; a
batch in flight when it died is translated here, and the models loaded here meanwhile
are dropped once it serves again.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import structlog

from newsdesk_plugins.translate.engines import EngineError, Remote, RemoteGone
from newsdesk_plugins.translate.packages import Package, installed

log = structlog.get_logger("newsdesk.translate")
_END = re.compile(r"[.!?…]+[\"'”»)]*(?=\s+\S)")


def sentences(line: str) -> list[str]:
    """Split a line into sentences (Argos models are trained on sentences)."""
    out: list[str] = []
    pos = 0
    for m in _END.finditer(line):
        out.append(line[pos : m.end()].strip())
        pos = m.end()
    out.append(line[pos:].strip())
    return [s for s in out if s]


class Argos:
    name = "argos"

    def __init__(self, folder: Path, beam_size: int = 2, threads: int = 1, max_batch: int = 32,
                 timeout_s: float = 120.0, remote: Remote | None = None) -> None:
        self.folder = folder
        #: The daemon's shared Argos process, used when it is running.
        self.remote = remote
        self.timeout_s = timeout_s
        self.beam_size = beam_size
        self.threads = threads
        self.max_batch = max_batch
        self._packages: dict[str, Package] | None = None
        self._stamp: int | None = None
        self._loaded: dict[str, tuple[Any, Any]] = {}

    def packages(self) -> dict[str, Package]:
        """The installed packages by pair, read again when the folder changes (a package
        installed or replaced while the daemon runs is used from its next passage on; a
        replaced pair's loaded model is dropped)."""
        try:
            stamp: int | None = self.folder.stat().st_mtime_ns
        except OSError:
            stamp = None
        if self._packages is None or stamp != self._stamp:
            fresh = {p.pair: p for p in installed(self.folder)}
            old = self._packages or {}
            for pair in list(self._loaded):
                if pair not in fresh or pair not in old or fresh[pair].path != old[pair].path \
                        or fresh[pair].version != old[pair].version:
                    self._loaded.pop(pair, None)
            self._packages, self._stamp = fresh, stamp
        return self._packages

    def supports(self, src: str, tgt: str) -> bool:
        return f"{src}-{tgt}" in self.packages()

    def version(self, src: str, tgt: str) -> str:
        pkg = self.packages().get(f"{src}-{tgt}")
        return f"{pkg.path.name}:{pkg.version}" if pkg else ""

    def _load(self, pkg: Package) -> tuple[Any, Any]:
        if pkg.pair not in self._loaded:
            import ctranslate2
            import sentencepiece

            try:
                translator = ctranslate2.Translator(str(pkg.path / "model"), device="cpu",
                                                    inter_threads=1, intra_threads=self.threads)
                sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg.path / "sentencepiece.model"))
            except Exception as exc:  # noqa: BLE001 - a broken package is one clear error
                raise EngineError(f"argos package {pkg.path.name} does not load: {exc}") from None
            self._loaded[pkg.pair] = (translator, sp)
        return self._loaded[pkg.pair]

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        pkg = self.packages().get(f"{src}-{tgt}")
        if pkg is None:
            raise EngineError(f"no argos package installed for {src}-{tgt}")
        if self.remote is not None and self.remote.connect():
            try:
                answers = self.remote.translate(texts, src, tgt)
            except RemoteGone as exc:
                # It died (or was stopped) with this batch: translate it here instead.
                log.info("the shared Argos process went away with a batch in flight; "
                         "translating it in this worker", pair=pkg.pair, error=str(exc))
            else:
                if self._loaded:
                    self._loaded.clear()  # it serves again: this worker's copies go
                return answers
        translator, sp = self._load(pkg)
        # Every sentence of every text, in one batch; remember where each belongs.
        where: list[tuple[int, int]] = []
        pieces: list[list[str]] = []
        shape: list[list[int]] = []
        for t, text in enumerate(texts):
            lines = text.split("\n")
            shape.append([])
            for n, line in enumerate(lines):
                sents = sentences(line)
                shape[t].append(len(sents))
                for sent in sents:
                    where.append((t, n))
                    pieces.append(sp.encode(sent, out_type=str))
        prefix = pkg.meta.get("target_prefix")
        options: dict[str, Any] = {
            "max_batch_size": self.max_batch, "beam_size": self.beam_size,
            "max_decoding_length": 256, "replace_unknowns": True,
        }
        if isinstance(prefix, str) and prefix:
            options["target_prefix"] = [[prefix]] * len(pieces)
        results = self._run(pkg, translator, pieces, options) if pieces else []
        out: list[list[list[str]]] = [[[] for _ in lines] for lines in shape]
        for (t, n), res in zip(where, results, strict=True):
            tokens = list(res.hypotheses[0]) if res.hypotheses else []
            if isinstance(prefix, str) and prefix and tokens[:1] == [prefix]:
                tokens = tokens[1:]
            out[t][n].append(sp.decode(tokens).strip())
        return ["\n".join(" ".join(s for s in line) for line in text) for text in out]

    def _run(self, pkg: Package, translator: Any, pieces: list[list[str]], options: dict[str, Any]) -> list[Any]:
        """One ``translate_batch`` call, given up after ``timeout_s`` (CTranslate2 cannot be
        interrupted: the model is dropped and loads afresh for the next batch)."""
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["results"] = translator.translate_batch(pieces, **options)
            except Exception as exc:  # noqa: BLE001 - handed to the caller below
                box["error"] = exc

        worker = threading.Thread(target=call, name=f"argos-{pkg.pair}", daemon=True)
        worker.start()
        worker.join(self.timeout_s)
        if worker.is_alive():
            self._loaded.pop(pkg.pair, None)
            raise EngineError(f"argos {pkg.pair} did not answer within {self.timeout_s:g} s")
        if "error" in box:
            raise EngineError(f"argos {pkg.pair} failed: {box['error']}")
        return list(box["results"])
