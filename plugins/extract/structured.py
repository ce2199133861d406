"""What a page's schema.org JSON-LD says about its article: headline, dates, authors,
publisher and body.

Only the article's own node counts: a ``NewsArticle``, ``Article``, ``BlogPosting``
(or another type ending in ``Article``/``Posting``), at the top, in a list, in an
``@graph`` or as a ``WebPage``'s ``mainEntity``. A block that does not parse is skipped;
nothing here raises on bad markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>", re.I | re.S)
#: Blocks read at most, and the characters of one block: a page with more is not a news page.
MAX_BLOCKS = 20
MAX_BLOCK_CHARS = 500_000


@dataclass
class Structured:
    """The article node's fields, as written (dates as the page writes them)."""

    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    #: ``Person`` authors (and authors given as bare strings), in order.
    authors: list[str] = field(default_factory=list)
    #: ``Organization`` authors: an agency or the outlet itself.
    organisations: list[str] = field(default_factory=list)
    publisher: str | None = None
    body: str | None = None


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.split("/")[-1] for k in kinds if isinstance(k, str)]


def _is_article(node: dict[str, Any]) -> bool:
    return any(k.endswith(("Article", "Posting")) or k == "Report" for k in _types(node))


def _nodes(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every object that may be the article: top-level ones, list items, ``@graph``
    members and ``mainEntity`` objects."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [n for item in data[:50] for n in _nodes(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    out = [data]
    for key in ("@graph", "mainEntity"):
        if key in data:
            out += _nodes(data[key], depth + 1)
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    import html

    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()
    return text or None


def _people(value: Any, persons: list[str], organisations: list[str]) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            name = _text(item)
            if name:
                persons.append(name)
        elif isinstance(item, dict):
            name = _text(item.get("name"))
            if not name:
                continue
            kinds = _types(item)
            (organisations if any(k in ("Organization", "NewsMediaOrganization", "Corporation")
                                  for k in kinds) else persons).append(name)


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def read(html: str) -> Structured | None:
    """The page's article node, or None when the page has no readable one."""
    for block in list(_SCRIPT.finditer(html))[:MAX_BLOCKS]:
        raw = block.group(1).strip()
        if not raw or len(raw) > MAX_BLOCK_CHARS:
            continue
        raw = re.sub(r"^\s*<!--|-->\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for node in _nodes(data):
            if not _is_article(node):
                continue
            found = Structured(
                headline=_text(node.get("headline")) or _text(node.get("name")),
                published=_text(node.get("datePublished")),
                modified=_text(node.get("dateModified")),
                publisher=_name(node.get("publisher")),
                body=_text(node.get("articleBody")),
            )
            _people(node.get("author"), found.authors, found.organisations)
            if found.headline or found.published:
                return found
    return None
