"""The interface an index engine implements, and the plain data it exchanges.

The plugin talks to an index only through :class:`Backend`: add or replace a
document by id, delete by id, commit, search, count, compare with a set of ids. The embedded
engine is tantivy (``tantivy_engine.py``); an OpenSearch or Elasticsearch
backend (bulk API) would implement the same protocol in its own plugin module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index sees it (built from its record by ``documents.py``)."""

    id: str
    title: str
    text: str
    #: English text used for matching across languages: the translation when there
    #: is one, otherwise the text itself when the article is in English.
    english: str
    english_title: str
    lang: str
    site: str
    when: datetime | None
    #: Canonical entity names and their aliases.
    entities: Sequence[str] = ()
    cited: Sequence[str] = ()
    story: str = ""
    duplicate_of: str = ""
    url: str = ""


@dataclass(frozen=True)
class Filters:
    """Restrictions on a search, all optional."""

    since: datetime | None = None
    until: datetime | None = None
    lang: str = ""
    entity: str = ""
    #: Other names of the same entity (its canonical names and aliases): any of them matches.
    entity_any: tuple[str, ...] = ()
    site: str = ""
    story: str = ""
    cited: str = ""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    id: str
    score: float
    title: str
    when: datetime | None
    site: str
    lang: str
    snippet: str
    story: str = ""
    duplicate_of: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    """The hits of a search, how many matched in all, and what the engine said about
    the query (a syntax it could not read, for instance)."""

    hits: list[Hit]
    total: int
    notes: list[str] = field(default_factory=list)


class IndexUnavailable(Exception):
    """The index cannot be opened or written; the message says why, in one line."""


class Backend(Protocol):
    """What the plugin needs from an index engine."""

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add documents, replacing any with the same id (not visible before commit)."""

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (not visible before commit)."""

    def commit(self) -> None:
        """Make every change so far durable and visible to readers in other processes."""

    def rollback(self) -> None:
        """Drop the changes since the last commit."""

    def search(self, query: str, filters: Filters, limit: int,
               highlight: bool = True) -> Results:
        """Ranked documents matching ``query`` (any text; empty: every document)."""

    def count(self) -> int:
        """Documents in the committed index."""

    def ids(self) -> set[str]:
        """Ids of every document in the committed index."""

    def compare(self, ids: set[str]) -> tuple[set[str], set[str]]:
        """The ids of ``ids`` the committed index lacks, and the ids it holds that are
        not in ``ids`` (cheap even for millions of documents)."""

    def exists(self) -> bool:
        """Whether the index is still there (its folder may be deleted under the daemon)."""

    def reopen(self) -> None:
        """Make the index again, empty, after it was deleted."""

    def close(self) -> None:
        """Release the writer and any file handles."""
