"""Helpers of the clean plugin's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def removed_roles(result: Any) -> dict[str, str]:
    """Each line a cleaning result took out, with its role."""
    return {r["text"]: r["role"] for r in result.removed}


def removed_between_paragraphs(cleaner: Any, story: list[str], line: str) -> str:
    """Clean ``story`` with ``line`` put after its second paragraph; check that exactly the
    story is left, and return the role ``line`` was removed with."""
    result = cleaner.clean_text("\n\n".join(story[:2] + [line] + story[2:]))
    assert result.paragraphs == story
    return removed_roles(result)[line]
