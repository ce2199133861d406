"""Translation engines: one small interface, one module per engine."""

from __future__ import annotations

from typing import Protocol


class EngineError(Exception):
    """An engine could not translate a batch (crashed, hung, refused, answered nonsense)."""


class Engine(Protocol):
    """What the stage needs of an engine.

    ``translate`` takes one batch (the segments of an article in one language) and
    returns one translation per text, in order, or raises :class:`EngineError`.
    """

    name: str

    def supports(self, src: str, tgt: str) -> bool:
        """True when this engine is installed for the pair (ISO 639-1 codes)."""
        ...

    def version(self, src: str, tgt: str) -> str:
        """The model or data version used for the pair (part of the cache key)."""
        ...

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        ...
