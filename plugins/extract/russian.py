"""Russian entities: natasha's NER (its models ship inside its wheels)."""

from __future__ import annotations

from functools import cache
from typing import Any

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
        """The words of a name in the nominative. A surname or patronymic keeps the gender
        of the first name beside it ("Марии Захаровой" -> "Мария Захарова", not pymorphy's
        dictionary form "Захаров")."""
        parsed = [self.vocab.parse(w) if w.isalpha() and "-" not in w else [] for w in words]
        feminine = any("Name" in p.tag.grammemes and "femn" in p.tag.grammemes
                       for parses in parsed for p in parses[:1])
        out = []
        for word, parses in zip(words, parsed, strict=True):
            if not parses:
                out.append(word)
                continue
            person = [p for p in parses if {"Surn", "Name", "Patr"} & set(p.tag.grammemes)]
            if feminine and any("femn" in p.tag.grammemes for p in person):
                person = [p for p in person if "femn" in p.tag.grammemes]
            best = (person or parses)[0]
            normal = best.normal_form
            if feminine and "femn" in best.tag.grammemes and {"Surn", "Patr"} & set(best.tag.grammemes):
                nominative = best.inflect({"Nom", "Sing"})  # natasha takes UD features
                normal = nominative.word if nominative is not None else normal
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
        for span in _join_known(text, spans):
            surface = text[span.start:span.stop]
            words = surface.split()
            hint = self.nominative(words) if span.type == "PER" or len(words) == 1 else None
            out.append(Mention(span.start, span.stop, surface, span.type, hint if hint != surface else None, 1))
        return out


class _Span:
    def __init__(self, start: int, stop: int, type: str) -> None:
        self.start, self.stop, self.type = start, stop, type


def _join_known(text: str, spans: list[Any]) -> list[Any]:
    """natasha splits some organisations into two spans ("МИД" ORG + "России" LOC): two
    spans one space apart whose whole text is an organisation the shipped alias table
    knows ("МИД России", "МИД РФ") are that one organisation."""
    from newsdesk_plugins.extract.resources import gazetteer

    orgs = gazetteer().orgs
    out: list[Any] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.type == "ORG" and text[prev.stop:span.start] == " " \
                and text[prev.start:span.stop] in orgs:
            out[-1] = _Span(prev.start, span.stop, "ORG")
            continue
        out.append(span)
    return out


@cache
def shared_natasha() -> NatashaEngine:
    """natasha's models, loaded once per process (read-only once loaded): a worker forked
    from the fork server that loaded them (``preload.py``) shares their memory."""
    return NatashaEngine()
