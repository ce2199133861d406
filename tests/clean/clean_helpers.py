"""Helpers of the clean plugin's tests."""

from __future__ import annotations

from pathlib import Path

from newsdesk.article import Article, Source

DATA = Path(__file__).parent / "data"


def make_article(content: str, kind: str = "text", name: str = "a.txt",
                 given: dict[str, object] | None = None) -> Article:
    """Return an article as a reader would hand it to the clean stage."""
    source = Source(path=name, name=name, size=len(content), mtime="", received="")
    article = Article(id=name, source=source, content=content, content_type=kind)
    if given:
        article.record["input"] = dict(given)
    return article
