"""Russian entities: natasha's NER (its models ship inside its wheels)."""

from __future__ import annotations

from newsdesk_plugins.extract.entities import Mention


class NatashaEngine:
    """natasha's NER for Russian; persons' names are put in the nominative word by word
    with pymorphy (through natasha's MorphVocab), which is much cheaper than natasha's
    morphology tagger."""

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

        emb = NewsEmbedding()
        self.segmenter = Segmenter()
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
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner)
        out: list[Mention] = []
        for span in doc.spans:
            words = text[span.start:span.stop].split()
            hint = self.nominative(words) if span.type == "PER" or len(words) == 1 else None
            out.append(Mention(span.start, span.stop, span.text, span.type, hint if hint != span.text else None, 1))
        return out
