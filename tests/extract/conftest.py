"""Fixtures for the extract plugin's tests: one engine per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsdesk.article import Article, Source
from newsdesk_plugins.extract.engine import Extractor, run

DATA = Path(__file__).parent / "data"


def make_article(text: str, kind: str = "text", record: dict[str, Any] | None = None) -> Article:
    src = Source(path="t.txt", name="t.txt", size=len(text), mtime="", received="")
    return Article(id="t", source=src, content=text, content_type=kind, record=dict(record or {}))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(200_000, None, None)


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[..., Article]:
    """Run the stage on a record built as clean would (text, title, removed)."""

    def go(text: str, title: str | None = "Headline", removed: list[dict[str, str]] | None = None,
           kind: str = "text", content: str | None = None, **extra: Any) -> Article:
        record: dict[str, Any] = {"text": text, "title": title, "removed": removed or [], **extra}
        art = make_article(content if content is not None else text, kind, record)
        run(extractor, art)
        return art

    return go
