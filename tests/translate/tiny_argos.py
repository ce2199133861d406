"""Build a tiny Argos package offline: a SentencePiece model trained on a few sentences
and a one-layer CTranslate2 transformer with random weights (no torch), zipped as an
.argosmodel. Its translations are nonsense; loading, batching and caching are real."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

SENTENCES = [
    "el gato come pescado en la casa", "la casa es grande y blanca", "hola mundo, buenos días",
    "uno dos tres cuatro cinco", "the cat eats fish in the house", "the house is big and white",
    "hello world, good morning", "one two three four five",
]


def build_model(folder: Path, seed: int = 0) -> None:
    """Write ``folder/model`` (CTranslate2) and ``folder/sentencepiece.model``."""
    import sentencepiece as spm
    from ctranslate2 import specs
    from ctranslate2.converters import Converter

    proto = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 5), model_writer=proto, vocab_size=48,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1, minloglevel=3,
    )
    (folder / "sentencepiece.model").write_bytes(proto.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=proto.getvalue())
    vocab = ["<unk>", "<s>", "</s>"] + [sp.id_to_piece(i) for i in range(1, sp.get_piece_size())]

    d, ff, size = 16, 32, len(vocab)
    rng = np.random.default_rng(seed)
    spec = specs.TransformerSpec.from_config(1, 2)

    def shape(path: str, name: str) -> tuple[int, ...]:
        if name in ("gamma", "beta"):
            return (d,)
        if "embeddings" in path or path.endswith("projection"):
            return (size, d)
        if "ffn.linear_0" in path:
            return (ff, d)
        if "ffn.linear_1" in path:
            return (d, ff)
        if "self_attention.linear[0]" in path:
            return (3 * d, d)
        if ".attention.linear[1]" in path:
            return (2 * d, d)
        return (d, d)

    def fill(obj: object, path: str) -> None:
        for name, val in list(vars(obj).items()):
            if isinstance(val, specs.model_spec.LayerSpec):
                fill(val, f"{path}.{name}")
            elif isinstance(val, list) and val and isinstance(val[0], specs.model_spec.LayerSpec):
                for i, item in enumerate(val):
                    fill(item, f"{path}.{name}[{i}]")
            elif val is None:
                if name == "gamma":
                    arr = np.ones(shape(path, name), np.float32)
                elif name == "beta":
                    arr = np.zeros(shape(path, name), np.float32)
                else:
                    arr = (rng.standard_normal(shape(path, name)) * 0.1).astype(np.float32)
                setattr(obj, name, arr)

    fill(spec, "")
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)

    class _Tiny(Converter):
        def _load(self) -> specs.TransformerSpec:
            return spec

    _Tiny().convert(str(folder / "model"), force=True)


def build_package(out: Path, src: str = "es", tgt: str = "en", version: str = "1.0") -> Path:
    """Write an .argosmodel file for ``src``->``tgt`` at ``out`` and return it."""
    work = out.parent / f"{out.stem}-build"
    pkg = work / f"translate-{src}_{tgt}-{version.replace('.', '_')}"
    pkg.mkdir(parents=True)
    build_model(pkg)
    (pkg / "metadata.json").write_text(json.dumps({
        "package_version": version, "argos_version": "1.9.0", "from_code": src, "to_code": tgt,
        "from_name": src, "to_name": tgt, "type": "translate",
    }))
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(pkg.rglob("*")):
            zf.write(path, path.relative_to(work).as_posix())
    return out
