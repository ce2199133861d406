"""Translation engines: one small interface, one module per engine."""

from __future__ import annotations

from typing import Protocol


class EngineError(Exception):
    """An engine could not translate a batch (crashed, hung, refused, answered nonsense)."""


class RemoteGone(EngineError):
    """A remote translator went away with a request in flight (it died or was stopped):
    the caller may translate the batch itself."""


class Remote(Protocol):
    """A translator in another process that an engine may hand its batches to (the
    shared Argos process: :class:`newsdesk_plugins.translate.broker.BrokerClient`)."""

    def connect(self) -> bool:
        """True when the remote is there to take a batch."""
        ...

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        """The translations, or :class:`RemoteGone` when it went away meanwhile."""
        ...


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
