"""Russian entities: natasha's NER (its models ship inside its wheels)."""

from __future__ import annotations

from newsdesk_plugins.extract.blas import one_blas_thread
from newsdesk_plugins.extract.entities import Mention


class NatashaEngine:
    """natasha's NER for Russian; persons' names are put in the nominative word by word
    with pymorphy (through natasha's MorphVocab), which is much cheaper than natasha's
    morphology tagger."""

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsNERTagger

        emb = NewsEmbedding()
        self.ner = NewsNERTagger(emb)
        self.vocab = MorphVocab()

    def nominative(self, words: list[str]) -> str:
        out = []
        for word in words:
            if "-" in word or not word.isalpha():
                out.append(word)
                continue
            parses = self.vocab.parse(word)
            person = [p for p in parses if {"Surn", "Name", "Patr"} & set(p.tag.grammemes)]
            best = (person or parses or [None])[0]
            normal = best.normal_form if best is not None else word.lower()
            out.append(normal[:1].upper() + normal[1:] if word[:1].isupper() else normal)
        return " ".join(out)

    def __call__(self, text: str) -> list[Mention]:
        # The tagger reads the whole text at once (natasha's Doc.tag_ner does the same);
        # natasha's sentence and token segmentation only serves Doc's own views, not used here.
        if not text.strip():
            return []
        with one_blas_thread():
            spans = self.ner(text).spans
        out: list[Mention] = []
        for span in spans:
            surface = text[span.start:span.stop]
            words = surface.split()
            hint = self.nominative(words) if span.type == "PER" or len(words) == 1 else None
            out.append(Mention(span.start, span.stop, surface, span.type, hint if hint != surface else None, 1))
        return out
