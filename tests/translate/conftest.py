"""Fixtures for the translate plugin's tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsdesk.article import Article, Source
from newsdesk_plugins.translate.cache import Cache
from newsdesk_plugins.translate.engines import Engine, EngineError
from newsdesk_plugins.translate.langid import LanguageId
from newsdesk_plugins.translate.stage import Translator, run

LANGS = ["en", "ru", "uk", "pl", "de", "it", "es", "fr", "pt", "nl", "cs", "be", "bg"]

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/spa-eng.mode").exists(),
    reason="Apertium's Spanish-English pair is not installed (apt-get install apertium-eng-spa; CI installs it)",
)


def make_article(text: str, title: str | None = None, **record: Any) -> Article:
    src = Source(path="t.txt", name="t.txt", size=len(text), mtime="", received="")
    rec: dict[str, Any] = {"text": text, "title": title, **record}
    return Article(id="t", source=src, content=text, record=rec)


@pytest.fixture(scope="session")
def lid() -> LanguageId:
    return LanguageId(LANGS, 12, 0.6, target="en")


class Recording:
    """A test engine: translates by a given function and records each batch it gets."""

    name = "recording"

    def __init__(self, fn: Callable[[str], str], pairs: set[tuple[str, str]] | None = None) -> None:
        self.fn = fn
        self.pairs = pairs
        self.batches: list[list[str]] = []

    def supports(self, src: str, tgt: str) -> bool:
        return self.pairs is None or (src, tgt) in self.pairs

    def version(self, src: str, tgt: str) -> str:
        return "1"

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.batches.append(list(texts))
        return [self.fn(t) for t in texts]


class Failing(Recording):
    def __init__(self, exc: Exception) -> None:
        super().__init__(str)
        self.exc = exc

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.batches.append(list(texts))
        raise self.exc


@pytest.fixture()
def translator(lid: LanguageId, tmp_path: Path) -> Callable[..., Translator]:
    def make(*engines: Engine, cache: bool = True, target: str = "en", max_segment_chars: int = 1500,
             run_id: str = "run") -> Translator:
        return Translator(target, lid, list(engines), Cache(tmp_path / "cache.sqlite") if cache else None,
                          max_segment_chars, 200_000, run_id=run_id)

    return make


def translate(tr: Translator, text: str, title: str | None = None, **record: Any) -> Article:
    art = make_article(text, title, **record)
    run(tr, art)
    return art


__all__ = ["EngineError", "Failing", "Recording", "make_article", "needs_apertium", "translate"]
